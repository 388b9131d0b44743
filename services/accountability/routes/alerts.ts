/**
 * Routes of the accountability service: supervisor alerts. A supervisor manages its own
 * subscriptions (filters by region, department, event type and minimum severity; an optional
 * signed webhook) and reads and acknowledges its own inbox. Nobody else sees either.
 */
import * as z from 'zod/mini';
import { SubjectSchema } from '../../../events/envelope.ts';
import { text } from '../../../shared/pure/fields.ts';
import { defineRoute } from '../../../shared/http/route.ts';
import { listQuery, pageOf } from '../../../shared/http/schemas.ts';
import { SEVERITIES } from '../domain/alerts.ts';

const tag = 'accountability-alerts';
const roles = ['supervisor'] as const;
const SeveritySchema = z.enum(SEVERITIES);
const SubscriptionIdSchema = z.string().check(z.regex(/^asub_[a-z0-9]{20}$/, 'must be a subscription id (asub_...)'));
const AlertIdSchema = z.string().check(z.regex(/^alr_[a-f0-9]{32}$/, 'must be an alert id (alr_...)'));
const RegionCode = z.string().check(z.regex(/^\d{6}$/, 'must be a 6-digit division code'));
const Department = z.string().check(z.trim(), z.minLength(1), z.maxLength(64));
const EventType = z.string().check(z.regex(/^[A-Z][A-Za-z]{2,63}$/, 'must be an event name of the catalog (PascalCase)'));

const FiltersInput = z.strictObject({
  /** Default: the supervisor's own region. */
  regions: z.optional(z.array(RegionCode).check(z.minLength(1), z.maxLength(50))),
  /** Empty or absent: every department. */
  departments: z.optional(z.array(Department).check(z.maxLength(200))),
  /** Empty or absent: every alertable event type. */
  eventTypes: z.optional(z.array(EventType).check(z.maxLength(50))),
  minSeverity: z.optional(SeveritySchema),
});

const FiltersSchema = z.object({ regions: z.array(z.string()), departments: z.array(z.string()), eventTypes: z.array(z.string()), minSeverity: SeveritySchema });

export const SubscriptionSchema = z.object({
  id: z.string(),
  version: z.number(),
  supervisor: z.string(),
  region: z.string(),
  name: z.optional(z.string()),
  filters: FiltersSchema,
  webhook: z.optional(z.object({ url: z.string() })),
  active: z.boolean(),
  createdAt: z.string(),
  createdBy: z.string(),
  updatedAt: z.string(),
  deactivatedAt: z.optional(z.string()),
  deactivatedBy: z.optional(z.string()),
  secretRotatedAt: z.optional(z.string()),
});

const WithSecretSchema = z.object({
  ...SubscriptionSchema.shape,
  /** Shown once (here and on rotation); verify `X-Jixiao-Signature` with it. */
  signingSecret: z.optional(z.string()),
  /**
   * Set on a replay of the creating request (same Idempotency-Key): the secret is never kept with
   * the stored reply, so it cannot be shown again; rotate it to get a new one.
   */
  signingSecretWithheld: z.optional(z.literal(true)),
});

const AttemptSchema = z.object({ attempt: z.number(), at: z.string(), status: z.optional(z.number()), error: z.optional(z.string()), durationMs: z.number(), outcome: z.enum(['delivered', 'retry', 'failed']) });

export const InboxAlertSchema = z.object({
  id: z.string(),
  subscriptionId: z.string(),
  supervisor: z.string(),
  severity: SeveritySchema,
  title: z.string(),
  eventType: z.string(),
  eventId: z.string(),
  eventSource: z.string(),
  subject: SubjectSchema,
  region: z.string(),
  department: z.optional(z.string()),
  unit: z.optional(z.string()),
  fiscalYear: z.optional(z.number()),
  objectId: z.optional(z.string()),
  objectName: z.optional(z.string()),
  occurredAt: z.string(),
  raisedAt: z.string(),
  data: z.unknown(),
  status: z.enum(['unread', 'read', 'acknowledged']),
  readAt: z.optional(z.string()),
  readBy: z.optional(z.string()),
  acknowledgedAt: z.optional(z.string()),
  acknowledgedBy: z.optional(z.string()),
  acknowledgementNote: z.optional(z.string()),
  delivery: z.object({
    state: z.enum(['pending', 'delivered', 'failed', 'not_applicable']),
    attempts: z.number(),
    lastStatus: z.optional(z.number()),
    lastError: z.optional(z.string()),
    lastAttemptAt: z.optional(z.string()),
    deliveredAt: z.optional(z.string()),
    failedAt: z.optional(z.string()),
    history: z.array(AttemptSchema),
  }),
});

