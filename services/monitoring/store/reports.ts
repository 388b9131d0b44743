/**
 * Monitoring reports: a small head (what lists and dashboards read), the detail (every indicator
 * row with its assessment) and each earlier revision, as it was. One partition per report.
 *
 * | item                       | pk                        | sk           | GSIs |
 * |----------------------------|---------------------------|--------------|------|
 * | report head (small)        | RPT#<windowId>#<objectId> | META         | gsi1 WREP#<windowId> / <department>#<unit>#<objectId>; gsi2 OREP#<objectId> / <throughMonth 00>#<windowId> |
 * | report detail              | RPT#<windowId>#<objectId> | DETAIL       | – |
 * | report revision (archived) | RPT#<windowId>#<objectId> | REV#<000001> | – |
 *
 * A report is written in one transaction with the object's monitoring state (store/objects.ts)
 * and its events. Heads are small so that lists, and the dashboard view's rebuild over
 * thousands of objects, read little (dashboards read the view, store/dashboard-view.ts); lists
 * are Queries on one partition; nothing scans the table.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { batchGet } from '../../../shared/batch-get.ts';
import { documentClient } from '../../../shared/clients/dynamodb.ts';
import { ENV_KEYS, requireEnv } from '../../../shared/env.ts';
import { putAtVersion, putNew, stripKeys } from '../../../shared/items.ts';
import { writeWithOutbox, type OutboxEvent, type TransactItem } from '../../../shared/outbox.ts';
import type { Page } from '../../../shared/pagination.ts';
import { queryPage, type Filter } from '../../../shared/query.ts';
import type { Report, ReportDetail, ReportHead } from '../domain/report.ts';
import { statePut, type StoredState } from './objects.ts';

const table = () => requireEnv(ENV_KEYS.tableName);
const source = () => requireEnv(ENV_KEYS.eventSource);
const GSI = {
  gsi1: { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
  gsi2: { name: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
} as const;

const pad2 = (n: number) => String(n).padStart(2, '0');
const pad6 = (n: number) => String(n).padStart(6, '0');

const reportPk = (windowId: string, objectId: string) => `RPT#${windowId}#${objectId}`;

async function get<T>(key: { pk: string; sk: string }): Promise<T | undefined> {
  const { Item } = await documentClient().send(new GetCommand({ TableName: table(), Key: key, ConsistentRead: true }));
  return Item ? stripKeys<T>(Item) : undefined;
}

const pageOf = <T>(page: { items: Record<string, unknown>[]; nextCursor?: string }): Page<T> => ({
  items: page.items.map((i) => stripKeys<T>(i)),
  ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
});

/** A report head as stored (also what the scale bench writes). */
export function headItem(head: ReportHead) {
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

/** A report's head alone (what the dashboard view is computed from). */
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

/** Which of these objects have a report in the window (one BatchGet of their heads' keys, at most 100 a call). */
export async function reportedAmong(windowId: string, objectIds: readonly string[]): Promise<Set<string>> {
  const items = await batchGet(table(), objectIds.map((id) => ({ pk: reportPk(windowId, id), sk: 'META' })));
  return new Set(items.map((i) => String(i.pk).slice(`RPT#${windowId}#`.length)));
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
