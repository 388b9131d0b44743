/** Implementations of the rectifications routes (being built, issue #7). */
import type { Implementations } from '../../../shared/http/api.ts';
import type { rectificationRoutes } from '../http/rectifications.ts';

export const rectificationsApi: Implementations<typeof rectificationRoutes> = {};
