/**
 * The declaration rule parameters of one region and fiscal year (docs/domain.md sections 2-4, the
 * items marked [P]). They are data finance edits, not code: the defaults below are only the
 * starting point a region gets before it writes its own, and each says where it comes from.
 * Pure: no AWS, no clock.
 */
import { LEVEL1, type Level1, type SpendingType } from '../../../events/vocabulary.ts';

import type { FieldError } from '../../../shared/pure/field-error.ts';

/** A value a rule refuses: the field it is in (relative to what was checked) and why. */
export type RuleViolation = FieldError;

/** Target review grades (docs/domain.md section 2, [R]): the codes stay fixed, the labels are data. */
export const REVIEW_GRADES = ['excellent', 'good', 'fair', 'poor'] as const;
export type ReviewGrade = (typeof REVIEW_GRADES)[number];

/**
 * What a target review examines (docs/domain.md section 2, [R]): 完整性 completeness, 相关性
 * relevance, 适当性 appropriateness (including whether the targets match the money), 可行性
 * feasibility. The codes stay fixed; the labels are the texts' own words.
 */
export const REVIEW_CRITERIA = ['completeness', 'relevance', 'appropriateness', 'feasibility'] as const;
export type ReviewCriterion = (typeof REVIEW_CRITERIA)[number];
export const REVIEW_CRITERION_LABELS: Record<ReviewCriterion, string> = { completeness: '完整性', relevance: '相关性', appropriateness: '适当性', feasibility: '可行性' };

/** How a target review is scored: each criterion 0-100, weighted into one 0-100 score that gives the grade. */
export interface ReviewCriteriaRules {
  /** Share of each criterion in the review score, in points; they add up to 100. */
  weights: Record<ReviewCriterion, number>;
  /** Inclusive lower bounds on the weighted score: 优 from `excellent`, 良 from `good`, 中 from `fair`, 差 below. */
  gradeCutoffs: { excellent: number; good: number; fair: number };
  /**
   * Whether a review must score the four criteria. When false, a review that sends only a grade
   * (a client from before the criteria) is still taken and recorded as unscored.
   */
  scoresRequired: boolean;
}

/**
 * "Matched to the money" against history: an output quantity from the library whose past
 * evaluations show how much of it a 万元 bought is flagged when this object's money per unit
 * of that output is more than `maxDeviationRatio` times the historical money per unit.
 */
export interface MoneyMatchRules {
  maxDeviationRatio: number;
  severity: 'warning' | 'error';
}

/**
 * Score cut-offs of the ex-ante conclusion, inclusive lower bounds on the 0-100 total:
 * total ≥ support → 予以支持; supportAfterAdjustment ≤ total < support → 调整后支持;
 * below → 不予支持.
 */
export interface ExAnteCutoffs {
  support: number;
  supportAfterAdjustment: number;
}

/**
 * The spending types ex-ante assessment applies to: the national text asks it of new major
 * policies and projects (中发〔2018〕34号), so projects and transfer payments (which carry
 * policies down to the regions below). Department overall spending (部门整体支出) is a unit's
 * running budget for one year, not a new policy or project, and never needs one.
 */
export const EX_ANTE_SPENDING_TYPES = ['project', 'transfer_payment'] as const satisfies readonly SpendingType[];
export type ExAnteSpendingType = (typeof EX_ANTE_SPENDING_TYPES)[number];

/** Per spending type, the annual amount in yuan from which a new object is major (重大) and needs an ex-ante assessment. */
export type ExAnteMajorThresholds = Record<ExAnteSpendingType, number>;

