/** HTTP routes of the indicators service: request and response schemas, roles. */
import * as z from 'zod/mini';
import { RegionCodeSchema } from '../../events/envelope.ts';
import {
  BasisSchema,
  IndicatorScopeSchema,
  Level1Schema,
  Level2Schema,
  OperatorSchema,
  SpendingTypeSchema,
} from '../../events/vocabulary.ts';
import { defineRoute } from '../../shared/http/route.ts';
import { listQuery, pageOf } from '../../shared/http/schemas.ts';
import { SCORING_RULES } from './domain/indicator.ts';

const text = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));
const reason = text(500);

export const CodeSchema = z.string().check(z.trim(), z.regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be 1-64 letters, digits, _ . -'));
export const SectorCodeSchema = z.string().check(z.regex(/^[a-z][a-z0-9_]{1,39}$/, 'must be a sector code such as education'));
export const ScoringRuleSchema = z.enum(SCORING_RULES);

const contentShape = {
  name: text(200),
  level1: Level1Schema,
  level2: Level2Schema,
  operator: OperatorSchema,
  unit: z.optional(z.string().check(z.trim(), z.maxLength(20))),
  basis: z.optional(BasisSchema),
  explanation: z.optional(text(2000)),
  dataSource: z.optional(text(500)),
  scoringRule: z.optional(ScoringRuleSchema),
  scope: IndicatorScopeSchema,
  sector: z.optional(SectorCodeSchema),
  spendingTypes: z.array(SpendingTypeSchema).check(z.minLength(1), z.maxLength(3)),
};

export const IndicatorDraftSchema = z.strictObject({ code: z.optional(CodeSchema), ...contentShape });
export const IndicatorChangesSchema = z.partial(z.strictObject(contentShape));

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
  ...contentShape,
  id: z.string(),
  revision: z.number(),
  code: z.optional(z.string()),
  region: RegionCodeSchema,
  publishedAt: z.string(),
  publishedBy: z.string(),
  reason: z.optional(z.string()),
});

export const IndicatorIdParams = z.strictObject({ id: z.string().check(z.regex(/^ind_[a-z0-9]{10,40}$/, 'must be an indicator id (ind_...)')) });
export const TemplateIdParams = z.strictObject({ id: z.string().check(z.regex(/^tpl_[a-z0-9]{10,40}$/, 'must be a template id (tpl_...)')) });
const RevisionParam = z.coerce.number().check(z.int('must be a whole number'), z.minimum(1));

const VocabularyEntrySchema = z.object({ code: z.string(), label: z.string(), parent: z.optional(z.string()) });

export const AuditEntrySchema = z.object({
  at: z.string(),
  action: z.string(),
  actor: z.object({ sub: z.string(), role: z.string(), region: z.string() }),
  fromStatus: z.optional(z.string()),
  toStatus: z.string(),
  version: z.number(),
  reason: z.optional(z.string()),
});

export const SectorSchema = z.object({ code: z.string(), label: z.string(), updatedAt: z.string(), updatedBy: z.string() });

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
  text: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(50))),
});

export const TemplateIndicatorInputSchema = z.union([
  z.strictObject({ indicatorId: z.string().check(z.regex(/^ind_[a-z0-9]{10,40}$/, 'must be an indicator id (ind_...)')) }),
  z.strictObject({ code: CodeSchema }),
]);

const templateShape = {
  name: text(200),
  spendingType: SpendingTypeSchema,
  sector: SectorCodeSchema,
  fiscalYear: z.number().check(z.int(), z.minimum(2000), z.maximum(2100)),
  description: z.optional(text(2000)),
  indicators: z.array(TemplateIndicatorInputSchema).check(z.minLength(1), z.maxLength(200)),
};

export const TemplateDraftSchema = z.strictObject(templateShape);
export const TemplateChangesSchema = z.partial(z.strictObject(templateShape));

export const TemplateIndicatorSchema = z.object({
  id: z.string(),
  revision: z.number(),
  code: z.optional(z.string()),
  name: z.string(),
  level1: Level1Schema,
  level2: Level2Schema,
  scope: IndicatorScopeSchema,
});

export const TemplateSchema = z.object({
  id: z.string(),
  version: z.number(),
  revision: z.number(),
  status: z.enum(['draft', 'published', 'retired']),
  name: z.string(),
  spendingType: SpendingTypeSchema,
  sector: z.string(),
  fiscalYear: z.number(),
  description: z.optional(z.string()),
  region: RegionCodeSchema,
  inherited: z.optional(z.boolean()),
  indicators: z.array(TemplateIndicatorSchema),
  createdAt: z.string(),
  createdBy: z.string(),
  updatedAt: z.string(),
  publishedAt: z.optional(z.string()),
  publishedBy: z.optional(z.string()),
  revisionReason: z.optional(z.string()),
  retiredAt: z.optional(z.string()),
  retirementReason: z.optional(z.string()),
});

