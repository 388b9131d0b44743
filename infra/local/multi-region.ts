/**
 * Several regions on one machine (`npm start -- --region 360000 --region 360100`): one shared
 * DynamoDB Local (table names carry the division code, `jixiao-<code>-<service>`), then one
 * regional runtime per division code, each with its own bus, EventBridge endpoint, stream
 * pollers, scheduler, function sandboxes and HTTP front, all joined by one LocalRegionNetwork
 * that forwards events between their buses as the CDK stacks do (region-network.ts).
 *
 * Ports: the first region's HTTP front listens on `port` (default 3000), the next on port + 1,
 * and so on; port 0 gives every region a free port. Data: the first region keeps its files
 * where a single-region run keeps them (`<home>/data`), each further region under
 * `<home>/data/regions/<code>/`; DynamoDB Local's files are in `<home>/data/dynamodb` either way.
 *
 * Memory: every regional runtime has its own worker-thread sandboxes, started on demand (a
 * function's first invocation is a cold start) and reaped when idle. With `warm`, the first
 * region warms its API functions in the background once ready; the others do with
 * `warmAdditionalRegions`.
 *
 * A failure at any point stops what was already started (runtimes, then the engine); stop()
 * stops every runtime, then the engine.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startDynamoDbLocal, type DynamoDbLocal } from './dynamodb-local.ts';
import { loadOrCreateKeys } from './keys.ts';
import { dataDir as defaultDataDir, jixiaoHome, removeRuntimeState, writeRuntimeState, type RegionRuntimeState } from './paths.ts';
import { freePort } from './ports.ts';
import { LocalRegionNetwork } from './region-network.ts';
import { startLocalRuntime, type LocalRuntime, type LocalRuntimeOptions } from './runtime.ts';
import { REGIONS, regionConfig, type RegionConfig } from '../regions.ts';

/** The region `npm start` serves when none is named. */
export const DEFAULT_REGION = '360000';
/** `--regions all`: every configured region. */
export const ALL_REGIONS = 'all';

export interface LocalRuntimesOptions extends Omit<LocalRuntimeOptions, 'regionCode' | 'network' | 'dataDir' | 'dynamodbReady' | 'warm'> {
  /** Division codes to run, first one first (it gets `port` and the legacy runtime.json fields). */
  regionCodes: readonly string[];
  /** Warm the first region's API sandboxes in the background once ready (default false; `npm start` sets it). */
  warm?: boolean;
  /** Warm the other regions' API sandboxes in the background too (default false: their first requests are cold starts). */
  warmAdditionalRegions?: boolean;
  /** The network to join (default: a new one over infra/regions.ts whose members are regionCodes). */
  network?: LocalRegionNetwork;
}

