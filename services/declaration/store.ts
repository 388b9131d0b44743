/**
 * All access to the declaration table.
 *
 * Keys (single-table design; gsi1 and gsi2, see service.ts):
 * | item                       | pk                               | sk                      | GSIs |
 * |----------------------------|----------------------------------|-------------------------|------|
 * | spending object (head)     | OBJ#<id>                         | META                    | gsi1 OBJS#<region>#<year> / <department>#<unit>#<createdAt>#<id>; gsi2 (only while approved) LIB#<region>#<year> / <department>#<unit>#<id> |
 * | working targets            | OBJ#<id>                         | TARGETS                 | – |
 * | proposed revision targets  | OBJ#<id>                         | REVISION                | – |
 * | approved target snapshot   | OBJ#<id>                         | SNAP#<000001>           | – (one per approved version, never changed) |
 * | history entry              | OBJ#<id>                         | HIST#<at>#<000001>      | – |
 * | one-per-year claim         | DOVERALL#<region>#<dept>#<year>  | CLAIM                   | – (department overall spending) |
 * | rule parameters            | RULES#<region>#<year>            | CURRENT, V#<000001>     | – (shared/versioned-rules.ts) |
 * | library indicator copy     | LIBIND#<indicatorId>             | META                    | – (from indicator events; plus achieved values from evaluations) |
 * | last evaluation of object  | EVAL#<objectId>                  | LATEST                  | – (from EvaluationCompleted; read by the results gate) |
 * | outbox / idempotency       | OUTBOX#… / IDEMPOTENCY#…         | …                       | – |
 *
 * Heads are small (targets live in their own items) so that status changes cost little
 * capacity. Every list is a Query on one partition; nothing scans the table.
 */
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { EvaluationCompleted } from '../../events/evaluation.ts';
import type { PublishedIndicatorSchema } from '../../events/indicators.ts';
import type * as z from 'zod/mini';
import { batchGet } from '../../shared/batch-get.ts';
import { putAtVersion, stripKeys } from '../../shared/items.ts';
import { documentClient } from '../../shared/clients/dynamodb.ts';
import { ENV_KEYS, requireEnv } from '../../shared/env.ts';
import { writeWithOutbox, type OutboxEvent, type TransactItem } from '../../shared/outbox.ts';
import type { Page } from '../../shared/pagination.ts';
import { queryPage, type Filter } from '../../shared/query.ts';
import { getStoredRules, listStoredRuleVersions, putStoredRules, type VersionedRules } from '../../shared/versioned-rules.ts';
import type { DeclarationRules } from './domain/rules.ts';
import type { SpendingObject } from './domain/spending-object.ts';
import type { StoredTargets, TargetSnapshot } from './domain/targets.ts';
import type { HistoryEntry, PreviousEvaluation } from './domain/workflow.ts';

const table = () => requireEnv(ENV_KEYS.tableName);
const source = () => requireEnv(ENV_KEYS.eventSource);

