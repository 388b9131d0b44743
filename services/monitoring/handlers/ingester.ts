/**
 * The ingester: stores the rows of a queued execution batch and applies its per-object monthly
 * totals (see services/monitoring/ingest.ts). Subscribed to the service's own
 * `ExecutionBatchQueued`; idempotent on the event id (createConsumer) and, beyond that, on the
 * batch itself: a redelivery resumes after the last stored chunk and never counts a row twice.
 */
import type { ExecutionBatchQueued } from '../../../events/monitoring-ingest.ts';
import { createConsumer } from '../../../shared/consumer.ts';
import { logger } from '../../../shared/logger.ts';
import { ingestQueuedBatch } from '../ingest.ts';

export const handler = createConsumer(async (event) => {
  const data = event.data as ExecutionBatchQueued['data'];
  const outcome = await ingestQueuedBatch(data.batchId);
  logger.info('execution batch handled', { batchId: data.batchId, chunks: data.chunks, outcome });
});
