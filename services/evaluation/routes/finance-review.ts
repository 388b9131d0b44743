/**
 * Routes of the finance review area (复核): finance draws a reproducible sample of submitted
 * self-evaluations, reads it, and re-scores a self-evaluation.
 */
import * as z from 'zod/mini';
import { fiscalYear, prefixedId, text } from '../../../shared/pure/fields.ts';
import { defineRoute } from '../../../shared/http/route.ts';
import { entriesBody, SelfEvaluationIdSchema, selfReply } from './self-evaluations.ts';

const SampleIdSchema = prefixedId('smp', 'a sample id');

const SampleSchema = z.object({
  id: z.string(),
  region: z.string(),
  fiscalYear: z.number(),
  seed: z.string(),
  size: z.number(),
  /** How the sample was drawn (absent on samples drawn before 'risk' existed: by amount). */
  by: z.optional(z.enum(['amount', 'risk'])),
  population: z.number(),
  drawn: z.array(z.object({ objectId: z.string(), selfEvaluationId: z.string(), amountWan: z.number(), risk: z.optional(z.enum(['error', 'warning', 'none'])) })),
  createdAt: z.string(),
  createdBy: z.string(),
});

const tag = 'evaluation';

export const financeReviewRoutes = {
  drawSample: defineRoute({
    operationId: 'drawReviewSample',
    tag,
    method: 'POST',
    path: '/v1/evaluation/review-samples',
    summary: "Draw self-evaluations for finance review (复核) at random, weighted by amount, reproducible from the seed; by risk, those with the review assistant's error findings first",
    auth: 'jwt',
    roles: ['finance'],
    body: z.strictObject({
      fiscalYear: fiscalYear(),
      size: z.number().check(z.int(), z.minimum(1), z.maximum(10_000)),
      seed: text(100),
      /** 'amount' (default): at random weighted by amount. 'risk': the review assistant's error findings first, then warnings, then the rest, each at random weighted by amount. */
      by: z.optional(z.enum(['amount', 'risk'])),
    }),
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
};
