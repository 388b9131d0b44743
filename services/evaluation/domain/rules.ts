/**
 * The evaluation rule parameters of one region and fiscal year: the scoring rules (docs/domain.md
 * section 4), the finance review flag and the results application shares (application.ts), served
 * versioned at /v1/evaluation/rules/{year}. Every rule the scoring engine applies is read from here, never written into the engine: the items marked [P]
 * differ between provinces, and even the [R] ones are worded differently from place to place.
 * The defaults are only where a region starts; each says where it comes from. Pure.
 */
import { defaultApplicationRules, validateApplicationRules, type ApplicationRules } from './application.ts';

import type { FieldError } from '../../../shared/pure/field-error.ts';

/** A rule parameter (or a sheet) that breaks a rule: where, and why. */
export type RuleViolation = FieldError;

/** Evaluation grades: the codes stay fixed, the labels (优 / 良 / 中 / 差) are data. */
export const EVALUATION_GRADES = ['excellent', 'good', 'fair', 'poor'] as const;
export type Grade = (typeof EVALUATION_GRADES)[number];

/** The scorer's finding on a qualitative indicator. */
export const FINDINGS = ['met', 'partly', 'not_met'] as const;
export type Finding = (typeof FINDINGS)[number];

/** The parts of the key-evaluation frame 决策 / 过程 / 产出 / 效益 (satisfaction sits under benefit). */
export const KEY_FRAME_PARTS = ['decision', 'process', 'output', 'benefit'] as const;
export type KeyFramePart = (typeof KEY_FRAME_PARTS)[number];

/** Level-1 categories that carry points in a self-evaluation table, besides budget execution. */
export const WEIGHTED_CATEGORIES = ['output', 'cost', 'benefit', 'satisfaction'] as const;
export type WeightedCategory = (typeof WEIGHTED_CATEGORIES)[number];

/**
 * Inclusive lower bounds on the 0-100 total: total ≥ excellent → 优; good ≤ total < excellent → 良;
 * fair ≤ total < good → 中; below fair → 差. Grades are read from the total as rounded (to
 * scoreDecimals, 2 by default), so 89.995 rounds to 90.00 and is 优, and with whole points 89.5
 * rounds to 90 and is 优.
 */
export interface GradeCutoffs {
  excellent: number;
  good: number;
  fair: number;
}

/** Which band a value on a shared edge (8 of 10 points between met and partly) belongs to. */
export const SHARED_EDGES = ['higher', 'both'] as const;
export type SharedEdge = (typeof SHARED_EDGES)[number];

/**
 * Qualitative bands as percent of the row's points, by their lower edges. With sharedEdge
 * 'higher' each band includes its lower edge and not its upper one: met [metFrom, 100], partly
 * [partlyFrom, metFrom), not met [0, partlyFrom). With 'both' a band includes both ends and an
 * edge value fits either neighbour.
 */
export interface QualitativeBands {
  metFrom: number;
  partlyFrom: number;
  sharedEdge: SharedEdge;
}

/** How a negative (≤) row scores when the actual exceeds the target. */
export const NEGATIVE_VARIANTS = ['ratio', 'linear'] as const;
export type NegativeVariant = (typeof NEGATIVE_VARIANTS)[number];

/** How an exact (=) row scores when it is missed. */
export const EXACT_FALLBACKS = ['positive', 'deviation', 'none'] as const;
export type ExactFallback = (typeof EXACT_FALLBACKS)[number];

/** Where rounding to scoreDecimals happens. */
export const ROUNDINGS = ['row', 'total'] as const;
export type Rounding = (typeof ROUNDINGS)[number];

/** The precision scores are kept to: whole points (0), tenths (1) or hundredths (2). */
export const SCORE_DECIMALS = [0, 1, 2] as const;
export type ScoreDecimals = (typeof SCORE_DECIMALS)[number];

/** What a too-low target costs a ≥ row: in step with how far the actual exceeds the threshold, or a fixed share. */
export const TOO_LOW_TARGET_DEDUCTIONS = ['deviation', 'fixed'] as const;
export type TooLowTargetDeduction = (typeof TOO_LOW_TARGET_DEDUCTIONS)[number];

