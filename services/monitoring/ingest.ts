/**
 * Execution data ingestion: `POST /v1/monitoring/execution-batches` and the ingester behind it.
 *
 * Accepting a batch (the API, `submitBatch`):
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
 * Ingesting (the ingester consumer, `ingestQueuedBatch`, and the synchronous path alike):
 * rows are streamed chunk by chunk (the next chunk is read while the current one is written),
 * stored 25 per BatchWriteItem with `WRITE_CONCURRENCY` calls in flight, their amounts summed in
 * a map of object → month → fen (bounded by objects × months, not rows). Progress reaches the
 * job every `PROGRESS_EVERY_ROWS` rows, and a checkpoint (`chunksDone`) once every row of a chunk
 * and of the chunks before it is stored; both are written in the background, in order, so the
 * row writes never stop for them. After the last row each object's totals get one conditional
 * UpdateItem (ADD per month, guarded by `appliedBatches`; `TOTALS_CONCURRENCY` in flight), then
 * the job is done. Dashboards may see some objects' totals include the batch a moment before
 * others do; the job says `done` only when all do.
 *
 * Idempotent: a redelivered or retried event re-reads every chunk (to rebuild the totals) but
 * writes rows only from the first chunk after the checkpoint; rows are keyed by line, so a row
 * written twice is the same item; an object whose totals already include the batch is skipped
 * by its condition. So a crash at any point, and any number of redeliveries, count every row once.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Actor } from '../../events/envelope.ts';
import type { ExecutionBatchQueued } from '../../events/monitoring-ingest.ts';
import { Problem } from '../../shared/errors.ts';
import { logger } from '../../shared/logger.ts';
import { newEvent, type OutboxEvent } from '../../shared/outbox.ts';
import { executionRows, goodRows, type ExecutionInput, type ExecutionRow, type ReadOptions, type RowProblem } from './domain/execution-rows.ts';
import * as store from './execution-store.ts';

/** Up to this many good rows are ingested during the request (200); more are queued (202). */
export const SYNC_MAX_ROWS = 500;
/** Text of one chunk item, UTF-8 bytes; with its key and counters the item stays under 350 KB. */
export const CHUNK_TEXT_BYTES = 340_000;
/** Progress is written to the job after every this many rows (and at each chunk's end). */
export const PROGRESS_EVERY_ROWS = 1_000;
/**
 * BatchWriteItem calls in flight at once. A batch's rows share one partition key, which DynamoDB
 * serves at up to 1,000 WCU/s (about 1,000 rows/s here) until adaptive capacity splits it: more
 * calls in flight would only be throttled (unprocessed items, retried with back-off).
 */
export const WRITE_CONCURRENCY = 4;
/** Totals updates in flight at once: one object each, so each its own partition. */
export const TOTALS_CONCURRENCY = 16;
/** Row problems kept on the job item (an item holds at most 400 KB); `failedRows` counts all. */
export const MAX_STORED_ROW_ERRORS = 500;
/** Row problems listed in a 422 (a Lambda response holds at most 6 MB); `failedRows` counts all. */
export const MAX_REPORTED_ROW_ERRORS = 10_000;
/** A queued or running job without progress for this long is reported as stalled. */
export const STALLED_AFTER_MS = 15 * 60_000;
/** A synchronous batch left unfinished (its request died) is resumed by a re-send after this long. */
export const SYNC_RESUME_AFTER_MS = 60_000;

export type ExecutionBatchRequest = { sourceBatchId: string; fiscalYear: number } & ({ format: 'csv'; content: string } | { format: 'json'; rows: unknown[] });

export interface EventContext {
  actor: Pick<Actor, 'sub' | 'role' | 'region'>;
  region: string;
  correlationId: string;
}

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