export interface DeclarationRules {
  /** Administrative division code, e.g. 360000. */
  region: string;
  fiscalYear: number;
  /**
   * New objects are major, and need an ex-ante assessment, at or above this annual amount of
   * their spending type, in yuan; smaller new objects need none, and department overall spending
   * none at all (see EX_ANTE_SPENDING_TYPES).
   */
  exAnteMajorThresholdYuan: ExAnteMajorThresholds;
  /**
   * Continuing objects proposed for renewal need an ex-ante assessment at or above this
   * annual amount, in yuan (objects carry 万元; see ex-ante.ts for the conversion).
   */
  exAnteRenewalThresholdYuan: number;
  exAnteCutoffs: ExAnteCutoffs;
  /** Level-1 categories every target must have. Cost is governed by `costRequired` instead. */
  requiredLevel1: Level1[];
  /** Whether the year's rules make cost (成本指标) a required category as well. */
  costRequired: boolean;
  /** Minimum share (0..1) of indicator rows that are quantitative (operator other than qualitative). */
  minQuantitativeShare: number;
  /** Whether every row must carry a weight at declaration time. */
  weightsRequired: boolean;
  /**
   * Points kept outside the target rows (some regions score budget execution separately
   * with 10 points); row weights must sum to 100 − reservedWeight.
   */
  reservedWeight: number;
  /**
   * A positive (≥) target below this factor × the indicator's historical median achieved value
   * is flagged as set too low.
   */
  farBelowHistoryFactor: number;
  /** Labels of the review grades as the region prints them. */
  gradeLabels: Record<ReviewGrade, string>;
  /** Scores of the four review criteria and the grade they give. */
  reviewCriteria: ReviewCriteriaRules;
  /** Money per unit of a library output against its historical value. */
  moneyMatch: MoneyMatchRules;
  /**
   * The results gate: besides a 差 grade, orders of the continued object not rectified (overdue)
   * or rectified late need finance's results decision before approval (财预〔2020〕10号: not
   * rectifying reaches the budget).
   */
  resultsGate: { unrectifiedNeedsDecision: boolean };
}

/**
 * Defaults. Sources and choices:
 * - major-object threshold 5,000,000 yuan (500 万元) a year for new projects and new transfer
 *   payments. The rule that only new *major* policies and projects get an ex-ante assessment is
 *   national (中发〔2018〕34号: "对新出台重大政策、项目开展事前绩效评估"); the amount that makes
 *   one major is set by each province and lower at city and county level. 500 万元 is the
 *   provincial-level figure of the provincial 事前绩效评估 rules the issue cites (e.g. Jiangxi,
 *   Hubei), not checked here against their text: it is a judgement, and a city or county lowers
 *   it. It matches the volume a province reports (docs/domain.md section 6: 100-400 assessments a
 *   year against 3,000-8,000 projects). Transfer payments take the project figure, also a
 *   judgement: no separate figure for them was found.
 * - renewal threshold 10,000,000 yuan: the highest of the values seen (1, 5, 10 million); regions lower it.
 * - cut-offs 75 / 60: DOMAIN only fixes "不予支持 < 60"; 75 splits the 60-100 range so that
 *   "support" means no dimension is seriously weak (five dimensions at 15/20 each).
 * - output, benefit, satisfaction required; cost off: the 2021 guide made cost level 1, but it
 *   is required only where the year's rules say so, and many units still declare without it.
 * - quantitative share 0.5: "quantitative indicators preferred"; half is the common reading.
 * - weights not required: DOMAIN section 3 gives a weight "at evaluation time"; the real
 *   declaration tables carry none. Regions that want weights up front switch it on.
 * - reserved weight 0: the issue states weights sum to 100.
 * - history factor 0.8: a positive target under 80 % of what was already achieved is suspect.
 * - grades 优 / 良 / 中 / 差 ([R]).
 * - review criteria 完整性 / 相关性 / 适当性 / 可行性 ([R]: the 审核内容 of the target review in the
 *   national target-management rules, 中央部门预算绩效目标管理办法 财预〔2015〕88号, which
 *   财预〔2021〕101号 builds on, and the provincial 绩效目标审核 rules). The texts name the
 *   criteria and the four grades but give them no points: equal weights of 25 each are a
 *   judgement, and so are the cut-offs 90 / 80 / 60, taken from the 100-point grade bands of
 *   project evaluation (财预〔2020〕10号: 90-100 优, 80-90 良, 60-80 中, below 60 差) so that a
 *   review grade and an evaluation grade read alike. Scores are not yet required (a review with
 *   only a grade is taken, marked unscored) so that clients written before the criteria keep
 *   working; a region that has moved its clients on switches `scoresRequired` on.
 * - money match: flag when the money per unit of a library output is more than 2 times its
 *   historical value, as a warning. A judgement: prices differ between places and years by far
 *   less than double, so twice the historical cost is a question for the reviewer, not yet proof
 *   of a mismatch (the 5 亿元 for 100 trainees is a thousand times over); a region that
 *   trusts its history makes it an error.
 * - results gate on unrectified orders: on. 财预〔2020〕10号 has the budget cut where problems found
 *   are not rectified (or rectified badly); here that reaches the next year's money through the
 *   gate: finance must decide (cut, cancel, or keep with a reason) before approving an object that
 *   continues one with orders overdue or closed late. A region switches it off.
 */
