/**
 * All access to the evaluation table.
 *
 * Keys (single-table design; gsi1 and gsi2, see service.ts):
 * | item                          | pk                          | sk            | GSIs |
 * |-------------------------------|-----------------------------|---------------|------|
 * | baseline (approved targets)   | OBJ#<objectId>              | BASELINE      | – (from TargetApproved / TargetRevised; never moves backwards) |
 * | scope entry (small)           | OBJ#<objectId>              | SCOPE         | gsi1 SCOPE#<region>#<year> / <department>#<unit>#<objectId> |
 * | latest monitoring             | OBJ#<objectId>              | MONITORING    | – (from MonitoringReported; the latest window) |
 * | self-evaluation               | OBJ#<objectId>              | SELF          | gsi2 SELFS#<region>#<year> / <department>#<unit>#<objectId> |
 * | review sample                 | SAMPLE#<sampleId>           | META          | gsi1 SAMPLES#<region>#<year> / <createdAt>#<sampleId> |
 * | key evaluation                | KEY#<keyId>                 | META          | gsi1 KEYS#<region>#<year> / <department>#<createdAt>#<keyId> |
 * | rule parameters               | RULES#<region>#<year>       | CURRENT, V#…  | – (shared/versioned-rules.ts) |
 * | outbox / idempotency          | OUTBOX#… / IDEMPOTENCY#…    | …             | – |
 */
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { TargetSnapshotSchema } from '../../events/declaration.ts';
import type { MonitoringReported } from '../../events/monitoring.ts';
import type * as z from 'zod/mini';
import { documentClient } from '../../shared/clients/dynamodb.ts';
import { cancelledByConditions } from '../../shared/conditions.ts';
import { ENV_KEYS, requireEnv } from '../../shared/env.ts';
import { putAtVersion, putNew, stripKeys } from '../../shared/items.ts';
import { writeWithOutbox, type OutboxEvent, type TransactItem } from '../../shared/outbox.ts';
import type { Page } from '../../shared/pagination.ts';
import { queryPage } from '../../shared/query.ts';
import { getStoredRules, listStoredRuleVersions, putStoredRules, type VersionedRules } from '../../shared/versioned-rules.ts';
import type { EvaluationParams, KeyEvaluation, ReviewSample, SelfEvaluation } from './domain/self-evaluation.ts';

