/**
 * Routes of execution data ingestion: treasury or accounting batches, accepted by
 * jobs/submit-batch.ts and stored by jobs/ingest-batch.ts (domain/execution-rows.ts has the row format).
 */
import * as z from 'zod/mini';
import { fiscalYear, prefixedId } from '../../../shared/pure/fields.ts';
import { defineRoute } from '../../../shared/http/route.ts';
import { MAX_BATCH_ROWS } from '../domain/execution-rows.ts';

/** Lambda's synchronous invocation payload limit is 6 MB; the request and its JSON envelope must fit. */
export const EXECUTION_BATCH_MAX_BYTES = 5_900_000;

const SourceBatchIdSchema = z.string().check(
  z.regex(/^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$/, 'must be the source system’s batch id: 1-128 letters, digits, . _ : / - (starting with a letter or digit)'),
);

export const ExecutionBatchRequestSchema = z.discriminatedUnion('format', [
  z.strictObject({
    format: z.literal('csv'),
    sourceBatchId: SourceBatchIdSchema,
    fiscalYear: fiscalYear(),
    /** CSV text with a header row: objectId, date, amountYuan, voucher[, economicClass]. */
    content: z.string().check(z.minLength(1), z.maxLength(EXECUTION_BATCH_MAX_BYTES)),
  }),
  z.strictObject({
    format: z.literal('json'),
    sourceBatchId: SourceBatchIdSchema,
    fiscalYear: fiscalYear(),
    /** Row objects: { objectId, date, amountYuan, voucher, economicClass? }; each is checked on its own (bad rows are reported by index). */
    rows: z.array(z.unknown()).check(z.minLength(1), z.maxLength(MAX_BATCH_ROWS)),
  }),
]);

const RowProblemSchema = z.object({ line: z.number(), field: z.string(), reason: z.string() });

export const ExecutionBatchSchema = z.object({
  batchId: z.string(),
  sourceBatchId: z.string(),
  fiscalYear: z.number(),
  format: z.enum(['csv', 'json']),
  /** `sync`: ingested during the request (≤ 500 good rows, 200); `queued`: by the ingester (202). */
  mode: z.enum(['sync', 'queued']),
  status: z.enum(['queued', 'running', 'done', 'failed']),
  /** Bad rows were skipped (`?partial=true`). */
  partial: z.boolean(),
  /** Data rows in the batch, good and bad. */
  total: z.number(),
  /** Rows gone through so far: skipped bad rows + good rows stored; equals total when done. */
  processed: z.number(),
  /** Good rows stored; when done, all of them are in the per-object monthly totals. */
  ingested: z.number(),
  /** Bad rows (not ingested); `failed` lists the first 500 problems. */
  failedRows: z.number(),
  failed: z.array(RowProblemSchema),
  /** Chunk items holding the rows of a queued batch. */
  chunks: z.number(),
  /** Objects whose executed amounts this batch changed (when done). */
  objects: z.optional(z.number()),
  startedAt: z.string(),
  updatedAt: z.string(),
  finishedAt: z.optional(z.string()),
  /** Why the ingestion failed (status failed). */
  error: z.optional(z.string()),
  /** A queued batch without progress for 15 minutes: its event is being retried or is in the ingester's dead-letter queue. */
  stalled: z.optional(z.boolean()),
});

const tag = 'monitoring';

export const executionBatchRoutes = {
  ingestExecutionBatch: defineRoute({
    operationId: 'ingestExecutionBatch',
    tag,
    method: 'POST',
    path: '/v1/monitoring/execution-batches',
    summary:
      'Ingest treasury or accounting execution data (CSV or JSON) for one fiscal year. Idempotent per sourceBatchId: the same id and content answers the existing job (200, Idempotent-Replayed: true), other content 409. Every bad row is reported with its line and reason and nothing is ingested unless partial=true. Up to 500 good rows are ingested during the request (200); larger batches are queued (202) with progress at GET /v1/monitoring/execution-batches/{batchId}',
    auth: 'jwt',
    roles: ['finance'],
    query: z.strictObject({ partial: z.optional(z.enum(['true', 'false'])) }),
    body: ExecutionBatchRequestSchema,
    response: { status: 202, description: 'The queued job (200 with the finished job when ingested during the request, or the existing job for a sourceBatchId received before)', schema: ExecutionBatchSchema },
    problems: [409, 422],
    problemDescriptions: {
      409: 'The sourceBatchId was already received with different content; nothing was changed',
      422: 'Rows are invalid (`rows` lists each problem with its line, field and reason, `failedRows` counts the bad rows) or the file cannot be read; nothing was ingested',
    },
    maxBodyBytes: EXECUTION_BATCH_MAX_BYTES,
  }),
  getExecutionBatch: defineRoute({
    operationId: 'getExecutionBatch',
    tag,
    method: 'GET',
    path: '/v1/monitoring/execution-batches/{batchId}',
    summary: 'Progress and result of an execution data batch',
    auth: 'jwt',
    roles: ['finance'],
    params: z.strictObject({ batchId: prefixedId('exb', 'an execution batch id') }),
    response: { status: 200, description: 'The batch job', schema: ExecutionBatchSchema },
    problems: [404],
  }),
};
