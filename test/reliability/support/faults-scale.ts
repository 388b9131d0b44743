/**
 * The fault classes of faults.quick.test.ts at the size of the full run (faults.full.test.ts):
 * thousands of events per class, so that "nothing lost, nothing twice" is shown where rare
 * interleavings happen. Same world (real relay, bus, timeline consumer, effects probe), same
 * checks (every committed event applied once by the effects probe and once on the timeline, the
 * dead-letter store exactly what exhausted its retries), rows of the same shape.
 *
 * What changes with size is the pacing, never what is checked:
 * - events are committed by `commitEvents` (a publish, then revisions), many requests at a time,
 *   mostly while the relay and the consumers run;
 * - faults are added in waves as the run proceeds, so they fall all through it rather than on
 *   its first events;
 * - waits scan the tables only once the runtime is quiet (`allAppliedAtScale`), and scans ask
 *   DynamoDB for the counted items and attributes only (faults-world.ts).
 */
import { expect } from 'vitest';
import type { DynamoDbLocal } from '../../../infra/local/dynamodb-local.ts';
import { runDlqCli } from '../../../infra/local/eventbridge/cli.ts';
import type { EntryError, PutEventsWireEntry } from '../../../infra/local/eventbridge/protocol.ts';
import { eventually, sampleIndicator, type ApiResponse } from '../../support/runtime.ts';
import { committedEventIds, pool, probeAttempts, probeEffects, PROBE_ATTEMPTS, tally, type FaultWorld } from './faults-world.ts';
import { faultHelpers, recordRow, startFaultWorld } from './faults-scenarios.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const sum = (values: Iterable<number>) => [...values].reduce((a, b) => a + b, 0);
const countBy = (values: readonly number[]) =>
  Object.entries(values.reduce<Record<number, number>>((m, s) => ({ ...m, [s]: (m[s] ?? 0) + 1 }), {}))
    .map(([s, n]) => `${n}×${s}`)
    .join(', ');
const eventIdOfEntry = (entry: PutEventsWireEntry) => (JSON.parse(entry.Detail ?? '{}') as { meta?: { eventId?: string } }).meta?.eventId;
const eventIdOfParked = (p: { event: { detail: unknown } }) => (p.event.detail as { meta: { eventId: string } }).meta.eventId;

export interface ScaleWorld {
  world: FaultWorld;
  /** The PutEvents fault of the moment: the runtime's EventBridge endpoint asks it for every entry. */
  setEntryFault(fault: ((entry: PutEventsWireEntry) => EntryError | undefined) | undefined): void;
}

/**
 * A fault world for one class of the full run, on the given engine (a DynamoDB Local of its own).
 * An idle stream is read at Lambda's pace (250 ms) rather than the tests' 50 ms: the waits here
 * settle the runtime, which wakes the poller anyway, and every read costs the engine.
 */
export async function startScaleWorld(engine: DynamoDbLocal): Promise<ScaleWorld> {
  let entryFault: ((entry: PutEventsWireEntry) => EntryError | undefined) | undefined;
  const world = await startFaultWorld({ dynamodbEndpoint: engine.endpoint, streamPollIntervalMs: 250, eventBridgeFaults: { failEntry: (entry) => entryFault?.(entry) } });
  return { world, setEntryFault: (fault) => void (entryFault = fault) };
}

/**
 * The outbox relay's sandbox killed mid-batch, in rounds: each round commits its events while
 * the relay is stopped (so it reads them in full batches), then gives the relay `crashes` (kind →
 * count) and starts it; the consumers work through the earlier rounds' events meanwhile.
 */
