/**
 * Rule parameters per region and fiscal year as versioned data (each service keeps its own in
 * its own table): a CURRENT item, updated only if nobody stored a version since the one read,
 * and every version kept beside it (`V#000001` …). Version 0 means "nothing stored: the
 * documented defaults apply".
 *
 * | item    | pk                     | sk          |
 * |---------|------------------------|-------------|
 * | current | RULES#<region>#<year>  | CURRENT     |
 * | version | RULES#<region>#<year>  | V#<000001>  |
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from './clients/dynamodb.ts';
import { writeWithOutbox, type OutboxEvent, type TransactItem } from './outbox.ts';
import type { Page } from './pagination.ts';
import { queryPage } from './query.ts';

export interface VersionedRules<R> {
  rules: R;
  /** 0 = the built-in defaults (nothing stored yet). */
  version: number;
  updatedAt?: string;
  updatedBy?: string;
  reason?: string;
}

const pk = (region: string, year: number) => `RULES#${region}#${year}`;
const pad = (n: number) => String(n).padStart(6, '0');
const INTERNAL = new Set(['pk', 'sk', 'kind']);
const strip = <T>(item: Record<string, unknown>): T => Object.fromEntries(Object.entries(item).filter(([k]) => !INTERNAL.has(k))) as T;

/** Only an update (which conditions on the version it read) needs a strongly consistent read. */
export async function getStoredRules<R>(tableName: string, region: string, year: number, consistent = false): Promise<VersionedRules<R> | undefined> {
  const { Item } = await documentClient().send(new GetCommand({ TableName: tableName, Key: { pk: pk(region, year), sk: 'CURRENT' }, ConsistentRead: consistent }));
  return Item ? strip<VersionedRules<R>>(Item) : undefined;
}

/** Stores `next` (version = expected + 1); a condition failure at index 0 or 1 means someone else stored one first. */
/** Stores a new version (items 0 and 1 are the guarded current and version items); `also`: writes and events that commit with it. */
export async function putStoredRules<R>(
  tableName: string,
  source: string,
  region: string,
  year: number,
  next: VersionedRules<R>,
  expectedVersion: number,
  also: { items?: TransactItem[]; events?: OutboxEvent[] } = {},
): Promise<void> {
  const key = pk(region, year);
  const head: TransactItem =
    expectedVersion === 0
      ? { Put: { TableName: tableName, Item: { pk: key, sk: 'CURRENT', kind: 'rules', ...next }, ConditionExpression: 'attribute_not_exists(pk)' } }
      : {
          Put: {
            TableName: tableName,
            Item: { pk: key, sk: 'CURRENT', kind: 'rules', ...next },
            ConditionExpression: '#version = :expected',
            ExpressionAttributeNames: { '#version': 'version' },
            ExpressionAttributeValues: { ':expected': expectedVersion },
          },
        };
  await writeWithOutbox({
    tableName,
    source,
    items: [head, { Put: { TableName: tableName, Item: { pk: key, sk: `V#${pad(next.version)}`, kind: 'rules-version', ...next }, ConditionExpression: 'attribute_not_exists(pk)' } }, ...(also.items ?? [])],
    events: also.events ?? [],
  });
}

export async function listStoredRuleVersions<R>(tableName: string, region: string, year: number, limit: number, cursor?: string): Promise<Page<VersionedRules<R>>> {
  const page = await queryPage({
    tableName,
    partition: pk(region, year),
    sortCondition: { expression: 'begins_with(#sk, :prefix)', values: { ':prefix': 'V#' } },
    limit,
    ...(cursor ? { cursor } : {}),
  });
  return { items: page.items.map((i) => strip<VersionedRules<R>>(i)), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
}
