/**
 * Scoring a quantitative row from its target and actual figures: "≥" rows positive (actual ÷
 * target; far above a target set too low, reduced), "≤" rows negative (the region's variant or
 * the indicator's own rule), "=" rows exact with the region's fallback. Pure.
 */
import type { Operator } from '../../../events/vocabulary.ts';
import { num, pts, withUnit } from './explanations.ts';
import { toFigure, type Figure, type FigureOperator } from './figures.ts';
import { EPS } from './numbers.ts';
import type { NegativeVariant, ScoringRules } from './rules.ts';
import type { IndicatorRowInput } from './scoring-input.ts';
import type { AddIssue } from './scoring-issues.ts';
import type { Computed, RowResult } from './score-result.ts';

/** "≥" scoring; `lead` opens the sentence ("actual 80人 of target 100人" or, for a missed "=" row, its own words). */
function positive(a: number, t: number, p: number, A: string, T: string, lead?: string): Computed {
  if (a >= t) return { value: p, explanation: `${lead ? `${lead}: ${A} ≥ ${T}` : `actual ${A} ≥ target ${T}`}: full ${num(p)} points` };
  const open = lead ?? `actual ${A} of target ${T}`;
  if (t <= 0) return { value: 0, explanation: `${open}: no proportion of a target of 0 or less, 0 points` };
  const value = Math.max(0, a / t) * p;
  return { value, explanation: `${open}: ${a < 0 ? 'below 0, 0 points' : `${num(a)} ÷ ${num(t)} × ${num(p)} = ${pts(value)}`}` };
}

/**
 * 财预〔2020〕10号's target set too low (rules.ts TooLowTarget): a met "≥" row whose actual is at
 * least exceedRatio × its target loses part of its points, and a target_set_too_low warning
 * names it. A target of 0 or less has no ratio, and figures in different units (unit_mismatch)
 * no meaningful one: both are left alone.
 */
function tooLowTarget(met: Computed, row: IndicatorRowInput, a: number, t: number, p: number, A: string, T: string, rules: ScoringRules, add: AddIssue): Computed {
  const { exceedRatio, deduction, maxDeductionShare } = rules.tooLowTarget;
  if (exceedRatio === null || t <= 0 || met.value === null) return met;
  const ratio = a / t;
  if (ratio < exceedRatio - EPS) return met;
  const percent = (n: number) => `${(n * 100).toFixed(2)} %`;
  const threshold = `${num(exceedRatio * 100)} %`;
  const cap = `${num(maxDeductionShare * 100)} %`;
  const share = deduction === 'fixed' ? maxDeductionShare : Math.min(Math.max(0, ratio - exceedRatio), maxDeductionShare);
  const lost = share * p;
  const value = p - lost;
  const how = deduction === 'fixed' ? `a fixed ${cap}` : `min(${percent(ratio)} − ${threshold}, ${cap}) = ${percent(share)}`;
  add(
    'target_set_too_low',
    `「${row.name}」: actual ${A} is ${percent(ratio)} of target ${T}, at or above ${threshold}: the target looks set too low, and ${pts(lost)} of ${num(p)} points are taken off (财预〔2020〕10号); give the reason, or override with one if the target was right`,
    row.id,
    'target',
  );
  return {
    value,
    explanation: `${met.explanation}, but ${num(a)} ÷ ${num(t)} = ${percent(ratio)} of the target, at or above ${threshold}: target set too low (财预〔2020〕10号), less ${how} of ${num(p)} points = ${pts(lost)}: ${num(p)} − ${pts(lost)} = ${pts(value)}`,
  };
}

function negative(a: number, t: number, p: number, A: string, T: string, variant: NegativeVariant): Computed {
  if (a <= t) return { value: p, explanation: `actual ${A} ≤ target ${T}: full ${num(p)} points` };
  if (variant === 'ratio') {
    if (t <= 0) return { value: 0, explanation: `actual ${A} above target ${T}: target ÷ actual gives nothing at a target of 0 or less, 0 points` };
    const value = (t / a) * p;
    return { value, explanation: `actual ${A} above target ${T}: ${num(t)} ÷ ${num(a)} × ${num(p)} = ${pts(value)}` };
  }
  const zeroAt = 2 * t;
  if (a >= zeroAt) return { value: 0, explanation: `actual ${A} at or above 2 × target ${T} = ${num(zeroAt)}: 0 points` };
  const value = ((zeroAt - a) / t) * p;
  return { value, explanation: `actual ${A} above target ${T}: linear fall to 0 at ${num(zeroAt)} (2 × target): (${num(zeroAt)} − ${num(a)}) ÷ ${num(t)} × ${num(p)} = ${pts(value)}` };
}

