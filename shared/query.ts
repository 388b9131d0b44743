/**
 * One page of a DynamoDB Query, with optional filters, filled up to `limit` items.
 *
 * A FilterExpression is applied after DynamoDB reads `Limit` items, so a single call can
 * return fewer matches than asked for (even none) although more exist. This helper asks
 * again with `Limit` = what is still missing, which never over-reads, so the cursor it returns
 * (the last LastEvaluatedKey) is exact. It stops after `maxRounds` calls to bound the cost of
 * a very selective filter; the caller then gets a short page with a cursor, which is valid.
 * Always Query, never Scan.
 */
import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { documentClient } from './clients/dynamodb.ts';
import { decodeCursor, encodeCursor, withCursor, type Page } from './pagination.ts';

export interface Filter {
  expression: string;
  names?: Record<string, string>;
  values?: Record<string, unknown>;
}

export interface QueryPageInput {
  tableName: string;
  /** Omit for the table's primary key. */
  index?: { name: string; partitionKey: string; sortKey: string };
  partition: string;
  /** Extra key condition on the sort key, e.g. `begins_with(#sk, :prefix)`. */
  sortCondition?: { expression: string; values: Record<string, unknown> };
  filters?: readonly Filter[];
  limit: number;
  cursor?: string;
  newestFirst?: boolean;
  maxRounds?: number;
  consistentRead?: boolean;
}

export interface QueryStats {
  rounds: number;
  consumedCapacity: number;
}

export async function queryPage(input: QueryPageInput): Promise<Page<Record<string, unknown>> & { stats: QueryStats }> {
  const pkName = input.index?.partitionKey ?? 'pk';
  const skName = input.index?.sortKey ?? 'sk';
  const keyNames = input.index ? ['pk', 'sk', input.index.partitionKey, input.index.sortKey] : ['pk', 'sk'];
  let startKey: Record<string, unknown> | undefined = decodeCursor(input.cursor, { keyNames, partition: { name: pkName, value: input.partition } });

  const names: Record<string, string> = { '#pk': pkName };
  const values: Record<string, unknown> = { ':pk': input.partition };
  let keyCondition = '#pk = :pk';
  if (input.sortCondition) {
    names['#sk'] = skName;
    Object.assign(values, input.sortCondition.values);
    keyCondition += ` AND ${input.sortCondition.expression}`;
  }
  const filterParts: string[] = [];
  for (const filter of input.filters ?? []) {
    filterParts.push(`(${filter.expression})`);
    Object.assign(names, filter.names);
    Object.assign(values, filter.values);
  }

  const items: Record<string, unknown>[] = [];
  const stats: QueryStats = { rounds: 0, consumedCapacity: 0 };
  const maxRounds = input.maxRounds ?? 20;
  do {
    const params: QueryCommandInput = {
      TableName: input.tableName,
      ...(input.index ? { IndexName: input.index.name } : {}),
      KeyConditionExpression: keyCondition,
      ...(filterParts.length ? { FilterExpression: filterParts.join(' AND ') } : {}),
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      ScanIndexForward: !input.newestFirst,
      Limit: input.limit - items.length,
      ExclusiveStartKey: startKey,
      ReturnConsumedCapacity: 'TOTAL',
      ...(input.consistentRead && !input.index ? { ConsistentRead: true } : {}),
    };
    // A cursor of another list over the same partition (e.g. revisions → history), or one whose
    // sort key was tampered, passes the binding check but is not a valid start key here: 400.
    const result = await withCursor(startKey, () => documentClient().send(new QueryCommand(params)));
    stats.rounds++;
    stats.consumedCapacity += result.ConsumedCapacity?.CapacityUnits ?? 0;
    items.push(...(result.Items ?? []));
    startKey = result.LastEvaluatedKey;
  } while (startKey && items.length < input.limit && stats.rounds < maxRounds);

  const nextCursor = encodeCursor(startKey);
  return { items, ...(nextCursor ? { nextCursor } : {}), stats };
}
