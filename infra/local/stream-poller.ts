/**
 * Reads a DynamoDB Local table stream and feeds genuine DynamoDB stream events to a function,
 * the way Lambda's event source mapping does: shards in parent-first order, records filtered
 * by the mapping's filter (dropped records still advance the checkpoint), batches of up to
 * `batchSize`, and `batchItemFailures` honoured: the batch is retried from the lowest failed
 * sequence number, with back-off. After `maxRetries` failed attempts the records are written
 * to the on-failure store (like the mapping's on-failure SQS destination) and skipped.
 *
 * Pace: while records flow, the next read follows at once; an idle stream is read every
 * `pollIntervalMs` (default 250 ms, the four reads a second per shard Lambda makes), and its
 * shards are listed again every SHARD_LIST_MS or as soon as a shard closes (its children are
 * then due). Reading idle streams ten times a second cost the runtime a tenth of a core doing
 * nothing (measured, docs/decisions.md). `idle()` wakes the poller instead of waiting out the
 * interval, so settling stays quick.
 */
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  TrimmedDataAccessException,
  type _Record as StreamRecord,
  type AttributeValue as StreamAttributeValue,
  type Shard,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { mkdirSync, readFileSync, renameSync, writeFileSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';

export interface StreamPollerOptions {
  client: DynamoDBStreamsClient;
  tableName: string;
  streamArn: string;
  awsRegion: string;
  /** The event source mapping's filter. */
  filter: (record: DynamoDBRecord) => boolean;
  invoke: (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse | void>;
  /** Where checkpoints and on-failure records live; omit to keep them in memory only. */
  stateDir?: string;
  batchSize?: number;
  pollIntervalMs?: number;
  maxRetries?: number;
  retryBaseDelayMs?: number;
  onError?: (message: string, error?: unknown) => void;
}

interface ShardState {
  iterator?: string;
  /** Last sequence number handed over successfully (or dropped by the filter). */
  checkpoint?: string;
  closed: boolean;
  retries: number;
}

function toLambdaValue(value: StreamAttributeValue): unknown {
  // The SDK gives binary as Uint8Array; Lambda's JSON event carries base64.
  const v = value as unknown as Record<string, unknown>;
  if (v.B instanceof Uint8Array) return { B: Buffer.from(v.B).toString('base64') };
  if (Array.isArray(v.BS)) return { BS: (v.BS as Uint8Array[]).map((b) => Buffer.from(b).toString('base64')) };
  if (v.M) return { M: toLambdaImage(v.M as Record<string, StreamAttributeValue>) };
  if (Array.isArray(v.L)) return { L: (v.L as StreamAttributeValue[]).map(toLambdaValue) };
  return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined));
}

function toLambdaImage(image: Record<string, StreamAttributeValue> | undefined): Record<string, unknown> | undefined {
  if (!image) return undefined;
  return Object.fromEntries(Object.entries(image).map(([k, v]) => [k, toLambdaValue(v)]));
}

