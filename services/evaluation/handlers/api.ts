/** The evaluation API Lambda: self-evaluations, finance review samples and reviews, key evaluations, coverage, rule parameters. */
import { createApiHandler } from '../../../shared/http/api.ts';
import { dynamoIdempotencyStore } from '../../../shared/http/idempotency-store.ts';
import { implementations } from '../api/index.ts';
import { routes } from '../routes/index.ts';

export const handler = createApiHandler(routes, implementations, { idempotency: dynamoIdempotencyStore() });