export function newBatchId(now: Date): string {
  return `exb_${now.getTime().toString(36).padStart(9, '0')}${randomBytes(6).toString('hex')}`;
}

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
  if (!(await store.createBatch(meta, [batchQueued(meta, input.events, at)]))) {
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
    await ingest(meta, [{ n: 0, rows: goodRows(rows, options), write: true }], now);
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

function batchQueued(meta: store.BatchMeta, ctx: EventContext, at: Date): OutboxEvent {
  return newEvent<ExecutionBatchQueued['data']>({
    detailType: 'ExecutionBatchQueued',
    version: 1,
    subject: { type: 'import', id: meta.batchId },
    actor: ctx.actor,
    region: ctx.region,
    correlationId: ctx.correlationId,
    now: at,
    data: { batchId: meta.batchId, chunks: meta.chunks },
  });
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

// ---------------------------------------------------------------------------------------------
// Ingesting

class MissingChunk extends Error {}

/**
 * The ingester's part: stores a queued batch's rows and applies its totals, resuming after the
 * last checkpoint. A batch done (or failed for good) is left alone, so a redelivered event is
 * harmless. Transient errors are thrown (the bus retries); a missing chunk fails the batch.
 */
export async function ingestQueuedBatch(batchId: string, options: { now?: () => Date } = {}): Promise<'done' | 'skipped' | 'failed'> {
  const now = options.now ?? (() => new Date());
  const meta = await store.getBatch(batchId);
  if (!meta) {
    logger.warn('execution batch not found; nothing to ingest', { batchId });
    return 'skipped';
  }
  if (meta.mode !== 'queued' || !(await store.markRunning(batchId, now().toISOString()))) return 'skipped';
  try {
    await ingest(meta, chunkSegments(meta), now);
    return 'done';
  } catch (error) {
    if (!(error instanceof MissingChunk)) throw error;
    await store.failBatch(batchId, error.message, now().toISOString());
    logger.error('execution batch failed', { batchId, error });
    return 'failed';
  }
}

interface Segment {
  /** Chunk number; 0 for the rows of a synchronous batch (no checkpoint). */
  n: number;
  rows: Iterable<ExecutionRow>;
  /** False for chunks stored by an earlier attempt: their rows only count towards the totals. */
  write: boolean;
}

async function* chunkSegments(meta: store.BatchMeta): AsyncGenerator<Segment> {
  const read = (n: number) => {
    const p = store.getChunk(meta.batchId, n);
    p.catch(() => undefined);
    return p;
  };
  let next = meta.chunks >= 1 ? read(1) : undefined;
  for (let n = 1; n <= meta.chunks; n++) {
    const chunk = await next;
    next = n < meta.chunks ? read(n + 1) : undefined;
    if (!chunk) throw new MissingChunk(`chunk ${n} of ${meta.chunks} is missing (chunks are kept ${store.CHUNK_RETENTION_DAYS} days); send the batch again under a new source batch id`);
    yield { n, rows: store.chunkRows(chunk.text), write: n > meta.chunksDone };
  }
}

async function ingest(meta: store.BatchMeta, segments: Iterable<Segment> | AsyncIterable<Segment>, now: () => Date): Promise<void> {
  const totals = new Map<string, Map<number, number>>();
  const writer = new RowWriter(meta, now);
  try {
    for await (const segment of segments) {
      for (const row of segment.rows) {
        let months = totals.get(row.objectId);
        if (!months) totals.set(row.objectId, (months = new Map()));
        months.set(row.month, (months.get(row.month) ?? 0) + row.amountFen);
        if (!segment.write) {
          writer.skip();
          continue;
        }
        const full = writer.add(row, segment.n);
        if (full) await full;
      }
      if (segment.write) await writer.close(segment.n);
    }
  } catch (error) {
    // Nothing keeps running after the attempt fails: the writes in flight and the job updates end first.
    await writer.abandon();
    throw error;
  }
  const stored = await writer.finish();

  const at = now().toISOString();
  const objects = [...totals.entries()];
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(TOTALS_CONCURRENCY, objects.length) }, async () => {
      while (next < objects.length) {
        const [objectId, months] = objects[next++] as [string, Map<number, number>];
        await store.applyObjectTotals(meta.batchId, objectId, meta.fiscalYear, months, at);
      }
    }),
  );
  await store.finishBatch(meta.batchId, { total: meta.total, ingested: stored, objects: totals.size }, now().toISOString());
}

