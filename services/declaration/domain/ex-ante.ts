/**
 * Ex-ante performance assessment 事前绩效评估 (docs/domain.md section 2): which objects need one
 * (new major projects and transfer payments, renewals), five dimensions scored 0-20, a 0-100
 * total, a conclusion from the region-year cut-offs, an optional finance override, and a
 * recommended budget ceiling. Pure: the caller records who and when.
 */
import type { SpendingType } from '../../../events/vocabulary.ts';
import { wanToYuan } from './amounts.ts';
import { EX_ANTE_SPENDING_TYPES, type DeclarationRules, type ExAnteCutoffs, type ExAnteSpendingType, type RuleViolation } from './rules.ts';

export const EX_ANTE_DIMENSIONS = ['necessity', 'economy', 'targetReasonableness', 'feasibility', 'financingCompliance'] as const;
export type ExAnteDimension = (typeof EX_ANTE_DIMENSIONS)[number];
export type ExAnteScores = Record<ExAnteDimension, number>;

export const DIMENSION_MAX = 20;

export const EX_ANTE_CONCLUSIONS = ['support', 'support_after_adjustment', 'not_supported'] as const;
export type ExAnteConclusion = (typeof EX_ANTE_CONCLUSIONS)[number];

/** Finance may depart from the score, but only on the record. */
export interface ExAnteOverride {
  conclusion: ExAnteConclusion;
  reason: string;
}

export interface ExAnteInput {
  scores: ExAnteScores;
  /** What the unit asks for this year, 万元. */
  requestedAmountWan: number;
  /** What the assessor recommends as this year's ceiling, 万元. */
  recommendedCeilingWan: number;
  override?: ExAnteOverride;
}

export interface ExAnteAssessment {
  scores: ExAnteScores;
  total: number;
  /** What the cut-offs say. */
  computedConclusion: ExAnteConclusion;
  /** What counts: the override's conclusion when there is one, else the computed one. */
  conclusion: ExAnteConclusion;
  override?: ExAnteOverride;
  requestedAmountWan: number;
  recommendedCeilingWan: number;
}

export type ExAnteResult = { ok: true; assessment: ExAnteAssessment } | { ok: false; violations: RuleViolation[] };

/** Sum of the five scores; rounded to 0.01 so that 18.1 + 17.2 + … compares exactly with a cut-off. */
export function totalScore(scores: ExAnteScores): number {
  const sum = EX_ANTE_DIMENSIONS.reduce((acc, d) => acc + scores[d], 0);
  return Math.round(sum * 100) / 100;
}

/** Cut-offs are inclusive lower bounds. */
export function conclusionFor(total: number, cutoffs: ExAnteCutoffs): ExAnteConclusion {
  if (total >= cutoffs.support) return 'support';
  if (total >= cutoffs.supportAfterAdjustment) return 'support_after_adjustment';
  return 'not_supported';
}

export function checkExAnte(input: ExAnteInput): RuleViolation[] {
  const violations: RuleViolation[] = [];
  for (const d of EX_ANTE_DIMENSIONS) {
    const score = input.scores[d];
    if (typeof score !== 'number' || !Number.isFinite(score) || score < 0 || score > DIMENSION_MAX) {
      violations.push({ field: `scores.${d}`, message: `must be a score between 0 and ${DIMENSION_MAX}` });
    }
  }
  if (!Number.isFinite(input.requestedAmountWan) || input.requestedAmountWan < 0) {
    violations.push({ field: 'requestedAmountWan', message: 'must be an amount in 万元, 0 or more' });
  }
  const ceiling = input.recommendedCeilingWan;
  if (!Number.isFinite(ceiling) || ceiling < 0) {
    violations.push({ field: 'recommendedCeilingWan', message: 'must be an amount in 万元, 0 or more' });
  } else if (!input.override && ceiling > input.requestedAmountWan) {
    // Recommending more than was asked for is a finance decision, so it needs an override.
    violations.push({
      field: 'recommendedCeilingWan',
      message: `exceeds the requested ${input.requestedAmountWan} 万元; lower it, or have finance override with a reason`,
    });
  }
  if (input.override) {
    if (!(EX_ANTE_CONCLUSIONS as readonly string[]).includes(input.override.conclusion)) {
      violations.push({ field: 'override.conclusion', message: `must be one of ${EX_ANTE_CONCLUSIONS.join(', ')}` });
    }
    if (!input.override.reason?.trim()) {
      violations.push({ field: 'override.reason', message: 'an override needs the reason finance departs from the score' });
    }
  }
  return violations;
}

