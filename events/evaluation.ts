/**
 * Events of the evaluation service: a self-evaluation submitted, an evaluation completed (self,
 * finance review or key; consumed by the indicator history and the declaration results gate),
 * and the budget adjustment its grade recommends.
 */
import * as z from 'zod/mini';
import { eventDetail, RegionCodeSchema } from './envelope.ts';
import { Level1Schema, Level2Schema, OperatorSchema, SpendingTypeSchema } from './vocabulary.ts';

export const GradeSchema = z.enum(['excellent', 'good', 'fair', 'poor']);

export const IndicatorResultSchema = z.object({
  /** Set when the target row used a library indicator. */
  indicatorId: z.optional(z.string()),
  indicatorRevision: z.optional(z.number()),
  name: z.string(),
  level1: Level1Schema,
  level2: Level2Schema,
  operator: OperatorSchema,
  unit: z.optional(z.string()),
  target: z.optional(z.union([z.number(), z.string()])),
  actual: z.optional(z.union([z.number(), z.string()])),
  weight: z.number(),
  score: z.number(),
});

export const EVALUATION_KINDS = ['self', 'finance_review', 'key'] as const;
export type EvaluationKind = (typeof EVALUATION_KINDS)[number];
/**
 * Precedence of the evaluation kinds within a year: the one that counts is a key evaluation over
 * finance's review over the unit's self-evaluation. Every consumer that keeps "the evaluation that
 * counts" orders by this (then by completion time), so redeliveries and late arrivals agree.
 */
export const EVALUATION_KIND_RANK: Record<EvaluationKind, number> = { self: 0, finance_review: 1, key: 2 };

export const EvaluationCompletedData = z.object({
  evaluationId: z.string(),
  kind: z.enum(EVALUATION_KINDS),
  object: z.object({
    id: z.string(),
    type: SpendingTypeSchema,
    name: z.string(),
    fiscalYear: z.number().check(z.int()),
    region: RegionCodeSchema,
    department: z.string(),
    unit: z.string(),
    /** The previous year's object this one continues, when the declaration named it. */
    continues: z.optional(z.string()),
  }),
  totalScore: z.number(),
  grade: GradeSchema,
  indicatorResults: z.array(IndicatorResultSchema),
  completedAt: z.iso.datetime({ offset: true }),
});
export const EvaluationCompletedDetail = eventDetail(EvaluationCompletedData);
export type EvaluationCompleted = z.infer<typeof EvaluationCompletedDetail>;

export const EvaluationSubmittedData = z.object({
  evaluationId: z.string(),
  object: EvaluationCompletedData.shape.object,
  totalScore: z.number(),
  grade: GradeSchema,
  /** Rows whose computed score the unit overrode (each with its reason). */
  overrides: z.number().check(z.int(), z.nonnegative()),
  submittedAt: z.iso.datetime({ offset: true }),
  submittedBy: z.string(),
});
export const EvaluationSubmittedDetail = eventDetail(EvaluationSubmittedData);
export type EvaluationSubmitted = z.infer<typeof EvaluationSubmittedDetail>;

/** What the grade means for next year's budget (docs/domain.md section 2, "Application"). */
export const BudgetAdjustmentRecommendedData = z.object({
  evaluationId: z.string(),
  kind: z.enum(EVALUATION_KINDS),
  object: EvaluationCompletedData.shape.object,
  grade: GradeSchema,
  totalScore: z.number(),
  recommendation: z.enum(['priority', 'maintain', 'improve', 'cut', 'cancel']),
  /** Proposed change of next year's amount, as a share (-0.2 = 20 % less). */
  proposedAdjustment: z.number(),
  /** This year's amount and the proposal for next year, 万元. */
  currentAmountWan: z.number(),
  proposedAmountWan: z.number(),
  reason: z.string(),
  /**
   * The rectification orders (整改) about the object and the object it continues, as evaluation
   * knew them when the evaluation completed (from accountability's events; orders made before
   * evaluation took those events are not known): open within the deadline, overdue (not
   * rectified), closed on time, closed late. Overdue and closed late make the recommendation at
   * least a cut (财预〔2020〕10号). Absent from events published before it existed.
   */
  rectification: z.optional(
    z.object({
      orders: z.number().check(z.int(), z.nonnegative()),
      open: z.number().check(z.int(), z.nonnegative()),
      overdue: z.number().check(z.int(), z.nonnegative()),
      closedOnTime: z.number().check(z.int(), z.nonnegative()),
      closedLate: z.number().check(z.int(), z.nonnegative()),
    }),
  ),
  recommendedAt: z.iso.datetime({ offset: true }),
});
export const BudgetAdjustmentRecommendedDetail = eventDetail(BudgetAdjustmentRecommendedData);
export type BudgetAdjustmentRecommended = z.infer<typeof BudgetAdjustmentRecommendedDetail>;
