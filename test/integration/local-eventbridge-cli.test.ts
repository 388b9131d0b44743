import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalEventBus, type RuleSpec } from '../../infra/local/eventbridge/bus.ts';
import { runDlqCli, runEventsCli, type CliIo } from '../../infra/local/eventbridge/cli.ts';
import { buildEnvelope } from '../../infra/local/eventbridge/envelope.ts';
import { startEventBridgeServer } from '../../infra/local/eventbridge/server.ts';
import { dataDir, readRuntimeState, repoRoot, runtimeStatePath, RuntimeStateError, writeRuntimeState } from '../../infra/local/paths.ts';

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function home(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'jixiao-home-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

function io(jixiaoHome: string, signal?: AbortSignal): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout,
    stderr,
    out: (line) => stdout.push(line),
    err: (line) => stderr.push(line),
    env: { JIXIAO_HOME: jixiaoHome },
    followIntervalMs: 10,
    ...(signal ? { signal } : {}),
  };
}

function event(detailType: string, eventId: string) {
  return buildEnvelope(
    {
      source: 'jixiao.indicators',
      detailType,
      detail: { meta: { eventId, subject: { type: 'indicator', id: 'ind_7' } }, data: {} },
      account: '000000000000',
      region: 'cn-northwest-1',
    },
    new Date('2026-11-28T08:00:00Z'),
  );
}

/** A bus in the default data dir of `jixiaoHome`, with one rule whose target fails while `state.broken`. */
function busIn(jixiaoHome: string, state = { broken: true }) {
  const rule: RuleSpec = {
    id: 'accountability.timeline.all-jixiao-events',
    pattern: { source: [{ prefix: 'jixiao.' }] },
    maxAttempts: 2,
    target: async () => {
      if (state.broken) throw new Error('timeline table is missing');
    },
  };
  const bus = new LocalEventBus({ busName: 'jixiao-360000', dataDir: dataDir(jixiaoHome), rules: [rule], retry: { baseDelayMs: 1 }, logger: silent });
  cleanups.push(() => bus.close());
  return { bus, state };
}

async function parkOne(jixiaoHome: string) {
  const { bus, state } = busIn(jixiaoHome);
  await bus.publish([event('IndicatorPublished', 'evt-1')]);
  await bus.idle();
  return { bus, state };
}

describe('npm run dlq', () => {
  it('lists parked events with time, rule, detail-type, event id, attempts and last error', async () => {
    const h = await home();
    const { bus } = await parkOne(h);
    await bus.close();
    const cli = io(h);

    const code = await runDlqCli(['list'], cli);

    const text = cli.stdout.join('\n');
    expect(code).toBe(0);
    expect(text).toMatch(/\d{4}-\d{2}-\d{2}T[\d:.]+Z {2}accountability\.timeline\.all-jixiao-events/);
    expect(text).toContain('detail-type  IndicatorPublished');
    expect(text).toContain('event id     evt-1');
    expect(text).toContain('attempts     2 (max attempts reached)');
    expect(text).toContain('last error   Error: timeline table is missing');
  });

  it('says the store is empty when nothing is parked', async () => {
    const cli = io(await home());

    expect(await runDlqCli(['list'], cli)).toBe(0);
    expect(cli.stdout.join('\n')).toMatch(/^No parked events/);
  });

  it('refuses to redrive when the runtime is not running, exiting 1', async () => {
    const h = await home();
    await parkOne(h);
    const cli = io(h);

    const code = await runDlqCli(['redrive'], cli);

    expect(code).toBe(1);
    expect(cli.stderr.join('\n')).toContain('The local runtime is not running');
  });

  it('redrives through the running runtime and reports the delivery', async () => {
    const h = await home();
    const { bus, state } = await parkOne(h);
    const server = await startEventBridgeServer({ bus, port: 0 });
    cleanups.push(() => server.close());
    writeRuntimeState({ pid: process.pid, apiUrl: 'http://127.0.0.1:1', eventBridgeUrl: server.url, dataDir: dataDir(h) }, h);
    state.broken = false;
    const cli = io(h);

    const code = await runDlqCli(['redrive', '--id', 'evt-1'], cli);

    expect(code).toBe(0);
    expect(cli.stdout.join('\n')).toContain('delivered  evt-1  -> accountability.timeline.all-jixiao-events');
    expect(bus.deadLetters()).toEqual([]);
  });

  it('exits 1 when no parked event matches the given id', async () => {
    const h = await home();
    const { bus } = await parkOne(h);
    const server = await startEventBridgeServer({ bus, port: 0 });
    cleanups.push(() => server.close());
    writeRuntimeState({ pid: process.pid, apiUrl: 'http://127.0.0.1:1', eventBridgeUrl: server.url, dataDir: dataDir(h) }, h);
    const cli = io(h);

    expect(await runDlqCli(['redrive', '--id', 'nope'], cli)).toBe(1);
    expect(cli.stdout.join('\n')).toContain('No parked event matches nope');
  });

  it('exits 2 with the usage text for an unknown command or option', async () => {
    const cli = io(await home());

    expect(await runDlqCli(['purge'], cli)).toBe(2);
    expect(await runDlqCli(['list', '--bogus'], cli)).toBe(2);
    expect(cli.stderr.join('\n')).toContain('Usage: npm run dlq');
  });
});

