/**
 * Where each object's rectification orders (整改) stand, folded from accountability's
 * RectificationOrdered, RectificationOverdue and RectificationClosed (shared/pure/rectification-status.ts);
 * written only by the rectifications consumer, read when an evaluation completes
 * (BudgetAdjustmentRecommended):
 * | item                          | pk                | sk             | GSIs |
 * |-------------------------------|-------------------|----------------|------|
 * | rectification standing        | OBJ#<objectId>    | RECTIFICATION  | – (orders by order id; `version` guards each read-modify-write) |
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../../../shared/clients/dynamodb.ts';
import { conditionFailed } from '../../../shared/conditions.ts';
import type { RectificationRecord } from '../../../shared/pure/rectification-status.ts';
import { get, table } from './table.ts';

export interface RectificationStanding {
  objectId: string;
  orders: RectificationRecord;
  /** 1 when first written, +1 on every change. */
  version: number;
  updatedAt: string;
}

const key = (objectId: string) => ({ pk: `OBJ#${objectId}`, sk: 'RECTIFICATION' });

/** The consumer reads strongly consistent before it writes; an evaluation may read a moment old. */
export const getRectificationStanding = (objectId: string, consistent = false) => get<RectificationStanding>(key(objectId).pk, key(objectId).sk, consistent);

/**
 * Writes the standing if the stored one is still at `expectedVersion` (undefined: none stored yet).
 * Returns false when another write came first: read again, fold again.
 */
export async function putRectificationStanding(next: RectificationStanding, expectedVersion: number | undefined): Promise<boolean> {
  const condition =
    expectedVersion === undefined
      ? { ConditionExpression: 'attribute_not_exists(pk)' }
      : { ConditionExpression: '#version = :expected', ExpressionAttributeNames: { '#version': 'version' }, ExpressionAttributeValues: { ':expected': expectedVersion } };
  try {
    await documentClient().send(new PutCommand({ TableName: table(), Item: { ...key(next.objectId), kind: 'rectification', ...next }, ...condition }));
    return true;
  } catch (error) {
    if (conditionFailed(error)) return false;
    throw error;
  }
}
