/**
 * The ingester: stores the rows of a queued execution batch and applies its per-object monthly
 * totals (jobs/ingest-batch.ts). Subscribed to the service's own `ExecutionBatchQueued`;
 * idempotent on the event id (createConsumer) and, beyond that, on the batch itself: a
 * redelivery resumes after the last stored chunk and never counts a row twice.
 */
import { createConsumer } from '../../../shared/consumer.ts';
import { handleBatchQueued } from '../jobs/ingest-batch.ts';

export const handler = createConsumer(handleBatchQueued);
