/** Implementations of the People's Congress report routes. */
import type { Implementations, RequestContext } from '../../../shared/http/api.ts';
import { caseTotals } from '../store/cases.ts';
import { congressReportOf, type CongressReport } from '../domain/congress-report.ts';
import { congressReportHtml } from '../domain/report-html.ts';
import type { reportRoutes } from '../routes/reports.ts';
import { rectificationTotals } from '../store/rectifications.ts';
import { departmentCounts, keyReports } from '../store/summary-view.ts';

/** From the summaries view: each department's counts (O(departments) items) and the year's key reports. */
async function build(year: number, ctx: RequestContext): Promise<CongressReport> {
  const region = ctx.deploymentRegion;
  const [byDepartment, rectifications, cases] = await Promise.all([departmentCounts(region, year), rectificationTotals(region, year), caseTotals(region, year)]);
  const keyReportLines = byDepartment.size ? await keyReports(region, year, byDepartment.keys()) : [];
  return congressReportOf({ region, fiscalYear: year, generatedAt: new Date().toISOString(), byDepartment, keyReports: keyReportLines, rectifications, cases });
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
