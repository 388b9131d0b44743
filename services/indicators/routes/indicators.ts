/** Routes of the indicators themselves: drafts, publication, revisions, retirement, audit, achieved values, export. */
import * as z from 'zod/mini';
import { RegionCodeSchema } from '../../../events/envelope.ts';
import { IndicatorScopeSchema, Level1Schema, Level2Schema, SpendingTypeSchema } from '../../../events/vocabulary.ts';
import { fiscalYearParam, prefixedId, text } from '../../../shared/pure/fields.ts';
import { defineRoute } from '../../../shared/http/route.ts';
import { listQuery, pageOf } from '../../../shared/http/schemas.ts';
import { IndicatorChangesSchema, IndicatorDraftSchema, indicatorContentShape, SectorCodeSchema } from '../domain/draft-schema.ts';

const readers = ['unit', 'department', 'finance', 'supervisor'] as const;
const tag = 'indicators';
const reason = text(500);

export const IndicatorSchema = z.object({
  ...IndicatorDraftSchema.shape,
  sectorLabel: z.optional(z.string()),
  id: z.string(),
  version: z.number(),
  revision: z.number(),
  status: z.enum(['draft', 'published', 'retired']),
  region: RegionCodeSchema,
  inherited: z.optional(z.boolean()),
  createdAt: z.string(),
  createdBy: z.string(),
  updatedAt: z.string(),
  publishedAt: z.optional(z.string()),
  publishedBy: z.optional(z.string()),
  revisedAt: z.optional(z.string()),
  revisedBy: z.optional(z.string()),
  revisionReason: z.optional(z.string()),
  retiredAt: z.optional(z.string()),
  retiredBy: z.optional(z.string()),
  retirementReason: z.optional(z.string()),
});

export const IndicatorRevisionSchema = z.object({
  ...indicatorContentShape,
  id: z.string(),
  revision: z.number(),
  code: z.optional(z.string()),
  region: RegionCodeSchema,
  publishedAt: z.string(),
  publishedBy: z.string(),
  reason: z.optional(z.string()),
});

export const IndicatorIdParams = z.strictObject({ id: prefixedId('ind', 'an indicator id') });
/** A revision number in a path. */
export const RevisionParam = z.coerce.number().check(z.int('must be a whole number'), z.minimum(1));

export const AuditEntrySchema = z.object({
  at: z.string(),
  action: z.string(),
  actor: z.object({ sub: z.string(), role: z.string(), region: z.string() }),
  fromStatus: z.optional(z.string()),
  toStatus: z.string(),
  version: z.number(),
  reason: z.optional(z.string()),
});

export const HistoryEntrySchema = z.object({
  fiscalYear: z.number(),
  region: z.string(),
  objectId: z.string(),
  objectName: z.string(),
  indicatorRevision: z.optional(z.number()),
  unit: z.optional(z.string()),
  target: z.optional(z.union([z.number(), z.string()])),
  actual: z.optional(z.union([z.number(), z.string()])),
  score: z.number(),
  weight: z.number(),
  grade: z.string(),
  evaluationKind: z.string(),
  recordedAt: z.string(),
});

export const HistorySummarySchema = z.object({
  fiscalYear: z.number(),
  observations: z.number(),
  /** Numeric actual values only. */
  min: z.optional(z.number()),
  median: z.optional(z.number()),
  max: z.optional(z.number()),
});

export const IndicatorListQuery = z.strictObject({
  ...listQuery.shape,
  level1: z.optional(Level1Schema),
  level2: z.optional(Level2Schema),
  scope: z.optional(IndicatorScopeSchema),
  sector: z.optional(SectorCodeSchema),
  spendingType: z.optional(SpendingTypeSchema),
  status: z.optional(z.enum(['draft', 'published', 'retired'])),
  region: z.optional(RegionCodeSchema),
  text: z.optional(text(50)),
});

