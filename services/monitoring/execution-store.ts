/**
 * All access to the monitoring table for execution data: batches, their queued chunks, their
 * rows, source-batch claims and the per-object monthly totals that dashboards and report
 * pre-fill read.
 *
 * Keys (the monitoring table, single-table design; none of these items has index keys):
 * | item              | pk                        | sk                 | attributes                                                      |
 * |-------------------|---------------------------|--------------------|-----------------------------------------------------------------|
 * | batch (job)       | EXECBATCH#<batchId>       | META               | kind exec-batch; status queued/running/done/failed, counters, first 500 row problems (`BatchMeta`) |
 * | batch chunk       | EXECBATCH#<batchId>       | CHUNK#<0001>       | kind exec-chunk; good rows of a queued batch, one JSON array per line (`encodeRow`), ≤ 350 KB; ttl 14 days |
 * | batch row         | EXECBATCH#<batchId>       | ROW#<0000002>      | kind exec-row; line, objectId, date, month, amountYuan, amountFen, voucher, economicClass (kept for audit) |
 * | source claim      | EXECSRC#<sourceBatchId>   | CLAIM              | kind exec-claim; batchId, contentHash, fiscalYear: one batch per treasury batch id |
 * | object totals     | EXEC#<objectId>           | TOTAL              | kind exec-total; m<YYYYMM> = integer fen, fiscalYear, appliedBatches (string set of batch ids) |
 *
 * The line in a row's sort key is zero-padded to 7 digits (a 5.9 MB body has fewer lines), so
 * rows sort by line; a chunk number to 4. Totals are applied once per batch and object: an
 * `ADD` of every month with `appliedBatches`, conditional on the batch not being in that set
 * yet, so a retried ingestion never counts a batch twice. `appliedBatches` grows by one id
 * (about 25 bytes) per batch that touches the object.
 *
 * Reads by key only (GetItem, BatchGetItem); nothing here queries or scans.
 */
import { BatchWriteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Actor } from '../../events/envelope.ts';
import { batchGet } from '../../shared/batch-get.ts';
import { documentClient } from '../../shared/clients/dynamodb.ts';
import { conditionFailedAt } from '../../shared/conditions.ts';
import { ENV_KEYS, requireEnv } from '../../shared/env.ts';
import { writeWithOutbox, type OutboxEvent } from '../../shared/outbox.ts';
import { fenToWan, monthAttribute, type ExecutionRow, type RowProblem } from './domain/execution-rows.ts';

const table = () => requireEnv(ENV_KEYS.tableName);
const source = () => requireEnv(ENV_KEYS.eventSource);

/** Chunks are transport: kept as long as a failed ingestion can be retried or redriven (the consumer's idempotency window). */
export const CHUNK_RETENTION_DAYS = 14;
/** BatchWriteItem attempts for one group of rows before the ingestion fails (and is retried as a whole). */
const MAX_WRITE_ATTEMPTS = 10;

export type BatchStatus = 'queued' | 'running' | 'done' | 'failed';

export interface BatchMeta {
  batchId: string;
  sourceBatchId: string;
  fiscalYear: number;
  format: 'csv' | 'json';
  /** `sync`: ingested during the request (≤ 500 rows); `queued`: by the ingester. */
  mode: 'sync' | 'queued';
  status: BatchStatus;
  /** Good rows were ingested and bad ones skipped (`?partial=true`). */
  partial: boolean;
  /** Data rows in the batch, good and bad. */
  total: number;
  /** Rows gone through: bad rows (skipped, from the start) + good rows stored so far. */
  processed: number;
  /** Good rows stored so far; their amounts reach the object totals when the batch is done. */
  ingested: number;
  /** Bad rows (skipped; only with partial). */
  failedRows: number;
  /** The first 500 problems of the bad rows, by line. */
  failed: RowProblem[];
  /** Queued batches: chunk items written; `chunksDone`: chunks whose rows are all stored. */
  chunks: number;
  chunksDone: number;
  /** Objects whose totals this batch changed (set when done). */
  objects?: number;
  startedAt: string;
  updatedAt: string;
  finishedAt?: string;
  /** Why the ingestion failed for good (status failed). */
  error?: string;
  startedBy: string;
  contentHash: string;
  correlationId: string;
  actor: Pick<Actor, 'sub' | 'role' | 'region'>;
}

