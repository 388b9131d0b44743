/**
 * The transactional outbox (docs/architecture.md, "Writing and publishing"). A command writes its state changes and an
 * outbox item per event in one TransactWriteItems, so an event exists if and only if its
 * state change committed. The table stream carries outbox inserts to the service's relay.
 */
import { randomUUID } from 'node:crypto';
import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Actor, EventMeta, Subject } from '../events/envelope.ts';
import { workSourceOf } from '../events/sources.ts';
import { documentClient } from './clients/dynamodb.ts';
import type { EventPattern } from './event-pattern.ts';

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** How long a relayed outbox item stays in the table (for audit and replay) before TTL removes it. */
export const OUTBOX_RETENTION_DAYS = 7;

export interface OutboxEvent<D = unknown> {
  detailType: string;
  detail: { meta: EventMeta; data: D };
  /** An internal work item for the service's own workers: relayed under its work source (events/sources.ts). */
  work?: true;
}

export interface NewEvent<D> {
  detailType: string;
  version: number;
  subject: Subject;
  data: D;
  actor: Actor | EventMeta['actor'];
  region: string;
  correlationId: string;
  causationId?: string;
  now?: Date;
  /** An internal work item (see OutboxEvent.work); the catalog marks its entry `internal`. */
  work?: true;
}

/** Builds an event with a fresh id; the id stays the same however often the relay re-sends. */
export function newEvent<D>(input: NewEvent<D>): OutboxEvent<D> {
  return {
    detailType: input.detailType,
    detail: {
      meta: {
        eventId: randomUUID(),
        version: input.version,
        occurredAt: (input.now ?? new Date()).toISOString(),
        region: input.region,
        correlationId: input.correlationId,
        ...(input.causationId ? { causationId: input.causationId } : {}),
        actor: input.actor,
        subject: input.subject,
      },
      data: input.data,
    },
    ...(input.work ? { work: true as const } : {}),
  };
}

/** Who publishes, for a command: the caller (or `system`), the deployment's region, the request's correlation. */
export interface EventContext {
  actor: Actor | EventMeta['actor'];
  region: string;
  correlationId: string;
  causationId?: string;
  now?: Date;
}

/** A version-1 event about `subject`, from a command's context. */
export function subjectEvent<D>(detailType: string, subject: Subject, data: D, ctx: EventContext): OutboxEvent<D> {
  return newEvent<D>({
    detailType,
    version: 1,
    subject,
    data,
    actor: ctx.actor,
    region: ctx.region,
    correlationId: ctx.correlationId,
    ...(ctx.causationId ? { causationId: ctx.causationId } : {}),
    ...(ctx.now ? { now: ctx.now } : {}),
  });
}

/** The stored form of an outbox item. */
export interface OutboxItem {
  pk: string;
  sk: 'OUTBOX';
  kind: 'outbox';
  eventId: string;
  source: string;
  detailType: string;
  /** JSON text, exactly what goes into PutEvents' Detail. */
  detail: string;
  createdAt: string;
  ttl: number;
}

/** `source` is the service's business source; a work item is stored under the matching work source. */
export function outboxItem(source: string, event: OutboxEvent): OutboxItem {
  const createdAt = event.detail.meta.occurredAt;
  return {
    pk: `OUTBOX#${event.detail.meta.eventId}`,
    sk: 'OUTBOX',
    kind: 'outbox',
    eventId: event.detail.meta.eventId,
    source: event.work ? workSourceOf(source) : source,
    detailType: event.detailType,
    detail: JSON.stringify(event.detail),
    createdAt,
    ttl: Math.floor(Date.parse(createdAt) / 1000) + OUTBOX_RETENTION_DAYS * 86400,
  };
}

/**
 * Filter for the relay's stream source: only inserted outbox items. Used verbatim as the
 * Lambda event-source filter in CDK and by the local stream poller.
 */
export const OUTBOX_STREAM_FILTER: EventPattern = {
  eventName: ['INSERT'],
  dynamodb: { NewImage: { kind: { S: ['outbox'] } } },
};

export interface TransactionInput {
  tableName: string;
  source: string;
  /** State changes; conditions on them give 409s. */
  items: TransactItem[];
  events: OutboxEvent[];
  clientRequestToken?: string;
}

/** Writes state and outbox items atomically. */
export async function writeWithOutbox(input: TransactionInput): Promise<void> {
  const outbox: TransactItem[] = input.events.map((event) => ({
    Put: {
      TableName: input.tableName,
      Item: outboxItem(input.source, event),
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  }));
  const transactItems = [...input.items, ...outbox];
  if (transactItems.length > 100) throw new Error(`a transaction holds at most 100 items, got ${transactItems.length}`);
  await documentClient().send(
    new TransactWriteCommand({
      TransactItems: transactItems,
      ...(input.clientRequestToken ? { ClientRequestToken: input.clientRequestToken } : {}),
    }),
  );
}
