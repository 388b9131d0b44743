/**
 * The key evaluation reports of a year as the People's Congress report lists them: one line per
 * report, names beside codes, with the People's Congress ratings of each, in the report's order
 * (department, object name, time). Pure.
 */
import { SATISFACTION_LABELS } from '../../../events/evaluation-ratings.ts';
import { GRADE_LABELS } from './disclosure.ts';
import type { CongressRatingRecord, KeyReport } from './key-reports.ts';
import type { Grade, ObjectSummary, SpendingType } from './object-summary.ts';

/** One key evaluation report as the People's Congress report lists it: names beside codes. */
export interface KeyReportLine {
  evaluationId: string;
  objectId: string;
  objectName: string;
  spendingType: SpendingType;
  department: string;
  unit: string;
  score: number;
  grade: Grade;
  /** 优 / 良 / 中 / 差. */
  gradeLabel: string;
  evaluatedAt: string;
  /** One per People's Congress rater, oldest first; empty while the report is not rated. */
  ratings: (CongressRatingRecord & { satisfactionLabel: string })[];
}

/**
 * The key evaluation reports of the summaries, each with its ratings. A summary folded before
 * reports were kept (it has the key result only) lists that report, not rated.
 */
export function keyReportLines(summaries: readonly ObjectSummary[]): KeyReportLine[] {
  const lines: KeyReportLine[] = [];
  for (const s of summaries) {
    const reports: KeyReport[] = [...(s.keyReports ?? [])];
    const key = s.evaluation.key;
    if (key?.evaluationId && !reports.some((r) => r.evaluationId === key.evaluationId)) {
      reports.push({ evaluationId: key.evaluationId, score: key.score, grade: key.grade, evaluatedAt: key.at, ratings: [] });
    }
    for (const r of reports) {
      lines.push({
        evaluationId: r.evaluationId,
        objectId: s.objectId,
        objectName: s.name,
        spendingType: s.spendingType,
        department: s.department,
        unit: s.unit,
        score: r.score,
        grade: r.grade,
        gradeLabel: GRADE_LABELS[r.grade],
        evaluatedAt: r.evaluatedAt,
        ratings: r.ratings.map((rating) => ({ ...rating, satisfactionLabel: SATISFACTION_LABELS[rating.satisfaction] })),
      });
    }
  }
  return lines.sort(byReportOrder);
}

/** The report's order: department, object name (as Chinese sorts it), time of the evaluation, its id. */
export const byReportOrder = (a: KeyReportLine, b: KeyReportLine) =>
  a.department.localeCompare(b.department) || a.objectName.localeCompare(b.objectName, 'zh-CN') || a.evaluatedAt.localeCompare(b.evaluatedAt) || a.evaluationId.localeCompare(b.evaluationId);
