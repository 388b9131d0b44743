/**
 * Fault injection on the real local runtime (issue #8): an outbox relay killed mid-batch,
 * PutEvents partial failures, consumers that fail N times or always (dead letters, redrive
 * through the code `npm run dlq` runs), and DynamoDB TransactionConflict / throttling errors on
 * the real clients of an API and a consumer. For each: no committed event lost, no duplicate
 * effect, the dead-letter store holds exactly what exhausted its retries, redrive completes it.
 *
 * Committed events are read from the producer's table (its outbox items); effects from a
 * test-only consumer whose effect is a non-idempotent counter per event id (faults-probe-entry.ts)
 * and from the real accountability timeline. The DynamoDB Local restart is in faults.full.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { runDlqCli } from '../../infra/local/eventbridge/cli.ts';
import type { EntryError, PutEventsWireEntry } from '../../infra/local/eventbridge/protocol.ts';
import { transientDataProblem } from '../../shared/http/api.ts';
import { eventually, sampleIndicator } from '../support/runtime.ts';
import { committedEventIds, pool, probeEffects, PROBE_ATTEMPTS, scanAll, startFaultWorld, tally, type FaultWorld } from './support/faults-world.ts';
import { faultHelpers, recordRow, relayCrashScenario } from './support/faults-scenarios.ts';

let world: FaultWorld;
/** PutEvents fault of the moment (the runtime's EventBridge endpoint asks it for every entry). */
let entryFault: ((entry: PutEventsWireEntry, index: number) => EntryError | undefined) | undefined;

let h: ReturnType<typeof faultHelpers>;

beforeAll(async () => {
  world = await startFaultWorld({ eventBridgeFaults: { failEntry: (entry, index) => entryFault?.(entry, index) } });
  h = faultHelpers(world);
});
afterAll(async () => world?.stop());

const eventIdOf = (entry: PutEventsWireEntry) => (JSON.parse(entry.Detail ?? '{}') as { meta?: { eventId?: string } }).meta?.eventId as string;