export interface SourceClaim {
  sourceBatchId: string;
  batchId: string;
  contentHash: string;
  fiscalYear: number;
  claimedAt: string;
}

const metaKey = (batchId: string) => ({ pk: `EXECBATCH#${batchId}`, sk: 'META' });
const chunkKey = (batchId: string, n: number) => ({ pk: `EXECBATCH#${batchId}`, sk: `CHUNK#${String(n).padStart(4, '0')}` });
const claimKey = (sourceBatchId: string) => ({ pk: `EXECSRC#${sourceBatchId}`, sk: 'CLAIM' });
const totalKey = (objectId: string) => ({ pk: `EXEC#${objectId}`, sk: 'TOTAL' });

function strip<T>(item: Record<string, unknown>): T {
  const { pk: _pk, sk: _sk, kind: _kind, ttl: _ttl, ...rest } = item;
  return rest as T;
}

// ---------- batches ----------

/**
 * Creates the batch: its job item and the source claim, and (queued batches) the outbox event
 * for the ingester, in one transaction. Returns false when the source batch id was claimed
 * first by another request (nothing written).
 */
export async function createBatch(meta: BatchMeta, events: OutboxEvent[]): Promise<boolean> {
  const claim: SourceClaim = { sourceBatchId: meta.sourceBatchId, batchId: meta.batchId, contentHash: meta.contentHash, fiscalYear: meta.fiscalYear, claimedAt: meta.startedAt };
  try {
    await writeWithOutbox({
      tableName: table(),
      source: source(),
      items: [
        { Put: { TableName: table(), Item: { ...claimKey(meta.sourceBatchId), kind: 'exec-claim', ...claim }, ConditionExpression: 'attribute_not_exists(pk)' } },
        { Put: { TableName: table(), Item: { ...metaKey(meta.batchId), kind: 'exec-batch', ...meta }, ConditionExpression: 'attribute_not_exists(pk)' } },
      ],
      events,
    });
    return true;
  } catch (error) {
    if (conditionFailedAt(error, 0)) return false;
    throw error;
  }
}

export async function getClaim(sourceBatchId: string): Promise<SourceClaim | undefined> {
  const result = await documentClient().send(new GetCommand({ TableName: table(), Key: claimKey(sourceBatchId), ConsistentRead: true }));
  return result.Item ? strip<SourceClaim>(result.Item) : undefined;
}

export async function getBatch(batchId: string): Promise<BatchMeta | undefined> {
  const result = await documentClient().send(new GetCommand({ TableName: table(), Key: metaKey(batchId), ConsistentRead: true }));
  return result.Item ? strip<BatchMeta>(result.Item) : undefined;
}

/**
 * queued (or running, when resumed) → running; also failed with `fromFailed` (a synchronous
 * batch finished by a re-send). False when the batch is done (or failed, without `fromFailed`).
 */
export async function markRunning(batchId: string, at: string, options: { fromFailed?: boolean } = {}): Promise<boolean> {
  try {
    await documentClient().send(
      new UpdateCommand({
        TableName: table(),
        Key: metaKey(batchId),
        UpdateExpression: 'SET #status = :running, #updatedAt = :at REMOVE #error',
        ConditionExpression: options.fromFailed ? '#status IN (:queued, :running, :failed)' : '#status IN (:queued, :running)',
        ExpressionAttributeNames: { '#status': 'status', '#error': 'error', '#updatedAt': 'updatedAt' },
        ExpressionAttributeValues: { ':running': 'running', ':queued': 'queued', ':at': at, ...(options.fromFailed ? { ':failed': 'failed' } : {}) },
      }),
    );
    return true;
  } catch (error) {
    if (conditionFailedAt(error, 0)) return false;
    throw error;
  }
}

