/**
 * Indicators: the head, its published revisions, the claims that keep codes unique per owning
 * region, and the tombstones of inherited indicators their owner retired; audit entries in
 * store/audit.ts. (The table holds, besides: templates, sectors, achieved values, import jobs
 * — see the other store/ files — and the outbox and idempotency records.)
 *
 * | item                | pk                    | sk            | GSIs |
 * |---------------------|-----------------------|---------------|------|
 * | indicator (head)    | IND#<id>              | META          | gsi1 IND / <createdAt>#<id>; gsi2 IND#L1#<level1>; gsi3 IND#L2#<level2>; gsi4 IND#SEC#<sector> (sparse: only with a sector), all sorted by <createdAt>#<id> |
 * | indicator revision  | IND#<id>              | REV#<000001>  | –    |
 * | tombstone           | IND#<id>              | RETIRED       | –  (an ancestor retired it: no late publication revives the copy) |
 * | code claim          | CODE#<region>#<code>  | CODE          | –  (unique codes per owning region) |
 *
 * Every list is a Query on one partition; nothing scans the table.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Actor } from '../../../events/envelope.ts';
import type { Level1, Level2 } from '../../../events/vocabulary.ts';
import { batchGet as sharedBatchGet } from '../../../shared/batch-get.ts';
import { documentClient } from '../../../shared/clients/dynamodb.ts';
import { cancelledByConditions, conditionFailedAt } from '../../../shared/conditions.ts';
import { ENV_KEYS, requireEnv } from '../../../shared/env.ts';
import { putAtVersion, putNew, stripKeys } from '../../../shared/items.ts';
import { writeWithOutbox, type OutboxEvent, type TransactItem } from '../../../shared/outbox.ts';
import type { Page } from '../../../shared/pagination.ts';
import { queryPage, type Filter } from '../../../shared/query.ts';
import type { Indicator, IndicatorRevision, IndicatorStatus } from '../domain/indicator.ts';
import { actorRef, auditPut, type AuditEntry } from './audit.ts';

const table = () => requireEnv(ENV_KEYS.tableName);
const source = () => requireEnv(ENV_KEYS.eventSource);

const GSI = {
  gsi1: { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
  gsi2: { name: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
  gsi3: { name: 'gsi3', partitionKey: 'gsi3pk', sortKey: 'gsi3sk' },
  gsi4: { name: 'gsi4', partitionKey: 'gsi4pk', sortKey: 'gsi4sk' },
} as const;

const strip = stripKeys;

const pad = (n: number) => String(n).padStart(6, '0');
const indicatorKey = (id: string) => ({ pk: `IND#${id}`, sk: 'META' });
const codeKey = (region: string, code: string) => ({ pk: `CODE#${region}#${code}`, sk: 'CODE' });
const tombstoneKey = (pk: string) => ({ pk, sk: 'RETIRED' });

function indicatorItem(indicator: Indicator) {
  const sk = `${indicator.createdAt}#${indicator.id}`;
  return {
    ...indicatorKey(indicator.id),
    kind: 'indicator',
    gsi1pk: 'IND',
    gsi1sk: sk,
    gsi2pk: `IND#L1#${indicator.level1}`,
    gsi2sk: sk,
    gsi3pk: `IND#L2#${indicator.level2}`,
    gsi3sk: sk,
    // Sparse: only indicators with a sector are in the sector index (nothing lists "no sector").
    ...(indicator.sector ? { gsi4pk: `IND#SEC#${indicator.sector}`, gsi4sk: sk } : {}),
    ...indicator,
  };
}

const revisionItem = (revision: IndicatorRevision) => ({ pk: `IND#${revision.id}`, sk: `REV#${pad(revision.revision)}`, kind: 'indicator-revision', ...revision });

function codeClaim(indicator: Indicator): TransactItem[] {
  if (!indicator.code) return [];
  return [putNew(table(), { ...codeKey(indicator.region, indicator.code), kind: 'code', indicatorId: indicator.id })];
}

/** Transaction items that create an indicator (head, code claim, audit); `revision` when created published. */
export function indicatorCreation(indicator: Indicator, actor: Actor, revision?: IndicatorRevision): TransactItem[] {
  return [
    putNew(table(), indicatorItem(indicator)),
    ...codeClaim(indicator),
    auditPut(`IND#${indicator.id}`, { at: indicator.createdAt, action: 'created', actor: actorRef(actor), toStatus: indicator.status, version: indicator.version }),
    ...(revision ? [putNew(table(), revisionItem(revision))] : []),
  ];
}