describe('fault injection on the local runtime', () => {
  it('an outbox relay whose sandbox dies mid-batch loses and duplicates nothing', async () => {
    await relayCrashScenario(world, { events: 30, crashes: { 'crash-after-1': 1, 'crash-after-10': 1 } });
  });

  it('PutEvents partial failures: the relay retries only the failed entries, and loses nothing when they outlast its retries', async () => {
    const submissions = new Map<string, number>();
    const failures = new Map<string, number>();
    /** Failures per event id decided on first sight: every 3rd fails twice; with `beyond`, every 7th fails 5 times. */
    const plan = new Map<string, number>();
    let seen = 0;
    const armFaults = (beyond: boolean) => {
      entryFault = (entry) => {
        const id = eventIdOf(entry);
        if (!id) return undefined;
        if (!plan.has(id)) {
          seen++;
          plan.set(id, beyond && seen % 7 === 0 ? 5 : seen % 3 === 0 ? 2 : 0);
        }
        submissions.set(id, (submissions.get(id) ?? 0) + 1);
        const failed = failures.get(id) ?? 0;
        if (failed >= (plan.get(id) ?? 0)) return undefined;
        failures.set(id, failed + 1);
        return { ErrorCode: 'InternalFailure', ErrorMessage: 'injected by the reliability suite' };
      };
    };
    const poller = h.relayPoller();
    const run = async (label: string, beyond: boolean, count: number) => {
      const before = await committedEventIds(world);
      const acceptedBefore = world.rt.bus.stats().accepted;
      await poller.stop();
      let statuses: number[];
      try {
        ({ statuses } = await h.publishIndicators(`${label}-`, count, 8));
      } finally {
        armFaults(beyond);
        poller.start();
      }
      const committed = await h.newCommitted(before);
      await h.allApplied(committed);
      entryFault = undefined;
      const published = world.rt.bus.stats().accepted - acceptedBefore;
      const injected = [...committed].reduce((n, id) => n + (failures.get(id) ?? 0), 0);
      return { committed, statuses, published, injected, ...(await h.measure(committed)) };
    };

    // Within the relay's retries (4 attempts per chunk): each entry is sent once more per failure, nothing else is re-sent.
    const within = await run('partial-within', false, 24);
    const resentBeyondFailures = [...within.committed].filter((id) => (submissions.get(id) ?? 0) !== (failures.get(id) ?? 0) + 1);
    expect(within.injected).toBeGreaterThan(0);
    expect(resentBeyondFailures).toEqual([]);
    expect(within.published).toBe(within.committed.size);
    recordRow({
      class: 'fault',
      name: 'PutEvents partial failures within the relay retries (every 3rd entry fails twice)',
      operations: within.statuses.length,
      faultsInjected: within.injected,
      eventsCommitted: within.committed.size,
      eventsDelivered: within.probe.delivered,
      lost: within.probe.lost + within.timelineLost,
      duplicates: within.probe.duplicates + within.timelineDuplicates + resentBeyondFailures.length,
      serverErrors: within.statuses.filter((s) => s >= 500).length,
      deadLetterMismatch: within.parked.length,
      notes: `${[...within.committed].reduce((n, id) => n + (submissions.get(id) ?? 0), 0)} entries submitted for ${within.committed.size} events: exactly one more per injected failure; ${within.published} accepted (none twice)`,
    });

    // Beyond them (an entry fails 5 times): the relay gives the rest of the batch back to the stream, which re-reads it.
    const beyond = await run('partial-beyond', true, 28);
    const outlasted = [...beyond.committed].filter((id) => (failures.get(id) ?? 0) >= 5).length;
    expect(outlasted).toBeGreaterThan(0);
    recordRow({
      class: 'fault',
      name: 'PutEvents partial failures beyond the relay retries (every 7th entry fails 5 times)',
      operations: beyond.statuses.length,
      faultsInjected: beyond.injected,
      eventsCommitted: beyond.committed.size,
      eventsDelivered: beyond.probe.delivered,
      lost: beyond.probe.lost + beyond.timelineLost,
      duplicates: beyond.probe.duplicates + beyond.timelineDuplicates,
      serverErrors: beyond.statuses.filter((s) => s >= 500).length,
      deadLetterMismatch: beyond.parked.length,
      notes: `${outlasted} entries outlasted the relay's 4 attempts and went back to the stream; ${beyond.published} entries accepted for ${beyond.committed.size} events, every event applied once`,
    });
  });

  it('a consumer failing N times is delivered on attempt N+1; one always failing is dead-lettered, exactly, and redrive completes it once', async () => {
    const flaky = world.control('probe', 'flaky');
    const broken = world.control('probe', 'broken');
    const failFirst = 3;
    flaky.setPlan({ failFirst });
    broken.setPlan({ failAlways: true });
    const before = await committedEventIds(world);
    const flakyRun = await h.publishIndicators('flaky-', 4);
    const brokenRun = await h.publishIndicators('broken-', 3);
    const committed = await h.newCommitted(before);
    await h.allApplied(committed);
    await eventually(async () => ((await probeEffects(world, 'flaky')).size >= 4 ? true : undefined), 15_000, 200);
    await world.rt.settle(20_000);

    const all = await scanAll(world.dynamo, world.rt.tables.probe as string);
    const attemptsOf = (fn: string) => new Map(all.filter((i) => String(i.pk).startsWith('ATTEMPT#') && String(i.sk).endsWith(`probe-${fn}`)).map((i) => [String(i.pk).slice(8), Number(i.attempts)]));
    const flakyAttempts = attemptsOf('flaky');
    const brokenAttempts = attemptsOf('broken');
    const flakyEffects = await probeEffects(world, 'flaky');
    const flakyIds = new Set(flakyAttempts.keys());
    const brokenIds = new Set(brokenAttempts.keys());
    expect(flakyIds.size).toBe(4);
    expect(brokenIds.size).toBe(3);
    // Flaky: exactly N failed attempts, then one that applied.
    expect([...flakyAttempts.values()]).toEqual(Array(4).fill(failFirst + 1));
    const flakyTally = tally(flakyIds, flakyEffects);

    // Broken: parked after maxAttempts, and the store holds exactly those deliveries.
    const parked = world.rt.bus.deadLetters();
    const parkedIds = (rule: string) => parked.filter((p) => p.ruleId === rule).map((p) => (p.event.detail as { meta: { eventId: string } }).meta.eventId);
    const parkedBroken = parkedIds('probe.broken.broken');
    expect([...brokenAttempts.values()]).toEqual(Array(3).fill(PROBE_ATTEMPTS.broken));
    expect(new Set(parkedBroken)).toEqual(brokenIds);
    const mismatch = parked.length - parkedBroken.length + Math.abs(parkedBroken.length - brokenIds.size) + [...brokenIds].filter((id) => !parkedBroken.includes(id)).length;
    expect(parked.every((p) => p.reason === 'max-attempts' && p.attempts === PROBE_ATTEMPTS.broken)).toBe(true);

    // What `npm run dlq -- list` reads (the file) is what the bus holds.
    const io = (lines: string[]) => ({ out: (l: string) => void lines.push(l), err: (l: string) => void lines.push(l), env: { ...process.env, JIXIAO_HOME: world.rt.home } });
    const listed: string[] = [];
    expect(await runDlqCli(['list', '--json'], io(listed))).toBe(0);
    expect(listed.map((l) => JSON.parse(l).id).sort()).toEqual(parked.map((p) => p.id).sort());

    // A redrive while the consumer is still broken keeps every entry (one more attempt each).
    const stillBroken: string[] = [];
    expect(await runDlqCli(['redrive', '--json'], io(stillBroken))).toBe(1);
    expect(JSON.parse(stillBroken[0] as string)).toMatchObject({ matched: 3, delivered: [], remaining: 3 });

    // Fixed: `npm run dlq -- redrive` delivers each once; a second redrive finds nothing.
    broken.setPlan({});
    const redrive: string[] = [];
    expect(await runDlqCli(['redrive', '--json'], io(redrive))).toBe(0);
    const result = JSON.parse(redrive[0] as string) as { matched: number; delivered: unknown[]; failed: unknown[]; remaining: number };
    expect(result).toMatchObject({ matched: 3, failed: [], remaining: 0 });
    const again: string[] = [];
    expect(await runDlqCli(['redrive', '--json'], io(again))).toBe(0);
    expect(JSON.parse(again[0] as string)).toMatchObject({ matched: 0, remaining: 0 });
    await world.rt.settle();
    const brokenTally = tally(brokenIds, await probeEffects(world, 'broken'));
    const { probe, timelineLost, timelineDuplicates } = await h.measure(committed);

    recordRow({
      class: 'fault',
      name: `consumer throws ${failFirst} times then succeeds (maxAttempts ${PROBE_ATTEMPTS.flaky})`,
      operations: [...flakyAttempts.values()].reduce((a, b) => a + b, 0),
      faultsInjected: flakyIds.size * failFirst,
      eventsCommitted: flakyIds.size,
      eventsDelivered: flakyTally.delivered,
      lost: flakyTally.lost,
      duplicates: flakyTally.duplicates,
      serverErrors: flakyRun.statuses.filter((s) => s >= 500).length,
      deadLetterMismatch: parkedIds('probe.flaky.flaky').length,
      deadLettered: parkedIds('probe.flaky.flaky').length,
      notes: `every event applied on attempt ${failFirst + 1}, none parked`,
    });
    recordRow({
      class: 'fault',
      name: `consumer always throws (maxAttempts ${PROBE_ATTEMPTS.broken}): dead-lettered, then redriven with npm run dlq`,
      operations: [...brokenAttempts.values()].reduce((a, b) => a + b, 0) + 2 * brokenIds.size,
      faultsInjected: [...brokenAttempts.values()].reduce((a, b) => a + b, 0) + brokenIds.size,
      eventsCommitted: brokenIds.size,
      eventsDelivered: brokenTally.delivered,
      lost: brokenTally.lost + probe.lost + timelineLost,
      duplicates: brokenTally.duplicates + probe.duplicates + timelineDuplicates,
      serverErrors: brokenRun.statuses.filter((s) => s >= 500).length,
      deadLetterMismatch: mismatch,
      deadLettered: parkedBroken.length,
      redriven: result.delivered.length,
      notes: `a redrive while still broken kept all ${brokenIds.size} entries; after the fix one redrive delivered each once and a second matched nothing; the other consumers (effects probe, timeline) applied all ${committed.size} events once`,
    });
  });

  it('DynamoDB TransactionConflict and throttling on the API client: 409/503 with Retry-After, never 500, never a partial write', async () => {
    const api = world.control('indicators', 'api');
    const drafts = await pool(Array.from({ length: 11 }, (_, i) => i), 4, async (i) => {
      const r = await world.rt.call('POST', '/v1/indicators', { token: world.finance, body: { ...sampleIndicator, name: `conflict-${i}` } });
      expect(r.status).toBe(201);
      return { id: r.body.id as string, etag: r.headers.get('etag') as string };
    });
    const before = await committedEventIds(world);
    const answers: { status: number; retryAfter: string | null; type?: string; id: string }[] = [];
    const publish = async (d: { id: string; etag: string }) => {
      const r = await world.rt.call('POST', `/v1/indicators/${d.id}/publish`, { token: world.finance, headers: { 'if-match': d.etag } });
      answers.push({ status: r.status, retryAfter: r.headers.get('retry-after'), type: r.body?.type, id: d.id });
      return r;
    };
    let injected = 0;
    const inject = (kind: string, count: number) => {
      api.add(kind, count);
      injected += count;
    };

    // One request, four throttles in a row: the SDK's 4 attempts all fail.
    inject('TransactWriteItems__ThrottlingException', 4);
    expect((await publish(drafts[0]!)).status).toBe(503);
    // One request, a transaction conflict: the SDK does not retry it.
    inject('TransactWriteItems__TransactionCanceledException', 1);
    expect((await publish(drafts[1]!)).status).toBe(409);
    // A single-item write (PutItem) meeting a transaction in progress.
    inject('PutItem__TransactionConflictException', 1);
    const sector = await world.rt.call('PUT', '/v1/indicators/sectors/fault_sector', { token: world.finance, body: { label: '故障注入' } });
    answers.push({ status: sector.status, retryAfter: sector.headers.get('retry-after'), type: sector.body?.type, id: 'sector' });
    // Twelve concurrent requests sharing a budget of throttles and conflicts.
    inject('TransactWriteItems__ThrottlingException', 3);
    inject('TransactWriteItems__ProvisionedThroughputExceededException', 3);
    inject('TransactWriteItems__TransactionCanceledException', 2);
    await pool(drafts.slice(2), 6, publish);
    expect(api.remaining()).toBe(0);

    // No partial write: a request answered 200 changed the indicator and committed its event; any other changed nothing.
    const committed = await h.newCommitted(before);
    const state = await Promise.all(drafts.map(async (d) => (await world.rt.call('GET', `/v1/indicators/${d.id}`, { token: world.finance })).body));
    const ok = new Set(answers.filter((a) => a.status === 200).map((a) => a.id));
    const unexpectedWrites = state.filter((s) => (s.status === 'published') !== ok.has(s.id)).length + Math.abs(committed.size - ok.size);
    const sectorWritten = (await world.dynamo.send(new GetItemCommand({ TableName: world.rt.tables.indicators, Key: { pk: { S: 'SECTOR' }, sk: { S: 'fault_sector' } } }))).Item;
    expect(sector.status).toBe(409);
    expect(sectorWritten).toBeUndefined();
    const refused = answers.filter((a) => a.status !== 200);
    expect(refused.every((a) => (a.status === 409 || a.status === 503) && a.retryAfter && a.type?.endsWith(a.status === 409 ? 'transaction-conflict' : 'service-unavailable'))).toBe(true);

    // Retrying what was refused succeeds: every indicator ends up published once, with one event each applied once.
    for (const a of refused.filter((r) => r.id !== 'sector')) {
      const d = drafts.find((x) => x.id === a.id)!;
      expect((await world.rt.call('POST', `/v1/indicators/${d.id}/publish`, { token: world.finance, headers: { 'if-match': d.etag } })).status).toBe(200);
    }
    expect((await world.rt.call('PUT', '/v1/indicators/sectors/fault_sector', { token: world.finance, body: { label: '故障注入' } })).status).toBeLessThan(300);
    const all = await h.newCommitted(before);
    await h.allApplied(all);
    const { probe, timelineLost, timelineDuplicates, parked } = await h.measure(all);
    expect(all.size).toBe(drafts.length);

    recordRow({
      class: 'fault',
      name: 'TransactionConflict / ThrottlingException / ProvisionedThroughputExceeded on the API DynamoDB client',
      operations: answers.length,
      faultsInjected: injected,
      eventsCommitted: all.size,
      eventsDelivered: probe.delivered,
      lost: probe.lost + timelineLost,
      duplicates: probe.duplicates + timelineDuplicates,
      serverErrors: answers.filter((a) => a.status >= 500).length,
      unavailableByDesign: answers.filter((a) => a.status === 503).length,
      unexpectedWrites: unexpectedWrites + (sectorWritten ? 1 : 0),
      deadLetterMismatch: parked.length,
      notes: `answers: ${Object.entries(answers.reduce<Record<number, number>>((m, a) => ({ ...m, [a.status]: (m[a.status] ?? 0) + 1 }), {})).map(([s, n]) => `${n}×${s}`).join(', ')} (409/503 carry Retry-After); the SDK absorbed the other throttles; the refused requests retried to 200`,
    });
  });

  it('DynamoDB TransactionConflict and throttling on a consumer client: retried by the bus, one effect', async () => {
    const timeline = world.control('accountability', 'timeline');
    const failedBefore = world.rt.bus.stats().failedAttempts;
    const before = await committedEventIds(world);
    // Four throttles in a row exhaust one invocation's SDK attempts; conflicts are not retried by the SDK at all.
    timeline.add('PutItem__ThrottlingException', 8);
    timeline.add('PutItem__ProvisionedThroughputExceededException', 4);
    timeline.add('PutItem__TransactionConflictException', 4);
    const run = await h.publishIndicators('consumer-fault-', 8, 4);
    const committed = await h.newCommitted(before);
    await h.allApplied(committed);
    const injected = 16 - timeline.remaining();
    const failedAttempts = world.rt.bus.stats().failedAttempts - failedBefore;
    const { probe, timelineLost, timelineDuplicates, parked } = await h.measure(committed);
    timeline.clearTokens();
    expect(injected).toBeGreaterThan(0);
    expect(failedAttempts).toBeGreaterThan(0);
    recordRow({
      class: 'fault',
      name: 'TransactionConflict / throttling on the accountability timeline consumer DynamoDB client',
      operations: committed.size + failedAttempts,
      faultsInjected: injected,
      eventsCommitted: committed.size,
      eventsDelivered: committed.size - timelineLost,
      lost: timelineLost + probe.lost,
      duplicates: timelineDuplicates + probe.duplicates,
      serverErrors: run.statuses.filter((s) => s >= 500).length,
      deadLetterMismatch: parked.length,
      notes: `${failedAttempts} consumer invocations failed and were retried by the bus; every event has exactly one timeline entry`,
    });
  });
});

