/**
 * The local runtime, started and measured in a process of its own (spawned by `runtime.ts`
 * with an IPC channel), so that the memory of this process is the runtime's: neither the bench
 * process (esbuild, bundles) nor the HTTP client that drives the runtime counts.
 *
 * Start: `startLocalRuntime()` as `npm start` calls it (a throwaway home, in memory, port 0),
 * then `GET /v1/health` until it answers 200; then `ready` with the endpoints and the memory
 * after start. After that the probe answers the bench's requests, each `{ id, cmd }`:
 *
 *   token       a dev token of the runtime's key (`runtime.token()`, as `npm run token` issues)
 *   settle      `runtime.settle()`: streams and the bus have nothing left to move
 *   snapshot    RSS of this process + Java + other descendants (after settling, if asked)
 *   coldStarts  every function's cold starts (`runtime.stats()`); a function nothing invoked is
 *               started with `warm()` first, so each has one
 *   stop        stops the runtime and exits
 *
 * The runtime is always stopped: on `stop`, on any failure, on SIGTERM or SIGINT, and when the
 * bench goes away (the IPC channel closes), so no Java process survives the probe.
 *
 *   node --import tsx test/bench/runtime-probe.ts   (needs the IPC channel: spawned by runtime.ts)
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TokenClaims } from '../../infra/local/keys.ts';
import type { ColdStart } from '../../infra/local/lambda/host.ts';
import type { LocalRuntime } from '../../infra/local/runtime.ts';

// Node 20 runs locally while Lambda runs 22; the SDK's Node-20 notice is noise here (as in `npm start`).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export interface ProcessMemory {
  readonly pid: number;
  readonly name: string;
  /** VmRSS, bytes. */
  readonly rssBytes: number;
  /** VmHWM (peak RSS), bytes. */
  readonly peakRssBytes: number;
}

export interface MemorySnapshot {
  /** This Node process: the runtime, its HTTP front, bus, pollers and the function sandboxes (worker threads). */
  readonly node: ProcessMemory;
  /** The runtime's Java processes (`childPids()`: DynamoDB Local). */
  readonly java: readonly ProcessMemory[];
  /** Every other descendant process (the Java watchdog shell and its reader). */
  readonly others: readonly ProcessMemory[];
  /** node + java + others. */
  readonly totalRssBytes: number;
  readonly nodeHeap: { readonly heapUsed: number; readonly heapTotal: number; readonly external: number; readonly arrayBuffers: number };
}

/** What the probe reports once the runtime answers `GET /v1/health`. */
export interface ProbeReady {
  readonly type: 'ready';
  /** `runtime.startedInMs`. */
  readonly startedInMs: number;
  /** Wall time around `startLocalRuntime()`. */
  readonly callMs: number;
  /** Loading `infra/local/runtime.ts` and everything it imports (through tsx). */
  readonly importMs: number;
  /** From this process's start (performance.timeOrigin) to the runtime being ready. */
  readonly sinceProcessStartMs: number;
  /** From this process's start to the first 200 of `GET /v1/health`. */
  readonly healthySinceProcessStartMs: number;
  /** From calling `startLocalRuntime()` to the first 200 of `GET /v1/health`. */
  readonly healthySinceCallMs: number;
  /** The health requests, the last one answered 200. */
  readonly healthChecks: readonly { readonly status: number; readonly ms: number }[];
  /** Memory when `GET /v1/health` first answered 200 (the background warming still going on). */
  readonly atHealthy: MemorySnapshot;
  /** From the first healthy health check to the background warming done (`runtime.warmed`). */
  readonly warmedSinceHealthyMs: number;
  /** Memory once the background warming is done. */
  readonly afterStart: MemorySnapshot;
  readonly apiUrl: string;
  readonly dynamodbEndpoint: string;
  readonly awsRegion: string;
  readonly regionCode: string;
  readonly tables: Readonly<Record<string, string>>;
  readonly javaPids: readonly number[];
}

/** The cold starts of one function (`runtime.stats()`), oldest first. */
export interface FunctionColdStarts {
  /** Function id, `service-function`. */
  readonly id: string;
  readonly starts: readonly ColdStart[];
  /** Nothing had invoked it: its only cold start is the `warm()` the probe called at the end. */
  readonly forced: boolean;
  /** Sandboxes it may run at once. */
  readonly concurrency: number;
  /** Why the probe's `warm()` failed, if it did. */
  readonly error?: string;
}

export type ProbeCommand =
  | { readonly id: number; readonly cmd: 'token'; readonly claims: Partial<TokenClaims> & Pick<TokenClaims, 'role'> }
  | { readonly id: number; readonly cmd: 'settle' }
  | { readonly id: number; readonly cmd: 'snapshot'; readonly settle: boolean }
  | { readonly id: number; readonly cmd: 'coldStarts' }
  | { readonly id: number; readonly cmd: 'stop' };

