/** Events published by the indicators service (the "3+X" library). */
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

const timestamp = z.iso.datetime({ offset: true });

/**
 * A library indicator as other services and lower regions see it (event-carried state): the
 * full content of one published revision, enough to copy it into another table.
 */
export const PublishedIndicatorSchema = z.object({
  id: z.string(),
  /** The owner's optimistic-lock counter at publication. */
  version: z.number().check(z.int(), z.positive()),
  /** Content revision: 1 at first publication, +1 per revision. */
  revision: z.number().check(z.int(), z.positive()),
  code: z.optional(z.string()),
  name: z.string(),
  level1: Level1Schema,
  level2: Level2Schema,
  operator: OperatorSchema,
  unit: z.string(),
  basis: z.optional(BasisSchema),
  explanation: z.optional(z.string()),
  dataSource: z.optional(z.string()),
  scoringRule: z.optional(z.string()),
  scope: IndicatorScopeSchema,
  sector: z.optional(z.string()),
  /** The sector's label in the owning region, so a lower region can list the sector too. */
  sectorLabel: z.optional(z.string()),
  spendingTypes: z.array(SpendingTypeSchema),
  /** Owning region (the library it belongs to), which may differ from meta.region when re-published downward. */
  region: RegionCodeSchema,
  publishedAt: timestamp,
});

export const IndicatorPublishedData = z.object({ indicator: PublishedIndicatorSchema });
export const IndicatorPublishedDetail = eventDetail(IndicatorPublishedData);
export type IndicatorPublished = z.infer<typeof IndicatorPublishedDetail>;

export const IndicatorRevisedData = z.object({
  indicator: PublishedIndicatorSchema,
  previousRevision: z.number().check(z.int(), z.positive()),
  reason: z.string(),
});
export const IndicatorRevisedDetail = eventDetail(IndicatorRevisedData);
export type IndicatorRevised = z.infer<typeof IndicatorRevisedDetail>;

export const IndicatorRetiredData = z.object({
  indicator: z.object({ id: z.string(), revision: z.number(), code: z.optional(z.string()), name: z.string(), region: RegionCodeSchema }),
  reason: z.string(),
  retiredAt: timestamp,
});
export const IndicatorRetiredDetail = eventDetail(IndicatorRetiredData);
export type IndicatorRetired = z.infer<typeof IndicatorRetiredDetail>;

export const TemplateIndicatorRefSchema = z.object({
  id: z.string(),
  revision: z.number().check(z.int(), z.positive()),
  code: z.optional(z.string()),
  name: z.string(),
  level1: Level1Schema,
  level2: Level2Schema,
  scope: IndicatorScopeSchema,
});

export const PublishedTemplateSchema = z.object({
  id: z.string(),
  revision: z.number().check(z.int(), z.positive()),
  name: z.string(),
  spendingType: SpendingTypeSchema,
  sector: z.string(),
  fiscalYear: z.number().check(z.int()),
  description: z.optional(z.string()),
  region: RegionCodeSchema,
  indicators: z.array(TemplateIndicatorRefSchema),
  publishedAt: timestamp,
});

export const TemplatePublishedData = z.object({ template: PublishedTemplateSchema });
export const TemplatePublishedDetail = eventDetail(TemplatePublishedData);
export type TemplatePublished = z.infer<typeof TemplatePublishedDetail>;

export const TemplateRetiredData = z.object({
  template: z.object({ id: z.string(), revision: z.number(), name: z.string(), region: RegionCodeSchema, spendingType: SpendingTypeSchema, sector: z.string(), fiscalYear: z.number() }),
  reason: z.string(),
  retiredAt: timestamp,
});
export const TemplateRetiredDetail = eventDetail(TemplateRetiredData);
export type TemplateRetired = z.infer<typeof TemplateRetiredDetail>;

/**
 * Internal to the indicators service: one chunk (up to 100 rows) of a large import is queued;
 * the service's importer writes it. Published through the outbox so queuing and the job commit
 * together; nobody else subscribes.
 */
export const IndicatorImportChunkQueuedData = z.object({
  jobId: z.string(),
  chunk: z.number().check(z.int(), z.positive()),
  rows: z.number().check(z.int(), z.positive()),
});
export const IndicatorImportChunkQueuedDetail = eventDetail(IndicatorImportChunkQueuedData);
export type IndicatorImportChunkQueued = z.infer<typeof IndicatorImportChunkQueuedDetail>;
