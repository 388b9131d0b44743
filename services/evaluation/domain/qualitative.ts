/**
 * Scoring a qualitative row: the scorer's finding (met, partly, not met) sets a band of the
 * row's points, and the scorer picks the points inside it. Pure.
 */
import { interval, num, pts } from './explanations.ts';
import { EPS, isNumber } from './numbers.ts';
import { FINDINGS, type Finding, type ScoringRules } from './rules.ts';
import type { IndicatorRowInput } from './scoring-input.ts';
import type { AddIssue } from './scoring-issues.ts';
import type { Computed, RowResult } from './score-result.ts';

export interface Band {
  finding: Finding;
  /** In points of the row; min is always inside the band. */
  min: number;
  max: number;
  /** False when the upper edge belongs to the next band up (sharedEdge 'higher'; met always keeps 100 %). */
  maxIncluded: boolean;
  fromPercent: number;
  toPercent: number;
}

/** The band of a finding in points of a row. */
export function bandOf(finding: Finding, points: number, rules: Pick<ScoringRules, 'qualitativeBands'>): Band {
  const { metFrom, partlyFrom, sharedEdge } = rules.qualitativeBands;
  const [from, to] = finding === 'met' ? [metFrom, 100] : finding === 'partly' ? [partlyFrom, metFrom] : [0, partlyFrom];
  return { finding, min: (points * from) / 100, max: (points * to) / 100, maxIncluded: finding === 'met' || sharedEdge === 'both', fromPercent: from, toPercent: to };
}

export const inBand = (value: number, band: Band): boolean => value >= band.min - EPS && (band.maxIncluded ? value <= band.max + EPS : value < band.max - EPS);

/** A band in points: "[6.00, 8.00)". */
export const bandPoints = (b: Band) => interval(pts(b.min), pts(b.max), b.maxIncluded);

export function computeQualitative(row: IndicatorRowInput, result: RowResult, rules: ScoringRules, add: AddIssue): Computed {
  if (typeof row.target === 'string' && row.target.trim()) result.target = { text: row.target.trim() };
  if (typeof row.actual === 'string' && row.actual.trim()) result.actual = { text: row.actual.trim() };
  if (!(FINDINGS as readonly unknown[]).includes(row.finding)) {
    add('qualitative_finding_missing', `「${row.name}」 is qualitative and needs a finding (${FINDINGS.join(', ')})`, row.id, 'finding');
    return { value: null, explanation: 'cannot compute: no finding' };
  }
  const finding = row.finding as Finding;
  result.finding = finding;
  const band = bandOf(finding, result.points, rules);
  const bandText = `band ${interval(`${num(band.fromPercent)} %`, `${num(band.toPercent)} %`, band.maxIncluded)} = ${bandPoints(band)} of ${num(result.points)} points`;
  const lead = `finding ${finding.replace('_', ' ')} (${bandText})`;
  if (!isNumber(row.findingScore)) {
    add('qualitative_finding_missing', `「${row.name}」: the finding ${finding} needs the points picked inside its band ${bandPoints(band)}`, row.id, 'findingScore');
    return { value: null, explanation: `${lead}: no value picked` };
  }
  result.findingScore = row.findingScore;
  if (!inBand(row.findingScore, band)) {
    add('qualitative_outside_band', `「${row.name}」: ${num(row.findingScore)} is outside the ${finding} band ${bandPoints(band)} of ${num(result.points)} points`, row.id, 'findingScore');
    return { value: row.findingScore, explanation: `${lead}: scorer's value ${num(row.findingScore)} is outside the band` };
  }
  return { value: row.findingScore, explanation: `${lead}: scorer's value ${num(row.findingScore)}` };
}
