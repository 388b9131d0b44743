/** Routes of the ex-ante assessment 事前绩效评估: record it, read whether it is required and what was recorded. */
import * as z from 'zod/mini';
import { ExAnteConclusionSchema } from '../../../events/declaration.ts';
import { text } from '../../../shared/pure/fields.ts';
import { defineRoute } from '../../../shared/http/route.ts';
import { ExAnteRecordSchema, ExAnteScoresSchema, ObjectIdParams, objectResponse, readers, tag, wan } from './objects.ts';

export const exAnteRoutes = {
  putExAnte: defineRoute({
    operationId: 'putExAnteAssessment',
    tag,
    method: 'PUT',
    path: '/v1/declaration/objects/{id}/ex-ante',
    summary: 'Record the ex-ante assessment (competent department or finance; only finance may override the conclusion), emits ExAnteAssessed',
    auth: 'jwt',
    roles: ['department', 'finance'],
    params: ObjectIdParams,
    body: z.strictObject({
      scores: ExAnteScoresSchema,
      recommendedCeilingWan: wan,
      override: z.optional(z.strictObject({ conclusion: ExAnteConclusionSchema, reason: text(1000) })),
    }),
    requiresIfMatch: true,
    response: objectResponse('The object with its assessment'),
    problems: [404],
  }),
  getExAnte: defineRoute({
    operationId: 'getExAnteAssessment',
    tag,
    method: 'GET',
    path: '/v1/declaration/objects/{id}/ex-ante',
    summary: 'Whether an ex-ante assessment is required (and why) and the one recorded',
    auth: 'jwt',
    roles: readers,
    params: ObjectIdParams,
    response: { status: 200, description: 'Requirement and assessment', schema: z.object({ required: z.boolean(), reason: z.string(), assessment: z.optional(ExAnteRecordSchema) }) },
    problems: [404],
  }),
};