/**
 * Progress for readers, every ~1,000 rows. Conditional on moving forward, so updates that
 * arrive out of order, or a resumed ingestion recounting, never make progress go back.
 */
export async function recordProgress(batchId: string, progress: { processed: number; ingested: number }, at: string): Promise<void> {
  try {
    await documentClient().send(
      new UpdateCommand({
        TableName: table(),
        Key: metaKey(batchId),
        UpdateExpression: 'SET #processed = :p, #ingested = :i, #updatedAt = :at',
        ConditionExpression: '#processed < :p AND #status = :running',
        ExpressionAttributeNames: { '#status': 'status', '#processed': 'processed', '#ingested': 'ingested', '#updatedAt': 'updatedAt' },
        ExpressionAttributeValues: { ':p': progress.processed, ':i': progress.ingested, ':at': at, ':running': 'running' },
      }),
    );
  } catch (error) {
    if (!conditionFailedAt(error, 0)) throw error;
  }
}

/** Checkpoint: every row of chunks 1..n is stored; a resumed ingestion writes from chunk n+1. */
export async function recordChunkDone(batchId: string, n: number, progress: { processed: number; ingested: number }, at: string): Promise<void> {
  try {
    await documentClient().send(
      new UpdateCommand({
        TableName: table(),
        Key: metaKey(batchId),
        UpdateExpression: 'SET #chunksDone = :n, #processed = :p, #ingested = :i, #updatedAt = :at',
        ConditionExpression: '#chunksDone < :n',
        ExpressionAttributeNames: { '#chunksDone': 'chunksDone', '#processed': 'processed', '#ingested': 'ingested', '#updatedAt': 'updatedAt' },
        ExpressionAttributeValues: { ':n': n, ':p': progress.processed, ':i': progress.ingested, ':at': at },
      }),
    );
  } catch (error) {
    if (!conditionFailedAt(error, 0)) throw error;
  }
}

export async function finishBatch(batchId: string, result: { total: number; ingested: number; objects: number }, at: string): Promise<void> {
  await documentClient().send(
    new UpdateCommand({
      TableName: table(),
      Key: metaKey(batchId),
      UpdateExpression: 'SET #status = :done, #processed = :total, #ingested = :ingested, #objects = :objects, #finishedAt = :at, #updatedAt = :at',
      ExpressionAttributeNames: { '#status': 'status', '#processed': 'processed', '#ingested': 'ingested', '#objects': 'objects', '#finishedAt': 'finishedAt', '#updatedAt': 'updatedAt' },
      ExpressionAttributeValues: { ':done': 'done', ':total': result.total, ':ingested': result.ingested, ':objects': result.objects, ':at': at },
    }),
  );
}

export async function failBatch(batchId: string, reason: string, at: string): Promise<void> {
  await documentClient().send(
    new UpdateCommand({
      TableName: table(),
      Key: metaKey(batchId),
      UpdateExpression: 'SET #status = :failed, #error = :reason, #updatedAt = :at',
      ConditionExpression: '#status <> :done',
      ExpressionAttributeNames: { '#status': 'status', '#error': 'error', '#updatedAt': 'updatedAt' },
      ExpressionAttributeValues: { ':failed': 'failed', ':done': 'done', ':reason': reason.slice(0, 1000), ':at': at },
    }),
  ).catch((error: unknown) => {
    if (!conditionFailedAt(error, 0)) throw error;
  });
}

// ---------- chunks ----------

/** A good row as one line of a chunk: a JSON array (JSON escapes line breaks inside values). */
export function encodeRow(row: ExecutionRow): string {
  return JSON.stringify(row.economicClass === undefined ? [row.line, row.objectId, row.date, row.amountFen, row.voucher] : [row.line, row.objectId, row.date, row.amountFen, row.voucher, row.economicClass]);
}

