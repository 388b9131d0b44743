/** HTTP routes of the evaluation service: request and response schemas, roles. */
import * as z from 'zod/mini';
import { ObjectRefSchema } from '../../events/declaration.ts';
import { GradeSchema } from '../../events/evaluation.ts';
import { Level1Schema, Level2Schema, OperatorSchema } from '../../events/vocabulary.ts';
import { rulesRouteSpecs } from '../../shared/http/rules-routes.ts';
import { defineRoute } from '../../shared/http/route.ts';
import { listQuery, pageOf } from '../../shared/http/schemas.ts';
import { ISSUE_CODES } from './domain/scoring.ts';

const text = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));
const yearParam = z.coerce.number().check(z.int('must be a whole year'), z.minimum(2000), z.maximum(2100));
const year = z.number().check(z.int('must be a whole year'), z.minimum(2000), z.maximum(2100));
const wan = z.number().check(z.minimum(0, 'must be 0 or more'), z.maximum(1e10), z.multipleOf(0.000001, 'must be in 万元 with at most 6 decimals (to the fen)'));
const points = z.number().check(z.minimum(0), z.maximum(100));
const isoDate = z.string().check(z.regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'must be a date YYYY-MM-DD'));

export const ObjectIdSchema = z.string().check(z.regex(/^obj_[a-z0-9]{10,40}$/, 'must be a spending object id (obj_...)'));
export const SelfEvaluationIdSchema = z.string().check(z.regex(/^sev_[a-z0-9]{10,40}$/, 'must be a self-evaluation id (sev_...)'));
const SampleIdSchema = z.string().check(z.regex(/^smp_[a-z0-9]{10,40}$/, 'must be a sample id (smp_...)'));
const KeyIdSchema = z.string().check(z.regex(/^key_[a-z0-9]{10,40}$/, 'must be a key evaluation id (key_...)'));
const RowIdSchema = z.string().check(z.regex(/^r_[a-z0-9]{4,20}$/, 'must be a row id (r_...) of the evaluation'));

const OverrideSchema = z.strictObject({ score: points, reason: text(500) });
const FindingSchema = z.enum(['met', 'partly', 'not_met']);

export const RowEntrySchema = z.strictObject({
  rowId: RowIdSchema,
  actual: z.optional(z.union([z.number().check(z.minimum(-1e12), z.maximum(1e12)), text(200)])),
  applicable: z.optional(z.boolean()),
  notApplicableReason: z.optional(text(500)),
  finding: z.optional(FindingSchema),
  findingScore: z.optional(points),
  override: z.optional(z.nullable(OverrideSchema)),
  weight: z.optional(points),
  deviationAnalysis: z.optional(text(2000)),
  evidence: z.optional(z.array(text(500)).check(z.maxLength(20))),
});

const FigureSchema = z.object({ text: z.string(), value: z.optional(z.number()), unit: z.optional(z.string()), operator: z.optional(z.string()), note: z.optional(z.string()) });
const IssueSchema = z.object({ code: z.enum(ISSUE_CODES), severity: z.enum(['error', 'warning']), row: z.optional(z.string()), field: z.optional(z.string()), message: z.string() });
const OverrideOutSchema = z.object({ score: z.number(), reason: z.string() });

export const ScoreResultSchema = z.object({
  total: z.number(),
  grade: GradeSchema,
  gradeLabel: z.string(),
  subtotal: z.number(),
  maximum: z.number(),
  scale: z.object({ factor: z.number(), droppedPoints: z.number() }),
  execution: z.nullable(
    z.object({
      budget: z.number(),
      executed: z.number(),
      rate: z.nullable(z.number()),
      points: z.number(),
      computed: z.nullable(z.number()),
      override: z.optional(OverrideOutSchema),
      score: z.number(),
      rescaled: z.optional(z.object({ points: z.number(), score: z.number() })),
      explanation: z.string(),
    }),
  ),
  rows: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      category: z.optional(z.string()),
      operator: OperatorSchema,
      points: z.number(),
      applicable: z.boolean(),
      target: z.optional(FigureSchema),
      actual: z.optional(FigureSchema),
      finding: z.optional(FindingSchema),
      findingScore: z.optional(z.number()),
      computed: z.nullable(z.number()),
      override: z.optional(OverrideOutSchema),
      score: z.nullable(z.number()),
      rescaled: z.optional(z.object({ points: z.number(), score: z.number() })),
      explanation: z.string(),
    }),
  ),
  categories: z.array(z.object({ category: z.string(), points: z.number(), score: z.number() })),
  issues: z.array(IssueSchema),
  explanation: z.array(z.string()),
});

