/**
 * Scheduled (daily), or invoked by hand with `{"fiscalYears": [2027]}`: checks every maintained
 * view of the monitoring service (jobs/views.ts) for the years still in use against its sources,
 * and rebuilds one that differs (shared/views/scheduled-check.ts). The same work as
 * `npm run rebuild-views`, run by the platform.
 */
import { scheduledViewCheck } from '../../../shared/views/scheduled-check.ts';
import { maintainedViews } from '../jobs/views.ts';

export const handler = scheduledViewCheck(maintainedViews);
