/** Route of an object's history: every change, who made it, when and why. */
import * as z from 'zod/mini';
import { ReviewGradeSchema } from '../../../events/declaration.ts';
import { defineRoute } from '../../../shared/http/route.ts';
import { listQuery, pageOf } from '../../../shared/http/schemas.ts';
import { ObjectIdParams, readers, tag } from './objects.ts';

export const HistoryEntrySchema = z.object({
  at: z.string(),
  actor: z.object({ sub: z.string(), role: z.string() }),
  action: z.string(),
  from: z.optional(z.string()),
  to: z.string(),
  version: z.number(),
  reason: z.optional(z.string()),
  grade: z.optional(ReviewGradeSchema),
  /** A review's weighted criteria score. */
  score: z.optional(z.number()),
  revision: z.optional(z.number()),
  targetVersion: z.optional(z.number()),
});

export const historyRoutes = {
  history: defineRoute({
    operationId: 'getDeclarationHistory',
    tag,
    method: 'GET',
    path: '/v1/declaration/objects/{id}/history',
    summary: 'Every change of the object: who, when, from which status to which, why',
    auth: 'jwt',
    roles: readers,
    params: ObjectIdParams,
    query: listQuery,
    response: { status: 200, description: 'One page, oldest first', schema: pageOf(HistoryEntrySchema) },
    problems: [404],
  }),
};
