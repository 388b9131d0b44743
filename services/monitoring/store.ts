/**
 * All access to the monitoring table, except execution data (execution-store.ts).
 *
 * Keys (single-table design; gsi1 and gsi2, see service.ts):
 * | item                          | pk                          | sk                    | GSIs |
 * |-------------------------------|-----------------------------|-----------------------|------|
 * | baseline (approved targets)   | OBJ#<objectId>              | BASELINE              | – (from TargetApproved / TargetRevised; never moves backwards) |
 * | scope entry (small)           | OBJ#<objectId>              | SCOPE                 | gsi1 SCOPE#<region>#<year> / <department>#<unit>#<objectId> |
 * | monitoring state              | OBJ#<objectId>              | STATE                 | – (lights across windows, open deviation, red count) |
 * | window                        | WIN#<windowId>              | META                  | gsi1 WINS#<region>#<year> / <throughMonth 00>#<windowId> |
 * | report head (small)           | RPT#<windowId>#<objectId>   | META                  | gsi1 WREP#<windowId> / <department>#<unit>#<objectId>; gsi2 OREP#<objectId> / <throughMonth 00>#<windowId> |
 * | report detail                 | RPT#<windowId>#<objectId>   | DETAIL                | – (every indicator row with its assessment) |
 * | report revision (archived)    | RPT#<windowId>#<objectId>   | REV#<000001>          | – (each earlier revision, as it was) |
 * | reminder / escalation marker  | DUE#<windowId>#<objectId>   | REMINDER / ESCALATION | – (sent once) |
 * | rule parameters               | RULES#<region>#<year>       | CURRENT, V#<000001>   | – (shared/versioned-rules.ts) |
 * | execution data                | EXEC… / EXECBATCH… / EXECSRC… | …                   | – (execution-store.ts) |
 * | outbox / idempotency          | OUTBOX#… / IDEMPOTENCY#…    | …                     | – |
 *
 * Heads are small so that dashboards over thousands of objects read little; lists are Queries
 * on one partition; nothing scans the table.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { TargetSnapshotSchema } from '../../events/declaration.ts';
import type * as z from 'zod/mini';
import { batchGet } from '../../shared/batch-get.ts';
import { putAtVersion, putNew, stripKeys } from '../../shared/items.ts';
import { documentClient } from '../../shared/clients/dynamodb.ts';
import { cancelledByConditions } from '../../shared/conditions.ts';
import { ENV_KEYS, requireEnv } from '../../shared/env.ts';
import { writeWithOutbox, type OutboxEvent, type TransactItem } from '../../shared/outbox.ts';
import type { Page } from '../../shared/pagination.ts';
import { queryPage, type Filter } from '../../shared/query.ts';
import { getStoredRules, listStoredRuleVersions, putStoredRules, type VersionedRules } from '../../shared/versioned-rules.ts';
import type { MonitoringState } from './domain/deviation.ts';
import type { MonitoringRules } from './domain/rules.ts';
import type { Report, ReportDetail, ReportHead, Window } from './domain/report.ts';

const table = () => requireEnv(ENV_KEYS.tableName);
const source = () => requireEnv(ENV_KEYS.eventSource);

const GSI = {
  gsi1: { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
  gsi2: { name: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
} as const;

const strip = stripKeys;

const pad2 = (n: number) => String(n).padStart(2, '0');
const pad6 = (n: number) => String(n).padStart(6, '0');

async function get<T>(key: { pk: string; sk: string }, consistent = true): Promise<T | undefined> {
  const { Item } = await documentClient().send(new GetCommand({ TableName: table(), Key: key, ConsistentRead: consistent }));
  return Item ? strip<T>(Item) : undefined;
}

const pageOf = <T>(page: { items: Record<string, unknown>[]; nextCursor?: string }): Page<T> => ({
  items: page.items.map((i) => strip<T>(i)),
  ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
});

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
        {
          Put: {
            TableName: table(),
            Item: { pk: `OBJ#${o.id}`, sk: 'SCOPE', kind: 'scope', gsi1pk: `SCOPE#${o.region}#${o.fiscalYear}`, gsi1sk: `${o.department}#${o.unit}#${o.id}`, ...scopeEntryOf(baseline) },
            ...newer,
          },
        },
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

export async function listScope(region: string, year: number, ownerPrefix: string | undefined, limit: number, cursor?: string): Promise<Page<ScopeEntry>> {
  return pageOf<ScopeEntry>(
    await queryPage({
      tableName: table(),
      index: GSI.gsi1,
      partition: `SCOPE#${region}#${year}`,
      ...(ownerPrefix ? { sortCondition: { expression: 'begins_with(#sk, :prefix)', values: { ':prefix': ownerPrefix } } } : {}),
      limit,
      ...(cursor ? { cursor } : {}),
    }),
  );
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

// ---------- windows ----------

function windowItem(w: Window) {
  return { pk: `WIN#${w.id}`, sk: 'META', kind: 'window', gsi1pk: `WINS#${w.region}#${w.fiscalYear}`, gsi1sk: `${pad2(w.throughMonth)}#${w.id}`, ...w };
}

export async function createWindow(w: Window, extra: TransactItem[] = []): Promise<void> {
  await writeWithOutbox({ tableName: table(), source: source(), items: [{ Put: { TableName: table(), Item: windowItem(w), ConditionExpression: 'attribute_not_exists(pk)' } }, ...extra], events: [] });
}

export const getWindow = (id: string) => get<Window>({ pk: `WIN#${id}`, sk: 'META' });

export async function listWindows(region: string, year: number, limit: number, cursor?: string): Promise<Page<Window>> {
  return pageOf<Window>(await queryPage({ tableName: table(), index: GSI.gsi1, partition: `WINS#${region}#${year}`, limit, ...(cursor ? { cursor } : {}) }));
}

// ---------- reports ----------

const reportPk = (windowId: string, objectId: string) => `RPT#${windowId}#${objectId}`;

function headItem(head: ReportHead) {
  return {
    pk: reportPk(head.windowId, head.object.id),
    sk: 'META',
    kind: 'report',
    gsi1pk: `WREP#${head.windowId}`,
    gsi1sk: `${head.object.department}#${head.object.unit}#${head.object.id}`,
    gsi2pk: `OREP#${head.object.id}`,
    gsi2sk: `${pad2(head.throughMonth)}#${head.windowId}`,
    ...head,
  };
}

export async function getReport(windowId: string, objectId: string): Promise<Report | undefined> {
  const [head, detail] = await Promise.all([
    get<ReportHead>({ pk: reportPk(windowId, objectId), sk: 'META' }),
    get<ReportDetail>({ pk: reportPk(windowId, objectId), sk: 'DETAIL' }),
  ]);
  return head && detail ? { ...head, ...detail } : undefined;
}

export const getReportHead = (windowId: string, objectId: string) => get<ReportHead>({ pk: reportPk(windowId, objectId), sk: 'META' });

export interface ReportWrite {
  head: ReportHead;
  detail: ReportDetail;
  /** The revision being replaced (archived as it was); absent for the first report. */
  previous?: Report;
  state: StoredState;
  events: OutboxEvent[];
  extra?: TransactItem[];
}

