/**
 * The consumer wrapper on real DynamoDB Local: the envelope is parsed with the event's schema
 * from events/, and a duplicate delivery (same detail.meta.eventId, new envelope id, as after
 * a relay re-publication) has one effect. The handler here is deliberately not idempotent
 * itself (it increments a counter), so only the wrapper can keep the count at one.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { DeleteCommand, GetCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { standardTable } from '../../shared/manifest.ts';
import { documentClient, resetDynamoClientsForTesting } from '../../shared/clients/dynamodb.ts';
import { applyOnce, createConsumer, EventSchemaError } from '../../shared/consumer.ts';
import { ensureTable } from '../../infra/local/tables.ts';
import example from '../../events/examples/IndicatorPublished.v1.json' with { type: 'json' };
import { lambdaContext } from '../support/api-event.ts';
import { uniquePrefix, useLocalAws } from '../support/aws-env.ts';

let consumer: ReturnType<typeof createConsumer>;
/** The same counter, committed through applyOnce. */
let onceConsumer: ReturnType<typeof createConsumer>;
let tableName: string;

beforeAll(async () => {
  const endpoint = useLocalAws();
  tableName = `${uniquePrefix()}consumer`;
  const dynamo = new DynamoDBClient({ endpoint, region: 'cn-northwest-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  await ensureTable(dynamo, tableName, standardTable());
  dynamo.destroy();
  process.env.TABLE_NAME = tableName;
  process.env.AWS_LAMBDA_FUNCTION_NAME = 'test-consumer';
  resetDynamoClientsForTesting();
  consumer = createConsumer(async (event) => {
    await documentClient().send(
      new UpdateCommand({
        TableName: tableName,
        Key: { pk: `COUNT#${event.meta.subject.id}`, sk: 'COUNT' },
        UpdateExpression: 'ADD effects :one',
        ExpressionAttributeValues: { ':one': 1 },
      }),
    );
  });
  onceConsumer = createConsumer(async (event) => {
    await applyOnce(event, [
      { Update: { TableName: tableName, Key: { pk: `COUNT#${event.meta.subject.id}`, sk: 'COUNT' }, UpdateExpression: 'ADD effects :one', ExpressionAttributeValues: { ':one': 1 } } },
    ]);
  });
});

/**
 * What a store failure between the effect and the completion of the idempotency record leaves
 * behind, once the in-progress record has expired: no record at all for the event. The real
 * engine cannot be made to fail exactly there on demand, so the record is removed directly.
 */
async function loseIdempotencyRecords(): Promise<number> {
  const items = (await documentClient().send(new ScanCommand({ TableName: tableName, ConsistentRead: true }))).Items ?? [];
  const records = items.filter((i) => typeof i.status === 'string' && ['INPROGRESS', 'COMPLETED'].includes(i.status as string));
  for (const r of records) await documentClient().send(new DeleteCommand({ TableName: tableName, Key: { pk: r.pk, sk: r.sk } }));
  return records.length;
}

function envelope(eventId: string, subjectId: string, detail: unknown = example) {
  const d = structuredClone(detail) as typeof example;
  d.meta.eventId = eventId;
  d.meta.subject.id = subjectId;
  return { version: '0', id: randomUUID(), 'detail-type': 'IndicatorPublished', source: 'jixiao.indicators', account: '000000000000', time: '2026-11-28T08:00:00Z', region: 'cn-northwest-1', resources: [], detail: d };
}

async function effects(subjectId: string): Promise<number> {
  const r = await documentClient().send(new GetCommand({ TableName: tableName, Key: { pk: `COUNT#${subjectId}`, sk: 'COUNT' }, ConsistentRead: true }));
  return (r.Item?.effects as number | undefined) ?? 0;
}

describe('event consumer wrapper', () => {
  it('has one effect for a duplicate delivery of the same event', async () => {
    const eventId = randomUUID();
    await consumer(envelope(eventId, 'dup-1') as never, lambdaContext('test-consumer'));
    await consumer(envelope(eventId, 'dup-1') as never, lambdaContext('test-consumer'));
    expect(await effects('dup-1')).toBe(1);
  });

  it('has one effect per distinct event', async () => {
    await consumer(envelope(randomUUID(), 'distinct') as never, lambdaContext('test-consumer'));
    await consumer(envelope(randomUUID(), 'distinct') as never, lambdaContext('test-consumer'));
    expect(await effects('distinct')).toBe(2);
  });

  it('rejects an event whose detail does not match its schema, with no effect', async () => {
    const bad = envelope(randomUUID(), 'bad-1');
    (bad.detail.data.indicator as { level1: string }).level1 = 'inputs';
    await expect(consumer(bad as never, lambdaContext('test-consumer'))).rejects.toThrow(EventSchemaError);
    expect(await effects('bad-1')).toBe(0);
  });

  it('rejects an event type that is not in the catalog', async () => {
    const unknown = { ...envelope(randomUUID(), 'u-1'), 'detail-type': 'SomethingElse' };
    await expect(consumer(unknown as never, lambdaContext('test-consumer'))).rejects.toThrow(/unknown event type/);
  });

  it('runs a handler again once its idempotency record is lost, so a bare counter counts twice', async () => {
    const eventId = randomUUID();
    await consumer(envelope(eventId, 'lost-bare') as never, lambdaContext('test-consumer'));
    expect(await loseIdempotencyRecords()).toBeGreaterThan(0);
    await consumer(envelope(eventId, 'lost-bare') as never, lambdaContext('test-consumer'));
    expect(await effects('lost-bare')).toBe(2);
  });

  it('applies an effect committed through applyOnce once, also after its idempotency record is lost', async () => {
    const eventId = randomUUID();
    await onceConsumer(envelope(eventId, 'lost-once') as never, lambdaContext('test-consumer'));
    expect(await loseIdempotencyRecords()).toBeGreaterThan(0);
    await onceConsumer(envelope(eventId, 'lost-once') as never, lambdaContext('test-consumer'));
    expect(await effects('lost-once')).toBe(1);
    const marker = await documentClient().send(new GetCommand({ TableName: tableName, Key: { pk: `APPLIED#${eventId}`, sk: 'test-consumer' }, ConsistentRead: true }));
    expect(marker.Item).toMatchObject({ kind: 'applied-marker', detailType: 'IndicatorPublished' });
  });

  it('applies two distinct events through applyOnce twice', async () => {
    await onceConsumer(envelope(randomUUID(), 'once-distinct') as never, lambdaContext('test-consumer'));
    await onceConsumer(envelope(randomUUID(), 'once-distinct') as never, lambdaContext('test-consumer'));
    expect(await effects('once-distinct')).toBe(2);
  });
});
