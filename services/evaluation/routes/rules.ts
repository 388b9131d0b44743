/** Routes of the rules area: the evaluation parameters (rule parameters) of a region and fiscal year, versioned. */
import * as z from 'zod/mini';
import { text } from '../../../shared/pure/fields.ts';
import { rulesRouteSpecs } from '../../../shared/http/rules-routes.ts';
import { TOO_LOW_TARGET_DEDUCTIONS } from '../domain/rules.ts';
import { points } from './self-evaluations.ts';

const ParamsInputSchema = z.strictObject({
  executionWeight: points,
  categoryWeights: z.strictObject({ output: points, cost: points, benefit: points, satisfaction: points }),
  negativeVariant: z.enum(['ratio', 'linear']),
  exactFallback: z.enum(['positive', 'deviation', 'none']),
  /** 财预〔2020〕10号: a met ≥ row at or above exceedRatio × its target (null: off) loses part of its points, by deviation or a fixed share, at most maxDeductionShare. */
  tooLowTarget: z.strictObject({
    exceedRatio: z.nullable(z.number().check(z.gt(1), z.maximum(100))),
    deduction: z.enum(TOO_LOW_TARGET_DEDUCTIONS),
    maxDeductionShare: z.number().check(z.minimum(0), z.maximum(1)),
  }),
  qualitativeBands: z.strictObject({ metFrom: points, partlyFrom: points, sharedEdge: z.enum(['higher', 'both']) }),
  rounding: z.enum(['row', 'total']),
  /** Decimal places of row scores and the total: 0 whole points, 1 tenths, 2 hundredths. */
  scoreDecimals: z.number().check(z.int(), z.minimum(0), z.maximum(2)),
  notApplicable: z.enum(['rescale', 'full_points']),
  weightTolerance: z.number().check(z.minimum(0), z.maximum(5)),
  totalTolerance: z.number().check(z.minimum(0), z.maximum(5)),
  gradeCutoffs: z.strictObject({ excellent: points, good: points, fair: points }),
  gradeLabels: z.strictObject({ excellent: text(10), good: text(10), fair: text(10), poor: text(10) }),
  keyFrame: z.strictObject({ minOutputBenefitShare: z.number().check(z.minimum(0), z.maximum(1)) }),
  reviewFlagPoints: points,
  scoreAheadOfExecutionPoints: z.optional(points),
  application: z.strictObject({
    byGrade: z.strictObject(
      Object.fromEntries(
        (['excellent', 'good', 'fair', 'poor'] as const).map((g) => [g, z.strictObject({ recommendation: z.enum(['priority', 'maintain', 'improve', 'cut', 'cancel']), adjustment: z.number().check(z.minimum(-1), z.maximum(1)) })]),
      ) as Record<'excellent' | 'good' | 'fair' | 'poor', z.ZodMiniObject<{ recommendation: z.ZodMiniEnum<{ priority: 'priority'; maintain: 'maintain'; improve: 'improve'; cut: 'cut'; cancel: 'cancel' }>; adjustment: z.ZodMiniNumber<number> }>>,
    ),
    cancelAfterRepeatedPoor: z.boolean(),
    /** 财预〔2020〕10号: orders not rectified or rectified late make the recommendation at least a cut of this share (-0.1 = 10 % less); null: off. */
    unrectified: z.strictObject({ adjustment: z.nullable(z.number().check(z.minimum(-1), z.lt(0))) }),
  }),
});

export const rulesRoutes = rulesRouteSpecs({ service: 'evaluation', name: 'Evaluation', noun: 'evaluation parameters', input: ParamsInputSchema });
