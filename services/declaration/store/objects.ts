/**
 * Table access for spending objects: the head, its history, the one-per-year claim of a
 * department's overall spending, the lists by owner and the project library.
 *
 * Keys (single-table design; gsi1 and gsi2, see service.ts):
 * | item                       | pk                               | sk                      | GSIs |
 * |----------------------------|----------------------------------|-------------------------|------|
 * | spending object (head)     | OBJ#<id>                         | META                    | gsi1 OBJS#<region>#<year> / <department>#<unit>#<createdAt>#<id>; gsi2 (only while approved) LIB#<region>#<year> / <department>#<unit>#<id> |
 * | history entry              | OBJ#<id>                         | HIST#<at>#<000001>      | – |
 * | one-per-year claim         | DOVERALL#<region>#<dept>#<year>  | CLAIM                   | – (department overall spending) |
 * | outbox / idempotency       | OUTBOX#… / IDEMPOTENCY#…         | …                       | – |
 *
 * The other items of the table: targets, revisions and snapshots under OBJ#<id> (targets.ts),
 * library indicator copies (library-indicators.ts), last evaluations (evaluations.ts), rule
 * parameters (rules.ts).
 *
 * Heads are small (targets live in their own items) so that status changes cost little
 * capacity. Every list is a Query on one partition; nothing scans the table.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { putAtVersion, putNew, stripKeys } from '../../../shared/items.ts';
import { documentClient } from '../../../shared/clients/dynamodb.ts';
import { ENV_KEYS, requireEnv } from '../../../shared/env.ts';
import { writeWithOutbox, type OutboxEvent, type TransactItem } from '../../../shared/outbox.ts';
import type { Page } from '../../../shared/pagination.ts';
import { queryPage, type Filter } from '../../../shared/query.ts';
import type { SpendingObject } from '../domain/spending-object.ts';
import type { HistoryEntry } from '../domain/workflow.ts';

export const table = () => requireEnv(ENV_KEYS.tableName);
const source = () => requireEnv(ENV_KEYS.eventSource);

const GSI = {
  objects: { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
  library: { name: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
} as const;

const strip = stripKeys;

/** Zero-padded counters in sort keys, so they sort as numbers. */
export const pad = (n: number) => String(n).padStart(6, '0');
export const objectPk = (id: string) => `OBJ#${id}`;
const headKey = (id: string) => ({ pk: objectPk(id), sk: 'META' });

function headItem(object: SpendingObject) {
  const owner = `${object.department}#${object.unit}`;
  return {
    ...headKey(object.id),
    kind: 'object',
    gsi1pk: `OBJS#${object.region}#${object.fiscalYear}`,
    gsi1sk: `${owner}#${object.createdAt}#${object.id}`,
    // Sparse: only approved objects are in the project library index.
    ...(object.status === 'approved' ? { gsi2pk: `LIB#${object.region}#${object.fiscalYear}`, gsi2sk: `${owner}#${object.id}` } : {}),
    ...object,
  };
}

function historyPut(objectId: string, entry: HistoryEntry): TransactItem {
  return putNew(table(), { pk: objectPk(objectId), sk: `HIST#${entry.at}#${pad(entry.version)}`, kind: 'history', ...entry });
}

/** The head, replaced only if nobody changed it since `expectedVersion` was read (index 0 of every command's transaction). */
function headReplace(next: SpendingObject, expectedVersion: number): TransactItem {
  return putAtVersion(table(), headItem(next), expectedVersion);
}

async function transact(items: TransactItem[], events: OutboxEvent[] = []): Promise<void> {
  await writeWithOutbox({ tableName: table(), source: source(), items, events });
}

/** Index in `createObject`'s transaction of the one-per-year claim (department overall spending). */
export const CLAIM_INDEX = 1;

const claimKey = (region: string, department: string, year: number) => ({ pk: `DOVERALL#${region}#${department}#${year}`, sk: 'CLAIM' });
const claimPut = (object: SpendingObject, year: number): TransactItem =>
  putNew(table(), { ...claimKey(object.region, object.department, year), kind: 'claim', objectId: object.id });