export interface LocalRuntimes {
  /** One runtime per region, in the order of `regionCodes`. */
  readonly runtimes: readonly LocalRuntime[];
  readonly network: LocalRegionNetwork;
  readonly dynamodbEndpoint: string;
  /** The first region's data directory (DynamoDB Local's files are below it unless in memory). */
  readonly dataDir: string;
  readonly startedInMs: number;
  /** The runtime of a region; throws for a region not running here. */
  runtime(code: string): LocalRuntime;
  /** PIDs of processes these runtimes own besides Node (the shared Java), for memory figures. */
  childPids(): number[];
  /** Resolves when no region's streams or bus have anything left to move, forwarding included. */
  settle(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The regions `npm start` serves: `--region CODE` (repeatable) and `--regions all` or
 * `--regions CODE,CODE`, in the order given, each once; 360000 when neither is given. Unknown
 * codes fail with UnknownRegionError naming the known ones.
 */
export function selectRegions(region: readonly string[] | undefined, regions: string | undefined, configured: readonly RegionConfig[] = REGIONS): RegionConfig[] {
  const listed = regions === undefined ? [] : regions === ALL_REGIONS ? configured.map((r) => r.code) : regions.split(',').map((code) => code.trim());
  const codes = [...listed, ...(region ?? [])];
  return [...new Set(codes.length ? codes : [DEFAULT_REGION])].map((code) => regionConfig(code, configured));
}

/** Where a region keeps its events and stream checkpoints in a multi-region run. */
export function regionDataDir(data: string, code: string, first: boolean): string {
  return first ? data : join(data, 'regions', code);
}

export async function startLocalRuntimes(options: LocalRuntimesOptions): Promise<LocalRuntimes> {
  const started = Date.now();
  const {
    regionCodes,
    warm = false,
    warmAdditionalRegions = false,
    network = new LocalRegionNetwork({ members: options.regionCodes }),
    port = 3000,
    eventBridgePort = 0,
    log = () => undefined,
    ...shared
  } = options;
  if (!regionCodes.length) throw new Error('startLocalRuntimes needs at least one region code');
  const duplicate = regionCodes.find((code, i) => regionCodes.indexOf(code) !== i);
  if (duplicate) throw new Error(`region ${duplicate} is listed twice`);
  // Unknown codes fail here, before anything starts.
  for (const code of regionCodes) {
    network.region(code);
    if (!network.members.includes(code)) throw new Error(`region ${code} is not a member of the given network (${network.members.join(', ')})`);
  }
  if (port !== 0 && port + regionCodes.length - 1 > 65535) throw new Error(`ports ${port}..${port + regionCodes.length - 1} do not all exist`);

  const home = options.home ?? jixiaoHome();
  const runtimes: LocalRuntime[] = [];
  let engine: DynamoDbLocal | undefined;
  let engineReady: Promise<unknown> = Promise.resolve();
  let stateWritten = false;
  let stopping: Promise<void> | undefined;

  const stopAll = (): Promise<void> =>
    (stopping ??= (async () => {
      if (stateWritten) removeRuntimeState(home);
      const results = await Promise.allSettled(runtimes.map((r) => r.stop()));
      results.forEach((r, i) => {
        if (r.status === 'rejected') log(`[${runtimes[i]?.regionCode}] stop failed: ${(r.reason as Error)?.message}`);
      });
      await engineReady.catch(() => undefined);
      await engine?.stop().catch((error: unknown) => log(`DynamoDB Local stop failed: ${(error as Error).message}`));
    })());

  try {
    let data: string | undefined;
    if (!shared.inMemory) {
      data = defaultDataDir(home);
      if (shared.reset) rmSync(data, { recursive: true, force: true });
      mkdirSync(data, { recursive: true });
    }
    // Made once before the regions start, so they all sign and verify with the same key.
    await loadOrCreateKeys(home);

    let dynamodbEndpoint = shared.dynamodbEndpoint;
    if (!dynamodbEndpoint) {
      dynamodbEndpoint = `http://127.0.0.1:${await freePort()}`;
      // The engine starts while the regions bring up their buses and sandboxes.
      engineReady = startDynamoDbLocal({
        port: Number(new URL(dynamodbEndpoint).port),
        ...(data ? { dataDir: join(data, 'dynamodb') } : {}),
      }).then((e) => {
        engine = e;
      });
      engineReady.catch(() => undefined);
    }

    const results = await Promise.allSettled(
      regionCodes.map((code, i) =>
        startLocalRuntime({
          ...shared,
          home,
          regionCode: code,
          network,
          reset: false,
          dynamodbEndpoint,
          dynamodbReady: engineReady,
          ...(data ? { dataDir: regionDataDir(data, code, i === 0) } : {}),
          port: port === 0 ? 0 : port + i,
          eventBridgePort: eventBridgePort === 0 ? 0 : eventBridgePort + i,
          warm: i === 0 ? warm : warmAdditionalRegions,
          writeState: false,
          log: (message) => log(`[${code}] ${message}`),
        }),
      ),
    );
    for (const result of results) if (result.status === 'fulfilled') runtimes.push(result.value);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    // The order of regionCodes, whatever order they finished in.
    runtimes.sort((a, b) => regionCodes.indexOf(a.regionCode) - regionCodes.indexOf(b.regionCode));

    const first = runtimes[0]!;
    if (options.writeState ?? !options.tablePrefix) {
      const regions: RegionRuntimeState[] = runtimes.map((r) => ({ code: r.regionCode, apiUrl: r.apiUrl, eventBridgeUrl: r.eventBridgeUrl, dataDir: r.dataDir }));
      writeRuntimeState({ pid: process.pid, apiUrl: first.apiUrl, eventBridgeUrl: first.eventBridgeUrl, dataDir: first.dataDir, regions }, home);
      stateWritten = true;
    }

    return {
      runtimes,
      network,
      dynamodbEndpoint,
      dataDir: first.dataDir,
      startedInMs: Date.now() - started,
      runtime: (code) => {
        const found = runtimes.find((r) => r.regionCode === code);
        if (!found) throw new Error(`region ${code} is not running here; running: ${runtimes.map((r) => r.regionCode).join(', ')}`);
        return found;
      },
      childPids: () => {
        const pid = engine?.javaPid();
        return pid ? [pid] : [];
      },
      settle: async (timeoutMs = 10_000) => {
        // Twice: a delivery on one bus may forward to another, whose handlers may write again.
        for (let round = 0; round < 2; round++) await Promise.all(runtimes.map((r) => r.settle(timeoutMs)));
      },
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
