/**
 * Delivers SupervisorAlertRaised to the subscription's webhook: a JSON POST signed with the
 * subscription's secret (`X-Jixiao-Signature: t=…,v1=…`, see domain/alerts.ts), with the alert
 * id (the receiver's dedup key) and the attempt number, 5 s for the whole exchange, no redirects
 * followed, the host resolved once and only a public address connected to, at most 64 KB of the
 * answer read (outbound.ts).
 *
 * 2xx → delivered. 408, 429, 5xx, timeouts and network errors → the attempt is recorded and
 * `deliver` throws, so the bus retries with back-off (after the subscription's last attempt the
 * event waits in the dead-letter store; `npm run dlq` redrives it). Any other status → recorded as
 * failed for good, not retried. Each attempt is kept on the alert's delivery record.
 */
import type { SupervisorAlertRaised } from '../../../events/accountability-alerts.ts';
import type { ConsumedEvent } from '../../../shared/consumer.ts';
import { optionalEnv } from '../../../shared/env.ts';
import { logger } from '../../../shared/logger.ts';
import { erasePreviousSecret, getAlert, getSubscription, previousSecretSpent, recordDelivery, signingSecrets, type DeliveryAttempt, type DeliveryRecord, type InboxAlert } from '../store/alerts.ts';
import { ALERT_ID_HEADER, ATTEMPT_HEADER, deliveryOutcome, SIGNATURE_HEADER, signWebhook, webhookUrlProblem } from '../domain/alerts.ts';
import { postOutbound } from './outbound.ts';

/** Plain-http webhooks to 127.0.0.1/localhost: set by the local runtime only, never by CDK. */
export const ALLOW_LOOPBACK_ENV = 'JIXIAO_ALLOW_LOOPBACK_WEBHOOKS';
export const allowLoopbackWebhooks = () => optionalEnv(ALLOW_LOOPBACK_ENV) === 'true';

export const WEBHOOK_TIMEOUT_MS = 5000;
const HISTORY = 10;

export class RetryableDeliveryError extends Error {
  override name = 'RetryableDeliveryError';
}

/** The JSON a receiver gets. */
export function webhookPayload(alert: InboxAlert) {
  return {
    id: alert.id,
    type: 'jixiao.supervisor-alert',
    subscriptionId: alert.subscriptionId,
    severity: alert.severity,
    title: alert.title,
    eventType: alert.eventType,
    eventId: alert.eventId,
    subject: alert.subject,
    region: alert.region,
    ...(alert.department ? { department: alert.department } : {}),
    ...(alert.unit ? { unit: alert.unit } : {}),
    ...(alert.fiscalYear !== undefined ? { fiscalYear: alert.fiscalYear } : {}),
    ...(alert.objectId ? { objectId: alert.objectId } : {}),
    ...(alert.objectName ? { objectName: alert.objectName } : {}),
    occurredAt: alert.occurredAt,
    raisedAt: alert.raisedAt,
    data: alert.data,
  };
}

export async function deliver(event: ConsumedEvent, now: () => Date = () => new Date()): Promise<void> {
  const raised = event.data as SupervisorAlertRaised['data'];
  const [subscription, alert] = await Promise.all([getSubscription(raised.supervisor, raised.subscriptionId), getAlert(raised.supervisor, raised.alertId)]);
  if (!alert) throw new Error(`alert ${raised.alertId} is not in the inbox of ${raised.supervisor}`);
  if (alert.delivery.state === 'delivered' || alert.delivery.state === 'failed') return;
  if (!subscription?.active || !subscription.webhook) {
    if (alert.delivery.state !== 'not_applicable') {
      await recordDelivery(alert.supervisor, alert.id, { ...alert.delivery, state: 'not_applicable', lastError: subscription?.active === false ? 'subscription deactivated before delivery' : 'no webhook' });
    }
    return;
  }

  const attempt = alert.delivery.attempts + 1;
  const started = now();
  // A previous secret past its overlap signs nothing more: erase it now.
  if (subscription.previousSecretUntil && previousSecretSpent(subscription, started)) {
    await erasePreviousSecret(subscription.supervisor, subscription.id, subscription.previousSecretUntil);
  }
  const at = started.toISOString();
  const allowLoopback = allowLoopbackWebhooks();
  const url = new URL(subscription.webhook.url);
  let result: { status?: number; error?: string };
  let outcome: DeliveryAttempt['outcome'];
  const refused = webhookUrlProblem(url.toString(), allowLoopback);
  if (refused) {
    result = { error: refused };
    outcome = 'failed';
  } else {
    const body = JSON.stringify(webhookPayload(alert));
    const t = Math.floor(started.getTime() / 1000);
    const answer = await postOutbound(
      url,
      body,
      {
        'content-type': 'application/json; charset=utf-8',
        'user-agent': 'Jixiao-Webhooks/1',
        [SIGNATURE_HEADER]: signWebhook(await signingSecrets(subscription, started), body, t),
        [ALERT_ID_HEADER]: alert.id,
        [ATTEMPT_HEADER]: String(attempt),
      },
      { timeoutMs: WEBHOOK_TIMEOUT_MS, allowLoopback },
    );
    result = answer;
    // An internal address will not become public; a name that did not resolve may.
    outcome = answer.refusedAddress ? 'failed' : deliveryOutcome(answer.status);
  }
  const finished = now();
  const entry: DeliveryAttempt = {
    attempt,
    at,
    ...(result.status !== undefined ? { status: result.status } : {}),
    ...(result.error ? { error: result.error } : {}),
    durationMs: finished.getTime() - started.getTime(),
    outcome,
  };
  const next: DeliveryRecord = {
    state: outcome === 'delivered' ? 'delivered' : outcome === 'failed' ? 'failed' : 'pending',
    attempts: attempt,
    ...(result.status !== undefined ? { lastStatus: result.status } : {}),
    ...(result.error ? { lastError: result.error } : {}),
    lastAttemptAt: at,
    ...(outcome === 'delivered' ? { deliveredAt: finished.toISOString() } : {}),
    ...(outcome === 'failed' ? { failedAt: finished.toISOString() } : {}),
    history: [...alert.delivery.history, entry].slice(-HISTORY),
  };
  await recordDelivery(alert.supervisor, alert.id, next);
  const log = { alertId: alert.id, subscriptionId: subscription.id, host: url.host, attempt, status: result.status, outcome, error: result.error };
  if (outcome === 'retry') {
    logger.warn('webhook delivery failed; the bus will retry', log);
    throw new RetryableDeliveryError(`webhook delivery of ${alert.id} attempt ${attempt} failed: ${result.error ?? `HTTP ${result.status}`}`);
  }
  if (outcome === 'failed') logger.error('webhook delivery refused for good; not retried', log);
  else logger.info('webhook delivered', log);
}
