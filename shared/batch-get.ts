/** Reads many items of one table by key: 100 per BatchGetItem, retrying unprocessed keys (bounded). */
import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from './clients/dynamodb.ts';

type Item = Record<string, unknown>;

/** Rounds of retrying unprocessed keys before giving up on them (throttling that persists is an error upstream). */
const MAX_ROUNDS = 5;

export async function batchGet(tableName: string, keys: readonly Item[], consistentRead = false): Promise<Item[]> {
  const items: Item[] = [];
  for (let i = 0; i < keys.length; i += 100) {
    let pending: Item[] | undefined = keys.slice(i, i + 100);
    for (let round = 0; pending?.length && round < MAX_ROUNDS; round++) {
      const result: { Responses?: Record<string, Item[]>; UnprocessedKeys?: Record<string, { Keys?: Item[] }> } = await documentClient().send(
        new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending, ...(consistentRead ? { ConsistentRead: true } : {}) } } }),
      );
      items.push(...(result.Responses?.[tableName] ?? []));
      pending = result.UnprocessedKeys?.[tableName]?.Keys;
    }
    if (pending?.length) throw new Error(`BatchGetItem left ${pending.length} key(s) unprocessed after ${MAX_ROUNDS} rounds`);
  }
  return items;
}
