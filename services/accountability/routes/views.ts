/** Routes of the maintained views (store/summary-view.ts): verify against the sources, and rebuild. */
import { viewMaintenanceRoutes } from '../../../shared/views/maintenance-routes.ts';

export const viewRoutes = viewMaintenanceRoutes('accountability', ['summaries'] as const, "the object summaries behind the People's Congress report and the assessments, per region whose objects reached this one");
