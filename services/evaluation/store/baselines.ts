/**
 * What evaluation keeps from the other services, written only by the baseline consumer:
 * | item                          | pk                | sk          | GSIs |
 * |-------------------------------|-------------------|-------------|------|
 * | baseline (approved targets)   | OBJ#<objectId>    | BASELINE    | – (from TargetApproved / TargetRevised; never moves backwards) |
 * | scope entry (small)           | OBJ#<objectId>    | SCOPE       | gsi1 SCOPE#<region>#<year> / <department>#<unit>#<objectId> |
 * | latest monitoring             | OBJ#<objectId>    | MONITORING  | – (from MonitoringReported; the latest window) |
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { TargetSnapshotSchema } from '../../../events/declaration.ts';
import type { MonitoringReported } from '../../../events/monitoring.ts';
import type * as z from 'zod/mini';
import { documentClient } from '../../../shared/clients/dynamodb.ts';
import { cancelledByConditions, conditionFailed } from '../../../shared/conditions.ts';
import { queryPage } from '../../../shared/query.ts';
import { all, get, GSI1, pageOf, table, transact } from './table.ts';

export type Baseline = z.infer<typeof TargetSnapshotSchema>;

export interface ScopeEntry {
  objectId: string;
  name: string;
  spendingType: Baseline['object']['spendingType'];
  sector: string;
  region: string;
  department: string;
  unit: string;
  fiscalYear: number;
  annualTotalWan: number;
  targetVersion: number;
}

/** A scope entry as stored (with its place in the scope index by region and year, then department, unit and object). */
export const scopeItem = (e: ScopeEntry) => ({ pk: `OBJ#${e.objectId}`, sk: 'SCOPE', kind: 'scope', gsi1pk: `SCOPE#${e.region}#${e.fiscalYear}`, gsi1sk: `${e.department}#${e.unit}#${e.objectId}`, ...e });

/** Stores an approved snapshot unless a later (or the same) version is here. Returns whether applied. */
export async function putBaseline(baseline: Baseline): Promise<boolean> {
  const o = baseline.object;
  const newer = { ConditionExpression: 'attribute_not_exists(pk) OR targetVersion < :v', ExpressionAttributeValues: { ':v': baseline.targetVersion } };
  const scope: ScopeEntry = {
    objectId: o.id,
    name: o.name,
    spendingType: o.spendingType,
    sector: o.sector,
    region: o.region,
    department: o.department,
    unit: o.unit,
    fiscalYear: o.fiscalYear,
    annualTotalWan: baseline.amounts.annualTotalWan,
    targetVersion: baseline.targetVersion,
  };
  try {
    await transact([
      { Put: { TableName: table(), Item: { pk: `OBJ#${o.id}`, sk: 'BASELINE', kind: 'baseline', ...baseline }, ...newer } },
      { Put: { TableName: table(), Item: scopeItem(scope), ...newer } },
    ]);
    return true;
  } catch (error) {
    if (cancelledByConditions(error)) return false;
    throw error;
  }
}

/** Written only by the consumer: a read a moment old is as good (half the capacity). */
export const getBaseline = (objectId: string) => get<Baseline>(`OBJ#${objectId}`, 'BASELINE', false);

export const allScope = (region: string, year: number, ownerPrefix?: string) =>
  all<ScopeEntry>(async (cursor) =>
    pageOf<ScopeEntry>(
      await queryPage({
        tableName: table(),
        index: GSI1,
        partition: `SCOPE#${region}#${year}`,
        ...(ownerPrefix ? { sortCondition: { expression: 'begins_with(#sk, :p)', values: { ':p': ownerPrefix } } } : {}),
        limit: 1000,
        ...(cursor ? { cursor } : {}),
      }),
    ),
  );

export type LatestMonitoring = MonitoringReported['data'];

/** Keeps the report of the latest window (a correction in the same window replaces it). */
export async function putMonitoring(data: LatestMonitoring): Promise<boolean> {
  try {
    await documentClient().send(
      new UpdateCommand({
        TableName: table(),
        Key: { pk: `OBJ#${data.object.id}`, sk: 'MONITORING' },
        UpdateExpression: 'SET #d = :d, throughMonth = :m, revision = :r, kind = :k',
        ConditionExpression: 'attribute_not_exists(throughMonth) OR throughMonth < :m OR (throughMonth = :m AND revision < :r)',
        ExpressionAttributeNames: { '#d': 'data' },
        ExpressionAttributeValues: { ':d': data, ':m': data.window.throughMonth, ':r': data.revision, ':k': 'monitoring' },
      }),
    );
    return true;
  } catch (error) {
    if (conditionFailed(error)) return false;
    throw error;
  }
}

export async function getMonitoring(objectId: string): Promise<LatestMonitoring | undefined> {
  return (await get<{ data: LatestMonitoring }>(`OBJ#${objectId}`, 'MONITORING', false))?.data;
}
