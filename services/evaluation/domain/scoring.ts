/**
 * The self-evaluation scoring engine (docs/domain.md section 4). Pure: no AWS, no clock.
 *
 * `score(input, rules)` always computes and never throws on bad data: a table transcribed from a
 * published disclosure may be inconsistent (weights over 100, a total that is not the sum of its
 * rows), and the engine must show what the figures give and what is wrong with them. Problems
 * come back as `issues`; those of severity 'error' are the ones an entered evaluation must be
 * refused for (the service answers 4xx with them; `scoreStrict` throws them). Warnings are
 * worth a look but do not block.
 *
 * Totals and grades are always computed from the row scores; a published total or grade is only
 * compared. A row's score is the computed one unless an evaluator overrides it, which is allowed
 * within the row's bounds and only with a reason, and is shown as such.
 *
 * Total, precisely: subtotal = execution score + the scores of the applicable rows; with
 * notApplicable 'rescale' and at least one row dropped, total = subtotal × 100 ÷ (execution
 * points + points of the applicable rows), so the remaining maximum becomes 100; otherwise
 * total = subtotal. With rounding 'row' each row score (execution included) is rounded to
 * scoreDecimals (2 by default; 1 or 0 where the forms print tenths or whole points) before the
 * sum; with 'total' only the total is. The total is always kept to scoreDecimals, and the grade is
 * read from the rounded total.
 *
 * The parts live beside this file: figures.ts reads the cells, quantitative.ts and
 * qualitative.ts compute a row, overrides.ts checks an evaluator's score, indicator-row.ts and
 * execution.ts score the rows, grades.ts reads the grade; this file sums, rescales and compares.
 */
import { num, precisionName, pts, ptsAt } from './explanations.ts';
import { scoreExecution } from './execution.ts';
import { gradeFor, gradeReason } from './grades.ts';
import { scoreRow } from './indicator-row.ts';
import { EPS, isNumber, round2, roundTo } from './numbers.ts';
import { validateScoringRules, type ScoringRules } from './rules.ts';
import type { ScoringInput } from './scoring-input.ts';
import { blockingIssues, severityOf, type AddIssue, type ScoringIssue } from './scoring-issues.ts';
import type { RowResult, ScoreResult } from './score-result.ts';

const strip = <T extends { exact: unknown }>({ exact: _exact, ...rest }: T): Omit<T, 'exact'> => rest;

/**
 * Scores a self-evaluation table under a region's rules. Never throws on the table's data (see
 * the file comment); throws a RangeError only when the rules themselves are invalid, which
 * validateScoringRules refuses when they are stored.
 */
