/**
 * Routes of spending objects: declare, list, read and edit. Also the schemas every area of the
 * declaration API shares (ids, amounts, the object as the API returns it).
 */
import * as z from 'zod/mini';
import { RegionCodeSchema } from '../../../events/envelope.ts';
import { AmountsSchema, ExAnteConclusionSchema, ReviewCriteriaSchema, ReviewGradeSchema, ReviewRecordSchema } from '../../../events/declaration.ts';
import { SpendingTypeSchema } from '../../../events/vocabulary.ts';
import { fiscalYear, fiscalYearParam, prefixedId, text } from '../../../shared/pure/fields.ts';
import { defineRoute } from '../../../shared/http/route.ts';
import { listQuery, pageOf } from '../../../shared/http/schemas.ts';
import { OBJECT_STATUSES } from '../domain/spending-object.ts';

/** 万元, at most 10 billion 万元, to the fen: 1 fen = 0.000001 万元 (6 decimals). */
export const wan = z.number().check(z.minimum(0, 'must be 0 or more'), z.maximum(1e10), z.multipleOf(0.000001, 'must be in 万元 with at most 6 decimals (to the fen)'));

export const SectorCodeSchema = z.string().check(z.regex(/^[a-z][a-z0-9_]{1,39}$/, 'must be a sector code such as education'));
export const ObjectIdSchema = prefixedId('obj', 'a spending object id');

export const ObjectIdParams = z.strictObject({ id: ObjectIdSchema });

const PeriodSchema = z.strictObject({ startYear: fiscalYear(), endYear: fiscalYear() });

/** This year's money as a unit declares it, 万元: fiscal + other = annual total (checked by the domain). */
export const AmountsInputSchema = z.strictObject({ mediumTermTotalWan: z.optional(wan), annualTotalWan: wan, fiscalWan: wan, otherWan: wan });
/** A transfer payment's receiving regions and their shares, 万元. */
export const ReceivingRegionsInputSchema = z.array(z.strictObject({ region: RegionCodeSchema, amountWan: wan })).check(z.minLength(1), z.maxLength(200));

const declarationShape = {
  name: text(200),
  fiscalYear: fiscalYear(),
  sector: SectorCodeSchema,
  lifecycle: z.enum(['new', 'continuing']),
  proposedForRenewal: z.optional(z.boolean()),
  period: z.optional(PeriodSchema),
  amounts: AmountsInputSchema,
  continues: z.optional(ObjectIdSchema),
  receivingRegions: z.optional(ReceivingRegionsInputSchema),
  description: z.optional(text(2000)),
};

export const ObjectDraftSchema = z.strictObject({ spendingType: SpendingTypeSchema, ...declarationShape });
export const ObjectChangesSchema = z.partial(z.strictObject(declarationShape));

