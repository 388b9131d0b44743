/**
 * Import jobs and the queued chunks of large imports (jobs/import.ts). Both expire 30 days
 * after they were written (`ttl`).
 *
 * | item          | pk               | sk              | GSIs |
 * |---------------|------------------|-----------------|------|
 * | import job    | IMPORT#<jobId>   | META            | –    |
 * | import chunk  | IMPORT#<jobId>   | CHUNK#<000001>  | –  (rows of a large import, queued for the importer) |
 */
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Actor } from '../../../events/envelope.ts';
import { documentClient } from '../../../shared/clients/dynamodb.ts';
import { conditionFailed, conditionFailedAt } from '../../../shared/conditions.ts';
import { ENV_KEYS, requireEnv } from '../../../shared/env.ts';
import { stripKeys } from '../../../shared/items.ts';
import { writeWithOutbox, type OutboxEvent } from '../../../shared/outbox.ts';
import type { IndicatorDraftInput } from '../domain/indicator.ts';

const table = () => requireEnv(ENV_KEYS.tableName);
const source = () => requireEnv(ENV_KEYS.eventSource);
const strip = stripKeys;
const pad = (n: number) => String(n).padStart(6, '0');

export interface ImportJob {
  jobId: string;
  status: 'running' | 'done' | 'failed';
  /** Large imports are written in the background, chunk by chunk. */
  mode?: 'sync' | 'queued';
  chunks?: number;
  total: number;
  processed: number;
  imported: number;
  skipped: number;
  /** The first row errors (capped); `failedRows` counts them all. */
  failed: { line: number; field: string; reason: string }[];
  failedRows?: number;
  ids?: { line: number; id: string; code?: string }[];
  startedAt: string;
  /** Last progress of a queued import. */
  updatedAt?: string;
  finishedAt?: string;
  startedBy: string;
}

const importJobItem = (job: ImportJob) => ({ pk: `IMPORT#${job.jobId}`, sk: 'META', kind: 'import', ...job, ttl: Math.floor(Date.now() / 1000) + 30 * 86400 });

export async function putImportJob(job: ImportJob): Promise<void> {
  await documentClient().send(new PutCommand({ TableName: table(), Item: importJobItem(job) }));
}

export async function recordImportProgress(jobId: string, progress: { processed: number; imported: number; skipped: number }): Promise<void> {
  await documentClient().send(
    new UpdateCommand({
      TableName: table(),
      Key: { pk: `IMPORT#${jobId}`, sk: 'META' },
      UpdateExpression: 'SET #p = :p, #i = :i, #s = :s',
      ExpressionAttributeNames: { '#p': 'processed', '#i': 'imported', '#s': 'skipped' },
      ExpressionAttributeValues: { ':p': progress.processed, ':i': progress.imported, ':s': progress.skipped },
    }),
  );
}

export async function getImportJob(jobId: string): Promise<ImportJob | undefined> {
  const result = await documentClient().send(new GetCommand({ TableName: table(), Key: { pk: `IMPORT#${jobId}`, sk: 'META' }, ConsistentRead: true }));
  return result.Item ? strip<ImportJob>(result.Item) : undefined;
}

export interface ImportChunk {
  jobId: string;
  chunk: number;
  status: 'queued' | 'done';
  publish: boolean;
  actor: Pick<Actor, 'sub' | 'role' | 'region'>;
  correlationId: string;
  rows: { line: number; draft: IndicatorDraftInput }[];
}

const chunkKey = (jobId: string, chunk: number) => ({ pk: `IMPORT#${jobId}`, sk: `CHUNK#${pad(chunk)}` });

/** Queues chunks with their events (the caller keeps each call within 100 transaction items). */
export async function queueImportChunks(chunks: ImportChunk[], events: OutboxEvent[], job?: ImportJob): Promise<void> {
  await writeWithOutbox({
    tableName: table(),
    source: source(),
    items: [
      ...(job ? [{ Put: { TableName: table(), Item: importJobItem(job), ConditionExpression: 'attribute_not_exists(pk)' } }] : []),
      ...chunks.map((chunk) => ({
      Put: { TableName: table(), Item: { ...chunkKey(chunk.jobId, chunk.chunk), kind: 'import-chunk', ...chunk, ttl: Math.floor(Date.now() / 1000) + 30 * 86400 } },
      })),
    ],
    events,
  });
}

export async function getImportChunk(jobId: string, chunk: number): Promise<ImportChunk | undefined> {
  const result = await documentClient().send(new GetCommand({ TableName: table(), Key: chunkKey(jobId, chunk), ConsistentRead: true }));
  return result.Item ? strip<ImportChunk>(result.Item) : undefined;
}

/**
 * Marks a chunk done and adds its counts to the job, once: a redelivered chunk finds it done.
 * Returns the job's counters after the update, or undefined if the chunk was already done.
 */
export async function completeImportChunk(
  jobId: string,
  chunk: number,
  counts: { processed: number; imported: number; skipped: number },
): Promise<{ processed: number; total: number } | undefined> {
  try {
    await writeWithOutbox({
      tableName: table(),
      source: source(),
      items: [
        {
          Update: {
            TableName: table(),
            Key: chunkKey(jobId, chunk),
            UpdateExpression: 'SET #status = :done REMOVE #rows',
            ConditionExpression: '#status = :queued',
            ExpressionAttributeNames: { '#status': 'status', '#rows': 'rows' },
            ExpressionAttributeValues: { ':done': 'done', ':queued': 'queued' },
          },
        },
        {
          Update: {
            TableName: table(),
            Key: { pk: `IMPORT#${jobId}`, sk: 'META' },
            UpdateExpression: 'ADD #p :p, #i :i, #s :s SET #u = :u',
            ExpressionAttributeNames: { '#p': 'processed', '#i': 'imported', '#s': 'skipped', '#u': 'updatedAt' },
            ExpressionAttributeValues: { ':p': counts.processed, ':i': counts.imported, ':s': counts.skipped, ':u': new Date().toISOString() },
          },
        },
      ],
      events: [],
    });
  } catch (error) {
    if (conditionFailedAt(error, 0)) return undefined;
    throw error;
  }
  const job = await getImportJob(jobId);
  return job ? { processed: job.processed, total: job.total } : undefined;
}

/** Closes a queued job once every row is processed (only the first closer wins). */
export async function finishImportJob(jobId: string, at: string): Promise<void> {
  try {
    await documentClient().send(
      new UpdateCommand({
        TableName: table(),
        Key: { pk: `IMPORT#${jobId}`, sk: 'META' },
        UpdateExpression: 'SET #status = :done, finishedAt = :at',
        ConditionExpression: '#status = :running AND #processed >= #total',
        ExpressionAttributeNames: { '#status': 'status', '#processed': 'processed', '#total': 'total' },
        ExpressionAttributeValues: { ':done': 'done', ':running': 'running', ':at': at },
      }),
    );
  } catch (error) {
    if (!conditionFailed(error)) throw error;
  }
}
