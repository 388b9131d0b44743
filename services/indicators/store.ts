/**
 * All access to the indicators table.
 *
 * Keys (single-table design, see `standardTable()`):
 * | item          | pk              | sk                      | gsi1pk / gsi1sk          | gsi2pk / gsi2sk                 |
 * |---------------|-----------------|-------------------------|--------------------------|---------------------------------|
 * | indicator     | IND#<id>        | META                    | IND / <createdAt>#<id>   | IND#L1#<level1> / <createdAt>#<id> |
 * | audit entry   | IND#<id>        | AUDIT#<at>#<version>    | –                        | –                               |
 * | outbox item   | OUTBOX#<eventId>| OUTBOX                  | –                        | –                               |
 * | idempotency   | IDEMPOTENCY#... | IDEMPOTENCY             | –                        | –                               |
 *
 * Lists query gsi1 (all) or gsi2 (by level-1) newest first; nothing scans the table.
 */
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Actor } from '../../events/envelope.ts';
import { documentClient } from '../../shared/clients/dynamodb.ts';
import { ENV_KEYS, requireEnv } from '../../shared/env.ts';
import { writeWithOutbox, type OutboxEvent, type TransactItem } from '../../shared/outbox.ts';
import { decodeCursor, encodeCursor, type Page } from '../../shared/pagination.ts';
import type { Level1 } from '../../events/vocabulary.ts';
import type { Indicator, IndicatorStatus } from './domain/indicator.ts';

const table = () => requireEnv(ENV_KEYS.tableName);
const source = () => requireEnv(ENV_KEYS.eventSource);

const key = (id: string) => ({ pk: `IND#${id}`, sk: 'META' });

export interface AuditEntry {
  at: string;
  action: string;
  actor: Pick<Actor, 'sub' | 'role' | 'region'>;
  fromStatus?: IndicatorStatus;
  toStatus: IndicatorStatus;
  version: number;
}

function toItem(indicator: Indicator) {
  return {
    ...key(indicator.id),
    kind: 'indicator',
    gsi1pk: 'IND',
    gsi1sk: `${indicator.createdAt}#${indicator.id}`,
    gsi2pk: `IND#L1#${indicator.level1}`,
    gsi2sk: `${indicator.createdAt}#${indicator.id}`,
    ...indicator,
  };
}

function fromItem(item: Record<string, unknown>): Indicator {
  const { pk: _pk, sk: _sk, kind: _kind, gsi1pk: _a, gsi1sk: _b, gsi2pk: _c, gsi2sk: _d, ...indicator } = item;
  return indicator as unknown as Indicator;
}

function auditPut(indicatorId: string, entry: AuditEntry): TransactItem {
  return {
    Put: {
      TableName: table(),
      Item: { pk: `IND#${indicatorId}`, sk: `AUDIT#${entry.at}#${String(entry.version).padStart(6, '0')}`, kind: 'audit', ...entry },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

export const actorRef = (actor: Actor) => ({ sub: actor.sub, role: actor.role, region: actor.region });

export async function insertIndicator(indicator: Indicator, actor: Actor, extra: TransactItem[] = []): Promise<void> {
  await writeWithOutbox({
    tableName: table(),
    source: source(),
    items: [
      { Put: { TableName: table(), Item: toItem(indicator), ConditionExpression: 'attribute_not_exists(pk)' } },
      auditPut(indicator.id, { at: indicator.createdAt, action: 'created', actor: actorRef(actor), toStatus: 'draft', version: indicator.version }),
      ...extra,
    ],
    events: [],
  });
}

/**
 * Replaces an indicator if nobody changed it since `expectedVersion` was read; the change,
 * its audit entry and its events commit together.
 */
export async function replaceIndicator(
  next: Indicator,
  expectedVersion: number,
  audit: Omit<AuditEntry, 'version' | 'toStatus'> & { fromStatus: IndicatorStatus },
  events: OutboxEvent[],
): Promise<void> {
  await writeWithOutbox({
    tableName: table(),
    source: source(),
    items: [
      {
        Put: {
          TableName: table(),
          Item: toItem(next),
          ConditionExpression: 'attribute_exists(pk) AND #version = :expected',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':expected': expectedVersion },
        },
      },
      auditPut(next.id, { ...audit, toStatus: next.status, version: next.version }),
    ],
    events,
  });
}

export async function getIndicator(id: string): Promise<Indicator | undefined> {
  const result = await documentClient().send(new GetCommand({ TableName: table(), Key: key(id), ConsistentRead: true }));
  return result.Item ? fromItem(result.Item) : undefined;
}

export async function listIndicators(filter: { level1?: Level1 }, limit: number, cursor?: string): Promise<Page<Indicator>> {
  const [index, pkName, skName, pkValue] = filter.level1
    ? (['gsi2', 'gsi2pk', 'gsi2sk', `IND#L1#${filter.level1}`] as const)
    : (['gsi1', 'gsi1pk', 'gsi1sk', 'IND'] as const);
  const startKey = decodeCursor(cursor, { keyNames: ['pk', 'sk', pkName, skName], partition: { name: pkName, value: pkValue } });
  const result = await documentClient().send(
    new QueryCommand({
      TableName: table(),
      IndexName: index,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': pkName },
      ExpressionAttributeValues: { ':pk': pkValue },
      ScanIndexForward: false,
      Limit: limit,
      ExclusiveStartKey: startKey,
    }),
  );
  const nextCursor = encodeCursor(result.LastEvaluatedKey);
  return { items: (result.Items ?? []).map(fromItem), ...(nextCursor ? { nextCursor } : {}) };
}

export async function listAudit(id: string, limit: number, cursor?: string): Promise<Page<AuditEntry>> {
  const startKey = decodeCursor(cursor, { keyNames: ['pk', 'sk'], partition: { name: 'pk', value: `IND#${id}` } });
  const result = await documentClient().send(
    new QueryCommand({
      TableName: table(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :audit)',
      ExpressionAttributeValues: { ':pk': `IND#${id}`, ':audit': 'AUDIT#' },
      Limit: limit,
      ExclusiveStartKey: startKey,
    }),
  );
  const nextCursor = encodeCursor(result.LastEvaluatedKey);
  const items = (result.Items ?? []).map(({ pk: _p, sk: _s, kind: _k, ...entry }) => entry as AuditEntry);
  return { items, ...(nextCursor ? { nextCursor } : {}) };
}
