/**
 * Applying results (docs/domain.md section 2, "Application" [R]): from the grade, what next year's
 * budget should do — 优/良 priority support, 中 improve, 差 cut or cancel — with a proposed
 * adjustment. The shares are parameters per region and year. Pure.
 */
export type Grade = 'excellent' | 'good' | 'fair' | 'poor';
export type Recommendation = 'priority' | 'maintain' | 'improve' | 'cut' | 'cancel';

export interface ApplicationRules {
  /** Per grade: the recommendation and the proposed change of next year's amount (-0.2 = 20 % less). */
  byGrade: Record<Grade, { recommendation: Recommendation; adjustment: number }>;
  /** A 差 this year after a 差 last year is cancelled rather than cut. */
  cancelAfterRepeatedPoor: boolean;
}

/**
 * Defaults: 优 priority (+0 %: priority in allocation, not an automatic increase), 良 maintain,
 * 中 improve with a 10 % cut, 差 cut by 30 %, and cancel when 差 repeats ("repeated failure to fix
 * → further cuts" [R]). Regions set their own shares.
 */
export function defaultApplicationRules(): ApplicationRules {
  return {
    byGrade: {
      excellent: { recommendation: 'priority', adjustment: 0 },
      good: { recommendation: 'maintain', adjustment: 0 },
      fair: { recommendation: 'improve', adjustment: -0.1 },
      poor: { recommendation: 'cut', adjustment: -0.3 },
    },
    cancelAfterRepeatedPoor: true,
  };
}

export interface Applied {
  recommendation: Recommendation;
  proposedAdjustment: number;
  proposedAmountWan: number;
  reason: string;
}

const LABEL: Record<Grade, string> = { excellent: '优', good: '良', fair: '中', poor: '差' };

export function applyGrade(grade: Grade, currentAmountWan: number, previousGrade: Grade | undefined, rules: ApplicationRules): Applied {
  if (grade === 'poor' && previousGrade === 'poor' && rules.cancelAfterRepeatedPoor) {
    return { recommendation: 'cancel', proposedAdjustment: -1, proposedAmountWan: 0, reason: `graded 差 two years running: cancel` };
  }
  const { recommendation, adjustment } = rules.byGrade[grade];
  const proposedAmountWan = Math.round(currentAmountWan * (1 + adjustment) * 1e6) / 1e6;
  const change = adjustment === 0 ? 'no change of amount' : `${adjustment > 0 ? '+' : ''}${Math.round(adjustment * 100)} %`;
  return { recommendation, proposedAdjustment: adjustment, proposedAmountWan, reason: `graded ${LABEL[grade]}: ${recommendation} (${change})` };
}

export function validateApplicationRules(rules: ApplicationRules): { field: string; message: string }[] {
  const violations: { field: string; message: string }[] = [];
  for (const grade of ['excellent', 'good', 'fair', 'poor'] as const) {
    const a = rules.byGrade[grade]?.adjustment;
    if (typeof a !== 'number' || !Number.isFinite(a) || a < -1 || a > 1) violations.push({ field: `byGrade.${grade}.adjustment`, message: 'must be a share between -1 (cancel) and 1 (+100 %)' });
  }
  return violations;
}
