/**
 * Records achieved values per library indicator, year and region from completed evaluations,
 * so reviewers see the historical standard (GET /v1/indicators/{id}/history). Rows that did not
 * use a library indicator are not recorded.
 */
import type { EvaluationCompleted } from '../../../events/evaluation.ts';
import type { ConsumedEvent } from '../../../shared/consumer.ts';
import type { HistoryEntry } from '../domain/history.ts';
import * as history from '../store/history.ts';

/** Records the library indicators' results of one EvaluationCompleted event; the evaluation that counts replaces an object's entries, an older one never does. */
export async function recordAchievedValues(event: ConsumedEvent): Promise<void> {
  const data = event.data as EvaluationCompleted['data'];
  const entries: HistoryEntry[] = data.indicatorResults
    .filter((r) => r.indicatorId)
    .map((r) => ({
      indicatorId: r.indicatorId as string,
      fiscalYear: data.object.fiscalYear,
      region: data.object.region,
      objectId: data.object.id,
      objectName: data.object.name,
      ...(r.indicatorRevision !== undefined ? { indicatorRevision: r.indicatorRevision } : {}),
      ...(r.unit !== undefined ? { unit: r.unit } : {}),
      ...(r.target !== undefined ? { target: r.target } : {}),
      ...(r.actual !== undefined ? { actual: r.actual } : {}),
      score: r.score,
      weight: r.weight,
      grade: data.grade,
      evaluationKind: data.kind,
      recordedAt: data.completedAt,
    }));
  await history.putHistory(entries);
}
