/** The arithmetic every score shares: rounding to 2 decimals and the tolerance of comparisons. Pure. */

/** Half away from zero at 2 decimals; toPrecision clears binary noise (8.005 × 100 = 800.4999…). */
export function round2(n: number): number {
  const r = Math.sign(n) * Math.round(Number((Math.abs(n) * 100).toPrecision(12))) / 100;
  return r === 0 ? 0 : r;
}
export const EPS = 1e-9;
export const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
