/** Small helpers every store uses: items without their key attributes, and writes guarded by a version. */
import type { TransactItem } from './outbox.ts';

/** Index keys gsi1..gsi9 of a standard table (the largest, accountability, has six). */
const INDEX_KEYS = Array.from({ length: 9 }, (_, i) => [`gsi${i + 1}pk`, `gsi${i + 1}sk`]).flat();
/** Key and bookkeeping attributes no API response carries. */
const INTERNAL = new Set(['pk', 'sk', 'kind', 'ttl', ...INDEX_KEYS]);

export function stripKeys<T>(item: Record<string, unknown>): T {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(item)) if (!INTERNAL.has(key)) out[key] = value;
  return out as T;
}

/** A Put that replaces an item only if its `version` is still the one read (optimistic locking). */
export function putAtVersion(tableName: string, item: Record<string, unknown>, expectedVersion: number): TransactItem {
  return {
    Put: {
      TableName: tableName,
      Item: item,
      ConditionExpression: 'attribute_exists(pk) AND #version = :expected',
      ExpressionAttributeNames: { '#version': 'version' },
      ExpressionAttributeValues: { ':expected': expectedVersion },
    },
  };
}

/** A Put that creates an item only if nothing has that key yet. */
export function putNew(tableName: string, item: Record<string, unknown>): TransactItem {
  return { Put: { TableName: tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' } };
}
