/**
 * The alerts consumer: every alertable Jixiao event is matched against the active
 * subscriptions of this region; each match files an alert in the supervisor's inbox and, in
 * the same transaction, a SupervisorAlertRaised outbox item (delivered to the webhook by the
 * webhooks function and, in AWS, to the region's SNS alert topic). The alert id is derived
 * from (subscription, event), so a redelivered event files nothing twice.
 */
import type { ConsumedEvent } from '../../../shared/consumer.ts';
import { ENV_KEYS, requireEnv } from '../../../shared/env.ts';
import { logger } from '../../../shared/logger.ts';
import { activeSubscriptions, fileAlert, type InboxAlert, type StoredSubscription } from '../store/alerts.ts';
import { supervisorAlertRaised } from '../events.ts';
import { alertFacts, alertIdFor, alertTitle, matchesFilters, severityOf } from '../domain/alerts.ts';

export async function raiseAlerts(event: ConsumedEvent, subscriptions: readonly StoredSubscription[], now = new Date()): Promise<number> {
  const severity = severityOf(event);
  const facts = alertFacts(event);
  const matching = subscriptions.filter((s) => s.active && matchesFilters(s.filters, event.detailType, facts, severity));
  if (matching.length === 0) return 0;
  const title = alertTitle(event, facts);
  const raisedAt = now.toISOString();
  const region = requireEnv(ENV_KEYS.regionCode);
  let filed = 0;
  for (const s of matching) {
    const id = alertIdFor(s.id, event.meta.eventId);
    const summary = {
      subscriptionId: s.id,
      supervisor: s.supervisor,
      severity,
      title,
      eventType: event.detailType,
      eventId: event.meta.eventId,
      eventSource: event.source,
      subject: event.meta.subject,
      region: facts.region,
      ...(facts.department ? { department: facts.department } : {}),
      ...(facts.unit ? { unit: facts.unit } : {}),
      ...(facts.fiscalYear !== undefined ? { fiscalYear: facts.fiscalYear } : {}),
      ...(facts.objectId ? { objectId: facts.objectId } : {}),
      ...(facts.objectName ? { objectName: facts.objectName } : {}),
      occurredAt: event.meta.occurredAt,
      raisedAt,
    };
    const alert: InboxAlert = {
      id,
      ...summary,
      data: event.data,
      status: 'unread',
      delivery: { state: s.webhook ? 'pending' : 'not_applicable', attempts: 0, history: [] },
    };
    const raised = supervisorAlertRaised(event.meta.subject, { alertId: id, ...summary, webhook: !!s.webhook }, {
      actor: { sub: 'system', role: 'system', region },
      region,
      correlationId: event.meta.correlationId,
      causationId: event.meta.eventId,
      now,
    });
    if (await fileAlert(alert, raised)) filed++;
  }
  logger.info('alerts raised', { detailType: event.detailType, severity, matched: matching.length, filed });
  return filed;
}

/** The consumer's work for one event: match it against the region's active subscriptions and file the alerts. */
export async function alertOnEvent(event: ConsumedEvent): Promise<number> {
  return raiseAlerts(event, await activeSubscriptions(requireEnv(ENV_KEYS.regionCode)));
}
