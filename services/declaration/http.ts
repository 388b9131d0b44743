/** HTTP routes of the declaration service: request and response schemas, roles. */
import * as z from 'zod/mini';
import { RegionCodeSchema } from '../../events/envelope.ts';
import { AmountsSchema, ExAnteConclusionSchema, ReviewGradeSchema, TargetSnapshotSchema, TargetRowSchema, OverallGoalSchema, RegionalTargetsSchema } from '../../events/declaration.ts';
import { BasisSchema, LEVEL1, Level1Schema, Level2Schema, OperatorSchema, SpendingTypeSchema } from '../../events/vocabulary.ts';
import { rulesRouteSpecs } from '../../shared/http/rules-routes.ts';
import { defineRoute } from '../../shared/http/route.ts';
import { listQuery, pageOf } from '../../shared/http/schemas.ts';
import { FINDING_CODES } from './domain/target-check.ts';
import { OBJECT_STATUSES } from './domain/spending-object.ts';

const text = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));
const year = z.number().check(z.int('must be a whole year'), z.minimum(2000), z.maximum(2100));
const yearParam = z.coerce.number().check(z.int('must be a whole year'), z.minimum(2000), z.maximum(2100));
/** 万元, at most 10 billion 万元, to the fen: 1 fen = 0.000001 万元 (6 decimals). */
const wan = z.number().check(z.minimum(0, 'must be 0 or more'), z.maximum(1e10), z.multipleOf(0.000001, 'must be in 万元 with at most 6 decimals (to the fen)'));

export const SectorCodeSchema = z.string().check(z.regex(/^[a-z][a-z0-9_]{1,39}$/, 'must be a sector code such as education'));
export const ObjectIdSchema = z.string().check(z.regex(/^obj_[a-z0-9]{10,40}$/, 'must be a spending object id (obj_...)'));
const IndicatorIdSchema = z.string().check(z.regex(/^ind_[a-z0-9]{10,40}$/, 'must be an indicator id (ind_...)'));
const RowIdSchema = z.string().check(z.regex(/^r_[a-z0-9]{4,20}$/, 'must be a row id (r_...) from an earlier read, or left out'));

export const ObjectIdParams = z.strictObject({ id: ObjectIdSchema });

const PeriodSchema = z.strictObject({ startYear: year, endYear: year });

const declarationShape = {
  name: text(200),
  fiscalYear: year,
  sector: SectorCodeSchema,
  lifecycle: z.enum(['new', 'continuing']),
  proposedForRenewal: z.optional(z.boolean()),
  period: z.optional(PeriodSchema),
  amounts: z.strictObject({ mediumTermTotalWan: z.optional(wan), annualTotalWan: wan, fiscalWan: wan, otherWan: wan }),
  continues: z.optional(ObjectIdSchema),
  receivingRegions: z.optional(z.array(z.strictObject({ region: RegionCodeSchema, amountWan: wan })).check(z.minLength(1), z.maxLength(200))),
  description: z.optional(text(2000)),
};

export const ObjectDraftSchema = z.strictObject({ spendingType: SpendingTypeSchema, ...declarationShape });
export const ObjectChangesSchema = z.partial(z.strictObject(declarationShape));

const ReviewRecordSchema = z.object({ stage: z.enum(['department', 'finance']), grade: ReviewGradeSchema, comments: z.optional(z.string()), by: z.string(), at: z.string() });
const RejectionSchema = z.object({
  stage: z.enum(['check', 'department_review', 'finance_review', 'results_gate']),
  outcome: z.enum(['returned', 'rejected']),
  reasons: z.array(z.object({ code: z.string(), message: z.string(), row: z.optional(z.number()), region: z.optional(z.string()) })),
  grade: z.optional(ReviewGradeSchema),
  at: z.string(),
});
const ExAnteScoresSchema = z.strictObject({
  necessity: z.number().check(z.minimum(0), z.maximum(20)),
  economy: z.number().check(z.minimum(0), z.maximum(20)),
  targetReasonableness: z.number().check(z.minimum(0), z.maximum(20)),
  feasibility: z.number().check(z.minimum(0), z.maximum(20)),
  financingCompliance: z.number().check(z.minimum(0), z.maximum(20)),
});
const ExAnteRecordSchema = z.object({
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
      previousAnnualTotalWan: z.optional(z.number()),
      decidedAt: z.string(),
      decidedBy: z.string(),
    }),
  ),
  revision: z.optional(
    z.object({ number: z.number(), stage: z.enum(['department_review', 'finance_review']), reason: z.string(), reviews: z.array(ReviewRecordSchema), submittedAt: z.string(), submittedBy: z.string() }),
  ),
  revisions: z.number(),
  rulesVersion: z.optional(z.number()),
  createdAt: z.string(),
  createdBy: z.string(),
  updatedAt: z.string(),
  approvedAt: z.optional(z.string()),
});