/** Head (index 0: created new, or replaced only at the revision read), detail, archive, state, events. */
export async function writeReport(w: ReportWrite): Promise<void> {
  const pk = reportPk(w.head.windowId, w.head.object.id);
  const head = w.previous ? putAtVersion(table(), headItem(w.head), w.previous.version) : putNew(table(), headItem(w.head));
  const items: TransactItem[] = [
    head,
    { Put: { TableName: table(), Item: { pk, sk: 'DETAIL', kind: 'report-detail', ...w.detail } } },
    ...(w.previous ? [{ Put: { TableName: table(), Item: { pk, sk: `REV#${pad6(w.previous.revision)}`, kind: 'report-revision', ...w.previous }, ConditionExpression: 'attribute_not_exists(pk)' } }] : []),
    statePut(w.head.object.id, w.state),
    ...(w.extra ?? []),
  ];
  await writeWithOutbox({ tableName: table(), source: source(), items, events: w.events });
}

/** Replaces a report head only (reviews), at the version read. */
export async function replaceReportHead(next: ReportHead, expectedVersion: number, events: OutboxEvent[] = []): Promise<void> {
  await writeWithOutbox({ tableName: table(), source: source(), items: [putAtVersion(table(), headItem(next), expectedVersion)], events });
}

export interface ReportFilter {
  windowId: string;
  ownerPrefix?: string;
  light?: string;
  limit: number;
  cursor?: string;
}

