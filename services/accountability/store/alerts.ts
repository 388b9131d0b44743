/**
 * Table access of supervisor alerts: subscriptions, inbox alerts and their webhook delivery
 * records. Only gsi2 is used, and only with the `ASUBS#` and `AINBOX#` prefixes.
 *
 * | item                         | pk                   | sk                | gsi2pk / gsi2sk |
 * |------------------------------|----------------------|-------------------|-----------------|
 * | alert subscription           | SUPERVISOR#<sub>     | ASUB#<subId>      | ASUBS#<ownerRegion> / <subId> — only while active (sparse: the alerts consumer's lookup) |
 * | inbox alert (+ its delivery) | SUPERVISOR#<sub>     | ALERT#<alertId>   | AINBOX#<sub> / <raisedAt>#<alertId> (newest first) |
 *
 * A subscription's signing secret (`sealedSigningSecret`, and `sealedPreviousSecret` until
 * `previousSecretUntil` after a rotation) lives only on the subscription item, and only sealed:
 * envelope-encrypted under the service's key (shared/keys/secret-box.ts), bound to the
 * subscription, so the table, its stream images and backups hold no secret in clear text.
 * `publicSubscription` drops it from everything the API lists or returns, and the stored reply
 * of a creating request (Idempotency-Key) never holds it. The previous secret is erased at the
 * first write or delivery after its overlap, and a deactivated subscription keeps none. The alert id is deterministic per
 * (subscription, event) and the alert is put with attribute_not_exists, in the same
 * transaction as its SupervisorAlertRaised outbox item, so a redelivered event files nothing twice.
 */
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../../../shared/clients/dynamodb.ts';
import { cancelledByConditions, conditionFailed } from '../../../shared/conditions.ts';
import { ENV_KEYS, requireEnv } from '../../../shared/env.ts';
import { stripKeys } from '../../../shared/items.ts';
import { openSecret, sealSecret, type SealedSecret, type SecretContext } from '../../../shared/keys/secret-box.ts';
import { writeWithOutbox, type OutboxEvent } from '../../../shared/outbox.ts';
import type { Page } from '../../../shared/pagination.ts';
import { queryPage, type Filter } from '../../../shared/query.ts';
import type { Subject } from '../../../events/envelope.ts';
import type { Severity, SubscriptionFilters } from '../domain/alerts.ts';

