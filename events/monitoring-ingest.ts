/**
 * Internal to the monitoring service: an execution-data batch was accepted and its rows stored
 * in chunks; the service's ingester stores the rows and applies the per-object totals. Published
 * through the outbox so the batch (job, source claim) and the event commit together; nobody else
 * subscribes. `meta.subject` is `{ type: 'import', id: batchId }`, like the indicator import's
 * chunks: an execution batch is an import job.
 */
import * as z from 'zod/mini';
import { eventDetail } from './envelope.ts';

export const ExecutionBatchQueuedData = z.object({
  /** `exb_...`; progress at GET /v1/monitoring/execution-batches/{batchId}. */
  batchId: z.string().check(z.regex(/^exb_[a-z0-9]{10,40}$/)),
  /** Chunk items (EXECBATCH#<batchId> / CHUNK#0001..) holding the batch's good rows. */
  chunks: z.number().check(z.int(), z.positive()),
});
export const ExecutionBatchQueuedDetail = eventDetail(ExecutionBatchQueuedData);
export type ExecutionBatchQueued = z.infer<typeof ExecutionBatchQueuedDetail>;
