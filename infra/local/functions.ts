/**
 * A regional runtime's functions: one LocalFunction per manifest function, with the environment
 * CDK gives it plus the local endpoints. Creating them starts nothing: a function's first
 * invocation starts its first sandbox (lambda/host.ts). `warmInBackground` is what `npm start`
 * does once the runtime is ready: start one sandbox of each API function, then make sure every
 * other function's bundle is built, one at a time so requests still get the CPU.
 */
import { availableParallelism } from 'node:os';
import { manifests as allManifests } from '../../services/registry.ts';
import { functionId, type ServiceManifest } from '../../shared/manifest.ts';
import { ENV_KEYS } from '../../shared/env.ts';
import { DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT_SECONDS, functionEnvironment, type FunctionEnvInput } from '../function-env.ts';
import { bundleCache, defaultBundleCacheDir, type BundleCache } from './lambda/bundles.ts';
import { ConcurrencyPool, DEFAULT_IDLE_MS, DEFAULT_SCALE_UP_DELAY_MS, LocalFunction, defaultConcurrency, type FunctionStats } from './lambda/host.ts';
import { repoRoot } from './paths.ts';

/** Overrides the sandboxes' idle time before reaping (milliseconds). */
export const SANDBOX_IDLE_ENV = 'JIXIAO_SANDBOX_IDLE_MS';
/** Overrides the sandboxes per function (default sized to the machine, lambda/host.ts). */
export const SANDBOX_CONCURRENCY_ENV = 'JIXIAO_SANDBOX_CONCURRENCY';
/** Overrides how long an invocation waits for a busy sandbox before another starts (lambda/host.ts; 0 turns it off). */
const SANDBOX_SCALE_UP_ENV = 'JIXIAO_SANDBOX_SCALE_UP_MS';

export interface LocalFunctionsOptions {
  manifests: readonly ServiceManifest[];
  regionCode: string;
  awsRegion: string;
  /** Prefix of physical names (tests). */
  prefix: string;
  tableNameOf: (manifest: ServiceManifest) => string | undefined;
  /** Where the service's keys and checkpoints are (infra/local/protection.ts). */
  protectionOf: (manifest: ServiceManifest) => FunctionEnvInput['protection'];
  busName: string;
  dynamodbEndpoint: string;
  eventBridgeUrl: string;
  logLevel: string;
  /** Reap sandboxes idle this long (default JIXIAO_SANDBOX_IDLE_MS, else 10 minutes). */
  idleMs?: number;
  /** Sandboxes per function at most (default JIXIAO_SANDBOX_CONCURRENCY, else sized to the machine). */
  concurrency?: number;
  /** Bundle cache directory (default JIXIAO_BUNDLE_CACHE, else node_modules/.cache/jixiao/bundles). */
  bundleCacheDir?: string;
}

/** A number from the environment: positive, or also 0 where `zeroAllowed` (undefined when unset). */
function numberFromEnv(name: string, zeroAllowed = false): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0 || (value === 0 && !zeroAllowed)) {
    throw new Error(`${name} must be a ${zeroAllowed ? 'non-negative' : 'positive'} number, got ${raw}`);
  }
  return value;
}

/**
 * Makes sure every function of `manifests` has its bundle in the cache, `parallel` builds at a
 * time: the test run does this once before any test file starts (test/support/global-setup.ts),
 * so no test meets a build. Resolves with how many were built and how long it took.
 */
export async function prepareBundles(
  manifests: readonly ServiceManifest[] = allManifests,
  options: { parallel?: number; bundleCacheDir?: string } = {},
): Promise<{ functions: number; built: number; ms: number }> {
  const started = performance.now();
  const root = repoRoot();
  const cache = bundleCache(options.bundleCacheDir ?? defaultBundleCacheDir(root), root);
  const bundles = await cache.ensureAll(manifests.flatMap((m) => m.functions.map((f) => f.entry)), options.parallel ?? availableParallelism());
  return { functions: bundles.length, built: bundles.filter((b) => b.built).length, ms: performance.now() - started };
}

