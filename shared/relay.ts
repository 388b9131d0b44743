/**
 * The outbox relay: DynamoDB stream → EventBridge PutEvents.
 *
 * Outbox inserts are sent in batches of at most 10 entries; entries PutEvents reports as
 * failed are retried alone with exponential back-off. If some still fail, the relay stops and
 * reports that record and every later one in `batchItemFailures`, so the stream source
 * retries from the first unpublished record: nothing is skipped, and what was already
 * published may be sent again, which consumers absorb (they are idempotent on
 * `detail.meta.eventId`).
 *
 * An outbox item whose source is not the relay's service (or its work source) is never
 * published under another service's name, and never dropped either: its state change has
 * committed, so its event must not vanish into a log line. The relay publishes the batch's
 * other items and fails that record, so the stream retries it and, after its retries, hands it
 * to the event source mapping's on-failure queue, which is alarmed (infra/constructs/outbox-relay.ts).
 */
import { PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { eventBridgeClient } from './clients/eventbridge.ts';
import { ENV_KEYS, requireEnv } from './env.ts';
import { logger } from './logger.ts';
import type { OutboxItem } from './outbox.ts';
import { backoffDelay, sleep } from './retry.ts';
import { workSourceOf } from '../events/sources.ts';

export const PUT_EVENTS_MAX_ENTRIES = 10;
const PUT_EVENTS_MAX_BYTES = 256 * 1024;

export interface RelayOptions {
  /** PutEvents attempts per batch before giving the records back to the stream. */
  maxAttempts?: number;
  baseDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

interface Pending {
  sequenceNumber: string;
  entry: PutEventsRequestEntry;
}

function outboxItemOf(record: DynamoDBRecord): OutboxItem | undefined {
  const image = record.dynamodb?.NewImage;
  if (record.eventName !== 'INSERT' || !image || image.kind?.S !== 'outbox') return undefined;
  return unmarshall(image as Record<string, AttributeValue>) as OutboxItem;
}

function entrySize(entry: PutEventsRequestEntry): number {
  return Buffer.byteLength(`${entry.Source}${entry.DetailType}${entry.Detail}`, 'utf8');
}

/** Splits entries into PutEvents calls: at most 10 entries and 256 KB each. */
export function chunkEntries(pending: Pending[]): Pending[][] {
  const chunks: Pending[][] = [];
  let current: Pending[] = [];
  let bytes = 0;
  for (const item of pending) {
    const size = entrySize(item.entry);
    if (current.length === PUT_EVENTS_MAX_ENTRIES || (current.length > 0 && bytes + size > PUT_EVENTS_MAX_BYTES)) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length) chunks.push(current);
  return chunks;
}


/** Sends one chunk, retrying only failed entries; returns what is still unpublished. */
async function publishChunk(chunk: Pending[], options: Required<RelayOptions>): Promise<Pending[]> {
  let remaining = chunk;
  for (let attempt = 1; attempt <= options.maxAttempts && remaining.length; attempt++) {
    if (attempt > 1) await options.sleep(backoffDelay(attempt - 1, { baseMs: options.baseDelayMs, maxMs: Number.POSITIVE_INFINITY }));
    try {
      const result = await eventBridgeClient().send(new PutEventsCommand({ Entries: remaining.map((p) => p.entry) }));
      const failed: Pending[] = [];
      (result.Entries ?? []).forEach((entry, i) => {
        if (entry.ErrorCode) {
          failed.push(remaining[i] as Pending);
          logger.warn('PutEvents entry failed', { attempt, errorCode: entry.ErrorCode, errorMessage: entry.ErrorMessage });
        }
      });
      // A response without per-entry results but with a failure count is treated as all failed.
      remaining = result.Entries?.length === remaining.length ? failed : (result.FailedEntryCount ?? 0) > 0 ? remaining : [];
    } catch (error) {
      logger.warn('PutEvents call failed', { attempt, error: error as Error });
    }
  }
  return remaining;
}

export function createRelayHandler(options: RelayOptions = {}) {
  const settings: Required<RelayOptions> = {
    maxAttempts: options.maxAttempts ?? 4,
    baseDelayMs: options.baseDelayMs ?? 100,
    sleep: options.sleep ?? sleep,
  };
  return async function relay(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
    const busName = requireEnv(ENV_KEYS.eventBusName);
    const ownSource = requireEnv(ENV_KEYS.eventSource);
    const ownWorkSource = workSourceOf(ownSource);
    const pending: Pending[] = [];
    /** The first record whose outbox item names another source: failed, never published. */
    let foreign: string | undefined;
    for (const record of event.Records) {
      const item = outboxItemOf(record);
      if (!item) continue;
      const sequenceNumber = record.dynamodb?.SequenceNumber;
      if (!sequenceNumber) throw new Error('stream record without a sequence number');
      if (item.source !== ownSource && item.source !== ownWorkSource) {
        logger.error('outbox item with a foreign source: its record is failed, for the on-failure queue', { source: item.source, eventId: item.eventId, sequenceNumber });
        foreign ??= sequenceNumber;
        continue;
      }
      pending.push({
        sequenceNumber,
        entry: { Source: item.source, DetailType: item.detailType, Detail: item.detail, EventBusName: busName, Time: new Date(item.createdAt) },
      });
    }

    const chunks = chunkEntries(pending);
    for (let i = 0; i < chunks.length; i++) {
      const unpublished = await publishChunk(chunks[i] as Pending[], settings);
      if (unpublished.length) {
        const first = pending.findIndex((p) => p === unpublished[0]);
        const failures = [...(foreign ? [foreign] : []), ...pending.slice(first).map((p) => p.sequenceNumber)].map((itemIdentifier) => ({ itemIdentifier }));
        logger.error('outbox relay gives records back to the stream', { unpublished: unpublished.length, returned: failures.length });
        return { batchItemFailures: failures };
      }
    }
    logger.info('outbox relayed', { published: pending.length });
    return { batchItemFailures: foreign ? [{ itemIdentifier: foreign }] : [] };
  };
}