describe('the API maps a data store that is momentarily unavailable to 409/503, not 500', () => {
  it('classifies the errors the SDK surfaces after its retries', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8000'), { code: 'ECONNREFUSED', $metadata: { attempts: 4 } });
    const wrapped = Object.assign(new Error('socket hang up'), { cause: Object.assign(new Error('reset'), { code: 'ECONNRESET' }) });
    const internal = Object.assign(new Error('Internal error'), { name: 'InternalServerError', $metadata: { httpStatusCode: 500 } });
    const throttled = Object.assign(new Error('slow down'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });
    const conflict = Object.assign(new Error('cancelled'), { name: 'TransactionCanceledException', CancellationReasons: [{ Code: 'None' }, { Code: 'TransactionConflict' }] });
    const condition = Object.assign(new Error('cancelled'), { name: 'TransactionCanceledException', CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'TransactionConflict' }] });
    for (const [error, status] of [[refused, 503], [wrapped, 503], [internal, 503], [throttled, 503], [conflict, 409]] as const) {
      const problem = transientDataProblem(error);
      expect(problem?.status, (error as Error).message).toBe(status);
      expect(Number(problem?.headers?.['retry-after'])).toBeGreaterThan(0);
    }
    expect(transientDataProblem(condition)).toBeUndefined();
    expect(transientDataProblem(new TypeError('x is undefined'))).toBeUndefined();
    expect(transientDataProblem(Object.assign(new Error('bad'), { name: 'ValidationException', $metadata: { httpStatusCode: 400 } }))).toBeUndefined();
  });
});
