/**
 * The embedded local runtime: the whole system on one machine, built from the same service
 * manifests as the CDK stack. It starts, in order: DynamoDB Local and the tables, the local
 * EventBridge endpoint with the manifests' rules, the stream pollers feeding the outbox
 * relays, the scheduler, and the HTTP front. Handlers run unchanged, bundled as CDK bundles
 * them, in worker-thread sandboxes with the environment CDK would give them; no sandbox starts
 * before a function's first invocation (functions.ts, lambda/host.ts). If any step fails,
 * everything already started is stopped again, so a failed start leaves no process behind.
 *
 * One runtime serves one region. Several regions run side by side with `startLocalRuntimes`
 * (multi-region.ts): each a runtime of this kind, sharing one DynamoDB Local and joined by a
 * LocalRegionNetwork that forwards events between their buses like the CDK stacks do.
 */
import { mkdtempSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord } from 'aws-lambda';
import { manifests as allManifests } from '../../services/registry.ts';
import type { ServiceManifest } from '../../shared/manifest.ts';
import { OUTBOX_STREAM_FILTER } from '../../shared/outbox.ts';
import { eventSource, workEventSource } from '../../events/sources.ts';
import { regionConfig } from '../regions.ts';
import type { LocalRegionNetwork } from './region-network.ts';
import { startDynamoDbLocal, type DynamoDbLocal } from './dynamodb-local.ts';
import { freePort } from './ports.ts';
import { LocalEventBus, type RuleSpec } from './eventbridge/bus.ts';
import { compilePattern } from './eventbridge/pattern.ts';
import { startEventBridgeServer, type EventBridgeFaults, type EventBridgeServer } from './eventbridge/server.ts';
import { startHttpFront, type FrontTarget, type HttpFront } from './http-front.ts';
import { createLocalFunctions, type LocalFunctions } from './functions.ts';
import { localProtection } from './protection.ts';
import { issueToken, loadOrCreateKeys, type LocalKeys, type TokenClaims } from './keys.ts';
import type { FunctionStats, LocalFunction } from './lambda/host.ts';
import { jixiaoHome, dataDir as defaultDataDir, writeRuntimeState, removeRuntimeState } from './paths.ts';
import { RouteTable } from './route-table.ts';
import { startScheduler, type Scheduler } from './scheduler.ts';
import { ensureTables, localTableName } from './tables.ts';
import { StreamPoller } from './stream-poller.ts';
import { LocalTopics } from './topics.ts';

export const LOCAL_ACCOUNT = '000000000000';

/**
 * What the relays' IAM policy allows in AWS: a service publishes only under its own sources (business and work) and
 * only the detail-types its manifest lists. Locally the same entries are refused the same way.
 */
export function publishDenied(manifests: readonly ServiceManifest[], entry: { Source?: string; DetailType?: string }): { ErrorCode: string; ErrorMessage: string } | undefined {
  const producer = manifests.find((m) => eventSource(m.name) === entry.Source || workEventSource(m.name) === entry.Source);
  if (producer && producer.publishes.includes(entry.DetailType ?? '')) return undefined;
  return {
    ErrorCode: 'AccessDeniedException',
    ErrorMessage: producer
      ? `${producer.name} may not publish ${entry.DetailType}: add it to the manifest's publishes`
      : `no service publishes under source ${entry.Source}`,
  };
}

