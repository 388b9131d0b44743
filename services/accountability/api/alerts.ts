/**
 * Implementations of the alerts routes. A supervisor sees and changes only its own
 * subscriptions and inbox: the store keys both by the caller's token subject, so another
 * supervisor's records are simply not found (404), never disclosed.
 */
import { randomBytes } from 'node:crypto';
import { catalog } from '../../../events/catalog.ts';
import { problems, type FieldError } from '../../../shared/errors.ts';
import type { Implementations } from '../../../shared/http/api.ts';
import { etagOf } from '../../../shared/http/etag.ts';
import { pageSize } from '../../../shared/http/schemas.ts';
import { guardConcurrentUpdate } from '../../../shared/conditions.ts';
import * as store from '../store/alerts.ts';
import { webhookUrlProblem, withinDivision, type SubscriptionFilters } from '../domain/alerts.ts';
import type { alertRoutes } from '../routes/alerts.ts';
import { allowLoopbackWebhooks } from '../jobs/webhooks.ts';

/** How long deliveries keep signing with the previous secret after a rotation. */
const ROTATION_GRACE_MS = 24 * 3600 * 1000;

/** Event types a subscription may name: every catalog event except internal work items and the alert event itself. */
export function alertableEventTypes(): string[] {
  return catalog.filter((e) => !e.description.startsWith('Internal:') && e.name !== 'SupervisorAlertRaised').map((e) => e.name);
}

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
const newSubscriptionId = () => `asub_${[...randomBytes(20)].map((b) => ID_ALPHABET[b % 36]).join('')}`;
const newSecret = () => `whsec_${randomBytes(32).toString('base64url')}`;

const notFound = (id: string) => problems.notFound(`Alert subscription ${id}`);
const subscriptionReply = (s: store.AlertSubscription, extra: Record<string, unknown> = {}, status?: number) => ({
  ...(status ? { status } : {}),
  body: { ...s, ...extra },
  headers: { etag: etagOf(s.id, s.version) },
});

async function own(supervisor: string, id: string): Promise<store.StoredSubscription> {
  const found = await store.getSubscription(supervisor, id);
  if (!found) throw notFound(id);
  return found;
}

