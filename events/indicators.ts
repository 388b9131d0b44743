/** Events published by the indicators service. */
import * as z from 'zod/mini';
import { eventDetail, RegionCodeSchema } from './envelope.ts';
import {
  BasisSchema,
  IndicatorScopeSchema,
  Level1Schema,
  Level2Schema,
  OperatorSchema,
  SpendingTypeSchema,
} from './vocabulary.ts';

/** The published indicator as other services see it (event-carried state transfer). */
export const PublishedIndicatorSchema = z.object({
  id: z.string(),
  version: z.number().check(z.int(), z.positive()),
  name: z.string(),
  level1: Level1Schema,
  level2: Level2Schema,
  operator: OperatorSchema,
  unit: z.string(),
  basis: z.optional(BasisSchema),
  scope: IndicatorScopeSchema,
  spendingTypes: z.array(SpendingTypeSchema),
  region: RegionCodeSchema,
  publishedAt: z.iso.datetime({ offset: true }),
});

export const IndicatorPublishedData = z.object({ indicator: PublishedIndicatorSchema });
export const IndicatorPublishedDetail = eventDetail(IndicatorPublishedData);
export type IndicatorPublished = z.infer<typeof IndicatorPublishedDetail>;
