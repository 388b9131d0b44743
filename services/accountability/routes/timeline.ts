/** Routes of the lifecycle timeline and its search. */
import * as z from 'zod/mini';
import { ActorSchema, SubjectSchema } from '../../../events/envelope.ts';
import { fiscalYearParam } from '../../../shared/pure/fields.ts';
import { defineRoute } from '../../../shared/http/route.ts';
import { listQuery, pageOf } from '../../../shared/http/schemas.ts';

const code = (what: string) => z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/, `must be a ${what} code`));

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
  searchTimeline: defineRoute({
    operationId: 'searchTimeline',
    tag: 'accountability',
    method: 'GET',
    path: '/v1/accountability/timeline',
    summary: "Events of the region's fiscal year, newest first, by department (a unit narrows it) and/or event type; the year and at least one of department or type are required",
    auth: 'jwt',
    roles: ['finance', 'supervisor'],
    query: z.strictObject({
      ...listQuery.shape,
      year: fiscalYearParam(),
      department: z.optional(code('department')),
      unit: z.optional(code('unit')),
      type: z.optional(z.string().check(z.regex(/^[A-Z][A-Za-z]{2,63}$/, 'must be an event type (detail-type), e.g. TargetApproved'))),
    }),
    response: { status: 200, description: 'One page of matching entries, newest first', schema: pageOf(TimelineEntrySchema) },
  }),
} as const;