/** The items that create an object; extra items (an idempotency record) go after them. */
export function objectCreation(object: SpendingObject, history: HistoryEntry): TransactItem[] {
  const claim = object.spendingType === 'department_overall' ? [claimPut(object, object.fiscalYear)] : [];
  return [putNew(table(), headItem(object)), ...claim, historyPut(object.id, history)];
}

/**
 * Moves a department overall object's one-per-year claim when its fiscal year is edited: the old
 * year is freed, the new one taken (fails its condition if the department already has one then).
 * Extra items of `changeObject`: the new claim is at CLAIM_MOVE_INDEX of that transaction.
 */
export function claimMove(object: SpendingObject, toYear: number): TransactItem[] {
  return [{ Delete: { TableName: table(), Key: claimKey(object.region, object.department, object.fiscalYear) } }, claimPut(object, toYear)];
}
/** head (0), history (1), old claim (2), new claim (3). */
export const CLAIM_MOVE_INDEX = 3;

export async function createObject(object: SpendingObject, history: HistoryEntry, extra: TransactItem[] = []): Promise<void> {
  await transact([...objectCreation(object, history), ...extra]);
}

export async function getObject(id: string): Promise<SpendingObject | undefined> {
  const { Item } = await documentClient().send(new GetCommand({ TableName: table(), Key: headKey(id), ConsistentRead: true }));
  return Item ? strip<SpendingObject>(Item) : undefined;
}

export interface ObjectChange {
  next: SpendingObject;
  expectedVersion: number;
  history: HistoryEntry;
  events?: OutboxEvent[];
  /** Extra items written in the same transaction (targets, snapshots). */
  items?: TransactItem[];
}

/** Writes a state change: head (conditional on the version read), its history entry, extra items, events. */
export async function changeObject(change: ObjectChange): Promise<void> {
  await transact([headReplace(change.next, change.expectedVersion), historyPut(change.next.id, change.history), ...(change.items ?? [])], change.events ?? []);
}

export interface ObjectListFilter {
  region: string;
  fiscalYear: number;
  /** Narrows to an owner prefix: `<department>#` or `<department>#<unit>#`. */
  ownerPrefix?: string;
  status?: string;
  spendingType?: string;
  limit: number;
  cursor?: string;
}

function listFilters(f: Pick<ObjectListFilter, 'status' | 'spendingType'>): Filter[] {
  const filters: Filter[] = [];
  if (f.status) filters.push({ expression: '#status = :status', names: { '#status': 'status' }, values: { ':status': f.status } });
  if (f.spendingType) filters.push({ expression: '#st = :st', names: { '#st': 'spendingType' }, values: { ':st': f.spendingType } });
  return filters;
}

export async function listObjects(f: ObjectListFilter): Promise<Page<SpendingObject>> {
  const page = await queryPage({
    tableName: table(),
    index: GSI.objects,
    partition: `OBJS#${f.region}#${f.fiscalYear}`,
    ...(f.ownerPrefix ? { sortCondition: { expression: 'begins_with(#sk, :prefix)', values: { ':prefix': f.ownerPrefix } } } : {}),
    filters: listFilters(f),
    limit: f.limit,
    ...(f.cursor ? { cursor: f.cursor } : {}),
  });
  return { items: page.items.map((i) => strip<SpendingObject>(i)), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
}

export async function listLibrary(f: Omit<ObjectListFilter, 'status'>): Promise<Page<SpendingObject>> {
  const page = await queryPage({
    tableName: table(),
    index: GSI.library,
    partition: `LIB#${f.region}#${f.fiscalYear}`,
    ...(f.ownerPrefix ? { sortCondition: { expression: 'begins_with(#sk, :prefix)', values: { ':prefix': f.ownerPrefix } } } : {}),
    filters: listFilters(f),
    limit: f.limit,
    ...(f.cursor ? { cursor: f.cursor } : {}),
  });
  return { items: page.items.map((i) => strip<SpendingObject>(i)), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
}

export async function listHistory(id: string, limit: number, cursor?: string): Promise<Page<HistoryEntry>> {
  const page = await queryPage({
    tableName: table(),
    partition: objectPk(id),
    sortCondition: { expression: 'begins_with(#sk, :prefix)', values: { ':prefix': 'HIST#' } },
    limit,
    ...(cursor ? { cursor } : {}),
  });
  return { items: page.items.map((i) => strip<HistoryEntry>(i)), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
}
