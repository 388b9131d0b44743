/**
 * Execution data batches: the job of each batch, its queued chunks, its rows, and the claim of
 * the treasury's source batch id (one batch per source batch id).
 *
 * Keys (none of these items has index keys):
 * | item         | pk                      | sk            | attributes |
 * |--------------|-------------------------|---------------|------------|
 * | batch (job)  | EXECBATCH#<batchId>     | META          | kind exec-batch; status queued/running/done/failed, counters, first 500 row problems (`BatchMeta`) |
 * | batch chunk  | EXECBATCH#<batchId>     | CHUNK#<0001>  | kind exec-chunk; good rows of a queued batch, one JSON array per line (`encodeRow`), ≤ 350 KB; ttl 14 days |
 * | batch row    | EXECBATCH#<batchId>     | ROW#<0000002> | kind exec-row; line, objectId, date, month, amountYuan, amountFen, voucher, economicClass (kept for audit) |
 * | source claim | EXECSRC#<sourceBatchId> | CLAIM         | kind exec-claim; batchId, contentHash, fiscalYear |
 *
 * The line in a row's sort key is zero-padded to 7 digits (a 5.9 MB body has fewer lines), so
 * rows sort by line; a chunk number to 4. The per-object monthly totals the rows add up to are
 * in store/execution-totals.ts. Reads by key only (GetItem); nothing here queries or scans.
 */
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Actor } from '../../../events/envelope.ts';
import { batchWrite } from '../../../shared/batch-write.ts';
import { documentClient } from '../../../shared/clients/dynamodb.ts';
import { conditionFailedAt } from '../../../shared/conditions.ts';
import { ENV_KEYS, requireEnv } from '../../../shared/env.ts';
import { stripKeys } from '../../../shared/items.ts';
import { writeWithOutbox, type OutboxEvent } from '../../../shared/outbox.ts';
import type { ExecutionRow, RowProblem } from '../domain/execution-rows.ts';

const table = () => requireEnv(ENV_KEYS.tableName);
const source = () => requireEnv(ENV_KEYS.eventSource);

/** Chunks are transport: kept as long as a failed ingestion can be retried or redriven (the consumer's idempotency window). */
export const CHUNK_RETENTION_DAYS = 14;

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
  return result.Item ? stripKeys<SourceClaim>(result.Item) : undefined;
}

export async function getBatch(batchId: string): Promise<BatchMeta | undefined> {
  const result = await documentClient().send(new GetCommand({ TableName: table(), Key: metaKey(batchId), ConsistentRead: true }));
  return result.Item ? stripKeys<BatchMeta>(result.Item) : undefined;
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
  return result.Item ? stripKeys<Chunk>(result.Item) : undefined;
}

/** Removes the chunks of a batch that was never created (its source id was claimed meanwhile). */
export async function deleteChunks(batchId: string, count: number): Promise<void> {
  await batchWrite(
    table(),
    Array.from({ length: count }, (_, i) => ({ DeleteRequest: { Key: chunkKey(batchId, i + 1) } })),
  );
}

// ---------- rows ----------

/** A 100,000-row batch is 4,000 writes: give throttled ones more room than a single item gets. */
const ROW_WRITE_ATTEMPTS = 10;

type Item = Record<string, unknown>;

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

/**
 * Stores up to 25 rows in one BatchWriteItem, retrying unprocessed items with jittered back-off
 * (shared/batch-write.ts; ROW_WRITE_ATTEMPTS, then the ingestion fails and is retried as a whole). Rows
 * are keyed by batch and line, so writing a row again (a retried ingestion) changes nothing.
 */
export async function writeRows(batchId: string, rows: readonly ExecutionRow[]): Promise<void> {
  if (rows.length > 25) throw new Error(`BatchWriteItem takes at most 25 items, got ${rows.length}`);
  await batchWrite(
    table(),
    rows.map((row) => ({ PutRequest: { Item: rowItem(batchId, row) } })),
    ROW_WRITE_ATTEMPTS,
  );
}
