/**
 * `GET /v1/indicators/{id}` under load on the running local runtime against its baseline: a raw
 * `GetItem` of the same item on the same DynamoDB Local, both from this process, both at the
 * same concurrency and for the same time.
 *
 * - API: the route over HTTP (keep-alive connections, a finance dev token): HTTP front, JWT
 *   check, a sandbox of indicators-api, its GetItem (ConsistentRead, as `getIndicator` reads).
 * - Raw: `GetCommand` through a `DynamoDBDocumentClient` against the runtime's DynamoDB Local
 *   endpoint, on the indicator's head item (`IND#<id>` / `META`, services/indicators/store/indicators.ts)
 *   in the runtime's indicators table, ConsistentRead too.
 *
 * Each side runs closed loops: `concurrency` clients, each sending its next request when the
 * previous one is answered, until the phase's time is up (and never more than a fixed number of
 * requests: the loops stop by themselves).
 *
 * Warm-up runs until both sides are steady, because both keep speeding up for half a minute
 * after a start (measured: API 210 → 800 req/s, raw 510 → 1,500 req/s over 40 s): sandboxes
 * start, and V8 in each sandbox and Java's JIT in DynamoDB Local compile the hot paths. Rounds
 * of one window per side alternate until each side's last three windows lie within
 * STEADY_TOLERANCE of their highest (at most `maxWarmupMs`); the first round's
 * rates are reported as what a client sees right after a start. Then measured phases in the
 * order API, raw, raw, API, so drift on a shared machine hits both sides alike. Throughput =
 * answered requests / the phases' wall time; latencies pooled over the phases.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { sampleIndicator } from '../support/runtime.ts';
import { assertLoopback, httpClient, type Call } from './runtime-http.ts';

export interface LoadOptions {
  readonly apiUrl: string;
  readonly dynamodbEndpoint: string;
  readonly awsRegion: string;
  readonly table: string;
  /** A reader's token (finance). */
  readonly token: string;
  readonly concurrency: number;
  /** One warm-up window per side and round. */
  readonly warmupWindowMs: number;
  /** Warm-up stops after this long even when a side is not yet steady (the notes say so). */
  readonly maxWarmupMs: number;
  /** Measured time per side, split over two phases. */
  readonly measureMs: number;
}

export interface SideFigures {
  /** Answered requests (200 / the item found) in the measured phases. */
  readonly requests: number;
  /** Anything else, in the measured phases. */
  readonly errors: number;
  readonly elapsedMs: number;
  /** requests / elapsed, per second. */
  readonly rps: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly firstError?: string;
}

export interface LoadFigures {
  readonly indicatorId: string;
  readonly itemBytes: number;
  readonly api: SideFigures;
  readonly raw: SideFigures;
  /** Each warm-up round's throughput per side (req/s), first round first. */
  readonly warmup: { readonly api: readonly number[]; readonly raw: readonly number[]; readonly steady: boolean; readonly ms: number };
  readonly concurrency: number;
  readonly phaseMs: number;
}

/** A loop never sends more than this (so a broken clock cannot make it run on). */
const MAX_REQUESTS_PER_CLIENT = 200_000;

export interface Phase {
  readonly latencies: number[];
  errors: number;
  firstError?: string;
  readonly elapsedMs: number;
}

export async function closedLoops(concurrency: number, durationMs: number, op: () => Promise<void>): Promise<Phase> {
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  const started = performance.now();
  const deadline = started + durationMs;
  const client = async () => {
    for (let i = 0; i < MAX_REQUESTS_PER_CLIENT && performance.now() < deadline; i++) {
      const sent = performance.now();
      try {
        await op();
        latencies.push(performance.now() - sent);
      } catch (error) {
        errors++;
        firstError ??= (error as Error).message;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, client));
  return { latencies, errors, ...(firstError ? { firstError } : {}), elapsedMs: performance.now() - started };
}

function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
}

function figures(phases: readonly Phase[]): SideFigures {
  const latencies = phases.flatMap((p) => p.latencies);
  const elapsedMs = phases.reduce((n, p) => n + p.elapsedMs, 0);
  const firstError = phases.find((p) => p.firstError)?.firstError;
  return {
    requests: latencies.length,
    errors: phases.reduce((n, p) => n + p.errors, 0),
    elapsedMs,
    rps: (latencies.length / elapsedMs) * 1000,
    p50Ms: quantile(latencies, 0.5),
    p95Ms: quantile(latencies, 0.95),
    ...(firstError ? { firstError } : {}),
  };
}

/** A side is steady when its last STEADY_WINDOWS windows' throughputs lie within this share of their highest. */
const STEADY_TOLERANCE = 0.05;
export const STEADY_WINDOWS = 3;

