/**
 * Applying results (docs/domain.md section 2, "Application" [R]): from the grade, what next year's
 * budget should do — 优/良 priority support, 中 improve, 差 cut or cancel — with a proposed
 * adjustment; and, whatever the grade, a cut where the object's rectification orders (整改) were
 * not carried out or were carried out late (财预〔2020〕10号). The shares are parameters per region
 * and year. Pure.
 */
import { unrectified, type RectificationSummary } from '../../../shared/pure/rectification-status.ts';

export type Grade = 'excellent' | 'good' | 'fair' | 'poor';
export type Recommendation = 'priority' | 'maintain' | 'improve' | 'cut' | 'cancel';

export interface ApplicationRules {
  /** Per grade: the recommendation and the proposed change of next year's amount (-0.2 = 20 % less). */
  byGrade: Record<Grade, { recommendation: Recommendation; adjustment: number }>;
  /** A 差 this year after a 差 last year is cancelled rather than cut. */
  cancelAfterRepeatedPoor: boolean;
  /**
   * 财预〔2020〕10号: where the problems found are not rectified, or not properly, the budget is cut
   * accordingly ("相应调减预算"). When the object (or the object it continues) has an order past its
   * deadline and not closed, or one closed after its deadline, the recommendation is at least
   * 'cut' and the adjustment at most `adjustment` (the grade's own, if lower, stands). null turns
   * the rule off: the orders are still reported, the grade alone decides.
   */
  unrectified: { adjustment: number | null };
}

/**
 * Defaults: 优 priority (+0 %: priority in allocation, not an automatic increase), 良 maintain,
 * 中 improve with a 10 % cut, 差 cut by 30 %, and cancel when 差 repeats ("repeated failure to fix
 * → further cuts" [R]). Unrectified or late-rectified orders: cut by at least 10 % — a judgement:
 * 10号 says the budget is cut when rectification is not done but gives no figure; 10 % is the
 * smallest cut the grades already use (中), so an unrectified problem costs at least what a
 * middling result does. Regions set their own shares.
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
    unrectified: { adjustment: -0.1 },
  };
}

export interface Applied {
  recommendation: Recommendation;
  proposedAdjustment: number;
  proposedAmountWan: number;
  reason: string;
  /** The rectification orders the recommendation took into account. */
  rectification: RectificationSummary;
}

const LABEL: Record<Grade, string> = { excellent: '优', good: '良', fair: '中', poor: '差' };
/** From the mildest to the harshest. */
const SEVERITY: Record<Recommendation, number> = { priority: 0, maintain: 1, improve: 2, cut: 3, cancel: 4 };

const amountAfter = (currentAmountWan: number, adjustment: number) => Math.round(currentAmountWan * (1 + adjustment) * 1e6) / 1e6;
const percent = (share: number) => Math.round(Math.abs(share) * 100);

function byGrade(grade: Grade, previousGrade: Grade | undefined, rules: ApplicationRules): { recommendation: Recommendation; adjustment: number; reason: string } {
  if (grade === 'poor' && previousGrade === 'poor' && rules.cancelAfterRepeatedPoor) {
    return { recommendation: 'cancel', adjustment: -1, reason: `graded 差 two years running: cancel` };
  }
  const { recommendation, adjustment } = rules.byGrade[grade];
  const change = adjustment === 0 ? 'no change of amount' : `${adjustment > 0 ? '+' : ''}${Math.round(adjustment * 100)} %`;
  return { recommendation, adjustment, reason: `graded ${LABEL[grade]}: ${recommendation} (${change})` };
}

/** "2 rectification orders not rectified, 1 rectified late". */
function unrectifiedText(s: RectificationSummary): string {
  const orders = (n: number) => `${n} rectification order${n === 1 ? '' : 's'}`;
  const parts: string[] = [];
  if (s.overdue > 0) parts.push(`${orders(s.overdue)} not rectified`);
  if (s.closedLate > 0) parts.push(s.overdue > 0 ? `${s.closedLate} rectified late` : `${orders(s.closedLate)} rectified late`);
  return parts.join(', ');
}

/**
 * What next year's budget should do, from this year's grade, last year's (for a repeated 差) and
 * where the object's rectification orders stand (shared/pure/rectification-status.ts).
 */
export function applyGrade(grade: Grade, currentAmountWan: number, previousGrade: Grade | undefined, rules: ApplicationRules, rectification: RectificationSummary): Applied {
  const graded = byGrade(grade, previousGrade, rules);
  const cut = rules.unrectified?.adjustment ?? null;
  if (cut === null || unrectified(rectification) === 0) {
    return { recommendation: graded.recommendation, proposedAdjustment: graded.adjustment, proposedAmountWan: amountAfter(currentAmountWan, graded.adjustment), reason: graded.reason, rectification };
  }
  const recommendation = SEVERITY[graded.recommendation] >= SEVERITY.cut ? graded.recommendation : 'cut';
  const adjustment = Math.min(graded.adjustment, cut);
  const stands = adjustment < cut ? (graded.recommendation === 'cancel' ? ', the cancellation stands' : `, the grade's ${Math.round(graded.adjustment * 100)} % stands`) : '';
  return {
    recommendation,
    proposedAdjustment: adjustment,
    proposedAmountWan: amountAfter(currentAmountWan, adjustment),
    reason: `${graded.reason}; ${unrectifiedText(rectification)}: cut ${percent(cut)} %${stands}`,
    rectification,
  };
}

export function validateApplicationRules(rules: ApplicationRules): { field: string; message: string }[] {
  const violations: { field: string; message: string }[] = [];
  for (const grade of ['excellent', 'good', 'fair', 'poor'] as const) {
    const a = rules.byGrade[grade]?.adjustment;
    if (typeof a !== 'number' || !Number.isFinite(a) || a < -1 || a > 1) violations.push({ field: `byGrade.${grade}.adjustment`, message: 'must be a share between -1 (cancel) and 1 (+100 %)' });
  }
  const cut = rules.unrectified?.adjustment;
  if (cut !== null && (typeof cut !== 'number' || !Number.isFinite(cut) || cut < -1 || cut >= 0)) {
    violations.push({ field: 'unrectified.adjustment', message: 'must be a cut between -1 (cancel) and 0 (-0.1 = 10 % less), or null to turn the rule off' });
  }
  return violations;
}