describe('npm run events', () => {
  it('tails the latest archived events with time, source, detail-type, subject and event id', async () => {
    const h = await home();
    const { bus } = busIn(h, { broken: false });
    await bus.publish([event('A', 'evt-a'), event('B', 'evt-b'), event('C', 'evt-c')]);
    const cli = io(h);

    const code = await runEventsCli(['tail', '-n', '2'], cli);

    expect(code).toBe(0);
    expect(cli.stdout).toHaveLength(3);
    expect(cli.stdout[0]).toMatch(/^TIME +SOURCE +DETAIL-TYPE +SUBJECT +EVENT ID$/);
    expect(cli.stdout[1]).toMatch(/^2026-11-28T08:00:00Z +jixiao\.indicators +B +indicator\/ind_7 +evt-b +-> accountability/);
    expect(cli.stdout[2]).toContain('evt-c');
  });

  it('follows the archive, printing events as they are accepted', async () => {
    const h = await home();
    const { bus } = busIn(h, { broken: false });
    const abort = new AbortController();
    const cli = io(h, abort.signal);

    const running = runEventsCli(['tail', '--follow'], cli);
    await new Promise((resolve) => setTimeout(resolve, 30));
    await bus.publish([event('Later', 'evt-later')]);
    while (!cli.stdout.some((line) => line.includes('evt-later'))) await new Promise((resolve) => setTimeout(resolve, 10));
    abort.abort();

    expect(await running).toBe(0);
  });

  it('runs as an npm script entry point with --help', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'infra/local/cli/events.ts', '--help'], { cwd: repoRoot() });

    expect(stdout).toContain('Usage: npm run events -- tail');
  });
});

describe('several regions: --region and runtime.json', () => {
  /** Buses of Jiangxi (the first region, in <data>) and Nanchang (in <data>/regions/360100), as a multi-region run lays them out. */
  async function twoRegions(h: string) {
    const dirs = { '360000': dataDir(h), '360100': join(dataDir(h), 'regions', '360100') };
    const buses = Object.fromEntries(
      Object.entries(dirs).map(([code, dir]) => {
        const bus = new LocalEventBus({ busName: `jixiao-${code}`, dataDir: dir, logger: silent });
        cleanups.push(() => bus.close());
        return [code, bus];
      }),
    ) as Record<keyof typeof dirs, LocalEventBus>;
    await buses['360000'].publish([event('IndicatorPublished', 'evt-jiangxi')]);
    await buses['360100'].publish([event('IndicatorPublished', 'evt-nanchang')]);
    const regions = Object.entries(dirs).map(([code, dir]) => ({ code, apiUrl: 'http://127.0.0.1:1', eventBridgeUrl: 'http://127.0.0.1:2', dataDir: dir }));
    writeRuntimeState({ pid: process.pid, apiUrl: 'http://127.0.0.1:1', eventBridgeUrl: 'http://127.0.0.1:2', dataDir: dataDir(h), regions }, h);
    return buses;
  }

  it('tails the archive of the region --region names, and the first region’s without it', async () => {
    const h = await home();
    await twoRegions(h);

    const nanchang = io(h);
    expect(await runEventsCli(['tail', '--region', '360100'], nanchang)).toBe(0);
    expect(nanchang.stdout.join('\n')).toContain('evt-nanchang');
    expect(nanchang.stdout.join('\n')).not.toContain('evt-jiangxi');

    const first = io(h);
    expect(await runEventsCli(['tail'], first)).toBe(0);
    expect(first.stdout.join('\n')).toContain('evt-jiangxi');
    expect(first.stdout.join('\n')).not.toContain('evt-nanchang');
  });

  it('lists the dead letters of the region --region names', async () => {
    const h = await home();
    await twoRegions(h);
    const cli = io(h);

    expect(await runDlqCli(['list', '--region', '360100'], cli)).toBe(0);
    expect(cli.stdout.join('\n')).toContain(join('regions', '360100', 'events', 'dlq.jsonl'));
  });

  it('exits 1 naming the running regions when --region names another, and 2 for a malformed code', async () => {
    const h = await home();
    await twoRegions(h);
    const cli = io(h);

    expect(await runEventsCli(['tail', '--region', '360400'], cli)).toBe(1);
    expect(cli.stderr.join('\n')).toMatch(/region 360400 is not in .*runtime\.json \(regions: 360000, 360100\)/);
    expect(await runDlqCli(['list', '--region', 'nanchang'], cli)).toBe(2);
  });

  it('reads a runtime.json written before regions existed, and refuses one whose regions are malformed', async () => {
    const h = await home();
    writeRuntimeState({ pid: 1, apiUrl: 'http://a', eventBridgeUrl: 'http://e', dataDir: '/d' }, h);
    expect(readRuntimeState(h)).toEqual({ pid: 1, apiUrl: 'http://a', eventBridgeUrl: 'http://e', dataDir: '/d' });

    await writeFile(runtimeStatePath(h), JSON.stringify({ pid: 1, apiUrl: 'http://a', eventBridgeUrl: 'http://e', dataDir: '/d', regions: [{ code: '360000' }] }));
    expect(() => readRuntimeState(h)).toThrow(RuntimeStateError);
  });
});
