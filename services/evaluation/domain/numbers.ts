/** The arithmetic every score shares: rounding to a number of decimals and the tolerance of comparisons. Pure. */

/**
 * Half away from zero at `decimals` places (0, 1 or 2 for scores); toPrecision clears binary
 * noise (8.005 × 100 = 800.4999…, 16.45 × 10 = 164.49999…).
 */
export function roundTo(n: number, decimals: number): number {
  const scale = 10 ** decimals;
  const r = (Math.sign(n) * Math.round(Number((Math.abs(n) * scale).toPrecision(12)))) / scale;
  return r === 0 ? 0 : r;
}

/** Half away from zero at 2 decimals, the finest precision a score is shown with. */
export const round2 = (n: number): number => roundTo(n, 2);

export const EPS = 1e-9;
export const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