/**
 * 财预〔2020〕10号: a quantitative result far above its target is analysed, and where the target
 * was set clearly too low the score is reduced by the degree of deviation ("对于完成值高于指标值
 * 较多的，要分析原因，如果是由于年初指标值设定明显偏低造成的，要按照偏离度适度调减分值"; the
 * wording as the issue quotes 10号's 附件, not checked here against the printed text). Applied to
 * "≥" rows only (see the defaults for why not to "≤" or "=" rows).
 */
export interface TooLowTarget {
  /**
   * actual ÷ target at or above which a ≥ row's target counts as set too low (1.5: the actual is
   * at least 150 % of the target). null turns the rule off: full points however far the target
   * is exceeded, and no warning.
   */
  exceedRatio: number | null;
  /**
   * 'deviation': the row loses (actual ÷ target − exceedRatio) × its points, one percent of its
   * points per percentage point beyond the threshold, at most maxDeductionShare of them.
   * 'fixed': the row loses maxDeductionShare of its points.
   */
  deduction: TooLowTargetDeduction;
  /** Share (0..1) of the row's points: the most it loses ('deviation') or what it loses ('fixed'). 0 keeps only the warning. */
  maxDeductionShare: number;
}

/** What happens to the points of a row that does not apply. */
export const NOT_APPLICABLE_MODES = ['rescale', 'full_points'] as const;
export type NotApplicableMode = (typeof NOT_APPLICABLE_MODES)[number];

export interface ScoringRules {
  /** Administrative division code, e.g. 360000. */
  region: string;
  fiscalYear: number;
  /** Points of the budget execution row: min(executed ÷ full-year budget, 1) × executionWeight. An object may carry its own. */
  executionWeight: number;
  /** Points each level-1 category gets when a table is pre-filled; with executionWeight they sum to 100. */
  categoryWeights: Record<WeightedCategory, number>;
  /**
   * 'ratio': target ÷ actual × points. 'linear': points fall linearly from full at the target to 0
   * at 2 × target. A row whose library indicator names its own rule (inverse_ratio /
   * linear_to_double) uses that one instead.
   */
  negativeVariant: NegativeVariant;
  /**
   * 'positive': a missed "=" row scores as "≥" (actual ÷ target × points; above the target counts as met).
   * 'deviation': points × (1 − |actual − target| ÷ target), at least 0, missing in either direction costs.
   * 'none': all or nothing.
   */
  exactFallback: ExactFallback;
  /**
   * A met ≥ row whose actual reaches exceedRatio × its target is taken to have had its target set
   * too low: its score is reduced (财预〔2020〕10号) and a target_set_too_low warning names it. An
   * override with a reason still replaces the reduced score.
   */
  tooLowTarget: TooLowTarget;
  qualitativeBands: QualitativeBands;
  /**
   * 'row': each row score is rounded to scoreDecimals and the total is the sum of the rounded rows,
   * so the printed rows add up to the printed total. 'total': rows are summed unrounded and only
   * the total is rounded (the printed rows may then differ from the total by a few hundredths).
   */
  rounding: Rounding;
  /**
   * Decimal places of the row scores (execution included) and of the total: 0 whole points, 1
   * tenths, 2 hundredths. The computed score of a row (`computed`) stays at 2 decimals; the score
   * that counts is kept at this precision, and the total too.
   */
  scoreDecimals: ScoreDecimals;
  /**
   * 'rescale': not-applicable rows are dropped and the remaining maximum (execution points
   * included) is scaled to 100: total = subtotal × 100 ÷ remaining points.
   * 'full_points': a not-applicable row counts at its full points (the practice of some guides).
   */
  notApplicable: NotApplicableMode;
  /** Points by which the weights may miss 100 before the table is rejected. */
  weightTolerance: number;
  /** Points by which a published total may differ from the computed one before it is reported. */
  totalTolerance: number;
  gradeCutoffs: GradeCutoffs;
  /** Labels of the grades as the region prints them. */
  gradeLabels: Record<Grade, string>;
  keyFrame: {
    /** Minimum share (0..1) of the key-evaluation weight on output + benefit. */
    minOutputBenefitShare: number;
  };
}