export function decodeRow(text: string): ExecutionRow {
  const [line, objectId, date, amountFen, voucher, economicClass] = JSON.parse(text) as [number, string, string, number, string, string?];
  return {
    line,
    objectId,
    date,
    month: Number(date.slice(0, 4)) * 100 + Number(date.slice(5, 7)),
    amountFen,
    voucher,
    ...(economicClass !== undefined ? { economicClass } : {}),
  };
}

/** The rows of a chunk's text, decoded one line at a time. */
export function* chunkRows(text: string): Generator<ExecutionRow> {
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    if (end > start) yield decodeRow(text.slice(start, end));
    start = end + 1;
  }
}

export interface Chunk {
  batchId: string;
  n: number;
  rows: number;
  firstLine: number;
  lastLine: number;
  text: string;
}

export async function putChunk(chunk: Chunk): Promise<void> {
  await documentClient().send(
    new PutCommand({ TableName: table(), Item: { ...chunkKey(chunk.batchId, chunk.n), kind: 'exec-chunk', ...chunk, ttl: Math.floor(Date.now() / 1000) + CHUNK_RETENTION_DAYS * 86400 } }),
  );
}

export async function getChunk(batchId: string, n: number): Promise<Chunk | undefined> {
  const result = await documentClient().send(new GetCommand({ TableName: table(), Key: chunkKey(batchId, n), ConsistentRead: true }));
  return result.Item ? strip<Chunk>(result.Item) : undefined;
}

/** Removes the chunks of a batch that was never created (its source id was claimed meanwhile). */
export async function deleteChunks(batchId: string, count: number): Promise<void> {
  for (let n = 1; n <= count; n += 25) {
    const keys = Array.from({ length: Math.min(25, count - n + 1) }, (_, i) => chunkKey(batchId, n + i));
    await writeRequests(keys.map((Key) => ({ DeleteRequest: { Key } })));
  }
}

// ---------- rows ----------

type Item = Record<string, unknown>;
type WriteRequest = { PutRequest?: { Item: Item }; DeleteRequest?: { Key: Item } };

/** The stored form of a row (for audit): its key, line and fields. */
export function rowItem(batchId: string, row: ExecutionRow): Item {
  return {
    pk: `EXECBATCH#${batchId}`,
    sk: `ROW#${String(row.line).padStart(7, '0')}`,
    kind: 'exec-row',
    line: row.line,
    objectId: row.objectId,
    date: row.date,
    month: row.month,
    amountYuan: row.amountFen / 100,
    amountFen: row.amountFen,
    voucher: row.voucher,
    ...(row.economicClass !== undefined ? { economicClass: row.economicClass } : {}),
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Exponential back-off with jitter: 50 ms, 100 ms, ... up to 3.2 s, each between half and all of it. */
const backoff = (attempt: number) => Math.min(3200, 50 * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2);

async function writeRequests(requests: WriteRequest[]): Promise<void> {
  let pending = requests;
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt >= MAX_WRITE_ATTEMPTS) throw new Error(`BatchWriteItem left ${pending.length} item(s) unprocessed after ${MAX_WRITE_ATTEMPTS} attempts`);
    if (attempt > 0) await sleep(backoff(attempt));
    const out = await documentClient().send(new BatchWriteCommand({ RequestItems: { [table()]: pending } }));
    pending = (out.UnprocessedItems?.[table()] ?? []) as WriteRequest[];
  }
}

/**
 * Stores up to 25 rows in one BatchWriteItem, retrying unprocessed items with back-off. Rows
 * are keyed by batch and line, so writing a row again (a retried ingestion) changes nothing.
 */
export async function writeRows(batchId: string, rows: readonly ExecutionRow[]): Promise<void> {
  if (rows.length > 25) throw new Error(`BatchWriteItem takes at most 25 items, got ${rows.length}`);
  await writeRequests(rows.map((row) => ({ PutRequest: { Item: rowItem(batchId, row) } })));
}

// ---------- per-object totals ----------

/**
 * Adds one batch's amounts for one object, month by month, in one UpdateItem, once: false when
 * the batch was applied to this object before (a retried ingestion).
 */
