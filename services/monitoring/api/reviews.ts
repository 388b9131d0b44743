/** Report reviews: the object's department or finance passes, fails or refers a report, at the version read. */
import { guardConcurrentUpdate } from '../../../shared/conditions.ts';
import { problems } from '../../../shared/errors.ts';
import type { Implementations } from '../../../shared/http/api.ts';
import { checkIfMatch } from '../../../shared/http/etag.ts';
import { splitReport, type Report } from '../domain/report.ts';
import type { reviewRoutes } from '../routes/reviews.ts';
import { replaceReportHead } from '../store/reports.ts';
import { existingReport } from './access.ts';
import { reportReply } from './reports.ts';

export const reviewsApi: Implementations<typeof reviewRoutes> = {
  reviewReport: async ({ params, body, ctx }) => {
    const { report, baseline } = await existingReport(params.id, ctx);
    if (ctx.actor.role === 'department' && ctx.actor.department !== baseline.object.department) throw problems.forbidden(`Only department ${baseline.object.department} or finance reviews this report`);
    checkIfMatch(ctx.headers['if-match'], report.id, report.version);
    if (body.outcome !== 'pass' && !body.comments) throw problems.validation([{ field: 'body.comments', message: 'say why the report fails or is referred' }]);
    const review = { stage: ctx.actor.role === 'finance' ? ('finance' as const) : ('department' as const), outcome: body.outcome, ...(body.comments ? { comments: body.comments } : {}), by: ctx.actor.sub, at: new Date().toISOString() };
    const next: Report = { ...report, version: report.version + 1, reviews: [...report.reviews, review] };
    await guardConcurrentUpdate('report', () => replaceReportHead(splitReport(next).head, report.version));
    return reportReply(next);
  },
};
