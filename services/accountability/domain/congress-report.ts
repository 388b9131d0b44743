/**
 * The People's Congress report (人大报告) of a region and year: targets, monitoring, evaluation
 * grades, results applied, rectifications and cases, and the key evaluation reports with the
 * People's Congress ratings of each, aggregated from the object summaries and the rectification /
 * case totals. Pure. Amounts are 万元 summed exactly (rounded to the fen, 6 decimals, against
 * float noise); the HTML rounds to 2 decimals when it prints.
 */
import { byReportOrder, keyReportLines, type KeyReportLine } from './key-report-lines.ts';
import { tallyKeyReports, type KeyReportTally } from './key-reports.ts';
import type { Grade, Light, ObjectSummary, SpendingType } from './object-summary.ts';
import { addCounts, countsByDepartment, fromMicro, type SummaryCounts } from './summary-view.ts';

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

/** What the report is computed from besides the rectification and case totals: per department the summed counts (summary-view.ts), and the key report lines. */
export interface CongressReportFacts {
  region: string;
  fiscalYear: number;
  generatedAt: string;
  byDepartment: ReadonlyMap<string, Readonly<SummaryCounts>>;
  keyReports: readonly KeyReportLine[];
  rectifications: RectificationTotals;
  cases: CaseTotals;
}

/** The report from the object summaries of the region and year (the recomputation; the API reads the maintained view). */
export function congressReport(input: {
  region: string;
  fiscalYear: number;
  generatedAt: string;
  summaries: readonly ObjectSummary[];
  rectifications: RectificationTotals;
  cases: CaseTotals;
}): CongressReport {
  const { summaries: all, ...rest } = input;
  const summaries = all.filter((s) => s.region === input.region && s.fiscalYear === input.fiscalYear);
  return congressReportOf({ ...rest, byDepartment: countsByDepartment(summaries), keyReports: keyReportLines(summaries) });
}

const GRADES: readonly Grade[] = ['excellent', 'good', 'fair', 'poor'];

/** The report from each department's counts: what the maintained view holds. */
export function congressReportOf(input: CongressReportFacts): CongressReport {
  const departments = [...input.byDepartment.keys()].sort();
  const total: SummaryCounts = {};
  for (const counts of input.byDepartment.values()) addCounts(total, counts);
  const n = (counts: Readonly<SummaryCounts>, name: string) => counts[name] ?? 0;
  const wan = (counts: Readonly<SummaryCounts>, name: string) => fen(fromMicro(n(counts, name)));
  const group = (counts: Readonly<SummaryCounts>, suffix = ''): TargetsGroup => ({ objects: n(counts, `objects${suffix}`), approved: n(counts, `approved${suffix}`), amountWan: wan(counts, `amountMicro${suffix}`) });
  const gradeCounts = (prefix: string): GradeCounts => Object.fromEntries(GRADES.map((g) => [g, n(total, `${prefix}${g}`)])) as GradeCounts;
  const scored = n(total, 'scored');
  const keyReports = [...input.keyReports].sort(byReportOrder);
  const current = wan(total, 'currentMicro');
  const proposed = wan(total, 'proposedMicro');

  return {
    region: input.region,
    fiscalYear: input.fiscalYear,
    generatedAt: input.generatedAt,
    targets: {
      ...group(total),
      rejected: n(total, 'rejected'),
      revised: n(total, 'revised'),
      byType: SPENDING_TYPES.map((type) => ({ type, ...group(total, `_${type}`) })).filter((g) => g.objects > 0),
      byDepartment: departments.map((department) => ({ department, ...group(input.byDepartment.get(department)!) })),
    },
    monitoring: {
      reports: n(total, 'reports'),
      objectsReported: n(total, 'reported'),
      lights: { green: n(total, 'light_green'), yellow: n(total, 'light_yellow'), red: n(total, 'light_red') },
      deviations: n(total, 'deviations'),
      redDeviations: n(total, 'redDeviations'),
      corrected: n(total, 'corrected'),
      fundingPauses: n(total, 'fundingPauses'),
      reminders: n(total, 'reminders'),
      escalations: n(total, 'escalations'),
    },
    evaluation: {
      evaluated: n(total, 'graded'),
      notEvaluated: n(total, 'notEvaluated'),
      grades: gradeCounts('grade_'),
      byType: SPENDING_TYPES.map((type) => ({ type, evaluated: n(total, `graded_${type}`), grades: gradeCounts(`grade_${type}_`) })).filter((t) => t.evaluated > 0),
      byBasis: { key: n(total, 'basis_key'), financeReview: n(total, 'basis_financeReview'), self: n(total, 'basis_self') },
      averageScore: scored ? Math.round((fromMicro(n(total, 'scoreMicro')) / scored) * 100) / 100 : null,
    },
    application: {
      recommendations: n(total, 'applied'),
      byRecommendation: Object.fromEntries(RECOMMENDATIONS.map((r) => [r, n(total, `rec_${r}`)])) as Record<Recommendation, number>,
      currentAmountWan: current,
      proposedAmountWan: proposed,
      changeWan: fen(proposed - current),
    },
    rectifications: input.rectifications,
    cases: input.cases,
    keyEvaluations: { reports: keyReports, tally: tallyKeyReports(keyReports) },
  };
}
