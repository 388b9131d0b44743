/** Routes of assessments (考核) of budget departments and lower-level finance departments. */
import * as z from 'zod/mini';
import { fiscalYear, fiscalYearParam, text } from '../../../shared/pure/fields.ts';
import { defineRoute } from '../../../shared/http/route.ts';
import { pageOf } from '../../../shared/http/schemas.ts';

const AssesseeTypeSchema = z.enum(['department', 'region']);

export const AssessmentIdSchema = z.string().check(z.regex(/^asm_\d{4}_(department|region)_[A-Za-z0-9_-]{1,64}$/, 'must be an assessment id (asm_<year>_<type>_<code>)'));

const EntrySchema = z.object({
  ratio: z.number(),
  given: z.union([z.object({ ratio: z.number() }), z.object({ score: z.number() })]),
  reason: z.string(),
  by: z.string(),
  at: z.string(),
});

const LineSchema = z.object({
  code: z.string(),
  name: z.string(),
  weight: z.number(),
  source: z.enum(['computed', 'entered']),
  status: z.enum(['computed', 'entered', 'missing']),
  ratio: z.optional(z.number()),
  score: z.optional(z.number()),
  explanation: z.string(),
  note: z.optional(z.string()),
  basis: z.optional(z.record(z.string(), z.number())),
  entry: z.optional(EntrySchema),
});

export const AssessmentSchema = z.object({
  id: z.string(),
  version: z.number(),
  region: z.string(),
  fiscalYear: z.number(),
  assessee: z.object({ type: AssesseeTypeSchema, code: z.string(), name: z.string() }),
  status: z.enum(['draft', 'published']),
  sheet: z.object({
    indicators: z.array(z.object({ code: z.string(), name: z.string(), weight: z.number(), source: z.enum(['computed', 'entered']) })),
    gradeBounds: z.object({ excellent: z.number(), good: z.number(), fair: z.number() }),
    paramsVersion: z.number(),
  }),
  entries: z.record(z.string(), EntrySchema),
  indicators: z.array(LineSchema),
  total: z.number(),
  missing: z.array(z.string()),
  grade: z.optional(z.enum(['excellent', 'good', 'fair', 'poor'])),
  computedAt: z.string(),
  createdAt: z.string(),
  createdBy: z.string(),
  updatedAt: z.string(),
  publication: z.optional(z.object({ at: z.string(), by: z.string(), rank: z.number(), rankedAmong: z.number(), eventId: z.string() })),
  audit: z.array(z.object({ at: z.string(), by: z.string(), action: z.enum(['created', 'entered', 'recomputed', 'published']), detail: z.string() })),
});

const RankedSchema = z.object({
  ...AssessmentSchema.shape,
  /** Current rank among the published sheets of the same year and assessee type (ties share a rank); drafts have none. */
  rank: z.optional(z.number()),
  rankedAmong: z.optional(z.number()),
});

const reply = (description: string, status: 200 | 201 = 200) => ({ status, description: `${description}; ETag header`, schema: AssessmentSchema });
const tag = 'accountability';
const idParams = z.strictObject({ assessmentId: AssessmentIdSchema });

export const assessmentRoutes = {
  createAssessment: defineRoute({
    operationId: 'createAssessment',
    tag,
    method: 'POST',
    path: '/v1/accountability/assessments',
    summary: "Start the year's assessment of a budget department or a lower-level region: a draft computed from the object summaries, rectifications and disclosures; one per assessee and year",
    auth: 'jwt',
    roles: ['finance'],
    body: z.strictObject({
      fiscalYear: fiscalYear(),
      assessee: z.strictObject({
        type: AssesseeTypeSchema,
        code: z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be a department code or a 6-digit division code')),
        name: text(200),
      }),
    }),
    idempotent: true,
    response: reply('The draft sheet', 201),
    problems: [409],
  }),
  listAssessments: defineRoute({
    operationId: 'listAssessments',
    tag,
    method: 'GET',
    path: '/v1/accountability/assessments',
    summary: "A year's assessments with their ranks (finance and supervisors: all; a department: its own published ones). A year holds one sheet per assessee, so the list is complete in one page",
    auth: 'jwt',
    roles: ['finance', 'supervisor', 'department'],
    query: z.strictObject({ year: fiscalYearParam(), type: z.optional(AssesseeTypeSchema) }),
    response: { status: 200, description: 'Every matching sheet, ranked', schema: pageOf(RankedSchema) },
  }),
  getAssessment: defineRoute({
    operationId: 'getAssessment',
    tag,
    method: 'GET',
    path: '/v1/accountability/assessments/{assessmentId}',
    summary: 'An assessment sheet: each indicator with its value, score and how it was obtained, the total, grade, audit trail',
    auth: 'jwt',
    roles: ['finance', 'supervisor', 'department'],
    params: idParams,
    response: reply('The sheet'),
    problems: [404],
  }),
  enterAssessmentValues: defineRoute({
    operationId: 'enterAssessmentValues',
    tag,
    method: 'PATCH',
    path: '/v1/accountability/assessments/{assessmentId}',
    summary: 'Finance enters indicators the data does not cover (and the always-entered ones): a ratio 0..1 or a score 0..weight, each with a reason',
    auth: 'jwt',
    roles: ['finance'],
    params: idParams,
    body: z.strictObject({
      entries: z
        .array(
          z.strictObject({
            code: z.string().check(z.regex(/^[a-z][a-z0-9_]{1,49}$/, 'must be an indicator code of the sheet')),
            ratio: z.optional(z.number()),
            score: z.optional(z.number()),
            reason: text(2000),
          }),
        )
        .check(z.minLength(1), z.maxLength(50)),
    }),
    requiresIfMatch: true,
    response: reply('The sheet with the entries'),
    problems: [404, 409],
  }),
  recomputeAssessment: defineRoute({
    operationId: 'recomputeAssessment',
    tag,
    method: 'POST',
    path: '/v1/accountability/assessments/{assessmentId}/recompute',
    summary: 'Refresh the computed indicators from the current data, keeping the entries',
    auth: 'jwt',
    roles: ['finance'],
    params: idParams,
    requiresIfMatch: true,
    response: reply('The recomputed sheet'),
    problems: [404, 409],
  }),
  publishAssessment: defineRoute({
    operationId: 'publishAssessment',
    tag,
    method: 'POST',
    path: '/v1/accountability/assessments/{assessmentId}/publish',
    summary: 'Publish the sheet (refused while an indicator is missing): frozen from then on; emits AssessmentPublished with the sheet, total, grade and rank',
    auth: 'jwt',
    roles: ['finance'],
    params: idParams,
    requiresIfMatch: true,
    response: reply('The published sheet'),
    problems: [404, 409, 422],
    problemDescriptions: { 422: 'Indicators are missing: each is named (indicators.<code>)' },
  }),
} as const;
