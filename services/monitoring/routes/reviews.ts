/** Routes of report reviews: the object's department or finance passes, fails or refers a report. */
import * as z from 'zod/mini';
import { text } from '../../../shared/pure/fields.ts';
import { defineRoute } from '../../../shared/http/route.ts';
import { ReportIdSchema, reportResponse } from './reports.ts';

export const reviewRoutes = {
  reviewReport: defineRoute({
    operationId: 'reviewMonitoringReport',
    tag: 'monitoring',
    method: 'POST',
    path: '/v1/monitoring/reports/{id}/reviews',
    summary: "Review a report: the object's department or finance; pass, fail, refer to experts or refer to an intermediary, with comments",
    auth: 'jwt',
    roles: ['department', 'finance'],
    params: z.strictObject({ id: ReportIdSchema }),
    body: z.strictObject({ outcome: z.enum(['pass', 'fail', 'refer_experts', 'refer_intermediary']), comments: z.optional(text(2000)) }),
    requiresIfMatch: true,
    response: reportResponse('The report with the review'),
    problems: [404],
  }),
};