/** Index of the head item in `indicatorCreation` (0) and of the code claim (1 when there is a code). */
export const CREATION_CODE_INDEX = 1;

export async function insertIndicator(indicator: Indicator, actor: Actor, extra: TransactItem[] = [], events: OutboxEvent[] = [], revision?: IndicatorRevision): Promise<void> {
  await writeWithOutbox({ tableName: table(), source: source(), items: [...indicatorCreation(indicator, actor, revision), ...extra], events });
}

/** Many creations in one transaction each (a caller batches them to stay under 100 items). */
export async function writeTransaction(items: TransactItem[], events: OutboxEvent[]): Promise<void> {
  await writeWithOutbox({ tableName: table(), source: source(), items, events });
}

/**
 * Replaces an indicator if nobody changed it since `expectedVersion` was read; the change, its
 * audit entry, the new revision record (if any) and the events commit together.
 */
export async function replaceIndicator(
  next: Indicator,
  expectedVersion: number,
  audit: Omit<AuditEntry, 'version' | 'toStatus'>,
  events: OutboxEvent[],
  revision?: IndicatorRevision,
): Promise<void> {
  await writeWithOutbox({
    tableName: table(),
    source: source(),
    items: [
      putAtVersion(table(), indicatorItem(next), expectedVersion),
      auditPut(`IND#${next.id}`, { ...audit, toStatus: next.status, version: next.version }),
      ...(revision ? [putNew(table(), revisionItem(revision))] : []),
    ],
    events,
  });
}

/**
 * Stores a copy of an ancestor region's indicator (event-carried state). A copy never moves
 * backwards: an older revision arriving late is ignored, and once the owner retired it (a
 * tombstone is kept even if the retirement arrived first) no late publication revives it.
 * Returns whether it was applied; throws on anything but a failed condition, so the event is
 * retried rather than lost.
 */
export async function upsertInherited(indicator: Indicator, revision: IndicatorRevision | undefined, events: OutboxEvent[]): Promise<boolean> {
  try {
    await writeWithOutbox({
      tableName: table(),
      source: source(),
      items: [
        { ConditionCheck: { TableName: table(), Key: tombstoneKey(`IND#${indicator.id}`), ConditionExpression: 'attribute_not_exists(pk)' } },
        {
          Put: {
            TableName: table(),
            Item: indicatorItem(indicator),
            ConditionExpression:
              'attribute_not_exists(pk) OR (inherited = :true AND #status <> :retired AND (#revision < :revision OR (#revision = :revision AND #status <> :status)))',
            ExpressionAttributeNames: { '#revision': 'revision', '#status': 'status' },
            ExpressionAttributeValues: { ':true': true, ':revision': indicator.revision, ':status': indicator.status, ':retired': 'retired' },
          },
        },
        ...(revision
          ? [{ Put: { TableName: table(), Item: revisionItem(revision) } }]
          : []),
      ],
      events,
    });
    return true;
  } catch (error) {
    if (cancelledByConditions(error)) return false;
    throw error;
  }
}

/**
 * Records that an ancestor retired an indicator: a tombstone (so a publication delivered late
 * cannot bring it back) and, when this region has a copy, the copy marked retired.
 */
export async function retireInherited(retired: Indicator | undefined, tombstone: { id: string; revision: number; retiredAt: string; reason: string }, events: OutboxEvent[]): Promise<boolean> {
  try {
    await writeWithOutbox({
      tableName: table(),
      source: source(),
      items: [
        // Only a retirement writes a tombstone, and retirement is final: one already there means this
        // retirement was applied (a redelivery after a lost idempotency record), so nothing is written twice.
        { Put: { TableName: table(), Item: { ...tombstoneKey(`IND#${tombstone.id}`), kind: 'tombstone', ...tombstone }, ConditionExpression: 'attribute_not_exists(pk)' } },
        ...(retired ? [{ Put: { TableName: table(), Item: indicatorItem(retired), ConditionExpression: 'inherited = :true', ExpressionAttributeValues: { ':true': true } } }] : []),
      ],
      events,
    });
    return true;
  } catch (error) {
    if (conditionFailedAt(error, 0)) return false;
    throw error;
  }
}

export async function getIndicator(id: string): Promise<Indicator | undefined> {
  const result = await documentClient().send(new GetCommand({ TableName: table(), Key: indicatorKey(id), ConsistentRead: true }));
  return result.Item ? strip<Indicator>(result.Item) : undefined;
}

