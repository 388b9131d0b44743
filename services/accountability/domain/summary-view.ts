/**
 * The object summaries as a maintained read model (shared/pure/view-delta.ts): what one object's
 * summary adds to its department's figures, from which the People's Congress report
 * (congress-report.ts) and the assessments (assessment.ts) are computed. Pure.
 *
 * Every figure those two read is a count or a sum over objects, so a department's figures are
 * the sum of its objects' counts (`summaryCounts`), kept per department: a report or an
 * assessment reads O(departments) items. Amounts and scores are summed as integers of 10⁻⁶
 * (`micro`: a 万元 amount to the fen and below; a score to 10⁻⁶ point), because DynamoDB adds
 * them exactly and float sums depend on the order of addition: the maintained view and the
 * recomputation from summaries then agree to the unit.
 *
 * What is not a sum is kept as lines: the key evaluation reports (the report lists every one,
 * with ratings; there are as many as finance evaluates, not as many as objects) and each
 * reviewed self-evaluation's gap to finance's review score, in descending order, so that the
 * largest gap is the first line.
 */
import stableStringify from 'fast-json-stable-stringify';
import type { Contribution, ViewLine } from '../../../shared/pure/view-delta.ts';
import { keyReportLines, type KeyReportLine } from './key-report-lines.ts';
import type { ObjectSummary } from './object-summary.ts';

export const SUMMARY_VIEW = 'summaries';
export const KEY_REPORTS_LIST = 'key-reports';
export const REVIEW_GAPS_LIST = 'review-gaps';
export const SUMMARY_LISTS = [KEY_REPORTS_LIST, REVIEW_GAPS_LIST] as const;

/** Counts and 10⁻⁶ sums of one object, or of a department (the sum of its objects'). A count not present is 0. */
export type SummaryCounts = Record<string, number>;

/** A 万元 amount or a score as an integer of 10⁻⁶. */
export const micro = (x: number) => Math.round(x * 1e6);
export const fromMicro = (n: number) => n / 1e6;

/** Declared: submitted, approved or rejected (the denominator of target coverage). */
export const isDeclared = (s: ObjectSummary) => s.declaration.submissions > 0 || !!s.declaration.approvedAt || s.declaration.rejected;

/**
 * What one object adds. Names: `objects`, `objects_<type>`; `approved`, `approved_<type>`,
 * `amountMicro`, `amountMicro_<type>` (approved amounts); `declared`, `rejected`, `revised`,
 * `approvedClean` (approved, never returned); monitoring `reports`, `reported`, `light_<light>`,
 * `deviations`, `redDeviations`, `corrected`, `correctedCapped` (corrected, at most its
 * deviations), `fundingPauses`, `reminders`, `escalations`, `monitored`, `timely`; evaluation
 * `graded`, `grade_<grade>`, `graded_<type>`, `grade_<type>_<grade>`, `basis_<key|financeReview|self>`,
 * `scored`, `scoreMicro`, `notEvaluated`, `selfEvaluated`, `reviewed`, `reviewGapMicro`,
 * `evaluatedAny`; application `applied`, `rec_<recommendation>`, `currentMicro`, `proposedMicro`.
 */
