/**
 * Routes of the key evaluations area: a department or finance evaluates one object on the
 * 决策 / 过程 / 产出 / 效益 frame, and the evaluated department answers.
 */
import * as z from 'zod/mini';
import { ObjectRefSchema } from '../../../events/declaration.ts';
import { GradeSchema } from '../../../events/evaluation.ts';
import { SatisfactionSchema, ShownRatingSchema } from '../../../events/evaluation-ratings.ts';
import { fiscalYearParam, prefixedId, text } from '../../../shared/pure/fields.ts';
import { defineRoute } from '../../../shared/http/route.ts';
import { listQuery, pageOf } from '../../../shared/http/schemas.ts';
import { ObjectIdSchema, points, readers } from './self-evaluations.ts';

const isoDate = z.string().check(z.regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'must be a date YYYY-MM-DD'));
const KeyIdSchema = prefixedId('key', 'a key evaluation id');

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
  /** GET of one evaluation and the rating route: every People's Congress rating of the report, oldest first (not in lists). */
  congressRatings: z.optional(z.array(ShownRatingSchema)),
});

const remark = z.optional(text(1000));

const tag = 'evaluation';

export const keyEvaluationRoutes = {
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
    query: z.strictObject({ ...listQuery.shape, year: fiscalYearParam() }),
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
  rateKeyEvaluation: defineRoute({
    operationId: 'rateKeyEvaluation',
    tag,
    method: 'POST',
    path: '/v1/evaluation/key-evaluations/{id}/congress-rating',
    summary:
      "The People's Congress rates a key evaluation report (满意度测评): satisfaction satisfied 满意 / basically_satisfied 基本满意 / dissatisfied 不满意, comments (required with dissatisfied), optional remarks on 决策 / 过程 / 产出 / 效益. Only supervisor tokens of the People's Congress (supervisoryBody congress). One rating per rater (token sub) and evaluation: rating again replaces the rater's own rating, no If-Match. Every key evaluation is a finished report (it is created complete). Emits KeyEvaluationRated",
    auth: 'jwt',
    roles: ['supervisor'],
    params: z.strictObject({ id: KeyIdSchema }),
    body: z.strictObject({
      satisfaction: SatisfactionSchema,
      comments: z.optional(text(2000)),
      remarks: z.optional(z.strictObject({ decision: remark, process: remark, output: remark, benefit: remark })),
    }),
    response: { status: 200, description: "The key evaluation with every People's Congress rating of it, the caller's included", schema: KeyEvaluationSchema },
    problems: [404, 409],
    problemDescriptions: {
      400: 'The body is invalid, or the satisfaction is dissatisfied without comments (body.comments)',
      403: "Not a supervisor token of the People's Congress (supervisoryBody congress): audit, a supervisor without a body and every other role are refused",
      409: 'The same rater rated this evaluation at the same moment; read it again',
    },
  }),
};
