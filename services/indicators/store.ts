/**
 * All access to the indicators table.
 *
 * Keys (single-table design; the table has gsi1..gsi4, see service.ts):
 * | item                | pk                        | sk                         | GSIs                                              |
 * |---------------------|---------------------------|----------------------------|---------------------------------------------------|
 * | indicator (head)    | IND#<id>                  | META                       | gsi1 IND / <createdAt>#<id>                        |
 * |                     |                           |                            | gsi2 IND#L1#<level1>, gsi3 IND#L2#<level2>,        |
 * |                     |                           |                            | gsi4 IND#SEC#<sector> (sparse: only with a sector) |
 * | indicator revision  | IND#<id>                  | REV#<000001>               | –                                                 |
 * | audit entry         | IND#<id> / TPL#<id>       | AUDIT#<at>#<version>       | –                                                 |
 * | achieved value      | IND#<id>                  | HIST#<year>#<region>#<obj> | –                                                 |
 * | code claim          | CODE#<region>#<code>      | CODE                       | –  (unique codes per owning region)                |
 * | template (head)     | TPL#<id>                  | META                       | gsi1 TPL / <createdAt>#<id>                        |
 * |                     |                           |                            | gsi2 TPL#<spendingType>#<sector> / <year>#<createdAt>#<id> |
 * | template revision   | TPL#<id>                  | REV#<000001>               | –                                                 |
 * | sector              | SECTOR                    | <code>                     | –                                                 |
 * | import job          | IMPORT#<jobId>            | META                       | –                                                 |
 * | import chunk        | IMPORT#<jobId>            | CHUNK#<000001>             | –  (rows of a large import, queued for the importer) |
 * | outbox / idempotency| OUTBOX#… / IDEMPOTENCY#…  | …                          | –                                                 |
 *
 * Every list is a Query on one partition; nothing scans the table.
 */
import { BatchWriteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Actor } from '../../events/envelope.ts';
import type { Level1, Level2 } from '../../events/vocabulary.ts';
import { batchGet as sharedBatchGet } from '../../shared/batch-get.ts';
import { putAtVersion, stripKeys } from '../../shared/items.ts';
import { documentClient } from '../../shared/clients/dynamodb.ts';
import { ENV_KEYS, requireEnv } from '../../shared/env.ts';
import { writeWithOutbox, type OutboxEvent, type TransactItem } from '../../shared/outbox.ts';
import type { Page } from '../../shared/pagination.ts';
import { queryPage, type Filter } from '../../shared/query.ts';
import { cancelledByConditions, conditionFailedAt } from '../../shared/conditions.ts';
import type { Indicator, IndicatorDraftInput, IndicatorRevision, IndicatorStatus } from './domain/indicator.ts';
import type { Template } from './domain/template.ts';

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
const templateKey = (id: string) => ({ pk: `TPL#${id}`, sk: 'META' });
const codeKey = (region: string, code: string) => ({ pk: `CODE#${region}#${code}`, sk: 'CODE' });

export const actorRef = (actor: Pick<Actor, 'sub' | 'role' | 'region'>) => ({ sub: actor.sub, role: actor.role, region: actor.region });

export interface AuditEntry {
  at: string;
  action: string;
  actor: Pick<Actor, 'sub' | 'role' | 'region'>;
  fromStatus?: IndicatorStatus;
  toStatus: IndicatorStatus;
  version: number;
  reason?: string;
}

// ---------- indicators ----------

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

