/** Routes that belong to the API as a whole rather than to one service. */
import * as z from 'zod/mini';
import { defineRoute } from '../../../shared/http/route.ts';

export const routes = {
  health: defineRoute({
    operationId: 'getHealth',
    tag: 'platform',
    method: 'GET',
    path: '/v1/health',
    summary: 'Liveness of the API (no token needed)',
    auth: 'none',
    response: { status: 200, description: 'The API answers', schema: z.object({ status: z.literal('ok'), region: z.string(), time: z.string() }) },
  }),
  openapi: defineRoute({
    operationId: 'getOpenApi',
    tag: 'platform',
    method: 'GET',
    path: '/v1/openapi.json',
    summary: 'This OpenAPI 3.1 document',
    auth: 'none',
    response: { status: 200, description: 'OpenAPI 3.1 document', schema: z.record(z.string(), z.unknown()) },
  }),
};