export async function relayCrashAtScale(world: FaultWorld, options: { events: number; rounds: number; crashes: Record<string, number> }): Promise<void> {
  const h = faultHelpers(world);
  const before = await committedEventIds(world);
  const acceptedBefore = world.rt.bus.stats().accepted;
  const relay = world.control('indicators', 'relay');
  const crashesBefore = relay.marks('crash');
  const poller = h.relayPoller();
  const perRound = Math.ceil(options.events / options.rounds);
  const statuses: number[] = [];
  const kinds = { published: 0, revised: 0 };
  const t0 = Date.now();
  let rounds = 0;
  for (let done = 0; done < options.events; done += perRound, rounds++) {
    await poller.stop();
    try {
      const run = await h.commitEvents(`relay-crash-${rounds}-`, Math.min(perRound, options.events - done));
      statuses.push(...run.statuses);
      kinds.published += run.published;
      kinds.revised += run.revised;
    } finally {
      // Each token kills the sandbox of one invocation that has more records than k, right after
      // PutEvents accepted its k-th entry; the stream poller retries the batch.
      for (const [kind, count] of Object.entries(options.crashes)) relay.add(kind, count);
      poller.start();
    }
    // The round's tokens are spent on its first batches; the relay catches up before it is stopped again.
    await eventually(async () => (relay.remaining('crash-after') === 0 ? true : undefined), 120_000, 100);
    await poller.idle(120_000);
  }
  const t1 = Date.now();
  const committed = await h.newCommitted(before);
  await h.allAppliedAtScale(committed);
  const t2 = Date.now();
  const crashes = relay.marks('crash') - crashesBefore;
  const published = world.rt.bus.stats().accepted - acceptedBefore;
  const { probe, timelineLost, timelineDuplicates, parked } = await h.measure(committed);

  const planned = rounds * sum(Object.values(options.crashes));
  expect(committed.size).toBe(options.events);
  expect(crashes).toBe(planned);
  expect(published).toBeGreaterThan(committed.size);
  recordRow({
    class: 'fault',
    name: `outbox relay sandbox killed mid-batch at scale (${options.events} events in ${rounds} rounds, ${planned} crashes)`,
    operations: statuses.length,
    faultsInjected: crashes,
    eventsCommitted: committed.size,
    eventsDelivered: probe.delivered,
    lost: probe.lost + timelineLost,
    duplicates: probe.duplicates + timelineDuplicates,
    serverErrors: statuses.filter((s) => s >= 500).length,
    deadLetterMismatch: parked.length,
    deadLettered: parked.length,
    notes: `${kinds.published} indicators published and ${kinds.revised} revisions (${committed.size} events); per round, ${Object.entries(options.crashes).map(([k, n]) => `${n}× ${k}`).join(' and ')}; ${published} PutEvents entries accepted for ${committed.size} committed events (${published - committed.size} re-published after the crashes); probe consumer and timeline each applied every event once; commit and relay ${t1 - t0} ms, drain ${t2 - t1} ms more`,
  });
}

/**
 * PutEvents partial failures while thousands of events flow (faults armed before the first is
 * committed, the relay reading as they commit). Within the relay's retries: every 3rd entry fails
 * twice. Beyond them: besides, every `beyondEvery`-th entry fails 5 times, outlasting the relay's
 * 4 attempts, so the relay gives the rest of its batch back to the stream.
 *
 * The spacing of the entries that outlast the relay is what keeps this a test of the relay and
 * not of the stream source's retry budget: the stream poller retries a batch from its first
 * failed record and gives it up after 10 retries in a row without a fully published batch
 * (infra/local/stream-poller.ts, as Lambda's MaximumRetryAttempts). A batch is at most 100 stream
 * records; with one entry in `beyondEvery` (25 in the full run) outlasting, no batch holds more
 * than 4, so the retries in a row stay under 10 even if every record of a batch were an outbox
 * item (each event here comes with at least three other records).
 */
