/**
 * The triggers that open accountability cases, as pure functions of the per-object state the
 * case-opening engine keeps (jobs/case-opening.ts) and the year's rules (domain/rules.ts `cases`):
 *
 * (a) `poorGradeYears` (default 2): an object whose grade that counts (key over finance review
 *     over self) is 差, and its predecessors through `continues` (each of the year before) also
 *     差, N years running.
 * (b) `redWindowsUncorrected` (default 2): an object's execution red in N monitoring windows
 *     running (in the order of the windows the object has records for) with no correction in
 *     between: a DeviationCorrected, or a report whose execution is not red, ends the run.
 *
 * 0 turns a trigger off. The case id is derived from (trigger, object) (domain/case.ts triggeredCaseId).
 */
import type { AccountabilityRules } from './rules.ts';
import type { Grade } from './object-summary.ts';

export type EvaluationKind = 'self' | 'finance_review' | 'key';

/** What the engine keeps per object from evaluation (and declaration) events. */
export interface GradeState {
  objectId: string;
  fiscalYear: number;
  continues?: string;
  grades: Partial<Record<EvaluationKind, Grade>>;
}

/** The grade that counts: a key evaluation over the finance review over the self-evaluation. */
export function countingGrade(grades: Partial<Record<EvaluationKind, Grade>>): Grade | undefined {
  return grades.key ?? grades.finance_review ?? grades.self;
}

export interface PoorRun {
  /** The object and its predecessors graded 差 years running, newest first. */
  years: { objectId: string; fiscalYear: number; grade: Grade }[];
}

/**
 * The run of 差 ending at `start`: `start` itself and each predecessor (through `continues`,
 * one fiscal year earlier) graded 差, at most `limit` long. A predecessor not yet known, of
 * another year, or graded otherwise ends the run.
 */
export function poorRun(start: GradeState, lookup: (objectId: string) => GradeState | undefined, limit: number): PoorRun {
  const years: PoorRun['years'] = [];
  const seen = new Set<string>();
  let current: GradeState | undefined = start;
  while (current && years.length < limit && !seen.has(current.objectId)) {
    seen.add(current.objectId);
    const grade = countingGrade(current.grades);
    if (grade !== 'poor') break;
    const last = years[years.length - 1];
    if (last && current.fiscalYear !== last.fiscalYear - 1) break;
    years.push({ objectId: current.objectId, fiscalYear: current.fiscalYear, grade });
    current = current.continues ? lookup(current.continues) : undefined;
  }
  return { years };
}

/** Whether `start` completes a run of 差 long enough to open a case. */
export function poorGradeCaseDue(start: GradeState, lookup: (objectId: string) => GradeState | undefined, rules: Pick<AccountabilityRules, 'cases'>): PoorRun | undefined {
  const n = rules.cases.poorGradeYears;
  if (!n) return undefined;
  const run = poorRun(start, lookup, n);
  return run.years.length >= n ? run : undefined;
}

/** What the engine keeps per object and monitoring window. */
export interface WindowState {
  windowId: string;
  label: string;
  throughMonth: number;
  fiscalYear: number;
  /** From MonitoringReported: the latest revision seen and whether its execution light was red. */
  reportedRevision?: number;
  reportedRed?: boolean;
  /** From MonitoringDeviation: the report raised a red execution deviation. */
  deviationRed?: boolean;
  /** From DeviationCorrected: a report in this window cleared the deviation. */
  corrected?: boolean;
}

/** Red in the window: the latest report (or, without one, the deviation) says execution red, and nothing corrected it. */
export function windowRed(w: WindowState): boolean {
  if (w.corrected) return false;
  if (w.reportedRevision !== undefined) return w.reportedRed === true;
  return w.deviationRed === true;
}

/**
 * Whether the object's windows hold a run of at least N red windows ending at its latest
 * window; the longest run anywhere counts too (a case is due once the run reached N, even if a
 * later event about an earlier window arrives late).
 */
export function redWindowsCaseDue(windows: readonly WindowState[], rules: Pick<AccountabilityRules, 'cases'>): WindowState[] | undefined {
  const n = rules.cases.redWindowsUncorrected;
  if (!n) return undefined;
  const ordered = [...windows].sort((a, b) => a.fiscalYear - b.fiscalYear || a.throughMonth - b.throughMonth || a.windowId.localeCompare(b.windowId));
  let run: WindowState[] = [];
  for (const w of ordered) {
    if (windowRed(w)) {
      run.push(w);
      if (run.length >= n) return run.slice(-n);
    } else run = [];
  }
  return undefined;
}