export function summaryCounts(s: ObjectSummary): SummaryCounts {
  const c: SummaryCounts = {};
  const add = (name: string, value = 1) => {
    if (value !== 0) c[name] = (c[name] ?? 0) + value;
  };
  const type = s.spendingType;
  const { declaration: d, monitoring: m, evaluation: e } = s;
  add('objects');
  add(`objects_${type}`);
  if (isDeclared(s)) add('declared');
  if (d.rejected) add('rejected');
  if (d.approvedAt) {
    const amount = micro(d.amountWan ?? 0);
    add('approved');
    add(`approved_${type}`);
    add('amountMicro', amount);
    add(`amountMicro_${type}`, amount);
    if (d.revisions > 0) add('revised');
    if (d.returned === 0) add('approvedClean');
    if (e.self) add('selfEvaluated');
    if (!e.finalGrade) add('notEvaluated');
  }
  add('reports', m.reports);
  if (m.reports > 0) add('reported');
  if (m.lastLight) add(`light_${m.lastLight}`);
  add('deviations', m.deviations);
  add('redDeviations', m.redDeviations);
  add('corrected', m.corrected);
  add('correctedCapped', Math.min(m.corrected, m.deviations));
  if (m.fundingPauseRecommended) add('fundingPauses');
  add('reminders', m.reminders);
  add('escalations', m.escalations);
  if (m.reports > 0 || m.escalations > 0) add('monitored');
  if (m.reports > 0 && m.escalations === 0) add('timely');
  if (e.finalGrade) {
    add('graded');
    add(`grade_${e.finalGrade}`);
    add(`graded_${type}`);
    add(`grade_${type}_${e.finalGrade}`);
    add(e.key ? 'basis_key' : e.financeReview ? 'basis_financeReview' : 'basis_self');
    if (typeof e.finalScore === 'number') {
      add('scored');
      add('scoreMicro', micro(e.finalScore));
    }
  }
  const gap = reviewGapMicro(s);
  if (gap !== undefined) {
    add('reviewed');
    add('reviewGapMicro', gap);
  }
  if (e.self || e.financeReview || e.key) add('evaluatedAny');
  if (s.application) {
    add('applied');
    add(`rec_${s.application.recommendation}`);
    add('currentMicro', micro(s.application.currentAmountWan));
    add('proposedMicro', micro(s.application.proposedAmountWan));
  }
  return c;
}

/** |self score − finance review score| of a self-evaluation finance reviewed, in 10⁻⁶ points. */
export function reviewGapMicro(s: ObjectSummary): number | undefined {
  const { self, financeReview } = s.evaluation;
  return self && financeReview ? micro(Math.abs(self.score - financeReview.score)) : undefined;
}

/** Adds `counts` into `into` (the figures of a department, or of several). */
export function addCounts(into: SummaryCounts, counts: Readonly<SummaryCounts>): SummaryCounts {
  for (const [name, value] of Object.entries(counts)) into[name] = (into[name] ?? 0) + value;
  return into;
}

/** Per department, the sum of its objects' counts (the recomputation the view must equal). */
export function countsByDepartment(summaries: readonly ObjectSummary[]): Map<string, SummaryCounts> {
  const out = new Map<string, SummaryCounts>();
  for (const s of summaries) out.set(s.department, addCounts(out.get(s.department) ?? {}, summaryCounts(s)));
  return out;
}

/** Gaps up to 100 points: 10⁹ − gap, zero-padded, orders the largest gap first. */
const GAP_ORDER_BASE = 1e9;
const gapSortKey = (gap: number, objectId: string) => `${String(GAP_ORDER_BASE - gap).padStart(10, '0')}#${objectId}`;

/** The largest review gap among a department's `review-gaps` lines, read back from its first line. */
export const gapOfLine = (line: Pick<ViewLine, 'data'>) => Number(line.data.gapMicro);

/**
 * A key report line as a view line keeps it: its ratings are a list, so the line is kept as JSON,
 * with its keys sorted (a summary read back from DynamoDB does not keep the order of a map's keys,
 * and the same line must give the same text to compare equal).
 */
export const keyReportOfLine = (line: Pick<ViewLine, 'data'>) => JSON.parse(String(line.data.json)) as KeyReportLine;

/** What one object's summary adds to the view: its department's counts and its lines. */
export function summaryContribution(s: ObjectSummary): Contribution {
  const lines: ViewLine[] = keyReportLines([s]).map((r) => ({ list: KEY_REPORTS_LIST, sortKey: `${s.objectId}#${r.evaluationId}`, data: { json: stableStringify(r) } }));
  const gap = reviewGapMicro(s);
  if (gap !== undefined) lines.push({ list: REVIEW_GAPS_LIST, sortKey: gapSortKey(gap, s.objectId), data: { gapMicro: gap } });
  return { group: s.department, counts: summaryCounts(s), lines };
}
