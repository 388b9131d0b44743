/** Implementations of the People's Congress report routes. */
import type { Implementations, RequestContext } from '../../../shared/http/api.ts';
import { caseTotals } from '../store/cases.ts';
import { congressReport, type CongressReport } from '../domain/congress-report.ts';
import { congressReportHtml } from '../domain/report-html.ts';
import type { reportRoutes } from '../routes/reports.ts';
import { rectificationTotals } from '../store/rectifications.ts';
import { allObjectSummaries } from '../store/summaries.ts';

async function build(year: number, ctx: RequestContext): Promise<CongressReport> {
  const region = ctx.deploymentRegion;
  const [summaries, rectifications, cases] = await Promise.all([allObjectSummaries(region, year), rectificationTotals(region, year), caseTotals(region, year)]);
  return congressReport({ region, fiscalYear: year, generatedAt: new Date().toISOString(), summaries, rectifications, cases });
}

export const reportsApi: Implementations<typeof reportRoutes> = {
  getCongressReport: async ({ params, ctx }) => ({ body: await build(params.year, ctx) }),
  getCongressReportHtml: async ({ params, ctx }) => {
    const report = await build(params.year, ctx);
    return {
      raw: { contentType: 'text/html; charset=utf-8', text: congressReportHtml(report) },
      headers: { 'content-disposition': `inline; filename="congress-report-${report.region}-${report.fiscalYear}.html"` },
    };
  },
};
