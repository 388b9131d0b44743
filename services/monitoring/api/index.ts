/** Binds every route of the monitoring API (routes/index.ts) to its implementation, for handlers/api.ts. */
import type { Implementations } from '../../../shared/http/api.ts';
import { routes } from '../routes/index.ts';
import { dashboardsApi } from './dashboards.ts';
import { executionBatchesApi } from './execution-batches.ts';
import { objectsApi } from './objects.ts';
import { reportsApi } from './reports.ts';
import { reviewsApi } from './reviews.ts';
import { rulesApiImplementations } from './rules.ts';
import { viewsApi } from './views.ts';
import { windowsApi } from './windows.ts';

export { routes };

export const implementations: Implementations<typeof routes> = {
  ...windowsApi,
  ...reportsApi,
  ...reviewsApi,
  ...objectsApi,
  ...dashboardsApi,
  ...rulesApiImplementations,
  ...executionBatchesApi,
  ...viewsApi,
};
