/**
 * Implementations of the maintained views' maintenance routes: the summaries view of every
 * region with one this year (the deployment's own, and each lower-level region's whose objects'
 * events were forwarded here).
 */
import type { Implementations } from '../../../shared/http/api.ts';
import type { viewRoutes } from '../routes/views.ts';
import { rebuildSummaryView, verifySummaryView, viewRegions } from '../store/summary-view-maintenance.ts';

export const viewsApi: Implementations<typeof viewRoutes> = {
  verifyViews: async ({ query, ctx }) => {
    const items = [];
    for (const region of await viewRegions(ctx.deploymentRegion, query.year)) {
      const differences = await verifySummaryView(region, query.year);
      items.push({ view: 'summaries' as const, region, fiscalYear: query.year, consistent: differences.length === 0, differences });
    }
    return { body: { items } };
  },
  rebuildViews: async ({ body, ctx }) => {
    const items = [];
    for (const region of await viewRegions(ctx.deploymentRegion, body.fiscalYear)) {
      const rebuilt = await rebuildSummaryView(region, body.fiscalYear);
      const differences = await verifySummaryView(region, body.fiscalYear);
      items.push({ view: 'summaries' as const, region, fiscalYear: body.fiscalYear, consistent: differences.length === 0, differences, ...rebuilt });
    }
    return { body: { items } };
  },
};
