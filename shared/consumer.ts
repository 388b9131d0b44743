/**
 * The event consumer wrapper. It parses the EventBridge envelope with the event's own detail
 * schema from `events/` and suppresses redeliveries per `detail.meta.eventId` (Powertools
 * idempotency, records kept in the service's own table). A failure throws, so the bus retries
 * and finally parks the event in the rule's dead-letter queue.
 *
 * What Powertools cannot promise: the handler's writes and the completion of its idempotency
 * record are two writes. If the store fails between them (measured: a DynamoDB restart under
 * load) or the invocation dies there, the bus retries, the in-progress record expires, and the
 * handler runs a second time. So every effect is applied once by its own construction: either it
 * is keyed by the event (an alert id derived from the event id, a timeline entry per event id, an
 * order id per window) so a second run rewrites the same item, or it commits through `applyOnce`
 * below, in one transaction with a marker of (consumer, event).
 */
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Context, EventBridgeEvent } from 'aws-lambda';
import { catalogEntry } from '../events/catalog.ts';
import { eventEnvelope, type EventMeta } from '../events/envelope.ts';
import { documentClient, dynamoClient } from './clients/dynamodb.ts';
import { conditionFailedAt } from './conditions.ts';
import { ENV_KEYS, requireEnv } from './env.ts';
import { logger } from './logger.ts';
import type { TransactItem } from './outbox.ts';
import { issuesToFields } from './validation.ts';

export interface ConsumedEvent {
  detailType: string;
  source: string;
  /** The envelope id (changes on re-publication; use meta.eventId for identity). */
  envelopeId: string;
  time: string;
  meta: EventMeta;
  data: unknown;
}

export class EventSchemaError extends Error {}

/** Days an idempotency record is kept: longer than any retry or redrive window. */
export const CONSUMER_IDEMPOTENCY_DAYS = 14;

export function parseEnvelope(raw: unknown): ConsumedEvent {
  const detailType = (raw as { 'detail-type'?: unknown })?.['detail-type'];
  const entry = typeof detailType === 'string' ? catalogEntry(detailType) : undefined;
  if (!entry) throw new EventSchemaError(`unknown event type ${String(detailType)}`);
  const parsed = eventEnvelope(entry.detail).safeParse(raw);
  if (!parsed.success) {
    throw new EventSchemaError(
      `${detailType} does not match its schema: ${issuesToFields('detail', parsed.error.issues).map((i) => `${i.field}: ${i.message}`).join('; ')}`,
    );
  }
  const envelope = parsed.data as { id: string; source: string; time: string; detail: { meta: EventMeta; data: unknown } };
  return {
    detailType: detailType as string,
    source: envelope.source,
    envelopeId: envelope.id,
    time: envelope.time,
    meta: envelope.detail.meta,
    data: envelope.detail.data,
  };
}

/**
 * Commits an effect that is not idempotent by itself (a counter, an appended entry with a new id)
 * at most once per consumer and event: its writes and the marker `APPLIED#<eventId>` /
 * `<function name>` commit in one transaction, conditional on the marker's absence. Returns false,
 * writing nothing, when this consumer has already applied the event (its idempotency record was
 * lost after the effect committed). At most 99 writes (DynamoDB's 100 per transaction, less the
 * marker).
 */
export async function applyOnce(event: ConsumedEvent, writes: readonly TransactItem[]): Promise<boolean> {
  const tableName = requireEnv(ENV_KEYS.tableName);
  const consumer = requireEnv('AWS_LAMBDA_FUNCTION_NAME');
  const marker: TransactItem = {
    Put: {
      TableName: tableName,
      Item: {
        pk: `APPLIED#${event.meta.eventId}`,
        sk: consumer,
        kind: 'applied-marker',
        detailType: event.detailType,
        appliedAt: new Date().toISOString(),
        ttl: Math.floor(Date.now() / 1000) + CONSUMER_IDEMPOTENCY_DAYS * 86400,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
  try {
    await documentClient().send(new TransactWriteCommand({ TransactItems: [marker, ...writes] }));
    return true;
  } catch (error) {
    if (!conditionFailedAt(error, 0)) throw error;
    logger.info('event already applied by this consumer; nothing written', { detailType: event.detailType, eventId: event.meta.eventId });
    return false;
  }
}

export function createConsumer(handle: (event: ConsumedEvent) => Promise<void>) {
  const persistenceStore = new DynamoDBPersistenceLayer({
    tableName: requireEnv(ENV_KEYS.tableName),
    keyAttr: 'pk',
    sortKeyAttr: 'sk',
    expiryAttr: 'ttl',
    awsSdkV3Client: dynamoClient(),
  });
  const config = new IdempotencyConfig({
    eventKeyJmesPath: 'detail.meta.eventId',
    throwOnNoIdempotencyKey: true,
    expiresAfterSeconds: CONSUMER_IDEMPOTENCY_DAYS * 86400,
  });
  const inner = async (event: EventBridgeEvent<string, unknown>, _context: Context): Promise<void> => {
    const consumed = parseEnvelope(event);
    logger.appendKeys({ correlation_id: consumed.meta.correlationId, event_id: consumed.meta.eventId });
    await handle(consumed);
  };
  const idempotent = makeIdempotent(inner, { persistenceStore, config });
  return async (event: EventBridgeEvent<string, unknown>, context: Context): Promise<void> => {
    logger.addContext(context);
    try {
      await idempotent(event, context);
    } catch (error) {
      logger.error('event handling failed', { error: error as Error, detailType: event['detail-type'] });
      throw error;
    }
  };
}
