/**
 * What completing an evaluation publishes: EvaluationCompleted, and what the grade means for
 * next year's budget (BudgetAdjustmentRecommended, from the object's current amount and the
 * previous year's grade in its baseline).
 */
import type { EventContext, OutboxEvent } from '../../../shared/outbox.ts';
import { applyGrade } from '../domain/application.ts';
import type { ScoreResult } from '../domain/score-result.ts';
import type { EvaluationRules } from '../domain/rules.ts';
import type { ObjectRef, SelfRow } from '../domain/self-evaluation.ts';
import { budgetAdjustmentRecommended, evaluationCompleted } from '../events.ts';
import { getBaseline } from '../store/baselines.ts';

export async function completionEvents(
  evaluationId: string,
  kind: 'self' | 'finance_review' | 'key',
  object: ObjectRef,
  total: number,
  grade: ScoreResult['grade'],
  rows: readonly SelfRow[],
  result: ScoreResult | undefined,
  params: EvaluationRules,
  ectx: EventContext,
  at: string,
): Promise<OutboxEvent[]> {
  const baseline = await getBaseline(object.id);
  const currentAmountWan = baseline?.amounts.annualTotalWan ?? 0;
  const previousGrade = baseline?.resultsDecision?.previousGrade;
  const applied = applyGrade(grade, currentAmountWan, previousGrade, params.application);
  return [
    evaluationCompleted(evaluationId, kind, object, total, grade, rows, result, at, ectx),
    budgetAdjustmentRecommended(evaluationId, kind, object, total, grade, currentAmountWan, applied, at, ectx),
  ];
}
