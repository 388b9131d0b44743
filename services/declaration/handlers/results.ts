/**
 * Completed evaluations, for two uses: the results gate (a continuing object whose last
 * evaluation was graded 差 needs finance's decision before approval) and the historical
 * standard of library indicators (a target far below what was already achieved is flagged).
 */
import type { EvaluationCompleted } from '../../../events/evaluation.ts';
import { createConsumer } from '../../../shared/consumer.ts';
import * as store from '../store.ts';

export const handler = createConsumer(async (event) => {
  const data = event.data as EvaluationCompleted['data'];
  await store.recordEvaluation(data);
  const achieved = new Map<string, number[]>();
  for (const row of data.indicatorResults) {
    if (!row.indicatorId || typeof row.actual !== 'number' || !Number.isFinite(row.actual)) continue;
    achieved.set(row.indicatorId, [...(achieved.get(row.indicatorId) ?? []), row.actual]);
  }
  for (const [indicatorId, values] of achieved) await store.recordAchieved(indicatorId, values);
});
