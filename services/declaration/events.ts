/** Builds the declaration service's outbox events from domain objects. */
import type { DeclarationSubmitted, ExAnteAssessed, TargetApproved, TargetRejected, TargetRevised } from '../../events/declaration.ts';
import type { SpendingType } from '../../events/vocabulary.ts';
import { subjectEvent, type EventContext, type OutboxEvent } from '../../shared/outbox.ts';
import type { ExAnteRecord, PendingRevision, Rejection, SpendingObject } from './domain/spending-object.ts';
import { objectRef, type TargetSnapshot } from './domain/targets.ts';
import type { Finding } from './domain/target-check.ts';

const event = <D>(detailType: string, object: { spendingType: SpendingType; id: string }, data: D, ctx: EventContext): OutboxEvent<D> =>
  subjectEvent(detailType, { type: object.spendingType, id: object.id }, data, ctx);

export function exAnteAssessed(object: SpendingObject, record: ExAnteRecord, required: boolean, ctx: EventContext): OutboxEvent {
  return event<ExAnteAssessed['data']>(
    'ExAnteAssessed',
    object,
    {
      object: objectRef(object),
      scores: record.scores,
      total: record.total,
      computedConclusion: record.computedConclusion,
      conclusion: record.conclusion,
      ...(record.override ? { override: record.override } : {}),
      requestedAmountWan: record.requestedAmountWan,
      recommendedCeilingWan: record.recommendedCeilingWan,
      required,
      assessedAt: record.assessedAt,
      assessedBy: record.assessedBy,
    },
    ctx,
  );
}

export function declarationSubmitted(object: SpendingObject, rowCount: number, warnings: Finding[], ctx: EventContext): OutboxEvent {
  return event<DeclarationSubmitted['data']>(
    'DeclarationSubmitted',
    object,
    {
      object: objectRef(object),
      annualTotalWan: object.amounts.annualTotalWan,
      rowCount,
      warnings: warnings.map((w) => ({ code: w.code, ...(w.row !== undefined ? { row: w.row } : {}), message: w.message })),
      submission: object.submissions,
      submittedAt: object.updatedAt,
    },
    ctx,
  );
}

export function targetRejected(object: SpendingObject, rejection: Rejection, ctx: EventContext, revision?: number): OutboxEvent {
  return event<TargetRejected['data']>(
    'TargetRejected',
    object,
    {
      object: objectRef(object),
      stage: rejection.stage,
      outcome: rejection.outcome,
      reasons: rejection.reasons,
      ...(rejection.grade ? { grade: rejection.grade } : {}),
      ...(rejection.score !== undefined ? { score: rejection.score } : {}),
      ...(rejection.criteria ? { criteria: rejection.criteria } : {}),
      ...(revision !== undefined ? { revision } : {}),
      rejectedAt: rejection.at,
    },
    ctx,
  );
}

export function targetApproved(object: SpendingObject, snapshot: TargetSnapshot, ctx: EventContext): OutboxEvent {
  return event<TargetApproved['data']>('TargetApproved', object, { snapshot }, ctx);
}

/** `before` is the object as it was before the revision took effect: the money it had, when the revision changed it. */
export function targetRevised(object: SpendingObject, snapshot: TargetSnapshot, revision: PendingRevision, before: SpendingObject, ctx: EventContext): OutboxEvent {
  const change = revision.amountChange;
  const amountChange = change && {
    previousAmounts: before.amounts,
    ...(change.receivingRegions && before.receivingRegions ? { previousReceivingRegions: before.receivingRegions } : {}),
    reason: change.reason,
  };
  return event<TargetRevised['data']>(
    'TargetRevised',
    object,
    { snapshot, previousTargetVersion: snapshot.targetVersion - 1, reason: revision.reason, ...(amountChange ? { amountChange } : {}) },
    ctx,
  );
}
