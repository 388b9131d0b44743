/** Implementations of the dashboard views' maintenance routes: verify and rebuild from the sources. */
import type { Implementations } from '../../../shared/http/api.ts';
import type { viewRoutes } from '../routes/views.ts';
import { maintainDashboards } from '../store/dashboard-view.ts';

export const viewsApi: Implementations<typeof viewRoutes> = {
  verifyViews: async ({ query, ctx }) => {
    const results = await maintainDashboards(ctx.deploymentRegion, query.year, false);
    return { body: { items: results.map(({ view, differences }) => ({ view, region: ctx.deploymentRegion, fiscalYear: query.year, consistent: differences.length === 0, differences })) } };
  },
  rebuildViews: async ({ body, ctx }) => {
    const results = await maintainDashboards(ctx.deploymentRegion, body.fiscalYear, true);
    return {
      body: {
        items: results.map(({ view, differences, deleted, written }) => ({ view, region: ctx.deploymentRegion, fiscalYear: body.fiscalYear, consistent: differences.length === 0, differences, deleted: deleted ?? 0, written: written ?? 0 })),
      },
    };
  },
};
