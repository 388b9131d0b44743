/**
 * One measured run of the `ingest` bench part, in a process of its own (spawned by
 * `monitoring-ingest.ts`), so its peak memory is the ingestion's and nothing else's. The
 * function's environment (table, DynamoDB Local endpoint) comes from the parent.
 *
 *   node --expose-gc --import tsx test/bench/monitoring-ingest-child.ts ingest '{"batchId":..., "detail":...}'
 *   node --expose-gc --import tsx test/bench/monitoring-ingest-child.ts raw '{"batchId":..., "rows":10000, ...}'
 *
 * `ingest`: the ingester consumer handler given a genuine EventBridge envelope of the batch's
 * `ExecutionBatchQueued` outbox item (a memory run also forces a full GC every `liveEveryMs` to
 * see the live heap). `raw`: the same row items, built up
 * front, written with bare BatchWriteItem calls, 25 items each, as many in flight as the
 * ingester has, unprocessed items retried. Prints one `BENCH <json>` line.
 */
import { randomUUID } from 'node:crypto';
import { getHeapSpaceStatistics } from 'node:v8';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const emit = (message: Record<string, unknown>) => process.stdout.write(`BENCH ${JSON.stringify(message)}\n`);

export interface ChildResult {
  readonly type: 'result';
  readonly mode: 'ingest' | 'raw';
  readonly ms: number;
  /** After imports and a full GC, before the timed part. */
  readonly before: { readonly rss: number; readonly heapUsed: number };
  /** Sampled every 5 ms during the timed part. */
  readonly peakHeapUsed: number;
  /** V8's old space (what survives the young generation: anything kept), sampled every 5 ms. */
  readonly peakOldSpaceUsed: number;
  /** The young generation's size when the heap peaked (V8 grows it during a run, up to 2 × 16 MB here). */
  readonly newSpaceAtPeak: number;
  readonly peakRssSampled: number;
  /** The process's high-water RSS (getrusage ru_maxrss), bytes: exact, whatever the sampling missed. */
  readonly maxRss: number;
  /** Memory runs: the highest heap used right after a forced full GC (every `liveEveryMs`). */
  readonly peakLiveHeap?: number;
  /** ingest: from the first to the last per-object totals update. */
  readonly totalsMs?: number;
  /** ingest: from the first BatchWriteItem's start to the last one's end. */
  readonly rowsMs?: number;
  /** ingest: DynamoDB calls by command. */
  readonly calls?: Record<string, number>;
}

declare const gc: (() => void) | undefined;

/**
 * Runs `fn` timed, sampling memory every 5 ms; with `liveEveryMs`, also forces a full GC that
 * often and records the heap used right after it: the live heap, garbage excluded (a memory run:
 * the forced collections cost time, so such a run is not timed for the report).
 */
async function measured(fn: () => Promise<void>, liveEveryMs?: number) {
  if (typeof gc === 'function') gc();
  const start = process.memoryUsage();
  let peakHeapUsed = start.heapUsed;
  let peakRssSampled = start.rss;
  let peakOldSpaceUsed = 0;
  let newSpaceAtPeak = 0;
  const sample = () => {
    const m = process.memoryUsage();
    const spaces = getHeapSpaceStatistics();
    const old = spaces.find((x) => x.space_name === 'old_space')?.space_used_size ?? 0;
    if (old > peakOldSpaceUsed) peakOldSpaceUsed = old;
    if (m.heapUsed > peakHeapUsed) {
      peakHeapUsed = m.heapUsed;
      newSpaceAtPeak = spaces.find((x) => x.space_name === 'new_space')?.space_size ?? 0;
    }
    if (m.rss > peakRssSampled) peakRssSampled = m.rss;
  };
  let peakLiveHeap = 0;
  const live = () => {
    if (typeof gc !== 'function') return;
    gc();
    peakLiveHeap = Math.max(peakLiveHeap, process.memoryUsage().heapUsed);
  };
  const timer = setInterval(sample, 5);
  const liveTimer = liveEveryMs ? setInterval(live, liveEveryMs) : undefined;
  const started = performance.now();
  try {
    await fn();
  } finally {
    clearInterval(timer);
    if (liveTimer) clearInterval(liveTimer);
  }
  const ms = performance.now() - started;
  sample();
  return {
    ms,
    before: { rss: start.rss, heapUsed: start.heapUsed },
    peakHeapUsed,
    peakOldSpaceUsed,
    newSpaceAtPeak,
    peakRssSampled,
    maxRss: process.resourceUsage().maxRSS * 1024,
    ...(liveEveryMs ? { peakLiveHeap } : {}),
  };
}