const table = () => requireEnv(ENV_KEYS.tableName);
const source = () => requireEnv(ENV_KEYS.eventSource);
const GSI2 = { name: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' } as const;

export interface AlertSubscription {
  id: string;
  version: number;
  supervisor: string;
  /** The supervisor's region (the deployment's). */
  region: string;
  name?: string;
  filters: SubscriptionFilters;
  webhook?: { url: string };
  active: boolean;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  deactivatedAt?: string;
  deactivatedBy?: string;
  secretRotatedAt?: string;
}

/** The stored form, with the sealed secrets. */
export interface StoredSubscription extends AlertSubscription {
  sealedSigningSecret?: SealedSecret;
  sealedPreviousSecret?: SealedSecret;
  previousSecretUntil?: string;
}

const SECRET_FIELDS = ['sealedSigningSecret', 'sealedPreviousSecret', 'previousSecretUntil'] as const;

/** What a subscription's secret is bound to: sealed for one subscription, it opens for no other. */
const secretContext = (subscriptionId: string): SecretContext => ({ service: 'accountability', purpose: 'webhook-signing-secret', subscription: subscriptionId });

/** Seals a new signing secret for the subscription (the clear text is shown once, in the API's reply). */
export const sealSigningSecret = (subscriptionId: string, secret: string): Promise<SealedSecret> => sealSecret(secret, secretContext(subscriptionId));

/** A subscription without its secrets: the only form that leaves this module for the API. */
export function publicSubscription(s: StoredSubscription): AlertSubscription {
  const out: Record<string, unknown> = { ...s };
  for (const f of SECRET_FIELDS) delete out[f];
  return out as unknown as AlertSubscription;
}

/** Whether the previous secret's rotation overlap has ended at `now` (or there is none). */
export function previousSecretSpent(s: StoredSubscription, now: Date): boolean {
  return !s.previousSecretUntil || Date.parse(s.previousSecretUntil) <= now.getTime();
}

/**
 * The subscription as it should be stored at `now`: the previous secret and its deadline are
 * dropped once the rotation's overlap has ended, and a deactivated subscription keeps no
 * secret at all (it delivers nothing more). Every write of a subscription goes through this.
 */
export function withoutSpentSecrets(s: StoredSubscription, now: Date): StoredSubscription {
  const out: StoredSubscription = { ...s };
  if (!out.active) delete out.sealedSigningSecret;
  if (!out.active || previousSecretSpent(out, now)) {
    delete out.sealedPreviousSecret;
    delete out.previousSecretUntil;
  }
  return out;
}

/**
 * Erases a previous secret whose overlap has ended (a delivery finds it so): only if the item
 * still holds that same deadline, so a rotation in between is not undone. Nothing to do is no error.
 */
export async function erasePreviousSecret(supervisor: string, id: string, until: string): Promise<void> {
  try {
    await documentClient().send(
      new UpdateCommand({
        TableName: table(),
        Key: subscriptionKey(supervisor, id),
        UpdateExpression: 'REMOVE sealedPreviousSecret, previousSecretUntil',
        ConditionExpression: 'previousSecretUntil = :until',
        ExpressionAttributeValues: { ':until': until },
      }),
    );
  } catch (error) {
    if (!conditionFailed(error)) throw error;
  }
}

/** The secrets a delivery signs with now, opened: the current one, and the previous one during its grace period. */
export async function signingSecrets(s: StoredSubscription, now: Date): Promise<string[]> {
  const sealed = [s.sealedSigningSecret, ...(previousSecretSpent(s, now) ? [] : [s.sealedPreviousSecret])].filter((x): x is SealedSecret => x !== undefined);
  return Promise.all(sealed.map((x) => openSecret(x, secretContext(s.id))));
}

export type AlertStatus = 'unread' | 'read' | 'acknowledged';

export interface DeliveryAttempt {
  attempt: number;
  at: string;
  status?: number;
  error?: string;
  durationMs: number;
  outcome: 'delivered' | 'retry' | 'failed';
}

export interface DeliveryRecord {
  state: 'pending' | 'delivered' | 'failed' | 'not_applicable';
  attempts: number;
  lastStatus?: number;
  lastError?: string;
  lastAttemptAt?: string;
  deliveredAt?: string;
  failedAt?: string;
  /** The latest attempts, oldest first (at most 10). */
  history: DeliveryAttempt[];
}

export interface InboxAlert {
  id: string;
  subscriptionId: string;
  supervisor: string;
  severity: Severity;
  title: string;
  eventType: string;
  eventId: string;
  eventSource: string;
  subject: Subject;
  region: string;
  department?: string;
  unit?: string;
  fiscalYear?: number;
  objectId?: string;
  objectName?: string;
  occurredAt: string;
  raisedAt: string;
  /** The triggering event's data, as published. */
  data: unknown;
  status: AlertStatus;
  readAt?: string;
  readBy?: string;
  acknowledgedAt?: string;
  acknowledgedBy?: string;
  acknowledgementNote?: string;
  delivery: DeliveryRecord;
}

const subscriptionKey = (supervisor: string, id: string) => ({ pk: `SUPERVISOR#${supervisor}`, sk: `ASUB#${id}` });
const alertKey = (supervisor: string, id: string) => ({ pk: `SUPERVISOR#${supervisor}`, sk: `ALERT#${id}` });

function subscriptionItem(s: StoredSubscription) {
  return {
    ...subscriptionKey(s.supervisor, s.id),
    kind: 'alert-subscription',
    ...(s.active ? { gsi2pk: `ASUBS#${s.region}`, gsi2sk: s.id } : {}),
    ...s,
  };
}

async function get<T>(key: { pk: string; sk: string }): Promise<T | undefined> {
  const { Item } = await documentClient().send(new GetCommand({ TableName: table(), Key: key, ConsistentRead: true }));
  return Item ? stripKeys<T>(Item) : undefined;
}

// ---------- subscriptions ----------

/** Creates a subscription (with the idempotency record, when the request carried a key). */
export async function createSubscription(s: StoredSubscription, extra: Parameters<typeof writeWithOutbox>[0]['items'] = []): Promise<void> {
  const put = { Put: { TableName: table(), Item: subscriptionItem(s), ConditionExpression: 'attribute_not_exists(pk)' } };
  if (extra.length === 0) {
    await documentClient().send(new PutCommand(put.Put));
    return;
  }
  await writeWithOutbox({ tableName: table(), source: source(), items: [put, ...extra], events: [] });
}

export const getSubscription = (supervisor: string, id: string) => get<StoredSubscription>(subscriptionKey(supervisor, id));

/** Replaces a subscription at the version read (deactivation drops it from the region index). */
export async function replaceSubscription(next: StoredSubscription, expectedVersion: number): Promise<void> {
  await documentClient().send(
    new PutCommand({
      TableName: table(),
      Item: subscriptionItem(withoutSpentSecrets(next, new Date())),
      ConditionExpression: 'attribute_exists(pk) AND #v = :v',
      ExpressionAttributeNames: { '#v': 'version' },
      ExpressionAttributeValues: { ':v': expectedVersion },
    }),
  );
}

export async function listSubscriptions(supervisor: string, limit: number, cursor?: string): Promise<Page<AlertSubscription>> {
  const page = await queryPage({
    tableName: table(),
    partition: `SUPERVISOR#${supervisor}`,
    sortCondition: { expression: 'begins_with(#sk, :p)', values: { ':p': 'ASUB#' } },
    limit,
    ...(cursor ? { cursor } : {}),
  });
  return { items: page.items.map((i) => publicSubscription(stripKeys<StoredSubscription>(i))), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
}

/** Every active subscription of a region (the consumer's lookup; a region has tens, not thousands). */
export async function activeSubscriptions(region: string): Promise<StoredSubscription[]> {
  const out: StoredSubscription[] = [];
  let cursor: string | undefined;
  do {
    const page = await queryPage({ tableName: table(), index: GSI2, partition: `ASUBS#${region}`, limit: 100, ...(cursor ? { cursor } : {}) });
    out.push(...page.items.map((i) => stripKeys<StoredSubscription>(i)));
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

// ---------- inbox ----------

function alertItem(a: InboxAlert) {
  return { ...alertKey(a.supervisor, a.id), kind: 'alert', gsi2pk: `AINBOX#${a.supervisor}`, gsi2sk: `${a.raisedAt}#${a.id}`, ...a };
}

/**
 * Files an alert (and its outbox event) unless this alert id is already filed. Returns false
 * for a repeat (a redelivered or retried event).
 */
export async function fileAlert(alert: InboxAlert, event: OutboxEvent): Promise<boolean> {
  try {
    await writeWithOutbox({
      tableName: table(),
      source: source(),
      items: [{ Put: { TableName: table(), Item: alertItem(alert), ConditionExpression: 'attribute_not_exists(pk)' } }],
      events: [event],
    });
    return true;
  } catch (error) {
    if (cancelledByConditions(error)) return false;
    throw error;
  }
}

export const getAlert = (supervisor: string, id: string) => get<InboxAlert>(alertKey(supervisor, id));

export async function listAlerts(supervisor: string, status: AlertStatus | undefined, limit: number, cursor?: string): Promise<Page<InboxAlert>> {
  const filters: Filter[] = status ? [{ expression: '#status = :status', names: { '#status': 'status' }, values: { ':status': status } }] : [];
  const page = await queryPage({ tableName: table(), index: GSI2, partition: `AINBOX#${supervisor}`, filters, limit, newestFirst: true, ...(cursor ? { cursor } : {}) });
  return { items: page.items.map((i) => stripKeys<InboxAlert>(i)), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
}

/** unread → read; a read or acknowledged alert stays as it is. Returns the alert after. */
export async function markRead(supervisor: string, id: string, by: string, at: string): Promise<InboxAlert | undefined> {
  try {
    const { Attributes } = await documentClient().send(
      new UpdateCommand({
        TableName: table(),
        Key: alertKey(supervisor, id),
        UpdateExpression: 'SET #status = :read, readAt = :at, readBy = :by',
        ConditionExpression: 'attribute_exists(pk) AND #status = :unread',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':read': 'read', ':unread': 'unread', ':at': at, ':by': by },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return Attributes ? stripKeys<InboxAlert>(Attributes) : undefined;
  } catch (error) {
    if (conditionFailed(error)) return getAlert(supervisor, id);
    throw error;
  }
}

/** Acknowledges once (who, when, note); reading is implied. Returns undefined when it already was. */
export async function acknowledge(supervisor: string, id: string, by: string, at: string, note: string | undefined): Promise<InboxAlert | undefined> {
  try {
    const { Attributes } = await documentClient().send(
      new UpdateCommand({
        TableName: table(),
        Key: alertKey(supervisor, id),
        UpdateExpression: `SET #status = :ack, acknowledgedAt = :at, acknowledgedBy = :by, readAt = if_not_exists(readAt, :at), readBy = if_not_exists(readBy, :by)${note ? ', acknowledgementNote = :note' : ''}`,
        ConditionExpression: 'attribute_exists(pk) AND #status <> :ack',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':ack': 'acknowledged', ':at': at, ':by': by, ...(note ? { ':note': note } : {}) },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return Attributes ? stripKeys<InboxAlert>(Attributes) : undefined;
  } catch (error) {
    if (conditionFailed(error)) return undefined;
    throw error;
  }
}

/** Records a delivery attempt's outcome on the alert. */
export async function recordDelivery(supervisor: string, id: string, delivery: DeliveryRecord): Promise<void> {
  await documentClient().send(
    new UpdateCommand({
      TableName: table(),
      Key: alertKey(supervisor, id),
      UpdateExpression: 'SET delivery = :d',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':d': delivery },
    }),
  );
}
