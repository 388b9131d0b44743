/**
 * Events forwarded between regions locally, as the CDK stacks forward them: the library
 * (FORWARDED_TO_CHILDREN from jixiao.indicators) down to each child's bus, FORWARDED_TO_PARENT
 * up to the parent's bus, nothing to siblings, one hop only, and a delivery to a region that
 * is not running retried and then dead-lettered on the sender.
 *
 * The first part runs three regional runtimes (Jiangxi, Nanchang, Jiujiang) in-process on the
 * run's DynamoDB Local and puts events with the real EventBridgeClient. Their manifests are
 * producers only (no functions, no tables): what is under test is the network, not a service.
 * The second part checks one-hop forwarding with bare buses and a county that is not configured.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LocalEventBus } from '../../infra/local/eventbridge/bus.ts';
import { buildEnvelope, type EventEnvelope } from '../../infra/local/eventbridge/envelope.ts';
import { selectRegions, startLocalRuntimes, type LocalRuntimes } from '../../infra/local/multi-region.ts';
import { LocalRegionNetwork, PeerBusUnavailableError } from '../../infra/local/region-network.ts';
import { startLocalRuntime, type LocalRuntime } from '../../infra/local/runtime.ts';
import { FORWARDED_TO_PARENT, REGIONS, regionConfig, type RegionConfig } from '../../infra/regions.ts';
import type { ServiceManifest } from '../../shared/manifest.ts';
import { testEndpoint, uniquePrefix } from '../support/aws-env.ts';
import { eventually } from '../support/runtime.ts';

const JIANGXI = '360000';
const NANCHANG = '360100';
const JIUJIANG = '360400';
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** Producers only: the local endpoint accepts exactly what a manifest's publishes lists. */
const producers: ServiceManifest[] = [
  { name: 'indicators', description: 'library producer (test)', functions: [], publishes: ['IndicatorPublished'] },
  { name: 'evaluation', description: 'evaluation producer (test)', functions: [], publishes: ['EvaluationCompleted', 'EvaluationSubmitted'] },
];

function detail(eventId: string, region: string) {
  return { meta: { eventId, version: 1, occurredAt: '2026-11-28T08:00:00.000Z', region, subject: { type: 'indicator', id: `ind_${eventId}` } }, data: {} };
}

