/**
 * Accepting execution data: `POST /v1/monitoring/execution-batches` (and reading a batch's job).
 *
 * 1. The content hash (fiscal year, format, the CSV text or each JSON row) is compared with the
 *    claim of the treasury's `sourceBatchId`: the same id with the same content answers the
 *    existing job (200) and changes nothing; with different content, 409.
 * 2. Every row is read and checked by streaming over the body (`executionRows`, a generator):
 *    only counts and the first `MAX_REPORTED_ROW_ERRORS` problems are kept, never the rows. A
 *    file that cannot be read (header, CSV syntax, too many rows) is refused (422); bad rows
 *    refuse the batch (422, every one with its line and reason) unless `partial`, which skips them.
 * 3. Up to `SYNC_MAX_ROWS` good rows: the job and claim are written in one transaction and the
 *    rows ingested during the request (200 with the finished job). More: a second pass writes
 *    the good rows into chunk items of at most `CHUNK_TEXT_BYTES` (one at a time, so memory holds
 *    one chunk), then one transaction writes the job (queued), the claim and the
 *    `ExecutionBatchQueued` outbox event; 202 with the job. The chunks are written before that
 *    transaction because a transaction holds at most 4 MB and a body may be 5.9 MB; until the
 *    job exists nothing refers to them, and a batch that loses the race for its source id
 *    deletes them (they also expire after 14 days).
 *
 * The rows themselves are stored, and their totals applied, by jobs/ingest-batch.ts: during the
 * request for a synchronous batch, by the ingester consumer for a queued one.
 */
import { createHash } from 'node:crypto';
import { Problem } from '../../../shared/errors.ts';
import { newTimeOrderedId } from '../../../shared/ids.ts';
import { logger } from '../../../shared/logger.ts';
import type { EventContext } from '../../../shared/outbox.ts';
import { executionRows, goodRows, type ExecutionInput, type ExecutionRow, type ReadOptions, type RowProblem } from '../domain/execution-rows.ts';
import { executionBatchQueued } from '../events.ts';
import * as store from '../store/execution-batches.ts';
import { ingestRows } from './ingest-batch.ts';

/** Up to this many good rows are ingested during the request (200); more are queued (202). */
export const SYNC_MAX_ROWS = 500;
/** Text of one chunk item, UTF-8 bytes; with its key and counters the item stays under 350 KB. */
export const CHUNK_TEXT_BYTES = 340_000;
/** Row problems kept on the job item (an item holds at most 400 KB); `failedRows` counts all. */
export const MAX_STORED_ROW_ERRORS = 500;
/** Row problems listed in a 422 (a Lambda response holds at most 6 MB); `failedRows` counts all. */
export const MAX_REPORTED_ROW_ERRORS = 10_000;
/** A queued or running job without progress for this long is reported as stalled. */
export const STALLED_AFTER_MS = 15 * 60_000;
/** A synchronous batch left unfinished (its request died) is resumed by a re-send after this long. */
export const SYNC_RESUME_AFTER_MS = 60_000;

export type ExecutionBatchRequest = { sourceBatchId: string; fiscalYear: number } & ({ format: 'csv'; content: string } | { format: 'json'; rows: unknown[] });

/** The job as the API shows it. */
export type BatchView = Omit<store.BatchMeta, 'startedBy' | 'contentHash' | 'correlationId' | 'actor' | 'chunksDone'> & { stalled?: boolean };

export interface SubmitResult {
  status: 200 | 202;
  job: BatchView;
  /** The source batch id was received before: this is that batch's job. */
  replayed: boolean;
}

// ---------------------------------------------------------------------------------------------
// Refusals

export class BatchRejected extends Problem {
  constructor(
    readonly rows: RowProblem[],
    readonly failedRows: number,
    detail: string,
  ) {
    super(422, 'execution-batch-rejected', detail, {
      errors: rows.slice(0, 200).map((r) => ({ field: `line ${r.line}: ${r.field}`, message: r.reason })),
    });
  }

  static badRows(rows: RowProblem[], failedRows: number, total: number): BatchRejected {
    const shown = rows.length < failedRows ? ` (the first ${rows.length.toLocaleString('en-US')} problems are listed)` : '';
    return new BatchRejected(
      rows,
      failedRows,
      `${failedRows} of ${total} row(s) are invalid; nothing was ingested${shown}. Fix them, or send partial=true to ingest the valid rows only.`,
    );
  }

