/** Implementations of the maintained views' maintenance routes (jobs/views.ts lists the views). */
import type { Implementations } from '../../../shared/http/api.ts';
import { rebuildAll, verifyAll } from '../../../shared/views/scheduled-check.ts';
import { maintainedViews } from '../jobs/views.ts';
import type { viewRoutes } from '../routes/views.ts';

export const viewsApi: Implementations<typeof viewRoutes> = {
  verifyViews: async ({ query, ctx }) => ({ body: { items: await verifyAll(await maintainedViews(ctx.deploymentRegion, query.year)) } }),
  rebuildViews: async ({ body, ctx }) => ({ body: { items: await rebuildAll(await maintainedViews(ctx.deploymentRegion, body.fiscalYear)) } }),
};
