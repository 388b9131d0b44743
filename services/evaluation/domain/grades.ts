/** Grades from a total: the region's cut-offs, and why a total got its grade. Pure. */
import { num, pts } from './explanations.ts';
import { round2 } from './numbers.ts';
import type { Grade, ScoringRules } from './rules.ts';

export function gradeFor(total: number, rules: Pick<ScoringRules, 'gradeCutoffs'>): Grade {
  const t = round2(total);
  if (t >= rules.gradeCutoffs.excellent) return 'excellent';
  if (t >= rules.gradeCutoffs.good) return 'good';
  if (t >= rules.gradeCutoffs.fair) return 'fair';
  return 'poor';
}

/** "88.50 < 90": the comparison with the cut-offs that gives the grade. */
export function gradeReason(total: number, grade: Grade, rules: Pick<ScoringRules, 'gradeCutoffs'>): string {
  const { excellent, good, fair } = rules.gradeCutoffs;
  const t = pts(total);
  if (grade === 'excellent') return `${t} ≥ ${num(excellent)}`;
  if (grade === 'good') return `${num(good)} ≤ ${t} < ${num(excellent)}`;
  if (grade === 'fair') return `${num(fair)} ≤ ${t} < ${num(good)}`;
  return `${t} < ${num(fair)}`;
}