/**
 * Defaults. Sources and choices:
 * - execution 10, output 50, benefit 30, satisfaction 10: docs/domain.md section 4 ([P]); cost 0 because
 *   older forms keep cost under output, and the 2021 guide did not move points with it.
 * - negative 'ratio': listed first in docs/domain.md and the library's default rule for "≤" (inverse_ratio).
 * - exact 'positive': docs/domain.md ("otherwise scored as positive").
 * - bands 80 / 60: docs/domain.md ([R]): met 80-100 %, partly 60-80 %, not met 0-60 %. Shared edges go
 *   to the higher band: docs/domain.md is silent, the published forms say so ("100-80%(含80%)、
 *   80-60%(含60%)、60-0%", 中江县 2022 项目支出绩效自评表 notes; the same wording with 80/50 in a
 *   2020 长江禁捕 self-evaluation form).
 * - too-low target: on, at 150 % (exceedRatio 1.5), by deviation, at most 20 % of the row's points
 *   (maxDeductionShare 0.2). The rule is 财预〔2020〕10号's (quoted at TooLowTarget); it gives no
 *   figures, so these are judgements: "较多" is read as half again the target or more (of the
 *   quantitative rows of the seven real tables in test/fixtures, only 施甸's 产值, 12767.36 of
 *   8000 = 160 %, reaches it; the next highest is 111 %), and "适度" as at most a fifth, so a far-exceeded row
 *   keeps at least 80 % of its points, the lower edge of a met qualitative row. Only "≥" rows:
 *   10号's "(或低于)…(或偏高)" would reach "≤" rows, but those are mostly things kept down
 *   (accidents, complaints, costs), where far below the ceiling is the aim and an actual of 0 has
 *   no ratio; and a missed "=" row already scores its deviation under exactFallback 'deviation'.
 * - rounding 'row': published tables print row scores and a total that adds them up.
 * - scoreDecimals 2: today's behaviour and the finest precision the forms print (普陀 prints 8.62);
 *   other forms print whole points (永德, 稷山) or tenths (施甸's 2.9, 7.3), and a region sets 0 or 1.
 * - not applicable 'rescale': docs/domain.md ("dropped and the total is rescaled to 100").
 * - tolerances 0.01: one hundredth, the precision of a printed score.
 * - grades 90 / 80 / 60: docs/domain.md; provinces on 80 / 70 / 60 set gradeCutoffs.
 * - key frame output + benefit ≥ 60 %: docs/domain.md.
 */
export function defaultScoringRules(region: string, fiscalYear: number): ScoringRules {
  return {
    region,
    fiscalYear,
    executionWeight: 10,
    categoryWeights: { output: 50, cost: 0, benefit: 30, satisfaction: 10 },
    negativeVariant: 'ratio',
    exactFallback: 'positive',
    tooLowTarget: { exceedRatio: 1.5, deduction: 'deviation', maxDeductionShare: 0.2 },
    qualitativeBands: { metFrom: 80, partlyFrom: 60, sharedEdge: 'higher' },
    rounding: 'row',
    scoreDecimals: 2,
    notApplicable: 'rescale',
    weightTolerance: 0.01,
    totalTolerance: 0.01,
    gradeCutoffs: { excellent: 90, good: 80, fair: 60 },
    gradeLabels: { excellent: '优', good: '良', fair: '中', poor: '差' },
    keyFrame: { minOutputBenefitShare: 0.6 },
  };
}

const isFiniteNumber = (n: unknown): n is number => typeof n === 'number' && Number.isFinite(n);
const oneOf = <T extends string>(values: readonly T[], v: unknown): v is T => typeof v === 'string' && (values as readonly string[]).includes(v);
const isPoints = (n: unknown): n is number => isFiniteNumber(n) && n >= 0 && n <= 100;

