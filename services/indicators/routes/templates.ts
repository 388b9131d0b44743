/** Routes of "3+X" templates: drafts, publication, revisions, retirement. */
import * as z from 'zod/mini';
import { RegionCodeSchema } from '../../../events/envelope.ts';
import { IndicatorScopeSchema, Level1Schema, Level2Schema, SpendingTypeSchema } from '../../../events/vocabulary.ts';
import { fiscalYear, fiscalYearParam, prefixedId, text } from '../../../shared/pure/fields.ts';
import { defineRoute } from '../../../shared/http/route.ts';
import { listQuery, pageOf } from '../../../shared/http/schemas.ts';
import { CodeSchema, SectorCodeSchema } from '../domain/draft-schema.ts';
import { RevisionParam } from './indicators.ts';

const readers = ['unit', 'department', 'finance', 'supervisor'] as const;
const tag = 'indicators';
const reason = text(500);

export const TemplateIdParams = z.strictObject({ id: prefixedId('tpl', 'a template id') });

export const TemplateIndicatorInputSchema = z.union([
  z.strictObject({ indicatorId: prefixedId('ind', 'an indicator id') }),
  z.strictObject({ code: CodeSchema }),
]);

const templateShape = {
  name: text(200),
  spendingType: SpendingTypeSchema,
  sector: SectorCodeSchema,
  fiscalYear: fiscalYear(),
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

export const templateRoutes = {
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
      fiscalYear: z.optional(fiscalYearParam()),
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
