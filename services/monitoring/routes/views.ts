/**
 * Routes of the monitoring dashboards' maintained views (store/dashboard-view.ts), one per window,
 * named `dashboard#<windowId>`: verify against the sources, and rebuild. Both read every object of
 * the year for every window (O(windows × objects)): maintenance, not something a dashboard calls.
 */
import * as z from 'zod/mini';
import { viewMaintenanceRoutes } from '../../../shared/views/maintenance-routes.ts';

export const viewRoutes = viewMaintenanceRoutes('monitoring', z.string().check(z.regex(/^dashboard#/)), "every window's dashboard, each view named dashboard#<windowId>");
