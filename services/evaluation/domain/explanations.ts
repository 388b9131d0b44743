/** How figures, points and intervals are written in the explanations of a score. Pure. */
import type { Figure } from './figures.ts';
import { round2, roundTo } from './numbers.ts';

/** A figure as people write it: no trailing zeros, at most 4 decimals. */
export const num = (n: number) => String(Number(n.toFixed(4)));
/** A computed score: always 2 decimals. */
export const pts = (n: number) => round2(n).toFixed(2);
/** A score at the precision it is kept to (rules.ts scoreDecimals): 16, 16.4, 16.40. */
export const ptsAt = (n: number, decimals: number) => roundTo(n, decimals).toFixed(decimals);
/** A precision in words: whole points, 1 decimal, 2 decimals. */
export const precisionName = (decimals: number) => (decimals === 0 ? 'whole points' : `${decimals} decimal${decimals === 1 ? '' : 's'}`);
/**
 * What a row's explanation adds when the score that counts is rounded to fewer than 2 decimals
 * and so differs from the figure the explanation ends on ("; rounded to whole points: 16"); empty
 * when rounding changes nothing shown.
 */
export const roundingNote = (raw: number, decimals: number) => (roundTo(raw, decimals) === round2(raw) ? '' : `; rounded to ${precisionName(decimals)}: ${ptsAt(raw, decimals)}`);
export const withUnit = (f: Figure, value: number) => `${num(value)}${f.unit ?? ''}`;
/** "[6.00, 8.00)" — brackets say which ends are inside. */
export const interval = (min: string, max: string, maxIncluded: boolean) => `[${min}, ${max}${maxIncluded ? ']' : ')'}`;