const RowInputSchema = z.strictObject({
  rowId: z.optional(RowIdSchema),
  indicatorId: z.optional(IndicatorIdSchema),
  /** Accepted so a row read back can be sent as is; the library's current revision is what counts. */
  indicatorRevision: z.optional(z.number().check(z.int(), z.positive())),
  level1: z.optional(Level1Schema),
  level2: z.optional(Level2Schema),
  name: z.optional(text(200)),
  operator: z.optional(OperatorSchema),
  value: z.optional(z.union([z.number().check(z.minimum(-1e12), z.maximum(1e12)), text(200)])),
  unit: z.optional(z.string().check(z.trim(), z.maxLength(20))),
  basis: z.optional(BasisSchema),
  weight: z.optional(z.number().check(z.minimum(0), z.maximum(100))),
  explanation: z.optional(text(2000)),
});
// Work in progress may be saved without the annual goal; the check (and so submit) asks for it.
const OverallGoalInputSchema = z.strictObject({ mediumTerm: z.optional(text(2000)), annual: z.string().check(z.trim(), z.maxLength(2000)) });

export const TargetsInputSchema = z.strictObject({
  overallGoal: OverallGoalInputSchema,
  rows: z.array(RowInputSchema).check(z.maxLength(200)),
  regional: z.optional(z.array(z.strictObject({ region: RegionCodeSchema, overallGoal: OverallGoalInputSchema, rows: z.array(RowInputSchema).check(z.maxLength(200)) })).check(z.maxLength(200))),
});

export const TargetsSchema = z.object({
  objectId: z.string(),
  overallGoal: OverallGoalSchema,
  rows: z.array(TargetRowSchema),
  regional: z.optional(z.array(RegionalTargetsSchema)),
  updatedAt: z.string(),
  updatedBy: z.string(),
  /** The object's version (its ETag) after this write. */
  objectVersion: z.number(),
});

const FindingSchema = z.object({
  code: z.enum(FINDING_CODES),
  severity: z.enum(['error', 'warning']),
  row: z.optional(z.number()),
  region: z.optional(z.string()),
  message: z.string(),
});

export const CheckResultSchema = z.object({
  passes: z.boolean(),
  findings: z.array(FindingSchema),
  /** Other reasons the object would be kept out if submitted now (ex-ante). */
  blockers: z.array(z.object({ code: z.string(), message: z.string() })),
  exAnte: z.object({ required: z.boolean(), reason: z.string() }),
  rules: z.object({ region: z.string(), fiscalYear: z.number(), version: z.number() }),
});

export const HistoryEntrySchema = z.object({
  at: z.string(),
  actor: z.object({ sub: z.string(), role: z.string() }),
  action: z.string(),
  from: z.optional(z.string()),
  to: z.string(),
  version: z.number(),
  reason: z.optional(z.string()),
  grade: z.optional(ReviewGradeSchema),
  revision: z.optional(z.number()),
  targetVersion: z.optional(z.number()),
});

const ExAnteCutoffsSchema = z.strictObject({ support: z.number().check(z.minimum(0), z.maximum(100)), supportAfterAdjustment: z.number().check(z.minimum(0), z.maximum(100)) });
const GradeLabelsSchema = z.strictObject({ excellent: text(10), good: text(10), fair: text(10), poor: text(10) });

export const RulesInputSchema = z.strictObject({
  exAnteRenewalThresholdYuan: z.number().check(z.minimum(0), z.maximum(1e13)),
  exAnteCutoffs: ExAnteCutoffsSchema,
  requiredLevel1: z.array(z.enum(LEVEL1)).check(z.maxLength(4)),
  costRequired: z.boolean(),
  minQuantitativeShare: z.number().check(z.minimum(0), z.maximum(1)),
  weightsRequired: z.boolean(),
  reservedWeight: z.number().check(z.minimum(0), z.maximum(99)),
  farBelowHistoryFactor: z.number().check(z.minimum(0), z.maximum(1)),
  gradeLabels: GradeLabelsSchema,
});


