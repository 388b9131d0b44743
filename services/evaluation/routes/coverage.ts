/** Routes of the coverage area: which approved objects of a year still lack a submitted self-evaluation. */
import * as z from 'zod/mini';
import { fiscalYearParam } from '../../../shared/pure/fields.ts';
import { defineRoute } from '../../../shared/http/route.ts';

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

const tag = 'evaluation';

export const coverageRoutes = {
  coverage: defineRoute({
    operationId: 'getEvaluationCoverage',
    tag,
    method: 'GET',
    path: '/v1/evaluation/coverage',
    summary: 'For a fiscal year: approved objects still without a submitted self-evaluation, by department (the rule is full coverage)',
    auth: 'jwt',
    roles: ['department', 'finance', 'supervisor'],
    query: z.strictObject({ year: fiscalYearParam(), department: z.optional(z.string().check(z.minLength(1), z.maxLength(64))) }),
    response: { status: 200, description: 'Coverage', schema: CoverageSchema },
  }),
};
