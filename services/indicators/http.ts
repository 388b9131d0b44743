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

const text = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));

export const IndicatorDraftSchema = z.strictObject({
  name: text(200),
  level1: Level1Schema,
  level2: Level2Schema,
  operator: OperatorSchema,
  unit: z.optional(z.string().check(z.trim(), z.maxLength(20))),
  basis: z.optional(BasisSchema),
  explanation: z.optional(text(2000)),
  dataSource: z.optional(text(500)),
  sector: z.optional(text(100)),
  scope: IndicatorScopeSchema,
  spendingTypes: z.array(SpendingTypeSchema).check(z.minLength(1), z.maxLength(3)),
});

export const IndicatorSchema = z.object({
  ...IndicatorDraftSchema.shape,
  id: z.string(),
  version: z.number(),
  status: z.enum(['draft', 'published', 'retired']),
  region: RegionCodeSchema,
  createdAt: z.string(),
  createdBy: z.string(),
  updatedAt: z.string(),
  publishedAt: z.optional(z.string()),
  publishedBy: z.optional(z.string()),
});

export const IndicatorIdParams = z.strictObject({ id: z.string().check(z.regex(/^ind_[a-z0-9]{10,40}$/, 'must be an indicator id (ind_...)')) });

const VocabularyEntrySchema = z.object({ code: z.string(), label: z.string(), parent: z.optional(z.string()) });

export const AuditEntrySchema = z.object({
  at: z.string(),
  action: z.string(),
  actor: z.object({ sub: z.string(), role: z.string(), region: z.string() }),
  fromStatus: z.optional(z.string()),
  toStatus: z.string(),
  version: z.number(),
});

const readers = ['unit', 'department', 'finance', 'supervisor'] as const;

export const routes = {
  vocabulary: defineRoute({
    operationId: 'getIndicatorVocabulary',
    tag: 'indicators',
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
      }),
    },
  }),
  createIndicator: defineRoute({
    operationId: 'createIndicator',
    tag: 'indicators',
    method: 'POST',
    path: '/v1/indicators',
    summary: 'Create a draft indicator in the library',
    auth: 'jwt',
    roles: ['finance'],
    body: IndicatorDraftSchema,
    idempotent: true,
    response: { status: 201, description: 'The draft; ETag header for later updates', schema: IndicatorSchema },
  }),
  getIndicator: defineRoute({
    operationId: 'getIndicator',
    tag: 'indicators',
    method: 'GET',
    path: '/v1/indicators/{id}',
    summary: 'Read an indicator',
    auth: 'jwt',
    roles: readers,
    params: IndicatorIdParams,
    response: { status: 200, description: 'The indicator; ETag header', schema: IndicatorSchema },
    problems: [404],
  }),
  listIndicators: defineRoute({
    operationId: 'listIndicators',
    tag: 'indicators',
    method: 'GET',
    path: '/v1/indicators',
    summary: 'List indicators, newest first, optionally by level-1 category',
    auth: 'jwt',
    roles: readers,
    query: z.strictObject({ ...listQuery.shape, level1: z.optional(Level1Schema) }),
    response: { status: 200, description: 'One page', schema: pageOf(IndicatorSchema) },
  }),
  publishIndicator: defineRoute({
    operationId: 'publishIndicator',
    tag: 'indicators',
    method: 'POST',
    path: '/v1/indicators/{id}/publish',
    summary: 'Publish a draft indicator (emits IndicatorPublished)',
    auth: 'jwt',
    roles: ['finance'],
    params: IndicatorIdParams,
    requiresIfMatch: true,
    response: { status: 200, description: 'The published indicator; new ETag', schema: IndicatorSchema },
    problems: [404, 409, 412, 428],
  }),
  indicatorAudit: defineRoute({
    operationId: 'getIndicatorAudit',
    tag: 'indicators',
    method: 'GET',
    path: '/v1/indicators/{id}/audit',
    summary: 'Every change of an indicator: who, when, from which state to which',
    auth: 'jwt',
    roles: ['finance', 'supervisor'],
    params: IndicatorIdParams,
    query: listQuery,
    response: { status: 200, description: 'One page of audit entries, oldest first', schema: pageOf(AuditEntrySchema) },
    problems: [404],
  }),
};
