/** Routes of the lifecycle timeline and its search. */
import * as z from 'zod/mini';
import { ActorSchema, SubjectSchema } from '../../../events/envelope.ts';
import { defineRoute } from '../../../shared/http/route.ts';
import { listQuery, pageOf } from '../../../shared/http/schemas.ts';

export const TimelineEntrySchema = z.object({
  eventId: z.string(),
  detailType: z.string(),
  source: z.string(),
  occurredAt: z.string(),
  region: z.string(),
  subject: SubjectSchema,
  actor: ActorSchema,
  correlationId: z.string(),
  data: z.unknown(),
});

export const timelineRoutes = {
  timeline: defineRoute({
    operationId: 'getTimeline',
    tag: 'accountability',
    method: 'GET',
    path: '/v1/accountability/timeline/{objectId}',
    summary: 'Every event about an object, oldest first',
    auth: 'jwt',
    roles: ['finance', 'supervisor'],
    params: z.strictObject({ objectId: z.string().check(z.regex(/^[A-Za-z0-9_-]{1,100}$/, 'must be an object id')) }),
    query: listQuery,
    response: { status: 200, description: 'One page of the timeline', schema: pageOf(TimelineEntrySchema) },
  }),
} as const;
