/**
 * The evaluation table: one table, single-table design, two global secondary indexes (see
 * service.ts). Each aggregate's file documents its own items:
 * | partition                  | items                                                 | file                 |
 * |----------------------------|-------------------------------------------------------|----------------------|
 * | OBJ#<objectId>             | BASELINE, SCOPE, MONITORING (copies from events)      | baselines.ts         |
 * | OBJ#<objectId>             | SELF (the object's self-evaluation)                   | self-evaluations.ts  |
 * | OBJ#<objectId>             | RECTIFICATION (its rectification orders, from events) | rectifications.ts    |
 * | SAMPLE#<sampleId>          | META (a finance review sample)                        | samples.ts           |
 * | KEY#<keyId>                | META (a key evaluation)                               | key-evaluations.ts   |
 * | RULES#<region>#<year>      | CURRENT, V#… (rule parameters)                        | rules.ts             |
 * | VIEW#coverage#<region>#<year> | G#<department>, L#missing#…, C#<objectId> (the coverage view) | coverage-view.ts, shared/views/counted-view.ts |
 * | APPLIED#<eventId>          | <function> (an effect applied once by a consumer)     | shared/consumer.ts   |
 * | OUTBOX#… / IDEMPOTENCY#…   | outbox events, Idempotency-Key records                | shared/outbox.ts, shared/http/idempotency-store.ts |
 *
 * Indexes: gsi1 (gsi1pk / gsi1sk) holds scope entries, samples and key evaluations; gsi2
 * (gsi2pk / gsi2sk) holds self-evaluations by region and year.
 *
 * This file holds what the aggregates share: the table's name, reads, pages, transactions.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../../../shared/clients/dynamodb.ts';
import { ENV_KEYS, requireEnv } from '../../../shared/env.ts';
import { stripKeys } from '../../../shared/items.ts';
import { writeWithOutbox, type OutboxEvent, type TransactItem } from '../../../shared/outbox.ts';
import type { Page } from '../../../shared/pagination.ts';

export const table = () => requireEnv(ENV_KEYS.tableName);
export const source = () => requireEnv(ENV_KEYS.eventSource);
export const GSI1 = { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' } as const;
export const GSI2 = { name: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' } as const;

export async function get<T>(pk: string, sk: string, consistent = true): Promise<T | undefined> {
  const { Item } = await documentClient().send(new GetCommand({ TableName: table(), Key: { pk, sk }, ConsistentRead: consistent }));
  return Item ? stripKeys<T>(Item) : undefined;
}

export const pageOf = <T>(page: { items: Record<string, unknown>[]; nextCursor?: string }): Page<T> => ({
  items: page.items.map((i) => stripKeys<T>(i)),
  ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
});

/** Every page of a list, in order. */
export async function all<T>(fetch: (cursor?: string) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await fetch(cursor);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

export const transact = (items: TransactItem[], events: OutboxEvent[] = []) => writeWithOutbox({ tableName: table(), source: source(), items, events });
