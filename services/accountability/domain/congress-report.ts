/**
 * The People's Congress report (人大报告) of a region and year: targets, monitoring, evaluation
 * grades, results applied, rectifications and cases, and the key evaluation reports with the
 * People's Congress ratings of each, aggregated from the object summaries and the rectification /
 * case totals. Pure. Amounts are 万元 summed exactly (rounded to the fen, 6 decimals, against
 * float noise); the HTML rounds to 2 decimals when it prints.
 */
import { GRADE_LABELS } from './disclosure.ts';
import { SATISFACTION_LABELS } from '../../../events/evaluation-ratings.ts';
import { tallyKeyReports, type CongressRatingRecord, type KeyReport, type KeyReportTally } from './key-reports.ts';
import type { Grade, Light, ObjectSummary, SpendingType } from './object-summary.ts';

export const SPENDING_TYPES: readonly SpendingType[] = ['project', 'department_overall', 'transfer_payment'];
export const RECOMMENDATIONS = ['priority', 'maintain', 'improve', 'cut', 'cancel'] as const;
export type Recommendation = (typeof RECOMMENDATIONS)[number];

export interface RectificationTotals {
  total: number;
  closed: number;
  closedOnTime: number;
  open: number;
  overdue: number;
  bySource: Record<string, number>;
}

export interface CaseTotals {
  total: number;
  open: number;
  decided: number;
  closed: number;
  byRule: Record<string, number>;
}

type GradeCounts = Record<Grade, number>;

export interface TargetsGroup {
  objects: number;
  approved: number;
  amountWan: number;
}

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

export interface CongressReport {
  region: string;
  fiscalYear: number;
  generatedAt: string;
  targets: TargetsGroup & {
    rejected: number;
    revised: number;
    byType: (TargetsGroup & { type: SpendingType })[];
    byDepartment: (TargetsGroup & { department: string })[];
  };
  monitoring: {
    reports: number;
    objectsReported: number;
    /** The last light of each object that reported. */
    lights: Record<Light, number>;
    deviations: number;
    redDeviations: number;
    corrected: number;
    fundingPauses: number;
    reminders: number;
    escalations: number;
  };
  evaluation: {
    /** Objects with a grade that counts (key over finance review over self). */
    evaluated: number;
    /** Approved objects without any evaluation yet. */
    notEvaluated: number;
    grades: GradeCounts;
    byType: { type: SpendingType; evaluated: number; grades: GradeCounts }[];
    /** Where the grade that counts came from. */
    byBasis: { key: number; financeReview: number; self: number };
    averageScore: number | null;
  };
  application: {
    recommendations: number;
    byRecommendation: Record<Recommendation, number>;
    currentAmountWan: number;
    proposedAmountWan: number;
    changeWan: number;
  };
  rectifications: RectificationTotals;
  cases: CaseTotals;
  /** The year's key evaluation reports with the People's Congress ratings (满意度测评), by department and object. */
  keyEvaluations: {
    reports: KeyReportLine[];
    tally: KeyReportTally;
  };
}

/** Rounds to the fen (万元 × 10^6) to drop float noise; presentation rounds further. */
export const fen = (wan: number) => Math.round(wan * 1e6) / 1e6;

const zeroGrades = (): GradeCounts => ({ excellent: 0, good: 0, fair: 0, poor: 0 });

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
  return lines.sort(
    (a, b) => a.department.localeCompare(b.department) || a.objectName.localeCompare(b.objectName, 'zh-CN') || a.evaluatedAt.localeCompare(b.evaluatedAt) || a.evaluationId.localeCompare(b.evaluationId),
  );
}