/** Replies carry the command's id; `error` when the command failed. */
export type ProbeReply =
  | { readonly id: number; readonly type: 'token'; readonly token: string }
  | { readonly id: number; readonly type: 'settled'; readonly ms: number }
  | { readonly id: number; readonly type: 'snapshot'; readonly memory: MemorySnapshot; readonly settleMs?: number }
  | { readonly id: number; readonly type: 'coldStarts'; readonly functions: readonly FunctionColdStarts[] }
  | { readonly id: number; readonly type: 'error'; readonly message: string };

/** Unsolicited messages: `started` (Java pids, as soon as known), `ready`, `error`, `stopped`. */
export type ProbeEvent =
  | { readonly type: 'started'; readonly javaPids: readonly number[] }
  | ProbeReady
  | { readonly type: 'error'; readonly message: string }
  | { readonly type: 'stopped'; readonly stopMs: number };

const HEALTH_TIMEOUT_MS = 30_000;
const WARM_TIMEOUT_MS = 180_000;

const send = (message: ProbeEvent | ProbeReply) => {
  if (process.connected) process.send?.(message);
};

function processMemory(pid: number): ProcessMemory | undefined {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
  const field = (name: string) => {
    const match = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status);
    return match ? Number(match[1]) * 1024 : 0;
  };
  const name = /^Name:\s+(.*)$/m.exec(status)?.[1] ?? '?';
  return { pid, name, rssBytes: field('VmRSS'), peakRssBytes: field('VmHWM') };
}

/** Every process below `root`, from the parent pids in /proc/<pid>/stat. */
function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    // `pid (comm) state ppid ...`; comm may hold spaces and parentheses, so split after the last ')'.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    const list = children.get(ppid) ?? [];
    list.push(Number(entry));
    children.set(ppid, list);
  }
  const found: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift() as number) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

function snapshot(javaPids: readonly number[]): MemorySnapshot {
  const node = processMemory(process.pid);
  if (!node) throw new Error('cannot read /proc/self/status (the runtime bench needs Linux)');
  const java = javaPids.map(processMemory).filter((m): m is ProcessMemory => m !== undefined);
  if (java.length < javaPids.length) throw new Error(`Java process ${javaPids.join(', ')} not found in /proc`);
  const others = descendants(process.pid)
    .filter((pid) => !javaPids.includes(pid))
    .map(processMemory)
    .filter((m): m is ProcessMemory => m !== undefined);
  const { heapUsed, heapTotal, external, arrayBuffers } = process.memoryUsage();
  return {
    node,
    java,
    others,
    totalRssBytes: [node, ...java, ...others].reduce((sum, m) => sum + m.rssBytes, 0),
    nodeHeap: { heapUsed, heapTotal, external, arrayBuffers },
  };
}

/** One GET without keep-alive (like a health checker), bounded by a timeout. */
function healthCheck(url: string): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const req = request(url, { agent: false, timeout: 5000 }, (res) => {
      res.resume();
      res.once('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started }));
    });
    req.once('timeout', () => req.destroy(new Error('timeout')));
    req.once('error', () => resolve({ status: 0, ms: performance.now() - started }));
    req.end();
  });
}

/**
 * Every function's cold starts from `runtime.stats()`. A function nothing invoked (a schedule,
 * a consumer of events the year does not raise) is started with `warm()` first, one at a time,
 * so that each function has a figure; those are marked `forced`.
 */
async function coldStarts(rt: LocalRuntime): Promise<FunctionColdStarts[]> {
  const forced = new Set<string>();
  const errors = new Map<string, string>();
  for (const [id, fn] of rt.functions) {
    if (fn.stats().coldStartLog.length > 0) continue;
    forced.add(id);
    try {
      await fn.warm();
    } catch (error) {
      errors.set(id, (error as Error).message);
    }
  }
  return Object.entries(rt.stats()).map(([id, stats]) => ({
    id,
    starts: stats.coldStartLog,
    forced: forced.has(id),
    concurrency: stats.concurrency,
    ...(errors.has(id) ? { error: errors.get(id) } : {}),
  }));
}

