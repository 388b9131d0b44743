import { describe, expect, it } from 'vitest';
import { defaultAccountabilityRules } from '../../services/accountability/domain/rules.ts';
import {
  accept,
  countOrders,
  daysOverdue,
  deadlineAfter,
  escalationLevelDue,
  isCalendarDate,
  isOverdue,
  mayActOnOrder,
  nextEscalation,
  reject,
  reviewViolation,
  triggeredOrderId,
  submitEvidence,
  type RectificationOrder,
} from '../../services/accountability/domain/rectification.ts';

const params = (escalateEveryDays = 7) => {
  const p = defaultAccountabilityRules('360000', 2027);
  return { ...p, rectification: { ...p.rectification, escalateEveryDays } };
};

const order = (o: Partial<RectificationOrder> = {}): RectificationOrder => ({
  id: 'rect_0000000000aa',
  version: 1,
  region: '360000',
  fiscalYear: 2027,
  source: { kind: 'audit', reference: '赣审报〔2027〕12号' },
  owner: { department: 'D-EDU', unit: 'U-EDU-01' },
  issue: '项目资金闲置',
  deadline: '2027-06-30',
  status: 'open',
  escalationLevel: 0,
  rejections: 0,
  createdAt: '2027-06-01T00:00:00.000Z',
  createdBy: 'fin-1',
  updatedAt: '2027-06-01T00:00:00.000Z',
  lastSeq: 1,
  lastHash: 'a'.repeat(64),
  ...o,
});

describe('deadlines in China Standard Time', () => {
  it('counts days from the CST calendar date of the order', () => {
    // 2027-06-01 17:00 UTC is already 2 June in Beijing.
    expect(deadlineAfter(new Date('2027-06-01T17:00:00Z'), 30)).toBe('2027-07-02');
    expect(deadlineAfter(new Date('2027-06-01T10:00:00Z'), 30)).toBe('2027-07-01');
  });
  it('an order is on time until midnight of its deadline in Beijing', () => {
    expect(isOverdue(order(), new Date('2027-06-30T15:59:59Z'))).toBe(false);
    expect(isOverdue(order(), new Date('2027-06-30T16:00:00Z'))).toBe(true);
  });
  it('counts days overdue as staff do', () => {
    expect(daysOverdue('2027-06-30', new Date('2027-07-01T02:00:00Z'))).toBe(1);
    expect(daysOverdue('2027-06-30', new Date('2027-06-30T02:00:00Z'))).toBe(0);
  });
  it('recognises real calendar dates only', () => {
    expect(isCalendarDate('2027-02-28')).toBe(true);
    expect(isCalendarDate('2027-02-30')).toBe(false);
  });
});

describe('overdue and escalation', () => {
  it('an order waiting for review is not overdue, nor a closed one', () => {
    const after = new Date('2027-07-05T00:00:00Z');
    expect(isOverdue(order({ status: 'evidence_submitted' }), after)).toBe(false);
    expect(isOverdue(order({ status: 'closed' }), after)).toBe(false);
  });
  it('escalates to level 1 the day after the deadline, then +1 every escalateEveryDays', () => {
    const p = params(7);
    expect(escalationLevelDue(order(), new Date('2027-06-30T12:00:00Z'), p)).toBe(0);
    expect(escalationLevelDue(order(), new Date('2027-06-30T16:00:00Z'), p)).toBe(1);
    expect(escalationLevelDue(order(), new Date('2027-07-07T15:59:00Z'), p)).toBe(1);
    expect(escalationLevelDue(order(), new Date('2027-07-07T16:00:00Z'), p)).toBe(2);
    expect(escalationLevelDue(order(), new Date('2027-07-14T16:00:00Z'), p)).toBe(3);
  });
  it('the next escalation is due only above the level already reached', () => {
    const now = new Date('2027-07-08T00:00:00Z');
    expect(nextEscalation(order({ escalationLevel: 0 }), now, params(7))).toBe(1);
    expect(nextEscalation(order({ escalationLevel: 2 }), now, params(7))).toBeUndefined();
  });
});

