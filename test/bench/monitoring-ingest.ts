/**
 * Execution data ingestion (`services/monitoring/ingest.ts`): the ingester's throughput against
 * raw BatchWriteItem of the same row items in the same run, how its time grows from 10,000 to
 * 50,000 rows, and whether the ingesting process's peak memory grows with the batch.
 *
 * Set-up: an in-memory DynamoDB Local of our own (always stopped), the monitoring table from its
 * manifest, the environment both runtimes give the ingester function (`INGESTER` below, the
 * entry the monitoring manifest gets). Each batch is a CSV extract (`test/support/execution-batch.ts`:
 * 300 spending objects, every month, refunds among the amounts) accepted in this process by
 * `submitBatch`, the API's own path: checked, stored in chunks, queued with its
 * `ExecutionBatchQueued` outbox item in one transaction (the accept time is shown for information).
 *
 * Each measured run is a process of its own (`monitoring-ingest-child.ts`, `node --expose-gc
 * --import tsx`): `ingest` delivers the batch's genuine envelope (built from the outbox item the
 * transaction wrote) to the ingester handler; `raw` builds the same row items up front and
 * writes them with bare BatchWriteItem calls, 25 items each, as many in flight as the ingester
 * (`WRITE_CONCURRENCY`), unprocessed items retried. Only the writing is timed in `raw`; the whole
 * handler call in `ingest` (reading chunks, decoding, writing, progress, checkpoints, per-object
 * totals, closing the job, the consumer's idempotency record).
 *
 * Rounds: a warm-up round (5,000 rows each way, discarded: the JVM's JIT), then `rounds` rounds of
 * 10,000 and 50,000 rows, ingest and raw alternating which goes first; figures are medians over
 * rounds, except peak memory, the highest of the rounds.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { startDynamoDbLocal } from '../../infra/local/dynamodb-local.ts';
import { ensureTable } from '../../infra/local/tables.ts';
import monitoring from '../../services/monitoring/service.ts';
import { documentClient, resetDynamoClientsForTesting } from '../../shared/clients/dynamodb.ts';
import type { FunctionDecl } from '../../shared/manifest.ts';
import { csvBatch } from '../support/execution-batch.ts';
import { useFunctionEnvironment } from './api-harness.ts';
import { median } from './cold-import.ts';
import { BENCH_DIR, REPO_ROOT } from './paths.ts';
import { MB, row, type Row } from './report.ts';
import type { ChildResult } from './monitoring-ingest-child.ts';

/** Time ratio ingester / raw ≤ 1.25, i.e. throughput ratio ≥ 0.8. */
export const INGEST_THROUGHPUT_BUDGET = { maxRatio: 1.25 } as const;
export const INGEST_SCALING_BUDGET = { maxRatio: 5.5 } as const;
/**
 * The 50,000-row peak RSS may exceed the 10,000-row one by at most this. A fresh Node process's
 * RSS high-water moves by several MB between identical runs (V8 grows its young generation during
 * a run, up to 2 × 16 MB here, and a longer run reaches it more surely; malloc keeps freed
 * arenas); 16 MB covers that. It would not cover holding the batch: 40,000 more rows as row
 * objects and items (which the ingester's writes build) are 25-40 MB.
 */
export const INGEST_RSS_SLACK_BYTES = 16 * MB;
/**
 * The old space holds what survives two young-generation collections: anything the ingestion
 * kept. Its peak also carries promoted garbage not yet collected, which varies by a few MB
 * between runs; 6 MB covers that, while 40,000 more rows kept as objects would add 10 MB or more.
 */
export const INGEST_OLD_SPACE_SLACK_BYTES = 6 * MB;
/** Budgets this part checks (for the summary when it fails). */
export const INGEST_BUDGETS = 5;