const readers = ['unit', 'department', 'finance', 'supervisor'] as const;
const tag = 'declaration';
const objectResponse = (description: string) => ({ status: 200 as const, description: `${description}; ETag header`, schema: SpendingObjectSchema });

export const routes = {
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
      year: yearParam,
      status: z.optional(z.enum(OBJECT_STATUSES)),
      spendingType: z.optional(SpendingTypeSchema),
      department: z.optional(z.string().check(z.minLength(1), z.maxLength(64))),
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
  putExAnte: defineRoute({
    operationId: 'putExAnteAssessment',
    tag,
    method: 'PUT',
    path: '/v1/declaration/objects/{id}/ex-ante',
    summary: 'Record the ex-ante assessment (competent department or finance; only finance may override the conclusion), emits ExAnteAssessed',
    auth: 'jwt',
    roles: ['department', 'finance'],
    params: ObjectIdParams,
    body: z.strictObject({
      scores: ExAnteScoresSchema,
      recommendedCeilingWan: wan,
      override: z.optional(z.strictObject({ conclusion: ExAnteConclusionSchema, reason: text(1000) })),
    }),
    requiresIfMatch: true,
    response: objectResponse('The object with its assessment'),
    problems: [404],
  }),
  getExAnte: defineRoute({
    operationId: 'getExAnteAssessment',
    tag,
    method: 'GET',
    path: '/v1/declaration/objects/{id}/ex-ante',
    summary: 'Whether an ex-ante assessment is required (and why) and the one recorded',
    auth: 'jwt',
    roles: readers,
    params: ObjectIdParams,
    response: { status: 200, description: 'Requirement and assessment', schema: z.object({ required: z.boolean(), reason: z.string(), assessment: z.optional(ExAnteRecordSchema) }) },
    problems: [404],
  }),
  putTargets: defineRoute({
    operationId: 'putTargets',
    tag,
    method: 'PUT',
    path: '/v1/declaration/objects/{id}/targets',
    summary: 'Write the performance targets: overall goal and indicator rows (library or individual); transfer payments also per receiving region',
    auth: 'jwt',
    roles: ['unit'],
    params: ObjectIdParams,
    body: TargetsInputSchema,
    requiresIfMatch: true,
    response: { status: 200, description: "The stored targets; ETag header (the object's)", schema: TargetsSchema },
    problems: [404],
  }),
  getTargets: defineRoute({
    operationId: 'getTargets',
    tag,
    method: 'GET',
    path: '/v1/declaration/objects/{id}/targets',
    summary: 'The working targets (for an approved object, the approved ones)',
    auth: 'jwt',
    roles: readers,
    params: ObjectIdParams,
    response: { status: 200, description: 'The targets', schema: TargetsSchema },
    problems: [404],
  }),
  checkTargets: defineRoute({
    operationId: 'checkTargets',
    tag,
    method: 'GET',
    path: '/v1/declaration/objects/{id}/targets/check',
    summary: 'Run the automatic target check without submitting: every finding with its code, severity and how to fix it',
    auth: 'jwt',
    roles: readers,
    params: ObjectIdParams,
    response: { status: 200, description: 'The check result', schema: CheckResultSchema },
    problems: [404],
  }),
  listTargetVersions: defineRoute({
    operationId: 'listTargetVersions',
    tag,
    method: 'GET',
    path: '/v1/declaration/objects/{id}/targets/versions',
    summary: 'Every approved target version (1 = first approval, then one per approved mid-year revision), oldest first',
    auth: 'jwt',
    roles: readers,
    params: ObjectIdParams,
    query: listQuery,
    response: { status: 200, description: 'One page of snapshots', schema: pageOf(TargetSnapshotSchema) },
    problems: [404],
  }),
  getTargetVersion: defineRoute({
    operationId: 'getTargetVersion',
    tag,
    method: 'GET',
    path: '/v1/declaration/objects/{id}/targets/versions/{version}',
    summary: 'One approved target version',
    auth: 'jwt',
    roles: readers,
    params: z.strictObject({ id: ObjectIdSchema, version: z.coerce.number().check(z.int('must be a whole number'), z.minimum(1)) }),
    response: { status: 200, description: 'The snapshot', schema: TargetSnapshotSchema },
    problems: [404],
  }),
  submit: defineRoute({
    operationId: 'submitDeclaration',
    tag,
    method: 'POST',
    path: '/v1/declaration/objects/{id}/submit',
    summary:
      'Submit the targets: the automatic check and the ex-ante gate run; passing goes to the competent department (DeclarationSubmitted), failing returns it to the unit with every reason (TargetRejected)',
    auth: 'jwt',
    roles: ['unit'],
    params: ObjectIdParams,
    requiresIfMatch: true,
    response: objectResponse('The object: department_review, or returned with lastRejection.reasons'),
    problems: [404],
  }),
  review: defineRoute({
    operationId: 'reviewDeclaration',
    tag,
    method: 'POST',
    path: '/v1/declaration/objects/{id}/reviews',
    summary:
      'Grade the targets under review (the department first, then finance): 优/良 pass, 中 returns them for revision, 差 rejects; finance passing approves (TargetApproved) — or, for a mid-year revision, TargetRevised',
    auth: 'jwt',
    roles: ['department', 'finance'],
    params: ObjectIdParams,
    body: z.strictObject({ grade: ReviewGradeSchema, comments: z.optional(text(2000)) }),
    requiresIfMatch: true,
    response: objectResponse('The object after the review'),
    problems: [404],
    problemDescriptions: { 409: 'Not under review, or the results gate needs a finance decision first, or someone else reviewed at the same time' },
  }),
  submitRevision: defineRoute({
    operationId: 'submitTargetRevision',
    tag,
    method: 'POST',
    path: '/v1/declaration/objects/{id}/revisions',
    summary: 'Propose a mid-year revision of approved targets, with the reason; it is reviewed like a declaration while the approved targets stand',
    auth: 'jwt',
    roles: ['unit'],
    params: ObjectIdParams,
    body: z.strictObject({ targets: TargetsInputSchema, reason: text(1000) }),
    requiresIfMatch: true,
    response: objectResponse('The object with the revision under review'),
    problems: [404, 422],
    problemDescriptions: { 422: 'The revised targets fail the automatic check: `findings` lists each one' },
  }),
  getRevision: defineRoute({
    operationId: 'getProposedRevision',
    tag,
    method: 'GET',
    path: '/v1/declaration/objects/{id}/revisions/current',
    summary: 'The revised targets under review, if any',
    auth: 'jwt',
    roles: readers,
    params: ObjectIdParams,
    response: { status: 200, description: 'The proposed targets', schema: TargetsSchema },
    problems: [404],
  }),
  decideResults: defineRoute({
    operationId: 'decideResults',
    tag,
    method: 'POST',
    path: '/v1/declaration/objects/{id}/results-decision',
    summary: "Finance's decision on a continuing object whose last evaluation was graded 差: cut (with the new annual total), cancel, or keep with a reason",
    auth: 'jwt',
    roles: ['finance'],
    params: ObjectIdParams,
    body: z.strictObject({ decision: z.enum(['cut', 'cancel', 'keep']), reason: text(1000), annualTotalWan: z.optional(wan) }),
    requiresIfMatch: true,
    response: objectResponse('The object with the decision'),
    problems: [404],
  }),
  history: defineRoute({
    operationId: 'getDeclarationHistory',
    tag,
    method: 'GET',
    path: '/v1/declaration/objects/{id}/history',
    summary: 'Every change of the object: who, when, from which status to which, why',
    auth: 'jwt',
    roles: readers,
    params: ObjectIdParams,
    query: listQuery,
    response: { status: 200, description: 'One page, oldest first', schema: pageOf(HistoryEntrySchema) },
    problems: [404],
  }),
  library: defineRoute({
    operationId: 'getProjectLibrary',
    tag,
    method: 'GET',
    path: '/v1/declaration/library',
    summary: 'The project library of a fiscal year: approved objects with their targets, as far as the caller may see',
    auth: 'jwt',
    roles: readers,
    query: z.strictObject({ ...listQuery.shape, year: yearParam, spendingType: z.optional(SpendingTypeSchema), department: z.optional(z.string().check(z.minLength(1), z.maxLength(64))) }),
    response: { status: 200, description: 'One page', schema: pageOf(SpendingObjectSchema) },
  }),
  ...rulesRouteSpecs({ service: 'declaration', name: 'Declaration', noun: 'declaration rule parameters', input: RulesInputSchema }),
};
