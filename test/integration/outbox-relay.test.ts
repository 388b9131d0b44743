/**
 * The outbox path on real DynamoDB Local streams and the real PutEvents wire protocol:
 * state and event commit together, and a relay that fails mid-batch loses nothing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { newEvent, writeWithOutbox, type OutboxEvent } from '../../shared/outbox.ts';
import { documentClient } from '../../shared/clients/dynamodb.ts';
import { eventually } from '../support/runtime.ts';
import { startOutboxRig, type OutboxRig } from '../support/outbox-rig.ts';

let rig: OutboxRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const actor = { sub: 'test', role: 'finance' as const, region: '360000' };
function events(count: number): OutboxEvent[] {
  return Array.from({ length: count }, (_, i) =>
    newEvent({ detailType: 'TestHappened', version: 1, subject: { type: 'indicator', id: `obj-${i}` }, actor, region: '360000', correlationId: 'c', data: { n: i } }),
  );
}
const eventIdOf = (e: { detail: unknown }) => (e.detail as { meta: { eventId: string } }).meta.eventId;

describe('transactional outbox and relay', () => {
  it('publishes every committed event exactly as written', async () => {
    rig = await startOutboxRig();
    const written = events(3);
    await writeWithOutbox({ tableName: rig.tableName, source: 'jixiao.test', items: [], events: written });
    const current = rig;
    await eventually(async () => (current.delivered.length >= 3 ? true : undefined), 5000);
    expect(rig.delivered.map(eventIdOf).sort()).toEqual(written.map((e) => e.detail.meta.eventId).sort());
    expect(rig.delivered[0]).toMatchObject({ source: 'jixiao.test', 'detail-type': 'TestHappened' });
  });

  it('publishes nothing when the state change fails its condition', async () => {
    rig = await startOutboxRig();
    await documentClient().send(new PutCommand({ TableName: rig.tableName, Item: { pk: 'X', sk: 'META', version: 2 } }));
    const stale = writeWithOutbox({
      tableName: rig.tableName,
      source: 'jixiao.test',
      items: [{ Put: { TableName: rig.tableName, Item: { pk: 'X', sk: 'META', version: 2 }, ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': 1 } } }],
      events: events(1),
    });
    await expect(stale).rejects.toThrow(/ConditionalCheckFailed|Transaction cancelled/);
    // A later event proves the stream was read past the point where the failed one would be.
    const later = events(1);
    await writeWithOutbox({ tableName: rig.tableName, source: 'jixiao.test', items: [], events: later });
    const current = rig;
    await eventually(async () => (current.delivered.length ? true : undefined), 5000);
    expect(rig.delivered.map(eventIdOf)).toEqual([later[0]?.detail.meta.eventId]);
  });

  it('loses no event when PutEvents fails one entry mid-batch beyond the relay retries', async () => {
    const written = events(25);
    const victim = written[12]?.detail.meta.eventId as string;
    let victimFailures = 0;
    rig = await startOutboxRig({
      faults: {
        failEntry: (entry) => {
          if (JSON.parse(entry.Detail ?? '{}').meta?.eventId !== victim || victimFailures >= 4) return undefined;
          victimFailures++;
          return { ErrorCode: 'InternalFailure', ErrorMessage: 'injected by the test' };
        },
      },
    });
    await writeWithOutbox({ tableName: rig.tableName, source: 'jixiao.test', items: [], events: written });
    const current = rig;
    await eventually(async () => (new Set(current.delivered.map(eventIdOf)).size >= 25 ? true : undefined), 10_000);

    expect(new Set(rig.delivered.map(eventIdOf))).toEqual(new Set(written.map((e) => e.detail.meta.eventId)));
    // The relay gave the batch back from the failed record on: 13 of 25 records.
    const firstFailure = rig.relayResponses.find((r) => r.batchItemFailures.length > 0);
    expect(firstFailure?.batchItemFailures).toHaveLength(13);
    expect(victimFailures).toBe(4);
  });

  it('fails a foreign-source outbox item to the on-failure destination, and publishes the rest of its batch', async () => {
    rig = await startOutboxRig({ streamRetries: 2 });
    const [before, foreign, after] = events(3) as [OutboxEvent, OutboxEvent, OutboxEvent];
    // Three commits in a row: the relay reads them in one batch, the foreign one in the middle.
    await writeWithOutbox({ tableName: rig.tableName, source: 'jixiao.test', items: [], events: [before] });
    await writeWithOutbox({ tableName: rig.tableName, source: 'jixiao.other', items: [], events: [foreign] });
    await writeWithOutbox({ tableName: rig.tableName, source: 'jixiao.test', items: [], events: [after] });
    const current = rig;

    const setAside = await eventually(async () => {
      const records = current.failedOver();
      return records.some((r) => r.dynamodb?.NewImage?.eventId?.S === foreign.detail.meta.eventId) ? records : undefined;
    }, 20_000);

    // The foreign item was never published; its neighbours were (once or more: consumers are idempotent).
    expect(new Set(rig.delivered.map(eventIdOf))).toEqual(new Set([before.detail.meta.eventId, after.detail.meta.eventId]));
    expect(rig.delivered.every((e) => e.source === 'jixiao.test')).toBe(true);
    // Every relay answer that failed a record named the foreign item's record first.
    const foreignSequence = setAside.find((r) => r.dynamodb?.NewImage?.eventId?.S === foreign.detail.meta.eventId)?.dynamodb?.SequenceNumber;
    const failing = rig.relayResponses.filter((r) => r.batchItemFailures.length > 0);
    expect(failing.length).toBeGreaterThan(0);
    expect(failing.every((r) => r.batchItemFailures[0]?.itemIdentifier === foreignSequence)).toBe(true);
  });
});