const batchGet = (keys: readonly Record<string, unknown>[], consistentRead = false) => sharedBatchGet(table(), keys, consistentRead);

export async function getIndicators(ids: readonly string[]): Promise<Map<string, Indicator>> {
  const items = await batchGet([...new Set(ids)].map(indicatorKey));
  return new Map(items.map((item) => [item.id as string, strip<Indicator>(item)]));
}

/** Codes already claimed in the region → indicator id (one BatchGet per 100 codes). */
export async function indicatorIdsByCodes(region: string, codes: readonly string[]): Promise<Map<string, string>> {
  const items = await batchGet([...new Set(codes)].map((code) => codeKey(region, code)), true);
  return new Map(items.map((item) => [(item.pk as string).slice(`CODE#${region}#`.length), item.indicatorId as string]));
}

export interface IndicatorFilter {
  level1?: Level1;
  level2?: Level2;
  scope?: string;
  sector?: string;
  spendingType?: string;
  status?: IndicatorStatus;
  region?: string;
  text?: string;
  /** Hide drafts (units and departments never see them). */
  publishedOnly?: boolean;
}

/** Picks the most selective index for the filter; the rest become filter expressions. */
export function indicatorQueryPlan(filter: IndicatorFilter): { index: (typeof GSI)[keyof typeof GSI]; partition: string; filters: Filter[] } {
  const filters: Filter[] = [];
  const eq = (attr: string, value: string) => filters.push({ expression: `#f_${attr} = :f_${attr}`, names: { [`#f_${attr}`]: attr }, values: { [`:f_${attr}`]: value } });
  let plan: { index: (typeof GSI)[keyof typeof GSI]; partition: string };
  if (filter.sector) plan = { index: GSI.gsi4, partition: `IND#SEC#${filter.sector}` };
  else if (filter.level2) plan = { index: GSI.gsi3, partition: `IND#L2#${filter.level2}` };
  else if (filter.level1) plan = { index: GSI.gsi2, partition: `IND#L1#${filter.level1}` };
  else plan = { index: GSI.gsi1, partition: 'IND' };
  if (filter.level1 && plan.index !== GSI.gsi2) eq('level1', filter.level1);
  if (filter.level2 && plan.index !== GSI.gsi3) eq('level2', filter.level2);
  if (filter.scope) eq('scope', filter.scope);
  if (filter.status) eq('status', filter.status);
  if (filter.region) eq('region', filter.region);
  if (filter.spendingType) filters.push({ expression: 'contains(#f_st, :f_st)', names: { '#f_st': 'spendingTypes' }, values: { ':f_st': filter.spendingType } });
  // Text matches name, explanation or code as written (Chinese has no case; no lower-case copy
  // is stored, which keeps the item under 1 KB and its writes at 1 WCU per index).
  if (filter.text) {
    filters.push({
      expression: 'contains(#f_name, :f_text) OR contains(#f_expl, :f_text) OR contains(#f_code, :f_text)',
      names: { '#f_name': 'name', '#f_expl': 'explanation', '#f_code': 'code' },
      values: { ':f_text': filter.text },
    });
  }
  // Units and departments never see drafts, whatever status they ask for.
  if (filter.publishedOnly) filters.push({ expression: '#f_vis <> :f_draft', names: { '#f_vis': 'status' }, values: { ':f_draft': 'draft' } });
  return { ...plan, filters };
}

export async function listIndicators(filter: IndicatorFilter, limit: number, cursor?: string) {
  const plan = indicatorQueryPlan(filter);
  const page = await queryPage({ tableName: table(), index: plan.index, partition: plan.partition, filters: plan.filters, limit, cursor, newestFirst: true });
  return { items: page.items.map((i) => strip<Indicator>(i)), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}), stats: page.stats };
}

export async function listRevisions(id: string, limit: number, cursor?: string): Promise<Page<IndicatorRevision>> {
  const page = await queryPage({
    tableName: table(),
    partition: `IND#${id}`,
    sortCondition: { expression: 'begins_with(#sk, :rev)', values: { ':rev': 'REV#' } },
    limit,
    cursor,
  });
  return { items: page.items.map((i) => strip<IndicatorRevision>(i)), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
}

export async function getRevision(id: string, revision: number): Promise<IndicatorRevision | undefined> {
  const result = await documentClient().send(new GetCommand({ TableName: table(), Key: { pk: `IND#${id}`, sk: `REV#${pad(revision)}` } }));
  return result.Item ? strip<IndicatorRevision>(result.Item) : undefined;
}
