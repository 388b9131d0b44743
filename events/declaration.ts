/**
 * Events of the declaration service: ex-ante assessments, submissions, review outcomes and
 * the approved target snapshot (the baseline monitoring and evaluation work from).
 */
import * as z from 'zod/mini';
import { eventDetail, RegionCodeSchema } from './envelope.ts';
import { BasisSchema, Level1Schema, Level2Schema, OperatorSchema, SpendingTypeSchema } from './vocabulary.ts';

const timestamp = z.iso.datetime({ offset: true });

export const ReviewGradeSchema = z.enum(['excellent', 'good', 'fair', 'poor']);
export const ExAnteConclusionSchema = z.enum(['support', 'support_after_adjustment', 'not_supported']);

/** Who owns a spending object and where it sits: enough for a consumer to file and scope it. */
export const ObjectRefSchema = z.object({
  id: z.string(),
  spendingType: SpendingTypeSchema,
  name: z.string(),
  fiscalYear: z.number().check(z.int()),
  region: RegionCodeSchema,
  department: z.string(),
  unit: z.string(),
  sector: z.string(),
  /** The previous year's object this one continues (as declared), so consumers can follow an object across years. */
  continues: z.optional(z.string()),
});

export const AmountsSchema = z.object({
  /** 万元 over the whole period (projects); equals the annual total for one-year objects. */
  mediumTermTotalWan: z.optional(z.number()),
  annualTotalWan: z.number(),
  fiscalWan: z.number(),
  otherWan: z.number(),
});

/** One indicator row of approved targets. */
export const TargetRowSchema = z.object({
  /** Stable within the object across target versions, so monitoring can follow a row. */
  rowId: z.string(),
  level1: Level1Schema,
  level2: Level2Schema,
  name: z.string(),
  operator: OperatorSchema,
  value: z.optional(z.union([z.number(), z.string()])),
  unit: z.optional(z.string()),
  basis: z.optional(BasisSchema),
  weight: z.optional(z.number()),
  explanation: z.optional(z.string()),
  /** Set when the row uses a library indicator. */
  indicatorId: z.optional(z.string()),
  indicatorRevision: z.optional(z.number()),
});

export const OverallGoalSchema = z.object({ mediumTerm: z.optional(z.string()), annual: z.string() });

/** A transfer payment's targets for one receiving region, under the upper region's overall target. */
export const RegionalTargetsSchema = z.object({
  region: RegionCodeSchema,
  amountWan: z.number(),
  overallGoal: OverallGoalSchema,
  rows: z.array(TargetRowSchema),
});

/** One review criterion as scored: 0-100, with the reviewer's comments on it. */
export const CriterionScoreSchema = z.object({ score: z.number(), comments: z.optional(z.string()) });

/** The four criteria of a target review (完整性, 相关性, 适当性, 可行性), each scored. */
export const ReviewCriteriaSchema = z.object({
  completeness: CriterionScoreSchema,
  relevance: CriterionScoreSchema,
  appropriateness: CriterionScoreSchema,
  feasibility: CriterionScoreSchema,
});

export const ReviewRecordSchema = z.object({
  stage: z.enum(['department', 'finance']),
  grade: ReviewGradeSchema,
  /** The four criteria as scored; absent on a review that gave only a grade. */
  criteria: z.optional(ReviewCriteriaSchema),
  /** Their weighted 0-100 score under the year's weights, which gave the grade. */
  score: z.optional(z.number()),
  comments: z.optional(z.string()),
  by: z.string(),
  at: timestamp,
});

/** The approved targets of one object at one version: the baseline for monitoring and evaluation. */
export const TargetSnapshotSchema = z.object({
  object: ObjectRefSchema,
  amounts: AmountsSchema,
  /** 1 at first approval, +1 per approved mid-year revision. */
  targetVersion: z.number().check(z.int(), z.positive()),
  overallGoal: OverallGoalSchema,
  rows: z.array(TargetRowSchema),
  regional: z.optional(z.array(RegionalTargetsSchema)),
  reviews: z.array(ReviewRecordSchema),
  /** The rule-parameter version the automatic check ran under. */
  rulesVersion: z.number().check(z.int(), z.nonnegative()),
  exAnte: z.optional(z.object({ total: z.number(), conclusion: ExAnteConclusionSchema, recommendedCeilingWan: z.number() })),
  resultsDecision: z.optional(
    z.object({
      decision: z.enum(['cut', 'keep']),
      reason: z.string(),
      previousGrade: ReviewGradeSchema,
      /** Orders of the continued object not rectified or rectified late when finance decided. */
      unrectified: z.optional(z.number()),
    }),
  ),
  approvedAt: timestamp,
  approvedBy: z.string(),
});

