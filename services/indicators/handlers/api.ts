/** The indicators API Lambda: the "3+X" library, templates, recommendations, import/export (api/). */
import { createApiHandler } from '../../../shared/http/api.ts';
import { dynamoIdempotencyStore } from '../../../shared/http/idempotency-store.ts';
import { api } from '../api/index.ts';

export const handler = createApiHandler(api.routes, api.implementations, { idempotency: dynamoIdempotencyStore() });
