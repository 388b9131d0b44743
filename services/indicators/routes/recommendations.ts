/** Routes of recommendations: the indicators a spending object should use, each with why. */
import * as z from 'zod/mini';
import { Level1Schema, SpendingTypeSchema } from '../../../events/vocabulary.ts';
import { fiscalYear } from '../../../shared/pure/fields.ts';
import { defineRoute } from '../../../shared/http/route.ts';
import { SectorCodeSchema } from '../domain/draft-schema.ts';
import { IndicatorSchema } from './indicators.ts';

const readers = ['unit', 'department', 'finance', 'supervisor'] as const;
const tag = 'indicators';

export const RecommendationRequestSchema = z.strictObject({
  spendingType: SpendingTypeSchema,
  sector: SectorCodeSchema,
  description: z.string().check(z.trim(), z.maxLength(2000)),
  fiscalYear: z.optional(fiscalYear()),
  limit: z.optional(z.number().check(z.int(), z.minimum(1), z.maximum(50))),
});

export const RecommendationSchema = z.object({
  indicator: IndicatorSchema,
  source: z.enum(['template', 'match']),
  score: z.number(),
  why: z.string(),
});

export const RecommendationResponseSchema = z.object({
  template: z.optional(z.object({ id: z.string(), name: z.string(), fiscalYear: z.number(), revision: z.number() })),
  recommendations: z.array(RecommendationSchema),
  /** Level-1 categories the recommendation covers (common indicators should cover all four). */
  coverage: z.array(Level1Schema),
});

export const recommendationRoutes = {
  recommend: defineRoute({
    operationId: 'recommendIndicators',
    tag,
    method: 'POST',
    path: '/v1/indicators/recommendations',
    summary: 'Recommend indicators for a spending object: its 3+X template plus the best-matching individual indicators, each with why',
    auth: 'jwt',
    roles: readers,
    body: RecommendationRequestSchema,
    response: { status: 200, description: 'Recommendations', schema: RecommendationResponseSchema },
  }),
};