/** The record exactly as Lambda delivers it to a DynamoDB-stream-triggered function. */
export function toLambdaRecord(record: StreamRecord, streamArn: string, awsRegion: string): DynamoDBRecord {
  const d = record.dynamodb ?? {};
  const created = d.ApproximateCreationDateTime;
  return {
    eventID: record.eventID,
    eventName: record.eventName as DynamoDBRecord['eventName'],
    eventVersion: record.eventVersion ?? '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion,
    dynamodb: {
      ...(created ? { ApproximateCreationDateTime: Math.floor(new Date(created).getTime() / 1000) } : {}),
      Keys: toLambdaImage(d.Keys) as never,
      ...(d.NewImage ? { NewImage: toLambdaImage(d.NewImage) as never } : {}),
      ...(d.OldImage ? { OldImage: toLambdaImage(d.OldImage) as never } : {}),
      SequenceNumber: d.SequenceNumber,
      SizeBytes: d.SizeBytes,
      StreamViewType: d.StreamViewType as 'NEW_IMAGE',
    },
    eventSourceARN: streamArn,
  };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** How often an open stream's shard list is read again (a closed shard triggers it at once). */
const SHARD_LIST_MS = 10_000;
/** An idle stream's read interval when the options name none (Lambda reads a shard four times a second). */
export const DEFAULT_POLL_INTERVAL_MS = 250;

export class StreamPoller {
  private readonly shards = new Map<string, ShardState>();
  private shardOrder: Shard[] = [];
  private running = false;
  private loop: Promise<void> | undefined;
  private busy = false;
  /** Passes completed so far, and whether the latest moved nothing. */
  private passes = 0;
  private lastPassQuiet = false;
  /** Ends the current idle wait early (set while the loop sleeps). */
  private wakeUp: (() => void) | undefined;
  private shardsDue = true;
  /** Set when a batch of the current pass failed and waits for its retry: the pass is not quiet. */
  private retryPending = false;
  private readonly o: Required<Omit<StreamPollerOptions, 'stateDir' | 'onError'>> & Pick<StreamPollerOptions, 'stateDir' | 'onError'>;
  /** Records handed to the function successfully (for stats and tests). */
  delivered = 0;
  /** Records that exhausted their retries and went to the on-failure store. */
  failedOver = 0;

  constructor(options: StreamPollerOptions) {
    this.o = { batchSize: 100, pollIntervalMs: DEFAULT_POLL_INTERVAL_MS, maxRetries: 10, retryBaseDelayMs: 200, ...options };
    this.loadCheckpoints();
  }

  private get checkpointFile(): string | undefined {
    return this.o.stateDir ? join(this.o.stateDir, `${this.o.tableName}.checkpoints.json`) : undefined;
  }

  private loadCheckpoints(): void {
    const file = this.checkpointFile;
    if (!file) return;
    try {
      const saved = JSON.parse(readFileSync(file, 'utf8')) as { streamArn: string; shards: Record<string, string> };
      if (saved.streamArn !== this.o.streamArn) return;
      for (const [shardId, checkpoint] of Object.entries(saved.shards)) this.shards.set(shardId, { checkpoint, closed: false, retries: 0 });
    } catch {
      /* first run */
    }
  }

  private saveCheckpoints(): void {
    const file = this.checkpointFile;
    if (!file || !this.o.stateDir) return;
    mkdirSync(this.o.stateDir, { recursive: true });
    const shards = Object.fromEntries([...this.shards].filter(([, s]) => s.checkpoint).map(([id, s]) => [id, s.checkpoint as string]));
    writeFileSync(`${file}.tmp`, JSON.stringify({ streamArn: this.o.streamArn, shards }));
    renameSync(`${file}.tmp`, file);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wakeUp?.();
    await this.loop;
  }

  /** Resolves when two full passes in a row, both begun after this call, found nothing to deliver. */
  async idle(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    // The pass running now may have begun before the caller's write: it does not count.
    const firstCounted = this.passes + 2;
    let quietPasses = 0;
    let seen = this.passes;
    while (Date.now() < deadline && this.running) {
      this.wakeUp?.();
      await sleep(5);
      if (this.passes === seen) continue;
      seen = this.passes;
      if (seen < firstCounted) continue;
      quietPasses = this.lastPassQuiet ? quietPasses + 1 : 0;
      if (quietPasses >= 2) return;
    }
    if (!this.running) return;
    throw new Error(`stream of ${this.o.tableName} still busy after ${timeoutMs} ms`);
  }

  /** Waits `ms`, or less when `idle()` wakes the loop. */
  private pause(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        if (this.wakeUp === done) this.wakeUp = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeUp = done;
    });
  }

  private async run(): Promise<void> {
    let lastListed = 0;
    while (this.running) {
      try {
        if (this.shardsDue || Date.now() - lastListed > SHARD_LIST_MS || this.shardOrder.length === 0) {
          await this.refreshShards();
          lastListed = Date.now();
          this.shardsDue = false;
        }
        this.retryPending = false;
        const moved = await this.pollOnce();
        this.lastPassQuiet = moved === 0 && !this.retryPending;
        this.passes++;
        if (moved === 0) await this.pause(this.o.pollIntervalMs);
      } catch (error) {
        this.o.onError?.(`stream poller for ${this.o.tableName} failed; retrying`, error);
        this.lastPassQuiet = false;
        this.passes++;
        await this.pause(Math.max(500, this.o.pollIntervalMs));
      }
    }
  }

  private async refreshShards(): Promise<void> {
    const shards: Shard[] = [];
    let start: string | undefined;
    do {
      const result = await this.o.client.send(new DescribeStreamCommand({ StreamArn: this.o.streamArn, ExclusiveStartShardId: start }));
      shards.push(...(result.StreamDescription?.Shards ?? []));
      start = result.StreamDescription?.LastEvaluatedShardId;
    } while (start);
    this.shardOrder = shards;
    for (const shard of shards) if (shard.ShardId && !this.shards.has(shard.ShardId)) this.shards.set(shard.ShardId, { closed: false, retries: 0 });
  }

  /** A shard may be read once its parent is fully read (or unknown). */
  private readable(shard: Shard): boolean {
    const parent = shard.ParentShardId ? this.shards.get(shard.ParentShardId) : undefined;
    const parentKnown = this.shardOrder.some((s) => s.ShardId === shard.ParentShardId);
    return !parent || !parentKnown || parent.closed;
  }

  private async iteratorFor(shardId: string, state: ShardState): Promise<string | undefined> {
    if (state.iterator) return state.iterator;
    const result = await this.o.client.send(
      new GetShardIteratorCommand({
        StreamArn: this.o.streamArn,
        ShardId: shardId,
        ...(state.checkpoint
          ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: state.checkpoint }
          : { ShardIteratorType: 'TRIM_HORIZON' }),
      }),
    );
    state.iterator = result.ShardIterator;
    return state.iterator;
  }

  /** One pass over the readable shards; returns how many records it moved. */
  private async pollOnce(): Promise<number> {
    let moved = 0;
    for (const shard of this.shardOrder) {
      const shardId = shard.ShardId as string;
      const state = this.shards.get(shardId) as ShardState;
      if (state.closed || !this.readable(shard) || !this.running) continue;
      this.busy = true;
      try {
        moved += await this.pollShard(shardId, state);
      } finally {
        this.busy = false;
      }
    }
    return moved;
  }

  private async pollShard(shardId: string, state: ShardState): Promise<number> {
    const iterator = await this.iteratorFor(shardId, state);
    if (!iterator) {
      state.closed = true;
      this.shardsDue = true;
      return 0;
    }
    let result;
    try {
      result = await this.o.client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: this.o.batchSize }));
    } catch (error) {
      if (error instanceof ExpiredIteratorException || error instanceof TrimmedDataAccessException) {
        state.iterator = undefined;
        return 0;
      }
      throw error;
    }
    const records = result.Records ?? [];
    if (records.length === 0) {
      state.iterator = result.NextShardIterator;
      if (!result.NextShardIterator) {
        state.closed = true;
        this.shardsDue = true;
      }
      return 0;
    }
    const lambdaRecords = records.map((r) => toLambdaRecord(r, this.o.streamArn, this.o.awsRegion));
    const selected = lambdaRecords.filter((r) => this.o.filter(r));
    const lastSequence = lambdaRecords[lambdaRecords.length - 1]?.dynamodb?.SequenceNumber;

    if (selected.length === 0) {
      this.advance(state, lastSequence, result.NextShardIterator);
      return records.length;
    }

    let failedFrom: string | undefined;
    try {
      const response = await this.o.invoke({ Records: selected });
      const failures = (response ?? { batchItemFailures: [] }).batchItemFailures ?? [];
      if (failures.length) {
        const failedIds = new Set(failures.map((f) => f.itemIdentifier));
        failedFrom = selected.find((r) => failedIds.has(r.dynamodb?.SequenceNumber as string))?.dynamodb?.SequenceNumber;
        // An identifier that names no record of the batch fails the whole batch, as in Lambda.
        failedFrom ??= selected[0]?.dynamodb?.SequenceNumber;
      }
    } catch (error) {
      this.o.onError?.(`relay for ${this.o.tableName} threw; the batch will be retried`, error);
      failedFrom = selected[0]?.dynamodb?.SequenceNumber;
    }

    if (!failedFrom) {
      this.delivered += selected.length;
      state.retries = 0;
      this.advance(state, lastSequence, result.NextShardIterator);
      return records.length;
    }

    // Checkpoint just before the first failed record and read again from it.
    const failedIndex = lambdaRecords.findIndex((r) => r.dynamodb?.SequenceNumber === failedFrom);
    const succeeded = selected.filter((r) => lambdaRecords.indexOf(r) < failedIndex).length;
    this.delivered += succeeded;
    state.retries++;
    this.retryPending = true;
    if (state.retries > this.o.maxRetries) {
      this.failOver(lambdaRecords.slice(failedIndex).filter((r) => this.o.filter(r)));
      state.retries = 0;
      this.advance(state, lastSequence, result.NextShardIterator);
      return records.length;
    }
    const previous = failedIndex > 0 ? lambdaRecords[failedIndex - 1]?.dynamodb?.SequenceNumber : undefined;
    if (previous) state.checkpoint = previous;
    this.saveCheckpoints();
    const retryIterator = await this.o.client.send(
      new GetShardIteratorCommand({ StreamArn: this.o.streamArn, ShardId: shardId, ShardIteratorType: 'AT_SEQUENCE_NUMBER', SequenceNumber: failedFrom }),
    );
    state.iterator = retryIterator.ShardIterator;
    await sleep(Math.min(30_000, this.o.retryBaseDelayMs * 2 ** (state.retries - 1)));
    return succeeded;
  }

  private advance(state: ShardState, lastSequence: string | undefined, next: string | undefined): void {
    if (lastSequence) state.checkpoint = lastSequence;
    state.iterator = next;
    if (!next) {
      state.closed = true;
      this.shardsDue = true;
    }
    this.saveCheckpoints();
  }

  private failOver(records: DynamoDBRecord[]): void {
    this.failedOver += records.length;
    this.o.onError?.(`${records.length} stream record(s) of ${this.o.tableName} exhausted their retries and were set aside`);
    if (!this.o.stateDir) return;
    mkdirSync(this.o.stateDir, { recursive: true });
    const lines = records.map((r) => JSON.stringify({ at: new Date().toISOString(), table: this.o.tableName, record: r })).join('\n');
    appendFileSync(join(this.o.stateDir, 'on-failure.jsonl'), `${lines}\n`);
  }
}
