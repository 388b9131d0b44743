/**
 * Scoring one indicator row: a row that does not apply is dropped (or counted at full points),
 * an applicable one is computed as quantitative or qualitative, and an override with a reason
 * replaces the computed score. Pure.
 */
import { OPERATORS, SCORING_RULES_BY_OPERATOR } from '../../../events/vocabulary.ts';
import { num, roundingNote } from './explanations.ts';
import { isNumber, round2, roundTo } from './numbers.ts';
import { applyOverride } from './overrides.ts';
import { bandOf, computeQualitative } from './qualitative.ts';
import { computeQuantitative } from './quantitative.ts';
import type { ScoringRules } from './rules.ts';
import type { IndicatorRowInput } from './scoring-input.ts';
import type { AddIssue } from './scoring-issues.ts';
import type { Computed, RowResult } from './score-result.ts';

export function scoreRow(row: IndicatorRowInput, rules: ScoringRules, add: AddIssue, keep: (n: number) => number): RowResult & { exact: number | null } {
  const label = `「${row.name}」`;
  let points = row.weight;
  if (!isNumber(points) || points < 0 || points > 100) {
    add('weight_invalid', `${label}: the weight must be 0 to 100 points`, row.id, 'weight');
    points = 0;
  }
  const result: RowResult = {
    id: row.id,
    name: row.name,
    ...(row.category !== undefined ? { category: row.category } : {}),
    operator: row.operator,
    points,
    applicable: row.applicable !== false,
    computed: null,
    score: null,
    explanation: '',
  };

  if (!result.applicable) {
    const reason = row.notApplicableReason?.trim();
    if (!reason) add('not_applicable_without_reason', `${label} is marked not applicable without saying why`, row.id, 'notApplicableReason');
    if (row.override) add('override_on_not_applicable', `${label} does not apply; its override is ignored`, row.id, 'override');
    const why = `not applicable${reason ? ` (${reason})` : ''}`;
    if (rules.notApplicable === 'full_points') {
      result.score = points;
      result.explanation = `${why}: counted at full ${num(points)} points`;
      return { ...result, exact: points };
    }
    result.explanation = `${why}: ${num(points)} points dropped, the rest rescaled to 100`;
    return { ...result, exact: null };
  }

  let computed: Computed;
  if (!(OPERATORS as readonly unknown[]).includes(row.operator)) {
    add('operator_invalid', `${label}: the operator must be one of ${OPERATORS.join(', ')}`, row.id, 'operator');
    computed = { value: null, explanation: 'cannot compute: unknown operator' };
  } else {
    if (row.scoringRule !== undefined && !SCORING_RULES_BY_OPERATOR[row.operator].includes(row.scoringRule)) {
      add('scoring_rule_mismatch', `${label}: ${String(row.scoringRule)} does not score a ${row.operator} row; use ${SCORING_RULES_BY_OPERATOR[row.operator].join(' or ')}`, row.id, 'scoringRule');
    }
    computed = row.operator === 'qualitative' ? computeQualitative(row, result, rules, add) : computeQuantitative(row, result, rules, add);
  }

  // `computed` is what the rules give to 2 decimals; the score that counts is kept to scoreDecimals.
  result.computed = computed.value === null ? null : round2(computed.value);
  let raw = computed.value ?? 0;
  let explanation = computed.explanation;
  if (row.override) {
    const band = row.operator === 'qualitative' && result.finding ? bandOf(result.finding, points, rules) : undefined;
    const applied = applyOverride(row.override, { id: row.id, name: label, points, computed: result.computed, ...(band ? { band } : {}) }, add);
    if (applied) {
      result.override = { score: applied.score, reason: row.override.reason };
      raw = applied.score;
      explanation = `${explanation}; ${applied.text}`;
    }
  } else if (computed.value === null) {
    explanation = `${explanation}: 0 points`;
  }
  const exactScore = keep(raw);
  result.score = roundTo(raw, rules.scoreDecimals);
  result.explanation = `${explanation}${roundingNote(raw, rules.scoreDecimals)}`;
  return { ...result, exact: exactScore };
}
