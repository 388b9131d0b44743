/**
 * Completed evaluations, for two uses: the results gate (a continuing object whose last
 * evaluation was graded 差 needs finance's decision before approval) and the historical
 * standard of library indicators (a target far below what was already achieved is flagged).
 */
import type { EvaluationCompleted } from '../../../events/evaluation.ts';
import type { ConsumedEvent } from '../../../shared/consumer.ts';
import { recordEvaluation } from '../store/evaluations.ts';
import { recordAchieved, type Achieved } from '../store/library-indicators.ts';

export async function recordEvaluationResults(event: ConsumedEvent): Promise<void> {
  const data = event.data as EvaluationCompleted['data'];
  await recordEvaluation(data);
  // Keyed by year, object and the row's place among this indicator's rows: re-evaluating the
  // object replaces its values instead of adding to them.
  const achieved = new Map<string, Achieved[]>();
  for (const row of data.indicatorResults) {
    if (!row.indicatorId || typeof row.actual !== 'number' || !Number.isFinite(row.actual)) continue;
    const list = achieved.get(row.indicatorId) ?? [];
    list.push({ k: `${data.object.fiscalYear}#${data.object.id}#${list.length}`, v: row.actual });
    achieved.set(row.indicatorId, list);
  }
  for (const [indicatorId, entries] of achieved) await recordAchieved(indicatorId, entries);
}
