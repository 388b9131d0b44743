/**
 * The fault tests' scenarios and measuring helpers, shared by faults.quick.test.ts and
 * faults.full.test.ts (which runs the same scenario at full size).
 */
import { expect } from 'vitest';
import type { StreamPoller } from '../../../infra/local/stream-poller.ts';
import { eventually, sampleIndicator } from '../../support/runtime.ts';
import { record, violations, type ReliabilityRow } from '../report.ts';
import { committedEventIds, pool, probeEffects, startFaultWorld, tally, timelineEntries, type FaultWorld } from './faults-world.ts';

export { startFaultWorld };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Records the row, then fails the test on any required zero that is not zero. */
export function recordRow(row: ReliabilityRow): void {
  record(row);
  expect(violations(row), `${row.name}: ${JSON.stringify(row)}`).toEqual([]);
}

export function faultHelpers(world: FaultWorld) {
  interface Published {
    id: string;
    status: number;
  }

  /** Creates and publishes `count` indicators named `<prefix><i>`; every answer must be 2xx. */
  async function publishIndicators(prefix: string, count: number, concurrency = 6): Promise<{ ids: string[]; statuses: number[] }> {
    const statuses: number[] = [];
    const results = await pool(Array.from({ length: count }, (_, i) => i), concurrency, async (i): Promise<Published> => {
      const created = await world.rt.call('POST', '/v1/indicators', { token: world.finance, body: { ...sampleIndicator, name: `${prefix}${i}` } });
      statuses.push(created.status);
      if (created.status !== 201) throw new Error(`create ${prefix}${i}: ${created.status} ${JSON.stringify(created.body)}`);
      const published = await world.rt.call('POST', `/v1/indicators/${created.body.id}/publish`, {
        token: world.finance,
        headers: { 'if-match': created.headers.get('etag') as string },
      });
      statuses.push(published.status);
      return { id: created.body.id as string, status: published.status };
    });
    const failed = results.filter((r) => r.status !== 200);
    if (failed.length) throw new Error(`publish failed: ${JSON.stringify(failed)}`);
    return { ids: results.map((r) => r.id), statuses };
  }

  /**
   * Commits `count` events through the API at scale: indicators named `<prefix><i>` are created,
   * published (IndicatorPublished) and revised `revisions` times (IndicatorRevised, one request
   * each), `concurrency` indicators at a time. A revision commits an event with one request where
   * a new indicator takes two (create, publish): the same events for less of the machine. Every
   * answer must be 2xx.
   */
  async function commitEvents(prefix: string, count: number, options: { concurrency?: number; revisions?: number } = {}): Promise<{ statuses: number[]; published: number; revised: number }> {
    const perIndicator = (options.revisions ?? 4) + 1;
    const statuses: number[] = [];
    let published = 0;
    let revised = 0;
    const expectStatus = (r: { status: number; body: unknown }, status: number, what: string) => {
      statuses.push(r.status);
      if (r.status !== status) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body)}`);
    };
    await pool(Array.from({ length: Math.ceil(count / perIndicator) }, (_, i) => i), options.concurrency ?? 16, async (i) => {
      const events = Math.min(perIndicator, count - i * perIndicator);
      const created = await world.rt.call('POST', '/v1/indicators', { token: world.finance, body: { ...sampleIndicator, name: `${prefix}${i}` } });
      expectStatus(created, 201, `create ${prefix}${i}`);
      let last = await world.rt.call('POST', `/v1/indicators/${created.body.id}/publish`, { token: world.finance, headers: { 'if-match': created.headers.get('etag') as string } });
      expectStatus(last, 200, `publish ${prefix}${i}`);
      published++;
      for (let k = 1; k < events; k++) {
        last = await world.rt.call('POST', `/v1/indicators/${created.body.id}/revisions`, {
          token: world.finance,
          headers: { 'if-match': last.headers.get('etag') as string },
          body: { changes: { explanation: `revision ${k} of ${prefix}${i}` }, reason: 'fault run at scale' },
        });
        expectStatus(last, 201, `revise ${prefix}${i}`);
        revised++;
      }
    });
    return { statuses, published, revised };
  }

  /** The indicators relay's stream poller (the only relay in the fault world). */
  function relayPoller(): StreamPoller {
    expect(world.rt.pollers).toHaveLength(1);
    return world.rt.pollers[0] as StreamPoller;
  }

  /** Event ids committed since `before` (outbox items are kept 7 days, so the table has them all). */
  async function newCommitted(before: ReadonlySet<string>): Promise<Set<string>> {
    return new Set([...(await committedEventIds(world))].filter((id) => !before.has(id)));
  }

  /** Waits until every id has a probe effect and a timeline entry, then until the runtime is quiet. */
  async function allApplied(ids: ReadonlySet<string>, timeoutMs = 30_000): Promise<void> {
    await eventually(
      async () => {
        const [effects, timeline] = await Promise.all([probeEffects(world, 'effects'), timelineEntries(world)]);
        return [...ids].every((id) => effects.has(id) && timeline.has(id)) ? true : undefined;
      },
      timeoutMs,
      200,
    ).catch(() => undefined); // the tally below reports what is missing
    await world.rt.settle(timeoutMs);
  }

  /**
   * allApplied for thousands of events: waits for the runtime to be quiet (stream read, no
   * delivery in flight or scheduled) before each scan, instead of scanning every 200 ms, then
   * checks that every id has a probe effect and a timeline entry; again while some are missing.
   */
  async function allAppliedAtScale(ids: ReadonlySet<string>, timeoutMs = 600_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await world.rt.settle(Math.max(1000, deadline - Date.now())).catch(() => undefined);
      const [effects, timeline] = await Promise.all([probeEffects(world, 'effects'), timelineEntries(world)]);
      if ([...ids].every((id) => effects.has(id) && timeline.has(id)) || Date.now() > deadline) return; // the tally reports what is missing
      await sleep(2000);
    }
  }

  async function measure(ids: ReadonlySet<string>) {
    const [effects, timeline] = await Promise.all([probeEffects(world, 'effects'), timelineEntries(world)]);
    const probe = tally(ids, effects);
    const onTimeline = tally(ids, timeline);
    const parked = world.rt.bus.deadLetters().filter((p) => ids.has((p.event.detail as { meta: { eventId: string } }).meta.eventId));
    return { probe, timelineLost: onTimeline.lost, timelineDuplicates: onTimeline.duplicates, parked };
  }

  return { publishIndicators, commitEvents, relayPoller, newCommitted, allApplied, allAppliedAtScale, measure };
}

export async function relayCrashScenario(world: FaultWorld, options: { events: number; crashes: Record<string, number> }): Promise<void> {
  const h = faultHelpers(world);
  const before = await committedEventIds(world);
  const acceptedBefore = world.rt.bus.stats().accepted;
  const relay = world.control('indicators', 'relay');
  const crashesBefore = relay.marks('crash');
  const poller = h.relayPoller();
  // Commit the events while the relay is not reading, so it gets them in large batches.
  await poller.stop();
  let statuses: number[];
  const t0 = Date.now();
  try {
    ({ statuses } = await h.publishIndicators(`relay-crash-${options.events}-`, options.events, 8));
  } finally {
    // Each token kills the sandbox of one invocation that has more records than k, right after
    // PutEvents accepted its k-th entry (k=1: after the first chunk of 10; k=10: after two).
    for (const [kind, count] of Object.entries(options.crashes)) relay.add(kind, count);
    poller.start();
  }
  const t1 = Date.now();
  const committed = await h.newCommitted(before);
  await h.allApplied(committed, 120_000);
  const t2 = Date.now();
  const crashes = relay.marks('crash') - crashesBefore;
  const published = world.rt.bus.stats().accepted - acceptedBefore;
  const { probe, timelineLost, timelineDuplicates, parked } = await h.measure(committed);

  expect(committed.size).toBe(options.events);
  const planned = Object.values(options.crashes).reduce((a, b) => a + b, 0);
  expect(relay.remaining('crash-after')).toBe(0);
  expect(crashes).toBe(planned);
  // The sandboxes died after publishing part of their batch: those entries went out twice.
  expect(published).toBeGreaterThan(committed.size);
  recordRow({
    class: 'fault',
    name: `outbox relay sandbox killed mid-batch (${options.events} events, ${planned} crashes)`,
    operations: statuses.length,
    faultsInjected: crashes,
    eventsCommitted: committed.size,
    eventsDelivered: probe.delivered,
    lost: probe.lost + timelineLost,
    duplicates: probe.duplicates + timelineDuplicates,
    serverErrors: statuses.filter((s) => s >= 500).length,
    deadLetterMismatch: parked.length,
    deadLettered: parked.length,
    notes: `${published} PutEvents entries accepted for ${committed.size} committed events (${published - committed.size} re-published after the crashes); probe consumer and timeline each applied every event once; commit ${t1 - t0} ms, drain ${t2 - t1} ms`,
  });
}