export async function partialFailuresAtScale(scale: ScaleWorld, options: { within: number; beyond: number; beyondEvery: number }): Promise<void> {
  const { world } = scale;
  const h = faultHelpers(world);
  const submissions = new Map<string, number>();
  const failures = new Map<string, number>();
  /** Failures per event id, decided on first sight. */
  const plan = new Map<string, number>();
  let seen = 0;
  const arm = (beyond: boolean) =>
    scale.setEntryFault((entry) => {
      const id = eventIdOfEntry(entry);
      if (!id) return undefined;
      if (!plan.has(id)) {
        seen++;
        plan.set(id, beyond && seen % options.beyondEvery === 0 ? 5 : seen % 3 === 0 ? 2 : 0);
      }
      submissions.set(id, (submissions.get(id) ?? 0) + 1);
      const failed = failures.get(id) ?? 0;
      if (failed >= (plan.get(id) ?? 0)) return undefined;
      failures.set(id, failed + 1);
      return { ErrorCode: 'InternalFailure', ErrorMessage: 'injected by the reliability suite' };
    });
  const run = async (label: string, beyond: boolean, count: number) => {
    const before = await committedEventIds(world);
    const acceptedBefore = world.rt.bus.stats().accepted;
    seen = 0;
    arm(beyond);
    let statuses: number[];
    let committed: Set<string>;
    try {
      ({ statuses } = await h.commitEvents(`${label}-`, count));
      committed = await h.newCommitted(before);
      await h.allAppliedAtScale(committed);
    } finally {
      scale.setEntryFault(undefined);
    }
    const published = world.rt.bus.stats().accepted - acceptedBefore;
    const injected = sum([...committed].map((id) => failures.get(id) ?? 0));
    const submitted = sum([...committed].map((id) => submissions.get(id) ?? 0));
    return { committed, statuses, published, injected, submitted, ...(await h.measure(committed)) };
  };

  // Within the relay's retries: each entry is sent once more per failure, nothing else is re-sent.
  const within = await run('partial-within-scale', false, options.within);
  const resentBeyondFailures = [...within.committed].filter((id) => (submissions.get(id) ?? 0) !== (failures.get(id) ?? 0) + 1);
  expect(within.committed.size).toBe(options.within);
  expect(within.injected).toBeGreaterThan(0);
  expect(resentBeyondFailures).toEqual([]);
  expect(within.published).toBe(within.committed.size);
  recordRow({
    class: 'fault',
    name: `PutEvents partial failures within the relay retries at scale (${options.within} events, every 3rd entry fails twice)`,
    operations: within.statuses.length,
    faultsInjected: within.injected,
    eventsCommitted: within.committed.size,
    eventsDelivered: within.probe.delivered,
    lost: within.probe.lost + within.timelineLost,
    duplicates: within.probe.duplicates + within.timelineDuplicates + resentBeyondFailures.length,
    serverErrors: within.statuses.filter((s) => s >= 500).length,
    deadLetterMismatch: within.parked.length,
    notes: `${within.submitted} entries submitted for ${within.committed.size} events: exactly one more per injected failure (${within.injected}); ${within.published} accepted (none twice); probe consumer and timeline each applied every event once`,
  });

  // Beyond them: the relay gives the rest of the batch back to the stream, which re-reads it.
  const beyond = await run('partial-beyond-scale', true, options.beyond);
  const outlasted = [...beyond.committed].filter((id) => (failures.get(id) ?? 0) >= 5).length;
  expect(beyond.committed.size).toBe(options.beyond);
  expect(outlasted).toBeGreaterThan(0);
  recordRow({
    class: 'fault',
    name: `PutEvents partial failures beyond the relay retries at scale (${options.beyond} events, every ${options.beyondEvery}th entry fails 5 times, every 3rd twice)`,
    operations: beyond.statuses.length,
    faultsInjected: beyond.injected,
    eventsCommitted: beyond.committed.size,
    eventsDelivered: beyond.probe.delivered,
    lost: beyond.probe.lost + beyond.timelineLost,
    duplicates: beyond.probe.duplicates + beyond.timelineDuplicates,
    serverErrors: beyond.statuses.filter((s) => s >= 500).length,
    deadLetterMismatch: beyond.parked.length,
    notes: `${outlasted} entries outlasted the relay's 4 attempts and went back to the stream; ${beyond.submitted} entries submitted and ${beyond.published} accepted for ${beyond.committed.size} events (${beyond.published - beyond.committed.size} re-published with a batch given back); probe consumer and timeline each applied every event once`,
  });
}

/**
 * DynamoDB throttling and transaction conflicts on the real timeline consumer's client while
 * `events` events flow: a wave of `wave` (kind → count) tokens each time the relay has published
 * `waveEvery` more events, so the failed invocations fall all through the run.
 */