async function main(): Promise<number> {
  if (!process.send) throw new Error('runtime-probe.ts talks to the bench over an IPC channel: run it through `npm run bench -- --only runtime`');
  const importStarted = performance.now();
  const { startLocalRuntime } = await import('../../infra/local/runtime.ts');
  const importMs = performance.now() - importStarted;

  const home = mkdtempSync(join(tmpdir(), 'jixiao-bench-'));
  type Runtime = Awaited<ReturnType<typeof startLocalRuntime>>;
  let runtime: Runtime | undefined;
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      const started = performance.now();
      try {
        await runtime?.stop();
      } finally {
        rmSync(home, { recursive: true, force: true });
        send({ type: 'stopped', stopMs: performance.now() - started });
      }
    })();
    return stopping;
  };
  // The bench's timeout (or a Ctrl-C, or the bench going away) still stops the runtime, and so
  // Java, before exiting. A signal during start is acted on once start returns (startLocalRuntime
  // cleans up after itself if it fails); should that hang, the exit below closes the watchdog's
  // pipe, which ends Java.
  let interrupted: string | undefined;
  let finished = false;
  const abort = (why: string) => {
    if (finished) return;
    interrupted ??= why;
    send({ type: 'error', message: `${why}` });
    setTimeout(() => process.exit(1), 20_000).unref();
    if (runtime) void stop().finally(() => process.exit(1));
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => abort(`${signal} received`));
  process.once('disconnect', () => abort('the bench closed the IPC channel'));

  try {
    const callStarted = performance.now();
    // As `npm start` starts its (first) region: `warm` starts the API functions' sandboxes and builds
    // the other bundles in the background once the runtime is ready.
    runtime = await startLocalRuntime({ home, inMemory: true, port: 0, logLevel: 'SILENT', warm: true });
    const readyAt = performance.now();
    if (interrupted) throw new Error(`${interrupted} during start`);
    const javaPids = runtime.childPids();
    send({ type: 'started', javaPids });

    const healthChecks: { status: number; ms: number }[] = [];
    const deadline = performance.now() + HEALTH_TIMEOUT_MS;
    while (healthChecks.at(-1)?.status !== 200) {
      if (performance.now() > deadline) throw new Error(`GET /v1/health not 200 within ${HEALTH_TIMEOUT_MS / 1000} s: ${JSON.stringify(healthChecks.slice(-3))}`);
      if (healthChecks.length > 0) await new Promise((resolve) => setTimeout(resolve, 50));
      healthChecks.push(await healthCheck(`${runtime.apiUrl}/v1/health`));
    }
    const healthyAt = performance.now();
    const atHealthy = snapshot(javaPids);
    // Memory after start is taken once the background warming is done: what `npm start` holds idle.
    const rt = runtime;
    const warmedStarted = performance.now();
    let warmTimer: NodeJS.Timeout | undefined;
    await Promise.race([
      rt.warmed,
      new Promise((_, reject) => {
        warmTimer = setTimeout(() => reject(new Error(`background warming not done within ${WARM_TIMEOUT_MS / 1000} s`)), WARM_TIMEOUT_MS);
      }),
    ]).finally(() => clearTimeout(warmTimer));
    const warmedMs = performance.now() - warmedStarted;

    const ready: ProbeReady = {
      type: 'ready',
      startedInMs: rt.startedInMs,
      callMs: readyAt - callStarted,
      importMs,
      sinceProcessStartMs: readyAt,
      healthySinceProcessStartMs: healthyAt,
      healthySinceCallMs: healthyAt - callStarted,
      healthChecks,
      atHealthy,
      warmedSinceHealthyMs: warmedMs,
      afterStart: snapshot(javaPids),
      apiUrl: rt.apiUrl,
      dynamodbEndpoint: rt.dynamodbEndpoint,
      awsRegion: rt.awsRegion,
      regionCode: rt.regionCode,
      tables: rt.tables,
      javaPids,
    };

    // Commands run one at a time, in order of arrival.
    let queue: Promise<unknown> = Promise.resolve();
    const done = new Promise<void>((resolveDone) => {
      const handle = async (command: ProbeCommand): Promise<void> => {
        try {
          switch (command.cmd) {
            case 'token':
              send({ id: command.id, type: 'token', token: await rt.token(command.claims) });
              return;
            case 'settle': {
              const started = performance.now();
              await rt.settle(15_000);
              send({ id: command.id, type: 'settled', ms: performance.now() - started });
              return;
            }
            case 'snapshot': {
              const started = performance.now();
              if (command.settle) await rt.settle(15_000);
              const settleMs = command.settle ? performance.now() - started : undefined;
              send({ id: command.id, type: 'snapshot', memory: snapshot(javaPids), ...(settleMs !== undefined ? { settleMs } : {}) });
              return;
            }
            case 'coldStarts':
              send({ id: command.id, type: 'coldStarts', functions: await coldStarts(rt) });
              return;
            case 'stop':
              resolveDone();
              return;
          }
        } catch (error) {
          send({ id: command.id, type: 'error', message: (error as Error).stack ?? String(error) });
        }
      };
      process.on('message', (command: ProbeCommand) => {
        queue = queue.then(() => handle(command));
      });
    });
    send(ready);
    await done;
    return 0;
  } catch (error) {
    send({ type: 'error', message: (error as Error).stack ?? String(error) });
    return 1;
  } finally {
    await stop();
    finished = true;
    if (process.connected) process.disconnect();
  }
}

process.exitCode = await main();
