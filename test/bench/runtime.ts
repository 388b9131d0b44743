/**
 * The local runtime as `npm start` runs it: time from start to a healthy `GET /v1/health`,
 * resident memory (Node and Java together) after start and after one scripted year of one
 * object, `GET /v1/indicators/{id}` under 16 concurrent clients against a raw `GetItem` of the
 * same item, and every function's cold start.
 *
 * The runtime runs in `runtime-probe.ts`, a process of its own, so that its memory is the
 * runtime's; this process drives it over loopback HTTP (`runtime-year.ts`, `runtime-load.ts`)
 * and asks the probe, over the IPC channel (`runtime-session.ts`), for dev tokens, settling,
 * memory snapshots and the cold starts. Budgets (from the issue):
 *
 *   start → healthy GET /v1/health           ≤ 5 s, from the probe process's start
 *   RSS after start (Node + Java)            ≤ 450 MB, once the background warming is done
 *   RSS after one scripted year              ≤ 800 MB, after the runtime settled
 *   GET /v1/indicators/{id} ×16 throughput   ≥ 0.75 of raw GetItem's, printed as time per
 *                                             request (1 / throughput) ≤ 1/0.75 of raw's
 *   cold start per function                  information
 */
import { MB, row, type Row } from './report.ts';
import type { FunctionColdStarts, MemorySnapshot, ProbeReady } from './runtime-probe.ts';
import { httpClient } from './runtime-http.ts';
import { compareIndicatorGets, type LoadFigures } from './runtime-load.ts';
import { measureWriteCeiling, type WriteCeiling } from './runtime-writes.ts';
import { ProbeSession, type SessionEnd } from './runtime-session.ts';
import { scriptedYear, type YearResult } from './runtime-year.ts';

export const HEALTHY_BUDGET = { max: 5_000 } as const;
export const START_MEMORY_BUDGET = { max: 450 * MB } as const;
export const YEAR_MEMORY_BUDGET = { max: 800 * MB } as const;
/** Throughput ≥ 0.75 × raw, i.e. time per request ≤ raw's / 0.75. */
export const MIN_THROUGHPUT_SHARE = 0.75;
export const GET_THROUGHPUT_BUDGET = { maxRatio: 1 / MIN_THROUGHPUT_SHARE } as const;
/** Budgets this bench checks (for the summary when it fails). */
export const RUNTIME_BUDGETS = 4;

const CONCURRENCY = 16;
const WARMUP_WINDOW_MS = 2_000;
const MAX_WARMUP_MS = 90_000;
const MEASURE_MS = 5_000;

export interface RuntimeDetails {
  readonly ready: ProbeReady;
  readonly year: YearResult;
  readonly afterYear: MemorySnapshot;
  readonly afterYearSettleMs?: number;
  readonly load: LoadFigures;
  readonly afterLoad: MemorySnapshot;
  readonly writes: WriteCeiling;
  readonly coldStarts: readonly FunctionColdStarts[];
  readonly end: SessionEnd;
}

export interface RuntimeBenchResult {
  /** Everything measured, for results.json. */
  readonly probe: RuntimeDetails;
  readonly rows: readonly Row[];
  readonly notes: readonly string[];
  readonly elapsedMs: number;
}

const mb = (bytes: number) => `${(bytes / MB).toFixed(0)} MB`;
const ms = (value: number) => `${value.toFixed(0)} ms`;
const javaRss = (m: MemorySnapshot) => m.java.reduce((n, j) => n + j.rssBytes, 0);