/**
 * Rows → BatchWriteItem calls of 25 (a call never spans two chunks), `WRITE_CONCURRENCY` in
 * flight. The job's progress (every `PROGRESS_EVERY_ROWS` rows) and the chunk checkpoints (chunk
 * n once every row of it and of every chunk before it is stored) are written one after another
 * in the background, so the row writes never wait for them; `finish` waits for everything.
 */
class RowWriter {
  private buffer: ExecutionRow[] = [];
  private bufferChunk = 0;
  private readonly inFlight = new Set<Promise<void>>();
  private failure: { error: unknown } | undefined;
  /** Rows stored: by this attempt, and in the chunks an earlier attempt checkpointed. */
  private stored = 0;
  private mark = 0;
  /** Writes not yet done, by chunk; chunks whose rows were all handed over. */
  private readonly pending = new Map<number, number>();
  private readonly closed = new Set<number>();
  private nextCheckpoint: number;
  /** Job updates (progress, checkpoints), in order. */
  private updates: Promise<void> = Promise.resolve();

  constructor(
    private readonly meta: store.BatchMeta,
    private readonly now: () => Date,
  ) {
    this.nextCheckpoint = meta.chunksDone + 1;
  }

  /** A row of a chunk stored by an earlier attempt: counted, not written. */
  skip(): void {
    this.stored++;
  }

  /** Buffers a row of chunk `chunk`; when 25 are buffered, returns the promise of sending them (await it). */
  add(row: ExecutionRow, chunk: number): Promise<void> | undefined {
    this.buffer.push(row);
    this.bufferChunk = chunk;
    return this.buffer.length >= 25 ? this.send() : undefined;
  }

  /** Every row of chunk `chunk` was handed over: sends the rest (without waiting for it). */
  async close(chunk: number): Promise<void> {
    await this.send();
    if (chunk > 0) {
      this.closed.add(chunk);
      this.advance();
    }
  }

  /** Sends what is buffered and waits for every write and job update; returns the rows stored. */
  async finish(): Promise<number> {
    await this.send();
    await this.settle();
    this.check();
    return this.stored;
  }

  /** Waits for the writes in flight and the job updates, whatever their outcome. */
  async abandon(): Promise<void> {
    await this.settle();
  }

  private progress() {
    return { processed: this.meta.failedRows + this.stored, ingested: this.stored };
  }

  private enqueue(update: () => Promise<void>): void {
    this.updates = this.updates.then(update).catch((error: unknown) => {
      this.failure ??= { error };
    });
  }

  /** Checkpoints, in order, every closed chunk with no write pending. */
  private advance(): void {
    while (this.closed.has(this.nextCheckpoint) && !this.pending.get(this.nextCheckpoint)) {
      const n = this.nextCheckpoint++;
      this.closed.delete(n);
      this.pending.delete(n);
      const progress = this.progress();
      this.enqueue(() => store.recordChunkDone(this.meta.batchId, n, progress, this.now().toISOString()));
    }
  }

  private async settle(): Promise<void> {
    await Promise.all(this.inFlight);
    await this.updates;
  }

  private check(): void {
    if (this.failure) throw this.failure.error;
  }

  private async send(): Promise<void> {
    this.check();
    const rows = this.buffer;
    const chunk = this.bufferChunk;
    this.buffer = [];
    if (rows.length === 0) return;
    while (this.inFlight.size >= WRITE_CONCURRENCY) {
      await Promise.race(this.inFlight);
      if (this.failure) {
        await this.settle();
        this.check();
      }
    }
    this.pending.set(chunk, (this.pending.get(chunk) ?? 0) + 1);
    const task: Promise<void> = store
      .writeRows(this.meta.batchId, rows)
      .then(() => {
        this.stored += rows.length;
        this.pending.set(chunk, (this.pending.get(chunk) ?? 1) - 1);
        const reached = Math.floor(this.stored / PROGRESS_EVERY_ROWS);
        if (reached > this.mark) {
          this.mark = reached;
          const progress = this.progress();
          this.enqueue(() => store.recordProgress(this.meta.batchId, progress, this.now().toISOString()));
        }
        this.advance();
      })
      .catch((error: unknown) => {
        this.failure ??= { error };
      })
      .finally(() => this.inFlight.delete(task));
    this.inFlight.add(task);
  }
}