const SelfRowSchema = z.object({
  rowId: z.string(),
  name: z.string(),
  level1: Level1Schema,
  level2: Level2Schema,
  operator: OperatorSchema,
  target: z.optional(z.string()),
  unit: z.optional(z.string()),
  weight: z.number(),
  actual: z.optional(z.union([z.number(), z.string()])),
  applicable: z.optional(z.boolean()),
  notApplicableReason: z.optional(z.string()),
  finding: z.optional(FindingSchema),
  findingScore: z.optional(z.number()),
  override: z.optional(OverrideOutSchema),
  deviationAnalysis: z.optional(z.string()),
  evidence: z.optional(z.array(z.string())),
  indicatorId: z.optional(z.string()),
  indicatorRevision: z.optional(z.number()),
});
const ExecutionEntrySchema = z.object({ budgetWan: z.number(), executedWan: z.optional(z.number()), weight: z.number(), override: z.optional(OverrideOutSchema) });

export const SelfEvaluationSchema = z.object({
  id: z.string(),
  version: z.number(),
  object: ObjectRefSchema,
  targetVersion: z.number(),
  status: z.enum(['draft', 'submitted', 'reviewed']),
  execution: ExecutionEntrySchema,
  rows: z.array(SelfRowSchema),
  result: ScoreResultSchema,
  prefilledFrom: z.object({ targetVersion: z.number(), monitoringWindow: z.optional(z.string()) }),
  sampleId: z.optional(z.string()),
  review: z.optional(
    z.object({
      sampleId: z.optional(z.string()),
      by: z.string(),
      at: z.string(),
      execution: ExecutionEntrySchema,
      rows: z.array(SelfRowSchema),
      result: ScoreResultSchema,
      difference: z.number(),
      flagged: z.boolean(),
      comments: z.optional(z.string()),
    }),
  ),
  createdAt: z.string(),
  createdBy: z.string(),
  updatedAt: z.string(),
  submittedAt: z.optional(z.string()),
  submittedBy: z.optional(z.string()),
});

const entriesBody = {
  executedWan: z.optional(wan),
  executionOverride: z.optional(z.nullable(OverrideSchema)),
  rows: z.array(RowEntrySchema).check(z.maxLength(400)),
};

const SampleSchema = z.object({
  id: z.string(),
  region: z.string(),
  fiscalYear: z.number(),
  seed: z.string(),
  size: z.number(),
  population: z.number(),
  drawn: z.array(z.object({ objectId: z.string(), selfEvaluationId: z.string(), amountWan: z.number() })),
  createdAt: z.string(),
  createdBy: z.string(),
});

const KeyRowInputSchema = z.strictObject({ part: z.enum(['decision', 'process', 'output', 'benefit']), name: text(200), weight: points, score: points, explanation: z.optional(text(2000)) });
export const KeyEvaluationSchema = z.object({
  id: z.string(),
  version: z.number(),
  object: ObjectRefSchema,
  evaluatorType: z.enum(['finance', 'third_party', 'expert_panel', 'department']),
  evaluator: z.string(),
  rows: z.array(z.object({ id: z.string(), part: z.enum(['decision', 'process', 'output', 'benefit']), name: z.string(), weight: z.number(), score: z.number(), explanation: z.optional(z.string()) })),
  total: z.number(),
  grade: GradeSchema,
  problems: z.array(z.string()),
  recommendations: z.array(z.string()),
  rectificationDueDate: z.optional(z.string()),
  feedback: z.optional(z.object({ text: z.string(), by: z.string(), at: z.string() })),
  createdAt: z.string(),
  createdBy: z.string(),
  updatedAt: z.string(),
});

const CoverageSchema = z.object({
  fiscalYear: z.number(),
  approved: z.number(),
  submitted: z.number(),
  missing: z.number(),
  /** Full coverage is the rule: every approved object self-evaluated. */
  complete: z.boolean(),
  byDepartment: z.array(
    z.object({ department: z.string(), approved: z.number(), submitted: z.number(), missing: z.array(z.object({ objectId: z.string(), name: z.string(), unit: z.string() })) }),
  ),
});

