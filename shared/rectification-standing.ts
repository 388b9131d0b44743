/**
 * Where each object's rectification orders (整改) stand, kept in the calling service's own table
 * for the services that let rectification reach the budget (declaration's results gate,
 * evaluation's BudgetAdjustmentRecommended): accountability's RectificationOrdered,
 * RectificationOverdue and RectificationClosed folded per object (shared/pure/rectification-status.ts).
 * Each service names its own item key (its store/ file documents it).
 *
 * An order about no object (an audit finding on a department) cannot reach an object's budget
 * and is ignored. Concurrent events about one object are serialised by the record's version
 * (read, fold, write at the version read, again on a lost race); a redelivery that changes
 * nothing writes nothing.
 */
import { isDeepStrictEqual } from 'node:util';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { RectificationClosed, RectificationOrdered, RectificationOverdue } from '../events/accountability-cases.ts';
import { documentClient } from './clients/dynamodb.ts';
import { conditionFailed } from './conditions.ts';
import type { ConsumedEvent } from './consumer.ts';
import { ENV_KEYS, requireEnv } from './env.ts';
import { foldRectification, type RectificationEvent, type RectificationRecord } from './pure/rectification-status.ts';
import { retryWithJitter } from './retry.ts';

class LostRace extends Error {}

/** The object an accountability event is about, and what the fold takes of it. */
function foldable(event: ConsumedEvent): { objectId: string | undefined; fold: RectificationEvent } {
  switch (event.detailType) {
    case 'RectificationOrdered': {
      const d = event.data as RectificationOrdered['data'];
      return { objectId: d.object?.id, fold: { detailType: 'RectificationOrdered', data: { orderId: d.orderId, deadline: d.deadline, source: d.source } } };
    }
    case 'RectificationOverdue': {
      const d = event.data as RectificationOverdue['data'];
      return { objectId: d.object?.id, fold: { detailType: 'RectificationOverdue', data: { orderId: d.orderId, deadline: d.deadline } } };
    }
    case 'RectificationClosed': {
      const d = event.data as RectificationClosed['data'];
      return { objectId: d.object?.id, fold: { detailType: 'RectificationClosed', data: { orderId: d.orderId, onTime: d.onTime } } };
    }
    default:
      throw new Error(`a rectification standing does not take ${event.detailType}`);
  }
}

export interface RectificationStandingStore {
  /** Folds one accountability event into its object's standing. */
  record(event: ConsumedEvent): Promise<void>;
  /** The object's orders (a consumer reads strongly consistent before it writes; a reader may read a moment old). */
  orders(objectId: string, consistent?: boolean): Promise<RectificationRecord | undefined>;
}

export function rectificationStandingStore(key: (objectId: string) => { pk: string; sk: string }): RectificationStandingStore {
  const table = () => requireEnv(ENV_KEYS.tableName);
  const read = async (objectId: string, consistent: boolean) => {
    const { Item } = await documentClient().send(new GetCommand({ TableName: table(), Key: key(objectId), ConsistentRead: consistent }));
    return Item ? { orders: Item.orders as RectificationRecord, version: Number(Item.version) } : undefined;
  };
  return {
    orders: async (objectId, consistent = false) => (await read(objectId, consistent))?.orders,
    record: async (event) => {
      const { objectId, fold } = foldable(event);
      if (!objectId) return;
      await retryWithJitter(
        async () => {
          const current = await read(objectId, true);
          const orders = foldRectification(current?.orders ?? {}, fold);
          if (current && isDeepStrictEqual(orders, current.orders)) return; // a redelivery: nothing new
          const version = (current?.version ?? 0) + 1;
          try {
            await documentClient().send(
              new PutCommand({
                TableName: table(),
                Item: { ...key(objectId), kind: 'rectification-standing', objectId, orders, version, updatedAt: new Date().toISOString() },
                ...(current
                  ? { ConditionExpression: '#version = :expected', ExpressionAttributeNames: { '#version': 'version' }, ExpressionAttributeValues: { ':expected': current.version } }
                  : { ConditionExpression: 'attribute_not_exists(pk)' }),
              }),
            );
          } catch (error) {
            if (conditionFailed(error)) throw new LostRace(`the rectification standing of ${objectId} changed while ${event.detailType} was folded in`);
            throw error;
          }
        },
        // After these, the error goes back to the bus, which retries the event (the subscription's maxAttempts).
        { attempts: 6, baseMs: 25, maxMs: 400, retryable: (error) => error instanceof LostRace },
      );
    },
  };
}