/** Requests per second of a phase. */
export const rateOf = (phase: Phase) => (phase.latencies.length / phase.elapsedMs) * 1000;

/** The mean of the last STEADY_WINDOWS rates when they are steady, else undefined. */
export function steadyMean(rates: readonly number[]): number | undefined {
  const last = rates.slice(-STEADY_WINDOWS);
  if (last.length < STEADY_WINDOWS || Math.max(...last) - Math.min(...last) > STEADY_TOLERANCE * Math.max(...last)) return undefined;
  return last.reduce((a, b) => a + b, 0) / last.length;
}
const steadyIn = (rates: readonly number[]) => steadyMean(rates) !== undefined;

async function warmUntilSteady(concurrency: number, options: LoadOptions, api: () => Promise<void>, raw: () => Promise<void>): Promise<LoadFigures['warmup']> {
  const started = performance.now();
  const rates = { api: [] as number[], raw: [] as number[] };
  let steady = false;
  while (!steady && performance.now() - started < options.maxWarmupMs) {
    rates.api.push(rateOf(await closedLoops(concurrency, options.warmupWindowMs, api)));
    rates.raw.push(rateOf(await closedLoops(concurrency, options.warmupWindowMs, raw)));
    steady = steadyIn(rates.api) && steadyIn(rates.raw);
  }
  return { ...rates, steady, ms: performance.now() - started };
}

/** Finance creates and publishes the indicator the load reads. */
async function publishedIndicator(call: Call, token: string): Promise<string> {
  const created = await call('POST', '/v1/indicators', { token, body: { ...sampleIndicator, name: '培训人次(基准负载)' } });
  if (created.status !== 201) throw new Error(`create indicator: ${created.status} ${JSON.stringify(created.body)?.slice(0, 300)}`);
  const id = String(created.body.id);
  const published = await call('POST', `/v1/indicators/${id}/publish`, { token, headers: { 'if-match': String(created.headers.etag ?? '') } });
  if (published.status !== 200) throw new Error(`publish indicator: ${published.status} ${JSON.stringify(published.body)?.slice(0, 300)}`);
  return id;
}

export async function compareIndicatorGets(options: LoadOptions): Promise<LoadFigures> {
  const { concurrency, token } = options;
  assertLoopback(options.dynamodbEndpoint, 'DynamoDB endpoint');
  // Node 20 runs locally while Lambda runs 22; the SDK's Node-20 notice is noise here (as in `npm start`).
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const http = httpClient(options.apiUrl, concurrency);
  const dynamo = new DynamoDBClient({ endpoint: options.dynamodbEndpoint, region: options.awsRegion, credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 4 });
  const documents = DynamoDBDocumentClient.from(dynamo);
  try {
    const id = await publishedIndicator(http.call, token);
    const path = `/v1/indicators/${id}`;
    const get = new GetCommand({ TableName: options.table, Key: { pk: `IND#${id}`, sk: 'META' }, ConsistentRead: true });

    const api = async () => {
      const r = await http.call('GET', path, { token });
      if (r.status !== 200 || r.body?.id !== id) throw new Error(`GET ${path}: ${r.status} ${JSON.stringify(r.body)?.slice(0, 200)}`);
    };
    const raw = async () => {
      const r = await documents.send(get, { abortSignal: AbortSignal.timeout(30_000) });
      if (r.Item?.id !== id) throw new Error(`GetItem ${options.table} IND#${id}/META: no such item`);
    };
    // Both sides read the same item: the raw Get must find what the API returns.
    await api();
    const probe = await documents.send(get);
    if (probe.Item?.id !== id) throw new Error(`the raw GetItem did not find indicator ${id} at IND#${id}/META in ${options.table}: has the key layout changed?`);
    const itemBytes = Buffer.byteLength(JSON.stringify(probe.Item));

    const warmup = await warmUntilSteady(concurrency, options, api, raw);
    const phaseMs = options.measureMs / 2;
    const apiPhases: Phase[] = [];
    const rawPhases: Phase[] = [];
    apiPhases.push(await closedLoops(concurrency, phaseMs, api));
    rawPhases.push(await closedLoops(concurrency, phaseMs, raw));
    rawPhases.push(await closedLoops(concurrency, phaseMs, raw));
    apiPhases.push(await closedLoops(concurrency, phaseMs, api));
    return {
      indicatorId: id,
      itemBytes,
      api: figures(apiPhases),
      raw: figures(rawPhases),
      warmup,
      concurrency,
      phaseMs,
    };
  } finally {
    http.close();
    documents.destroy();
    dynamo.destroy();
  }
}