const ParamsInputSchema = z.strictObject({
  executionWeight: points,
  categoryWeights: z.strictObject({ output: points, cost: points, benefit: points, satisfaction: points }),
  negativeVariant: z.enum(['ratio', 'linear']),
  exactFallback: z.enum(['positive', 'deviation', 'none']),
  qualitativeBands: z.strictObject({ metFrom: points, partlyFrom: points, sharedEdge: z.enum(['higher', 'both']) }),
  rounding: z.enum(['row', 'total']),
  notApplicable: z.enum(['rescale', 'full_points']),
  weightTolerance: z.number().check(z.minimum(0), z.maximum(5)),
  totalTolerance: z.number().check(z.minimum(0), z.maximum(5)),
  gradeCutoffs: z.strictObject({ excellent: points, good: points, fair: points }),
  gradeLabels: z.strictObject({ excellent: text(10), good: text(10), fair: text(10), poor: text(10) }),
  keyFrame: z.strictObject({ minOutputBenefitShare: z.number().check(z.minimum(0), z.maximum(1)) }),
  reviewFlagPoints: points,
  application: z.strictObject({
    byGrade: z.strictObject(
      Object.fromEntries(
        (['excellent', 'good', 'fair', 'poor'] as const).map((g) => [g, z.strictObject({ recommendation: z.enum(['priority', 'maintain', 'improve', 'cut', 'cancel']), adjustment: z.number().check(z.minimum(-1), z.maximum(1)) })]),
      ) as Record<'excellent' | 'good' | 'fair' | 'poor', z.ZodMiniObject<{ recommendation: z.ZodMiniEnum<{ priority: 'priority'; maintain: 'maintain'; improve: 'improve'; cut: 'cut'; cancel: 'cancel' }>; adjustment: z.ZodMiniNumber<number> }>>,
    ),
    cancelAfterRepeatedPoor: z.boolean(),
  }),
});


const readers = ['unit', 'department', 'finance', 'supervisor'] as const;
const tag = 'evaluation';
const selfReply = (description: string) => ({ status: 200 as const, description: `${description}; ETag header`, schema: SelfEvaluationSchema });

