/** Execution data batches: accept one (jobs/submit-batch.ts), read its job. Finance only (the route specs); the region is the deployment's (one table per region). */
import { problems } from '../../../shared/errors.ts';
import type { Implementations } from '../../../shared/http/api.ts';
import { eventContextOf } from '../../../shared/http/event-context.ts';
import { readBatch, submitBatch } from '../jobs/submit-batch.ts';
import type { executionBatchRoutes } from '../routes/execution-batches.ts';

const location = (batchId: string) => `/v1/monitoring/execution-batches/${batchId}`;

export const executionBatchesApi: Implementations<typeof executionBatchRoutes> = {
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
