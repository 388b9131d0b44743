/**
 * Monitoring windows: one item each, listed by region and fiscal year in throughMonth order.
 *
 * | item   | pk             | sk   | GSIs |
 * |--------|----------------|------|------|
 * | window | WIN#<windowId> | META | gsi1 WINS#<region>#<year> / <throughMonth 00>#<windowId> |
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../../../shared/clients/dynamodb.ts';
import { ENV_KEYS, requireEnv } from '../../../shared/env.ts';
import { stripKeys } from '../../../shared/items.ts';
import { writeWithOutbox, type OutboxEvent, type TransactItem } from '../../../shared/outbox.ts';
import type { Page } from '../../../shared/pagination.ts';
import { queryPage } from '../../../shared/query.ts';
import type { Window } from '../domain/report.ts';

const table = () => requireEnv(ENV_KEYS.tableName);
const source = () => requireEnv(ENV_KEYS.eventSource);
const GSI1 = { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' } as const;

const pad2 = (n: number) => String(n).padStart(2, '0');

function windowItem(w: Window) {
  return { pk: `WIN#${w.id}`, sk: 'META', kind: 'window', gsi1pk: `WINS#${w.region}#${w.fiscalYear}`, gsi1sk: `${pad2(w.throughMonth)}#${w.id}`, ...w };
}

/** Creates a window (index 0; `extra`: its dashboard's pending build and the idempotency record; `events`: the build's work event). */
export async function createWindow(w: Window, extra: TransactItem[] = [], events: OutboxEvent[] = []): Promise<void> {
  await writeWithOutbox({ tableName: table(), source: source(), items: [{ Put: { TableName: table(), Item: windowItem(w), ConditionExpression: 'attribute_not_exists(pk)' } }, ...extra], events });
}

export async function getWindow(id: string): Promise<Window | undefined> {
  const { Item } = await documentClient().send(new GetCommand({ TableName: table(), Key: { pk: `WIN#${id}`, sk: 'META' }, ConsistentRead: true }));
  return Item ? stripKeys<Window>(Item) : undefined;
}

export async function listWindows(region: string, year: number, limit: number, cursor?: string): Promise<Page<Window>> {
  const page = await queryPage({ tableName: table(), index: GSI1, partition: `WINS#${region}#${year}`, limit, ...(cursor ? { cursor } : {}) });
  return { items: page.items.map((i) => stripKeys<Window>(i)), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
}

/** Every window of a region-year, page by page. */
export async function allWindows(region: string, year: number): Promise<Window[]> {
  const all: Window[] = [];
  let cursor: string | undefined;
  do {
    const page = await listWindows(region, year, 100, cursor);
    all.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return all;
}
