/**
 * Executed amounts per object and month, from the ingested execution data: what dashboards and
 * the report pre-fill read. Applied once per batch and object by jobs/ingest-batch.ts.
 *
 * | item          | pk              | sk    | attributes |
 * |---------------|-----------------|-------|------------|
 * | object totals | EXEC#<objectId> | TOTAL | kind exec-total; m<YYYYMM> = integer fen, fiscalYear, appliedBatches (string set of batch ids) |
 *
 * No index keys. Totals are applied once per batch and object: an `ADD` of every month with
 * `appliedBatches`, conditional on the batch not being in that set yet, so a retried ingestion
 * never counts a batch twice. `appliedBatches` grows by one id (about 25 bytes) per batch that
 * touches the object. Reads by key only (GetItem, BatchGetItem).
 */
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { batchGet } from '../../../shared/batch-get.ts';
import { documentClient } from '../../../shared/clients/dynamodb.ts';
import { conditionFailedAt } from '../../../shared/conditions.ts';
import { ENV_KEYS, requireEnv } from '../../../shared/env.ts';
import { fenToWan, monthAttribute } from '../domain/execution-rows.ts';

const table = () => requireEnv(ENV_KEYS.tableName);

type Item = Record<string, unknown>;

const totalKey = (objectId: string) => ({ pk: `EXEC#${objectId}`, sk: 'TOTAL' });

/**
 * Adds one batch's amounts for one object, month by month, in one UpdateItem, once: false when
 * the batch was applied to this object before (a retried ingestion).
 */
export async function applyObjectTotals(batchId: string, objectId: string, fiscalYear: number, months: ReadonlyMap<number, number>, at: string): Promise<boolean> {
  const names: Record<string, string> = { '#kind': 'kind', '#applied': 'appliedBatches', '#fiscalYear': 'fiscalYear', '#objectId': 'objectId', '#updatedAt': 'updatedAt' };
  const values: Record<string, unknown> = { ':batchSet': new Set([batchId]), ':batchId': batchId, ':fy': fiscalYear, ':kind': 'exec-total', ':objectId': objectId, ':at': at };
  const adds: string[] = [];
  let i = 0;
  for (const [month, fen] of months) {
    names[`#m${i}`] = monthAttribute(month);
    values[`:m${i}`] = fen;
    adds.push(`#m${i} :m${i}`);
    i++;
  }
  try {
    await documentClient().send(
      new UpdateCommand({
        TableName: table(),
        Key: totalKey(objectId),
        UpdateExpression: `ADD ${[...adds, '#applied :batchSet'].join(', ')} SET #fiscalYear = if_not_exists(#fiscalYear, :fy), #kind = :kind, #objectId = :objectId, #updatedAt = :at`,
        ConditionExpression: 'attribute_not_exists(#applied) OR NOT contains(#applied, :batchId)',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
    return true;
  } catch (error) {
    if (conditionFailedAt(error, 0)) return false;
    throw error;
  }
}

const monthsOf = (item: Item) =>
  Object.entries(item)
    .filter(([name, value]) => /^m\d{6}$/.test(name) && typeof value === 'number')
    .map(([name, fen]) => ({ month: Number(name.slice(1)), fen: fen as number }));

/**
 * Executed amounts in 万元 from January through `throughMonth` of `fiscalYear`, per object, from
 * the ingested execution data (BatchGetItem, 100 keys a call). An object with no ingested data at
 * all is absent from the map (callers fall back to the unit's reported figure); one with data,
 * but none in those months, is 0.
 */
export async function getExecutedWan(objectIds: string[], fiscalYear: number, throughMonth: number): Promise<Map<string, number>> {
  if (!Number.isInteger(throughMonth) || throughMonth < 1 || throughMonth > 12) throw new RangeError(`throughMonth must be 1-12, got ${throughMonth}`);
  const ids = [...new Set(objectIds)];
  const items = await batchGet(table(), ids.map(totalKey));
  // Objects the treasury has sent nothing for are absent (not 0): dashboards then fall back to the unit's report.
  const result = new Map<string, number>();
  const first = fiscalYear * 100 + 1;
  const last = fiscalYear * 100 + throughMonth;
  for (const item of items) {
    const fen = monthsOf(item).reduce((sum, m) => (m.month >= first && m.month <= last ? sum + m.fen : sum), 0);
    result.set(String(item.objectId ?? String(item.pk).slice('EXEC#'.length)), fenToWan(fen));
  }
  return result;
}

export interface ExecutedByMonth {
  objectId: string;
  fiscalYear?: number;
  /** Months with ingested execution data, in order; `month` is YYYY-MM. */
  months: { month: string; fen: number; wan: number }[];
  /** Batches whose amounts are included. */
  batches: number;
}

/** One object's executed amounts month by month (all years it has data for). */
export async function getExecutedByMonth(objectId: string): Promise<ExecutedByMonth> {
  const result = await documentClient().send(new GetCommand({ TableName: table(), Key: totalKey(objectId) }));
  const item = result.Item;
  if (!item) return { objectId, months: [], batches: 0 };
  const months = monthsOf(item)
    .sort((a, b) => a.month - b.month)
    .map(({ month, fen }) => ({ month: `${Math.floor(month / 100)}-${String(month % 100).padStart(2, '0')}`, fen, wan: fenToWan(fen) }));
  return {
    objectId,
    ...(typeof item.fiscalYear === 'number' ? { fiscalYear: item.fiscalYear } : {}),
    months,
    batches: item.appliedBatches instanceof Set ? item.appliedBatches.size : 0,
  };
}