export function defaultRules(region: string, fiscalYear: number): DeclarationRules {
  return {
    region,
    fiscalYear,
    exAnteMajorThresholdYuan: { project: 5_000_000, transfer_payment: 5_000_000 },
    exAnteRenewalThresholdYuan: 10_000_000,
    exAnteCutoffs: { support: 75, supportAfterAdjustment: 60 },
    requiredLevel1: ['output', 'benefit', 'satisfaction'],
    costRequired: false,
    minQuantitativeShare: 0.5,
    weightsRequired: false,
    reservedWeight: 0,
    farBelowHistoryFactor: 0.8,
    gradeLabels: { excellent: '优', good: '良', fair: '中', poor: '差' },
    reviewCriteria: {
      weights: { completeness: 25, relevance: 25, appropriateness: 25, feasibility: 25 },
      gradeCutoffs: { excellent: 90, good: 80, fair: 60 },
      scoresRequired: false,
    },
    moneyMatch: { maxDeviationRatio: 2, severity: 'warning' },
    resultsGate: { unrectifiedNeedsDecision: true },
  };
}

/**
 * A stored version as the current code reads it: a parameter added after the version was stored
 * takes its documented default (a version stored before `exAnteMajorThresholdYuan` existed gets
 * the default thresholds; one stored before `reviewCriteria`, `moneyMatch` or `resultsGate`
 * the default weights, cut-offs, ratio and gate), every stored value stays as it was.
 */
export function withDefaults(stored: Partial<DeclarationRules> & Pick<DeclarationRules, 'region' | 'fiscalYear'>): DeclarationRules {
  return { ...defaultRules(stored.region, stored.fiscalYear), ...stored };
}

const isFiniteNumber = (n: unknown): n is number => typeof n === 'number' && Number.isFinite(n);

