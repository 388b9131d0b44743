/**
 * Builds the accountability service's case and rectification events (events/accountability-cases.ts).
 * The subject is the spending object when there is one, else the case or the order itself.
 */
import type { AccountabilityCaseDecided, AccountabilityCaseOpened, RectificationClosed, RectificationOrdered, RectificationOverdue } from '../../events/accountability-cases.ts';
import type { Subject } from '../../events/envelope.ts';
import { subjectEvent, type EventContext, type OutboxEvent } from '../../shared/outbox.ts';
import type { AccountabilityCase } from './domain/case.ts';
import { daysOverdue, type RectificationOrder } from './domain/rectification.ts';

export type { EventContext };

const caseSubject = (c: AccountabilityCase): Subject => (c.object ? { type: c.object.type, id: c.object.id } : { type: 'accountability_case', id: c.id });
const orderSubject = (o: RectificationOrder): Subject => (o.object ? { type: o.object.type, id: o.object.id } : { type: 'rectification', id: o.id });

const caseRef = (c: AccountabilityCase) => ({
  caseId: c.id,
  rule: c.rule,
  fiscalYear: c.fiscalYear,
  subject: c.subject,
  ...(c.object ? { object: c.object } : {}),
  ...(c.department ? { department: c.department } : {}),
});

export function caseOpened(c: AccountabilityCase, ctx: EventContext): OutboxEvent {
  return subjectEvent<AccountabilityCaseOpened['data']>(
    'AccountabilityCaseOpened',
    caseSubject(c),
    { ...caseRef(c), reason: c.reason, ...(c.basis ? { basis: c.basis } : {}), openedAt: c.openedAt, openedBy: c.openedBy },
    ctx,
  );
}

export function caseDecided(c: AccountabilityCase, ctx: EventContext): OutboxEvent {
  const d = c.decision;
  if (!d) throw new Error(`case ${c.id} has no decision`);
  return subjectEvent<AccountabilityCaseDecided['data']>(
    'AccountabilityCaseDecided',
    caseSubject(c),
    {
      ...caseRef(c),
      outcome: d.outcome,
      reasons: d.reasons,
      ...(d.amountWan !== undefined ? { amountWan: d.amountWan } : {}),
      ...(d.referredTo !== undefined ? { referredTo: d.referredTo } : {}),
      decidedAt: d.decidedAt,
      decidedBy: d.decidedBy,
    },
    ctx,
  );
}

const orderRef = (o: RectificationOrder) => ({
  orderId: o.id,
  fiscalYear: o.fiscalYear,
  source: o.source,
  ...(o.object ? { object: o.object } : {}),
  owner: o.owner,
  issue: o.issue,
  deadline: o.deadline,
});

export function rectificationOrdered(o: RectificationOrder, ctx: EventContext): OutboxEvent {
  return subjectEvent<RectificationOrdered['data']>('RectificationOrdered', orderSubject(o), { ...orderRef(o), orderedAt: o.createdAt, orderedBy: o.createdBy }, ctx);
}

export function rectificationOverdue(o: RectificationOrder, level: number, now: Date, ctx: EventContext): OutboxEvent {
  const recipients: RectificationOverdue['data']['recipients'] = [
    { role: 'department', department: o.owner.department },
    ...(o.owner.unit ? [{ role: 'unit' as const, department: o.owner.department, unit: o.owner.unit }] : []),
    { role: 'finance' },
  ];
  return subjectEvent<RectificationOverdue['data']>(
    'RectificationOverdue',
    orderSubject(o),
    { ...orderRef(o), level, daysOverdue: daysOverdue(o.deadline, now), recipients, escalatedAt: now.toISOString() },
    ctx,
  );
}

export function rectificationClosed(o: RectificationOrder, ctx: EventContext): OutboxEvent {
  return subjectEvent<RectificationClosed['data']>(
    'RectificationClosed',
    orderSubject(o),
    { ...orderRef(o), onTime: o.closedOnTime === true, escalationLevel: o.escalationLevel, closedAt: o.closedAt ?? o.updatedAt, closedBy: o.closedBy ?? '' },
    ctx,
  );
}