const GSI = {
  objects: { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
  library: { name: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
} as const;

const strip = stripKeys;

const pad = (n: number) => String(n).padStart(6, '0');
export const objectPk = (id: string) => `OBJ#${id}`;
const headKey = (id: string) => ({ pk: objectPk(id), sk: 'META' });
const targetsKey = (id: string) => ({ pk: objectPk(id), sk: 'TARGETS' });
const revisionKey = (id: string) => ({ pk: objectPk(id), sk: 'REVISION' });

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

const put = (Item: Record<string, unknown>, ConditionExpression?: string): TransactItem => ({
  Put: { TableName: table(), Item, ...(ConditionExpression ? { ConditionExpression } : {}) },
});

function historyPut(objectId: string, entry: HistoryEntry): TransactItem {
  return put({ pk: objectPk(objectId), sk: `HIST#${entry.at}#${pad(entry.version)}`, kind: 'history', ...entry }, 'attribute_not_exists(pk)');
}

/** The head, replaced only if nobody changed it since `expectedVersion` was read (index 0 of every command's transaction). */
function headReplace(next: SpendingObject, expectedVersion: number): TransactItem {
  return putAtVersion(table(), headItem(next), expectedVersion);
}

async function transact(items: TransactItem[], events: OutboxEvent[] = []): Promise<void> {
  await writeWithOutbox({ tableName: table(), source: source(), items, events });
}

// ---------- objects ----------

/** Index in `createObject`'s transaction of the one-per-year claim (department overall spending). */
export const CLAIM_INDEX = 1;

const claimKey = (region: string, department: string, year: number) => ({ pk: `DOVERALL#${region}#${department}#${year}`, sk: 'CLAIM' });
const claimPut = (object: SpendingObject, year: number): TransactItem =>
  put({ ...claimKey(object.region, object.department, year), kind: 'claim', objectId: object.id }, 'attribute_not_exists(pk)');

/** The items that create an object; extra items (an idempotency record) go after them. */
export function objectCreation(object: SpendingObject, history: HistoryEntry): TransactItem[] {
  const claim = object.spendingType === 'department_overall' ? [claimPut(object, object.fiscalYear)] : [];
  return [put(headItem(object), 'attribute_not_exists(pk)'), ...claim, historyPut(object.id, history)];
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

// ---------- targets ----------

export async function getTargets(id: string): Promise<StoredTargets | undefined> {
  const { Item } = await documentClient().send(new GetCommand({ TableName: table(), Key: targetsKey(id), ConsistentRead: true }));
  return Item ? strip<StoredTargets>(Item) : undefined;
}

export async function getProposedRevision(id: string): Promise<StoredTargets | undefined> {
  const { Item } = await documentClient().send(new GetCommand({ TableName: table(), Key: revisionKey(id), ConsistentRead: true }));
  return Item ? strip<StoredTargets>(Item) : undefined;
}

export const targetsPut = (id: string, targets: StoredTargets): TransactItem => put({ ...targetsKey(id), kind: 'targets', ...targets });
export const revisionPut = (id: string, targets: StoredTargets): TransactItem => put({ ...revisionKey(id), kind: 'revision-targets', ...targets });
export const revisionDelete = (id: string): TransactItem => ({ Delete: { TableName: table(), Key: revisionKey(id) } });
export const snapshotPut = (snapshot: TargetSnapshot): TransactItem =>
  put({ pk: objectPk(snapshot.object.id), sk: `SNAP#${pad(snapshot.targetVersion)}`, kind: 'snapshot', ...snapshot }, 'attribute_not_exists(pk)');

export async function getSnapshot(id: string, targetVersion: number): Promise<TargetSnapshot | undefined> {
  const { Item } = await documentClient().send(new GetCommand({ TableName: table(), Key: { pk: objectPk(id), sk: `SNAP#${pad(targetVersion)}` }, ConsistentRead: true }));
  return Item ? strip<TargetSnapshot>(Item) : undefined;
}

export async function listSnapshots(id: string, limit: number, cursor?: string): Promise<Page<TargetSnapshot>> {
  const page = await queryPage({
    tableName: table(),
    partition: objectPk(id),
    sortCondition: { expression: 'begins_with(#sk, :prefix)', values: { ':prefix': 'SNAP#' } },
    limit,
    consistentRead: true,
    ...(cursor ? { cursor } : {}),
  });
  return { items: page.items.map((i) => strip<TargetSnapshot>(i)), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
}

// ---------- rule parameters (shared/versioned-rules.ts) ----------

export type StoredRules = VersionedRules<DeclarationRules>;

/** Checks may run on parameters a moment old; an update reads them strongly consistent. */
export const getRules = (region: string, year: number, consistent = false) => getStoredRules<DeclarationRules>(table(), region, year, consistent);
export const putRules = (next: StoredRules, expectedVersion: number) => putStoredRules(table(), source(), next.rules.region, next.rules.fiscalYear, next, expectedVersion);
export const listRuleVersions = (region: string, year: number, limit: number, cursor?: string) => listStoredRuleVersions<DeclarationRules>(table(), region, year, limit, cursor);

// ---------- library indicators (copies from indicator events) ----------

type PublishedIndicator = z.infer<typeof PublishedIndicatorSchema>;

export interface LibraryIndicator {
  id: string;
  revision: number;
  code?: string;
  name: string;
  level1: PublishedIndicator['level1'];
  level2: PublishedIndicator['level2'];
  operator: PublishedIndicator['operator'];
  unit: string;
  spendingTypes: PublishedIndicator['spendingTypes'];
  region: string;
  status: 'published' | 'retired';
  /** Numeric achieved values from completed evaluations (most recent last, at most ACHIEVED_KEPT). */
  achieved?: number[];
  achievedBy?: Achieved[];
}

/** Enough observations for a stable median; older ones fall off. */
export const ACHIEVED_KEPT = 50;

const libKey = (id: string) => ({ pk: `LIBIND#${id}`, sk: 'META' });

export async function getLibraryIndicators(ids: readonly string[]): Promise<Map<string, LibraryIndicator>> {
  const items = await batchGet(table(), [...new Set(ids)].map(libKey));
  // An item with only achieved values (evaluated before its publication arrived) is not a library entry.
  return new Map(
    items
      .map((item) => strip<LibraryIndicator>(item))
      .filter((lib) => lib.name)
      .map(({ achievedBy, ...lib }) => [lib.id, { ...lib, ...(achievedBy?.length ? { achieved: achievedBy.map((a) => a.v) } : {}) }]),
  );
}

/**
 * Applies a published revision; never moves backwards (a late, older revision is ignored) and
 * never revives a retired indicator. Returns whether it was applied.
 */
export async function upsertLibraryIndicator(indicator: PublishedIndicator): Promise<boolean> {
  try {
    await documentClient().send(
      new UpdateCommand({
        TableName: table(),
        Key: libKey(indicator.id),
        UpdateExpression:
          'SET #id = :id, #revision = :revision, #name = :name, level1 = :l1, level2 = :l2, #operator = :op, #unit = :unit, spendingTypes = :st, #region = :region, #status = :published, #code = :code, kind = :kind',
        ConditionExpression: '(attribute_not_exists(#revision) OR #revision < :revision) AND (attribute_not_exists(#status) OR #status <> :retired)',
        ExpressionAttributeNames: {
          '#id': 'id',
          '#revision': 'revision',
          '#name': 'name',
          '#operator': 'operator',
          '#unit': 'unit',
          '#region': 'region',
          '#status': 'status',
          '#code': 'code',
        },
        ExpressionAttributeValues: {
          ':id': indicator.id,
          ':revision': indicator.revision,
          ':name': indicator.name,
          ':l1': indicator.level1,
          ':l2': indicator.level2,
          ':op': indicator.operator,
          ':unit': indicator.unit,
          ':st': indicator.spendingTypes,
          ':region': indicator.region,
          ':published': 'published',
          ':retired': 'retired',
          ':code': indicator.code ?? null,
          ':kind': 'library-indicator',
        },
      }),
    );
    return true;
  } catch (error) {
    if ((error as { name?: string }).name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
}

/** Marks an indicator retired (kept, so rows already approved still resolve, but unusable in new targets). */
export async function retireLibraryIndicator(id: string): Promise<void> {
  await documentClient().send(
    new UpdateCommand({
      TableName: table(),
      Key: libKey(id),
      UpdateExpression: 'SET #status = :retired, #id = :id',
      ExpressionAttributeNames: { '#status': 'status', '#id': 'id' },
      ExpressionAttributeValues: { ':retired': 'retired', ':id': id },
    }),
  );
}

/** One achieved value, keyed by where it was achieved (`<year>#<objectId>#<n>`), so a later evaluation of the same object replaces it. */
export interface Achieved {
  k: string;
  v: number;
}

/**
 * Records achieved values of one indicator. A finance review after the unit's self-evaluation
 * replaces the self-evaluation's value rather than counting the same achievement twice; the
 * newest ACHIEVED_KEPT values are kept. Read-modify-write, conditional on the list's version,
 * retried when another evaluation of the same indicator got there first.
 */
export async function recordAchieved(indicatorId: string, entries: readonly Achieved[]): Promise<void> {
  const replaced = new Set(entries.map((e) => e.k));
  for (let attempt = 0; attempt < 20; attempt++) {
    const { Item } = await documentClient().send(new GetCommand({ TableName: table(), Key: libKey(indicatorId), ConsistentRead: true }));
    const version = (Item?.achievedVersion as number | undefined) ?? 0;
    const current = (Item?.achievedBy as Achieved[] | undefined) ?? [];
    const next = [...current.filter((e) => !replaced.has(e.k)), ...entries].slice(-ACHIEVED_KEPT);
    try {
      await documentClient().send(
        new UpdateCommand({
          TableName: table(),
          Key: libKey(indicatorId),
          UpdateExpression: 'SET achievedBy = :next, achievedVersion = :version, #id = :id',
          ConditionExpression: version === 0 ? 'attribute_not_exists(achievedVersion)' : 'achievedVersion = :expected',
          ExpressionAttributeNames: { '#id': 'id' },
          ExpressionAttributeValues: { ':next': next, ':version': version + 1, ':id': indicatorId, ...(version === 0 ? {} : { ':expected': version }) },
        }),
      );
      return;
    } catch (error) {
      if ((error as { name?: string }).name !== 'ConditionalCheckFailedException') throw error;
    }
  }
  throw new Error(`achieved values of ${indicatorId}: too many concurrent updates; the event will be retried`);
}

// ---------- evaluations (results gate) ----------

const KIND_RANK: Record<EvaluationCompleted['data']['kind'], number> = { self: 1, finance_review: 2, key: 3 };

/**
 * Keeps the evaluation that counts for an object: the latest fiscal year, and within a year the
 * strongest kind (a finance review or key evaluation overrides the unit's self-evaluation).
 */
export async function recordEvaluation(data: EvaluationCompleted['data']): Promise<boolean> {
  const rank = data.object.fiscalYear * 10 + KIND_RANK[data.kind];
  const evaluation: PreviousEvaluation & { rank: number; evaluationKind: string; completedAt: string } = {
    evaluationId: data.evaluationId,
    objectId: data.object.id,
    fiscalYear: data.object.fiscalYear,
    grade: data.grade,
    totalScore: data.totalScore,
    evaluationKind: data.kind,
    completedAt: data.completedAt,
    rank,
  };
  try {
    await documentClient().send(
      new UpdateCommand({
        TableName: table(),
        Key: { pk: `EVAL#${data.object.id}`, sk: 'LATEST' },
        UpdateExpression: 'SET ' + Object.keys(evaluation).map((k) => `#${k} = :${k}`).join(', ') + ', kind = :kindTag',
        ConditionExpression: 'attribute_not_exists(#rank) OR #rank < :rank OR (#rank = :rank AND #completedAt <= :completedAt)',
        ExpressionAttributeNames: Object.fromEntries(Object.keys(evaluation).map((k) => [`#${k}`, k])),
        ExpressionAttributeValues: { ...Object.fromEntries(Object.entries(evaluation).map(([k, v]) => [`:${k}`, v])), ':kindTag': 'evaluation' },
      }),
    );
    return true;
  } catch (error) {
    if ((error as { name?: string }).name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
}

export async function getLastEvaluation(objectId: string): Promise<PreviousEvaluation | undefined> {
  const { Item } = await documentClient().send(new GetCommand({ TableName: table(), Key: { pk: `EVAL#${objectId}`, sk: 'LATEST' }, ConsistentRead: true }));
  if (!Item) return undefined;
  return { evaluationId: Item.evaluationId, objectId: Item.objectId, fiscalYear: Item.fiscalYear, grade: Item.grade, totalScore: Item.totalScore };
}