/** Rejects parameters that would make the checks meaningless; every violation names its field. */
export function validateRules(rules: DeclarationRules): RuleViolation[] {
  const violations: RuleViolation[] = [];
  const add = (field: string, message: string) => violations.push({ field, message });

  if (!/^\d{6}$/.test(rules.region)) add('region', 'must be a 6-digit administrative division code, e.g. 360000');
  if (!Number.isInteger(rules.fiscalYear) || rules.fiscalYear < 2000 || rules.fiscalYear > 2100) {
    add('fiscalYear', 'must be a whole year between 2000 and 2100');
  }
  for (const type of EX_ANTE_SPENDING_TYPES) {
    const threshold = rules.exAnteMajorThresholdYuan?.[type];
    if (!isFiniteNumber(threshold) || threshold < 0) add(`exAnteMajorThresholdYuan.${type}`, 'must be an amount in yuan, 0 or more (0: every new one needs an ex-ante assessment)');
  }
  if (!isFiniteNumber(rules.exAnteRenewalThresholdYuan) || rules.exAnteRenewalThresholdYuan < 0) {
    add('exAnteRenewalThresholdYuan', 'must be an amount in yuan, 0 or more');
  }

  const { support, supportAfterAdjustment } = rules.exAnteCutoffs;
  if (!isFiniteNumber(support) || support < 0 || support > 100) add('exAnteCutoffs.support', 'must be a score between 0 and 100');
  if (!isFiniteNumber(supportAfterAdjustment) || supportAfterAdjustment < 0 || supportAfterAdjustment > 100) {
    add('exAnteCutoffs.supportAfterAdjustment', 'must be a score between 0 and 100');
  } else if (isFiniteNumber(support) && supportAfterAdjustment >= support) {
    // Equal cut-offs would leave "support after adjustment" unreachable.
    add('exAnteCutoffs.supportAfterAdjustment', `must be below the support cut-off (${support})`);
  }

  const seen = new Set<string>();
  rules.requiredLevel1.forEach((category, i) => {
    if (!(LEVEL1 as readonly string[]).includes(category)) add(`requiredLevel1[${i}]`, `${category} is not a level-1 category; use ${LEVEL1.join(', ')}`);
    else if (category === 'cost') add(`requiredLevel1[${i}]`, 'cost is required through costRequired, not this list');
    else if (seen.has(category)) add(`requiredLevel1[${i}]`, `lists ${category} twice`);
    seen.add(category);
  });

  if (!isFiniteNumber(rules.minQuantitativeShare) || rules.minQuantitativeShare < 0 || rules.minQuantitativeShare > 1) {
    add('minQuantitativeShare', 'must be a share between 0 and 1 (0.5 = half the rows)');
  }
  if (!isFiniteNumber(rules.reservedWeight) || rules.reservedWeight < 0 || rules.reservedWeight >= 100) {
    add('reservedWeight', 'must be 0 or more and below 100 points');
  }
  if (!isFiniteNumber(rules.farBelowHistoryFactor) || rules.farBelowHistoryFactor <= 0 || rules.farBelowHistoryFactor > 1) {
    add('farBelowHistoryFactor', 'must be above 0 and at most 1 (0.8 = flag targets under 80 % of the historical median)');
  }

  const labels = REVIEW_GRADES.map((grade) => rules.gradeLabels[grade]);
  REVIEW_GRADES.forEach((grade, i) => {
    if (!labels[i]?.trim()) add(`gradeLabels.${grade}`, 'needs a label');
  });
  if (new Set(labels.map((l) => l?.trim())).size !== labels.length) add('gradeLabels', 'two grades share a label');

  violations.push(...reviewCriteriaViolations(rules.reviewCriteria));
  const { maxDeviationRatio, severity } = rules.moneyMatch;
  if (!isFiniteNumber(maxDeviationRatio) || maxDeviationRatio < 1) {
    add('moneyMatch.maxDeviationRatio', 'must be 1 or more (2 = flag money per unit of output above twice its historical value)');
  }
  if (severity !== 'warning' && severity !== 'error') add('moneyMatch.severity', 'must be warning or error');
  if (typeof rules.resultsGate?.unrectifiedNeedsDecision !== 'boolean') add('resultsGate.unrectifiedNeedsDecision', 'must be true or false');
  return violations;
}

function reviewCriteriaViolations({ weights, gradeCutoffs }: ReviewCriteriaRules): RuleViolation[] {
  const violations: RuleViolation[] = [];
  const add = (field: string, message: string) => violations.push({ field, message });
  let sum = 0;
  for (const criterion of REVIEW_CRITERIA) {
    const weight = weights[criterion];
    if (!isFiniteNumber(weight) || weight < 0) add(`reviewCriteria.weights.${criterion}`, 'must be points, 0 or more');
    else sum += weight;
  }
  if (violations.length === 0 && Math.abs(sum - 100) > 1e-6) add('reviewCriteria.weights', `add up to ${Math.round(sum * 100) / 100}; they must add up to 100`);
  const order = ['excellent', 'good', 'fair'] as const;
  order.forEach((grade, i) => {
    const cutoff = gradeCutoffs[grade];
    const above = i > 0 ? gradeCutoffs[order[i - 1] as (typeof order)[number]] : undefined;
    if (!isFiniteNumber(cutoff) || cutoff < 0 || cutoff > 100) add(`reviewCriteria.gradeCutoffs.${grade}`, 'must be a score between 0 and 100');
    else if (isFiniteNumber(above) && cutoff >= above) add(`reviewCriteria.gradeCutoffs.${grade}`, `must be below the ${order[i - 1]} cut-off (${above})`);
  });
  return violations;
}

/** The level-1 categories a target must contain under these rules. */
export function requiredCategories(rules: DeclarationRules): Level1[] {
  return rules.costRequired ? [...rules.requiredLevel1, 'cost'] : [...rules.requiredLevel1];
}