function exact(a: number, t: number, p: number, A: string, T: string, rules: ScoringRules): Computed {
  if (Math.abs(a - t) <= EPS * Math.max(1, Math.abs(t))) return { value: p, explanation: `actual ${A} = target ${T}: full ${num(p)} points` };
  const lead = `actual ${A} ≠ target ${T}`;
  switch (rules.exactFallback) {
    case 'positive':
      return positive(a, t, p, A, T, `${lead}, scored as positive`);
    case 'deviation': {
      if (t === 0) return { value: 0, explanation: `${lead}: no deviation ratio from a target of 0, 0 points` };
      const value = Math.max(0, 1 - Math.abs(a - t) / Math.abs(t)) * p;
      return { value, explanation: `${lead}, scored by deviation: (1 − |${num(a)} − ${num(t)}| ÷ ${num(Math.abs(t))}) × ${num(p)} = ${pts(value)}` };
    }
    case 'none':
      return { value: 0, explanation: `${lead}: 0 points (all or nothing)` };
  }
}

function negativeVariantOf(row: IndicatorRowInput, rules: ScoringRules): NegativeVariant {
  if (row.scoringRule === 'inverse_ratio') return 'ratio';
  if (row.scoringRule === 'linear_to_double') return 'linear';
  return rules.negativeVariant;
}

export function computeQuantitative(row: IndicatorRowInput, result: RowResult, rules: ScoringRules, add: AddIssue): Computed {
  const target = toFigure(row.target);
  const actual = toFigure(row.actual);
  if (target && target !== 'wrong_type') result.target = target;
  if (actual && actual !== 'wrong_type') result.actual = actual;

  const problems: string[] = [];
  if (target === undefined) {
    add('target_missing', `「${row.name}」 has no target value`, row.id, 'target');
    problems.push('no target');
  } else if (target === 'wrong_type' || target.value === undefined) {
    const shown = target === 'wrong_type' ? typeof row.target : `"${target.text}"`;
    add('target_not_numeric', `「${row.name}」: the target ${shown} is not a number; a ${row.operator} row needs one`, row.id, 'target');
    problems.push(`target ${shown} is not a number`);
  }
  if (actual === undefined) {
    add('actual_missing', `「${row.name}」 has no actual value`, row.id, 'actual');
    problems.push('no actual value');
  } else if (actual === 'wrong_type' || actual.value === undefined) {
    const shown = actual === 'wrong_type' ? typeof row.actual : `"${actual.text}"`;
    add('actual_not_numeric', `「${row.name}」: the actual value ${shown} is not a number; a ${row.operator} row needs one`, row.id, 'actual');
    problems.push(`actual ${shown} is not a number`);
  }
  if (problems.length) return { value: null, explanation: `cannot compute: ${problems.join(', ')}` };

  const t = target as Figure & { value: number };
  const a = actual as Figure & { value: number };
  const unitsDiffer = Boolean(t.unit && a.unit && t.unit.toLowerCase() !== a.unit.toLowerCase());
  if (unitsDiffer) {
    add('unit_mismatch', `「${row.name}」: the target is in ${t.unit} and the actual in ${a.unit}; the figures are compared as written`, row.id, 'actual');
  }
  // An actual written with a sign ("≥95%") repeats the target instead of giving the value reached:
  // scored as written, and said (财预〔2020〕10号 asks for the actual value achieved).
  if (a.operator !== undefined) {
    add('actual_repeats_target', `「${row.name}」: the actual value "${a.text}" is written like a target (with a sign); enter the value reached`, row.id, 'actual');
  }
  const opposite = { gte: 'lte', lte: 'gte' } as Partial<Record<Operator, FigureOperator>>;
  if (t.operator && opposite[row.operator] === t.operator) {
    add('operator_mismatch', `「${row.name}」: the row is scored as ${row.operator} but its target is written "${t.text}"`, row.id, 'operator');
  }

  const p = result.points;
  const A = withUnit(a, a.value);
  const T = withUnit(t, t.value);
  if (row.operator === 'gte') {
    const met = positive(a.value, t.value, p, A, T);
    return unitsDiffer ? met : tooLowTarget(met, row, a.value, t.value, p, A, T, rules, add);
  }
  if (row.operator === 'lte') return negative(a.value, t.value, p, A, T, negativeVariantOf(row, rules));
  return exact(a.value, t.value, p, A, T, rules);
}
