/**
 * Money units. Objects carry amounts in 万元 (the unit of the declaration forms); thresholds are
 * written in yuan (the unit of the policy texts). Comparing across the two must not be thrown
 * off by binary floating point (1.005 × 10000 = 10049.999999999998), so conversions round to fen.
 */
export const YUAN_PER_WAN = 10_000;

/** 万元 → yuan, rounded to the fen. */
export function wanToYuan(wan: number): number {
  return Math.round(wan * YUAN_PER_WAN * 100) / 100;
}

/** Total-amount units and their factor to 万元. Per-unit costs (元/亩, 元/人) are not amounts. */
const TO_WAN: Record<string, number> = { 元: 1 / YUAN_PER_WAN, 万元: 1, 亿元: YUAN_PER_WAN };

/** The value in 万元 when `unit` is a total-amount unit, else undefined. */
export function amountInWan(value: number, unit: string | undefined): number | undefined {
  const factor = unit === undefined ? undefined : TO_WAN[unit.trim()];
  return factor === undefined ? undefined : value * factor;
}