export function score(input: ScoringInput, rules: ScoringRules): ScoreResult {
  const invalid = validateScoringRules(rules);
  if (invalid.length) throw new RangeError(`invalid scoring rules: ${invalid.map((v) => `${v.field} ${v.message}`).join('; ')}`);

  const issues: ScoringIssue[] = [];
  const add: AddIssue = (code, message, row, field) =>
    issues.push({ code, severity: severityOf(code), ...(row !== undefined ? { row } : {}), ...(field !== undefined ? { field } : {}), message });
  const decimals = rules.scoreDecimals;
  const keep = rules.rounding === 'row' ? (n: number) => roundTo(n, decimals) : (n: number) => n;
  /** A kept score as it is summed: at scoreDecimals under 'row', unrounded (shown to 2 decimals) under 'total'. */
  const kept = (n: number) => ptsAt(n, rules.rounding === 'row' ? decimals : 2);

  const execution = input.execution ? scoreExecution(input.execution, rules, add, keep) : null;

  const seen = new Set<string>();
  const rows = input.rows.map((row, i) => {
    if (seen.has(row.id)) add('duplicate_row', `「${row.name}」: row id ${row.id} is used twice`, row.id, `rows[${i}].id`);
    seen.add(row.id);
    return scoreRow(row, rules, add, keep);
  });

  // Weights: every row, dropped ones included, was part of the 100-point table.
  const executionPoints = execution?.points ?? 0;
  const rowPoints = rows.reduce((s, r) => s + r.points, 0);
  const declared = executionPoints + rowPoints;
  if (Math.abs(declared - 100) > rules.weightTolerance + EPS) {
    add('weights_not_100', `indicator weights ${num(rowPoints)} + execution ${num(executionPoints)} = ${num(declared)} points, not 100`, undefined, 'weight');
  }

  const applicable = rows.filter((r) => r.applicable);
  const dropped = rows.filter((r) => !r.applicable);
  const droppedPoints = dropped.reduce((s, r) => s + r.points, 0);
  const rescale = rules.notApplicable === 'rescale' && dropped.length > 0;
  const remaining = executionPoints + applicable.reduce((s, r) => s + r.points, 0);
  const maximum = rescale ? remaining : declared;
  const subtotal = (execution?.exact ?? 0) + rows.reduce((s, r) => s + (r.exact ?? 0), 0);

  let factor = 1;
  if (rescale) {
    if (remaining > 0) factor = 100 / remaining;
    else factor = 0;
  }
  if (maximum <= 0) add('nothing_to_score', 'no row carries points: nothing to score', undefined, 'rows');
  const total = roundTo(subtotal * factor, decimals);
  const grade = gradeFor(total, rules);

  const results: RowResult[] = rows.map((r) => {
    const out = strip(r);
    if (rescale && r.applicable && factor > 0) out.rescaled = { points: round2(r.points * factor), score: round2((r.exact ?? 0) * factor) };
    return out;
  });

  const categories: ScoreResult['categories'] = [];
  for (const r of applicable) {
    if (r.category === undefined) continue;
    let entry = categories.find((c) => c.category === r.category);
    if (!entry) categories.push((entry = { category: r.category, points: 0, score: 0 }));
    entry.points += r.points;
    entry.score += r.exact ?? 0;
  }
  for (const c of categories) {
    c.points = round2(c.points);
    c.score = round2(c.score);
  }

  const explanation: string[] = [];
  const parts = [...(execution ? [`execution ${kept(execution.exact)}`] : []), `${applicable.length} indicator row${applicable.length === 1 ? '' : 's'} ${kept(applicable.reduce((s, r) => s + (r.exact ?? 0), 0))}`];
  explanation.push(
    `subtotal ${kept(subtotal)} of ${num(maximum)} points (${parts.join(' + ')})${rules.rounding === 'row' ? `, row scores rounded to ${precisionName(decimals)} before the sum` : `, rounded only at the total, to ${precisionName(decimals)}`}`,
  );
  if (rescale) {
    explanation.push(`${dropped.length} row${dropped.length === 1 ? '' : 's'} not applicable (${num(droppedPoints)} points) dropped: ${kept(subtotal)} × 100 ÷ ${num(remaining)} = ${ptsAt(total, decimals)}`);
  } else if (dropped.length) {
    explanation.push(`${dropped.length} row${dropped.length === 1 ? '' : 's'} not applicable counted at full points (${num(droppedPoints)})`);
  }
  explanation.push(`total ${ptsAt(total, decimals)}: grade ${rules.gradeLabels[grade]} (${grade}), ${gradeReason(total, grade, rules)}`);

  if (input.publishedTotal !== undefined) {
    if (!isNumber(input.publishedTotal)) add('total_mismatch', 'the published total is not a number', undefined, 'publishedTotal');
    else {
      const diff = Math.abs(input.publishedTotal - total);
      if (diff > rules.totalTolerance + EPS) {
        add('total_mismatch', `the published total ${num(input.publishedTotal)} differs from the computed ${ptsAt(total, decimals)} by ${pts(diff)} (tolerance ${num(rules.totalTolerance)})`, undefined, 'publishedTotal');
      }
    }
  }
  if (input.publishedGrade !== undefined && input.publishedGrade !== grade) {
    add('grade_mismatch', `the published grade ${rules.gradeLabels[input.publishedGrade] ?? input.publishedGrade} differs from the computed ${rules.gradeLabels[grade]} (${grade}) for ${ptsAt(total, decimals)}`, undefined, 'publishedGrade');
  }

  return {
    total,
    grade,
    gradeLabel: rules.gradeLabels[grade],
    subtotal: round2(subtotal),
    maximum: round2(maximum),
    scale: { factor, droppedPoints: round2(droppedPoints) },
    execution: execution ? { ...strip(execution), ...(rescale && factor > 0 ? { rescaled: { points: round2(execution.points * factor), score: round2(execution.exact * factor) } } : {}) } : null,
    rows: results,
    categories,
    issues,
    explanation,
  };
}

export class ScoringError extends Error {
  constructor(readonly issues: ScoringIssue[]) {
    super(issues.map((i) => i.message).join('; '));
    this.name = 'ScoringError';
  }
}

/** `score` for entered evaluations: throws a ScoringError carrying every blocking issue. */
export function scoreStrict(input: ScoringInput, rules: ScoringRules): ScoreResult {
  const result = score(input, rules);
  const blocking = blockingIssues(result);
  if (blocking.length) throw new ScoringError(blocking);
  return result;
}
