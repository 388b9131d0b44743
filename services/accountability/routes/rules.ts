/**
 * Routes of the accountability service's rules (`/v1/accountability/rules/{year}`): the versioned
 * rule parameters of a region and fiscal year (domain/rules.ts): the case triggers, rectification
 * and the assessment sheet.
 */
import * as z from 'zod/mini';
import { text } from '../../../shared/pure/fields.ts';
import { rulesRouteSpecs } from '../../../shared/http/rules-routes.ts';

const RulesInputSchema = z.strictObject({
  cases: z.strictObject({
    redWindowsUncorrected: z.number().check(z.int(), z.minimum(0), z.maximum(12)),
    poorGradeYears: z.number().check(z.int(), z.minimum(0), z.maximum(10)),
  }),
  rectification: z.strictObject({
    onRedDeviation: z.boolean(),
    onGrades: z.array(z.enum(['excellent', 'good', 'fair', 'poor'])).check(z.maxLength(4)),
    deadlineDays: z.number().check(z.int(), z.minimum(1), z.maximum(365)),
    escalateEveryDays: z.number().check(z.int(), z.minimum(1), z.maximum(90)),
  }),
  assessment: z.strictObject({
    indicators: z
      .array(z.strictObject({ code: z.string().check(z.maxLength(50)), name: text(100), weight: z.number(), source: z.enum(['computed', 'entered']) }))
      .check(z.minLength(1), z.maxLength(50)),
    gradeBounds: z.strictObject({ excellent: z.number(), good: z.number(), fair: z.number() }),
  }),
});

export const rulesRoutes = rulesRouteSpecs({ service: 'accountability', name: 'Accountability', noun: 'accountability rule parameters (case rules, rectification, assessment sheet)', input: RulesInputSchema });