async function ingest(args: { batchId: string; detail: unknown; source: string; liveEveryMs?: number }): Promise<ChildResult> {
  const { lambdaContext } = await import('../support/api-event.ts');
  const { handler } = (await import('../../services/monitoring/handlers/ingester.ts')) as unknown as { handler: (e: unknown, c: unknown) => Promise<void> };
  const { getBatch } = await import('../../services/monitoring/store/execution-batches.ts');
  const { documentClient } = await import('../../shared/clients/dynamodb.ts');
  // Counts the calls, and times the totals phase (UpdateItems on EXEC#<objectId>) from outside.
  const calls: Record<string, number> = {};
  let totalsStart = 0;
  let totalsEnd = 0;
  let rowsStart = 0;
  let rowsEnd = 0;
  documentClient().middlewareStack.add(
    (next, context) => async (input) => {
      const name = String(context.commandName).replace(/Command$/, '');
      calls[name] = (calls[name] ?? 0) + 1;
      const totals = name === 'UpdateItem' && String((input.input as { Key?: { pk?: string } }).Key?.pk).startsWith('EXEC#');
      const rows = name === 'BatchWriteItem';
      if (totals && !totalsStart) totalsStart = performance.now();
      if (rows && !rowsStart) rowsStart = performance.now();
      try {
        return await next(input);
      } finally {
        if (totals) totalsEnd = performance.now();
        if (rows) rowsEnd = performance.now();
      }
    },
    { step: 'initialize', name: 'benchCallCounter' },
  );
  const envelope = {
    version: '0',
    id: randomUUID(),
    'detail-type': 'ExecutionBatchQueued',
    source: args.source,
    account: '000000000000',
    time: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: 'cn-northwest-1',
    resources: [],
    detail: args.detail,
  };
  const result = await measured(() => handler(envelope, lambdaContext(process.env.AWS_LAMBDA_FUNCTION_NAME)), args.liveEveryMs);
  const status = (await getBatch(args.batchId))?.status;
  if (status !== 'done') throw new Error(`batch ${args.batchId} ended ${String(status)}`);
  return { type: 'result', mode: 'ingest', ...result, totalsMs: totalsEnd - totalsStart, rowsMs: rowsEnd - rowsStart, calls };
}

async function raw(args: { batchId: string; rows: number; fiscalYear: number; objects: number; seed: number }): Promise<ChildResult> {
  const { BatchWriteCommand } = await import('@aws-sdk/lib-dynamodb');
  const { documentClient } = await import('../../shared/clients/dynamodb.ts');
  const { rowItem } = await import('../../services/monitoring/store/execution-batches.ts');
  const { WRITE_CONCURRENCY } = await import('../../services/monitoring/jobs/ingest-batch.ts');
  const { rowAt } = await import('../support/execution-batch.ts');
  const table = process.env.TABLE_NAME as string;
  // Built before the clock starts: the baseline is the writes alone.
  const groups: Record<string, unknown>[][] = [];
  for (let i = 0; i < args.rows; i += 25) {
    const group: Record<string, unknown>[] = [];
    for (let j = i; j < Math.min(i + 25, args.rows); j++) {
      const r = rowAt(j, args.fiscalYear, args.objects, args.seed);
      const row = { line: j + 2, objectId: r.objectId, date: r.date, month: r.month, amountFen: r.fen, voucher: r.voucher, ...(r.economicClass ? { economicClass: r.economicClass } : {}) };
      group.push({ PutRequest: { Item: rowItem(args.batchId, row) } });
    }
    groups.push(group);
  }
  const client = documentClient();
  const result = await measured(async () => {
    let next = 0;
    await Promise.all(
      Array.from({ length: WRITE_CONCURRENCY }, async () => {
        while (next < groups.length) {
          let pending = groups[next++] as Record<string, unknown>[];
          for (let attempt = 0; pending.length > 0; attempt++) {
            if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(3200, 50 * 2 ** (attempt - 1))));
            const out = await client.send(new BatchWriteCommand({ RequestItems: { [table]: pending as never } }));
            pending = (out.UnprocessedItems?.[table] ?? []) as Record<string, unknown>[];
          }
        }
      }),
    );
  });
  return { type: 'result', mode: 'raw', ...result };
}

async function main(): Promise<void> {
  const [mode, json] = process.argv.slice(2);
  const args = JSON.parse(json ?? '{}');
  try {
    if (mode === 'ingest') emit({ ...(await ingest(args)) });
    else if (mode === 'raw') emit({ ...(await raw(args)) });
    else throw new Error(`unknown mode ${String(mode)}`);
  } catch (error) {
    emit({ type: 'error', message: (error as Error).stack ?? String(error) });
    process.exitCode = 1;
  }
}

await main();