export interface LocalFunctions {
  /** By function id (`service-function`). */
  readonly byId: ReadonlyMap<string, LocalFunction>;
  get(manifest: ServiceManifest, name: string): LocalFunction;
  /** Every function's stats by id. */
  stats(): Record<string, FunctionStats>;
  /** One sandbox per API function, then every other bundle; resolves when done (failures are logged, not thrown). */
  warmInBackground(log: (message: string) => void): Promise<void>;
  close(): Promise<void>;
}

export function createLocalFunctions(options: LocalFunctionsOptions): LocalFunctions {
  const root = repoRoot();
  const bundles: BundleCache = bundleCache(options.bundleCacheDir ?? defaultBundleCacheDir(root), root);
  const idleMs = options.idleMs ?? numberFromEnv(SANDBOX_IDLE_ENV) ?? DEFAULT_IDLE_MS;
  const scaleUpDelayMs = numberFromEnv(SANDBOX_SCALE_UP_ENV, true) ?? DEFAULT_SCALE_UP_DELAY_MS;
  const concurrency = Math.floor(options.concurrency ?? numberFromEnv(SANDBOX_CONCURRENCY_ENV) ?? defaultConcurrency());
  // The API functions share one first-come-first-served pool of twice a function's concurrency,
  // and each may use all of it: the busiest function's routes no longer queue alone (host.ts).
  const apiPool = new ConcurrencyPool(2 * concurrency);
  const byId = new Map<string, LocalFunction>();
  for (const manifest of options.manifests) {
    for (const fn of manifest.functions) {
      const id = functionId(manifest.name, fn.name);
      const name = `${options.prefix}${id}`;
      const memoryMb = fn.memoryMb ?? DEFAULT_MEMORY_MB;
      const local = new LocalFunction(
        {
          name,
          entry: fn.entry,
          timeoutSeconds: fn.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS[fn.kind],
          memoryMb,
          awsRegion: options.awsRegion,
          concurrency: fn.kind === 'api' ? apiPool.limit : concurrency,
          environment: {
            ...functionEnvironment({
              manifest,
              fn,
              regionCode: options.regionCode,
              tableName: options.tableNameOf(manifest),
              protection: options.protectionOf(manifest),
              eventBusName: options.busName,
              logLevel: options.logLevel,
            }),
            [ENV_KEYS.dynamodbEndpoint]: options.dynamodbEndpoint,
            [ENV_KEYS.eventbridgeEndpoint]: options.eventBridgeUrl,
            AWS_REGION: options.awsRegion,
            AWS_DEFAULT_REGION: options.awsRegion,
            AWS_ACCESS_KEY_ID: 'local',
            AWS_SECRET_ACCESS_KEY: 'local',
            AWS_LAMBDA_FUNCTION_NAME: name,
            AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(memoryMb),
            // Node 20 runs here; Lambda runs 22. The SDK's Node-20 notice is noise locally.
            AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
            TZ: 'UTC',
            // Local only (never set by CDK): supervisors' webhooks may be plain http to 127.0.0.1.
            JIXIAO_ALLOW_LOOPBACK_WEBHOOKS: 'true',
          },
        },
        root,
        { bundles, idleMs, scaleUpDelayMs, ...(fn.kind === 'api' ? { pool: apiPool } : {}) },
      );
      byId.set(id, local);
    }
  }
  let closed = false;
  return {
    byId,
    get: (manifest, name) => {
      const found = byId.get(functionId(manifest.name, name));
      if (!found) throw new Error(`${manifest.name} has no function ${name}`);
      return found;
    },
    stats: () => Object.fromEntries([...byId].map(([id, f]) => [id, f.stats()])),
    warmInBackground: async (log) => {
      const all = options.manifests.flatMap((manifest) => manifest.functions.map((fn) => ({ fn, local: byId.get(functionId(manifest.name, fn.name)) as LocalFunction })));
      const api = all.filter((f) => f.fn.kind === 'api');
      for (const { local } of [...api, ...all.filter((f) => f.fn.kind !== 'api')]) {
        if (closed) return;
        try {
          if (api.some((f) => f.local === local)) await local.warm();
          else await bundles.ensure(local.config.entry);
        } catch (error) {
          if (!closed) log(`[sandboxes] ${local.config.name} could not be prepared: ${(error as Error).message}`);
        }
      }
    },
    close: async () => {
      closed = true;
      await Promise.all([...byId.values()].map((f) => f.close()));
    },
  };
}