export interface LocalRuntimeOptions {
  /** State home (keys, runtime.json, default data dir). Default `.jixiao` in the repo. */
  home?: string;
  /** Keep DynamoDB and the event files in a temporary directory removed at stop. */
  inMemory?: boolean;
  /** Wipe the data directory before starting. */
  reset?: boolean;
  /** HTTP front port; 0 picks a free one. */
  port?: number;
  eventBridgePort?: number;
  /** Division code this runtime serves (default 360000). */
  regionCode?: string;
  /** Use an already running DynamoDB (tests share one engine per run; regions share one). */
  dynamodbEndpoint?: string;
  /**
   * With dynamodbEndpoint: resolves when that engine answers. Table creation waits for it, the
   * rest of the start-up (bus, sandboxes) does not; a rejection fails the start.
   */
  dynamodbReady?: Promise<unknown>;
  /** Data directory (events, stream checkpoints, DynamoDB files); default `<home>/data`. Ignored with inMemory. */
  dataDir?: string;
  /**
   * Join this network of regions: register the bus under the region code and add the
   * forwarding rules to the parent and children (infra/regions.ts), as the CDK stack does.
   * The region's configuration is then looked up in the network's regions.
   */
  network?: LocalRegionNetwork;
  /** Prefix for table names (tests isolate themselves with it). */
  tablePrefix?: string;
  /** Event bus delivery back-off. */
  retry?: { baseDelayMs?: number; maxDelayMs?: number };
  /** An idle table stream's read interval (default 250 ms, Lambda's pace: stream-poller.ts). */
  streamPollIntervalMs?: number;
  /** Handler log level (Powertools); default WARN to keep the console readable. */
  logLevel?: string;
  /** Inject PutEvents faults (tests). */
  eventBridgeFaults?: EventBridgeFaults;
  /** Write runtime.json so the CLIs find this runtime (default true unless tablePrefix is set). */
  writeState?: boolean;
  manifests?: readonly ServiceManifest[];
  /**
   * Once ready, in the background: start one sandbox of each API function, then build every other
   * function's bundle (default false: every function's first invocation is a cold start). It never
   * delays readiness; `warmed` resolves when it is done. `npm start` sets it for the first region.
   */
  warm?: boolean;
  /** Reap a sandbox idle this long (default JIXIAO_SANDBOX_IDLE_MS, else 10 minutes). */
  sandboxIdleMs?: number;
  /** Sandboxes per function at most (default JIXIAO_SANDBOX_CONCURRENCY, else sized to the machine: lambda/host.ts). */
  sandboxConcurrency?: number;
  /** Where function bundles are cached (default JIXIAO_BUNDLE_CACHE, else node_modules/.cache/jixiao/bundles). */
  bundleCacheDir?: string;
  log?: (message: string) => void;
}

export interface LocalRuntime {
  readonly apiUrl: string;
  readonly eventBridgeUrl: string;
  readonly dynamodbEndpoint: string;
  readonly dataDir: string;
  readonly regionCode: string;
  readonly awsRegion: string;
  readonly tables: Readonly<Record<string, string>>;
  readonly bus: LocalEventBus;
  readonly functions: ReadonlyMap<string, LocalFunction>;
  readonly pollers: readonly StreamPoller[];
  readonly scheduler: Scheduler;
  /** The manifests' notification topics (SNS in AWS), recorded in memory. */
  readonly topics: LocalTopics;
  readonly startedInMs: number;
  /** Resolves when the background warming (`warm`) is done; at once without it. */
  readonly warmed: Promise<void>;
  /** Each function's sandboxes and cold starts, by function id (`service-function`). */
  stats(): Record<string, FunctionStats>;
  /** PIDs of processes this runtime owns besides Node (Java), for memory figures. */
  childPids(): number[];
  token(claims: Partial<TokenClaims> & Pick<TokenClaims, 'role'>, options?: { ttlSeconds?: number; now?: number }): Promise<string>;
  /** Resolves when streams and the bus have nothing left to move. */
  settle(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

type Cleanup = () => Promise<void> | void;

export async function startLocalRuntime(options: LocalRuntimeOptions = {}): Promise<LocalRuntime> {
  const started = Date.now();
  const log = options.log ?? (() => undefined);
  const manifests = options.manifests ?? allManifests;
  const region = options.network ? options.network.region(options.regionCode ?? '360000') : regionConfig(options.regionCode ?? '360000');
  if (options.network && !options.network.members.includes(region.code)) {
    throw new Error(`region ${region.code} is not a member of the network (${options.network.members.join(', ')})`);
  }
  const home = options.home ?? jixiaoHome();
  const cleanups: Cleanup[] = [];
  const stopAll = async () => {
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup();
      } catch (error) {
        log(`cleanup failed: ${(error as Error).message}`);
      }
    }
    cleanups.length = 0;
  };

