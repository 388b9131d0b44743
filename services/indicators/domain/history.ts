/**
 * Achieved values of library indicators: what past evaluations measured against an indicator,
 * by year, region and spending object, and the per-year summary reviewers compare a new target
 * with (the historical standard, `GET /v1/indicators/{id}/history`). Pure.
 */
import type { EvaluationKind } from '../../../events/evaluation.ts';

export interface HistoryEntry {
  indicatorId: string;
  fiscalYear: number;
  region: string;
  objectId: string;
  objectName: string;
  indicatorRevision?: number;
  unit?: string;
  target?: number | string;
  actual?: number | string;
  score: number;
  weight: number;
  grade: string;
  evaluationKind: EvaluationKind;
  recordedAt: string;
}

export interface HistorySummary {
  fiscalYear: number;
  observations: number;
  /** Over numeric actual values only; absent when a year has none. */
  min?: number;
  median?: number;
  max?: number;
}

/** Per fiscal year, in the order the years first appear: how many observations, and min / median / max of the numeric ones. */
export function summariseHistory(entries: readonly Pick<HistoryEntry, 'fiscalYear' | 'actual'>[]): HistorySummary[] {
  const byYear = new Map<number, number[]>();
  const counts = new Map<number, number>();
  for (const entry of entries) {
    counts.set(entry.fiscalYear, (counts.get(entry.fiscalYear) ?? 0) + 1);
    if (typeof entry.actual === 'number') byYear.set(entry.fiscalYear, [...(byYear.get(entry.fiscalYear) ?? []), entry.actual]);
  }
  return [...counts].map(([fiscalYear, observations]) => {
    const values = (byYear.get(fiscalYear) ?? []).sort((a, b) => a - b);
    const middle = values.length / 2;
    const median = values.length ? (values.length % 2 ? values[Math.floor(middle)] : ((values[middle - 1] as number) + (values[middle] as number)) / 2) : undefined;
    return { fiscalYear, observations, ...(values.length ? { min: values[0], median, max: values[values.length - 1] } : {}) };
  });
}
