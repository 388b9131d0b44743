/** How figures, points and intervals are written in the explanations of a score. Pure. */
import type { Figure } from './figures.ts';
import { round2 } from './numbers.ts';

/** A figure as people write it: no trailing zeros, at most 4 decimals. */
export const num = (n: number) => String(Number(n.toFixed(4)));
/** A computed score: always 2 decimals. */
export const pts = (n: number) => round2(n).toFixed(2);
export const withUnit = (f: Figure, value: number) => `${num(value)}${f.unit ?? ''}`;
/** "[6.00, 8.00)" — brackets say which ends are inside. */
export const interval = (min: string, max: string, maxIncluded: boolean) => `[${min}, ${max}${maxIncluded ? ']' : ')'}`;
