/**
 * The People's Congress rating of a key evaluation report (人大对重点绩效评价报告的满意度测评),
 * published by the evaluation service; the accountability service shows it in the People's
 * Congress report.
 *
 * The scale is the three levels the people's congresses use in their 满意度测评:
 * `satisfied` 满意, `basically_satisfied` 基本满意, `dissatisfied` 不满意 (comments are required
 * with `dissatisfied`). One rating per rater (the token's `sub`) and evaluation: a later
 * rating by the same rater replaces the earlier one, so consumers keep, per rater, the rating
 * with the latest `ratedAt`.
 */
import * as z from 'zod/mini';
import { eventDetail } from './envelope.ts';
import { EvaluationCompletedData, GradeSchema } from './evaluation.ts';

export const SATISFACTION_LEVELS = ['satisfied', 'basically_satisfied', 'dissatisfied'] as const;
export const SatisfactionSchema = z.enum(SATISFACTION_LEVELS);
export type Satisfaction = z.infer<typeof SatisfactionSchema>;
/** The levels as the forms print them. */
export const SATISFACTION_LABELS: Readonly<Record<Satisfaction, string>> = { satisfied: '满意', basically_satisfied: '基本满意', dissatisfied: '不满意' };

/** The parts of the key-evaluation frame a remark may address, as printed. */
export const ASPECT_LABELS = { decision: '决策', process: '过程', output: '产出', benefit: '效益' } as const;
export type Aspect = keyof typeof ASPECT_LABELS;

/** Remarks on the parts of the key-evaluation frame (决策 / 过程 / 产出 / 效益), each optional. */
export const AspectRemarksSchema = z.object({
  decision: z.optional(z.string()),
  process: z.optional(z.string()),
  output: z.optional(z.string()),
  benefit: z.optional(z.string()),
});

/** A rating as the API shows it (the key evaluation, the People's Congress report): with the level's printed label. */
export const ShownRatingSchema = z.object({
  satisfaction: SatisfactionSchema,
  /** 满意 / 基本满意 / 不满意. */
  satisfactionLabel: z.string(),
  comments: z.optional(z.string()),
  remarks: z.optional(AspectRemarksSchema),
  /** The rater's token `sub`. */
  ratedBy: z.string(),
  ratedAt: z.string(),
});

export const KeyEvaluationRatedData = z.object({
  /** The key evaluation (`key_…`) rated. */
  evaluationId: z.string(),
  object: EvaluationCompletedData.shape.object,
  /** The evaluation's total, grade and completion, as in its EvaluationCompleted (kind key). */
  totalScore: z.number(),
  grade: GradeSchema,
  evaluatedAt: z.iso.datetime({ offset: true }),
  satisfaction: SatisfactionSchema,
  /** Why; always present with `dissatisfied`. */
  comments: z.optional(z.string()),
  remarks: z.optional(AspectRemarksSchema),
  /** The rater: the `sub` of a supervisor token of the People's Congress (supervisoryBody congress). */
  ratedBy: z.string(),
  ratedAt: z.iso.datetime({ offset: true }),
});
export const KeyEvaluationRatedDetail = eventDetail(KeyEvaluationRatedData);
export type KeyEvaluationRated = z.infer<typeof KeyEvaluationRatedDetail>;
