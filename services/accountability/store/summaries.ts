/**
 * Object summaries in the accountability table (one item per spending object; an object id
 * belongs to one fiscal year), folded from the events of the declaration, monitoring and
 * evaluation services by jobs/summaries.ts.
 *
 * | item           | pk                | sk      | gsi3pk                        | gsi3sk                              |
 * |----------------|-------------------|---------|-------------------------------|-------------------------------------|
 * | object summary | SUM#<objectId>    | SUMMARY | SUM#<region>#<fiscalYear>     | <department>#<unit>#<objectId>      |
 *
 * `<region>` is the object's own region (data.object.region): objects of a lower-level region
 * whose events are forwarded here file under that region's code. The item also carries
 * `version` (optimistic locking between concurrent folds) and `eventIds` (the events already
 * folded in: a redelivered event changes nothing). Neither is part of the summary returned.
 */
import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../../../shared/clients/dynamodb.ts';
import { ENV_KEYS, requireEnv } from '../../../shared/env.ts';
import { stripKeys } from '../../../shared/items.ts';
import { queryPage } from '../../../shared/query.ts';
import type { ObjectSummary } from '../domain/object-summary.ts';
import { summaryViewWrites } from './summary-view.ts';

const table = () => requireEnv(ENV_KEYS.tableName);
const GSI3 = { name: 'gsi3', partitionKey: 'gsi3pk', sortKey: 'gsi3sk' } as const;

export interface StoredSummary {
  summary: ObjectSummary;
  version: number;
  eventIds: string[];
}

/** The summary without its keys and its bookkeeping (`version`, the folded `eventIds`). */
const summaryOf = (item: Record<string, unknown>): ObjectSummary => {
  const { version: _version, eventIds: _eventIds, ...summary } = stripKeys<ObjectSummary & { version: unknown; eventIds: unknown }>(item);
  return summary;
};

export async function getStoredSummary(objectId: string): Promise<StoredSummary | undefined> {
  const { Item } = await documentClient().send(new GetCommand({ TableName: table(), Key: { pk: `SUM#${objectId}`, sk: 'SUMMARY' }, ConsistentRead: true }));
  if (!Item) return undefined;
  return { summary: summaryOf(Item), version: Item.version as number, eventIds: (Item.eventIds as string[]) ?? [] };
}

/** The summary's item as stored, at `version`, with the ids of the events folded into it. */
export const summaryItem = (summary: ObjectSummary, eventIds: string[], version: number) => ({
  pk: `SUM#${summary.objectId}`,
  sk: 'SUMMARY',
  kind: 'object-summary',
  gsi3pk: `SUM#${summary.region}#${summary.fiscalYear}`,
  gsi3sk: `${summary.department}#${summary.unit}#${summary.objectId}`,
  ...summary,
  version,
  eventIds,
});

/**
 * Writes the summary if nobody wrote it since `expectedVersion` (0: it must not exist yet), in one
 * transaction with the change it makes to the summaries view (store/summary-view.ts): the view
 * never lags the summary. Throws a TransactionCanceledException when the summary (item 0) or its
 * contribution to the view (item 1) was written by someone else meanwhile, or on a transaction
 * conflict; the caller reads again and retries (`lostRaceAt(error, 0, 1)`).
 */
export async function putSummary(summary: ObjectSummary, eventIds: string[], expectedVersion: number): Promise<void> {
  const put = {
    Put: {
      TableName: table(),
      Item: summaryItem(summary, eventIds, expectedVersion + 1),
      ...(expectedVersion === 0
        ? { ConditionExpression: 'attribute_not_exists(pk)' }
        : { ConditionExpression: '#version = :expected', ExpressionAttributeNames: { '#version': 'version' }, ExpressionAttributeValues: { ':expected': expectedVersion } }),
    },
  };
  await documentClient().send(new TransactWriteCommand({ TransactItems: [put, ...(await summaryViewWrites(summary))] }));
}

/** Every summary of a region's fiscal year (optionally one department's), read page by page from gsi3. */
export async function allObjectSummaries(region: string, year: number, department?: string): Promise<ObjectSummary[]> {
  const out: ObjectSummary[] = [];
  let cursor: string | undefined;
  do {
    const page = await queryPage({
      tableName: table(),
      index: GSI3,
      partition: `SUM#${region}#${year}`,
      ...(department ? { sortCondition: { expression: 'begins_with(#sk, :dept)', values: { ':dept': `${department}#` } } } : {}),
      limit: 100,
      ...(cursor ? { cursor } : {}),
    });
    out.push(...page.items.map(summaryOf));
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}