export const DeclarationSubmittedData = z.object({
  object: ObjectRefSchema,
  annualTotalWan: z.number(),
  rowCount: z.number().check(z.int(), z.nonnegative()),
  /** Warnings of the automatic check, for the reviewers. */
  warnings: z.array(z.object({ code: z.string(), row: z.optional(z.number()), message: z.string() })),
  /** The first submission is 1; each resubmission after a return adds one. */
  submission: z.number().check(z.int(), z.positive()),
  submittedAt: timestamp,
});
export const DeclarationSubmittedDetail = eventDetail(DeclarationSubmittedData);
export type DeclarationSubmitted = z.infer<typeof DeclarationSubmittedDetail>;

export const ExAnteAssessedData = z.object({
  object: ObjectRefSchema,
  scores: z.object({
    necessity: z.number(),
    economy: z.number(),
    targetReasonableness: z.number(),
    feasibility: z.number(),
    financingCompliance: z.number(),
  }),
  total: z.number(),
  computedConclusion: ExAnteConclusionSchema,
  conclusion: ExAnteConclusionSchema,
  override: z.optional(z.object({ conclusion: ExAnteConclusionSchema, reason: z.string() })),
  requestedAmountWan: z.number(),
  recommendedCeilingWan: z.number(),
  required: z.boolean(),
  assessedAt: timestamp,
  assessedBy: z.string(),
});
export const ExAnteAssessedDetail = eventDetail(ExAnteAssessedData);
export type ExAnteAssessed = z.infer<typeof ExAnteAssessedDetail>;

export const RejectionReasonSchema = z.object({
  /** A target-check finding code, `ex_ante_missing`, `ex_ante_not_supported`, `review_grade` or `results_gate`. */
  code: z.string(),
  message: z.string(),
  row: z.optional(z.number()),
  /** For transfer payments: the receiving region whose targets the finding is about. */
  region: z.optional(z.string()),
});

export const TargetRejectedData = z.object({
  object: ObjectRefSchema,
  /** Where it was stopped. */
  stage: z.enum(['check', 'department_review', 'finance_review', 'results_gate']),
  /** `returned`: the unit fixes and resubmits; `rejected`: the object cannot enter this year's budget. */
  outcome: z.enum(['returned', 'rejected']),
  reasons: z.array(RejectionReasonSchema).check(z.minLength(1)),
  grade: z.optional(ReviewGradeSchema),
  /** A review's weighted criteria score and its criteria, when the review was scored. */
  score: z.optional(z.number()),
  criteria: z.optional(ReviewCriteriaSchema),
  /** Set when a mid-year revision (not the object itself) was turned down; the approved targets stand. */
  revision: z.optional(z.number()),
  rejectedAt: timestamp,
});
export const TargetRejectedDetail = eventDetail(TargetRejectedData);
export type TargetRejected = z.infer<typeof TargetRejectedDetail>;

export const TargetApprovedData = z.object({ snapshot: TargetSnapshotSchema });
export const TargetApprovedDetail = eventDetail(TargetApprovedData);
export type TargetApproved = z.infer<typeof TargetApprovedDetail>;

export const TargetRevisedData = z.object({
  snapshot: TargetSnapshotSchema,
  previousTargetVersion: z.number().check(z.int(), z.positive()),
  reason: z.string(),
  /**
   * Set when the revision changed the money with the targets: the amounts before it (the new ones
   * are the snapshot's) and why; for a transfer payment also the receiving regions' shares before.
   */
  amountChange: z.optional(
    z.object({
      previousAmounts: AmountsSchema,
      previousReceivingRegions: z.optional(z.array(z.object({ region: RegionCodeSchema, amountWan: z.number() }))),
      reason: z.string(),
    }),
  ),
});
export const TargetRevisedDetail = eventDetail(TargetRevisedData);
export type TargetRevised = z.infer<typeof TargetRevisedDetail>;
