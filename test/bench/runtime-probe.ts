/**
 * The local runtime, started and measured in a process of its own (spawned by `runtime.ts`),
 * so the bench process's own memory (esbuild, bundles) does not count. Prints `BENCH <json>`
 * lines on stdout: `started` with the Java pids as soon as they are known, then `result` (or
 * `error`), then `stopped`. The runtime is always stopped, also on failure and on SIGTERM or
 * SIGINT, so no Java process survives the probe.
 *
 *   node --import tsx test/bench/runtime-probe.ts
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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

export interface ProbeResult {
  readonly type: 'result';
  /** `runtime.startedInMs`. */
  readonly startedInMs: number;
  /** Wall time around `startLocalRuntime()`. */
  readonly callMs: number;
  /** Loading `infra/local/runtime.ts` and everything it imports (through tsx). */
  readonly importMs: number;
  /** From this process's start (performance.timeOrigin) to the runtime being ready. */
  readonly sinceProcessStartMs: number;
  readonly afterStart: MemorySnapshot;
  readonly afterRequests: MemorySnapshot;
  readonly requests: readonly { readonly path: string; readonly status: number; readonly ms: number }[];
  readonly functions: number;
}

const emit = (message: Record<string, unknown>) => process.stdout.write(`BENCH ${JSON.stringify(message)}\n`);

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

async function timedGet(url: string, headers: Record<string, string> = {}): Promise<{ path: string; status: number; ms: number }> {
  const started = performance.now();
  const response = await fetch(url, { headers });
  await response.arrayBuffer();
  return { path: new URL(url).pathname, status: response.status, ms: performance.now() - started };
}

async function main(): Promise<number> {
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
        emit({ type: 'stopped', stopMs: performance.now() - started });
      }
    })();
    return stopping;
  };
  // The bench's timeout (or a Ctrl-C) still stops the runtime, and so Java, before exiting. A
  // signal during start is acted on once start returns (startLocalRuntime cleans up after itself
  // if it fails); should that hang, the exit below closes the watchdog's pipe, which ends Java.
  let interrupted: string | undefined;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      interrupted = signal;
      emit({ type: 'error', message: `${signal} received` });
      setTimeout(() => process.exit(1), 20_000).unref();
      if (runtime) void stop().finally(() => process.exit(1));
    });
  }

  try {
    const callStarted = performance.now();
    runtime = await startLocalRuntime({ home, inMemory: true, port: 0, logLevel: 'SILENT' });
    const readyAt = performance.now();
    if (interrupted) throw new Error(`${interrupted} during start`);
    const callMs = readyAt - callStarted;
    const javaPids = runtime.childPids();
    emit({ type: 'started', javaPids });
    const afterStart = snapshot(javaPids);

    // One public request and one that reads DynamoDB, both through the HTTP front and a sandbox.
    const token = await runtime.token({ role: 'finance' });
    const requests = [
      await timedGet(`${runtime.apiUrl}/v1/health`),
      await timedGet(`${runtime.apiUrl}/v1/indicators`, { authorization: `Bearer ${token}` }),
    ];
    const afterRequests = snapshot(javaPids);

    const result: ProbeResult = {
      type: 'result',
      startedInMs: runtime.startedInMs,
      callMs,
      importMs,
      sinceProcessStartMs: readyAt,
      afterStart,
      afterRequests,
      requests,
      functions: runtime.functions.size,
    };
    emit({ ...result });
    return 0;
  } catch (error) {
    emit({ type: 'error', message: (error as Error).stack ?? String(error) });
    return 1;
  } finally {
    await stop();
  }
}

process.exitCode = await main();