describe('evidence and review', () => {
  it('evidence moves the order to evidence_submitted; accept closes it on time when the evidence came by the deadline', () => {
    const submitted = submitEvidence(order(), { text: '已盘活资金' }, 'dept-1', '2027-06-29T00:00:00.000Z');
    expect(submitted.status).toBe('evidence_submitted');
    expect(reviewViolation(submitted)).toBeUndefined();
    const closed = accept(submitted, 'fin-1', '2027-07-03T00:00:00.000Z');
    expect(closed).toMatchObject({ status: 'closed', closedOnTime: true, closedBy: 'fin-1' });
  });
  it('evidence after the deadline closes late', () => {
    const late = accept(submitEvidence(order(), { text: 'x' }, 'dept-1', '2027-07-02T00:00:00.000Z'), 'fin-1', '2027-07-03T00:00:00.000Z');
    expect(late.closedOnTime).toBe(false);
  });
  it('reject reopens the order and counts the rejection; only submitted evidence is reviewed', () => {
    const reopened = reject(submitEvidence(order(), { text: 'x' }, 'dept-1', '2027-06-29T00:00:00.000Z'), '2027-06-30T00:00:00.000Z');
    expect(reopened).toMatchObject({ status: 'open', rejections: 1 });
    expect(reviewViolation(reopened)).toMatch(/open/);
  });
});

describe('who may act on an order', () => {
  const o = order();
  it('finance and supervisors read; finance reviews; supervisors and finance order', () => {
    expect(mayActOnOrder({ role: 'supervisor' }, o, 'read')).toBe(true);
    expect(mayActOnOrder({ role: 'finance' }, o, 'review')).toBe(true);
    expect(mayActOnOrder({ role: 'supervisor' }, o, 'review')).toBe(false);
    expect(mayActOnOrder({ role: 'supervisor' }, o, 'order')).toBe(true);
  });
  it('the owner department and unit read and submit evidence; others do not', () => {
    expect(mayActOnOrder({ role: 'department', department: 'D-EDU' }, o, 'evidence')).toBe(true);
    expect(mayActOnOrder({ role: 'unit', department: 'D-EDU', unit: 'U-EDU-01' }, o, 'evidence')).toBe(true);
    expect(mayActOnOrder({ role: 'department', department: 'D-OTHER' }, o, 'read')).toBe(false);
    expect(mayActOnOrder({ role: 'unit', department: 'D-EDU', unit: 'U-EDU-02' }, o, 'read')).toBe(false);
    expect(mayActOnOrder({ role: 'finance' }, o, 'evidence')).toBe(false);
  });
  it('a unit sees nothing of a department-level order', () => {
    expect(mayActOnOrder({ role: 'unit', department: 'D-EDU', unit: 'U-EDU-01' }, order({ owner: { department: 'D-EDU' } }), 'read')).toBe(false);
  });
});

describe('counts', () => {
  it('counts closed, on time, open and overdue', () => {
    const now = new Date('2027-07-10T00:00:00Z');
    const counts = countOrders(
      [order(), order({ status: 'evidence_submitted' }), order({ deadline: '2027-12-31' }), order({ status: 'closed', closedOnTime: true }), order({ status: 'closed', closedOnTime: false })],
      now,
    );
    expect(counts).toEqual({ total: 5, closed: 2, closedOnTime: 1, open: 3, overdue: 1 });
  });
  it('rule order ids are stable per source', () => {
    expect(triggeredOrderId('deviation', 'obj_1', 'win_7')).toBe(triggeredOrderId('deviation', 'obj_1', 'win_7'));
    expect(triggeredOrderId('deviation', 'obj_1', 'win_7')).not.toBe(triggeredOrderId('deviation', 'obj_1', 'win_9'));
  });
});
