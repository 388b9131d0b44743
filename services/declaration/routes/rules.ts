/** Routes of the declaration rules: the versioned rule parameters of a region and fiscal year (shared/http/rules-routes.ts). */
import * as z from 'zod/mini';
import { LEVEL1 } from '../../../events/vocabulary.ts';
import { text } from '../../../shared/pure/fields.ts';
import { rulesRouteSpecs } from '../../../shared/http/rules-routes.ts';

const ExAnteCutoffsSchema = z.strictObject({ support: z.number().check(z.minimum(0), z.maximum(100)), supportAfterAdjustment: z.number().check(z.minimum(0), z.maximum(100)) });
const GradeLabelsSchema = z.strictObject({ excellent: text(10), good: text(10), fair: text(10), poor: text(10) });

const yuan = () => z.number().check(z.minimum(0), z.maximum(1e13));
const points = () => z.number().check(z.minimum(0), z.maximum(100));

const ReviewCriteriaRulesSchema = z.strictObject({
  /** Points of 完整性, 相关性, 适当性, 可行性 in the 0-100 review score; they add up to 100. */
  weights: z.strictObject({ completeness: points(), relevance: points(), appropriateness: points(), feasibility: points() }),
  /** Inclusive lower bounds of 优, 良, 中 on the weighted score; 差 below. */
  gradeCutoffs: z.strictObject({ excellent: points(), good: points(), fair: points() }),
  /** Whether a review must score the four criteria (otherwise a grade alone is taken, recorded unscored). */
  scoresRequired: z.boolean(),
});

export const RulesInputSchema = z.strictObject({
  /** Per spending type: a new object at or above this annual amount (yuan) is major and needs an ex-ante assessment. Department overall spending never does. */
  exAnteMajorThresholdYuan: z.strictObject({ project: yuan(), transfer_payment: yuan() }),
  exAnteRenewalThresholdYuan: yuan(),
  exAnteCutoffs: ExAnteCutoffsSchema,
  requiredLevel1: z.array(z.enum(LEVEL1)).check(z.maxLength(4)),
  costRequired: z.boolean(),
  minQuantitativeShare: z.number().check(z.minimum(0), z.maximum(1)),
  weightsRequired: z.boolean(),
  reservedWeight: z.number().check(z.minimum(0), z.maximum(99)),
  farBelowHistoryFactor: z.number().check(z.minimum(0), z.maximum(1)),
  gradeLabels: GradeLabelsSchema,
  reviewCriteria: ReviewCriteriaRulesSchema,
  /** Orders of the continued object not rectified or rectified late need the results decision too. */
  resultsGate: z.strictObject({ unrectifiedNeedsDecision: z.boolean() }),
  /** Flag a library output whose money per unit is more than maxDeviationRatio × its historical value, with this severity. */
  moneyMatch: z.strictObject({ maxDeviationRatio: z.number().check(z.minimum(1), z.maximum(1e6)), severity: z.enum(['warning', 'error']) }),
});

export const rulesRoutes = rulesRouteSpecs({ service: 'declaration', name: 'Declaration', noun: 'declaration rule parameters', input: RulesInputSchema });