/** The ingester function, as the monitoring manifest declares it. */
export const INGESTER: FunctionDecl = {
  name: 'ingester',
  kind: 'consumer',
  entry: 'services/monitoring/handlers/ingester.ts',
  description: 'Stores the rows of queued execution-data batches and applies their per-object monthly totals',
  timeoutSeconds: 900,
  memoryMb: 1024,
  subscriptions: [{ name: 'execution-batches', pattern: { source: ['jixiao.monitoring'], 'detail-type': ['ExecutionBatchQueued'] }, maxAttempts: 20 }],
};

const REGION = '360000';
const TABLE = `jixiao-${REGION}-monitoring`;
const YEAR = 2027;
const OBJECTS = 300;
const SIZES = [10_000, 50_000] as const;
const WARMUP_ROWS = 5_000;
const CHILD = join(BENCH_DIR, 'monitoring-ingest-child.ts');
const CHILD_TIMEOUT_MS = 600_000;

export interface IngestBenchOptions {
  readonly rounds?: number;
}

export interface IngestBenchResult {
  readonly rows: readonly Row[];
  readonly notes: readonly string[];
  readonly details: unknown;
  readonly elapsedMs: number;
}

async function runChild(mode: 'ingest' | 'raw', tableName: string, args: Record<string, unknown>): Promise<ChildResult> {
  const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', CHILD, mode, JSON.stringify(args)], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, TABLE_NAME: tableName, AWS_LAMBDA_FUNCTION_NAME: `jixiao-${REGION}-monitoring-ingester` },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-8000);
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), CHILD_TIMEOUT_MS);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (c) => resolve(c));
  });
  clearTimeout(timer);
  const messages = stdout
    .split('\n')
    .filter((l) => l.startsWith('BENCH '))
    .map((l) => JSON.parse(l.slice('BENCH '.length)) as Record<string, unknown>);
  const result = messages.find((m) => m.type === 'result') as ChildResult | undefined;
  if (!result) {
    const error = messages.find((m) => m.type === 'error');
    throw new Error(`${mode} run produced no result (exit ${code}): ${String(error?.message ?? '')}\n${stderr.trim()}`);
  }
  return result;
}

interface Run {
  readonly rows: number;
  readonly round: number;
  readonly acceptMs: number;
  readonly chunks: number;
  readonly ingest: ChildResult;
  readonly raw: ChildResult;
}

const mb = (bytes: number) => `${(bytes / MB).toFixed(1)} MB`;
const k = (n: number) => `${n / 1000}k`;

