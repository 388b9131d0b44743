/** Every route of the monitoring service, by area; `routeSpecs` is what the manifest and the OpenAPI document list. */
import { dashboardRoutes } from './dashboards.ts';
import { executionBatchRoutes } from './execution-batches.ts';
import { objectRoutes } from './objects.ts';
import { reportRoutes } from './reports.ts';
import { reviewRoutes } from './reviews.ts';
import { rulesRoutes } from './rules.ts';
import { viewRoutes } from './views.ts';
import { windowRoutes } from './windows.ts';

export const routes = {
  ...windowRoutes,
  ...reportRoutes,
  ...reviewRoutes,
  ...objectRoutes,
  ...dashboardRoutes,
  ...rulesRoutes,
  ...executionBatchRoutes,
  ...viewRoutes,
};

export const routeSpecs = Object.values(routes);
