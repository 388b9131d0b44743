/** Implementations of the alerts routes (being built, issue #7). */
import type { Implementations } from '../../../shared/http/api.ts';
import type { alertRoutes } from '../http/alerts.ts';

export const alertsApi: Implementations<typeof alertRoutes> = {};
