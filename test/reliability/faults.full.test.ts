/**
 * The long fault tests (`npm run test:reliability` only): the outbox relay killed mid-batch at
 * full size (200 events, four crashes), and DynamoDB Local restarted mid-run while requests and
 * events flow, on an engine of its own (on-disk data, same port), not the run's shared one.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startDynamoDbLocal, type DynamoDbLocal } from '../../infra/local/dynamodb-local.ts';
import { runDlqCli } from '../../infra/local/eventbridge/cli.ts';
import { eventually, sampleIndicator } from '../support/runtime.ts';
import { pool, probeEffects, timelineEntries, type FaultWorld } from './support/faults-world.ts';
import { faultHelpers, recordRow, relayCrashScenario, startFaultWorld } from './support/faults-scenarios.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('fault injection on the local runtime (full)', () => {
  it('an outbox relay killed mid-batch four times loses and duplicates none of 200 events', async () => {
    const world = await startFaultWorld();
    cleanups.push(() => world.stop());
    await relayCrashScenario(world, { events: 200, crashes: { 'crash-after-1': 2, 'crash-after-10': 2 } });
  });

  it('DynamoDB Local restarted mid-run: 503 with Retry-After during the outage, then everything committed is applied once', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'jixiao-faults-ddb-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    let engine: DynamoDbLocal = await startDynamoDbLocal({ dataDir });
    cleanups.push(() => engine.stop());
    const port = engine.port;
    // Bus retries spread over a few seconds, as EventBridge's do over hours: an outage may still exhaust them.
    const world: FaultWorld = await startFaultWorld({ dynamodbEndpoint: engine.endpoint, retry: { baseDelayMs: 100, maxDelayMs: 1000 } });
    cleanups.unshift(() => world.stop());
    const h = faultHelpers(world);

    type Phase = 'before' | 'outage' | 'after';
    let phase: Phase = 'before';
    const answers: { phase: Phase; status: number; retryAfter: string | null; problem: boolean; at: number }[] = [];
    const drafts: { id: string; etag: string; published: boolean; user: number }[] = [];
    let running = true;
    const call = async (method: string, path: string, init: Parameters<typeof world.rt.call>[2]) => {
      const at = phase;
      try {
        const r = await world.rt.call(method, path, { token: world.finance, ...init });
        answers.push({ phase: at, status: r.status, retryAfter: r.headers.get('retry-after'), problem: (r.headers.get('content-type') ?? '').includes('problem+json'), at: Date.now() });
        return r;
      } catch (error) {
        answers.push({ phase: at, status: 0, retryAfter: null, problem: false, at: Date.now() });
        throw error;
      }
    };
    // Four simulated users: each creates a draft and publishes it (retrying a refused publish with the same If-Match).
    const user = async (u: number) => {
      for (let i = 0; running; i++) {
        const created = await call('POST', '/v1/indicators', { body: { ...sampleIndicator, name: `restart-${u}-${i}` } }).catch(() => undefined);
        if (created?.status === 201) drafts.push({ id: created.body.id, etag: created.headers.get('etag') as string, published: false, user: u });
        for (const d of drafts.filter((x) => x.user === u && !x.published)) {
          const r = await call('POST', `/v1/indicators/${d.id}/publish`, { headers: { 'if-match': d.etag } }).catch(() => undefined);
          // 200: published now; 409/412: an earlier attempt landed although its answer was lost.
          if (r && (r.status === 200 || r.status === 409 || r.status === 412)) d.published = true;
        }
        if (!created || created.status >= 500) await sleep(200);
      }
    };
    const users = Array.from({ length: 4 }, (_, u) => user(u));

    // Some events committed (and some perhaps not yet relayed) before the engine goes away.
    for (const deadline = Date.now() + 30_000; Date.now() < deadline && drafts.filter((d) => d.published).length < 12; ) await sleep(200);
    phase = 'outage';
    const outageStart = Date.now();
    await engine.stop();
    await sleep(3000);
    engine = await startDynamoDbLocal({ dataDir, port });
    const outageMs = Date.now() - outageStart;
    phase = 'after';
    // Requests succeed again: wait for a 2xx after the restart, then keep the load a little longer.
    const recoveredAt = await (async () => {
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline) {
        const ok = answers.find((a) => a.phase === 'after' && a.status >= 200 && a.status < 300);
        if (ok) return ok.at;
        await sleep(100);
      }
      return undefined;
    })();
    await sleep(3000);
    running = false;
    await Promise.all(users);
    // Publish whatever is still a draft (a user stopped in between).
    for (const d of drafts.filter((x) => !x.published)) {
      const r = await call('POST', `/v1/indicators/${d.id}/publish`, { headers: { 'if-match': d.etag } });
      if ([200, 409, 412].includes(r.status)) d.published = true;
    }

    const committed = await h.newCommitted(new Set());
    // Every (consumer, event) is either applied or parked in the dead-letter store.
    const eventIdOf = (p: { event: { detail: unknown } }) => (p.event.detail as { meta: { eventId: string } }).meta.eventId;
    await eventually(
      async () => {
        const [effects, timeline] = await Promise.all([probeEffects(world, 'effects'), timelineEntries(world)]);
        const parkedFor = (rule: string) => new Set(world.rt.bus.deadLetters().filter((p) => p.ruleId === rule).map(eventIdOf));
        const parkedEffects = parkedFor('probe.effects.effects');
        const parkedTimeline = parkedFor('accountability.timeline.all-jixiao-events');
        return [...committed].every((id) => (effects.has(id) || parkedEffects.has(id)) && (timeline.has(id) || parkedTimeline.has(id))) ? true : undefined;
      },
      60_000,
      500,
    ).catch(() => undefined); // the mismatch below reports what is neither
    await world.rt.settle(60_000);
    // Deliveries that failed during the outage beyond their retries are in the dead-letter store.
    const parked = world.rt.bus.deadLetters();
    const [effectsBefore, timelineBefore] = await Promise.all([probeEffects(world, 'effects'), timelineEntries(world)]);
    const missing = new Set([
      ...[...committed].filter((id) => !effectsBefore.has(id)).map((id) => `probe.effects.effects/${id}`),
      ...[...committed].filter((id) => !timelineBefore.has(id)).map((id) => `accountability.timeline.all-jixiao-events/${id}`),
    ]);
    const parkedKeys = new Set(parked.map((p) => `${p.ruleId}/${eventIdOf(p)}`));
    const deadLetterMismatch = [...missing].filter((k) => !parkedKeys.has(k)).length + [...parkedKeys].filter((k) => !missing.has(k)).length;
    // `npm run dlq -- redrive` until the store is empty. A consumer invocation cut off by the outage
    // can leave its idempotency record "in progress" (Powertools could not delete it while DynamoDB
    // was down); until that record expires (the function's timeout) a redrive of that event fails
    // with IdempotencyAlreadyInProgressError and the entry stays parked for the next redrive.
    let redriven = 0;
    let rounds = 0;
    const redriveErrors = new Set<string>();
    for (const deadline = Date.now() + 90_000; world.rt.bus.deadLetters().length && Date.now() < deadline; ) {
      if (rounds++) await sleep(5000);
      const out: string[] = [];
      await runDlqCli(['redrive', '--json'], { out: (l) => void out.push(l), err: (l) => void out.push(l), env: { ...process.env, JIXIAO_HOME: world.rt.home } });
      const result = JSON.parse(out[0] as string) as { delivered: unknown[]; failed: { error: string }[] };
      redriven += result.delivered.length;
      for (const f of result.failed) redriveErrors.add([...f.error.matchAll(/(\w+(?:Error|Exception)):/g)].map((m) => m[1]).find((n) => n !== 'InvocationError') ?? 'an error');
    }
    expect(world.rt.bus.deadLetters()).toEqual([]);
    await world.rt.settle();
    const { probe, timelineLost, timelineDuplicates } = await h.measure(committed);
    const statuses = (p: Phase) => answers.filter((a) => a.phase === p).map((a) => a.status);
    const count = (list: number[]) => Object.entries(list.reduce<Record<number, number>>((m, s) => ({ ...m, [s]: (m[s] ?? 0) + 1 }), {})).map(([s, n]) => `${n}×${s === '0' ? 'no answer' : s}`).join(', ');
    const bare500 = answers.filter((a) => a.status >= 500 && a.status !== 503).length;
    const unavailable = answers.filter((a) => a.status === 503);

    expect(recoveredAt, 'no request succeeded after the restart').toBeDefined();
    expect(unavailable.every((a) => a.retryAfter && a.problem)).toBe(true);
    expect(drafts.every((d) => d.published)).toBe(true);
    expect(committed.size).toBe(drafts.length);
    recordRow({
      class: 'fault',
      name: 'DynamoDB Local restarted mid-run (own engine, on-disk data, same port)',
      operations: answers.length,
      faultsInjected: 1,
      eventsCommitted: committed.size,
      eventsDelivered: probe.delivered,
      lost: probe.lost + timelineLost,
      duplicates: probe.duplicates + timelineDuplicates,
      serverErrors: bare500 + unavailable.length,
      unavailableByDesign: unavailable.length,
      deadLetterMismatch,
      deadLettered: parked.length,
      redriven,
      notes: `outage ${outageMs} ms, first success ${recoveredAt ? recoveredAt - outageStart - outageMs : '-'} ms after the restart; answers before: ${count(statuses('before'))}; during: ${count(statuses('outage'))}; after: ${count(statuses('after'))}; every 503 is problem+json with Retry-After; dead letters redriven in ${rounds} round(s)${redriveErrors.size ? ` (earlier rounds failed with ${[...redriveErrors].join(', ')})` : ''}`,
    });
  });
});
