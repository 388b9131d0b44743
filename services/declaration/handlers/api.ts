/** The declaration API Lambda: spending objects, ex-ante assessment, targets, review, project library, rules (api/). */
import { createApiHandler } from '../../../shared/http/api.ts';
import { dynamoIdempotencyStore } from '../../../shared/http/idempotency-store.ts';
import { implementations, routes } from '../api/index.ts';

export const handler = createApiHandler(routes, implementations, { idempotency: dynamoIdempotencyStore() });
