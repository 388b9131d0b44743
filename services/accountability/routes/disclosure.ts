/**
 * Routes of public disclosure (信息公开): finance discloses an object's approved targets, its
 * self-evaluation result, its key evaluation or a published assessment, and may withdraw it; the
 * public reads what is currently disclosed without a token.
 */
import * as z from 'zod/mini';
import { DisclosureKindSchema } from '../../../events/accountability-disclosure.ts';
import { fiscalYearParam, prefixedId, text } from '../../../shared/pure/fields.ts';
import { defineRoute } from '../../../shared/http/route.ts';
import { listQuery, pageOf } from '../../../shared/http/schemas.ts';

const tag = 'accountability-disclosure';
const departmentQuery = z.string().check(z.regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be a department code (letters, digits, _ . -)'));
const DisclosureIdSchema = prefixedId('dsc', 'a disclosure id');

const value = z.optional(z.union([z.number(), z.string()]));
const PublicObjectSchema = z.object({ id: z.string(), name: z.string(), type: z.string(), fiscalYear: z.number(), department: z.string() });
const TargetRowSchema = z.object({ level1: z.string(), level2: z.string(), name: z.string(), operator: z.string(), value, unit: z.optional(z.string()) });
const GoalSchema = z.object({ mediumTerm: z.optional(z.string()), annual: z.string() });

/** The public projection of each kind (domain/disclosure.ts): nothing personal or internal. */
export const ProjectionSchema = z.union([
  z.object({
    kind: z.literal('targets'),
    object: PublicObjectSchema,
    targetVersion: z.number(),
    amounts: z.object({ mediumTermTotalWan: z.optional(z.number()), annualTotalWan: z.number(), fiscalWan: z.number(), otherWan: z.number() }),
    overallGoal: GoalSchema,
    rows: z.array(TargetRowSchema),
    regional: z.optional(z.array(z.object({ region: z.string(), amountWan: z.number(), overallGoal: GoalSchema, rows: z.array(TargetRowSchema) }))),
    approvedAt: z.string(),
  }),
  z.object({
    kind: z.enum(['self_evaluation', 'key_evaluation']),
    object: PublicObjectSchema,
    basis: z.enum(['self', 'finance_review', 'key']),
    totalScore: z.number(),
    grade: z.enum(['excellent', 'good', 'fair', 'poor']),
    gradeLabel: z.string(),
    indicatorResults: z.array(
      z.object({ name: z.string(), level1: z.string(), level2: z.string(), operator: z.string(), unit: z.optional(z.string()), target: value, actual: value, weight: z.number(), score: z.number() }),
    ),
    completedAt: z.string(),
  }),
  z.object({
    kind: z.literal('assessment'),
    fiscalYear: z.number(),
    assessee: z.object({ type: z.string(), code: z.string(), name: z.string() }),
    indicators: z.array(z.object({ code: z.optional(z.string()), name: z.string(), weight: z.optional(z.number()), score: z.optional(z.nullable(z.number())), source: z.optional(z.string()) })),
    total: z.number(),
    grade: z.optional(z.string()),
    gradeLabel: z.optional(z.string()),
    rank: z.optional(z.number()),
    publishedAt: z.optional(z.string()),
  }),
]);

export const PublicDisclosureSchema = z.object({
  id: z.string(),
  kind: DisclosureKindSchema,
  fiscalYear: z.number(),
  department: z.string(),
  title: z.string(),
  publishedAt: z.string(),
  content: ProjectionSchema,
});

const DisclosureRecordSchema = z.object({
  ...PublicDisclosureSchema.shape,
  sourceId: z.string(),
  region: z.string(),
  status: z.enum(['published', 'withdrawn']),
  version: z.number(),
  publishedBy: z.string(),
  withdrawnAt: z.optional(z.string()),
  withdrawnBy: z.optional(z.string()),
  withdrawReason: z.optional(z.string()),
});

export const disclosureRoutes = {
  createDisclosure: defineRoute({
    operationId: 'createDisclosure',
    tag,
    method: 'POST',
    path: '/v1/accountability/disclosures',
    summary: "Disclose to the public an object's approved targets (latest approved version), its self-evaluation result, its key evaluation, or a published assessment; the public projection is frozen at this moment",
    auth: 'jwt',
    roles: ['finance'],
    body: z.strictObject({ kind: DisclosureKindSchema, objectId: z.optional(text(64)), assessmentId: z.optional(text(64)) }),
    idempotent: true,
    response: { status: 201, description: 'The disclosure record (Location header: its public URL)', schema: DisclosureRecordSchema },
    problems: [404, 409, 422],
    problemDescriptions: {
      404: 'The object or assessment does not exist in this region',
      409: 'Already disclosed (the live disclosure is named), or the source is not approved / completed / published yet',
    },
  }),
  listDisclosures: defineRoute({
    operationId: 'listDisclosures',
    tag,
    method: 'GET',
    path: '/v1/accountability/disclosures',
    summary: 'Every disclosure of the region, newest first, withdrawn ones included (with who withdrew it and why)',
    auth: 'jwt',
    roles: ['finance', 'supervisor'],
    query: z.strictObject({ ...listQuery.shape, kind: z.optional(DisclosureKindSchema), year: z.optional(fiscalYearParam()), status: z.optional(z.enum(['published', 'withdrawn'])) }),
    response: { status: 200, description: 'One page', schema: pageOf(DisclosureRecordSchema) },
  }),
  withdrawDisclosure: defineRoute({
    operationId: 'withdrawDisclosure',
    tag,
    method: 'POST',
    path: '/v1/accountability/disclosures/{disclosureId}/withdraw',
    summary: 'Withdraw a disclosure, with the reason: it leaves the public view at once; the record stays for audit and the source may be disclosed again',
    auth: 'jwt',
    roles: ['finance'],
    params: z.strictObject({ disclosureId: DisclosureIdSchema }),
    body: z.strictObject({ reason: text(2000) }),
    response: { status: 200, description: 'The withdrawn disclosure record', schema: DisclosureRecordSchema },
    problems: [404, 409],
  }),
  listPublicDisclosures: defineRoute({
    operationId: 'listPublicDisclosures',
    tag,
    method: 'GET',
    path: '/v1/accountability/public/disclosures',
    summary: 'Public (no token): what is currently disclosed, filtered by kind, year and department; ordered by year (latest first), kind, department, then newest first',
    auth: 'none',
    query: z.strictObject({ ...listQuery.shape, kind: z.optional(DisclosureKindSchema), year: z.optional(fiscalYearParam()), department: z.optional(departmentQuery) }),
    response: { status: 200, description: 'One page', schema: pageOf(PublicDisclosureSchema) },
  }),
  getPublicDisclosure: defineRoute({
    operationId: 'getPublicDisclosure',
    tag,
    method: 'GET',
    path: '/v1/accountability/public/disclosures/{disclosureId}',
    summary: 'Public (no token): one currently disclosed record; 404 for anything else, withdrawn disclosures included',
    auth: 'none',
    // Any text up to 200 characters: whatever is not a live disclosure id is a 404, not a 400.
    params: z.strictObject({ disclosureId: z.string().check(z.minLength(1), z.maxLength(200)) }),
    response: { status: 200, description: 'The disclosure', schema: PublicDisclosureSchema },
    problems: [404],
  }),
};