export async function listReports(f: ReportFilter): Promise<Page<ReportHead>> {
  const filters: Filter[] = f.light ? [{ expression: '#light = :light', names: { '#light': 'light' }, values: { ':light': f.light } }] : [];
  return pageOf<ReportHead>(
    await queryPage({
      tableName: table(),
      index: GSI.gsi1,
      partition: `WREP#${f.windowId}`,
      ...(f.ownerPrefix ? { sortCondition: { expression: 'begins_with(#sk, :prefix)', values: { ':prefix': f.ownerPrefix } } } : {}),
      filters,
      limit: f.limit,
      ...(f.cursor ? { cursor: f.cursor } : {}),
    }),
  );
}

export async function allReportHeads(windowId: string, ownerPrefix?: string): Promise<ReportHead[]> {
  const all: ReportHead[] = [];
  let cursor: string | undefined;
  do {
    const page = await listReports({ windowId, ...(ownerPrefix ? { ownerPrefix } : {}), limit: 1000, ...(cursor ? { cursor } : {}) });
    all.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return all;
}

export async function listObjectReports(objectId: string, limit: number, cursor?: string): Promise<Page<ReportHead>> {
  return pageOf<ReportHead>(await queryPage({ tableName: table(), index: GSI.gsi2, partition: `OREP#${objectId}`, limit, ...(cursor ? { cursor } : {}) }));
}

export async function listReportRevisions(windowId: string, objectId: string, limit: number, cursor?: string): Promise<Page<Report>> {
  return pageOf<Report>(
    await queryPage({
      tableName: table(),
      partition: reportPk(windowId, objectId),
      sortCondition: { expression: 'begins_with(#sk, :prefix)', values: { ':prefix': 'REV#' } },
      limit,
      ...(cursor ? { cursor } : {}),
    }),
  );
}

// ---------- reminders ----------

/** The marker that a reminder or escalation was sent; conditional, so each goes out once. */
export function dueMarker(windowId: string, objectId: string, stage: 'REMINDER' | 'ESCALATION', sentAt: string): TransactItem {
  return { Put: { TableName: table(), Item: { pk: `DUE#${windowId}#${objectId}`, sk: stage, kind: 'due-marker', sentAt }, ConditionExpression: 'attribute_not_exists(pk)' } };
}

export async function sentMarkers(windowId: string, objectIds: readonly string[]): Promise<Set<string>> {
  const keys = objectIds.flatMap((id) => [
    { pk: `DUE#${windowId}#${id}`, sk: 'REMINDER' },
    { pk: `DUE#${windowId}#${id}`, sk: 'ESCALATION' },
  ]);
  const items = await batchGet(table(), keys);
  return new Set(items.map((i) => `${(i.pk as string).slice(`DUE#${windowId}#`.length)}#${i.sk as string}`));
}

export async function transact(items: TransactItem[], events: OutboxEvent[]): Promise<void> {
  await writeWithOutbox({ tableName: table(), source: source(), items, events });
}

// ---------- rule parameters ----------

export type StoredRules = VersionedRules<MonitoringRules>;
export const getRules = (region: string, year: number, consistent = false) => getStoredRules<MonitoringRules>(table(), region, year, consistent);
export const putRules = (next: StoredRules, expectedVersion: number) => putStoredRules(table(), source(), next.rules.region, next.rules.fiscalYear, next, expectedVersion);
export const listRuleVersions = (region: string, year: number, limit: number, cursor?: string) => listStoredRuleVersions<MonitoringRules>(table(), region, year, limit, cursor);
