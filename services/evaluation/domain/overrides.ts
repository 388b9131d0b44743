/**
 * An evaluator's override of a computed score: allowed within the row's bounds (and a
 * qualitative row's band) and only with a reason; shown as such in the explanation. Pure.
 */
import { num } from './explanations.ts';
import { EPS, isNumber } from './numbers.ts';
import { bandPoints, inBand, type Band } from './qualitative.ts';
import type { Override } from './scoring-input.ts';
import type { AddIssue } from './scoring-issues.ts';

/** Checks an override and returns the score it sets (undefined when it cannot be applied at all). */
export function applyOverride(
  override: Override,
  ctx: { id: string; name: string; points: number; computed: number | null; band?: Band },
  add: AddIssue,
): { score: number; text: string } | undefined {
  if (!isNumber(override.score)) {
    add('override_out_of_bounds', `${ctx.name}: the override must be a number of points`, ctx.id, 'override.score');
    return undefined;
  }
  const s = override.score;
  const reason = typeof override.reason === 'string' ? override.reason.trim() : '';
  if (!reason) add('override_without_reason', `${ctx.name}: an override of the computed score needs a reason`, ctx.id, 'override.reason');
  if (s > ctx.points + EPS) add('score_above_weight', `${ctx.name}: the score ${num(s)} is above the row's ${num(ctx.points)} points`, ctx.id, 'override.score');
  else if (s < -EPS) add('override_out_of_bounds', `${ctx.name}: the override ${num(s)} is below 0`, ctx.id, 'override.score');
  else if (ctx.band && !inBand(s, ctx.band)) {
    add('override_out_of_bounds', `${ctx.name}: the override ${num(s)} is outside the ${ctx.band.finding} band ${bandPoints(ctx.band)}`, ctx.id, 'override.score');
  }
  const from = ctx.computed === null ? 'no computed score' : num(ctx.computed);
  return { score: s, text: `overridden from ${from} to ${num(s)}${reason ? `: ${reason}` : ' without a reason'}` };
}
