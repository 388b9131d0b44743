/** Implementations of the reports routes (being built, issue #7). */
import type { Implementations } from '../../../shared/http/api.ts';
import type { reportRoutes } from '../http/reports.ts';

export const reportsApi: Implementations<typeof reportRoutes> = {};
