/**
 * Monitoring windows and reports (docs/domain.md sections 2 and 5): which objects a window covers,
 * what a complete report holds, and the report as stored. Pure.
 */
import type { ObjectRefSchema } from '../../../events/declaration.ts';
import type * as z from 'zod/mini';
import {
  assessReport,
  missingExplanations,
  type DeviationRow,
  type ExecutionFigure,
  type IndicatorProgress,
  type IndicatorTarget,
  type Light,
  type ReportAssessment,
} from './deviation.ts';
import { dueEnd } from './due.ts';
import type { MonitoringRules, RuleViolation } from './rules.ts';

export type ObjectRef = z.infer<typeof ObjectRefSchema>;

export type WindowScope = { kind: 'all' } | { kind: 'key'; objectIds?: string[] };

export interface Window {
  id: string;
  version: number;
  region: string;
  fiscalYear: number;
  /** Cumulative from January: "1~N月". */
  throughMonth: number;
  label: string;
  /** YYYY-MM-DD, the last day reports are on time. */
  dueDate: string;
  scope: WindowScope;
  createdAt: string;
  createdBy: string;
}

export const windowLabel = (throughMonth: number) => (throughMonth === 1 ? '1月' : `1~${throughMonth}月`);

/** Whether an object belongs to a window: all objects, or key ones (listed, or at or above the key amount). */
export function inWindowScope(window: Pick<Window, 'scope' | 'fiscalYear'>, entry: { objectId: string; fiscalYear: number; annualTotalWan: number }, rules: Pick<MonitoringRules, 'keyObjectMinWan'>): boolean {
  if (entry.fiscalYear !== window.fiscalYear) return false;
  if (window.scope.kind === 'all') return true;
  if (window.scope.objectIds?.includes(entry.objectId)) return true;
  return entry.annualTotalWan >= rules.keyObjectMinWan;
}

export interface ReviewRecord {
  stage: 'department' | 'finance';
  outcome: 'pass' | 'fail' | 'refer_experts' | 'refer_intermediary';
  comments?: string;
  by: string;
  at: string;
}

/** The small part of a report: what lists and dashboards read. */
export interface ReportHead {
  id: string;
  version: number;
  /** 1 for the first report of the object in the window, +1 per correction. */
  revision: number;
  windowId: string;
  windowLabel: string;
  fiscalYear: number;
  throughMonth: number;
  object: ObjectRef;
  targetVersion: number;
  light: Light;
  execution: ExecutionFigure;
  annualBudgetWan: number;
  adjustedBudgetWan?: number;
  expectedFullYearWan: number;
  deviationCount: number;
  /** The worst deviating rows (at most three), for lists. */
  worst: DeviationRow[];
  late: boolean;
  reviews: ReviewRecord[];
  reportedAt: string;
  reportedBy: string;
}

export interface IndicatorRow extends IndicatorProgress {
  name: string;
  light: Light;
  score?: number;
  detail: string;
}

export interface ReportDetail {
  indicators: IndicatorRow[];
  deviations: DeviationRow[];
  /** Deviating rows without a cause or corrective measures (shown to reviewers; not a refusal). */
  missingExplanations: { rowId: string; name: string; missing: ('cause' | 'correctiveMeasures')[] }[];
}

export type Report = ReportHead & ReportDetail;

export const reportIdOf = (windowId: string, objectId: string) => `rpt_${windowId.slice('win_'.length)}_${objectId.slice('obj_'.length)}`;

export function parseReportId(id: string): { windowId: string; objectId: string } | undefined {
  const match = /^rpt_([a-z0-9]{10,40})_([a-z0-9]{10,40})$/.exec(id);
  return match ? { windowId: `win_${match[1]}`, objectId: `obj_${match[2]}` } : undefined;
}

export interface ReportInput {
  adjustedBudgetWan?: number;
  executedWan: number;
  expectedFullYearWan: number;
  indicators: IndicatorProgress[];
}

interface BaselineRow {
  rowId: string;
  name: string;
  operator: IndicatorTarget['operator'];
  value?: number | string;
  unit?: string;
}