/** Rejects parameters that would make scoring meaningless; every violation names its field. */
export function validateScoringRules(rules: ScoringRules): RuleViolation[] {
  const violations: RuleViolation[] = [];
  const add = (field: string, message: string) => violations.push({ field, message });

  if (!/^\d{6}$/.test(rules.region)) add('region', 'must be a 6-digit administrative division code, e.g. 360000');
  if (!Number.isInteger(rules.fiscalYear) || rules.fiscalYear < 2000 || rules.fiscalYear > 2100) add('fiscalYear', 'must be a whole year between 2000 and 2100');

  // Weights: each 0..100, and together a 100-point table (the defaults a table is pre-filled with).
  if (!isPoints(rules.executionWeight)) add('executionWeight', 'must be 0 to 100 points');
  let weightsValid = isPoints(rules.executionWeight);
  let sum = isFiniteNumber(rules.executionWeight) ? rules.executionWeight : 0;
  for (const category of WEIGHTED_CATEGORIES) {
    const w = rules.categoryWeights?.[category];
    if (!isPoints(w)) {
      add(`categoryWeights.${category}`, 'must be 0 to 100 points');
      weightsValid = false;
    } else sum += w;
  }
  // An invalid tolerance is reported on its own field; the sum is then checked at the default.
  const tolerance = isFiniteNumber(rules.weightTolerance) && rules.weightTolerance >= 0 && rules.weightTolerance <= 1 ? rules.weightTolerance : 0.01;
  if (weightsValid && Math.abs(sum - 100) > tolerance + 1e-9) {
    add('categoryWeights', `with executionWeight must sum to 100 points; they sum to ${Number(sum.toFixed(4))}`);
  }

  if (!oneOf(NEGATIVE_VARIANTS, rules.negativeVariant)) add('negativeVariant', `must be one of ${NEGATIVE_VARIANTS.join(', ')}`);
  if (!oneOf(EXACT_FALLBACKS, rules.exactFallback)) add('exactFallback', `must be one of ${EXACT_FALLBACKS.join(', ')}`);
  if (!oneOf(ROUNDINGS, rules.rounding)) add('rounding', `must be one of ${ROUNDINGS.join(', ')}`);
  if (!(SCORE_DECIMALS as readonly unknown[]).includes(rules.scoreDecimals)) add('scoreDecimals', `must be one of ${SCORE_DECIMALS.join(', ')} (decimal places)`);
  if (!oneOf(NOT_APPLICABLE_MODES, rules.notApplicable)) add('notApplicable', `must be one of ${NOT_APPLICABLE_MODES.join(', ')}`);

  const { metFrom, partlyFrom } = rules.qualitativeBands ?? ({} as QualitativeBands);
  if (!isFiniteNumber(metFrom) || metFrom <= 0 || metFrom > 100) add('qualitativeBands.metFrom', 'must be a percent of the row points above 0 and at most 100');
  if (!isFiniteNumber(partlyFrom) || partlyFrom <= 0 || partlyFrom > 100) add('qualitativeBands.partlyFrom', 'must be a percent of the row points above 0 and at most 100');
  else if (isFiniteNumber(metFrom) && partlyFrom >= metFrom) {
    // Equal edges would make "partly" a single point and leave no room between the findings.
    add('qualitativeBands.partlyFrom', `must be below metFrom (${metFrom})`);
  }
  if (!oneOf(SHARED_EDGES, rules.qualitativeBands?.sharedEdge)) add('qualitativeBands.sharedEdge', `must be one of ${SHARED_EDGES.join(', ')}`);

  const tooLow = rules.tooLowTarget;
  const ratio = tooLow?.exceedRatio;
  // At or below 1 every met row would count as having a target set too low.
  if (ratio !== null && (!isFiniteNumber(ratio) || ratio <= 1 || ratio > 100)) add('tooLowTarget.exceedRatio', 'must be a ratio of actual to target above 1 and at most 100 (1.5 = 150 %), or null to turn the rule off');
  if (!oneOf(TOO_LOW_TARGET_DEDUCTIONS, tooLow?.deduction)) add('tooLowTarget.deduction', `must be one of ${TOO_LOW_TARGET_DEDUCTIONS.join(', ')}`);
  const share = tooLow?.maxDeductionShare;
  if (!isFiniteNumber(share) || share < 0 || share > 1) add('tooLowTarget.maxDeductionShare', "must be a share of the row's points between 0 and 1 (0.2 = 20 %)");

  for (const [field, value] of [['weightTolerance', rules.weightTolerance], ['totalTolerance', rules.totalTolerance]] as const) {
    if (!isFiniteNumber(value) || value < 0 || value > 1) add(field, 'must be 0 to 1 point');
  }

  const { excellent, good, fair } = rules.gradeCutoffs ?? ({} as GradeCutoffs);
  if (!isFiniteNumber(excellent) || excellent <= 0 || excellent > 100) add('gradeCutoffs.excellent', 'must be a score above 0 and at most 100');
  if (!isFiniteNumber(good) || good <= 0 || good > 100) add('gradeCutoffs.good', 'must be a score above 0 and at most 100');
  else if (isFiniteNumber(excellent) && good >= excellent) add('gradeCutoffs.good', `must be below the excellent cut-off (${excellent}), or 良 is unreachable`);
  if (!isFiniteNumber(fair) || fair <= 0 || fair > 100) add('gradeCutoffs.fair', 'must be a score above 0 and at most 100');
  else if (isFiniteNumber(good) && fair >= good) add('gradeCutoffs.fair', `must be below the good cut-off (${good}), or 中 is unreachable`);

  const labels = EVALUATION_GRADES.map((grade) => rules.gradeLabels?.[grade]);
  EVALUATION_GRADES.forEach((grade, i) => {
    if (typeof labels[i] !== 'string' || !labels[i]?.trim()) add(`gradeLabels.${grade}`, 'needs a label');
  });
  if (new Set(labels.map((l) => l?.trim())).size !== labels.length) add('gradeLabels', 'two grades share a label');

  const keyShare = rules.keyFrame?.minOutputBenefitShare;
  if (!isFiniteNumber(keyShare) || keyShare < 0 || keyShare > 1) add('keyFrame.minOutputBenefitShare', 'must be a share between 0 and 1 (0.6 = 60 % of the weight)');

  return violations;
}

