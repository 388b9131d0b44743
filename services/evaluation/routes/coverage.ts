/** Routes of the coverage area: which approved objects of a year still lack a submitted self-evaluation. */
import * as z from 'zod/mini';
import { fiscalYearParam } from '../../../shared/pure/fields.ts';
import { defineRoute } from '../../../shared/http/route.ts';
import { listQuery, pageOf } from '../../../shared/http/schemas.ts';

const CoverageSchema = z.object({
  fiscalYear: z.number(),
  approved: z.number(),
  submitted: z.number(),
  missing: z.number(),
  /** Full coverage is the rule: every approved object self-evaluated. */
  complete: z.boolean(),
  /** Each department's counts are complete; its `missing` lists the first 20 (by unit), all of them are at the `Link` header's rel="missing". */
  byDepartment: z.array(
    z.object({ department: z.string(), approved: z.number(), submitted: z.number(), missing: z.array(z.object({ objectId: z.string(), name: z.string(), unit: z.string() })) }),
  ),
});

const MissingLineSchema = z.object({ objectId: z.string(), name: z.string(), department: z.string(), unit: z.string() });
const departmentParam = z.optional(z.string().check(z.minLength(1), z.maxLength(64)));

const tag = 'evaluation';

export const coverageRoutes = {
  coverage: defineRoute({
    operationId: 'getEvaluationCoverage',
    tag,
    method: 'GET',
    path: '/v1/evaluation/coverage',
    summary:
      'For a fiscal year: approved objects still without a submitted self-evaluation, by department (the rule is full coverage). Counts are complete; each department lists its first 20 missing objects (by unit); the full list, a page at a time, is `GET /v1/evaluation/coverage/missing` (the `Link` header, rel="missing"). Read from a maintained view: O(departments) whatever the number of objects',
    auth: 'jwt',
    roles: ['department', 'finance', 'supervisor'],
    query: z.strictObject({ year: fiscalYearParam(), department: departmentParam }),
    response: { status: 200, description: 'Coverage', schema: CoverageSchema },
  }),
  coverageMissing: defineRoute({
    operationId: 'listEvaluationCoverageMissing',
    tag,
    method: 'GET',
    path: '/v1/evaluation/coverage/missing',
    summary: 'Every approved object of a fiscal year still without a submitted self-evaluation, by department, unit and object, one page at a time',
    auth: 'jwt',
    roles: ['department', 'finance', 'supervisor'],
    query: z.strictObject({ ...listQuery.shape, year: fiscalYearParam(), department: departmentParam }),
    response: { status: 200, description: 'One page of missing objects', schema: pageOf(MissingLineSchema) },
  }),
};