const table = () => requireEnv(ENV_KEYS.tableName);
const source = () => requireEnv(ENV_KEYS.eventSource);
const GSI1 = { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' } as const;
const GSI2 = { name: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' } as const;

async function get<T>(pk: string, sk: string, consistent = true): Promise<T | undefined> {
  const { Item } = await documentClient().send(new GetCommand({ TableName: table(), Key: { pk, sk }, ConsistentRead: consistent }));
  return Item ? stripKeys<T>(Item) : undefined;
}

const pageOf = <T>(page: { items: Record<string, unknown>[]; nextCursor?: string }): Page<T> => ({
  items: page.items.map((i) => stripKeys<T>(i)),
  ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
});

async function all<T>(fetch: (cursor?: string) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await fetch(cursor);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

const transact = (items: TransactItem[], events: OutboxEvent[] = []) => writeWithOutbox({ tableName: table(), source: source(), items, events });


// ---------- baselines and monitoring (copies from events) ----------

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
      { Put: { TableName: table(), Item: { pk: `OBJ#${o.id}`, sk: 'SCOPE', kind: 'scope', gsi1pk: `SCOPE#${o.region}#${o.fiscalYear}`, gsi1sk: `${o.department}#${o.unit}#${o.id}`, ...scope }, ...newer } },
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
    if ((error as { name?: string }).name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
}

export async function getMonitoring(objectId: string): Promise<LatestMonitoring | undefined> {
  return (await get<{ data: LatestMonitoring }>(`OBJ#${objectId}`, 'MONITORING', false))?.data;
}

// ---------- self-evaluations ----------

function selfItem(s: SelfEvaluation) {
  return { pk: `OBJ#${s.object.id}`, sk: 'SELF', kind: 'self-evaluation', gsi2pk: `SELFS#${s.object.region}#${s.object.fiscalYear}`, gsi2sk: `${s.object.department}#${s.object.unit}#${s.object.id}`, ...s };
}

export const getSelfEvaluation = (objectId: string) => get<SelfEvaluation>(`OBJ#${objectId}`, 'SELF');

/**
 * Index 0 is the self-evaluation (created new, or replaced at the version read). Alone (no
 * events, nothing else) it is a plain conditional PutItem: a transaction would cost twice.
 */
export async function writeSelfEvaluation(next: SelfEvaluation, expectedVersion: number | undefined, events: OutboxEvent[] = [], extra: TransactItem[] = []): Promise<void> {
  const item = selfItem(next);
  const put = expectedVersion === undefined ? putNew(table(), item) : putAtVersion(table(), item, expectedVersion);
  if (events.length === 0 && extra.length === 0) {
    await documentClient().send(new PutCommand(put.Put as ConstructorParameters<typeof PutCommand>[0]));
    return;
  }
  await transact([put, ...extra], events);
}

export async function listSelfEvaluations(region: string, year: number, ownerPrefix: string | undefined, limit: number, cursor?: string): Promise<Page<SelfEvaluation>> {
  return pageOf<SelfEvaluation>(
    await queryPage({
      tableName: table(),
      index: GSI2,
      partition: `SELFS#${region}#${year}`,
      ...(ownerPrefix ? { sortCondition: { expression: 'begins_with(#sk, :p)', values: { ':p': ownerPrefix } } } : {}),
      limit,
      ...(cursor ? { cursor } : {}),
    }),
  );
}

export const allSelfEvaluations = (region: string, year: number, ownerPrefix?: string) => all<SelfEvaluation>((cursor) => listSelfEvaluations(region, year, ownerPrefix, 1000, cursor));

// ---------- review samples ----------

export async function createSample(sample: ReviewSample, marks: TransactItem[]): Promise<void> {
  await transact([putNew(table(), { pk: `SAMPLE#${sample.id}`, sk: 'META', kind: 'sample', gsi1pk: `SAMPLES#${sample.region}#${sample.fiscalYear}`, gsi1sk: `${sample.createdAt}#${sample.id}`, ...sample }), ...marks]);
}

export const getSample = (id: string) => get<ReviewSample>(`SAMPLE#${id}`, 'META');

/** Marks a self-evaluation as drawn for review, at the version read. */
export const sampledMark = (next: SelfEvaluation, expectedVersion: number): TransactItem => putAtVersion(table(), selfItem(next), expectedVersion);

// ---------- key evaluations ----------

function keyItem(k: KeyEvaluation) {
  return { pk: `KEY#${k.id}`, sk: 'META', kind: 'key-evaluation', gsi1pk: `KEYS#${k.object.region}#${k.object.fiscalYear}`, gsi1sk: `${k.object.department}#${k.createdAt}#${k.id}`, ...k };
}

export const getKeyEvaluation = (id: string) => get<KeyEvaluation>(`KEY#${id}`, 'META');

export async function writeKeyEvaluation(next: KeyEvaluation, expectedVersion: number | undefined, events: OutboxEvent[] = [], extra: TransactItem[] = []): Promise<void> {
  const item = keyItem(next);
  await transact([expectedVersion === undefined ? putNew(table(), item) : putAtVersion(table(), item, expectedVersion), ...extra], events);
}

export async function listKeyEvaluations(region: string, year: number, ownerPrefix: string | undefined, limit: number, cursor?: string): Promise<Page<KeyEvaluation>> {
  return pageOf<KeyEvaluation>(
    await queryPage({
      tableName: table(),
      index: GSI1,
      partition: `KEYS#${region}#${year}`,
      ...(ownerPrefix ? { sortCondition: { expression: 'begins_with(#sk, :p)', values: { ':p': ownerPrefix.split('#')[0] + '#' } } } : {}),
      limit,
      ...(cursor ? { cursor } : {}),
    }),
  );
}

// ---------- rule parameters ----------

export type StoredRules = VersionedRules<EvaluationParams>;
export const getRules = (region: string, year: number, consistent = false) => getStoredRules<EvaluationParams>(table(), region, year, consistent);
export const putRules = (next: StoredRules, expectedVersion: number) => putStoredRules(table(), source(), next.rules.region, next.rules.fiscalYear, next, expectedVersion);
export const listRuleVersions = (region: string, year: number, limit: number, cursor?: string) => listStoredRuleVersions<EvaluationParams>(table(), region, year, limit, cursor);
