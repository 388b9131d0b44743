/**
 * Ingesting execution data: the rows of an accepted batch stored and their per-object monthly
 * totals applied, for the ingester consumer (`ingestQueuedBatch`, a queued batch) and for the
 * request itself (a synchronous batch, jobs/submit-batch.ts) alike.
 *
 * Rows are streamed chunk by chunk (the next chunk is read while the current one is written),
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
import type { ExecutionBatchQueued } from '../../../events/monitoring-ingest.ts';
import type { ConsumedEvent } from '../../../shared/consumer.ts';
import { logger } from '../../../shared/logger.ts';
import type { ExecutionRow } from '../domain/execution-rows.ts';
import * as store from '../store/execution-batches.ts';
import { refreshDashboards } from '../store/dashboard-view.ts';
import * as totals from '../store/execution-totals.ts';

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

class MissingChunk extends Error {}

/** The ingester consumer's work: one `ExecutionBatchQueued` event. */
export async function handleBatchQueued(event: ConsumedEvent): Promise<void> {
  const data = event.data as ExecutionBatchQueued['data'];
  const outcome = await ingestQueuedBatch(data.batchId);
  logger.info('execution batch handled', { batchId: data.batchId, chunks: data.chunks, outcome });
}

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
    await ingestRows(meta, chunkSegments(meta), now);
    return 'done';
  } catch (error) {
    if (!(error instanceof MissingChunk)) throw error;
    await store.failBatch(batchId, error.message, now().toISOString());
    logger.error('execution batch failed', { batchId, error });
    return 'failed';
  }
}

export interface Segment {
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

/** Stores the rows of `segments` and applies their totals, then marks the job done. */
export async function ingestRows(meta: store.BatchMeta, segments: Iterable<Segment> | AsyncIterable<Segment>, now: () => Date): Promise<void> {
  const sums = new Map<string, Map<number, number>>();
  const writer = new RowWriter(meta, now);
  try {
    for await (const segment of segments) {
      for (const row of segment.rows) {
        let months = sums.get(row.objectId);
        if (!months) sums.set(row.objectId, (months = new Map()));
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
  const objects = [...sums.entries()];
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(TOTALS_CONCURRENCY, objects.length) }, async () => {
      while (next < objects.length) {
        const [objectId, months] = objects[next++] as [string, Map<number, number>];
        await totals.applyObjectTotals(meta.batchId, objectId, meta.fiscalYear, months, at);
        // Also when the batch was applied before (a retry after a crash): the refresh recomputes from the stored totals.
        await refreshDashboards(objectId);
      }
    }),
  );
  await store.finishBatch(meta.batchId, { total: meta.total, ingested: stored, objects: sums.size }, now().toISOString());
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