  static unreadable(problems: RowProblem[]): BatchRejected {
    return new BatchRejected(problems, 0, `The batch cannot be read: ${problems.map((p) => `line ${p.line}: ${p.field === 'file' ? '' : `${p.field}: `}${p.reason}`).join('; ')}. Nothing was ingested.`);
  }

  override toBody(instance?: string, correlationId?: string) {
    return { ...super.toBody(instance, correlationId), failedRows: this.failedRows, rows: this.rows };
  }
}

const sourceConflict = (sourceBatchId: string, batchId: string) =>
  new Problem(409, 'source-batch-conflict', `Source batch ${sourceBatchId} was already received (batch ${batchId}) with different content; nothing was changed. A corrected extract needs a new source batch id.`, {
    errors: [{ field: 'body.sourceBatchId', message: `already used by batch ${batchId} with different content` }],
  });

// ---------------------------------------------------------------------------------------------
// Accepting a batch

/** A new execution batch id (`exb_...`), in creation order. */
export const newBatchId = (now: Date): string => newTimeOrderedId('exb', now);

/** What makes two requests "the same batch": year, format and content, byte for byte. */
export function contentHash(request: ExecutionBatchRequest): string {
  const hash = createHash('sha256').update(`execution-batch/v1\n${request.fiscalYear}\n${request.format}\n`);
  if (request.format === 'csv') hash.update(request.content);
  else for (const row of request.rows) hash.update(`${JSON.stringify(row)}\n`);
  return hash.digest('hex');
}

const rowsOf = (request: ExecutionBatchRequest): ExecutionInput => (request.format === 'csv' ? { format: 'csv', content: request.content } : { format: 'json', rows: request.rows });

export async function submitBatch(input: {
  request: ExecutionBatchRequest;
  partial: boolean;
  events: EventContext;
  now?: () => Date;
  /** Test seam: smaller chunks. */
  chunkBytes?: number;
}): Promise<SubmitResult> {
  const now = input.now ?? (() => new Date());
  const { request } = input;
  const rows = rowsOf(request);
  const options: ReadOptions = { fiscalYear: request.fiscalYear };
  const hash = contentHash(request);

  const claimed = await store.getClaim(request.sourceBatchId);
  if (claimed) return answerExisting(claimed, hash, rows, options, now);

  // First pass: check every row, keep counts and the first problems only.
  let total = 0;
  let good = 0;
  let failedRows = 0;
  const problems: RowProblem[] = [];
  for (const outcome of executionRows(rows, options)) {
    if (outcome.kind === 'file') throw BatchRejected.unreadable(outcome.problems);
    total++;
    if (outcome.kind === 'good') {
      good++;
      continue;
    }
    failedRows++;
    for (const problem of outcome.problems) if (problems.length < MAX_REPORTED_ROW_ERRORS) problems.push(problem);
  }
  if (failedRows > 0 && !input.partial) throw BatchRejected.badRows(problems, failedRows, total);
  if (good === 0) throw new BatchRejected(problems, failedRows, `All ${total} row(s) are invalid; there is nothing to ingest.`);

  const at = now();
  const mode = good <= SYNC_MAX_ROWS ? 'sync' : 'queued';
  const meta: store.BatchMeta = {
    batchId: newBatchId(at),
    sourceBatchId: request.sourceBatchId,
    fiscalYear: request.fiscalYear,
    format: request.format,
    mode,
    status: mode === 'sync' ? 'running' : 'queued',
    partial: input.partial,
    total,
    processed: failedRows,
    ingested: 0,
    failedRows,
    failed: problems.slice(0, MAX_STORED_ROW_ERRORS),
    chunks: 0,
    chunksDone: 0,
    startedAt: at.toISOString(),
    updatedAt: at.toISOString(),
    startedBy: input.events.actor.sub,
    contentHash: hash,
    correlationId: input.events.correlationId,
    actor: { sub: input.events.actor.sub, role: input.events.actor.role, region: input.events.actor.region },
  };

  if (mode === 'sync') {
    if (!(await store.createBatch(meta, []))) return answerExisting(await claimOf(request.sourceBatchId), hash, rows, options, now);
    await ingestSync(meta, rows, options, now);
    return { status: 200, job: view(await batchOf(meta.batchId)), replayed: false };
  }

  meta.chunks = await writeChunks(meta.batchId, goodRows(rows, options), input.chunkBytes ?? CHUNK_TEXT_BYTES);
  if (!(await store.createBatch(meta, [executionBatchQueued(meta, input.events, at)]))) {
    await store.deleteChunks(meta.batchId, meta.chunks).catch((error: unknown) => logger.warn('could not delete the chunks of a batch that lost its source id', { error: error as Error }));
    return answerExisting(await claimOf(request.sourceBatchId), hash, rows, options, now);
  }
  return { status: 202, job: view(meta), replayed: false };
}

