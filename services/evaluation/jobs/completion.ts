/**
 * What completing an evaluation publishes: EvaluationCompleted, and what the grade means for
 * next year's budget (BudgetAdjustmentRecommended, from the object's current amount and the
 * previous year's grade in its baseline, and from where the rectification orders about the object
 * and about the object it continues stand on the day of completion, China time).
 */
import type { EventContext, OutboxEvent } from '../../../shared/outbox.ts';
import { chinaToday, summarizeRectification, type RectificationSummary } from '../../../shared/pure/rectification-status.ts';
import { applyGrade } from '../domain/application.ts';
import type { ScoreResult } from '../domain/score-result.ts';
import type { EvaluationRules } from '../domain/rules.ts';
import type { ObjectRef, SelfRow } from '../domain/self-evaluation.ts';
import { budgetAdjustmentRecommended, evaluationCompleted } from '../events.ts';
import { getBaseline } from '../store/baselines.ts';
import { rectificationStanding } from '../store/rectifications.ts';

/**
 * The orders about the object and the one it continues (one step back: a problem found last year
 * and left unrectified reaches this year's recommendation), as of the completion date.
 */
async function rectificationOf(object: ObjectRef, at: string): Promise<RectificationSummary> {
  const [own, previous] = await Promise.all([rectificationStanding.orders(object.id), object.continues ? rectificationStanding.orders(object.continues) : undefined]);
  return summarizeRectification({ ...previous, ...own }, chinaToday(new Date(at)));
}

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
  const [baseline, rectification] = await Promise.all([getBaseline(object.id), rectificationOf(object, at)]);
  const currentAmountWan = baseline?.amounts.annualTotalWan ?? 0;
  const previousGrade = baseline?.resultsDecision?.previousGrade;
  const applied = applyGrade(grade, currentAmountWan, previousGrade, params.application, rectification);
  return [
    evaluationCompleted(evaluationId, kind, object, total, grade, rows, result, at, ectx),
    budgetAdjustmentRecommended(evaluationId, kind, object, total, grade, currentAmountWan, applied, at, ectx),
  ];
}
