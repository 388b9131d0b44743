/**
 * The event detail every Jixiao event carries: `{ meta, data }` (docs/architecture.md section 4).
 *
 * `meta.subject` names the spending object (or library object) the event is about, so the
 * accountability timeline can file any event without knowing every data schema.
 */
import * as z from 'zod/mini';

export const RoleSchema = z.enum(['unit', 'department', 'finance', 'supervisor']);
export type Role = z.infer<typeof RoleSchema>;

/** Administrative division code: 6 digits (360000 Jiangxi, 360100 Nanchang, ...). */
export const RegionCodeSchema = z.string().check(z.regex(/^\d{6}$/, 'must be a 6-digit division code'));

/**
 * Which supervisory body a `supervisor` token speaks for: the People's Congress (人大, its
 * budget committee) or audit (审计). Both read what supervisors read; only the People's Congress
 * rates key evaluation reports, only audit files audit findings. A supervisor token without it
 * keeps today's read-only supervisor access (docs/decisions.md).
 */
export const SupervisoryBodySchema = z.enum(['congress', 'audit']);
export type SupervisoryBody = z.infer<typeof SupervisoryBodySchema>;

export const ActorSchema = z.object({
  sub: z.string().check(z.minLength(1)),
  role: z.union([RoleSchema, z.literal('system')]),
  region: RegionCodeSchema,
  department: z.optional(z.string()),
  unit: z.optional(z.string()),
  /** Only on supervisor tokens: the body the supervisor belongs to. */
  supervisoryBody: z.optional(SupervisoryBodySchema),
});
export type Actor = z.infer<typeof ActorSchema>;

export const SubjectSchema = z.object({
  // accountability_case / rectification: a case or order about no spending object (opened by hand, audit findings);
  // assessment: an assessment (考核) sheet of a department or a lower-level region;
  // monitoring_window: a monitoring window (the monitoring service's internal view builds).
  type: z.enum(['indicator', 'template', 'import', 'project', 'department_overall', 'transfer_payment', 'accountability_case', 'rectification', 'assessment', 'monitoring_window']),
  id: z.string().check(z.minLength(1)),
});
export type Subject = z.infer<typeof SubjectSchema>;

export const EventMetaSchema = z.object({
  eventId: z.uuid(),
  /** Schema version of this event type; a breaking change gets a new version. */
  version: z.number().check(z.int(), z.positive()),
  occurredAt: z.iso.datetime({ offset: true }),
  region: RegionCodeSchema,
  correlationId: z.string().check(z.minLength(1)),
  causationId: z.optional(z.string()),
  actor: ActorSchema,
  subject: SubjectSchema,
});
export type EventMeta = z.infer<typeof EventMetaSchema>;

/** Builds the detail schema of one event type from its data schema. */
export function eventDetail<D extends z.ZodMiniType>(data: D) {
  return z.object({ meta: EventMetaSchema, data });
}

/**
 * The EventBridge envelope as delivered to targets. Consumers parse it with the event's own
 * detail schema (see `shared/consumer.ts`).
 */
export function eventEnvelope<D extends z.ZodMiniType>(detail: D) {
  return z.object({
    version: z.string(),
    id: z.string(),
    'detail-type': z.string(),
    source: z.string(),
    account: z.string(),
    time: z.iso.datetime({ offset: true }),
    region: z.string(),
    resources: z.array(z.string()),
    detail,
  });
}