export const RecommendationRequestSchema = z.strictObject({
  spendingType: SpendingTypeSchema,
  sector: SectorCodeSchema,
  description: z.string().check(z.trim(), z.maxLength(2000)),
  fiscalYear: z.optional(z.number().check(z.int(), z.minimum(2000), z.maximum(2100))),
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

/** Lambda's synchronous invocation payload limit is 6 MB; the request and its JSON envelope must fit. */
export const IMPORT_MAX_BYTES = 5_900_000;

export const ImportRequestSchema = z.union([
  z.strictObject({ format: z.literal('csv'), content: z.string().check(z.minLength(1), z.maxLength(IMPORT_MAX_BYTES)), publish: z.optional(z.boolean()) }),
  z.strictObject({ format: z.literal('json'), indicators: z.array(z.unknown()).check(z.minLength(1), z.maxLength(20_000)), publish: z.optional(z.boolean()) }),
]);

const RowErrorSchema = z.object({ line: z.number(), field: z.string(), reason: z.string() });

export const ImportJobSchema = z.object({
  jobId: z.string(),
  status: z.enum(['running', 'done', 'failed']),
  /** `sync`: written during the request (200); `queued`: written in the background (202). */
  mode: z.optional(z.enum(['sync', 'queued'])),
  chunks: z.optional(z.number()),
  total: z.number(),
  processed: z.number(),
  imported: z.number(),
  skipped: z.number(),
  /** The first 500 row errors; `failedRows` counts every bad row. */
  failed: z.array(RowErrorSchema),
  failedRows: z.optional(z.number()),
  ids: z.optional(z.array(z.object({ line: z.number(), id: z.string(), code: z.optional(z.string()) }))),
  startedAt: z.string(),
  updatedAt: z.optional(z.string()),
  finishedAt: z.optional(z.string()),
  /** Set when a queued import has made no progress for 15 minutes: its failed chunks are in the importer's dead-letter queue. */
  stalled: z.optional(z.boolean()),
});

const readers = ['unit', 'department', 'finance', 'supervisor'] as const;
const tag = 'indicators';

export const routes = {
  vocabulary: defineRoute({
    operationId: 'getIndicatorVocabulary',
    tag,
    method: 'GET',
    path: '/v1/indicators/vocabulary',
    summary: 'Codes and Chinese labels of the indicator vocabulary',
    auth: 'jwt',
    roles: readers,
    response: {
      status: 200,
      description: 'The vocabulary',
      schema: z.object({
        level1: z.array(VocabularyEntrySchema),
        level2: z.array(VocabularyEntrySchema),
        operator: z.array(VocabularyEntrySchema),
        basis: z.array(VocabularyEntrySchema),
        spendingType: z.array(VocabularyEntrySchema),
        scope: z.array(VocabularyEntrySchema),
        scoringRule: z.array(VocabularyEntrySchema),
      }),
    },
  }),
  listSectors: defineRoute({
    operationId: 'listSectors',
    tag,
    method: 'GET',
    path: '/v1/indicators/sectors',
    summary: 'The sectors (行业) indicators and templates are filed under',
    auth: 'jwt',
    roles: readers,
    response: { status: 200, description: 'All sectors', schema: z.object({ items: z.array(SectorSchema) }) },
  }),
  putSector: defineRoute({
    operationId: 'putSector',
    tag,
    method: 'PUT',
    path: '/v1/indicators/sectors/{code}',
    summary: 'Add or rename a sector',
    auth: 'jwt',
    roles: ['finance'],
    params: z.strictObject({ code: SectorCodeSchema }),
    body: z.strictObject({ label: text(50) }),
    response: { status: 200, description: 'The sector', schema: SectorSchema },
  }),
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
    query: z.strictObject({ ...listQuery.shape, fiscalYear: z.optional(z.coerce.number().check(z.int(), z.minimum(2000), z.maximum(2100))) }),
    response: {
      status: 200,
      description: 'One page of observations (newest year first) and a per-year summary of that page',
      schema: z.object({ items: z.array(HistoryEntrySchema), summary: z.array(HistorySummarySchema), nextCursor: z.optional(z.string()) }),
    },
    problems: [404],
  }),
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
  importIndicators: defineRoute({
    operationId: 'importIndicators',
    tag,
    method: 'POST',
    path: '/v1/indicators/imports',
    summary:
      'Import indicators from CSV or JSON; every bad row is reported and nothing is imported unless partial=true. Up to 500 rows are written during the request (200); larger files are queued (202) and progress at GET /v1/indicators/imports/{jobId}',
    auth: 'jwt',
    roles: ['finance'],
    query: z.strictObject({ partial: z.optional(z.enum(['true', 'false'])) }),
    body: ImportRequestSchema,
    response: { status: 200, description: 'The finished import job (202 with the running job when queued)', schema: ImportJobSchema },
    problems: [422],
    problemDescriptions: { 422: 'Rows are invalid: `rows` lists every bad row with its line, field and reason; nothing was imported' },
    maxBodyBytes: IMPORT_MAX_BYTES,
  }),
  getImport: defineRoute({
    operationId: 'getImport',
    tag,
    method: 'GET',
    path: '/v1/indicators/imports/{jobId}',
    summary: 'Progress and result of an import',
    auth: 'jwt',
    roles: ['finance'],
    params: z.strictObject({ jobId: z.string().check(z.regex(/^imp_[a-z0-9]{10,40}$/, 'must be an import id (imp_...)')) }),
    response: { status: 200, description: 'The import job', schema: ImportJobSchema },
    problems: [404],
  }),
  createTemplate: defineRoute({
    operationId: 'createTemplate',
    tag,
    method: 'POST',
    path: '/v1/indicators/templates',
    summary: 'Create a draft "3+X" template for a spending type, sector and fiscal year',
    auth: 'jwt',
    roles: ['finance'],
    body: TemplateDraftSchema,
    idempotent: true,
    response: { status: 201, description: 'The draft template; ETag header', schema: TemplateSchema },
  }),
  listTemplates: defineRoute({
    operationId: 'listTemplates',
    tag,
    method: 'GET',
    path: '/v1/indicators/templates',
    summary: 'List templates, optionally for one spending type and sector (newest fiscal year first)',
    auth: 'jwt',
    roles: readers,
    query: z.strictObject({
      ...listQuery.shape,
      spendingType: z.optional(SpendingTypeSchema),
      sector: z.optional(SectorCodeSchema),
      fiscalYear: z.optional(z.coerce.number().check(z.int(), z.minimum(2000), z.maximum(2100))),
      status: z.optional(z.enum(['draft', 'published', 'retired'])),
    }),
    response: { status: 200, description: 'One page', schema: pageOf(TemplateSchema) },
  }),
  getTemplate: defineRoute({
    operationId: 'getTemplate',
    tag,
    method: 'GET',
    path: '/v1/indicators/templates/{id}',
    summary: 'Read a template (its current revision)',
    auth: 'jwt',
    roles: readers,
    params: TemplateIdParams,
    response: { status: 200, description: 'The template; ETag header', schema: TemplateSchema },
    problems: [404],
  }),
  editTemplate: defineRoute({
    operationId: 'editTemplate',
    tag,
    method: 'PATCH',
    path: '/v1/indicators/templates/{id}',
    summary: 'Change a draft template',
    auth: 'jwt',
    roles: ['finance'],
    params: TemplateIdParams,
    body: TemplateChangesSchema,
    requiresIfMatch: true,
    response: { status: 200, description: 'The draft; new ETag', schema: TemplateSchema },
    problems: [404],
  }),
  publishTemplate: defineRoute({
    operationId: 'publishTemplate',
    tag,
    method: 'POST',
    path: '/v1/indicators/templates/{id}/publish',
    summary: 'Publish a draft template (emits TemplatePublished)',
    auth: 'jwt',
    roles: ['finance'],
    params: TemplateIdParams,
    requiresIfMatch: true,
    response: { status: 200, description: 'The published template; new ETag', schema: TemplateSchema },
    problems: [404],
  }),
  reviseTemplate: defineRoute({
    operationId: 'reviseTemplate',
    tag,
    method: 'POST',
    path: '/v1/indicators/templates/{id}/revisions',
    summary: 'Publish a new revision of a template, with the reason (emits TemplatePublished)',
    auth: 'jwt',
    roles: ['finance'],
    params: TemplateIdParams,
    body: z.strictObject({ changes: TemplateChangesSchema, reason }),
    requiresIfMatch: true,
    response: { status: 201, description: 'The template at its new revision', schema: TemplateSchema },
    problems: [404],
  }),
  getTemplateRevision: defineRoute({
    operationId: 'getTemplateRevision',
    tag,
    method: 'GET',
    path: '/v1/indicators/templates/{id}/revisions/{revision}',
    summary: 'One published revision of a template',
    auth: 'jwt',
    roles: readers,
    params: z.strictObject({ id: TemplateIdParams.shape.id, revision: RevisionParam }),
    response: { status: 200, description: 'The revision', schema: TemplateSchema },
    problems: [404],
  }),
  retireTemplate: defineRoute({
    operationId: 'retireTemplate',
    tag,
    method: 'POST',
    path: '/v1/indicators/templates/{id}/retire',
    summary: 'Retire a template, with the reason',
    auth: 'jwt',
    roles: ['finance'],
    params: TemplateIdParams,
    body: z.strictObject({ reason }),
    requiresIfMatch: true,
    response: { status: 200, description: 'The retired template', schema: TemplateSchema },
    problems: [404],
  }),
};