  try {
    let data: string;
    if (options.inMemory) {
      data = mkdtempSync(join(tmpdir(), 'jixiao-'));
      cleanups.push(() => rmSync(data, { recursive: true, force: true }));
    } else {
      data = options.dataDir ?? defaultDataDir(home);
      if (options.reset) rmSync(data, { recursive: true, force: true });
      mkdirSync(data, { recursive: true });
    }

    const keys: LocalKeys = await loadOrCreateKeys(home);

    // DynamoDB Local starts in the background while the bus comes up.
    let engine: DynamoDbLocal | undefined;
    const dynamodbEndpoint = options.dynamodbEndpoint ?? `http://127.0.0.1:${await freePort()}`;
    const engineReady: Promise<unknown> = options.dynamodbEndpoint
      ? (options.dynamodbReady ?? Promise.resolve())
      : startDynamoDbLocal({ port: Number(new URL(dynamodbEndpoint).port), ...(options.inMemory ? {} : { dataDir: join(data, 'dynamodb') }) }).then((started) => {
          engine = started;
        });
    // Registered first so it runs last: everything that talks to DynamoDB stops before it.
    cleanups.push(async () => {
      await engineReady.catch(() => undefined);
      await engine?.stop();
    });
    engineReady.catch(() => undefined);
    const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
    const dynamo = new DynamoDBClient({ endpoint: dynamodbEndpoint, region: region.awsRegion, credentials });
    const streams = new DynamoDBStreamsClient({ endpoint: dynamodbEndpoint, region: region.awsRegion, credentials });
    cleanups.push(() => {
      dynamo.destroy();
      streams.destroy();
    });
    const prefix = options.tablePrefix ?? '';
    const tableNameOf = (manifest: ServiceManifest) => (manifest.table ? localTableName(prefix, region.code, manifest.name) : undefined);

    // Functions: created once the EventBridge endpoint is known; no sandbox starts before an invocation.
    const busName = `${prefix}jixiao-${region.code}`;
    const made: { functions?: LocalFunctions } = {};
    const fnFor = (manifest: ServiceManifest, name: string): LocalFunction => {
      if (!made.functions) throw new Error(`${manifest.name}-${name} was invoked before the runtime's functions exist`);
      return made.functions.get(manifest, name);
    };
    // Registered before the bus so it runs after it: deliveries stop before the sandboxes do.
    cleanups.push(() => made.functions?.close());

    // Event bus with one rule per manifest subscription (patterns compile now: bad ones fail here).
    const subscriptionRules: RuleSpec[] = manifests.flatMap((manifest) =>
      manifest.functions.flatMap((fn) =>
        (fn.subscriptions ?? []).map((subscription) => ({
          id: `${manifest.name}.${fn.name}.${subscription.name}`,
          pattern: subscription.pattern,
          ...(subscription.maxAttempts ? { maxAttempts: subscription.maxAttempts } : {}),
          ...(subscription.maxEventAgeSeconds ? { maxEventAgeSeconds: subscription.maxEventAgeSeconds } : {}),
          target: async (event) => {
            await fnFor(manifest, fn.name).invoke(event);
          },
        })),
      ),
    );
    // Forwarding to the parent's and children's buses, when running in a network of regions.
    // Notification topics (SNS in AWS): the same patterns feed in-memory recorders.
    const topics = new LocalTopics();
    const rules = [...subscriptionRules, ...topics.rules(manifests), ...(options.network?.forwardingRules(region.code) ?? [])];
    const bus = new LocalEventBus({
      busName,
      dataDir: data,
      rules,
      region: region.awsRegion,
      account: LOCAL_ACCOUNT,
      retry: { baseDelayMs: options.retry?.baseDelayMs ?? 1000, maxDelayMs: options.retry?.maxDelayMs ?? 60_000 },
      logger: { info: () => undefined, warn: (m, d) => log(`[eventbridge] ${m} ${d ? JSON.stringify(d) : ''}`), error: (m, d) => log(`[eventbridge] ${m} ${d ? JSON.stringify(d) : ''}`) },
    });
    cleanups.push(() => bus.close());
    const eventBridge: EventBridgeServer = await startEventBridgeServer({
      bus,
      port: options.eventBridgePort ?? 0,
      faults: { failEntry: (entry, index) => publishDenied(manifests, entry) ?? options.eventBridgeFaults?.failEntry?.(entry, index) },
    });
    cleanups.push(() => eventBridge.close());
    const created = createLocalFunctions({
      manifests,
      regionCode: region.code,
      awsRegion: region.awsRegion,
      prefix,
      tableNameOf,
      protectionOf: (manifest) => localProtection(data, manifest),
      busName,
      dynamodbEndpoint,
      eventBridgeUrl: eventBridge.url,
      logLevel: options.logLevel ?? 'WARN',
      ...(options.sandboxIdleMs !== undefined ? { idleMs: options.sandboxIdleMs } : {}),
      ...(options.sandboxConcurrency !== undefined ? { concurrency: options.sandboxConcurrency } : {}),
      ...(options.bundleCacheDir !== undefined ? { bundleCacheDir: options.bundleCacheDir } : {}),
    });
    made.functions = created;

    await engineReady;
    const tables = await ensureTables(dynamo, manifests, (service) => localTableName(prefix, region.code, service));
    const tableOf = (service: string) => tables.find((t) => t.service === service);

    // Stream pollers: each relay gets its own table's stream, filtered like the event source mapping.
    const outboxFilter = compilePattern(OUTBOX_STREAM_FILTER);
    const pollers: StreamPoller[] = [];
    for (const manifest of manifests) {
      for (const fn of manifest.functions.filter((f) => f.kind === 'relay')) {
        const table = tableOf(manifest.name);
        if (!table?.streamArn) throw new Error(`${manifest.name}: relay without a table stream`);
        const poller = new StreamPoller({
          client: streams,
          tableName: table.tableName,
          streamArn: table.streamArn,
          awsRegion: region.awsRegion,
          filter: (record: DynamoDBRecord) => outboxFilter.matches(record),
          invoke: (event) => fnFor(manifest, fn.name).invoke(event),
          ...(options.inMemory ? {} : { stateDir: join(data, 'streams') }),
          ...(options.streamPollIntervalMs ? { pollIntervalMs: options.streamPollIntervalMs } : {}),
          onError: (message, error) => log(`[streams] ${message}${error ? `: ${(error as Error).message}` : ''}`),
        });
        poller.start();
        pollers.push(poller);
        cleanups.push(() => poller.stop());
      }
    }

    const scheduler = startScheduler(
      manifests.flatMap((manifest) =>
        manifest.functions.flatMap((fn) =>
          (fn.schedules ?? []).map((s) => ({
            name: `${manifest.name}.${fn.name}.${s.name}`,
            expression: s.expression,
            invoke: (event: unknown) => fnFor(manifest, fn.name).invoke(event),
          })),
        ),
      ),
      { account: LOCAL_ACCOUNT, region: region.awsRegion, onError: (m, e) => log(`[scheduler] ${m}: ${(e as Error)?.message}`) },
    );
    cleanups.push(() => scheduler.stop());

    const routes = new RouteTable<FrontTarget>();
    for (const manifest of manifests) {
      for (const fn of manifest.functions.filter((f) => f.kind === 'api')) {
        const target: FrontTarget = { invoke: (event) => fnFor(manifest, fn.name).invoke(event) };
        for (const route of fn.routes ?? []) routes.add(route, target);
      }
    }
    const front: HttpFront = await startHttpFront({
      routes,
      keys,
      port: options.port ?? 3000,
      corsOrigins: [...region.portalOrigins, 'http://localhost:5173'],
      accountId: LOCAL_ACCOUNT,
      onError: (message, error) => log(`[http] ${message}: ${(error as Error)?.message ?? ''}`),
    });
    cleanups.push(() => front.close());

    // Last, so peers forward only to a runtime that is up (until then their deliveries retry);
    // at stop, first: peers' forwarding fails over to their retries and dead letters.
    if (options.network) cleanups.push(options.network.register(region.code, bus));

    const writeState = options.writeState ?? !options.tablePrefix;
    if (writeState) {
      const endpoints = { apiUrl: front.url, eventBridgeUrl: eventBridge.url, dataDir: data };
      writeRuntimeState({ pid: process.pid, ...endpoints, regions: [{ code: region.code, ...endpoints }] }, home);
      cleanups.push(() => removeRuntimeState(home));
    }

    const runtime: LocalRuntime = {
      apiUrl: front.url,
      eventBridgeUrl: eventBridge.url,
      dynamodbEndpoint,
      dataDir: data,
      regionCode: region.code,
      awsRegion: region.awsRegion,
      tables: Object.fromEntries(tables.map((t) => [t.service, t.tableName])),
      bus,
      functions: created.byId,
      pollers,
      scheduler,
      topics,
      startedInMs: Date.now() - started,
      warmed: options.warm ? created.warmInBackground(log) : Promise.resolve(),
      stats: () => created.stats(),
      childPids: () => {
        const pid = engine?.javaPid();
        return pid ? [pid] : [];
      },
      token: (claims, tokenOptions) => issueToken(keys, { region: region.code, ...claims }, tokenOptions),
      settle: async (timeoutMs = 10_000) => {
        // Twice: a relay's PutEvents may start deliveries whose handlers write again.
        for (let round = 0; round < 2; round++) {
          await Promise.all(pollers.map((p) => p.idle(timeoutMs)));
          await bus.idle();
        }
      },
      stop: stopAll,
    };
    return runtime;
  } catch (error) {
    await stopAll();
    throw error;
  }
}
