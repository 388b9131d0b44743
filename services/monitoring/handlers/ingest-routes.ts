/**
 * Implementations of the execution-data routes (http-ingest.ts). Not a handler on its own: the
 * monitoring API handler merges them with its other routes,
 * `createApiHandler({ ...routes, ...ingestRoutes }, { ...implementations, ...ingestImplementations })`.
 * Finance only (the route specs); the region is the deployment's (one table per region).
 */
import { problems } from '../../../shared/errors.ts';
import type { Implementations } from '../../../shared/http/api.ts';
import '../../../shared/validation.ts';
import { ingestRoutes } from '../http-ingest.ts';
import { readBatch, submitBatch } from '../ingest.ts';
import { eventContextOf } from '../../../shared/http/event-context.ts';


const location = (batchId: string) => `/v1/monitoring/execution-batches/${batchId}`;

export const ingestImplementations: Implementations<typeof ingestRoutes> = {
  ingestExecutionBatch: async ({ query, body, ctx }) => {
    const result = await submitBatch({ request: body, partial: query.partial === 'true', events: eventContextOf(ctx) });
    return {
      status: result.status,
      body: result.job,
      headers: { location: location(result.job.batchId), ...(result.replayed ? { 'idempotent-replayed': 'true' } : {}) },
    };
  },

  getExecutionBatch: async ({ params }) => {
    const job = await readBatch(params.batchId);
    if (!job) throw problems.notFound(`Execution batch ${params.batchId}`);
    return { body: job };
  },
};
