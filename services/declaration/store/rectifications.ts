/**
 * Where each object's rectification orders stand, for the results gate (docs/domain.md section 2):
 * folded from accountability's RectificationOrdered / RectificationOverdue / RectificationClosed
 * (shared/pure/rectification-status.ts), since declaration never reads accountability's table.
 *
 * | item                    | pk              | sk       | GSIs |
 * |-------------------------|-----------------|----------|------|
 * | rectification standing  | RECTS#<objectId>| STANDING | –    |
 *
 * Each event is folded in with a put conditioned on the version read; a lost race reads again.
 * The fold is idempotent and order-independent, so redelivery changes nothing.
 */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../../../shared/clients/dynamodb.ts';
import { conditionFailed } from '../../../shared/conditions.ts';
import { ENV_KEYS, requireEnv } from '../../../shared/env.ts';
import { foldRectification, summarizeRectification, type RectificationEvent, type RectificationRecord, type RectificationSummary } from '../../../shared/pure/rectification-status.ts';

const table = () => requireEnv(ENV_KEYS.tableName);
const key = (objectId: string) => ({ pk: `RECTS#${objectId}`, sk: 'STANDING' });
const ATTEMPTS = 5;

async function read(objectId: string): Promise<{ orders: RectificationRecord; version: number } | undefined> {
  const { Item } = await documentClient().send(new GetCommand({ TableName: table(), Key: key(objectId), ConsistentRead: true }));
  return Item ? { orders: Item.orders as RectificationRecord, version: Number(Item.version) } : undefined;
}

/** Folds one event into the object's standing. */
export async function recordRectificationEvent(objectId: string, event: RectificationEvent): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const current = await read(objectId);
    const orders = foldRectification(current?.orders ?? {}, event);
    try {
      await documentClient().send(
        new PutCommand({
          TableName: table(),
          Item: { ...key(objectId), kind: 'rectification-standing', objectId, orders, version: (current?.version ?? 0) + 1 },
          ConditionExpression: current ? '#v = :v' : 'attribute_not_exists(pk)',
          ...(current ? { ExpressionAttributeNames: { '#v': 'version' }, ExpressionAttributeValues: { ':v': current.version } } : {}),
        }),
      );
      return;
    } catch (error) {
      if (!conditionFailed(error) || attempt >= ATTEMPTS) throw error;
    }
  }
}

/** The object's orders as of `today` (YYYY-MM-DD, China Standard Time); undefined when it has none. */
export async function rectificationSummary(objectId: string, today: string): Promise<RectificationSummary | undefined> {
  const current = await read(objectId);
  return current ? summarizeRectification(current.orders, today) : undefined;
}