export const indicatorRoutes = {
  createIndicator: defineRoute({
    operationId: 'createIndicator',
    tag,
    method: 'POST',
    path: '/v1/indicators',
    summary: 'Create a draft indicator in the library',
    auth: 'jwt',
    roles: ['finance'],
    body: IndicatorDraftSchema,
    idempotent: true,
    response: { status: 201, description: 'The draft; ETag header for later updates', schema: IndicatorSchema },
    problems: [409],
  }),
  listIndicators: defineRoute({
    operationId: 'listIndicators',
    tag,
    method: 'GET',
    path: '/v1/indicators',
    summary: 'List the library visible to the caller (own region and its ancestors), newest first, with filters',
    auth: 'jwt',
    roles: readers,
    query: IndicatorListQuery,
    response: { status: 200, description: 'One page', schema: pageOf(IndicatorSchema) },
  }),
  exportIndicators: defineRoute({
    operationId: 'exportIndicators',
    tag,
    method: 'GET',
    path: '/v1/indicators/export',
    summary: 'Export the visible library (filters as for the list) as CSV (UTF-8 with BOM) or JSON',
    auth: 'jwt',
    roles: readers,
    query: z.strictObject({ ...IndicatorListQuery.shape, format: z.optional(z.enum(['csv', 'json'])) }),
    response: { status: 200, description: 'text/csv or application/json' },
    problems: [413],
  }),
  getIndicator: defineRoute({
    operationId: 'getIndicator',
    tag,
    method: 'GET',
    path: '/v1/indicators/{id}',
    summary: 'Read an indicator (its current revision)',
    auth: 'jwt',
    roles: readers,
    params: IndicatorIdParams,
    response: { status: 200, description: 'The indicator; ETag header', schema: IndicatorSchema },
    problems: [404],
  }),
  editIndicator: defineRoute({
    operationId: 'editIndicator',
    tag,
    method: 'PATCH',
    path: '/v1/indicators/{id}',
    summary: 'Change a draft indicator',
    auth: 'jwt',
    roles: ['finance'],
    params: IndicatorIdParams,
    body: IndicatorChangesSchema,
    requiresIfMatch: true,
    response: { status: 200, description: 'The draft; new ETag', schema: IndicatorSchema },
    problems: [404],
  }),
  publishIndicator: defineRoute({
    operationId: 'publishIndicator',
    tag,
    method: 'POST',
    path: '/v1/indicators/{id}/publish',
    summary: 'Publish a draft indicator (emits IndicatorPublished)',
    auth: 'jwt',
    roles: ['finance'],
    params: IndicatorIdParams,
    requiresIfMatch: true,
    response: { status: 200, description: 'The published indicator; new ETag', schema: IndicatorSchema },
    problems: [404],
  }),
  reviseIndicator: defineRoute({
    operationId: 'reviseIndicator',
    tag,
    method: 'POST',
    path: '/v1/indicators/{id}/revisions',
    summary: 'Publish a new revision of a published indicator, with the reason (emits IndicatorRevised)',
    auth: 'jwt',
    roles: ['finance'],
    params: IndicatorIdParams,
    body: z.strictObject({ changes: IndicatorChangesSchema, reason }),
    requiresIfMatch: true,
    response: { status: 201, description: 'The indicator at its new revision; new ETag', schema: IndicatorSchema },
    problems: [404],
  }),
  listIndicatorRevisions: defineRoute({
    operationId: 'listIndicatorRevisions',
    tag,
    method: 'GET',
    path: '/v1/indicators/{id}/revisions',
    summary: 'Every published revision of an indicator, oldest first',
    auth: 'jwt',
    roles: readers,
    params: IndicatorIdParams,
    query: listQuery,
    response: { status: 200, description: 'One page of revisions', schema: pageOf(IndicatorRevisionSchema) },
    problems: [404],
  }),
  getIndicatorRevision: defineRoute({
    operationId: 'getIndicatorRevision',
    tag,
    method: 'GET',
    path: '/v1/indicators/{id}/revisions/{revision}',
    summary: 'One published revision of an indicator',
    auth: 'jwt',
    roles: readers,
    params: z.strictObject({ id: IndicatorIdParams.shape.id, revision: RevisionParam }),
    response: { status: 200, description: 'The revision', schema: IndicatorRevisionSchema },
    problems: [404],
  }),
  retireIndicator: defineRoute({
    operationId: 'retireIndicator',
    tag,
    method: 'POST',
    path: '/v1/indicators/{id}/retire',
    summary: 'Retire a published indicator, with the reason (emits IndicatorRetired); it stays readable',
    auth: 'jwt',
    roles: ['finance'],
    params: IndicatorIdParams,
    body: z.strictObject({ reason }),
    requiresIfMatch: true,
    response: { status: 200, description: 'The retired indicator; new ETag', schema: IndicatorSchema },
    problems: [404],
  }),
  indicatorAudit: defineRoute({
    operationId: 'getIndicatorAudit',
    tag,
    method: 'GET',
    path: '/v1/indicators/{id}/audit',
    summary: 'Every change of an indicator: who, when, from which state to which, why',
    auth: 'jwt',
    roles: ['finance', 'supervisor'],
    params: IndicatorIdParams,
    query: listQuery,
    response: { status: 200, description: 'One page of audit entries, oldest first', schema: pageOf(AuditEntrySchema) },
    problems: [404],
  }),
  indicatorHistory: defineRoute({
    operationId: 'getIndicatorHistory',
    tag,
    method: 'GET',
    path: '/v1/indicators/{id}/history',
    summary: 'Achieved values of this indicator in past evaluations, by year and region (the historical standard)',
    auth: 'jwt',
    roles: readers,
    params: IndicatorIdParams,
    query: z.strictObject({ ...listQuery.shape, fiscalYear: z.optional(fiscalYearParam()) }),
    response: {
      status: 200,
      description: 'One page of observations (newest year first) and a per-year summary of that page',
      schema: z.object({ items: z.array(HistoryEntrySchema), summary: z.array(HistorySummarySchema), nextCursor: z.optional(z.string()) }),
    },
    problems: [404],
  }),
};
