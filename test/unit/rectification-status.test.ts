/** Where an object's rectification orders stand (shared/pure/rectification-status.ts), folded from accountability's events. */
import { describe, expect, it } from 'vitest';
import { foldRectification, summarizeRectification, unrectified, type RectificationEvent } from '../../shared/pure/rectification-status.ts';

const ordered = (orderId: string, deadline: string): RectificationEvent => ({ detailType: 'RectificationOrdered', data: { orderId, deadline, source: { kind: 'evaluation' } } });
const overdue = (orderId: string): RectificationEvent => ({ detailType: 'RectificationOverdue', data: { orderId } });
const closed = (orderId: string, onTime: boolean): RectificationEvent => ({ detailType: 'RectificationClosed', data: { orderId, onTime } });
const fold = (...events: RectificationEvent[]) => events.reduce(foldRectification, {});

describe('foldRectification', () => {
  it('moves an order forward only: a late Ordered after Closed leaves it closed', () => {
    expect(fold(closed('r1', true), ordered('r1', '2027-06-30'))).toEqual({ r1: { status: 'closed', closedOnTime: true, deadline: '2027-06-30', source: 'evaluation' } });
  });
  it('counts a redelivered event once', () => {
    expect(fold(ordered('r1', '2027-06-30'), overdue('r1'), overdue('r1'))).toEqual(fold(ordered('r1', '2027-06-30'), overdue('r1')));
  });
});

describe('summarizeRectification', () => {
  const record = fold(ordered('a', '2027-06-30'), ordered('b', '2027-03-31'), ordered('c', '2027-03-31'), overdue('c'), ordered('d', '2027-03-31'), closed('d', false), ordered('e', '2027-03-31'), closed('e', true));
  it('sorts orders into open, overdue (by event or by date), closed on time and closed late', () => {
    // As of 2027-05-01: a is within its deadline; b is past it (no event yet); c overdue by event; d late; e on time.
    expect(summarizeRectification(record, '2027-05-01')).toEqual({ orders: 5, open: 1, overdue: 2, closedOnTime: 1, closedLate: 1 });
  });
  it('counts not rectified and rectified late as unrectified: 2 overdue + 1 late = 3', () => {
    expect(unrectified(summarizeRectification(record, '2027-05-01'))).toBe(3);
  });
  it('knows nothing of an object without orders', () => {
    expect(summarizeRectification(undefined, '2027-05-01')).toEqual({ orders: 0, open: 0, overdue: 0, closedOnTime: 0, closedLate: 0 });
  });
});
