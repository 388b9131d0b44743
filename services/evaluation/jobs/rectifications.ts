/**
 * What evaluation keeps of accountability's rectification orders (整改): per object, where each
 * order stands (RectificationOrdered, RectificationOverdue, RectificationClosed), so that
 * BudgetAdjustmentRecommended can cut the budget of an object whose problems were not rectified
 * (财预〔2020〕10号; domain/application.ts). An order about no object (an audit finding on a
 * department, say) cannot reach an object's budget and is ignored. The fold is idempotent and
 * order-independent; concurrent events about one object are serialised by the version of its
 * record (read, fold, write at the version read, again on a lost race).
 */
import { isDeepStrictEqual } from 'node:util';
import type { RectificationClosed, RectificationOrdered, RectificationOverdue } from '../../../events/accountability-cases.ts';
import type { ConsumedEvent } from '../../../shared/consumer.ts';
import { foldRectification, type RectificationEvent } from '../../../shared/pure/rectification-status.ts';
import { retryWithJitter } from '../../../shared/retry.ts';
import { getRectificationStanding, putRectificationStanding } from '../store/rectifications.ts';

class LostRace extends Error {}

function asFoldable(event: ConsumedEvent): { objectId: string | undefined; fold: RectificationEvent } {
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
      throw new Error(`the rectifications consumer does not take ${event.detailType}`);
  }
}

export async function keepRectification(event: ConsumedEvent): Promise<void> {
  const { objectId, fold } = asFoldable(event);
  if (!objectId) return;
  await retryWithJitter(
    async () => {
      const current = await getRectificationStanding(objectId, true);
      const orders = foldRectification(current?.orders ?? {}, fold);
      if (current && isDeepStrictEqual(orders, current.orders)) return; // a redelivery: nothing new
      const next = { objectId, orders, version: (current?.version ?? 0) + 1, updatedAt: new Date().toISOString() };
      if (!(await putRectificationStanding(next, current?.version))) throw new LostRace(`the rectification standing of ${objectId} changed while ${event.detailType} was folded in`);
    },
    // After these, the error goes back to the bus, which retries the event (maxAttempts in service.ts).
    { attempts: 6, baseMs: 25, maxMs: 400, retryable: (error) => error instanceof LostRace },
  );
}
