/** Monitoring dashboards: a window at a glance over the objects in its scope, as JSON or CSV. */
import type { Implementations } from '../../../shared/http/api.ts';
import { buildDashboard, dashboardCsv } from '../domain/dashboard.ts';
import { inWindowScope } from '../domain/report.ts';
import type { dashboardRoutes } from '../routes/dashboards.ts';
import { getExecutedWan } from '../store/execution-totals.ts';
import { allScope } from '../store/objects.ts';
import { allReportHeads } from '../store/reports.ts';
import { ownerPrefix, requireWindow } from './access.ts';
import { currentRules } from './rules.ts';

export const dashboardsApi: Implementations<typeof dashboardRoutes> = {
  dashboard: async ({ params, query, ctx }) => {
    const window = await requireWindow(params.id, ctx);
    const prefix = ownerPrefix(ctx, query.department);
    const department = ctx.actor.role === 'department' ? ctx.actor.department : query.department;
    const [{ rules }, scope, reports] = await Promise.all([currentRules(window.region, window.fiscalYear), allScope(window.region, window.fiscalYear, prefix), allReportHeads(window.id, prefix)]);
    const objects = scope
      .filter((s) => inWindowScope(window, s, rules))
      .map((s) => ({ objectId: s.objectId, name: s.name, department: s.department, unit: s.unit, annualTotalWan: s.annualTotalWan }));
    const treasury = await getExecutedWan(
      objects.map((o) => o.objectId),
      window.fiscalYear,
      window.throughMonth,
    );
    const dashboard = buildDashboard(window, objects, reports, treasury, rules, department);
    if (query.format === 'csv') {
      return { raw: { contentType: 'text/csv; charset=utf-8', text: dashboardCsv(dashboard.lines) }, headers: { 'content-disposition': `attachment; filename="monitoring-${window.fiscalYear}-${window.throughMonth}.csv"` } };
    }
    const { lines: _lines, ...summary } = dashboard;
    return { body: summary };
  },
};
