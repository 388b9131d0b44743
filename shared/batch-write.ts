/** Writes many items of one table: 25 per BatchWriteItem, retrying unprocessed items with jittered back-off (bounded). */
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from './clients/dynamodb.ts';
import { drainWithJitter } from './retry.ts';

type Item = Record<string, unknown>;
export type WriteRequest = { PutRequest: { Item: Item } } | { DeleteRequest: { Key: Item } };

/** Attempts per chunk of 25 by default: 50 ms, 100 ms, ... up to 3.2 s between them. */
const DEFAULT_ATTEMPTS = 8;

export async function batchWrite(tableName: string, requests: readonly WriteRequest[], attempts = DEFAULT_ATTEMPTS): Promise<void> {
  for (let i = 0; i < requests.length; i += 25) {
    await drainWithJitter(
      requests.slice(i, i + 25),
      async (pending) => {
        const out = await documentClient().send(new BatchWriteCommand({ RequestItems: { [tableName]: [...pending] } }));
        return (out.UnprocessedItems?.[tableName] ?? []) as WriteRequest[];
      },
      { attempts, baseMs: 50, maxMs: 3200, what: `BatchWriteItem on ${tableName}` },
    );
  }
}
