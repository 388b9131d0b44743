/**
 * Routes of the review assistant: a self-evaluation table in the shape of the official form,
 * read like a finance reviewer reads it (domain/review-assistant.ts). Nothing is stored.
 */
import * as z from 'zod/mini';
import { fiscalYear, fiscalYearParam, text } from '../../../shared/pure/fields.ts';
import { defineRoute } from '../../../shared/http/route.ts';
import { listQuery, pageOf } from '../../../shared/http/schemas.ts';
import { REVIEW_FINDING_CODES } from '../domain/review-assistant.ts';
import { points, SelfEvaluationIdSchema } from './self-evaluations.ts';

const tag = 'evaluation';
/** A printed score may be wrong (above its weight, a total of 110): it is read, not refused. */
const printedScore = z.number().check(z.minimum(0, 'must be 0 or more'), z.maximum(1000));
const wan = z.number().check(z.minimum(0, 'must be 0 or more'), z.maximum(1e10));
/** A cell as printed; may be empty where the form leaves it blank. */
const cell = (max: number) => z.string().check(z.trim(), z.maxLength(max));

const PrintedRowSchema = z.strictObject({
  level1: text(20),
  level2: z.optional(cell(20)),
  name: text(200),
  target: cell(200),
  actual: z.optional(cell(200)),
  weight: z.optional(points),
  publishedScore: z.optional(printedScore),
  deviationAnalysis: z.optional(cell(2000)),
});

const PrintedTableSchema = z.strictObject({
  /** The region's evaluation parameters of this year score the table; default the current year's. */
  fiscalYear: z.optional(fiscalYear()),
  budget: z.optional(
    z.strictObject({ initialWan: z.optional(wan), annualWan: z.optional(wan), executedWan: z.optional(wan), points: z.optional(points), publishedScore: z.optional(printedScore) }),
  ),
  rows: z.array(PrintedRowSchema).check(z.minLength(1, 'a table needs at least one indicator row'), z.maxLength(200)),
  publishedTotal: z.optional(printedScore),
  publishedGrade: z.optional(cell(10)),
});

const FindingSchema = z.object({ code: z.enum(REVIEW_FINDING_CODES), severity: z.enum(['error', 'warning']), row: z.optional(z.number()), rowName: z.optional(z.string()), message: z.string() });

const ReviewResultSchema = z.object({
  fiscalYear: z.number(),
  /** Set when the table is a stored self-evaluation. */
  selfEvaluationId: z.optional(z.string()),
  objectId: z.optional(z.string()),
  rows: z.array(
    z.object({
      row: z.number(),
      name: z.string(),
      operator: z.string(),
      engineScore: z.nullable(z.number()),
      allowedMax: z.nullable(z.number()),
      publishedScore: z.nullable(z.number()),
      met: z.nullable(z.boolean()),
      rule: z.string(),
    }),
  ),
  execution: z.nullable(z.object({ rate: z.nullable(z.number()), points: z.number(), engineScore: z.nullable(z.number()), publishedScore: z.nullable(z.number()), rule: z.string() })),
  rowsScored: z.number(),
  tolerance: z.number(),
  findings: z.array(FindingSchema),
});

/** One submitted self-evaluation in the list of findings: who owns it, how risky it reads, and what was found. */
const SelfEvaluationFindingsSchema = z.object({
  selfEvaluationId: z.string(),
  status: z.enum(['submitted', 'reviewed']),
  object: z.object({ id: z.string(), name: z.string(), spendingType: z.string(), department: z.string(), unit: z.string() }),
  budgetWan: z.number(),
  /** The worst severity among the findings ('none' when there are none): the order of a sample drawn by risk. */
  risk: z.enum(['error', 'warning', 'none']),
  errors: z.number(),
  warnings: z.number(),
  findings: z.array(FindingSchema),
});

export const reviewRoutes = {
  analyzeSelfEvaluationTable: defineRoute({
    operationId: 'analyzeSelfEvaluationTable',
    tag,
    method: 'POST',
    path: '/v1/evaluation/review/analyze',
    summary:
      "The review assistant: a self-evaluation table as printed (budget row, indicator rows with target and actual cells as text, printed scores, totals; any part may be missing) → the engine's own score for each row it can score, with the rule and figures, and findings a reviewer can act on. Stores nothing",
    auth: 'jwt',
    roles: ['finance', 'department', 'unit'],
    body: PrintedTableSchema,
    response: { status: 200, description: 'The engine’s reading of the table and its findings', schema: ReviewResultSchema },
  }),
  getSelfEvaluationReviewFindings: defineRoute({
    operationId: 'getSelfEvaluationReviewFindings',
    tag,
    method: 'GET',
    path: '/v1/evaluation/self-evaluations/{id}/review-findings',
    summary: "The review assistant's reading of a stored self-evaluation: the same findings as for a printed table (each row's counted score as its printed score)",
    auth: 'jwt',
    roles: ['finance', 'department', 'unit'],
    params: z.strictObject({ id: SelfEvaluationIdSchema }),
    response: { status: 200, description: 'The engine’s reading and its findings', schema: ReviewResultSchema },
    problems: [404],
  }),
  listReviewFindings: defineRoute({
    operationId: 'listReviewFindings',
    tag,
    method: 'GET',
    path: '/v1/evaluation/review-findings',
    summary:
      "The review assistant's findings for the submitted (and reviewed) self-evaluations of a year, by department and unit, one page at a time; `risk=error` keeps those with an error finding. A page may hold fewer than `limit` items (drafts and filtered-out ones are skipped); follow `nextCursor` to the end",
    auth: 'jwt',
    roles: ['finance', 'department', 'unit'],
    query: z.strictObject({
      ...listQuery.shape,
      year: fiscalYearParam(),
      department: z.optional(z.string().check(z.minLength(1), z.maxLength(64))),
      risk: z.optional(z.enum(['error', 'warning'])),
    }),
    response: { status: 200, description: 'One page of self-evaluations with their findings', schema: pageOf(SelfEvaluationFindingsSchema) },
  }),
};