const subscriptionParams = z.strictObject({ subscriptionId: SubscriptionIdSchema });
const alertParams = z.strictObject({ alertId: AlertIdSchema });
const base = '/v1/accountability';

export const alertRoutes = {
  createAlertSubscription: defineRoute({
    operationId: 'createAlertSubscription',
    tag,
    method: 'POST',
    path: `${base}/alert-subscriptions`,
    summary:
      'Subscribe to alerts: filters (regions, default yours; departments; event types of the catalog; minimum severity) and an optional https webhook. The signing secret is returned once, here.',
    auth: 'jwt',
    roles,
    body: z.strictObject({
      name: z.optional(text(100)),
      filters: z.optional(FiltersInput),
      webhook: z.optional(z.strictObject({ url: z.string().check(z.minLength(1), z.maxLength(2048)) })),
    }),
    idempotent: true,
    response: { status: 201, description: 'The subscription with its signing secret (shown only now); ETag header', schema: WithSecretSchema },
  }),
  listAlertSubscriptions: defineRoute({
    operationId: 'listAlertSubscriptions',
    tag,
    method: 'GET',
    path: `${base}/alert-subscriptions`,
    summary: "The caller's subscriptions, active and deactivated (never their secrets)",
    auth: 'jwt',
    roles,
    query: listQuery,
    response: { status: 200, description: 'One page', schema: pageOf(SubscriptionSchema) },
  }),
  getAlertSubscription: defineRoute({
    operationId: 'getAlertSubscription',
    tag,
    method: 'GET',
    path: `${base}/alert-subscriptions/{subscriptionId}`,
    summary: "One of the caller's subscriptions (without its secret)",
    auth: 'jwt',
    roles,
    params: subscriptionParams,
    response: { status: 200, description: 'The subscription; ETag header', schema: SubscriptionSchema },
    problems: [404],
  }),
  deactivateAlertSubscription: defineRoute({
    operationId: 'deactivateAlertSubscription',
    tag,
    method: 'DELETE',
    path: `${base}/alert-subscriptions/{subscriptionId}`,
    summary: 'Deactivate a subscription: no new alerts; it and its alerts are kept for audit',
    auth: 'jwt',
    roles,
    params: subscriptionParams,
    response: { status: 200, description: 'The deactivated subscription', schema: SubscriptionSchema },
    problems: [404, 409],
  }),
  rotateAlertSubscriptionSecret: defineRoute({
    operationId: 'rotateAlertSubscriptionSecret',
    tag,
    method: 'POST',
    path: `${base}/alert-subscriptions/{subscriptionId}/rotate-secret`,
    summary: 'Issue a new signing secret (returned once); for 24 hours deliveries carry a v1 signature with the old secret too',
    auth: 'jwt',
    roles,
    params: subscriptionParams,
    response: { status: 200, description: 'The subscription with its new signing secret', schema: WithSecretSchema },
    problems: [404, 409],
  }),
  listAlerts: defineRoute({
    operationId: 'listAlerts',
    tag,
    method: 'GET',
    path: `${base}/alerts`,
    summary: "The caller's inbox, newest first; ?status=unread|read|acknowledged",
    auth: 'jwt',
    roles,
    query: z.strictObject({ ...listQuery.shape, status: z.optional(z.enum(['unread', 'read', 'acknowledged'])) }),
    response: { status: 200, description: 'One page', schema: pageOf(InboxAlertSchema) },
  }),
  getAlert: defineRoute({
    operationId: 'getAlert',
    tag,
    method: 'GET',
    path: `${base}/alerts/{alertId}`,
    summary: 'One alert with the triggering event and its webhook delivery record (does not mark it read)',
    auth: 'jwt',
    roles,
    params: alertParams,
    response: { status: 200, description: 'The alert', schema: InboxAlertSchema },
    problems: [404],
  }),
  readAlert: defineRoute({
    operationId: 'readAlert',
    tag,
    method: 'POST',
    path: `${base}/alerts/{alertId}/read`,
    summary: 'Mark an alert read (who and when are kept); no change when already read or acknowledged',
    auth: 'jwt',
    roles,
    params: alertParams,
    response: { status: 200, description: 'The alert', schema: InboxAlertSchema },
    problems: [404],
  }),
  acknowledgeAlert: defineRoute({
    operationId: 'acknowledgeAlert',
    tag,
    method: 'POST',
    path: `${base}/alerts/{alertId}/acknowledge`,
    summary: 'Acknowledge an alert, with an optional note (who and when are kept); once only',
    auth: 'jwt',
    roles,
    params: alertParams,
    body: z.optional(z.strictObject({ note: z.optional(text(2000)) })),
    response: { status: 200, description: 'The acknowledged alert', schema: InboxAlertSchema },
    problems: [404, 409],
  }),
} as const;