export const routes = {
  createSelfEvaluation: defineRoute({
    operationId: 'createSelfEvaluation',
    tag,
    method: 'POST',
    path: '/v1/evaluation/self-evaluations',
    summary: "Start the self-evaluation of one of the unit's approved objects, pre-filled from the approved targets and the latest monitoring report",
    auth: 'jwt',
    roles: ['unit'],
    body: z.strictObject({ objectId: ObjectIdSchema }),
    idempotent: true,
    response: { status: 201, description: 'The draft with its computed score; ETag header', schema: SelfEvaluationSchema },
    problems: [404, 409],
  }),
  listSelfEvaluations: defineRoute({
    operationId: 'listSelfEvaluations',
    tag,
    method: 'GET',
    path: '/v1/evaluation/self-evaluations',
    summary: 'Self-evaluations of a fiscal year the caller may see, by owner',
    auth: 'jwt',
    roles: readers,
    query: z.strictObject({ ...listQuery.shape, year: yearParam, department: z.optional(z.string().check(z.minLength(1), z.maxLength(64))) }),
    response: { status: 200, description: 'One page', schema: pageOf(SelfEvaluationSchema) },
  }),
  getSelfEvaluation: defineRoute({
    operationId: 'getSelfEvaluation',
    tag,
    method: 'GET',
    path: '/v1/evaluation/self-evaluations/{id}',
    summary: 'A self-evaluation: every row with its score and why, the total, the grade, the issues',
    auth: 'jwt',
    roles: readers,
    params: z.strictObject({ id: SelfEvaluationIdSchema }),
    response: selfReply('The self-evaluation'),
    problems: [404],
  }),
  updateSelfEvaluation: defineRoute({
    operationId: 'updateSelfEvaluation',
    tag,
    method: 'PATCH',
    path: '/v1/evaluation/self-evaluations/{id}',
    summary: 'Enter actual values, findings, not-applicable rows, overrides (with reasons), deviation analysis and evidence; the score is recomputed',
    auth: 'jwt',
    roles: ['unit'],
    params: z.strictObject({ id: SelfEvaluationIdSchema }),
    body: z.strictObject(entriesBody),
    requiresIfMatch: true,
    response: selfReply('The self-evaluation, rescored'),
    problems: [404],
  }),
  submitSelfEvaluation: defineRoute({
    operationId: 'submitSelfEvaluation',
    tag,
    method: 'POST',
    path: '/v1/evaluation/self-evaluations/{id}/submit',
    summary: 'Submit: refused with every blocking issue (weights, bands, missing actuals, overrides); accepted emits EvaluationSubmitted, EvaluationCompleted (self) and BudgetAdjustmentRecommended',
    auth: 'jwt',
    roles: ['unit'],
    params: z.strictObject({ id: SelfEvaluationIdSchema }),
    requiresIfMatch: true,
    response: selfReply('The submitted self-evaluation'),
    problems: [404, 422],
    problemDescriptions: { 422: 'The evaluation has blocking issues: `issues` lists each with its row and field' },
  }),
  drawSample: defineRoute({
    operationId: 'drawReviewSample',
    tag,
    method: 'POST',
    path: '/v1/evaluation/review-samples',
    summary: 'Draw self-evaluations for finance review (复核) at random, weighted by amount, reproducible from the seed',
    auth: 'jwt',
    roles: ['finance'],
    body: z.strictObject({ fiscalYear: year, size: z.number().check(z.int(), z.minimum(1), z.maximum(10_000)), seed: text(100) }),
    idempotent: true,
    response: { status: 201, description: 'The sample', schema: SampleSchema },
  }),
  getSample: defineRoute({
    operationId: 'getReviewSample',
    tag,
    method: 'GET',
    path: '/v1/evaluation/review-samples/{id}',
    summary: 'A review sample: its seed, population and the drawn self-evaluations',
    auth: 'jwt',
    roles: ['finance', 'supervisor'],
    params: z.strictObject({ id: SampleIdSchema }),
    response: { status: 200, description: 'The sample', schema: SampleSchema },
    problems: [404],
  }),
  financeReview: defineRoute({
    operationId: 'reviewSelfEvaluation',
    tag,
    method: 'POST',
    path: '/v1/evaluation/self-evaluations/{id}/finance-review',
    summary: "Finance re-scores a submitted self-evaluation; a difference beyond the region's threshold is flagged; emits EvaluationCompleted (finance_review) and BudgetAdjustmentRecommended",
    auth: 'jwt',
    roles: ['finance'],
    params: z.strictObject({ id: SelfEvaluationIdSchema }),
    body: z.strictObject({ ...entriesBody, comments: z.optional(text(2000)) }),
    requiresIfMatch: true,
    response: selfReply('The self-evaluation with the review'),
    problems: [404, 422],
  }),
  coverage: defineRoute({
    operationId: 'getEvaluationCoverage',
    tag,
    method: 'GET',
    path: '/v1/evaluation/coverage',
    summary: 'For a fiscal year: approved objects still without a submitted self-evaluation, by department (the rule is full coverage)',
    auth: 'jwt',
    roles: ['department', 'finance', 'supervisor'],
    query: z.strictObject({ year: yearParam, department: z.optional(z.string().check(z.minLength(1), z.maxLength(64))) }),
    response: { status: 200, description: 'Coverage', schema: CoverageSchema },
  }),
  createKeyEvaluation: defineRoute({
    operationId: 'createKeyEvaluation',
    tag,
    method: 'POST',
    path: '/v1/evaluation/key-evaluations',
    summary: 'A department or finance key evaluation (决策/过程/产出/效益 sheet; output + benefit ≥ 60 % of the weight): problems, recommendations, a rectification due date; emits EvaluationCompleted (key)',
    auth: 'jwt',
    roles: ['department', 'finance'],
    body: z.strictObject({
      objectId: ObjectIdSchema,
      evaluatorType: z.enum(['finance', 'third_party', 'expert_panel', 'department']),
      evaluator: text(200),
      rows: z.array(KeyRowInputSchema).check(z.minLength(1), z.maxLength(200)),
      problems: z.array(text(2000)).check(z.maxLength(100)),
      recommendations: z.array(text(2000)).check(z.maxLength(100)),
      rectificationDueDate: z.optional(isoDate),
    }),
    idempotent: true,
    response: { status: 201, description: 'The key evaluation with its total and grade', schema: KeyEvaluationSchema },
    problems: [404],
  }),
  listKeyEvaluations: defineRoute({
    operationId: 'listKeyEvaluations',
    tag,
    method: 'GET',
    path: '/v1/evaluation/key-evaluations',
    summary: 'Key evaluations of a fiscal year the caller may see',
    auth: 'jwt',
    roles: ['department', 'finance', 'supervisor'],
    query: z.strictObject({ ...listQuery.shape, year: yearParam }),
    response: { status: 200, description: 'One page', schema: pageOf(KeyEvaluationSchema) },
  }),
  getKeyEvaluation: defineRoute({
    operationId: 'getKeyEvaluation',
    tag,
    method: 'GET',
    path: '/v1/evaluation/key-evaluations/{id}',
    summary: 'A key evaluation',
    auth: 'jwt',
    roles: readers,
    params: z.strictObject({ id: KeyIdSchema }),
    response: { status: 200, description: 'The key evaluation; ETag header', schema: KeyEvaluationSchema },
    problems: [404],
  }),
  keyFeedback: defineRoute({
    operationId: 'answerKeyEvaluation',
    tag,
    method: 'POST',
    path: '/v1/evaluation/key-evaluations/{id}/feedback',
    summary: "The evaluated department's feedback on a key evaluation",
    auth: 'jwt',
    roles: ['department'],
    params: z.strictObject({ id: KeyIdSchema }),
    body: z.strictObject({ text: text(5000) }),
    requiresIfMatch: true,
    response: { status: 200, description: 'The key evaluation with the feedback', schema: KeyEvaluationSchema },
    problems: [404],
  }),
  ...rulesRouteSpecs({ service: 'evaluation', name: 'Evaluation', noun: 'evaluation parameters', input: ParamsInputSchema }),
};