describe('three regions on one network', () => {
  let regions: LocalRuntimes;
  let home: string;
  const clients: EventBridgeClient[] = [];
  const prefix = uniquePrefix();
  const runtime = (code: string) => regions.runtime(code);

  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'jixiao-network-'));
    regions = await startLocalRuntimes({
      regionCodes: [JIANGXI, NANCHANG, JIUJIANG],
      // Few, quick forwarding retries so a delivery to a stopped region is dead-lettered fast.
      network: new LocalRegionNetwork({ forwarding: { maxAttempts: 3 } }),
      home,
      inMemory: true,
      port: 0,
      dynamodbEndpoint: testEndpoint(),
      tablePrefix: prefix,
      manifests: producers,
      warm: false,
      retry: { baseDelayMs: 10, maxDelayMs: 40 },
      logLevel: 'SILENT',
    });
  });

  afterAll(async () => {
    for (const client of clients) client.destroy();
    await regions?.stop();
    rmSync(home, { recursive: true, force: true });
  });

  async function put(code: string, source: string, detailType: string, eventId: string): Promise<string> {
    const client = new EventBridgeClient({
      endpoint: runtime(code).eventBridgeUrl,
      region: runtime(code).awsRegion,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 1,
    });
    clients.push(client);
    const out = await client.send(
      new PutEventsCommand({
        Entries: [{ EventBusName: runtime(code).bus.busName, Source: source, DetailType: detailType, Detail: JSON.stringify(detail(eventId, code)) }],
      }),
    );
    expect(out.FailedEntryCount).toBe(0);
    return out.Entries![0]!.EventId!;
  }

  /** Archived events on a region's bus carrying this `detail.meta.eventId`. */
  async function received(code: string, eventId: string) {
    const archived = await runtime(code).bus.recentEvents(1000);
    return archived.filter((a) => (a.event.detail.meta as { eventId?: string } | undefined)?.eventId === eventId);
  }

  it('starts one runtime per region, each with its own bus, EventBridge endpoint and HTTP front', () => {
    expect(regions.runtimes.map((r) => r.regionCode)).toEqual([JIANGXI, NANCHANG, JIUJIANG]);
    expect(new Set(regions.runtimes.map((r) => r.apiUrl)).size).toBe(3);
    expect(new Set(regions.runtimes.map((r) => r.eventBridgeUrl)).size).toBe(3);
    expect(regions.runtimes.map((r) => r.bus.busName)).toEqual([JIANGXI, NANCHANG, JIUJIANG].map((c) => `${prefix}jixiao-${c}`));
    expect(regions.network.running().sort()).toEqual([JIANGXI, NANCHANG, JIUJIANG]);
    expect(runtime(JIANGXI).bus.busTargetRules()).toEqual([`forward.to-child.${NANCHANG}`, `forward.to-child.${JIUJIANG}`]);
    expect(runtime(NANCHANG).bus.busTargetRules()).toEqual([`forward.to-parent.${JIANGXI}`]);
  });

  it('forwards an IndicatorPublished put on Jiangxi’s bus to Nanchang’s and Jiujiang’s buses, same envelope', async () => {
    const envelopeId = await put(JIANGXI, 'jixiao.indicators', 'IndicatorPublished', 'lib-1');
    await regions.settle();

    const [atJiangxi] = await received(JIANGXI, 'lib-1');
    expect(atJiangxi!.rules).toEqual([`forward.to-child.${NANCHANG}`, `forward.to-child.${JIUJIANG}`]);
    for (const child of [NANCHANG, JIUJIANG]) {
      const arrived = await received(child, 'lib-1');
      expect(arrived, child).toHaveLength(1);
      // Cross-bus delivery keeps the event: id, source, account, region, time, detail.
      expect(arrived[0]!.event).toEqual(atJiangxi!.event);
      expect(arrived[0]!.event.id).toBe(envelopeId);
      expect(arrived[0]!.forwardedFrom).toBe(runtime(JIANGXI).bus.busArn);
      // One hop: a child's bus forwards nothing it received from another bus.
      expect(arrived[0]!.rules).toEqual([]);
    }
  });

  it('keeps a library event put on Nanchang’s bus away from its sibling Jiujiang and from Jiangxi', async () => {
    await put(NANCHANG, 'jixiao.indicators', 'IndicatorPublished', 'lib-nc');
    await regions.settle();

    expect(await received(NANCHANG, 'lib-nc')).toHaveLength(1);
    expect(await received(JIUJIANG, 'lib-nc')).toEqual([]);
    expect(await received(JIANGXI, 'lib-nc')).toEqual([]);
  });

  it('forwards an upward type from Nanchang to Jiangxi only, and a type in neither list nowhere', async () => {
    expect(FORWARDED_TO_PARENT).toContain('EvaluationCompleted');
    await put(NANCHANG, 'jixiao.evaluation', 'EvaluationCompleted', 'eval-1');
    await put(NANCHANG, 'jixiao.evaluation', 'EvaluationSubmitted', 'eval-2');
    await regions.settle();

    const [up] = await received(JIANGXI, 'eval-1');
    expect(up?.forwardedFrom).toBe(runtime(NANCHANG).bus.busArn);
    // Jiangxi does not pass it on to its other child: one hop, and it is no library event.
    expect(up?.rules).toEqual([]);
    expect(await received(JIUJIANG, 'eval-1')).toEqual([]);
    expect(await received(JIANGXI, 'eval-2')).toEqual([]);
    expect(await received(JIUJIANG, 'eval-2')).toEqual([]);
  });

  it('dead-letters on the sender what it could not forward to a stopped region, and redrives it once the region runs again', async () => {
    await runtime(JIUJIANG).stop();
    expect(regions.network.busOf(JIUJIANG)).toBeUndefined();

    await put(JIANGXI, 'jixiao.indicators', 'IndicatorPublished', 'lib-2');
    await regions.settle();

    expect(await received(NANCHANG, 'lib-2')).toHaveLength(1);
    const parked = runtime(JIANGXI).bus.deadLetters().filter((p) => p.event.detail.meta && (p.event.detail.meta as { eventId: string }).eventId === 'lib-2');
    expect(parked).toHaveLength(1);
    expect(parked[0]).toMatchObject({ ruleId: `forward.to-child.${JIUJIANG}`, reason: 'max-attempts', attempts: 3 });
    expect(parked[0]!.lastError.message).toContain(`region ${JIUJIANG} is not running`);

    // Jiujiang runs again (same tables), joins the network, and the parked event is redriven to it.
    const restarted: LocalRuntime = await startLocalRuntime({
      regionCode: JIUJIANG,
      network: regions.network,
      home,
      inMemory: true,
      port: 0,
      dynamodbEndpoint: regions.dynamodbEndpoint,
      tablePrefix: prefix,
      manifests: producers,
      warm: false,
      logLevel: 'SILENT',
    });
    try {
      const result = await runtime(JIANGXI).bus.redrive({ id: 'lib-2' });
      expect(result.delivered).toHaveLength(1);
      const arrived = await eventually(async () => ((await restarted.bus.recentEvents(100)).find((a) => a.event.id === parked[0]!.event.id)));
      expect(arrived.forwardedFrom).toBe(runtime(JIANGXI).bus.busArn);
    } finally {
      await restarted.stop();
    }
  });
});