async function claimOf(sourceBatchId: string): Promise<store.SourceClaim> {
  const claim = await store.getClaim(sourceBatchId);
  if (!claim) throw new Error(`source batch ${sourceBatchId} was claimed, but its claim cannot be read`);
  return claim;
}

async function batchOf(batchId: string): Promise<store.BatchMeta> {
  const meta = await store.getBatch(batchId);
  if (!meta) throw new Error(`batch ${batchId} has no job item`);
  return meta;
}

/** A source batch id received before: the same content answers its job, other content 409. */
async function answerExisting(claim: store.SourceClaim, hash: string, rows: ExecutionInput, options: ReadOptions, now: () => Date): Promise<SubmitResult> {
  if (claim.contentHash !== hash) throw sourceConflict(claim.sourceBatchId, claim.batchId);
  const meta = await batchOf(claim.batchId);
  // A synchronous batch whose request died (timeout, crash) has no event to finish it: the
  // re-sent content does. Rows and totals are written idempotently, so this counts nothing twice.
  const abandoned = meta.status === 'failed' || (meta.status === 'running' && now().getTime() - Date.parse(meta.updatedAt) > SYNC_RESUME_AFTER_MS);
  if (meta.mode === 'sync' && abandoned && (await store.markRunning(meta.batchId, now().toISOString(), { fromFailed: true }))) {
    await ingestSync(meta, rows, options, now);
    return { status: 200, job: view(await batchOf(meta.batchId)), replayed: true };
  }
  return { status: 200, job: view(meta), replayed: true };
}

async function ingestSync(meta: store.BatchMeta, rows: ExecutionInput, options: ReadOptions, now: () => Date): Promise<void> {
  try {
    await ingestRows(meta, [{ n: 0, rows: goodRows(rows, options), write: true }], now);
  } catch (error) {
    await store.failBatch(meta.batchId, `ingestion failed: ${(error as Error).message}; send the same batch again to finish it`, now().toISOString()).catch(() => undefined);
    throw error;
  }
}

/** Second pass: good rows into chunk items, each written once full (one chunk in memory, one in flight). */
async function writeChunks(batchId: string, rows: Iterable<ExecutionRow>, maxBytes: number): Promise<number> {
  let n = 0;
  let text = '';
  let bytes = 0;
  let count = 0;
  let firstLine = 0;
  let lastLine = 0;
  let pending: Promise<void> = Promise.resolve();
  const flush = async () => {
    if (count === 0) return;
    const chunk: store.Chunk = { batchId, n: ++n, rows: count, firstLine, lastLine, text };
    await pending;
    pending = store.putChunk(chunk);
    // Handled here so a failure before the next await is not unhandled; it is re-thrown below.
    pending.catch(() => undefined);
    text = '';
    bytes = 0;
    count = 0;
  };
  for (const row of rows) {
    const line = `${store.encodeRow(row)}\n`;
    const size = Buffer.byteLength(line, 'utf8');
    if (bytes + size > maxBytes) await flush();
    if (count === 0) firstLine = row.line;
    text += line;
    bytes += size;
    count++;
    lastLine = row.line;
  }
  await flush();
  await pending;
  return n;
}

// ---------------------------------------------------------------------------------------------
// Reading a job

export function view(meta: store.BatchMeta, now = new Date()): BatchView {
  const { startedBy: _s, contentHash: _h, correlationId: _c, actor: _a, chunksDone: _d, ...rest } = meta;
  const open = meta.status === 'queued' || meta.status === 'running';
  const stalled = open && meta.mode === 'queued' && now.getTime() - Date.parse(meta.updatedAt) > STALLED_AFTER_MS;
  return { ...rest, ...(stalled ? { stalled: true } : {}) };
}

export async function readBatch(batchId: string): Promise<BatchView | undefined> {
  const meta = await store.getBatch(batchId);
  return meta ? view(meta) : undefined;
}
