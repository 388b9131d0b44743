/**
 * The local runtime: time to ready and resident memory (Node and Java together), measured by
 * `runtime-probe.ts` in a process of its own so that this process's memory does not count.
 *
 * The probe always stops the runtime; this side makes sure of it: on a timeout the probe gets
 * SIGTERM (it stops the runtime) and later SIGKILL (the DynamoDB Local watchdog then ends
 * Java), and afterwards every Java pid the probe reported must be gone: one still alive after
 * a grace period is killed and reported.
 */
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { BENCH_DIR, REPO_ROOT } from './paths.ts';
import { MB, row, type Row } from './report.ts';
import type { MemorySnapshot, ProbeResult } from './runtime-probe.ts';

export const READY_BUDGET = { max: 10_000 } as const;
export const MEMORY_BUDGET = { max: 700 * MB } as const;
/** Budgets this bench checks (for the summary when it fails). */
export const RUNTIME_BUDGETS = 4;

const PROBE = join(BENCH_DIR, 'runtime-probe.ts');
const PROBE_TIMEOUT_MS = 150_000;

export interface RuntimeBenchResult {
  readonly probe: ProbeResult;
  readonly rows: readonly Row[];
  readonly notes: readonly string[];
  readonly elapsedMs: number;
}

function cmdline(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return undefined;
  }
}

const isDynamoDbLocal = (pid: number) => cmdline(pid)?.includes('DynamoDBLocal.jar') ?? false;

/** DynamoDB Local Java processes on this machine (to tell leaks from engines others run). */
function dynamoDbLocalPids(): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter(isDynamoDbLocal);
}

interface ProbeRun {
  readonly messages: readonly Record<string, unknown>[];
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
  readonly timedOut: boolean;
}

async function runProbe(): Promise<ProbeRun> {
  // `node --import tsx` rather than `npx tsx`: one process, whose memory is the runtime's.
  const child = spawn(process.execPath, ['--import', 'tsx', PROBE], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
  const messages: Record<string, unknown>[] = [];
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    let newline: number;
    while ((newline = stdout.indexOf('\n')) >= 0) {
      const line = stdout.slice(0, newline);
      stdout = stdout.slice(newline + 1);
      if (line.startsWith('BENCH ')) messages.push(JSON.parse(line.slice('BENCH '.length)) as Record<string, unknown>);
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-8000);
  });
  let timedOut = false;
  const term = setTimeout(() => {
    timedOut = true;
    child.kill('SIGTERM');
  }, PROBE_TIMEOUT_MS);
  const kill = setTimeout(() => child.kill('SIGKILL'), PROBE_TIMEOUT_MS + 30_000);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (c, s) => resolve([c, s]));
  });
  clearTimeout(term);
  clearTimeout(kill);
  return { messages, code, signal, stderr, timedOut };
}

/** Java processes the probe started must be gone; returns a complaint for each survivor. */
async function ensureJavaGone(javaPids: readonly number[], before: readonly number[]): Promise<string[]> {
  const problems: string[] = [];
  for (let waited = 0; waited < 10_000 && javaPids.some(isDynamoDbLocal); waited += 250) await sleep(250);
  for (const pid of javaPids.filter(isDynamoDbLocal)) {
    problems.push(`Java ${pid} (DynamoDB Local) survived the probe; killed it`);
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* gone meanwhile */
    }
  }
  const strangers = dynamoDbLocalPids().filter((pid) => !before.includes(pid) && !javaPids.includes(pid));
  if (strangers.length > 0) problems.push(`DynamoDB Local processes appeared during the bench that the probe did not report: ${strangers.join(', ')} (left alone)`);
  return problems;
}

const mb = (bytes: number) => `${(bytes / MB).toFixed(0)} MB`;

function breakdown(m: MemorySnapshot): string {
  const parts = [`node ${mb(m.node.rssBytes)}`, ...m.java.map((j) => `java ${mb(j.rssBytes)}`), ...m.others.map((o) => `${o.name} ${mb(o.rssBytes)}`)];
  return parts.join(' + ');
}