const RejectionSchema = z.object({
  stage: z.enum(['check', 'department_review', 'finance_review', 'results_gate']),
  outcome: z.enum(['returned', 'rejected']),
  reasons: z.array(z.object({ code: z.string(), message: z.string(), row: z.optional(z.number()), region: z.optional(z.string()) })),
  grade: z.optional(ReviewGradeSchema),
  score: z.optional(z.number()),
  criteria: z.optional(ReviewCriteriaSchema),
  at: z.string(),
});
export const ExAnteScoresSchema = z.strictObject({
  necessity: z.number().check(z.minimum(0), z.maximum(20)),
  economy: z.number().check(z.minimum(0), z.maximum(20)),
  targetReasonableness: z.number().check(z.minimum(0), z.maximum(20)),
  feasibility: z.number().check(z.minimum(0), z.maximum(20)),
  financingCompliance: z.number().check(z.minimum(0), z.maximum(20)),
});
export const ExAnteRecordSchema = z.object({
  scores: ExAnteScoresSchema,
  total: z.number(),
  computedConclusion: ExAnteConclusionSchema,
  conclusion: ExAnteConclusionSchema,
  override: z.optional(z.object({ conclusion: ExAnteConclusionSchema, reason: z.string() })),
  requestedAmountWan: z.number(),
  recommendedCeilingWan: z.number(),
  assessedAt: z.string(),
  assessedBy: z.string(),
  assessorRole: z.string(),
});
export const SpendingObjectSchema = z.object({
  id: z.string(),
  version: z.number(),
  spendingType: SpendingTypeSchema,
  name: z.string(),
  region: RegionCodeSchema,
  department: z.string(),
  unit: z.string(),
  fiscalYear: z.number(),
  sector: z.string(),
  lifecycle: z.enum(['new', 'continuing']),
  proposedForRenewal: z.boolean(),
  period: z.optional(z.object({ startYear: z.number(), endYear: z.number() })),
  amounts: AmountsSchema,
  continues: z.optional(z.string()),
  receivingRegions: z.optional(z.array(z.object({ region: z.string(), amountWan: z.number() }))),
  description: z.optional(z.string()),
  status: z.enum(OBJECT_STATUSES),
  submissions: z.number(),
  targetVersion: z.number(),
  reviews: z.array(ReviewRecordSchema),
  lastRejection: z.optional(RejectionSchema),
  exAnte: z.optional(ExAnteRecordSchema),
  resultsDecision: z.optional(
    z.object({
      decision: z.enum(['cut', 'cancel', 'keep']),
      reason: z.string(),
      previousGrade: ReviewGradeSchema,
      /** Orders of the continued object not rectified or rectified late when finance decided. */
      unrectified: z.optional(z.number()),
      previousAnnualTotalWan: z.optional(z.number()),
      decidedAt: z.string(),
      decidedBy: z.string(),
    }),
  ),
  revision: z.optional(
    z.object({
      number: z.number(),
      stage: z.enum(['department_review', 'finance_review']),
      reason: z.string(),
      /** The money the revision changes with the targets, effective on approval. */
      amountChange: z.optional(z.object({ amounts: AmountsSchema, receivingRegions: z.optional(z.array(z.object({ region: z.string(), amountWan: z.number() }))), reason: z.string() })),
      reviews: z.array(ReviewRecordSchema),
      submittedAt: z.string(),
      submittedBy: z.string(),
    }),
  ),
  revisions: z.number(),
  rulesVersion: z.optional(z.number()),
  createdAt: z.string(),
  createdBy: z.string(),
  updatedAt: z.string(),
  approvedAt: z.optional(z.string()),
});

/** Roles that read declarations (each within its own scope). */
export const readers = ['unit', 'department', 'finance', 'supervisor'] as const;
export const tag = 'declaration';
export const objectResponse = (description: string) => ({ status: 200 as const, description: `${description}; ETag header`, schema: SpendingObjectSchema });
/** The department filter of the object lists. */
export const departmentFilter = () => z.optional(z.string().check(z.minLength(1), z.maxLength(64)));

export const objectRoutes = {
  createObject: defineRoute({
    operationId: 'createSpendingObject',
    tag,
    method: 'POST',
    path: '/v1/declaration/objects',
    summary: "Declare a spending object (project, department overall spending, transfer payment) for the caller's own unit",
    auth: 'jwt',
    roles: ['unit'],
    body: ObjectDraftSchema,
    idempotent: true,
    response: { status: 201, description: 'The draft object; ETag header', schema: SpendingObjectSchema },
    problems: [409],
    problemDescriptions: { 409: 'The department already has its overall spending object for that year' },
  }),
  listObjects: defineRoute({
    operationId: 'listSpendingObjects',
    tag,
    method: 'GET',
    path: '/v1/declaration/objects',
    summary: "Spending objects of a fiscal year the caller may see (a unit its own, a department its units', finance and supervisors the region's), by owner",
    auth: 'jwt',
    roles: readers,
    query: z.strictObject({
      ...listQuery.shape,
      year: fiscalYearParam(),
      status: z.optional(z.enum(OBJECT_STATUSES)),
      spendingType: z.optional(SpendingTypeSchema),
      department: departmentFilter(),
    }),
    response: { status: 200, description: 'One page', schema: pageOf(SpendingObjectSchema) },
  }),
  getObject: defineRoute({
    operationId: 'getSpendingObject',
    tag,
    method: 'GET',
    path: '/v1/declaration/objects/{id}',
    summary: 'Read a spending object: status, reviews, the reasons of its last return or rejection',
    auth: 'jwt',
    roles: readers,
    params: ObjectIdParams,
    response: objectResponse('The object'),
    problems: [404],
  }),
  editObject: defineRoute({
    operationId: 'editSpendingObject',
    tag,
    method: 'PATCH',
    path: '/v1/declaration/objects/{id}',
    summary: 'Change what was declared, while the object is a draft or returned',
    auth: 'jwt',
    roles: ['unit'],
    params: ObjectIdParams,
    body: ObjectChangesSchema,
    requiresIfMatch: true,
    response: objectResponse('The object'),
    problems: [404],
  }),
};
