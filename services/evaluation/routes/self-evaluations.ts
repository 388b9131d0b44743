/**
 * Routes of the self-evaluations area: a unit starts the self-evaluation of an approved object
 * (pre-filled), enters its figures and submits it. The schemas of a self-evaluation and its score
 * live here; the finance review routes reuse them.
 */
import * as z from 'zod/mini';
import { ObjectRefSchema } from '../../../events/declaration.ts';
import { GradeSchema } from '../../../events/evaluation.ts';
import { Level1Schema, Level2Schema, OperatorSchema } from '../../../events/vocabulary.ts';
import { fiscalYearParam, prefixedId, text } from '../../../shared/pure/fields.ts';
import { defineRoute } from '../../../shared/http/route.ts';
import { listQuery, pageOf } from '../../../shared/http/schemas.ts';
import { ISSUE_CODES } from '../domain/scoring-issues.ts';

const wan = z.number().check(z.minimum(0, 'must be 0 or more'), z.maximum(1e10), z.multipleOf(0.000001, 'must be in 万元 with at most 6 decimals (to the fen)'));
/** 0 to 100 points. */
export const points = z.number().check(z.minimum(0), z.maximum(100));

export const ObjectIdSchema = prefixedId('obj', 'a spending object id');
export const SelfEvaluationIdSchema = prefixedId('sev', 'a self-evaluation id');
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

export const entriesBody = {
  executedWan: z.optional(wan),
  executionOverride: z.optional(z.nullable(OverrideSchema)),
  rows: z.array(RowEntrySchema).check(z.maxLength(400)),
};

/** Who may read evaluations (each within their scope). */
export const readers = ['unit', 'department', 'finance', 'supervisor'] as const;
const tag = 'evaluation';
export const selfReply = (description: string) => ({ status: 200 as const, description: `${description}; ETag header`, schema: SelfEvaluationSchema });

export const selfEvaluationRoutes = {
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
    query: z.strictObject({ ...listQuery.shape, year: fiscalYearParam(), department: z.optional(z.string().check(z.minLength(1), z.maxLength(64))) }),
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
};
