/** Routes of the declaration rules: the versioned rule parameters of a region and fiscal year (shared/http/rules-routes.ts). */
import * as z from 'zod/mini';
import { LEVEL1 } from '../../../events/vocabulary.ts';
import { text } from '../../../shared/pure/fields.ts';
import { rulesRouteSpecs } from '../../../shared/http/rules-routes.ts';

const ExAnteCutoffsSchema = z.strictObject({ support: z.number().check(z.minimum(0), z.maximum(100)), supportAfterAdjustment: z.number().check(z.minimum(0), z.maximum(100)) });
const GradeLabelsSchema = z.strictObject({ excellent: text(10), good: text(10), fair: text(10), poor: text(10) });

const yuan = () => z.number().check(z.minimum(0), z.maximum(1e13));

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
});

export const rulesRoutes = rulesRouteSpecs({ service: 'declaration', name: 'Declaration', noun: 'declaration rule parameters', input: RulesInputSchema });