export const alertsApi: Implementations<typeof alertRoutes> = {
  async createAlertSubscription({ body, ctx }) {
    const errors: FieldError[] = [];
    const region = ctx.deploymentRegion;
    const regions = [...new Set(body.filters?.regions ?? [region])];
    regions.forEach((code, i) => {
      if (!withinDivision(ctx.actor.region, code)) errors.push({ field: `body.filters.regions[${i}]`, message: `${code} is not ${ctx.actor.region} or a division within it` });
    });
    const known = new Set(alertableEventTypes());
    const eventTypes = [...new Set(body.filters?.eventTypes ?? [])];
    eventTypes.forEach((name, i) => {
      if (!known.has(name)) errors.push({ field: `body.filters.eventTypes[${i}]`, message: `${name} is not an alertable event of the catalog` });
    });
    if (body.webhook) {
      const problem = webhookUrlProblem(body.webhook.url, allowLoopbackWebhooks());
      if (problem) errors.push({ field: 'body.webhook.url', message: problem });
    }
    if (errors.length) throw problems.validation(errors);

    const now = new Date().toISOString();
    const filters: SubscriptionFilters = { regions, departments: [...new Set(body.filters?.departments ?? [])], eventTypes, minSeverity: body.filters?.minSeverity ?? 'info' };
    const signingSecret = body.webhook ? newSecret() : undefined;
    const id = newSubscriptionId();
    const subscription: store.StoredSubscription = {
      id,
      version: 1,
      supervisor: ctx.actor.sub,
      region,
      ...(body.name ? { name: body.name } : {}),
      filters,
      ...(body.webhook ? { webhook: { url: new URL(body.webhook.url).toString() } } : {}),
      active: true,
      createdAt: now,
      createdBy: ctx.actor.sub,
      updatedAt: now,
      ...(signingSecret ? { sealedSigningSecret: await store.sealSigningSecret(id, signingSecret) } : {}),
    };
    const reply = subscriptionReply(store.publicSubscription(subscription), signingSecret ? { signingSecret } : {}, 201);
    // The stored reply a retry with the same Idempotency-Key gets: never the secret, and saying so.
    const replay = subscriptionReply(store.publicSubscription(subscription), signingSecret ? { signingSecretWithheld: true } : {}, 201);
    await store.createSubscription(subscription, ctx.idempotency ? [ctx.idempotency.recordItem({ status: 201, body: replay.body, headers: replay.headers })] : []);
    return reply;
  },

  async listAlertSubscriptions({ query, ctx }) {
    return { body: await store.listSubscriptions(ctx.actor.sub, pageSize(query.limit), query.cursor) };
  },

  async getAlertSubscription({ params, ctx }) {
    return subscriptionReply(store.publicSubscription(await own(ctx.actor.sub, params.subscriptionId)));
  },

  async deactivateAlertSubscription({ params, ctx }) {
    const current = await own(ctx.actor.sub, params.subscriptionId);
    if (!current.active) return subscriptionReply(store.publicSubscription(current));
    const now = new Date().toISOString();
    const next: store.StoredSubscription = { ...current, version: current.version + 1, active: false, deactivatedAt: now, deactivatedBy: ctx.actor.sub, updatedAt: now };
    await guardConcurrentUpdate('subscription', () => store.replaceSubscription(next, current.version));
    return subscriptionReply(store.publicSubscription(next));
  },

  async rotateAlertSubscriptionSecret({ params, ctx }) {
    const current = await own(ctx.actor.sub, params.subscriptionId);
    if (!current.active) throw problems.invalidState('The subscription is deactivated; create a new one');
    if (!current.webhook || !current.sealedSigningSecret) throw problems.invalidState('The subscription has no webhook, so it has no signing secret');
    const now = new Date();
    const signingSecret = newSecret();
    const next: store.StoredSubscription = {
      ...current,
      version: current.version + 1,
      sealedSigningSecret: await store.sealSigningSecret(current.id, signingSecret),
      sealedPreviousSecret: current.sealedSigningSecret,
      previousSecretUntil: new Date(now.getTime() + ROTATION_GRACE_MS).toISOString(),
      secretRotatedAt: now.toISOString(),
      updatedAt: now.toISOString(),
    };
    await guardConcurrentUpdate('subscription', () => store.replaceSubscription(next, current.version));
    return subscriptionReply(store.publicSubscription(next), { signingSecret });
  },

  async listAlerts({ query, ctx }) {
    return { body: await store.listAlerts(ctx.actor.sub, query.status, pageSize(query.limit), query.cursor) };
  },

  async getAlert({ params, ctx }) {
    const alert = await store.getAlert(ctx.actor.sub, params.alertId);
    if (!alert) throw problems.notFound(`Alert ${params.alertId}`);
    return { body: alert };
  },

  async readAlert({ params, ctx }) {
    const alert = await store.markRead(ctx.actor.sub, params.alertId, ctx.actor.sub, new Date().toISOString());
    if (!alert) throw problems.notFound(`Alert ${params.alertId}`);
    return { body: alert };
  },

  async acknowledgeAlert({ params, body, ctx }) {
    const acknowledged = await store.acknowledge(ctx.actor.sub, params.alertId, ctx.actor.sub, new Date().toISOString(), body?.note);
    if (acknowledged) return { body: acknowledged };
    const existing = await store.getAlert(ctx.actor.sub, params.alertId);
    if (!existing) throw problems.notFound(`Alert ${params.alertId}`);
    throw problems.invalidState(`Alert ${params.alertId} was already acknowledged by ${existing.acknowledgedBy} at ${existing.acknowledgedAt}`);
  },
};