/** Every approved row reported once, each with what its kind needs; every problem names its field. */
export function checkReportInput(input: ReportInput, rows: readonly BaselineRow[], prefix = 'body'): RuleViolation[] {
  const violations: RuleViolation[] = [];
  const add = (field: string, message: string) => violations.push({ field: `${prefix}.${field}`, message });
  const known = new Map(rows.map((r) => [r.rowId, r]));
  const seen = new Set<string>();
  input.indicators.forEach((p, i) => {
    const row = known.get(p.rowId);
    if (!row) return add(`indicators[${i}].rowId`, `${p.rowId} is not a row of the approved targets`);
    if (seen.has(p.rowId)) add(`indicators[${i}].rowId`, `${p.rowId} is reported twice`);
    seen.add(p.rowId);
    if (row.operator === 'qualitative') {
      if (!p.finding) add(`indicators[${i}].finding`, `「${row.name}」 is qualitative: say whether it is met, partly met or not met so far`);
    } else if (typeof p.valueToDate !== 'number') {
      add(`indicators[${i}].valueToDate`, `「${row.name}」 is quantitative: give the value reached so far (${row.unit ?? 'a number'})`);
    }
    if (p.likelihood === 'impossible' && !p.cause) add(`indicators[${i}].cause`, `「${row.name}」 cannot be completed: give the cause category`);
  });
  for (const row of rows) {
    if (!seen.has(row.rowId)) add('indicators', `row ${row.rowId} 「${row.name}」 of the approved targets is not reported`);
  }
  if (input.executedWan < 0) add('executedWan', 'cannot be negative');
  return violations;
}

/** A number typed as text ("300", "95.5") is the number: portals send what the clerk typed. */
const asNumber = (v: number | string | undefined) => (typeof v === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(v) ? Number(v) : v);

export function normalizeInput(input: ReportInput): ReportInput {
  return {
    ...input,
    indicators: input.indicators.map((p) => {
      const valueToDate = asNumber(p.valueToDate);
      const forecast = asNumber(p.forecast);
      return { ...p, ...(valueToDate !== undefined ? { valueToDate } : {}), ...(forecast !== undefined ? { forecast } : {}) };
    }),
  };
}

/** Assesses a checked input against the baseline. */
export function assess(input: ReportInput, annualBudgetWan: number, throughMonth: number, rows: readonly BaselineRow[], rules: Pick<MonitoringRules, 'execution' | 'indicator' | 'likelihoodLights'>): ReportAssessment {
  const targets: IndicatorTarget[] = rows.map((r) => ({ rowId: r.rowId, name: r.name, operator: r.operator, ...(r.value !== undefined ? { value: r.value } : {}), ...(r.unit ? { unit: r.unit } : {}) }));
  return assessReport({ budgetWan: input.adjustedBudgetWan ?? annualBudgetWan, executedWan: input.executedWan, throughMonth }, targets, input.indicators, rules);
}

export function buildReport(args: {
  window: Window;
  object: ObjectRef;
  targetVersion: number;
  annualBudgetWan: number;
  input: ReportInput;
  assessment: ReportAssessment;
  previous?: Report;
  actor: string;
  now: Date;
}): Report {
  const { window, input, assessment } = args;
  const at = args.now.toISOString();
  const byRow = new Map(assessment.indicators.map((a) => [a.rowId, a]));
  return {
    id: reportIdOf(window.id, args.object.id),
    version: (args.previous?.version ?? 0) + 1,
    revision: (args.previous?.revision ?? 0) + 1,
    windowId: window.id,
    windowLabel: window.label,
    fiscalYear: window.fiscalYear,
    throughMonth: window.throughMonth,
    object: args.object,
    targetVersion: args.targetVersion,
    light: assessment.light,
    execution: assessment.execution,
    annualBudgetWan: args.annualBudgetWan,
    ...(input.adjustedBudgetWan !== undefined ? { adjustedBudgetWan: input.adjustedBudgetWan } : {}),
    expectedFullYearWan: input.expectedFullYearWan,
    deviationCount: assessment.deviations.length,
    worst: assessment.deviations.slice(0, 3),
    // The due date is a China Standard Time day: late from 24:00 CST, not from the UTC date's end.
    // Lateness is the first submission's: correcting an on-time report later does not make it late.
    late: args.previous ? args.previous.late : args.now.getTime() >= dueEnd(window.dueDate),
    // A corrected report is reviewed afresh.
    reviews: [],
    reportedAt: at,
    reportedBy: args.actor,
    indicators: input.indicators.map((p) => {
      const a = byRow.get(p.rowId);
      return { ...p, name: a?.name ?? p.rowId, light: a?.light ?? 'green', ...(a?.score !== undefined ? { score: a.score } : {}), detail: a?.detail ?? '' };
    }),
    deviations: assessment.deviations,
    missingExplanations: missingExplanations(assessment.deviations, input.indicators),
  };
}

/** Splits a report into the stored head and detail. */
export function splitReport(report: Report): { head: ReportHead; detail: ReportDetail } {
  const { indicators, deviations, missingExplanations: missing, ...head } = report;
  return { head, detail: { indicators, deviations, missingExplanations: missing } };
}
