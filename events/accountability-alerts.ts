/**
 * Supervisor alerts of the accountability service. `SupervisorAlertRaised` is published once per
 * alert filed in a supervisor's inbox (one per matching subscription and event); the webhooks
 * function delivers it to the subscription's webhook, and in AWS the region's SNS alert topic
 * receives it too. It never carries the webhook URL or the signing secret: the delivery
 * function reads those from the subscription itself.
 */
import * as z from 'zod/mini';
import { eventDetail, RegionCodeSchema, SubjectSchema } from './envelope.ts';

/** Order: info < low < medium < high < critical (services/accountability/domain/alerts.ts has the table). */
export const AlertSeveritySchema = z.enum(['info', 'low', 'medium', 'high', 'critical']);

export const SupervisorAlertRaisedData = z.object({
  /** Deterministic per (subscription, triggering event): the receivers' dedup key. */
  alertId: z.string().check(z.regex(/^alr_[a-f0-9]{32}$/)),
  subscriptionId: z.string(),
  /** The supervisor (token subject) whose inbox holds the alert. */
  supervisor: z.string(),
  severity: AlertSeveritySchema,
  /** Short human title (Chinese). */
  title: z.string(),
  /** The triggering event. */
  eventType: z.string(),
  eventId: z.uuid(),
  eventSource: z.string(),
  subject: SubjectSchema,
  /** Division the triggering event came from (meta.region). */
  region: RegionCodeSchema,
  department: z.optional(z.string()),
  unit: z.optional(z.string()),
  fiscalYear: z.optional(z.number().check(z.int())),
  objectId: z.optional(z.string()),
  objectName: z.optional(z.string()),
  occurredAt: z.iso.datetime({ offset: true }),
  raisedAt: z.iso.datetime({ offset: true }),
  /** Whether the subscription had a webhook when the alert was raised (the delivery function re-reads it). */
  webhook: z.boolean(),
});
export const SupervisorAlertRaisedDetail = eventDetail(SupervisorAlertRaisedData);
export type SupervisorAlertRaised = z.infer<typeof SupervisorAlertRaisedDetail>;