describe('forwarding rules between bare buses', () => {
  const county: RegionConfig = { ...regionConfig(NANCHANG), code: '360102', name: { zh: '东湖区', pinyin: 'Donghu' }, parent: NANCHANG, account: '444444444444' };
  const dirs: string[] = [];
  const buses: LocalEventBus[] = [];
  afterEach(async () => {
    await Promise.all(buses.splice(0).map((b) => b.close()));
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  function join_(network: LocalRegionNetwork, code: string): LocalEventBus {
    const dir = mkdtempSync(join(tmpdir(), 'jixiao-fwd-'));
    dirs.push(dir);
    const bus = new LocalEventBus({
      busName: `jixiao-${code}`,
      dataDir: dir,
      rules: network.forwardingRules(code),
      retry: { baseDelayMs: 2, maxDelayMs: 10 },
      logger: silent,
    });
    buses.push(bus);
    network.register(code, bus);
    return bus;
  }

  const library = (eventId: string): EventEnvelope =>
    buildEnvelope({ source: 'jixiao.indicators', detailType: 'IndicatorPublished', detail: detail(eventId, JIANGXI), account: '000000000000', region: 'cn-northwest-1' });
  const ids = async (bus: LocalEventBus) => (await bus.recentEvents(100)).map((a) => (a.event.detail.meta as { eventId: string }).eventId);

  it('forwards one hop only: a county gets its province’s library only when its city re-publishes it', async () => {
    // Jiujiang is not running here: its deliveries park after two attempts instead of 186.
    const network = new LocalRegionNetwork({ regions: [...REGIONS, county], forwarding: { maxAttempts: 2 } });
    const [jiangxi, nanchang, donghu] = [JIANGXI, NANCHANG, county.code].map((code) => join_(network, code)) as [LocalEventBus, LocalEventBus, LocalEventBus];

    await jiangxi.publish([library('from-province')]);
    await jiangxi.idle();
    await nanchang.idle();
    expect(await ids(nanchang)).toEqual(['from-province']);
    expect(await ids(donghu)).toEqual([]);

    // Nanchang's indicators service re-publishes what it inherited: that goes down to the county.
    await nanchang.publish([library('republished-by-city')]);
    await nanchang.idle();
    expect(await ids(donghu)).toEqual(['republished-by-city']);
  });

  it('makes rules only to the parent and the children, and fails a delivery to a region that is not running', async () => {
    const network = new LocalRegionNetwork({ forwarding: { maxAttempts: 2 } });
    expect(network.forwardingRules(JIANGXI).map((r) => r.id)).toEqual(['forward.to-child.360100', 'forward.to-child.360400']);
    expect(network.forwardingRules(JIUJIANG).map((r) => r.id)).toEqual(['forward.to-parent.360000']);
    const jiangxi = join_(network, JIANGXI);

    await jiangxi.publish([library('nobody-home')]);
    await jiangxi.idle();
    const parked = jiangxi.deadLetters();
    expect(parked.map((p) => p.ruleId).sort()).toEqual(['forward.to-child.360100', 'forward.to-child.360400']);
    expect(parked.every((p) => p.attempts === 2 && p.lastError.message.startsWith(PeerBusUnavailableError.name))).toBe(true);
  });

  it('forwards only to the regions deployed in the network: one region alone forwards nothing', async () => {
    expect(new LocalRegionNetwork({ members: [JIANGXI] }).forwardingRules(JIANGXI)).toEqual([]);
    expect(new LocalRegionNetwork({ members: [JIANGXI, JIUJIANG] }).forwardingRules(JIANGXI).map((r) => r.id)).toEqual(['forward.to-child.360400']);
    const network = new LocalRegionNetwork({ members: [JIANGXI] });
    const jiangxi = join_(network, JIANGXI);
    await jiangxi.publish([library('alone')]);
    await jiangxi.idle();
    expect(jiangxi.deadLetters()).toEqual([]);
    expect(() => network.register(NANCHANG, jiangxi)).toThrow(/not a member/);
  });

  it('refuses a second bus for a region that is already running, and a region that is not configured', () => {
    const network = new LocalRegionNetwork();
    join_(network, NANCHANG);
    const dir = mkdtempSync(join(tmpdir(), 'jixiao-fwd-'));
    dirs.push(dir);
    const other = new LocalEventBus({ busName: 'other', dataDir: dir, logger: silent });
    buses.push(other);
    expect(() => network.register(NANCHANG, other)).toThrow(/already running/);
    expect(() => network.register('369999', other)).toThrow(/unknown region/);
    expect(() => network.forwardingRules('369999')).toThrow(/unknown region/);
  });
});

describe('startLocalRuntimes', () => {
  /** PIDs of DynamoDB Local processes whose command line mentions this directory. */
  function javaUnder(dir: string): number[] {
    return readdirSync('/proc')
      .filter((entry) => /^\d+$/.test(entry))
      .filter((entry) => {
        try {
          const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
          return cmdline.includes('DynamoDBLocal.jar') && cmdline.includes(dir);
        } catch {
          return false;
        }
      })
      .map(Number);
  }

  it('selects regions from --region (repeatable) and --regions all or a list, in order, each once, 360000 by default', () => {
    const codes = (region: string[] | undefined, regions?: string) => selectRegions(region, regions).map((r) => r.code);
    expect(codes(undefined)).toEqual(['360000']);
    expect(codes(['360100'])).toEqual(['360100']);
    expect(codes(['360000', '360100', '360000'])).toEqual(['360000', '360100']);
    expect(codes(undefined, 'all')).toEqual(REGIONS.map((r) => r.code));
    expect(codes(['360400'], '360100,360000')).toEqual(['360100', '360000', '360400']);
    expect(() => codes(['369999'])).toThrow(/unknown region "369999"; known regions/);
  });

  it('refuses unknown, repeated or missing region codes before starting anything', async () => {
    const base = { inMemory: true, dynamodbEndpoint: 'http://127.0.0.1:1', tablePrefix: uniquePrefix() };
    await expect(startLocalRuntimes({ ...base, regionCodes: [] })).rejects.toThrow(/at least one region/);
    await expect(startLocalRuntimes({ ...base, regionCodes: ['360000', '360000'] })).rejects.toThrow(/listed twice/);
    await expect(startLocalRuntimes({ ...base, regionCodes: ['369999'] })).rejects.toThrow(/unknown region/);
    await expect(startLocalRuntimes({ ...base, regionCodes: ['360100'], network: new LocalRegionNetwork({ members: ['360000'] }) })).rejects.toThrow(/not a member/);
  });

  it('stops every region already started, and its own DynamoDB Local, when one region fails to start', async () => {
    const home = mkdtempSync(join(tmpdir(), 'jixiao-network-fail-'));
    const network = new LocalRegionNetwork();
    // Nanchang is "already running" in this network, so the Nanchang runtime fails as it joins.
    const squatter = new LocalEventBus({ busName: 'squatter', dataDir: home, logger: silent });
    network.register(NANCHANG, squatter);
    try {
      await expect(
        startLocalRuntimes({ regionCodes: [JIANGXI, NANCHANG], network, home, port: 0, manifests: producers, warm: false, writeState: true, logLevel: 'SILENT' }),
      ).rejects.toThrow(/already running/);
      expect(network.running()).toEqual([NANCHANG]);
      expect(readdirSync(home)).not.toContain('runtime.json');
      // The engine ran with its files under this home; the watchdog may take a moment to reap Java.
      await eventually(async () => (javaUnder(home).length === 0 ? true : undefined), 5000, 100);
    } finally {
      await squatter.close();
      rmSync(home, { recursive: true, force: true });
    }
  });
});