export async function timelineClientFaultsAtScale(world: FaultWorld, options: { events: number; waveEvery: number; wave: Record<string, number> }): Promise<void> {
  const h = faultHelpers(world);
  const timeline = world.control('accountability', 'timeline');
  const stats = () => world.rt.bus.stats();
  const failedBefore = stats().failedAttempts;
  const acceptedBefore = stats().accepted;
  const before = await committedEventIds(world);
  let added = 0;
  let waves = 0;
  const addWave = () => {
    for (const [kind, count] of Object.entries(options.wave)) timeline.add(kind, count);
    added += sum(Object.values(options.wave));
    waves++;
  };
  const timer = setInterval(() => {
    if (waves * options.waveEvery < options.events && stats().accepted - acceptedBefore >= waves * options.waveEvery) addWave();
  }, 100);
  let statuses: number[];
  let committed: Set<string>;
  try {
    ({ statuses } = await h.commitEvents('timeline-fault-scale-', options.events));
    committed = await h.newCommitted(before);
    await h.allAppliedAtScale(committed);
  } finally {
    clearInterval(timer);
  }
  const injected = added - timeline.remaining();
  timeline.clearTokens();
  await world.rt.settle(60_000);
  const failedAttempts = stats().failedAttempts - failedBefore;
  const { probe, timelineLost, timelineDuplicates, parked } = await h.measure(committed);
  expect(committed.size).toBe(options.events);
  expect(injected).toBeGreaterThan(0);
  expect(failedAttempts).toBeGreaterThan(0);
  recordRow({
    class: 'fault',
    name: `TransactionConflict / throttling on the accountability timeline consumer DynamoDB client at scale (${options.events} events)`,
    operations: committed.size + failedAttempts,
    faultsInjected: injected,
    eventsCommitted: committed.size,
    eventsDelivered: committed.size - timelineLost,
    lost: timelineLost + probe.lost,
    duplicates: timelineDuplicates + probe.duplicates,
    serverErrors: statuses.filter((s) => s >= 500).length,
    deadLetterMismatch: parked.length,
    notes: `${waves} waves of ${Object.entries(options.wave).map(([k, n]) => `${n}× ${k.replace('__', ' ')}`).join(', ')}, one per ${options.waveEvery} events published; ${failedAttempts} consumer invocations failed and were retried by the bus; every event has exactly one timeline entry and one probe effect`,
  });
}

/**
 * DynamoDB throttling and transaction conflicts on the real API's client while `indicators`
 * drafts are published and revised `revisions` times each, concurrently: a wave of `wave` tokens
 * every `waveEvery` requests. A refused request (409/503 with Retry-After) is sent again, with
 * the same If-Match, after its Retry-After (at most 1 s here), until it is accepted. No partial
 * write: every event committed is one an accepted request answered for, every indicator ends at
 * the revision its accepted requests make, and no repeat of a refused request meets a 412 (which
 * would say the refused attempt wrote).
 */
export async function apiClientFaultsAtScale(world: FaultWorld, options: { indicators: number; revisions: number; waveEvery: number; wave: Record<string, number>; concurrency?: number }): Promise<void> {
  const h = faultHelpers(world);
  const api = world.control('indicators', 'api');
  const concurrency = options.concurrency ?? 16;
  const drafts = await pool(range(options.indicators), concurrency, async (i) => {
    const r = await world.rt.call('POST', '/v1/indicators', { token: world.finance, body: { ...sampleIndicator, name: `api-fault-scale-${i}` } });
    expect(r.status).toBe(201);
    return { id: r.body.id as string, etag: r.headers.get('etag') as string, accepted: 0 };
  });
  const before = await committedEventIds(world);
  const answers: { status: number; retryAfter: string | null; type?: string }[] = [];
  let requests = 0;
  let added = 0;
  let preconditionFailedOnRepeat = 0;
  /** Sends one event-producing request until it is accepted; returns the accepted answer. */
  const untilAccepted = async (id: string, send: () => Promise<ApiResponse>, accepted: number): Promise<ApiResponse> => {
    for (let attempt = 1; ; attempt++) {
      if (requests++ % options.waveEvery === 0) {
        for (const [kind, count] of Object.entries(options.wave)) api.add(kind, count);
        added += sum(Object.values(options.wave));
      }
      const r = await send();
      answers.push({ status: r.status, retryAfter: r.headers.get('retry-after'), type: r.body?.type });
      if (r.status === accepted) return r;
      // The refused attempt wrote after all: counted (unexpectedWrites), and the indicator's
      // present ETag lets the run go on, so the row is recorded with it.
      if (r.status === 412 && attempt > 1) {
        preconditionFailedOnRepeat++;
        return world.rt.call('GET', `/v1/indicators/${id}`, { token: world.finance });
      }
      if (![409, 503].includes(r.status) || attempt >= 30) throw new Error(`answer ${r.status} (attempt ${attempt}): ${JSON.stringify(r.body)}`);
      await sleep(Math.min(1000, 1000 * Number(r.headers.get('retry-after') ?? 1)));
    }
  };
  await pool(drafts, concurrency, async (d) => {
    let etag = d.etag;
    const published = await untilAccepted(d.id, () => world.rt.call('POST', `/v1/indicators/${d.id}/publish`, { token: world.finance, headers: { 'if-match': etag } }), 200);
    d.accepted++;
    etag = published.headers.get('etag') as string;
    for (let k = 1; k <= options.revisions; k++) {
      const body = { changes: { explanation: `revision ${k} under faults` }, reason: 'fault run at scale' };
      const revised = await untilAccepted(d.id, () => world.rt.call('POST', `/v1/indicators/${d.id}/revisions`, { token: world.finance, headers: { 'if-match': etag }, body }), 201);
      d.accepted++;
      etag = revised.headers.get('etag') as string;
    }
  });
  const injected = added - api.remaining();
  api.clearTokens();

  const committed = await h.newCommitted(before);
  const acceptedEvents = sum(drafts.map((d) => d.accepted));
  const state = await pool(drafts, concurrency, async (d) => (await world.rt.call('GET', `/v1/indicators/${d.id}`, { token: world.finance })).body as { status: string; revision: number });
  const wrongState = drafts.filter((d, i) => state[i]?.status !== 'published' || state[i]?.revision !== d.accepted).length;
  const unexpectedWrites = wrongState + Math.abs(committed.size - acceptedEvents) + preconditionFailedOnRepeat;
  const refused = answers.filter((a) => a.status !== 200 && a.status !== 201);
  expect(refused.every((a) => (a.status === 409 || a.status === 503) && a.retryAfter && a.type?.endsWith(a.status === 409 ? 'transaction-conflict' : 'service-unavailable'))).toBe(true);
  expect(injected).toBeGreaterThan(0);
  await h.allAppliedAtScale(committed);
  const { probe, timelineLost, timelineDuplicates, parked } = await h.measure(committed);
  expect(committed.size).toBe(options.indicators * (1 + options.revisions));
  recordRow({
    class: 'fault',
    name: `TransactionConflict / ThrottlingException / ProvisionedThroughputExceeded on the API DynamoDB client at scale (${options.indicators} indicators published and revised ${options.revisions} times, concurrently)`,
    operations: answers.length,
    faultsInjected: injected,
    eventsCommitted: committed.size,
    eventsDelivered: probe.delivered,
    lost: probe.lost + timelineLost,
    duplicates: probe.duplicates + timelineDuplicates,
    serverErrors: answers.filter((a) => a.status >= 500).length,
    unavailableByDesign: answers.filter((a) => a.status === 503).length,
    unexpectedWrites,
    deadLetterMismatch: parked.length,
    notes: `answers: ${countBy(answers.map((a) => a.status))} (every 409/503 carries Retry-After; the SDK absorbed the other throttles); ${injected} faults in waves of ${Object.entries(options.wave).map(([k, n]) => `${n}× ${k.split('__')[1]}`).join(', ')} every ${options.waveEvery} requests; every refused request repeated until accepted, none meeting a 412; ${acceptedEvents} accepted requests, ${committed.size} events committed, every indicator at the revision its accepted requests make; probe consumer and timeline each applied every event once`,
  });
}