export async function benchMonitoringIngest(options: IngestBenchOptions = {}): Promise<IngestBenchResult> {
  const started = performance.now();
  const rounds = options.rounds ?? 3;
  const ddb = await startDynamoDbLocal();
  let restoreEnv: (() => void) | undefined;
  let admin: DynamoDBClient | undefined;
  try {
    restoreEnv = useFunctionEnvironment({ manifest: { ...monitoring, functions: [INGESTER] }, fn: 'ingester', regionCode: REGION, tableName: TABLE, endpoint: ddb.endpoint });
    admin = new DynamoDBClient({ endpoint: ddb.endpoint });
    resetDynamoClientsForTesting();
    const peek = DynamoDBDocumentClient.from(admin);
    // The outbox items the accepting transactions write, by batch id: the events to deliver.
    const outbox = new Map<string, { detail: string; source: string }>();
    documentClient().middlewareStack.add(
      (next, context) => async (args) => {
        const result = await next(args);
        if (context.commandName === 'TransactWriteItemsCommand') {
          for (const action of (args.input as { TransactItems?: { Put?: { Item?: Record<string, unknown> } }[] }).TransactItems ?? []) {
            const item = action.Put?.Item;
            if (item?.kind === 'outbox') outbox.set((JSON.parse(String(item.detail)) as { data: { batchId: string } }).data.batchId, { detail: String(item.detail), source: String(item.source) });
          }
        }
        return result;
      },
      { step: 'initialize', name: 'benchOutboxCapture' },
    );
    const ingest = await import('../../services/monitoring/ingest.ts');
    const events = { actor: { sub: 'bench-finance', role: 'finance' as const, region: REGION }, region: REGION, correlationId: 'bench-ingest' };

    let seed = 0;
    const once = async (rows: number, round: number, ingestFirst: boolean): Promise<Run> => {
      seed++;
      // Fresh tables for each pair, dropped after it: DynamoDB Local slows down as a table grows,
      // and neither side should write into a table the other has filled.
      const ingestTable = `${TABLE}-${seed}-ingest`;
      const rawTable = `${TABLE}-${seed}-raw`;
      await ensureTable(admin as DynamoDBClient, ingestTable, monitoring.table!);
      await ensureTable(admin as DynamoDBClient, rawTable, monitoring.table!);
      try {
        process.env.TABLE_NAME = ingestTable;
        const content = csvBatch(rows, YEAR, OBJECTS, seed);
        const t = performance.now();
        const accepted = await ingest.submitBatch({ request: { format: 'csv', sourceBatchId: `BENCH-${seed}`, fiscalYear: YEAR, content }, partial: false, events });
        const acceptMs = performance.now() - t;
        if (accepted.status !== 202) throw new Error(`a ${rows}-row batch was answered ${accepted.status}, expected 202 (queued)`);
        const { batchId, chunks } = accepted.job;
        const event = outbox.get(batchId);
        if (!event) throw new Error(`no ExecutionBatchQueued outbox item was written for ${batchId}`);
        const doIngest = () => runChild('ingest', ingestTable, { batchId, detail: JSON.parse(event.detail), source: event.source });
        const doRaw = () => runChild('raw', rawTable, { batchId, rows, fiscalYear: YEAR, objects: OBJECTS, seed });
        let ingested: ChildResult;
        let raw: ChildResult;
        if (ingestFirst) {
          ingested = await doIngest();
          raw = await doRaw();
        } else {
          raw = await doRaw();
          ingested = await doIngest();
        }
        // The ingester finished the job, and wrote the very items the baseline wrote.
        const get = async (table: string, sk: string) => (await peek.send(new GetCommand({ TableName: table, Key: { pk: `EXECBATCH#${batchId}`, sk }, ConsistentRead: true }))).Item;
        const meta = await get(ingestTable, 'META');
        if (meta?.status !== 'done' || meta.ingested !== rows) throw new Error(`batch ${batchId} ended ${String(meta?.status)} with ${String(meta?.ingested)} of ${rows} rows`);
        for (const line of [2, rows + 1]) {
          const sk = `ROW#${String(line).padStart(7, '0')}`;
          const [a, b] = [await get(ingestTable, sk), await get(rawTable, sk)];
          if (!a || JSON.stringify(a) !== JSON.stringify(b)) throw new Error(`row ${line}: the baseline's item differs from the ingester's: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
        }
        return { rows, round, acceptMs, chunks, ingest: ingested, raw };
      } finally {
        for (const table of [ingestTable, rawTable]) await admin?.send(new DeleteTableCommand({ TableName: table })).catch(() => undefined);
      }
    };

    process.stdout.write('warm-up... ');
    const warmup = await once(WARMUP_ROWS, 0, true);
    const runs: Run[] = [];
    for (let round = 1; round <= rounds; round++) {
      for (const rows of SIZES) {
        process.stdout.write(`${k(rows)}#${round}... `);
        runs.push(await once(rows, round, round % 2 === 1));
      }
    }

    const of = (rows: number) => runs.filter((r) => r.rows === rows);
    const stat = (rows: number) => {
      const rs = of(rows);
      return {
        ingestMs: median(rs.map((r) => r.ingest.ms)),
        rawMs: median(rs.map((r) => r.raw.ms)),
        acceptMs: median(rs.map((r) => r.acceptMs)),
        totalsMs: median(rs.map((r) => r.ingest.totalsMs ?? 0)),
        maxRss: Math.max(...rs.map((r) => r.ingest.maxRss)),
        rssGrowth: Math.max(...rs.map((r) => r.ingest.maxRss - r.ingest.before.rss)),
        peakHeap: Math.max(...rs.map((r) => r.ingest.peakHeapUsed)),
        newSpace: Math.max(...rs.map((r) => r.ingest.newSpaceAtPeak)),
        peakOld: Math.max(...rs.map((r) => r.ingest.peakOldSpaceUsed)),
        before: Math.max(...rs.map((r) => r.ingest.before.rss)),
        chunks: rs[0]?.chunks ?? 0,
        calls: rs[0]?.ingest.calls ?? {},
        pairedRatios: rs.map((r) => r.ingest.ms / r.raw.ms),
      };
    };
    const small = stat(SIZES[0]);
    const large = stat(SIZES[1]);
    const rate = (n: number, ms: number) => `${Math.round((n / ms) * 1000).toLocaleString('en-US')} rows/s`;
    const via = runs[0]?.ingest.via ?? 'handler';
    const callList = (c: Record<string, number>) =>
      Object.entries(c)
        .map(([name, n]) => `${n} ${name}`)
        .join(', ');

    const result: Row[] = [];
    for (const [rows, s] of [
      [SIZES[0], small],
      [SIZES[1], large],
    ] as const) {
      result.push(
        row({
          bench: 'ingest',
          name: `${k(rows)} rows: ingester vs raw BatchWriteItem (time)`,
          value: s.ingestMs,
          unit: 'ms',
          baseline: s.rawMs,
          budget: INGEST_THROUGHPUT_BUDGET,
          note: `throughput ${rate(rows, s.ingestMs)} vs raw ${rate(rows, s.rawMs)}: ratio ${(s.rawMs / s.ingestMs).toFixed(2)} (budget ≥ 0.8, i.e. time ratio ≤ 1.25); per-round time ratios ${s.pairedRatios.map((r) => r.toFixed(2)).join(', ')}; totals phase ${s.totalsMs.toFixed(0)} ms; calls ${callList(s.calls)}`,
        }),
      );
    }
    result.push(
      row({
        bench: 'ingest',
        name: 'ingester time, 50k vs 10k rows',
        value: large.ingestMs,
        unit: 'ms',
        baseline: small.ingestMs,
        budget: INGEST_SCALING_BUDGET,
        note: `medians of ${rounds} rounds; raw BatchWriteItem grows ${(large.rawMs / small.rawMs).toFixed(2)}× over the same rows`,
      }),
      row({
        bench: 'ingest',
        name: 'ingester peak RSS, 50k vs 10k rows',
        value: large.maxRss,
        unit: 'bytes',
        baseline: small.maxRss,
        budget: { max: small.maxRss + INGEST_RSS_SLACK_BYTES },
        note: `the child process's high-water RSS (getrusage), highest of ${rounds} rounds; budget = the 10k peak + ${mb(INGEST_RSS_SLACK_BYTES)}`,
      }),
      row({
        bench: 'ingest',
        name: 'ingester peak old-space heap, 50k vs 10k rows',
        value: large.peakOld,
        unit: 'bytes',
        baseline: small.peakOld,
        budget: { max: small.peakOld + INGEST_OLD_SPACE_SLACK_BYTES },
        note: `V8 old space used, sampled every 5 ms, highest of ${rounds} rounds; budget = the 10k peak + ${mb(INGEST_OLD_SPACE_SLACK_BYTES)}`,
      }),
      row({
        bench: 'ingest',
        name: 'ingester peak heap used, 50k vs 10k rows',
        value: large.peakHeap,
        unit: 'bytes',
        baseline: small.peakHeap,
        note: `all spaces, garbage included, sampled every 5 ms; the young generation was ${mb(small.newSpace)} (10k) and ${mb(large.newSpace)} (50k) at the peak: V8 grows it during a run, up to 2 × 16 MB`,
      }),
      row({ bench: 'ingest', name: 'API accept, 10k rows (check, chunk, queue)', value: small.acceptMs, unit: 'ms', note: `${small.chunks} chunk items` }),
      row({ bench: 'ingest', name: 'API accept, 50k rows (check, chunk, queue)', value: large.acceptMs, unit: 'ms', baseline: small.acceptMs, note: `${large.chunks} chunk items` }),
    );

    const notes = [
      `Setup: in-memory DynamoDB Local; for every pair of runs two fresh tables from the monitoring manifest's table spec (one per side, dropped afterwards, so neither side writes into a table the other filled); the ingester function's environment (timeout ${INGESTER.timeoutSeconds} s). Batches are CSV extracts of ${OBJECTS} spending objects over every month of ${YEAR} (amounts from −1,000.00 to 19,000.00 yuan), accepted by submitBatch as the API accepts them: checked row by row, stored in chunk items of at most ${ingest.CHUNK_TEXT_BYTES.toLocaleString('en-US')} bytes, queued with the ExecutionBatchQueued outbox item in one transaction.`,
      `Ingest: a process of its own per run (node --expose-gc --import tsx test/bench/monitoring-ingest-child.ts), ${via === 'handler' ? 'the ingester handler called with a genuine EventBridge envelope of the outbox item' : 'ingestQueuedBatch called directly (the event catalog does not list ExecutionBatchQueued yet, so the consumer wrapper would refuse the envelope)'}; timed from the call to its return: marking the job running, reading the chunks (${large.chunks} for 50k rows; the next one read while the current is written), BatchWriteItem of 25 rows with ${ingest.WRITE_CONCURRENCY} in flight, progress every ${ingest.PROGRESS_EVERY_ROWS.toLocaleString('en-US')} rows, a checkpoint per chunk, ${OBJECTS} conditional totals updates (${ingest.TOTALS_CONCURRENCY} in flight), closing the job.`,
      `Raw baseline: a process of its own per run, the same row items (rowItem of the same rows) built before the clock starts, then bare BatchWriteItem calls of 25 items, ${ingest.WRITE_CONCURRENCY} in flight, unprocessed items retried. After each pair the bench checks that the ingester's job is done and that its first and last row items equal the baseline's.`,
      `Rounds: a warm-up pair of ${WARMUP_ROWS.toLocaleString('en-US')} rows (discarded: ingest ${warmup.ingest.ms.toFixed(0)} ms, raw ${warmup.raw.ms.toFixed(0)} ms), then ${rounds} rounds of ${SIZES.map(k).join(' and ')} rows, ingest and raw alternating which goes first; times are medians over rounds, memory the highest. The ingester's fixed costs (the per-object totals, the job's updates) weigh more on 10k rows than on 50k.`,
      `Memory: the child's RSS before the timed part (after imports and a full GC) was at most ${mb(small.before)} (10k) and ${mb(large.before)} (50k); its high-water RSS grew by at most ${mb(small.rssGrowth)} (10k) and ${mb(large.rssGrowth)} (50k) during the run. Budgets: the 50k peak RSS ≤ the 10k peak + ${mb(INGEST_RSS_SLACK_BYTES)} and the 50k peak old space ≤ the 10k peak + ${mb(INGEST_OLD_SPACE_SLACK_BYTES)} (see INGEST_RSS_SLACK_BYTES and INGEST_OLD_SPACE_SLACK_BYTES for why those constants). The API's accept holds the request body (≤ 5.9 MB, as Lambda hands it over) and one chunk; it is not the ingesting process.`,
    ];
    return {
      rows: result,
      notes,
      details: { rounds, runs: runs.map((r) => ({ rows: r.rows, round: r.round, chunks: r.chunks, acceptMs: r.acceptMs, ingest: r.ingest, raw: r.raw })), warmup },
      elapsedMs: performance.now() - started,
    };
  } finally {
    restoreEnv?.();
    resetDynamoClientsForTesting();
    admin?.destroy();
    await ddb.stop();
  }
}