export async function applyObjectTotals(batchId: string, objectId: string, fiscalYear: number, months: ReadonlyMap<number, number>, at: string): Promise<boolean> {
  const names: Record<string, string> = { '#kind': 'kind', '#applied': 'appliedBatches', '#fiscalYear': 'fiscalYear', '#objectId': 'objectId', '#updatedAt': 'updatedAt' };
  const values: Record<string, unknown> = { ':batchSet': new Set([batchId]), ':batchId': batchId, ':fy': fiscalYear, ':kind': 'exec-total', ':objectId': objectId, ':at': at };
  const adds: string[] = [];
  let i = 0;
  for (const [month, fen] of months) {
    names[`#m${i}`] = monthAttribute(month);
    values[`:m${i}`] = fen;
    adds.push(`#m${i} :m${i}`);
    i++;
  }
  try {
    await documentClient().send(
      new UpdateCommand({
        TableName: table(),
        Key: totalKey(objectId),
        UpdateExpression: `ADD ${[...adds, '#applied :batchSet'].join(', ')} SET #fiscalYear = if_not_exists(#fiscalYear, :fy), #kind = :kind, #objectId = :objectId, #updatedAt = :at`,
        ConditionExpression: 'attribute_not_exists(#applied) OR NOT contains(#applied, :batchId)',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
    return true;
  } catch (error) {
    if (conditionFailedAt(error, 0)) return false;
    throw error;
  }
}

const monthsOf = (item: Item) =>
  Object.entries(item)
    .filter(([name, value]) => /^m\d{6}$/.test(name) && typeof value === 'number')
    .map(([name, fen]) => ({ month: Number(name.slice(1)), fen: fen as number }));

/**
 * Executed amounts in 万元 from January through `throughMonth` of `fiscalYear`, per object, from
 * the ingested execution data (BatchGetItem, 100 keys a call). An object with no ingested data at
 * all is absent from the map (callers fall back to the unit's reported figure); one with data,
 * but none in those months, is 0.
 */
export async function getExecutedWan(objectIds: string[], fiscalYear: number, throughMonth: number): Promise<Map<string, number>> {
  if (!Number.isInteger(throughMonth) || throughMonth < 1 || throughMonth > 12) throw new RangeError(`throughMonth must be 1-12, got ${throughMonth}`);
  const ids = [...new Set(objectIds)];
  const items = await batchGet(table(), ids.map(totalKey));
  // Objects the treasury has sent nothing for are absent (not 0): dashboards then fall back to the unit's report.
  const result = new Map<string, number>();
  const first = fiscalYear * 100 + 1;
  const last = fiscalYear * 100 + throughMonth;
  for (const item of items) {
    const fen = monthsOf(item).reduce((sum, m) => (m.month >= first && m.month <= last ? sum + m.fen : sum), 0);
    result.set(String(item.objectId ?? String(item.pk).slice('EXEC#'.length)), fenToWan(fen));
  }
  return result;
}

export interface ExecutedByMonth {
  objectId: string;
  fiscalYear?: number;
  /** Months with ingested execution data, in order; `month` is YYYY-MM. */
  months: { month: string; fen: number; wan: number }[];
  /** Batches whose amounts are included. */
  batches: number;
}

/** One object's executed amounts month by month (all years it has data for). */
export async function getExecutedByMonth(objectId: string): Promise<ExecutedByMonth> {
  const result = await documentClient().send(new GetCommand({ TableName: table(), Key: totalKey(objectId) }));
  const item = result.Item;
  if (!item) return { objectId, months: [], batches: 0 };
  const months = monthsOf(item)
    .sort((a, b) => a.month - b.month)
    .map(({ month, fen }) => ({ month: `${Math.floor(month / 100)}-${String(month % 100).padStart(2, '0')}`, fen, wan: fenToWan(fen) }));
  return {
    objectId,
    ...(typeof item.fiscalYear === 'number' ? { fiscalYear: item.fiscalYear } : {}),
    months,
    batches: item.appliedBatches instanceof Set ? item.appliedBatches.size : 0,
  };
}