/**
 * A consumer failing its first 3 attempts of every event, and one failing always (dead-lettered,
 * then redriven with the code `npm run dlq` runs), for `flaky` and `broken` events at once. Their
 * events are publications of indicators named flaky-… / broken-… (what the probes subscribe to).
 */
export async function consumerFailuresAtScale(world: FaultWorld, options: { flaky: number; broken: number }): Promise<void> {
  const h = faultHelpers(world);
  const flaky = world.control('probe', 'flaky');
  const broken = world.control('probe', 'broken');
  const failFirst = 3;
  flaky.setPlan({ failFirst });
  broken.setPlan({ failAlways: true });
  const before = await committedEventIds(world);
  const [flakyRun, brokenRun] = await Promise.all([h.publishIndicators('flaky-scale-', options.flaky, 8), h.publishIndicators('broken-scale-', options.broken, 8)]);
  const committed = await h.newCommitted(before);
  await h.allAppliedAtScale(committed);
  await eventually(async () => ((await probeEffects(world, 'flaky')).size >= options.flaky ? true : undefined), 120_000, 2000).catch(() => undefined);
  await world.rt.settle(120_000);

  const flakyAttempts = await probeAttempts(world, 'flaky');
  const brokenAttempts = await probeAttempts(world, 'broken');
  const flakyIds = new Set(flakyAttempts.keys());
  const brokenIds = new Set(brokenAttempts.keys());
  expect(flakyIds.size).toBe(options.flaky);
  expect(brokenIds.size).toBe(options.broken);
  // Flaky: exactly N failed attempts, then one that applied.
  expect([...flakyAttempts.values()].filter((n) => n !== failFirst + 1)).toEqual([]);
  const flakyTally = tally(flakyIds, await probeEffects(world, 'flaky'));

  // Broken: parked after maxAttempts, and the store holds exactly those deliveries.
  const parked = world.rt.bus.deadLetters();
  const parkedIds = (rule: string) => parked.filter((p) => p.ruleId === rule).map(eventIdOfParked);
  const parkedBroken = parkedIds('probe.broken.broken');
  const parkedBrokenSet = new Set(parkedBroken);
  expect([...brokenAttempts.values()].filter((n) => n !== PROBE_ATTEMPTS.broken)).toEqual([]);
  expect(parkedBrokenSet).toEqual(brokenIds);
  const mismatch = parked.length - parkedBroken.length + Math.abs(parkedBroken.length - brokenIds.size) + [...brokenIds].filter((id) => !parkedBrokenSet.has(id)).length;
  expect(parked.every((p) => p.reason === 'max-attempts' && p.attempts === PROBE_ATTEMPTS.broken)).toBe(true);

  // What `npm run dlq -- list` reads (the file) is what the bus holds.
  const io = (lines: string[]) => ({ out: (l: string) => void lines.push(l), err: (l: string) => void lines.push(l), env: { ...process.env, JIXIAO_HOME: world.rt.home } });
  const listed: string[] = [];
  expect(await runDlqCli(['list', '--json'], io(listed))).toBe(0);
  expect(listed.map((l) => JSON.parse(l).id).sort()).toEqual(parked.map((p) => p.id).sort());

  // A redrive while the consumer is still broken keeps every entry (one more attempt each).
  const stillBroken: string[] = [];
  expect(await runDlqCli(['redrive', '--json'], io(stillBroken))).toBe(1);
  expect(JSON.parse(stillBroken[0] as string)).toMatchObject({ matched: options.broken, delivered: [], remaining: options.broken });

  // Fixed: `npm run dlq -- redrive` delivers each once; a second redrive finds nothing.
  broken.setPlan({});
  const redrive: string[] = [];
  expect(await runDlqCli(['redrive', '--json'], io(redrive))).toBe(0);
  const result = JSON.parse(redrive[0] as string) as { matched: number; delivered: unknown[]; failed: unknown[]; remaining: number };
  expect(result).toMatchObject({ matched: options.broken, failed: [], remaining: 0 });
  const again: string[] = [];
  expect(await runDlqCli(['redrive', '--json'], io(again))).toBe(0);
  expect(JSON.parse(again[0] as string)).toMatchObject({ matched: 0, remaining: 0 });
  await world.rt.settle(60_000);
  flaky.setPlan({});
  const brokenTally = tally(brokenIds, await probeEffects(world, 'broken'));
  const { probe, timelineLost, timelineDuplicates } = await h.measure(committed);

  recordRow({
    class: 'fault',
    name: `consumer throws ${failFirst} times then succeeds (maxAttempts ${PROBE_ATTEMPTS.flaky}) at scale (${options.flaky} events)`,
    operations: sum(flakyAttempts.values()),
    faultsInjected: flakyIds.size * failFirst,
    eventsCommitted: flakyIds.size,
    eventsDelivered: flakyTally.delivered,
    lost: flakyTally.lost,
    duplicates: flakyTally.duplicates,
    serverErrors: flakyRun.statuses.filter((s) => s >= 500).length,
    deadLetterMismatch: parkedIds('probe.flaky.flaky').length,
    deadLettered: parkedIds('probe.flaky.flaky').length,
    notes: `every event applied on attempt ${failFirst + 1}, none parked (the ${options.broken} broken events flowed at the same time)`,
  });
  recordRow({
    class: 'fault',
    name: `consumer always throws (maxAttempts ${PROBE_ATTEMPTS.broken}): dead-lettered, then redriven with npm run dlq, at scale (${options.broken} events)`,
    operations: sum(brokenAttempts.values()) + 2 * brokenIds.size,
    faultsInjected: sum(brokenAttempts.values()) + brokenIds.size,
    eventsCommitted: brokenIds.size,
    eventsDelivered: brokenTally.delivered,
    lost: brokenTally.lost + probe.lost + timelineLost,
    duplicates: brokenTally.duplicates + probe.duplicates + timelineDuplicates,
    serverErrors: brokenRun.statuses.filter((s) => s >= 500).length,
    deadLetterMismatch: mismatch,
    deadLettered: parkedBroken.length,
    redriven: result.delivered.length,
    notes: `a redrive while still broken kept all ${brokenIds.size} entries; after the fix one redrive delivered each once and a second matched nothing; the other consumers (effects probe, timeline) applied all ${committed.size} events (flaky and broken) once`,
  });
}
