/** Routes of rectification orders (整改): ordering, lists by owner, evidence, finance's review, the chain's verification. */
import * as z from 'zod/mini';
import { AccountabilityObjectSchema, RectificationOwnerSchema, RectificationSourceSchema } from '../../../events/accountability-cases.ts';
import { fiscalYearParam, prefixedId, text } from '../../../shared/pure/fields.ts';
import { defineRoute } from '../../../shared/http/route.ts';
import { listQuery, pageOf } from '../../../shared/http/schemas.ts';
import { RECTIFICATION_SOURCES, RECTIFICATION_STATUSES } from '../domain/rectification.ts';
import { attachments, ChainEntrySchema, codeValue, ObjectIdSchema, VerificationSchema } from './cases.ts';

const tag = 'accountability';
const isoDate = z.string().check(z.regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'must be a date YYYY-MM-DD'));
const RectificationIdSchema = prefixedId('rect', 'a rectification order id');

export const RectificationSchema = z.object({
  id: z.string(),
  version: z.number(),
  region: z.string(),
  fiscalYear: z.number(),
  source: RectificationSourceSchema,
  object: z.optional(AccountabilityObjectSchema),
  owner: RectificationOwnerSchema,
  issue: z.string(),
  requirement: z.optional(z.string()),
  deadline: z.string(),
  status: z.enum(RECTIFICATION_STATUSES),
  escalationLevel: z.number(),
  lastEscalatedAt: z.optional(z.string()),
  evidence: z.optional(z.object({ text: z.string(), attachments: z.array(z.string()), at: z.string(), by: z.string() })),
  rejections: z.number(),
  closedAt: z.optional(z.string()),
  closedBy: z.optional(z.string()),
  closedOnTime: z.optional(z.boolean()),
  createdAt: z.string(),
  createdBy: z.string(),
  updatedAt: z.string(),
  lastSeq: z.number(),
  lastHash: z.string(),
  /** Computed when read: open past the deadline. */
  overdue: z.boolean(),
});
const RectificationWithEntriesSchema = z.extend(RectificationSchema, { entries: z.array(ChainEntrySchema) });

const readers = ['unit', 'department', 'finance', 'supervisor'] as const;
const orderParams = z.strictObject({ orderId: RectificationIdSchema });
const orderReply = (description: string, status: 200 | 201 = 200) => ({ status, description: `${description}; ETag header`, schema: RectificationWithEntriesSchema });

export const rectificationRoutes = {
  createRectification: defineRoute({
    operationId: 'orderRectification',
    tag,
    method: 'POST',
    path: '/v1/accountability/rectifications',
    summary: "Finance or a supervisor orders a rectification (audit findings, by hand): about an object (owner defaults to its unit) or an owner department; deadline defaults to the year's deadlineDays; emits RectificationOrdered",
    auth: 'jwt',
    roles: ['finance', 'supervisor'],
    body: z.strictObject({
      source: z.strictObject({ kind: z.enum(RECTIFICATION_SOURCES), reference: text(200) }),
      objectId: z.optional(ObjectIdSchema),
      owner: z.optional(z.strictObject({ department: codeValue('department'), unit: z.optional(codeValue('unit')) })),
      issue: text(2000),
      requirement: z.optional(text(2000)),
      deadline: z.optional(isoDate),
    }),
    idempotent: true,
    response: orderReply('The order with its first entry', 201),
  }),
  listRectifications: defineRoute({
    operationId: 'listRectifications',
    tag,
    method: 'GET',
    path: '/v1/accountability/rectifications',
    summary: "A fiscal year's orders: finance and supervisors the region's (filter department, unit), a department its own, a unit its own unit's; filters status and source",
    auth: 'jwt',
    roles: readers,
    query: z.strictObject({
      ...listQuery.shape,
      year: fiscalYearParam(),
      department: z.optional(codeValue('department')),
      unit: z.optional(codeValue('unit')),
      status: z.optional(z.enum(RECTIFICATION_STATUSES)),
      source: z.optional(z.enum(RECTIFICATION_SOURCES)),
    }),
    response: { status: 200, description: 'One page', schema: pageOf(RectificationSchema) },
  }),
  getRectification: defineRoute({
    operationId: 'getRectification',
    tag,
    method: 'GET',
    path: '/v1/accountability/rectifications/{orderId}',
    summary: 'An order with every entry of its chained record, oldest first',
    auth: 'jwt',
    roles: readers,
    params: orderParams,
    response: orderReply('The order'),
    problems: [404],
  }),
  submitRectificationEvidence: defineRoute({
    operationId: 'submitRectificationEvidence',
    tag,
    method: 'POST',
    path: '/v1/accountability/rectifications/{orderId}/evidence',
    summary: 'The owner department (or unit) submits what it did, with attachments; the order waits for finance’s review',
    auth: 'jwt',
    roles: ['unit', 'department'],
    params: orderParams,
    body: z.strictObject({ text: text(5000), attachments: z.optional(attachments) }),
    response: orderReply('The order with the evidence', 201),
    problems: [404, 409],
  }),
  reviewRectification: defineRoute({
    operationId: 'reviewRectification',
    tag,
    method: 'POST',
    path: '/v1/accountability/rectifications/{orderId}/review',
    summary: 'Finance reviews the evidence: accept closes the order (emits RectificationClosed, on time or not); reject, with the reason, reopens it. If-Match',
    auth: 'jwt',
    roles: ['finance'],
    params: orderParams,
    body: z.strictObject({ decision: z.enum(['accept', 'reject']), reason: z.optional(text(2000)) }),
    requiresIfMatch: true,
    response: orderReply('The reviewed order'),
    problems: [404, 409],
  }),
  verifyRectification: defineRoute({
    operationId: 'verifyRectification',
    tag,
    method: 'GET',
    path: '/v1/accountability/rectifications/{orderId}/verify',
    summary: "Recomputes the order's hash chain from its stored entries, checks each entry's keyed MAC and the latest checkpoint: valid, or the first entry (seq) that was altered, removed, reordered or rewritten",
    auth: 'jwt',
    roles: readers,
    params: orderParams,
    response: { status: 200, description: 'The verification', schema: VerificationSchema },
    problems: [404],
  }),
};