export function assessExAnte(input: ExAnteInput, rules: DeclarationRules): ExAnteResult {
  const violations = checkExAnte(input);
  if (violations.length > 0) return { ok: false, violations };
  const total = totalScore(input.scores);
  const computedConclusion = conclusionFor(total, rules.exAnteCutoffs);
  const override = input.override ? { conclusion: input.override.conclusion, reason: input.override.reason.trim() } : undefined;
  return {
    ok: true,
    assessment: {
      scores: { ...input.scores },
      total,
      computedConclusion,
      conclusion: override?.conclusion ?? computedConclusion,
      ...(override ? { override } : {}),
      requestedAmountWan: input.requestedAmountWan,
      recommendedCeilingWan: input.recommendedCeilingWan,
    },
  };
}

/** What decides whether an object needs an ex-ante assessment. */
export interface ExAnteSubject {
  spendingType: SpendingType;
  /** New objects, or continuing ones already in the library. */
  status: 'new' | 'continuing';
  /** A continuing object whose period ends and which is proposed for another period. */
  proposedForRenewal: boolean;
  /** This year's total, 万元. */
  annualAmountWan: number;
}

export interface ExAnteRequirement {
  required: boolean;
  reason: string;
}

const TYPE_NAMES: Record<SpendingType, string> = { project: 'project', transfer_payment: 'transfer payment', department_overall: 'department overall spending' };

const isExAnteType = (type: SpendingType): type is ExAnteSpendingType => (EX_ANTE_SPENDING_TYPES as readonly string[]).includes(type);

/**
 * Ex-ante assessment is for new major policies and projects (docs/domain.md section 2): a new
 * project or transfer payment at or above its type's major-object threshold, and a continuing
 * one proposed for renewal at or above the renewal threshold. Department overall spending never
 * needs one. Amounts compare in yuan, rounded to the fen (amounts.ts).
 */
export function exAnteRequired(subject: ExAnteSubject, rules: DeclarationRules): ExAnteRequirement {
  const type = subject.spendingType;
  if (!isExAnteType(type)) return { required: false, reason: `${TYPE_NAMES[type]} is not a new policy or project: no ex-ante assessment` };
  const amountYuan = wanToYuan(subject.annualAmountWan);
  if (subject.status === 'new') {
    const threshold = rules.exAnteMajorThresholdYuan[type];
    return amountYuan >= threshold
      ? { required: true, reason: `a new ${TYPE_NAMES[type]} of ${amountYuan} yuan a year reaches the major-object threshold of ${threshold} yuan` }
      : { required: false, reason: `a new ${TYPE_NAMES[type]} of ${amountYuan} yuan a year is below the major-object threshold of ${threshold} yuan` };
  }
  if (!subject.proposedForRenewal) return { required: false, reason: 'continuing object within its approved period' };
  return amountYuan >= rules.exAnteRenewalThresholdYuan
    ? { required: true, reason: `renewal of ${amountYuan} yuan reaches the threshold of ${rules.exAnteRenewalThresholdYuan} yuan` }
    : { required: false, reason: `renewal of ${amountYuan} yuan is below the threshold of ${rules.exAnteRenewalThresholdYuan} yuan` };
}
