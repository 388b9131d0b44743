/**
 * Templates ("3+X"): the head, its published revisions and the tombstones of inherited
 * templates their owner retired; audit entries in store/audit.ts.
 *
 * | item               | pk        | sk            | GSIs |
 * |--------------------|-----------|---------------|------|
 * | template (head)    | TPL#<id>  | META          | gsi1 TPL / <createdAt>#<id>; gsi2 TPL#<spendingType>#<sector> / <year>#<createdAt>#<id> |
 * | template revision  | TPL#<id>  | REV#<000001>  | –    |
 * | tombstone          | TPL#<id>  | RETIRED       | –  (an ancestor retired it: no late publication revives the copy) |
 *
 * Every list is a Query on one partition; nothing scans the table.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Actor } from '../../../events/envelope.ts';
import { documentClient } from '../../../shared/clients/dynamodb.ts';
import { cancelledByConditions, conditionFailedAt } from '../../../shared/conditions.ts';
import { ENV_KEYS, requireEnv } from '../../../shared/env.ts';
import { putAtVersion, putNew, stripKeys } from '../../../shared/items.ts';
import { writeWithOutbox, type OutboxEvent, type TransactItem } from '../../../shared/outbox.ts';
import type { Page } from '../../../shared/pagination.ts';
import { queryPage, type Filter } from '../../../shared/query.ts';
import type { IndicatorStatus } from '../domain/indicator.ts';
import type { Template } from '../domain/template.ts';
import { actorRef, auditPut, type AuditEntry } from './audit.ts';

const table = () => requireEnv(ENV_KEYS.tableName);
const source = () => requireEnv(ENV_KEYS.eventSource);

const GSI = {
  gsi1: { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
  gsi2: { name: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
} as const;

const strip = stripKeys;
const pad = (n: number) => String(n).padStart(6, '0');
const templateKey = (id: string) => ({ pk: `TPL#${id}`, sk: 'META' });
const tombstoneKey = (pk: string) => ({ pk, sk: 'RETIRED' });

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
      putNew(table(), templateItem(template)),
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
      putAtVersion(table(), templateItem(next), expectedVersion),
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
export async function retireInheritedTemplate(retired: Template | undefined, tombstone: { id: string; revision: number; retiredAt: string; reason: string }, events: OutboxEvent[]): Promise<boolean> {
  try {
    await writeWithOutbox({
      tableName: table(),
      source: source(),
      items: [
        // Only a retirement writes a tombstone, and retirement is final: one already there means this
        // retirement was applied (a redelivery after a lost idempotency record), so nothing is written twice.
        { Put: { TableName: table(), Item: { ...tombstoneKey(`TPL#${tombstone.id}`), kind: 'tombstone', ...tombstone }, ConditionExpression: 'attribute_not_exists(pk)' } },
        ...(retired ? [{ Put: { TableName: table(), Item: templateItem(retired), ConditionExpression: 'inherited = :true', ExpressionAttributeValues: { ':true': true } } }] : []),
      ],
      events,
    });
    return true;
  } catch (error) {
    if (conditionFailedAt(error, 0)) return false;
    throw error;
  }
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
