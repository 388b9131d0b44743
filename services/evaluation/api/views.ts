/** Implementations of the maintained views' maintenance routes: verify and rebuild from the sources. */
import type { Implementations } from '../../../shared/http/api.ts';
import type { viewRoutes } from '../routes/views.ts';
import { rebuildCoverage, verifyCoverage } from '../store/coverage-view.ts';

export const viewsApi: Implementations<typeof viewRoutes> = {
  verifyViews: async ({ query, ctx }) => {
    const differences = await verifyCoverage(ctx.deploymentRegion, query.year);
    return { body: { items: [{ view: 'coverage' as const, region: ctx.deploymentRegion, fiscalYear: query.year, consistent: differences.length === 0, differences }] } };
  },
  rebuildViews: async ({ body, ctx }) => {
    const rebuilt = await rebuildCoverage(ctx.deploymentRegion, body.fiscalYear);
    const differences = await verifyCoverage(ctx.deploymentRegion, body.fiscalYear);
    return { body: { items: [{ view: 'coverage' as const, region: ctx.deploymentRegion, fiscalYear: body.fiscalYear, consistent: differences.length === 0, differences, ...rebuilt }] } };
  },
};