function auditPut(pk: string, entry: AuditEntry): TransactItem {
  return {
    Put: {
      TableName: table(),
      Item: { pk, sk: `AUDIT#${entry.at}#${pad(entry.version)}`, kind: 'audit', ...entry },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

function revisionPut(revision: IndicatorRevision): TransactItem {
  return {
    Put: {
      TableName: table(),
      Item: { pk: `IND#${revision.id}`, sk: `REV#${pad(revision.revision)}`, kind: 'indicator-revision', ...revision },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

function codeClaim(indicator: Indicator): TransactItem[] {
  if (!indicator.code) return [];
  return [
    {
      Put: {
        TableName: table(),
        Item: { ...codeKey(indicator.region, indicator.code), kind: 'code', indicatorId: indicator.id },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
  ];
}

/** Transaction items that create an indicator (head, code claim, audit); `revision` when created published. */
export function indicatorCreation(indicator: Indicator, actor: Actor, revision?: IndicatorRevision): TransactItem[] {
  return [
    { Put: { TableName: table(), Item: indicatorItem(indicator), ConditionExpression: 'attribute_not_exists(pk)' } },
    ...codeClaim(indicator),
    auditPut(`IND#${indicator.id}`, { at: indicator.createdAt, action: 'created', actor: actorRef(actor), toStatus: indicator.status, version: indicator.version }),
    ...(revision ? [revisionPut(revision)] : []),
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
      ...(revision ? [revisionPut(revision)] : []),
    ],
    events,
  });
}

const tombstoneKey = (pk: string) => ({ pk, sk: 'RETIRED' });

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
          ? [{ Put: { TableName: table(), Item: { pk: `IND#${revision.id}`, sk: `REV#${pad(revision.revision)}`, kind: 'indicator-revision', ...revision } } }]
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
export async function retireInherited(retired: Indicator | undefined, tombstone: { id: string; revision: number; retiredAt: string; reason: string }, events: OutboxEvent[]): Promise<void> {
  await writeWithOutbox({
    tableName: table(),
    source: source(),
    items: [
      { Put: { TableName: table(), Item: { ...tombstoneKey(`IND#${tombstone.id}`), kind: 'tombstone', ...tombstone } } },
      ...(retired ? [{ Put: { TableName: table(), Item: indicatorItem(retired), ConditionExpression: 'inherited = :true', ExpressionAttributeValues: { ':true': true } } }] : []),
    ],
    events,
  });
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

export async function listAudit(pk: string, limit: number, cursor?: string): Promise<Page<AuditEntry>> {
  const page = await queryPage({
    tableName: table(),
    partition: pk,
    sortCondition: { expression: 'begins_with(#sk, :audit)', values: { ':audit': 'AUDIT#' } },
    limit,
    cursor,
  });
  return { items: page.items.map((i) => strip<AuditEntry>(i)), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
}

// ---------- sectors ----------

export interface Sector {
  code: string;
  label: string;
  updatedAt: string;
  updatedBy: string;
}

export async function listSectors(): Promise<Sector[]> {
  const sectors: Sector[] = [];
  let cursor: string | undefined;
  do {
    const page = await queryPage({ tableName: table(), partition: 'SECTOR', limit: 100, cursor });
    sectors.push(...page.items.map((i) => strip<Sector>(i)));
    cursor = page.nextCursor;
  } while (cursor);
  return sectors;
}

export async function getSector(code: string): Promise<Sector | undefined> {
  const result = await documentClient().send(new GetCommand({ TableName: table(), Key: { pk: 'SECTOR', sk: code } }));
  return result.Item ? strip<Sector>(result.Item) : undefined;
}

export async function putSector(sector: Sector): Promise<void> {
  await documentClient().send(new PutCommand({ TableName: table(), Item: { pk: 'SECTOR', sk: sector.code, kind: 'sector', ...sector } }));
}

// ---------- templates ----------

function templateItem(template: Template) {
  return {
    ...templateKey(template.id),
    kind: 'template',
    gsi1pk: 'TPL',
    gsi1sk: `${template.createdAt}#${template.id}`,
    gsi2pk: `TPL#${template.spendingType}#${template.sector}`,
    gsi2sk: `${template.fiscalYear}#${template.createdAt}#${template.id}`,
    ...template,
  };
}

function templateRevisionPut(template: Template): TransactItem {
  return {
    Put: {
      TableName: table(),
      Item: { pk: `TPL#${template.id}`, sk: `REV#${pad(template.revision)}`, kind: 'template-revision', ...template },
    },
  };
}

export async function insertTemplate(template: Template, actor: Actor, extra: TransactItem[] = []): Promise<void> {
  await writeWithOutbox({
    tableName: table(),
    source: source(),
    items: [
      { Put: { TableName: table(), Item: templateItem(template), ConditionExpression: 'attribute_not_exists(pk)' } },
      auditPut(`TPL#${template.id}`, { at: template.createdAt, action: 'created', actor: actorRef(actor), toStatus: 'draft', version: template.version }),
      ...extra,
    ],
    events: [],
  });
}

export async function replaceTemplate(
  next: Template,
  expectedVersion: number,
  audit: Omit<AuditEntry, 'version' | 'toStatus'>,
  events: OutboxEvent[],
  withRevision: boolean,
): Promise<void> {
  await writeWithOutbox({
    tableName: table(),
    source: source(),
    items: [
      {
        Put: {
          TableName: table(),
          Item: templateItem(next),
          ConditionExpression: 'attribute_exists(pk) AND #version = :expected',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':expected': expectedVersion },
        },
      },
      auditPut(`TPL#${next.id}`, { ...audit, toStatus: next.status, version: next.version }),
      ...(withRevision ? [templateRevisionPut(next)] : []),
    ],
    events,
  });
}

export async function upsertInheritedTemplate(template: Template, events: OutboxEvent[]): Promise<boolean> {
  try {
    await writeWithOutbox({
      tableName: table(),
      source: source(),
      items: [
        { ConditionCheck: { TableName: table(), Key: tombstoneKey(`TPL#${template.id}`), ConditionExpression: 'attribute_not_exists(pk)' } },
        {
          Put: {
            TableName: table(),
            Item: templateItem(template),
            ConditionExpression: 'attribute_not_exists(pk) OR (inherited = :true AND #status <> :retired AND #revision < :revision)',
            ExpressionAttributeNames: { '#revision': 'revision', '#status': 'status' },
            ExpressionAttributeValues: { ':true': true, ':revision': template.revision, ':retired': 'retired' },
          },
        },
        templateRevisionPut(template),
      ],
      events,
    });
    return true;
  } catch (error) {
    if (cancelledByConditions(error)) return false;
    throw error;
  }
}

/** As for indicators: a tombstone plus, when present, the copy marked retired. */
export async function retireInheritedTemplate(retired: Template | undefined, tombstone: { id: string; revision: number; retiredAt: string; reason: string }, events: OutboxEvent[]): Promise<void> {
  await writeWithOutbox({
    tableName: table(),
    source: source(),
    items: [
      { Put: { TableName: table(), Item: { ...tombstoneKey(`TPL#${tombstone.id}`), kind: 'tombstone', ...tombstone } } },
      ...(retired ? [{ Put: { TableName: table(), Item: templateItem(retired), ConditionExpression: 'inherited = :true', ExpressionAttributeValues: { ':true': true } } }] : []),
    ],
    events,
  });
}

export async function getTemplate(id: string): Promise<Template | undefined> {
  const result = await documentClient().send(new GetCommand({ TableName: table(), Key: templateKey(id), ConsistentRead: true }));
  return result.Item ? strip<Template>(result.Item) : undefined;
}

export async function getTemplateRevision(id: string, revision: number): Promise<Template | undefined> {
  const result = await documentClient().send(new GetCommand({ TableName: table(), Key: { pk: `TPL#${id}`, sk: `REV#${pad(revision)}` } }));
  return result.Item ? strip<Template>(result.Item) : undefined;
}

export interface TemplateFilter {
  spendingType?: string;
  sector?: string;
  fiscalYear?: number;
  status?: IndicatorStatus;
  publishedOnly?: boolean;
}

export async function listTemplates(filter: TemplateFilter, limit: number, cursor?: string): Promise<Page<Template>> {
  const filters: Filter[] = [];
  if (filter.status) filters.push({ expression: '#f_status = :f_status', names: { '#f_status': 'status' }, values: { ':f_status': filter.status } });
  // Units and departments never see drafts, whatever status they ask for.
  if (filter.publishedOnly) filters.push({ expression: '#f_vis <> :f_draft', names: { '#f_vis': 'status' }, values: { ':f_draft': 'draft' } });
  let page;
  if (filter.spendingType && filter.sector) {
    page = await queryPage({
      tableName: table(),
      index: GSI.gsi2,
      partition: `TPL#${filter.spendingType}#${filter.sector}`,
      ...(filter.fiscalYear ? { sortCondition: { expression: 'begins_with(#sk, :year)', values: { ':year': `${filter.fiscalYear}#` } } } : {}),
      filters,
      limit,
      cursor,
      newestFirst: true,
    });
  } else {
    if (filter.spendingType) filters.push({ expression: '#f_st = :f_st', names: { '#f_st': 'spendingType' }, values: { ':f_st': filter.spendingType } });
    if (filter.sector) filters.push({ expression: '#f_sec = :f_sec', names: { '#f_sec': 'sector' }, values: { ':f_sec': filter.sector } });
    if (filter.fiscalYear) filters.push({ expression: '#f_fy = :f_fy', names: { '#f_fy': 'fiscalYear' }, values: { ':f_fy': filter.fiscalYear } });
    page = await queryPage({ tableName: table(), index: GSI.gsi1, partition: 'TPL', filters, limit, cursor, newestFirst: true });
  }
  return { items: page.items.map((i) => strip<Template>(i)), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
}

/** The published template for a spending type and sector: the given year's, else the latest year before it. */
export async function findPublishedTemplate(spendingType: string, sector: string, fiscalYear: number): Promise<Template | undefined> {
  let cursor: string | undefined;
  do {
    const page = await queryPage({
      tableName: table(),
      index: GSI.gsi2,
      partition: `TPL#${spendingType}#${sector}`,
      sortCondition: { expression: '#sk < :before', values: { ':before': `${fiscalYear + 1}#` } },
      filters: [{ expression: '#f_status = :f_status', names: { '#f_status': 'status' }, values: { ':f_status': 'published' } }],
      limit: 1,
      cursor,
      newestFirst: true,
    });
    if (page.items[0]) return strip<Template>(page.items[0]);
    cursor = page.nextCursor;
  } while (cursor);
  return undefined;
}

// ---------- achieved values (history) ----------

export interface HistoryEntry {
  indicatorId: string;
  fiscalYear: number;
  region: string;
  objectId: string;
  objectName: string;
  indicatorRevision?: number;
  unit?: string;
  target?: number | string;
  actual?: number | string;
  score: number;
  weight: number;
  grade: string;
  evaluationKind: string;
  recordedAt: string;
}

/** Idempotent by key (indicator, year, region, object): a re-evaluation overwrites its entry. */
export async function putHistory(entries: readonly HistoryEntry[]): Promise<void> {
  for (let i = 0; i < entries.length; i += 25) {
    let requests: { PutRequest: { Item: Record<string, unknown> } }[] | undefined = entries.slice(i, i + 25).map((entry) => ({
      PutRequest: {
        Item: { pk: `IND#${entry.indicatorId}`, sk: `HIST#${entry.fiscalYear}#${entry.region}#${entry.objectId}`, kind: 'history', ...entry },
      },
    }));
    for (let attempt = 0; requests?.length; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
      if (attempt > 6) throw new Error('history write kept being throttled');
      const result: { UnprocessedItems?: Record<string, unknown[]> } = await documentClient().send(new BatchWriteCommand({ RequestItems: { [table()]: requests } }));
      requests = result.UnprocessedItems?.[table()] as typeof requests;
    }
  }
}

export async function listHistory(id: string, fiscalYear: number | undefined, limit: number, cursor?: string): Promise<Page<HistoryEntry>> {
  const page = await queryPage({
    tableName: table(),
    partition: `IND#${id}`,
    sortCondition: { expression: 'begins_with(#sk, :hist)', values: { ':hist': fiscalYear ? `HIST#${fiscalYear}#` : 'HIST#' } },
    limit,
    cursor,
    newestFirst: true,
  });
  return { items: page.items.map((i) => strip<HistoryEntry>(i)), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
}

// ---------- import jobs ----------

export interface ImportJob {
  jobId: string;
  status: 'running' | 'done' | 'failed';
  /** Large imports are written in the background, chunk by chunk. */
  mode?: 'sync' | 'queued';
  chunks?: number;
  total: number;
  processed: number;
  imported: number;
  skipped: number;
  /** The first row errors (capped); `failedRows` counts them all. */
  failed: { line: number; field: string; reason: string }[];
  failedRows?: number;
  ids?: { line: number; id: string; code?: string }[];
  startedAt: string;
  /** Last progress of a queued import. */
  updatedAt?: string;
  finishedAt?: string;
  startedBy: string;
}

const importJobItem = (job: ImportJob) => ({ pk: `IMPORT#${job.jobId}`, sk: 'META', kind: 'import', ...job, ttl: Math.floor(Date.now() / 1000) + 30 * 86400 });

export async function putImportJob(job: ImportJob): Promise<void> {
  await documentClient().send(new PutCommand({ TableName: table(), Item: importJobItem(job) }));
}

export async function recordImportProgress(jobId: string, progress: { processed: number; imported: number; skipped: number }): Promise<void> {
  await documentClient().send(
    new UpdateCommand({
      TableName: table(),
      Key: { pk: `IMPORT#${jobId}`, sk: 'META' },
      UpdateExpression: 'SET #p = :p, #i = :i, #s = :s',
      ExpressionAttributeNames: { '#p': 'processed', '#i': 'imported', '#s': 'skipped' },
      ExpressionAttributeValues: { ':p': progress.processed, ':i': progress.imported, ':s': progress.skipped },
    }),
  );
}

export async function getImportJob(jobId: string): Promise<ImportJob | undefined> {
  const result = await documentClient().send(new GetCommand({ TableName: table(), Key: { pk: `IMPORT#${jobId}`, sk: 'META' }, ConsistentRead: true }));
  return result.Item ? strip<ImportJob>(result.Item) : undefined;
}

export interface ImportChunk {
  jobId: string;
  chunk: number;
  status: 'queued' | 'done';
  publish: boolean;
  actor: Pick<Actor, 'sub' | 'role' | 'region'>;
  correlationId: string;
  rows: { line: number; draft: IndicatorDraftInput }[];
}

const chunkKey = (jobId: string, chunk: number) => ({ pk: `IMPORT#${jobId}`, sk: `CHUNK#${pad(chunk)}` });

/** Queues chunks with their events (the caller keeps each call within 100 transaction items). */
export async function queueImportChunks(chunks: ImportChunk[], events: OutboxEvent[], job?: ImportJob): Promise<void> {
  await writeWithOutbox({
    tableName: table(),
    source: source(),
    items: [
      ...(job ? [{ Put: { TableName: table(), Item: importJobItem(job), ConditionExpression: 'attribute_not_exists(pk)' } }] : []),
      ...chunks.map((chunk) => ({
      Put: { TableName: table(), Item: { ...chunkKey(chunk.jobId, chunk.chunk), kind: 'import-chunk', ...chunk, ttl: Math.floor(Date.now() / 1000) + 30 * 86400 } },
      })),
    ],
    events,
  });
}

export async function getImportChunk(jobId: string, chunk: number): Promise<ImportChunk | undefined> {
  const result = await documentClient().send(new GetCommand({ TableName: table(), Key: chunkKey(jobId, chunk), ConsistentRead: true }));
  return result.Item ? strip<ImportChunk>(result.Item) : undefined;
}

/**
 * Marks a chunk done and adds its counts to the job, once: a redelivered chunk finds it done.
 * Returns the job's counters after the update, or undefined if the chunk was already done.
 */
export async function completeImportChunk(
  jobId: string,
  chunk: number,
  counts: { processed: number; imported: number; skipped: number },
): Promise<{ processed: number; total: number } | undefined> {
  try {
    await writeWithOutbox({
      tableName: table(),
      source: source(),
      items: [
        {
          Update: {
            TableName: table(),
            Key: chunkKey(jobId, chunk),
            UpdateExpression: 'SET #status = :done REMOVE #rows',
            ConditionExpression: '#status = :queued',
            ExpressionAttributeNames: { '#status': 'status', '#rows': 'rows' },
            ExpressionAttributeValues: { ':done': 'done', ':queued': 'queued' },
          },
        },
        {
          Update: {
            TableName: table(),
            Key: { pk: `IMPORT#${jobId}`, sk: 'META' },
            UpdateExpression: 'ADD #p :p, #i :i, #s :s SET #u = :u',
            ExpressionAttributeNames: { '#p': 'processed', '#i': 'imported', '#s': 'skipped', '#u': 'updatedAt' },
            ExpressionAttributeValues: { ':p': counts.processed, ':i': counts.imported, ':s': counts.skipped, ':u': new Date().toISOString() },
          },
        },
      ],
      events: [],
    });
  } catch (error) {
    if (conditionFailedAt(error, 0)) return undefined;
    throw error;
  }
  const job = await getImportJob(jobId);
  return job ? { processed: job.processed, total: job.total } : undefined;
}

/** Closes a queued job once every row is processed (only the first closer wins). */
export async function finishImportJob(jobId: string, at: string): Promise<void> {
  try {
    await documentClient().send(
      new UpdateCommand({
        TableName: table(),
        Key: { pk: `IMPORT#${jobId}`, sk: 'META' },
        UpdateExpression: 'SET #status = :done, finishedAt = :at',
        ConditionExpression: '#status = :running AND #processed >= #total',
        ExpressionAttributeNames: { '#status': 'status', '#processed': 'processed', '#total': 'total' },
        ExpressionAttributeValues: { ':done': 'done', ':running': 'running', ':at': at },
      }),
    );
  } catch (error) {
    if ((error as { name?: string }).name !== 'ConditionalCheckFailedException') throw error;
  }
}
