/**
 * The event consumer wrapper. It parses the EventBridge envelope with the event's own detail
 * schema from `events/` and runs the handler at most once per `detail.meta.eventId`
 * (Powertools idempotency, records kept in the service's own table). A failure throws, so the
 * bus retries and finally parks the event in the rule's dead-letter queue.
 */
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { Context, EventBridgeEvent } from 'aws-lambda';
import { catalogEntry } from '../events/catalog.ts';
import { eventEnvelope, type EventMeta } from '../events/envelope.ts';
import { dynamoClient } from './clients/dynamodb.ts';
import { ENV_KEYS, requireEnv } from './env.ts';
import { logger } from './logger.ts';
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
