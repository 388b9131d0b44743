/** Implementations of the assessments routes (being built, issue #7). */
import type { Implementations } from '../../../shared/http/api.ts';
import type { assessmentRoutes } from '../http/assessments.ts';

export const assessmentsApi: Implementations<typeof assessmentRoutes> = {};
