/** Routes of the maintained views (store/coverage-view.ts): verify against the sources, and rebuild. */
import * as z from 'zod/mini';
import { viewMaintenanceRoutes } from '../../../shared/views/maintenance-routes.ts';

export const viewRoutes = viewMaintenanceRoutes('evaluation', z.enum(['coverage']), 'coverage');
