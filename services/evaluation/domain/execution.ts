/**
 * Scoring budget execution: min(executed ÷ budget, 1) × the execution points, or an override
 * with a reason. Pure.
 */
import { num, pts, roundingNote } from './explanations.ts';
import { isNumber, round2, roundTo } from './numbers.ts';
import { applyOverride } from './overrides.ts';
import type { ScoringRules } from './rules.ts';
import type { ExecutionInput } from './scoring-input.ts';
import type { AddIssue } from './scoring-issues.ts';
import type { Computed, ExecutionResult } from './score-result.ts';

export function scoreExecution(input: ExecutionInput, rules: ScoringRules, add: AddIssue, keep: (n: number) => number): ExecutionResult & { exact: number } {
  let points = input.weight ?? rules.executionWeight;
  if (!isNumber(points) || points < 0 || points > 100) {
    add('weight_invalid', 'budget execution: the weight must be 0 to 100 points', 'execution', 'execution.weight');
    points = 0;
  }
  const { budget, executed } = input;
  let computed: Computed;
  let rate: number | null = null;
  if (!isNumber(budget) || budget <= 0) {
    add('budget_invalid', 'budget execution: the full-year budget must be a positive amount', 'execution', 'execution.budget');
    computed = { value: null, explanation: 'cannot compute: no positive full-year budget' };
  } else if (!isNumber(executed) || executed < 0) {
    add('budget_invalid', 'budget execution: the executed amount must be 0 or more', 'execution', 'execution.executed');
    computed = { value: null, explanation: 'cannot compute: no executed amount' };
  } else {
    rate = executed / budget;
    const lead = `executed ${num(executed)} of budget ${num(budget)} (${(rate * 100).toFixed(2)} %)`;
    computed =
      rate >= 1
        ? { value: points, explanation: `${lead}: rate capped at 100 %, full ${num(points)} points` }
        : { value: rate * points, explanation: `${lead}: min(${num(executed)} ÷ ${num(budget)}, 1) × ${num(points)} = ${pts(rate * points)}` };
  }
  const result: ExecutionResult = {
    budget,
    executed,
    rate: rate === null ? null : Number(rate.toFixed(6)),
    points,
    computed: computed.value === null ? null : round2(computed.value),
    score: 0,
    explanation: computed.explanation,
  };
  // `computed` is what the rules give to 2 decimals; the score that counts is kept to scoreDecimals.
  let raw = computed.value ?? 0;
  if (input.override) {
    const applied = applyOverride(input.override, { id: 'execution', name: 'budget execution', points, computed: result.computed }, add);
    if (applied) {
      result.override = { score: applied.score, reason: input.override.reason };
      raw = applied.score;
      result.explanation = `${result.explanation}; ${applied.text}`;
    }
  } else if (computed.value === null) {
    result.explanation = `${result.explanation}: 0 points`;
  }
  result.score = roundTo(raw, rules.scoreDecimals);
  result.explanation = `${result.explanation}${roundingNote(raw, rules.scoreDecimals)}`;
  return { ...result, exact: keep(raw) };
}
