/**
 * Routes of accountability cases (问责): opened by hand, listed, added to, decided, closed and
 * verified. The rules they are opened under: routes/rules.ts.
 */
import * as z from 'zod/mini';
import { AccountabilityObjectSchema, CaseBasisSchema, CaseOutcomeSchema, CaseRuleSchema } from '../../../events/accountability-cases.ts';
import { fiscalYear, fiscalYearParam, prefixedId, text } from '../../../shared/pure/fields.ts';
import { defineRoute } from '../../../shared/http/route.ts';
import { listQuery, pageOf } from '../../../shared/http/schemas.ts';
import { CASE_ENTRY_TYPES, CASE_STATUSES } from '../domain/case.ts';

const tag = 'accountability';
export const codeValue = (what: string) => z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/, `must be a ${what} code`));
export const ObjectIdSchema = prefixedId('obj', 'a spending object id');
const CaseIdSchema = prefixedId('case', 'a case id');
const reasons = z.array(text(2000)).check(z.minLength(1, 'state at least one reason'), z.maxLength(20));
export const attachments = z.array(text(500)).check(z.maxLength(20));

export const ChainEntrySchema = z.object({
  seq: z.number(),
  at: z.string(),
  actor: z.object({ sub: z.string(), role: z.string() }),
  type: z.string(),
  body: z.record(z.string(), z.unknown()),
  prevHash: z.string(),
  hash: z.string(),
});

export const VerificationSchema = z.object({
  id: z.string(),
  valid: z.boolean(),
  /** Entries stored. */
  length: z.number(),
  /** The first entry (seq) that does not verify. */
  brokenAt: z.optional(z.number()),
  reason: z.optional(z.string()),
  /** What the record's head says: its last seq and hash. */
  head: z.object({ seq: z.number(), hash: z.string() }),
  /** Each entry's MAC under the trail key was checked too (a table writer without the key cannot forge one). */
  keyed: z.boolean(),
  /** The latest checkpoint the entries were checked against (written apart from the table), or null before the first. */
  checkpoint: z.nullable(z.object({ seq: z.number(), at: z.string() })),
  verifiedAt: z.string(),
});

export const CaseSchema = z.object({
  id: z.string(),
  version: z.number(),
  region: z.string(),
  fiscalYear: z.number(),
  rule: CaseRuleSchema,
  subject: z.string(),
  object: z.optional(AccountabilityObjectSchema),
  department: z.optional(z.string()),
  reason: z.string(),
  basis: z.optional(CaseBasisSchema),
  status: z.enum(CASE_STATUSES),
  openedAt: z.string(),
  openedBy: z.string(),
  decision: z.optional(
    z.object({ outcome: CaseOutcomeSchema, reasons: z.array(z.string()), amountWan: z.optional(z.number()), referredTo: z.optional(z.string()), decidedAt: z.string(), decidedBy: z.string() }),
  ),
  closedAt: z.optional(z.string()),
  closedBy: z.optional(z.string()),
  closeReasons: z.optional(z.array(z.string())),
  updatedAt: z.string(),
  lastSeq: z.number(),
  lastHash: z.string(),
});
const CaseWithEntriesSchema = z.extend(CaseSchema, { entries: z.array(ChainEntrySchema) });

const wan = z.number().check(z.minimum(0, 'must be 0 or more'), z.maximum(1e10), z.multipleOf(0.000001, 'must be in 万元 with at most 6 decimals'));

const readers = ['finance', 'supervisor'] as const;
const caseParams = z.strictObject({ caseId: CaseIdSchema });
const caseReply = (description: string, status: 200 | 201 = 200) => ({ status, description: `${description}; ETag header`, schema: CaseWithEntriesSchema });

