/**
 * Rectification orders (整改) and their append-only, hash-chained entries.
 *
 * | item              | pk            | sk         | GSIs |
 * |-------------------|---------------|------------|------|
 * | order (head)      | RECT#<id>     | HEAD       | gsi1 ARECT#<region>#<fiscalYear> / <department>#<unit or ->#<createdAt>#<id>; gsi6 (only while status = open) ARECTDUE#<region> / <deadline>#<id> |
 * | order entry       | RECT#<id>     | E#<seq:6>  | – (written once: attribute_not_exists; never updated) |
 *
 * The head carries the chain's last seq and hash and a `version` (+1 per entry): every state
 * change appends its entry in one transaction with the head moved from the version read.
 * gsi1 lists a year's orders of the region, of a department (key prefix) or of a unit (longer
 * prefix); gsi6 is sparse: the open orders by deadline, for the overdue job (jobs/overdue.ts).
 * Heads and entries are written through store/chain.ts.
 */
import { ENV_KEYS, requireEnv } from '../../../shared/env.ts';
import { stripKeys } from '../../../shared/items.ts';
import type { Page } from '../../../shared/pagination.ts';
import { queryPage, type Filter } from '../../../shared/query.ts';
import { chainedRecordStore } from './chain.ts';
import type { ChainEntry } from '../domain/chain.ts';
import { countOrders, type RectificationEntryType, type RectificationOrder, type RectificationSourceKind, type RectificationStatus } from '../domain/rectification.ts';

const table = () => requireEnv(ENV_KEYS.tableName);
const GSI1 = { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' } as const;
const GSI6 = { name: 'gsi6', partitionKey: 'gsi6pk', sortKey: 'gsi6sk' } as const;

export type RectificationEntry = ChainEntry<RectificationEntryType> & { orderId: string };

/** The owner prefix of gsi1's sort key: `<department>#` or `<department>#<unit>#`. */
export const ownerKey = (department: string, unit?: string) => (unit ? `${department}#${unit}#` : `${department}#`);

const orders = chainedRecordStore<RectificationOrder, RectificationEntry>({
  prefix: 'RECT',
  kind: 'rectification',
  idAttribute: 'orderId',
  indexKeys: (o) => ({
    gsi1pk: `ARECT#${o.region}#${o.fiscalYear}`,
    gsi1sk: `${o.owner.department}#${o.owner.unit ?? '-'}#${o.createdAt}#${o.id}`,
    // Sparse: only open orders can fall overdue.
    ...(o.status === 'open' ? { gsi6pk: `ARECTDUE#${o.region}`, gsi6sk: `${o.deadline}#${o.id}` } : {}),
  }),
});

export const getRectification = orders.get;
/** Creates an order with its first entry, then `extra`, then the events. */
export const createRectification = orders.create;
/** Orders on a trigger unless the order exists (a redelivered or repeated event): returns whether it was made. */
export const orderOnce = orders.createOnce;
/** Appends entries at the version read; a condition failure at index 0 is a lost race. */
export const appendRectificationEntries = orders.append;
export const allRectificationEntries = orders.allEntries;
export const verifyRectificationChain = orders.verify;

export interface RectificationFilters {
  status?: RectificationStatus;
  source?: RectificationSourceKind;
}

/** A year's orders of the region, or of an owner (`ownerKey`: a department, or a unit of it). */
export async function listRectifications(region: string, year: number, ownerPrefix: string | undefined, f: RectificationFilters, limit: number, cursor?: string): Promise<Page<RectificationOrder>> {
  const filters: Filter[] = [];
  if (f.status) filters.push({ expression: '#status = :status', names: { '#status': 'status' }, values: { ':status': f.status } });
  if (f.source) filters.push({ expression: '#source.#kind = :kind', names: { '#source': 'source', '#kind': 'kind' }, values: { ':kind': f.source } });
  const page = await queryPage({
    tableName: table(),
    index: GSI1,
    partition: `ARECT#${region}#${year}`,
    ...(ownerPrefix ? { sortCondition: { expression: 'begins_with(#sk, :p)', values: { ':p': ownerPrefix } } } : {}),
    filters,
    limit,
    ...(cursor ? { cursor } : {}),
  });
  return { items: page.items.map((i) => stripKeys<RectificationOrder>(i)), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
}

/** Open orders of the region whose deadline is before `beforeDate` (YYYY-MM-DD), oldest deadline first (gsi6). */
export async function openOrdersDueBefore(region: string, beforeDate: string, limit: number, cursor?: string): Promise<Page<RectificationOrder>> {
  const page = await queryPage({
    tableName: table(),
    index: GSI6,
    partition: `ARECTDUE#${region}`,
    sortCondition: { expression: '#sk < :d', values: { ':d': beforeDate } },
    limit,
    ...(cursor ? { cursor } : {}),
  });
  return { items: page.items.map((i) => stripKeys<RectificationOrder>(i)), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
}

async function allOrders(region: string, year: number, ownerPrefix?: string): Promise<RectificationOrder[]> {
  const out: RectificationOrder[] = [];
  let cursor: string | undefined;
  do {
    const page = await listRectifications(region, year, ownerPrefix, {}, 1000, cursor);
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

/**
 * For assessments (rectification completion): a department's orders about a fiscal year (the
 * object's year, or the year of creation when the order has no object), counted now.
 */
export async function rectificationStats(region: string, year: number, department: string): Promise<{ total: number; closed: number; closedOnTime: number; open: number; overdue: number }> {
  return countOrders(await allOrders(region, year, ownerKey(department)), new Date());
}

/** For the People's Congress report: the region's orders about a fiscal year, counted now, and by source. */
export async function rectificationTotals(region: string, year: number): Promise<{ total: number; closed: number; closedOnTime: number; open: number; overdue: number; bySource: Record<string, number> }> {
  const orders = await allOrders(region, year);
  const bySource: Record<string, number> = {};
  for (const o of orders) bySource[o.source.kind] = (bySource[o.source.kind] ?? 0) + 1;
  return { ...countOrders(orders, new Date()), bySource };
}
