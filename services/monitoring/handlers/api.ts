/** The monitoring API Lambda: windows, reports, reviews, dashboards, rules, execution data (api/index.ts). */
import { createApiHandler } from '../../../shared/http/api.ts';
import { dynamoIdempotencyStore } from '../../../shared/http/idempotency-store.ts';
import { implementations, routes } from '../api/index.ts';

export const handler = createApiHandler(routes, implementations, { idempotency: dynamoIdempotencyStore() });
