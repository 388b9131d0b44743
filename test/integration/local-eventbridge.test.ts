import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventBridgeClient, PutEventsCommand, type PutEventsCommandOutput, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { EventBridgeSchema } from '@aws-lambda-powertools/parser/schemas/eventbridge';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalEventBus, type DeliveryContext, type LocalEventBusOptions, type RuleSpec } from '../../infra/local/eventbridge/bus.ts';
import type { EventEnvelope } from '../../infra/local/eventbridge/envelope.ts';
import { UnsupportedPatternError } from '../../infra/local/eventbridge/pattern.ts';
import type { EntryFault } from '../../infra/local/eventbridge/protocol.ts';
import type { ArchivedEvent, ParkedEvent } from '../../infra/local/eventbridge/store.ts';
import { startEventBridgeServer, type EventBridgeServer } from '../../infra/local/eventbridge/server.ts';
import type { EventPattern } from '../../shared/event-pattern.ts';

const BUS = 'jixiao-360000';
const REGION = 'cn-northwest-1';
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

interface Harness {
  bus: LocalEventBus;
  server: EventBridgeServer;
  client: EventBridgeClient;
  dataDir: string;
  put(entries: PutEventsRequestEntry[]): Promise<PutEventsCommandOutput>;
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'jixiao-eb-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

function newBus(dataDir: string, rules: RuleSpec[], options: Partial<LocalEventBusOptions> = {}): LocalEventBus {
  const bus = new LocalEventBus({ busName: BUS, region: REGION, dataDir, rules, retry: { baseDelayMs: 2, maxDelayMs: 10 }, logger: silent, ...options });
  cleanups.push(() => bus.close());
  return bus;
}

async function start(rules: RuleSpec[], options: { bus?: Partial<LocalEventBusOptions>; failEntry?: EntryFault; dataDir?: string } = {}): Promise<Harness> {
  const dataDir = options.dataDir ?? (await tempDir());
  const bus = newBus(dataDir, rules, options.bus);
  const server = await startEventBridgeServer({ bus, port: 0, ...(options.failEntry ? { faults: { failEntry: options.failEntry } } : {}) });
  cleanups.push(() => server.close());
  const client = new EventBridgeClient({
    endpoint: server.url,
    region: REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  cleanups.push(async () => client.destroy());
  return { bus, server, client, dataDir, put: (entries) => client.send(new PutEventsCommand({ Entries: entries })) };
}

/** A rule whose target records what it receives; `fail(n)` decides whether attempt n throws. */
function recordingRule(id: string, pattern: EventPattern, fail: (attempt: number) => boolean = () => false, extra: Partial<RuleSpec> = {}) {
  const received: { event: EventEnvelope; context: DeliveryContext }[] = [];
  let calls = 0;
  const rule: RuleSpec = {
    id,
    pattern,
    maxAttempts: 5,
    ...extra,
    target: async (event, context) => {
      calls++;
      if (fail(calls)) throw new Error(`target ${id} is down (call ${calls})`);
      received.push({ event, context });
    },
  };
  return { rule, received, calls: () => calls };
}

function entry(detailType: string, data: unknown = {}, overrides: Partial<PutEventsRequestEntry> = {}): PutEventsRequestEntry {
  return {
    Source: 'jixiao.indicators',
    DetailType: detailType,
    Detail: JSON.stringify({ meta: { eventId: `evt-${detailType}`, subject: { type: 'indicator', id: 'ind_1' } }, data }),
    EventBusName: BUS,
    ...overrides,
  };
}

describe('local EventBridge endpoint', () => {
  it('delivers an event to the matching rules only', async () => {
    const published = recordingRule('accountability.timeline.published', { 'detail-type': ['IndicatorPublished'] });
    const retired = recordingRule('accountability.timeline.retired', { 'detail-type': ['IndicatorRetired'] });
    const all = recordingRule('accountability.timeline.all', { source: [{ prefix: 'jixiao.' }] });
    const h = await start([published.rule, retired.rule, all.rule]);

    await h.put([entry('IndicatorPublished')]);
    await h.bus.idle();

    expect(published.received).toHaveLength(1);
    expect(all.received).toHaveLength(1);
    expect(retired.received).toHaveLength(0);
  });

  it('delivers the genuine envelope, which Powertools EventBridgeSchema parses', async () => {
    const all = recordingRule('s.f.all', { source: ['jixiao.indicators'] });
    const h = await start([all.rule]);

    const response = await h.put([entry('IndicatorPublished', { n: 1 }, { Time: new Date('2026-11-28T08:00:00.123Z'), Resources: ['arn:aws-cn:x'] })]);
    await h.bus.idle();

    const delivered = all.received[0]?.event;
    expect(delivered).toEqual({
      version: '0',
      id: response.Entries?.[0]?.EventId,
      'detail-type': 'IndicatorPublished',
      source: 'jixiao.indicators',
      account: '000000000000',
      time: '2026-11-28T08:00:00Z',
      region: REGION,
      resources: ['arn:aws-cn:x'],
      detail: { meta: { eventId: 'evt-IndicatorPublished', subject: { type: 'indicator', id: 'ind_1' } }, data: { n: 1 } },
    });
    expect(EventBridgeSchema.parse(delivered)).toMatchObject({ 'detail-type': 'IndicatorPublished' });
  });

  it('stamps the time of receipt, without milliseconds, when the entry has no Time', async () => {
    const all = recordingRule('s.f.all', { source: ['jixiao.indicators'] });
    const h = await start([all.rule]);
    const before = Math.floor(Date.now() / 1000) * 1000;

    await h.put([entry('IndicatorPublished')]);
    await h.bus.idle();

    const time = all.received[0]?.event.time ?? '';
    expect(time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(Date.parse(time)).toBeGreaterThanOrEqual(before);
  });

  it('answers PutEvents before the delivery finishes', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const h = await start([{ id: 's.f.slow', pattern: { source: ['jixiao.indicators'] }, target: () => gate }]);
    cleanups.push(async () => release()); // never leave close() waiting on the gate

    const response = await h.put([entry('IndicatorPublished')]);

    expect(response.FailedEntryCount).toBe(0);
    expect(h.bus.stats().delivered).toBe(0);
    release();
    await h.bus.idle();
    expect(h.bus.stats().delivered).toBe(1);
  });

  it('reports an injected entry failure in the SDK response and does not deliver that entry', async () => {
    const all = recordingRule('s.f.all', { source: ['jixiao.indicators'] });
    const h = await start([all.rule], {
      failEntry: (_entry, index) => (index === 1 ? { ErrorCode: 'ThrottlingException', ErrorMessage: 'Rate exceeded' } : undefined),
    });

    const response = await h.put([entry('A'), entry('B'), entry('C')]);
    await h.bus.idle();

    expect(response.FailedEntryCount).toBe(1);
    expect(response.Entries?.[1]).toEqual({ ErrorCode: 'ThrottlingException', ErrorMessage: 'Rate exceeded' });
    expect(response.Entries?.[0]?.EventId).toBeTruthy();
    expect(response.Entries?.[2]?.EventId).toBeTruthy();
    expect(all.received.map((r) => r.event['detail-type'])).toEqual(expect.arrayContaining(['A', 'C']));
    expect(all.received).toHaveLength(2);
  });

  it('retries a failing target with back-off and delivers once after N+1 attempts', async () => {
    const flaky = recordingRule('s.f.flaky', { source: ['jixiao.indicators'] }, (call) => call <= 2);
    const h = await start([flaky.rule]);

    await h.put([entry('IndicatorPublished')]);
    await h.bus.idle();

    expect(flaky.calls()).toBe(3);
    expect(flaky.received).toHaveLength(1);
    expect(flaky.received[0]?.context.attempt).toBe(3);
    expect(h.bus.stats()).toMatchObject({ delivered: 1, failedAttempts: 2, parked: 0 });
  });

  it('parks an event that fails every attempt, with its rule, attempts and last error', async () => {
    const broken = recordingRule('s.f.broken', { source: ['jixiao.indicators'] }, () => true, { maxAttempts: 3 });
    const bystander = recordingRule('s.f.ok', { source: ['jixiao.indicators'] });
    const h = await start([broken.rule, bystander.rule]);

    const response = await h.put([entry('IndicatorPublished')]);
    await h.bus.idle();

    const parked = h.bus.deadLetters();
    expect(parked).toHaveLength(1);
    expect(parked[0]).toMatchObject({ ruleId: 's.f.broken', attempts: 3, reason: 'max-attempts', redrives: 0 });
    expect(parked[0]?.event.id).toBe(response.Entries?.[0]?.EventId);
    expect(parked[0]?.lastError.message).toBe('Error: target s.f.broken is down (call 3)');
    expect(parked[0]?.lastError.stack).toContain('local-eventbridge.test.ts');
    expect(bystander.received).toHaveLength(1);
  });

  it('redrives a parked event through the admin API once the target is fixed, emptying the dead-letter store', async () => {
    let broken = true;
    const rule = recordingRule('s.f.fixable', { source: ['jixiao.indicators'] }, () => broken, { maxAttempts: 2 });
    const h = await start([rule.rule]);
    await h.put([entry('IndicatorPublished')]);
    await h.bus.idle();
    expect(h.bus.deadLetters()).toHaveLength(1);

    broken = false;
    const result = await (await fetch(`${h.server.url}/_local/dlq/redrive?id=evt-IndicatorPublished`, { method: 'POST' })).json();

    expect(result).toMatchObject({ matched: 1, failed: [], remaining: 0, delivered: [{ ruleId: 's.f.fixable', eventId: 'evt-IndicatorPublished' }] });
    expect(rule.received).toHaveLength(1);
    expect(rule.received[0]?.context).toEqual({ ruleId: 's.f.fixable', attempt: 1, redrive: true });
    expect(h.bus.deadLetters()).toEqual([]);
    expect(await readFile(join(h.dataDir, 'events', 'dlq.jsonl'), 'utf8')).toBe('');
  });

  it('keeps a parked event whose redrive fails, with its attempts and error updated', async () => {
    const rule = recordingRule('s.f.broken', { source: ['jixiao.indicators'] }, () => true, { maxAttempts: 2 });
    const h = await start([rule.rule]);
    await h.put([entry('IndicatorPublished')]);
    await h.bus.idle();

    const result = await h.bus.redrive();

    expect(result).toMatchObject({ matched: 1, delivered: [], remaining: 1 });
    expect(h.bus.deadLetters()[0]).toMatchObject({ attempts: 3, redrives: 1, lastError: { message: 'Error: target s.f.broken is down (call 3)' } });
  });

  it('parks an event once the next retry would pass the rule\'s maximum event age', async () => {
    let clock = Date.parse('2026-11-28T08:00:00Z');
    const rule: RuleSpec = {
      id: 's.f.slow-failure',
      pattern: { source: ['jixiao.indicators'] },
      maxAttempts: 100,
      maxEventAgeSeconds: 60,
      target: async () => {
        clock += 61_000; // each attempt "takes" a minute
        throw new Error('still down');
      },
    };
    const h = await start([rule], { bus: { now: () => clock } });

    await h.put([entry('IndicatorPublished')]);
    await h.bus.idle();

    expect(h.bus.deadLetters()[0]).toMatchObject({ reason: 'max-age', attempts: 1 });
  });

  it('parks deliveries still waiting for a retry when the bus closes', async () => {
    const rule = recordingRule('s.f.down', { source: ['jixiao.indicators'] }, () => true, { maxAttempts: 10 });
    const h = await start([rule.rule], { bus: { retry: { baseDelayMs: 60_000 } } });
    await h.put([entry('IndicatorPublished')]);
    while (rule.calls() === 0) await new Promise((resolve) => setTimeout(resolve, 2));

    await h.bus.close();

    const reopened = newBus(h.dataDir, []);
    expect(reopened.deadLetters()).toMatchObject([{ ruleId: 's.f.down', reason: 'bus-closed', attempts: 1 }]);
  });

  it('surfaces more than 10 entries as a ValidationException from the SDK', async () => {
    const h = await start([]);

    const error = await h.put(Array.from({ length: 11 }, (_, i) => entry(`E${i}`))).catch((e: unknown) => e);

    expect(error).toMatchObject({ name: 'ValidationException', $metadata: { httpStatusCode: 400 } });
  });

  it('surfaces entries over 256 KB in total as a ValidationException from the SDK', async () => {
    const h = await start([]);
    const big = 'x'.repeat(100 * 1024);

    const error = await h.put([1, 2, 3].map(() => entry('Big', big))).catch((e: unknown) => e);

    expect(error).toMatchObject({ name: 'ValidationException', message: 'Total size of the entries in the request is over the limit.' });
  });

  it('fails entries with a Detail that is not a JSON object as MalformedDetail, like AWS', async () => {
    const h = await start([]);

    const response = await h.put([entry('A', {}, { Detail: 'not json' }), entry('B', {}, { Detail: '[1, 2]' }), entry('C')]);

    expect(response.FailedEntryCount).toBe(2);
    expect(response.Entries?.slice(0, 2)).toEqual([
      { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' },
      { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' },
    ]);
  });

  it('fails entries missing Source, DetailType or Detail as InvalidArgument', async () => {
    const h = await start([]);

    const response = await h.put([entry('A', {}, { Source: undefined }), entry('B', {}, { DetailType: undefined }), entry('C', {}, { Detail: undefined })]);

    expect(response.Entries).toEqual([
      { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter Source is not valid. Reason: Source is a required argument.' },
      { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter DetailType is not valid. Reason: DetailType is a required argument.' },
      { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter Detail is not valid. Reason: Detail is a required argument.' },
    ]);
  });

  it('accepts the bus by name or ARN and fails entries for any other bus', async () => {
    const h = await start([]);

    const response = await h.put([
      entry('A', {}, { EventBusName: `arn:aws-cn:events:${REGION}:000000000000:event-bus/${BUS}` }),
      entry('B', {}, { EventBusName: 'default' }),
    ]);

    expect(response.Entries?.[0]?.EventId).toBeTruthy();
    expect(response.Entries?.[1]).toMatchObject({ ErrorCode: 'InvalidArgument' });
  });

  it('refuses requests without an Authorization header, like AWS', async () => {
    const h = await start([]);

    const response = await fetch(h.server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSEvents.PutEvents' },
      body: JSON.stringify({ Entries: [entry('A')] }),
    });

    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ __type: 'MissingAuthenticationTokenException' });
  });

  it('answers other operations with UnknownOperationException', async () => {
    const h = await start([]);

    const response = await fetch(h.server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSEvents.PutRule', authorization: 'AWS4-HMAC-SHA256 x' },
      body: '{}',
    });

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ __type: 'UnknownOperationException' });
  });

  it('archives accepted events to disk, where a new bus on the same directory lists them', async () => {
    const h = await start([]);
    await h.put([entry('First'), entry('Second')]);
    await h.put([entry('Third')]);
    await h.bus.close();

    const reopened = newBus(h.dataDir, []);
    const archived = await reopened.recentEvents(2);

    expect(archived.map((a) => a.event['detail-type'])).toEqual(['Second', 'Third']);
    expect(archived[0]?.rules).toEqual([]);
  });

  it('rotates the archive past its size limit and still lists the latest events across both files', async () => {
    const h = await start([], { bus: { maxArchiveBytes: 2_000 } });
    for (let i = 0; i < 8; i++) await h.put([entry(`E${i}`)]);

    expect(existsSync(join(h.dataDir, 'events', 'archive.1.jsonl'))).toBe(true);
    const latest = await h.bus.recentEvents(5);
    expect(latest.map((a) => a.event['detail-type'])).toEqual(['E3', 'E4', 'E5', 'E6', 'E7']);
  });

  it('serves the latest archived events, the dead-letter store and counts on the admin API', async () => {
    const rule = recordingRule('s.f.broken', { 'detail-type': ['Bad'] }, () => true, { maxAttempts: 1 });
    const h = await start([rule.rule]);
    await h.put([entry('A'), entry('Bad'), entry('C')]);
    await h.bus.idle();

    const events = (await (await fetch(`${h.server.url}/_local/events?limit=2`)).json()) as { events: ArchivedEvent[] };
    const dlq = (await (await fetch(`${h.server.url}/_local/dlq`)).json()) as { parked: ParkedEvent[] };
    const stats = await (await fetch(`${h.server.url}/_local/stats`)).json();

    expect(events.events.map((e) => e.event['detail-type'])).toEqual(['Bad', 'C']);
    expect(events.events[0]?.rules).toEqual(['s.f.broken']);
    expect(dlq.parked).toHaveLength(1);
    expect(stats).toMatchObject({ busName: BUS, rules: 1, accepted: 3, delivered: 0, failedAttempts: 1, parked: 1 });
  });

  it('refuses to start with a rule pattern the local runtime cannot honour', async () => {
    const dataDir = await tempDir();
    const target = async () => undefined;

    expect(() => newBus(dataDir, [{ id: 's.f.bad', pattern: { source: [{ wildcard: 'jixiao.*' }] } as unknown as EventPattern, target }])).toThrow(
      UnsupportedPatternError,
    );
  });
});