export async function benchRuntime(): Promise<RuntimeBenchResult> {
  const started = performance.now();
  const before = dynamoDbLocalPids();
  const run = await runProbe();
  const javaPids = run.messages.flatMap((m) => (m.type === 'started' ? (m.javaPids as number[]) : []));
  const problems = await ensureJavaGone(javaPids, before);
  const probe = run.messages.find((m) => m.type === 'result') as ProbeResult | undefined;
  const errors = run.messages.filter((m) => m.type === 'error').map((m) => String(m.message));
  const stopped = run.messages.find((m) => m.type === 'stopped') as { stopMs: number } | undefined;

  if (!probe) {
    const why = [
      run.timedOut ? `timed out after ${PROBE_TIMEOUT_MS / 1000} s` : `exited with ${run.signal ?? `code ${run.code}`}`,
      ...errors,
      ...problems,
      run.stderr.trim() ? `stderr:\n${run.stderr.trim()}` : '',
    ].filter(Boolean);
    throw new Error(`runtime probe produced no result: ${why.join('\n')}`);
  }

  const rows: Row[] = [
    row({ bench: 'runtime', name: 'runtime ready (startedInMs)', value: probe.startedInMs, unit: 'ms', budget: READY_BUDGET }),
    row({
      bench: 'runtime',
      name: 'runtime ready from process start',
      value: probe.sinceProcessStartMs,
      unit: 'ms',
      budget: READY_BUDGET,
      note: 'node start + tsx + importing the runtime + startLocalRuntime()',
    }),
    row({ bench: 'runtime', name: 'startLocalRuntime() wall time', value: probe.callMs, unit: 'ms' }),
    row({ bench: 'runtime', name: 'RSS after start (Node + Java)', value: probe.afterStart.totalRssBytes, unit: 'bytes', budget: MEMORY_BUDGET, note: breakdown(probe.afterStart) }),
    row({
      bench: 'runtime',
      name: 'RSS after 2 requests (Node + Java)',
      value: probe.afterRequests.totalRssBytes,
      unit: 'bytes',
      budget: MEMORY_BUDGET,
      note: breakdown(probe.afterRequests),
    }),
    row({ bench: 'runtime', name: '  of which Node (runtime + sandboxes)', value: probe.afterStart.node.rssBytes, unit: 'bytes' }),
    row({ bench: 'runtime', name: '  of which Java (DynamoDB Local)', value: probe.afterStart.java.reduce((n, j) => n + j.rssBytes, 0), unit: 'bytes' }),
  ];

  const notes = [
    `Measured in a separate process (node --import tsx test/bench/runtime-probe.ts): startLocalRuntime({ inMemory: true, port: 0, logLevel: 'SILENT' }), all ${probe.functions} function sandboxes warm.`,
    `RSS = VmRSS of the probe's Node process (worker-thread sandboxes included) + the Java pid(s) from childPids() + other descendants; MB = 1024 × 1024 bytes.`,
    `After start: ${breakdown(probe.afterStart)}. Node heap used ${mb(probe.afterStart.nodeHeap.heapUsed)}; peak Node RSS ${mb(probe.afterRequests.node.peakRssBytes)}.`,
    `Requests: ${probe.requests.map((r) => `GET ${r.path} → ${r.status} in ${r.ms.toFixed(0)} ms`).join(', ')}.`,
    `Importing infra/local/runtime.ts took ${probe.importMs.toFixed(0)} ms; stop took ${stopped ? `${stopped.stopMs.toFixed(0)} ms` : 'unknown (no stop report)'}.`,
    `Not counted: npm and the tsx CLI parent that \`npm start\` adds in front of the runtime process.`,
    ...probe.requests.filter((r) => r.status !== 200).map((r) => `⚠ GET ${r.path} answered ${r.status}`),
    ...errors.map((e) => `⚠ probe: ${e}`),
    ...problems.map((p) => `⚠ ${p}`),
    javaPids.length > 0 && problems.length === 0 ? `Java ${javaPids.join(', ')} stopped with the probe (checked).` : '',
  ].filter(Boolean);

  return { probe, rows, notes, elapsedMs: performance.now() - started };
}