function breakdown(m: MemorySnapshot): string {
  const parts = [`node ${mb(m.node.rssBytes)}`, ...m.java.map((j) => `java ${mb(j.rssBytes)}`), ...m.others.map((o) => `${o.name} ${mb(o.rssBytes)}`)];
  return parts.join(' + ');
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Drives the runtime: the year, the load, the cold starts; stops the probe whatever happens. */
async function measure(): Promise<RuntimeDetails> {
  const { session, ready } = await ProbeSession.start();
  try {
    const http = httpClient(ready.apiUrl, 4);
    let year: YearResult;
    try {
      year = await scriptedYear({
        call: http.call,
        token: async (claims) => (await session.request({ cmd: 'token', claims })).token,
        settle: () => session.request({ cmd: 'settle' }),
      });
    } finally {
      http.close();
    }
    const afterYear = await session.request({ cmd: 'snapshot', settle: true });
    const finance = (await session.request({ cmd: 'token', claims: { role: 'finance', sub: 'bench-load-reader' } })).token;
    const table = ready.tables.indicators;
    if (!table) throw new Error(`the runtime has no indicators table (tables: ${Object.keys(ready.tables).join(', ')})`);
    const load = await compareIndicatorGets({
      apiUrl: ready.apiUrl,
      dynamodbEndpoint: ready.dynamodbEndpoint,
      awsRegion: ready.awsRegion,
      table,
      token: finance,
      concurrency: CONCURRENCY,
      warmupWindowMs: WARMUP_WINDOW_MS,
      maxWarmupMs: MAX_WARMUP_MS,
      measureMs: MEASURE_MS,
    });
    const afterLoad = await session.request({ cmd: 'snapshot', settle: false });
    const writes = await measureWriteCeiling({ dynamodbEndpoint: ready.dynamodbEndpoint, awsRegion: ready.awsRegion, table, concurrency: CONCURRENCY, windowMs: WARMUP_WINDOW_MS, maxMs: 30_000 });
    const coldStarts = await session.request({ cmd: 'coldStarts' }, 300_000);
    const end = await session.stop();
    return {
      ready,
      year,
      afterYear: afterYear.memory,
      ...(afterYear.settleMs !== undefined ? { afterYearSettleMs: afterYear.settleMs } : {}),
      load,
      afterLoad: afterLoad.memory,
      writes,
      coldStarts: coldStarts.functions,
      end,
    };
  } catch (error) {
    const end = await session.stop();
    const extra = [...end.errors, ...end.problems];
    throw extra.length > 0 ? new Error(`${(error as Error).message}\n${extra.join('\n')}`, { cause: error }) : error;
  }
}

function memoryRows(label: string, m: MemorySnapshot, budget: { max: number } | undefined, note: string): Row[] {
  return [
    row({ bench: 'runtime', name: `RSS ${label} (Node + Java)`, value: m.totalRssBytes, unit: 'bytes', ...(budget ? { budget } : {}), note }),
    row({ bench: 'runtime', name: '  of which Node (runtime + sandboxes)', value: m.node.rssBytes, unit: 'bytes' }),
    row({ bench: 'runtime', name: '  of which Java (DynamoDB Local)', value: javaRss(m), unit: 'bytes' }),
  ];
}

/** A row per function that has a cold start (the notes name any without one). */
function coldStartRows(functions: readonly FunctionColdStarts[]): Row[] {
  return functions.filter((f) => f.starts.length > 0).map((f) => {
    const first = f.starts[0] as FunctionColdStarts['starts'][number];
    const all = f.starts.map((s) => s.ms);
    const note = [
      `${f.starts.length} cold start(s)${f.starts.length > 1 ? `, median ${ms(median(all))}, max ${ms(Math.max(...all))}` : ''}`,
      `bundle ${first.built ? 'built' : 'checked'} in ${ms(first.bundleMs)}`,
      f.forced ? 'started by warm() at the end (nothing invoked it)' : '',
    ]
      .filter(Boolean)
      .join('; ');
    return row({ bench: 'runtime', name: `cold start ${f.id}`, value: first.ms, unit: 'ms', note });
  });
}

export async function benchRuntime(): Promise<RuntimeBenchResult> {
  const started = performance.now();
  const d = await measure();
  const { ready, year, load } = d;
  const share = load.api.rps / load.raw.rps;
  const perRequest = (rps: number) => 1000 / rps;

  const rows: Row[] = [
    row({
      bench: 'runtime',
      name: 'start → healthy GET /v1/health',
      value: ready.healthySinceProcessStartMs,
      unit: 'ms',
      budget: HEALTHY_BUDGET,
      note: 'from the probe process start: node + tsx + importing the runtime + startLocalRuntime() + the first 200 of GET /v1/health',
    }),
    row({ bench: 'runtime', name: '  of which startLocalRuntime() → healthy', value: ready.healthySinceCallMs, unit: 'ms' }),
    ...memoryRows('after start', ready.afterStart, START_MEMORY_BUDGET, `once the background warming is done; ${breakdown(ready.afterStart)}`),
    ...memoryRows('after one scripted year', d.afterYear, YEAR_MEMORY_BUDGET, `after the runtime settled; ${breakdown(d.afterYear)}`),
    row({ bench: 'runtime', name: `RSS after the ×${CONCURRENCY} GET load`, value: d.afterLoad.totalRssBytes, unit: 'bytes', note: breakdown(d.afterLoad) }),
    row({
      bench: 'runtime',
      name: `GET /v1/indicators/{id} ×${CONCURRENCY}: req/s (ratio = share)`,
      value: load.api.rps,
      unit: 'count',
      baseline: load.raw.rps,
      note: `information: the ratio is the throughput share the next row budgets (${share.toFixed(2)} vs ≥ ${MIN_THROUGHPUT_SHARE})`,
    }),
    row({
      bench: 'runtime',
      name: `GET /v1/indicators/{id} ×${CONCURRENCY}: ms per request (1/throughput)`,
      value: perRequest(load.api.rps),
      unit: 'ms',
      baseline: perRequest(load.raw.rps),
      budget: GET_THROUGHPUT_BUDGET,
      note: `budget: throughput ≥ ${MIN_THROUGHPUT_SHARE} × raw GetItem's, i.e. time per request ≤ raw's × ${(1 / MIN_THROUGHPUT_SHARE).toFixed(3)}`,
    }),
    row({ bench: 'runtime', name: `GET /v1/indicators/{id} ×${CONCURRENCY}: p50 latency`, value: load.api.p50Ms, unit: 'ms', baseline: load.raw.p50Ms }),
    row({ bench: 'runtime', name: `DynamoDB Local: PutItem ×${CONCURRENCY} per second`, value: d.writes.putItemPerSecond, unit: 'count', note: 'information: the engine\'s write ceiling here, for reading the load figures' }),
    row({ bench: 'runtime', name: `DynamoDB Local: TransactWriteItems (3 puts) ×${CONCURRENCY} per second`, value: d.writes.transactionsPerSecond, unit: 'count', note: 'information' }),
    ...coldStartRows(d.coldStarts),
  ];

  const side = (name: string, s: LoadFigures['api']) =>
    `${name} ${s.requests} answered in ${(s.elapsedMs / 1000).toFixed(1)} s = ${s.rps.toFixed(0)} req/s, p50 ${s.p50Ms.toFixed(2)} ms, p95 ${s.p95Ms.toFixed(2)} ms${s.errors ? `, ⚠ ${s.errors} errors (first: ${s.firstError})` : ''}`;
  const builds = d.coldStarts.flatMap((f) => f.starts).filter((s) => s.built).length;
  const forced = d.coldStarts.filter((f) => f.forced).map((f) => f.id);
  const slowest = [...year.steps].sort((a, b) => b.ms - a.ms).slice(0, 3);
  const indicatorsApi = d.coldStarts.find((f) => f.id === 'indicators-api');
  const notes = [
    `The runtime runs in its own process (node --import tsx test/bench/runtime-probe.ts): startLocalRuntime({ inMemory: true, port: 0, logLevel: 'SILENT', warm: true }), as \`npm start\` starts its first region (sandboxes start on first use; warm starts the API functions' sandboxes and builds the other bundles in the background once the runtime is ready). This process drives it over loopback HTTP with dev tokens from the runtime's key (runtime.token()).`,
    `Start: startLocalRuntime() returned after ${ms(ready.callMs)} (startedInMs ${ms(ready.startedInMs)}; importing infra/local/runtime.ts ${ms(ready.importMs)}); GET /v1/health answered ${ready.healthChecks.map((h) => `${h.status} in ${ms(h.ms)}`).join(', ')}. Background warming done ${(ready.warmedSinceHealthyMs / 1000).toFixed(1)} s after that.`,
    `RSS = VmRSS of the probe's Node process (worker-thread sandboxes included) + the Java pid(s) from childPids() + other descendants; MB = 1024 × 1024 bytes. At the first healthy GET /v1/health: ${breakdown(ready.atHealthy)} = ${mb(ready.atHealthy.totalRssBytes)}. Peak Node RSS (VmHWM) by the end: ${mb(d.afterLoad.node.peakRssBytes)}; Node heap used after the year ${mb(d.afterYear.nodeHeap.heapUsed)}.`,
    `Year (${(year.totalMs / 1000).toFixed(1)} s, object ${year.objectId}): ${year.steps.map((s) => `${s.step} ${s.status} ${ms(s.ms)}`).join(', ')}. Waits: ${year.waits.map((w) => `${w.what} ${ms(w.ms)}`).join(', ')}${d.afterYearSettleMs !== undefined ? `, settle before the snapshot ${ms(d.afterYearSettleMs)}` : ''}. Slowest steps: ${slowest.map((s) => s.step).join(', ')}.`,
    year.prefilledFromReport ? '' : '⚠ the self-evaluation was not pre-filled from the monitoring report (the report had not reached evaluation)',
    `Load: ${CONCURRENCY} closed-loop clients per side. Warm-up ${(load.warmup.ms / 1000).toFixed(0)} s in ${load.warmup.api.length} rounds of ${WARMUP_WINDOW_MS / 1000} s per side, ${load.warmup.steady ? 'until both sides were steady (on each side the last three windows within 5 % of their highest)' : `⚠ stopped at ${MAX_WARMUP_MS / 1000} s before both sides were steady`}: API ${load.warmup.api.map((r) => r.toFixed(0)).join(' → ')} req/s, raw ${load.warmup.raw.map((r) => r.toFixed(0)).join(' → ')} req/s (the first round is what clients see right after a start: share ${((load.warmup.api[0] ?? 0) / (load.warmup.raw[0] ?? 1)).toFixed(2)}). Then ${(load.phaseMs / 1000).toFixed(1)} s phases API, raw, raw, API. ${side('API', load.api)}; ${side('raw GetItem', load.raw)}. Item ${load.itemBytes} bytes (indicator ${load.indicatorId}); both ConsistentRead.${indicatorsApi ? ` indicators-api may run ${indicatorsApi.concurrency} sandboxes on this machine (it cold-started ${indicatorsApi.starts.length} in the run), so ${CONCURRENCY} clients queue for them; DynamoDB Local serves the raw side directly.` : ''}`,
    `DynamoDB Local write ceiling (${CONCURRENCY} closed-loop clients in this process, nothing else running; items under BENCH# in the indicators table, stream and indexes included; windows of ${WARMUP_WINDOW_MS / 1000} s until the last three are within 5 %${d.writes.steady ? '' : ' ⚠ not reached within 30 s: the last three windows'}): PutItem ${d.writes.windows.putItem.map((r) => r.toFixed(0)).join(' → ')} /s, TransactWriteItems of 3 puts ${d.writes.windows.transactions.map((r) => r.toFixed(0)).join(' → ')} /s${d.writes.errors ? `, ⚠ ${d.writes.errors} errors` : ''}. Each state change Jixiao accepts (or refuses on its condition) is one such transaction, and each event it publishes is folded by about three and a half consumer invocations, each writing an idempotency record twice and one or more items of its own (docs/decisions.md).`,
    `Cold starts (runtime.stats(): sandbox creation to worker ready, the bundle check or build included): ${d.coldStarts.reduce((n, f) => n + f.starts.length, 0)} in ${d.coldStarts.length} functions, ${builds} with a bundle build (the rest found their bundle in the cache). The value is each function's first cold start.${forced.length ? ` Nothing invoked ${forced.join(', ')}: the probe started each with warm() at the end, one at a time.` : ''}`,
    `Stop took ${d.end.stopMs !== undefined ? ms(d.end.stopMs) : 'unknown (no stop report)'}. Not counted: npm and the tsx CLI parent that \`npm start\` adds in front of the runtime process.`,
    ...d.coldStarts.filter((f) => f.starts.length === 0).map((f) => `⚠ no cold start of ${f.id}${f.error ? `: warm() failed: ${f.error}` : ''}`),
    ...d.end.errors.map((e) => `⚠ probe: ${e}`),
    ...d.end.problems.map((p) => `⚠ ${p}`),
    d.end.javaPids.length > 0 && d.end.problems.length === 0 ? `Java ${d.end.javaPids.join(', ')} stopped with the probe (checked).` : '',
  ].filter(Boolean);

  return { probe: d, rows, notes, elapsedMs: performance.now() - started };
}
