/**
 * Builds every event the accountability service publishes: cases and rectification orders
 * (events/accountability-cases.ts; the subject is the spending object when there is one, else
 * the case or the order itself), assessments, disclosure and supervisor alerts.
 */
import type { SupervisorAlertRaised } from '../../events/accountability-alerts.ts';
import type { AssessmentPublished } from '../../events/accountability-assessments.ts';
import type { AccountabilityCaseDecided, AccountabilityCaseOpened, RectificationClosed, RectificationOrdered, RectificationOverdue } from '../../events/accountability-cases.ts';
import type { DisclosurePublished, DisclosureWithdrawn } from '../../events/accountability-disclosure.ts';
import type { Subject } from '../../events/envelope.ts';
import { subjectEvent, type EventContext, type OutboxEvent } from '../../shared/outbox.ts';
import type { Assessment, AssessmentGrade } from './domain/assessment.ts';
import type { AccountabilityCase } from './domain/case.ts';
import type { DisclosureRecord } from './domain/disclosure.ts';
import { daysOverdue, type RectificationOrder } from './domain/rectification.ts';

// ---------- cases ----------

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

// ---------- rectification orders ----------

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

// ---------- assessments ----------

/** The sheet as published: its lines, total and grade, its rank among the year's published sheets of its assessee type. */
export function assessmentPublished(
  a: Assessment,
  publication: { grade: AssessmentGrade; rank: number; rankedAmong: number; at: string; by: string },
  ctx: EventContext,
): OutboxEvent<AssessmentPublished['data']> {
  const data: AssessmentPublished['data'] = {
    assessmentId: a.id,
    fiscalYear: a.fiscalYear,
    region: a.region,
    assessee: a.assessee,
    indicators: a.indicators.map((l) => ({
      code: l.code,
      name: l.name,
      weight: l.weight,
      status: l.status === 'computed' ? 'computed' : 'entered',
      ratio: l.ratio ?? 0,
      score: l.score ?? 0,
      explanation: l.explanation,
      ...(l.basis && Object.keys(l.basis).length ? { basis: l.basis } : {}),
      ...(l.status === 'entered' && l.entry ? { enteredBy: l.entry.by, reason: l.entry.reason } : {}),
    })),
    total: a.total,
    grade: publication.grade,
    rank: publication.rank,
    rankedAmong: publication.rankedAmong,
    paramsVersion: a.sheet.paramsVersion,
    publishedAt: publication.at,
    publishedBy: publication.by,
  };
  return subjectEvent('AssessmentPublished', { type: 'assessment', id: a.id }, data, ctx);
}

// ---------- disclosure ----------

const disclosureRef = (r: DisclosureRecord) => ({
  disclosureId: r.id,
  kind: r.kind,
  sourceId: r.sourceId,
  region: r.region,
  fiscalYear: r.fiscalYear,
  department: r.department,
  title: r.title,
});

const disclosureSubject = (r: DisclosureRecord): Subject =>
  r.kind === 'assessment' ? { type: 'assessment', id: r.sourceId } : { type: r.content.kind === 'assessment' ? 'assessment' : (r.content.object.type as Subject['type']), id: r.sourceId };

/** `subject`: what was disclosed, as its source names it (the object of the timeline entries, or the assessment). */
export function disclosurePublished(r: DisclosureRecord, subject: Subject, ctx: EventContext): OutboxEvent<DisclosurePublished['data']> {
  return subjectEvent<DisclosurePublished['data']>('DisclosurePublished', subject, { ...disclosureRef(r), publishedAt: r.publishedAt }, ctx);
}

export function disclosureWithdrawn(r: DisclosureRecord, withdrawn: DisclosureRecord, ctx: EventContext): OutboxEvent<DisclosureWithdrawn['data']> {
  return subjectEvent<DisclosureWithdrawn['data']>(
    'DisclosureWithdrawn',
    disclosureSubject(r),
    { ...disclosureRef(r), reason: withdrawn.withdrawReason ?? '', publishedAt: r.publishedAt, withdrawnAt: withdrawn.withdrawnAt ?? '' },
    ctx,
  );
}

// ---------- supervisor alerts ----------

/** An alert filed in a supervisor's inbox; its subject is the subject of the event that raised it. */
export function supervisorAlertRaised(subject: Subject, data: SupervisorAlertRaised['data'], ctx: EventContext): OutboxEvent<SupervisorAlertRaised['data']> {
  return subjectEvent<SupervisorAlertRaised['data']>('SupervisorAlertRaised', subject, data, ctx);
}