export const caseRoutes = {
  openCase: defineRoute({
    operationId: 'openAccountabilityCase',
    tag,
    method: 'POST',
    path: '/v1/accountability/cases',
    summary: 'A supervisor or finance opens a case by hand: about a spending object (objectId) or a free subject (with the department concerned), with the reason',
    auth: 'jwt',
    roles: readers,
    body: z.strictObject({
      objectId: z.optional(ObjectIdSchema),
      subject: z.optional(text(200)),
      department: z.optional(codeValue('department')),
      fiscalYear: z.optional(fiscalYear()),
      reason: text(2000),
    }),
    idempotent: true,
    response: caseReply('The case with its first entry', 201),
  }),
  listCases: defineRoute({
    operationId: 'listAccountabilityCases',
    tag,
    method: 'GET',
    path: '/v1/accountability/cases',
    summary: "The region's cases, newest first: of a fiscal year (by department), or across years; filters status and rule",
    auth: 'jwt',
    roles: readers,
    query: z.strictObject({
      ...listQuery.shape,
      year: z.optional(fiscalYearParam()),
      status: z.optional(z.enum(CASE_STATUSES)),
      department: z.optional(codeValue('department')),
      rule: z.optional(CaseRuleSchema),
    }),
    response: { status: 200, description: 'One page', schema: pageOf(CaseSchema) },
  }),
  getCase: defineRoute({
    operationId: 'getAccountabilityCase',
    tag,
    method: 'GET',
    path: '/v1/accountability/cases/{caseId}',
    summary: 'A case with every entry of its chained record, oldest first',
    auth: 'jwt',
    roles: readers,
    params: caseParams,
    response: caseReply('The case'),
    problems: [404],
  }),
  addCaseEntry: defineRoute({
    operationId: 'addAccountabilityCaseEntry',
    tag,
    method: 'POST',
    path: '/v1/accountability/cases/{caseId}/entries',
    summary: 'Add a note or evidence to an open or decided case (appended to its chain)',
    auth: 'jwt',
    roles: readers,
    params: caseParams,
    body: z.strictObject({ type: z.enum(['note', 'evidence'] as const satisfies readonly (typeof CASE_ENTRY_TYPES)[number][]), text: text(5000), attachments: z.optional(attachments) }),
    response: caseReply('The case with the new entry', 201),
    problems: [404, 409],
  }),
  decideCase: defineRoute({
    operationId: 'decideAccountabilityCase',
    tag,
    method: 'POST',
    path: '/v1/accountability/cases/{caseId}/decision',
    summary: 'Finance decides an open case: the outcome (no action, 约谈, 通报批评, 收回资金 and 扣减预算 with the amount, 移送纪检监察 naming the organ) and its reasons; emits AccountabilityCaseDecided. If-Match',
    auth: 'jwt',
    roles: ['finance'],
    params: caseParams,
    body: z.strictObject({ outcome: CaseOutcomeSchema, reasons, amountWan: z.optional(wan), referredTo: z.optional(text(200)) }),
    requiresIfMatch: true,
    response: caseReply('The decided case'),
    problems: [404, 409],
  }),
  closeCase: defineRoute({
    operationId: 'closeAccountabilityCase',
    tag,
    method: 'POST',
    path: '/v1/accountability/cases/{caseId}/close',
    summary: 'Finance closes a case: a decided one, or an open one with the reasons nothing is decided. If-Match',
    auth: 'jwt',
    roles: ['finance'],
    params: caseParams,
    body: z.strictObject({ reasons: z.optional(reasons) }),
    requiresIfMatch: true,
    response: caseReply('The closed case'),
    problems: [404, 409],
  }),
  verifyCase: defineRoute({
    operationId: 'verifyAccountabilityCase',
    tag,
    method: 'GET',
    path: '/v1/accountability/cases/{caseId}/verify',
    summary: "Recomputes the case's hash chain from its stored entries, checks each entry's keyed MAC and the latest checkpoint: valid, or the first entry (seq) that was altered, removed, reordered or rewritten",
    auth: 'jwt',
    roles: readers,
    params: caseParams,
    response: { status: 200, description: 'The verification', schema: VerificationSchema },
    problems: [404],
  }),
};