// ---------- the evaluation parameters: scoring rules, review flag, results application ----------

export interface EvaluationRules extends ScoringRules {
  /** A finance review that differs from the self-evaluation by more than this many points is flagged. */
  reviewFlagPoints: number;
  /**
   * The review assistant's score_ahead_of_execution: the indicator score ratio may lead the
   * execution ratio by this many percentage points (domain/review-assistant.ts). Optional so that
   * parameters stored before it keep working; absent means the default, 5.
   */
  scoreAheadOfExecutionPoints?: number;
  application: ApplicationRules;
}

/** Defaults: the scoring defaults (above), a 5-point review flag (half a grade band), the application defaults. */
export function defaultEvaluationRules(region: string, fiscalYear: number): EvaluationRules {
  return { ...defaultScoringRules(region, fiscalYear), reviewFlagPoints: 5, scoreAheadOfExecutionPoints: 5, application: defaultApplicationRules() };
}

/**
 * A stored version as the current code reads it: a parameter added after the version was stored
 * takes its documented default (a version stored before `tooLowTarget` and `scoreDecimals`
 * existed gets the too-low-target rule at 150 % and hundredths; one stored before
 * `application.unrectified` gets the 10 % cut for unrectified orders), every stored value stays as
 * it was. `application` is completed field by field: its stored shares are kept.
 */
export function withDefaults(stored: Partial<EvaluationRules> & Pick<EvaluationRules, 'region' | 'fiscalYear'>): EvaluationRules {
  const defaults = defaultEvaluationRules(stored.region, stored.fiscalYear);
  return { ...defaults, ...stored, application: { ...defaults.application, ...stored.application } };
}

export function validateEvaluationRules(params: EvaluationRules): RuleViolation[] {
  const violations = validateScoringRules(params);
  if (typeof params.reviewFlagPoints !== 'number' || !Number.isFinite(params.reviewFlagPoints) || params.reviewFlagPoints < 0 || params.reviewFlagPoints > 100) {
    violations.push({ field: 'reviewFlagPoints', message: 'must be 0 to 100 points' });
  }
  const lead = params.scoreAheadOfExecutionPoints;
  if (lead !== undefined && (typeof lead !== 'number' || !Number.isFinite(lead) || lead < 0 || lead > 100)) {
    violations.push({ field: 'scoreAheadOfExecutionPoints', message: 'must be 0 to 100 percentage points' });
  }
  violations.push(...validateApplicationRules(params.application).map((v) => ({ field: `application.${v.field}`, message: v.message })));
  return violations;
}
