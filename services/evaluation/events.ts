/** Builds the evaluation service's outbox events. */
import type { BudgetAdjustmentRecommended, EvaluationCompleted, EvaluationSubmitted } from '../../events/evaluation.ts';
import type { KeyEvaluationRated } from '../../events/evaluation-ratings.ts';
import { subjectEvent, type EventContext, type OutboxEvent } from '../../shared/outbox.ts';
import type { Applied } from './domain/application.ts';
import type { CongressRating } from './domain/congress-rating.ts';
import type { Grade } from './domain/rules.ts';
import type { ScoreResult } from './domain/score-result.ts';
import type { KeyEvaluation, ObjectRef, SelfRow } from './domain/self-evaluation.ts';

type Kind = EvaluationCompleted['data']['kind'];

const eventObject = (o: ObjectRef) => ({ id: o.id, type: o.spendingType, name: o.name, fiscalYear: o.fiscalYear, region: o.region, department: o.department, unit: o.unit, ...(o.continues ? { continues: o.continues } : {}) });
const event = <D>(detailType: string, object: ObjectRef, data: D, ctx: EventContext): OutboxEvent<D> => subjectEvent(detailType, { type: object.spendingType, id: object.id }, data, ctx);

export function evaluationSubmitted(evaluationId: string, object: ObjectRef, result: ScoreResult, at: string, by: string, ctx: EventContext): OutboxEvent {
  return event<EvaluationSubmitted['data']>(
    'EvaluationSubmitted',
    object,
    { evaluationId, object: eventObject(object), totalScore: result.total, grade: result.grade, overrides: result.rows.filter((r) => r.override).length, submittedAt: at, submittedBy: by },
    ctx,
  );
}

/** The numeric (or textual) value of a row's figure, for the event. */
const figureValue = (f: { value?: number; text: string } | undefined) => (f === undefined ? undefined : (f.value ?? f.text));

export function evaluationCompleted(evaluationId: string, kind: Kind, object: ObjectRef, total: number, grade: Grade, rows: readonly SelfRow[], result: ScoreResult | undefined, at: string, ctx: EventContext): OutboxEvent {
  const scored = new Map((result?.rows ?? []).map((r) => [r.id, r]));
  return event<EvaluationCompleted['data']>(
    'EvaluationCompleted',
    object,
    {
      evaluationId,
      kind,
      object: eventObject(object),
      totalScore: total,
      grade,
      indicatorResults: rows.flatMap((r) => {
        const s = scored.get(r.rowId);
        if (!s || s.score === null) return [];
        const target = figureValue(s.target);
        const actual = figureValue(s.actual);
        return [
          {
            ...(r.indicatorId ? { indicatorId: r.indicatorId } : {}),
            ...(r.indicatorRevision ? { indicatorRevision: r.indicatorRevision } : {}),
            name: r.name,
            level1: r.level1,
            level2: r.level2,
            operator: r.operator,
            ...(r.unit ? { unit: r.unit } : {}),
            ...(target !== undefined ? { target } : {}),
            ...(actual !== undefined ? { actual } : {}),
            weight: r.weight,
            score: s.score,
          },
        ];
      }),
      completedAt: at,
    },
    ctx,
  );
}

export function budgetAdjustmentRecommended(evaluationId: string, kind: Kind, object: ObjectRef, total: number, grade: Grade, currentAmountWan: number, applied: Applied, at: string, ctx: EventContext): OutboxEvent {
  return event<BudgetAdjustmentRecommended['data']>(
    'BudgetAdjustmentRecommended',
    object,
    {
      evaluationId,
      kind,
      object: eventObject(object),
      grade,
      totalScore: total,
      recommendation: applied.recommendation,
      proposedAdjustment: applied.proposedAdjustment,
      currentAmountWan,
      proposedAmountWan: applied.proposedAmountWan,
      reason: applied.reason,
      rectification: applied.rectification,
      recommendedAt: at,
    },
    ctx,
  );
}

/** The People's Congress rated a key evaluation report (the evaluation's total and grade ride along). */
export function keyEvaluationRated(key: KeyEvaluation, rating: CongressRating, ctx: EventContext): OutboxEvent {
  return event<KeyEvaluationRated['data']>(
    'KeyEvaluationRated',
    key.object,
    {
      evaluationId: key.id,
      object: eventObject(key.object),
      totalScore: key.total,
      grade: key.grade,
      evaluatedAt: key.createdAt,
      satisfaction: rating.satisfaction,
      ...(rating.comments ? { comments: rating.comments } : {}),
      ...(rating.remarks ? { remarks: rating.remarks } : {}),
      ratedBy: rating.ratedBy,
      ratedAt: rating.ratedAt,
    },
    ctx,
  );
}
