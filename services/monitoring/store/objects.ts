/**
 * Monitored objects: the baseline (approved target snapshot), its small scope entry, and the
 * monitoring state across windows. One partition per object.
 *
 * | item                        | pk               | sk       | GSIs |
 * |-----------------------------|------------------|----------|------|
 * | baseline (approved targets) | OBJ#<objectId>   | BASELINE | – (from TargetApproved / TargetRevised; never moves backwards) |
 * | scope entry (small)         | OBJ#<objectId>   | SCOPE    | gsi1 SCOPE#<region>#<year> / <department>#<unit>#<objectId> |
 * | monitoring state            | OBJ#<objectId>   | STATE    | – (lights across windows, open deviation, red count; written with each report, store/reports.ts) |
 *
 * A window's scope lists objects from the scope entries (one Query per region-year, narrowed by
 * owner prefix), and so do the dashboard views' builds and checks (store/dashboard-view.ts; the
 * dashboards themselves read the views); nothing scans the table.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type * as z from 'zod/mini';
import type { TargetSnapshotSchema } from '../../../events/declaration.ts';
import { documentClient } from '../../../shared/clients/dynamodb.ts';
import { cancelledByConditions } from '../../../shared/conditions.ts';
import { ENV_KEYS, requireEnv } from '../../../shared/env.ts';
import { stripKeys } from '../../../shared/items.ts';
import { writeWithOutbox, type TransactItem } from '../../../shared/outbox.ts';
import type { Page } from '../../../shared/pagination.ts';
import { queryPage } from '../../../shared/query.ts';
import type { MonitoringState } from '../domain/deviation.ts';

const table = () => requireEnv(ENV_KEYS.tableName);
const source = () => requireEnv(ENV_KEYS.eventSource);
const GSI1 = { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' } as const;

async function get<T>(key: { pk: string; sk: string }): Promise<T | undefined> {
  const { Item } = await documentClient().send(new GetCommand({ TableName: table(), Key: key, ConsistentRead: true }));
  return Item ? stripKeys<T>(Item) : undefined;
}

// ---------- baselines ----------

export type Baseline = z.infer<typeof TargetSnapshotSchema> & { receivedAt: string };

/** What a window's scope and a dashboard need of an object, kept small. */
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

export function scopeEntryOf(baseline: Baseline): ScopeEntry {
  const o = baseline.object;
  return {
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
}

/** A scope entry as stored (also what the scale bench writes). */
export const scopeItem = (e: ScopeEntry) => ({ pk: `OBJ#${e.objectId}`, sk: 'SCOPE', kind: 'scope', gsi1pk: `SCOPE#${e.region}#${e.fiscalYear}`, gsi1sk: `${e.department}#${e.unit}#${e.objectId}`, ...e });

/**
 * Stores an approved snapshot unless a later (or the same) target version is already here: events
 * may arrive out of order or twice. Returns whether it was applied.
 */
export async function putBaseline(baseline: Baseline): Promise<boolean> {
  const o = baseline.object;
  const newer = {
    ConditionExpression: 'attribute_not_exists(pk) OR targetVersion < :v',
    ExpressionAttributeValues: { ':v': baseline.targetVersion },
  };
  try {
    await writeWithOutbox({
      tableName: table(),
      source: source(),
      items: [
        { Put: { TableName: table(), Item: { pk: `OBJ#${o.id}`, sk: 'BASELINE', kind: 'baseline', ...baseline }, ...newer } },
        { Put: { TableName: table(), Item: scopeItem(scopeEntryOf(baseline)), ...newer } },
      ],
      events: [],
    });
    return true;
  } catch (error) {
    if (cancelledByConditions(error)) return false;
    throw error;
  }
}

export const getBaseline = (objectId: string) => get<Baseline>({ pk: `OBJ#${objectId}`, sk: 'BASELINE' });
export const getScopeEntry = (objectId: string) => get<ScopeEntry>({ pk: `OBJ#${objectId}`, sk: 'SCOPE' });

export async function listScope(region: string, year: number, ownerPrefix: string | undefined, limit: number, cursor?: string): Promise<Page<ScopeEntry>> {
  const page = await queryPage({
    tableName: table(),
    index: GSI1,
    partition: `SCOPE#${region}#${year}`,
    ...(ownerPrefix ? { sortCondition: { expression: 'begins_with(#sk, :prefix)', values: { ':prefix': ownerPrefix } } } : {}),
    limit,
    ...(cursor ? { cursor } : {}),
  });
  return { items: page.items.map((i) => stripKeys<ScopeEntry>(i)), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
}

/** Every scope entry of a region-year (or of one owner prefix), page by page. */
export async function allScope(region: string, year: number, ownerPrefix?: string): Promise<ScopeEntry[]> {
  const all: ScopeEntry[] = [];
  let cursor: string | undefined;
  do {
    const page = await listScope(region, year, ownerPrefix, 1000, cursor);
    all.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return all;
}

// ---------- monitoring state ----------

export type StoredState = MonitoringState & { version: number };

export const getState = (objectId: string) => get<StoredState>({ pk: `OBJ#${objectId}`, sk: 'STATE' });

/** The state's write in a report's transaction: created at version 1, then replaced only at the version read. */
export function statePut(objectId: string, next: StoredState): TransactItem {
  const expected = next.version - 1;
  return {
    Put: {
      TableName: table(),
      Item: { pk: `OBJ#${objectId}`, sk: 'STATE', kind: 'state', ...next },
      ConditionExpression: expected === 0 ? 'attribute_not_exists(pk)' : '#version = :expected',
      ...(expected === 0 ? {} : { ExpressionAttributeNames: { '#version': 'version' }, ExpressionAttributeValues: { ':expected': expected } }),
    },
  };
}
