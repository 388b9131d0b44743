/** Routes of the maintained views (store/summary-view.ts): verify against the sources, and rebuild. */
import * as z from 'zod/mini';
import { viewMaintenanceRoutes } from '../../../shared/views/maintenance-routes.ts';

export const viewRoutes = viewMaintenanceRoutes('accountability', z.enum(['summaries']), "the object summaries behind the People's Congress report and the assessments, per region whose objects reached this one");
