/**
 * Monitoring dashboards: a window at a glance over the objects in its scope, as JSON or CSV, read
 * from the window's maintained view (store/dashboard-view.ts): the departments' counts and the
 * first worst deviations, O(departments) items; the CSV a page of object lines at a time.
 */
import type { Implementations } from '../../../shared/http/api.ts';
import { dashboardCsv } from '../domain/dashboard.ts';
import { CSV_DEFAULT_LINES, type dashboardRoutes } from '../routes/dashboards.ts';
import { readDashboard, readDashboardLines } from '../store/dashboard-view.ts';
import { ownerPrefix, requireWindow } from './access.ts';
import { currentRules } from './rules.ts';

export const dashboardsApi: Implementations<typeof dashboardRoutes> = {
  dashboard: async ({ params, query, ctx }) => {
    const window = await requireWindow(params.id, ctx);
    // Dashboards are for departments, finance and supervisors: the owner prefix is a department's ("<department>#") or none.
    const prefix = ownerPrefix(ctx, query.department);
    const department = prefix ? prefix.slice(0, -1) : undefined;
    const { rules } = await currentRules(window.region, window.fiscalYear);
    if (query.format === 'csv') {
      const page = await readDashboardLines(window, rules, department, query.limit ?? CSV_DEFAULT_LINES, query.cursor);
      const next: Record<string, string> = page.nextCursor ? { link: `<${nextPage(window.id, query, page.nextCursor)}>; rel="next"` } : {};
      return {
        raw: { contentType: 'text/csv; charset=utf-8', text: dashboardCsv(page.items) },
        headers: { 'content-disposition': `attachment; filename="monitoring-${window.fiscalYear}-${window.throughMonth}.csv"`, ...next },
      };
    }
    return { body: await readDashboard(window, rules, department) };
  },
};

function nextPage(windowId: string, query: { department?: string; limit?: number }, cursor: string): string {
  const params = new URLSearchParams({ format: 'csv', ...(query.department ? { department: query.department } : {}), ...(query.limit ? { limit: String(query.limit) } : {}), cursor });
  return `/v1/monitoring/dashboards/windows/${windowId}?${params.toString()}`;
}
