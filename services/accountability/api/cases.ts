/** Implementations of the cases routes (being built, issue #7). */
import type { Implementations } from '../../../shared/http/api.ts';
import type { caseRoutes } from '../http/cases.ts';

export const casesApi: Implementations<typeof caseRoutes> = {};