export function congressReport(input: {
  region: string;
  fiscalYear: number;
  generatedAt: string;
  summaries: readonly ObjectSummary[];
  rectifications: RectificationTotals;
  cases: CaseTotals;
}): CongressReport {
  const summaries = input.summaries.filter((s) => s.region === input.region && s.fiscalYear === input.fiscalYear);
  const approved = summaries.filter((s) => s.declaration.approvedAt);
  const amount = (list: readonly ObjectSummary[]) => fen(list.reduce((sum, s) => sum + (s.declaration.approvedAt ? (s.declaration.amountWan ?? 0) : 0), 0));
  const group = (list: readonly ObjectSummary[]): TargetsGroup => ({ objects: list.length, approved: list.filter((s) => s.declaration.approvedAt).length, amountWan: amount(list) });

  const departments = [...new Set(summaries.map((s) => s.department))].sort();
  const lights: Record<Light, number> = { green: 0, yellow: 0, red: 0 };
  for (const s of summaries) if (s.monitoring.lastLight) lights[s.monitoring.lastLight]++;
  const sum = (f: (s: ObjectSummary) => number) => summaries.reduce((total, s) => total + f(s), 0);

  const graded = summaries.filter((s) => s.evaluation.finalGrade);
  const grades = zeroGrades();
  for (const s of graded) grades[s.evaluation.finalGrade!]++;
  const scores = graded.map((s) => s.evaluation.finalScore).filter((x): x is number => typeof x === 'number');

  const applied = summaries.filter((s) => s.application);
  const byRecommendation = Object.fromEntries(RECOMMENDATIONS.map((r) => [r, 0])) as Record<Recommendation, number>;
  for (const s of applied) byRecommendation[s.application!.recommendation]++;
  const current = fen(applied.reduce((t, s) => t + s.application!.currentAmountWan, 0));
  const proposed = fen(applied.reduce((t, s) => t + s.application!.proposedAmountWan, 0));
  const keyReports = keyReportLines(summaries);

  return {
    region: input.region,
    fiscalYear: input.fiscalYear,
    generatedAt: input.generatedAt,
    targets: {
      ...group(summaries),
      rejected: summaries.filter((s) => s.declaration.rejected).length,
      revised: approved.filter((s) => s.declaration.revisions > 0).length,
      byType: SPENDING_TYPES.map((type) => ({ type, ...group(summaries.filter((s) => s.spendingType === type)) })).filter((g) => g.objects > 0),
      byDepartment: departments.map((department) => ({ department, ...group(summaries.filter((s) => s.department === department)) })),
    },
    monitoring: {
      reports: sum((s) => s.monitoring.reports),
      objectsReported: summaries.filter((s) => s.monitoring.reports > 0).length,
      lights,
      deviations: sum((s) => s.monitoring.deviations),
      redDeviations: sum((s) => s.monitoring.redDeviations),
      corrected: sum((s) => s.monitoring.corrected),
      fundingPauses: summaries.filter((s) => s.monitoring.fundingPauseRecommended).length,
      reminders: sum((s) => s.monitoring.reminders),
      escalations: sum((s) => s.monitoring.escalations),
    },
    evaluation: {
      evaluated: graded.length,
      notEvaluated: approved.filter((s) => !s.evaluation.finalGrade).length,
      grades,
      byType: SPENDING_TYPES.map((type) => {
        const ofType = graded.filter((s) => s.spendingType === type);
        const g = zeroGrades();
        for (const s of ofType) g[s.evaluation.finalGrade!]++;
        return { type, evaluated: ofType.length, grades: g };
      }).filter((t) => t.evaluated > 0),
      byBasis: {
        key: graded.filter((s) => s.evaluation.key).length,
        financeReview: graded.filter((s) => !s.evaluation.key && s.evaluation.financeReview).length,
        self: graded.filter((s) => !s.evaluation.key && !s.evaluation.financeReview).length,
      },
      averageScore: scores.length ? Math.round((scores.reduce((a, b) => a + b, 0) / scores.length) * 100) / 100 : null,
    },
    application: {
      recommendations: applied.length,
      byRecommendation,
      currentAmountWan: current,
      proposedAmountWan: proposed,
      changeWan: fen(proposed - current),
    },
    rectifications: input.rectifications,
    cases: input.cases,
    keyEvaluations: { reports: keyReports, tally: tallyKeyReports(keyReports) },
  };
}
