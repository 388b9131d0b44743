/** The accountability API Lambda: timeline, assessments, rectification, cases, rules, alerts, disclosure, reports (api/). */
import { createApiHandler } from '../../../shared/http/api.ts';
import { dynamoIdempotencyStore } from '../../../shared/http/idempotency-store.ts';
import { implementations, routes } from '../api/index.ts';

export const handler = createApiHandler(routes, implementations, { idempotency: dynamoIdempotencyStore() });
