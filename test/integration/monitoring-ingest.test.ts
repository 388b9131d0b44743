/**
 * Execution data ingestion on real DynamoDB Local: the API (the unchanged route implementations
 * behind the shared API handler, in-process) accepts batches, the ingester consumer (the
 * unchanged handler, given a genuine EventBridge envelope built from the outbox item the API's
 * transaction wrote) stores them. 50,000 rows complete with exact totals per object and month;
 * re-sending changes nothing; bad rows are each reported and nothing is written; partial=true
 * ingests the good ones; crashes at any point and redeliveries count every row once.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { EventBridgeEvent } from 'aws-lambda';
import { startDynamoDbLocal, type DynamoDbLocal } from '../../infra/local/dynamodb-local.ts';
import monitoring from '../../services/monitoring/service.ts';
import { documentClient } from '../../shared/clients/dynamodb.ts';
import { financeClaims, lambdaContext, unitClaims } from '../support/api-event.ts';
import { CSV_HEADER, csvBatch, expectedTotals, objectIdAt, rowAt } from '../support/execution-batch.ts';
import { inProcessApi, type InProcessApi } from '../support/in-process-api.ts';


// Tens of thousands of writes: an engine of its own, so the run's shared DynamoDB Local is not
// slowed for every other test file meanwhile.
let engine: DynamoDbLocal | undefined;
afterAll(async () => engine?.stop());

let api: InProcessApi;
let handler: (event: EventBridgeEvent<string, unknown>, context: unknown) => Promise<void>;
let store: typeof import('../../services/monitoring/store/execution-batches.ts');
let executionTotals: typeof import('../../services/monitoring/store/execution-totals.ts');
let ingest: typeof import('../../services/monitoring/jobs/ingest-batch.ts');
let submit: typeof import('../../services/monitoring/jobs/submit-batch.ts');

const YEAR = 2027;
const OBJECTS = 300;
const BIG = 50_000;

beforeAll(async () => {
  engine = await startDynamoDbLocal({});
  api = await inProcessApi({ service: 'monitoring', table: monitoring.table!, handlerModule: '../../services/monitoring/handlers/api.ts', endpoint: engine.endpoint });
  process.env.AWS_LAMBDA_FUNCTION_NAME = 'monitoring-ingester';
  ({ handler } = (await import('../../services/monitoring/handlers/ingester.ts')) as unknown as { handler: typeof handler });
  store = await import('../../services/monitoring/store/execution-batches.ts');
  executionTotals = await import('../../services/monitoring/store/execution-totals.ts');
  ingest = await import('../../services/monitoring/jobs/ingest-batch.ts');
  submit = await import('../../services/monitoring/jobs/submit-batch.ts');
  captureOutbox();
});

// ---------- helpers ----------

const post = (body: unknown, query?: Record<string, string>, claims: Record<string, string> = financeClaims) =>
  api.call({ method: 'POST', route: '/v1/monitoring/execution-batches', body, ...(query ? { query } : {}), claims });

async function job(batchId: string) {
  const r = await api.call({ method: 'GET', route: '/v1/monitoring/execution-batches/{batchId}', params: { batchId }, claims: financeClaims });
  expect(r.status, r.text.slice(0, 300)).toBe(200);
  return r.body;
}

/** Outbox items the API's transactions wrote, by the batch id in their detail (captured on the shared document client). */
const outboxItems = new Map<string, Record<string, unknown>[]>();

function captureOutbox(): void {
  documentClient().middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      if (context.commandName === 'TransactWriteItemsCommand') {
        const actions = ((args.input as { TransactItems?: { Put?: { Item?: Record<string, unknown> } }[] }).TransactItems ?? []).map((a) => a.Put?.Item);
        for (const item of actions) {
          if (item?.kind !== 'outbox') continue;
          const batchId = (JSON.parse(String(item.detail)) as { data: { batchId?: string } }).data.batchId ?? '-';
          outboxItems.set(batchId, [...(outboxItems.get(batchId) ?? []), item]);
        }
      }
      return result;
    },
    { step: 'initialize', name: 'testOutboxCapture' },
  );
}

/** The genuine envelope EventBridge delivers for the batch's outbox item (a fresh envelope id each time). */
async function queuedEvent(batchId: string): Promise<EventBridgeEvent<string, unknown>> {
  const items = outboxItems.get(batchId) ?? [];
  expect(items, `one ExecutionBatchQueued for ${batchId}`).toHaveLength(1);
  const written = items[0] as { pk: string; sk: string };
  const outbox = (await getItem(written.pk, written.sk)) as { source: string; detailType: string; detail: string; createdAt: string };
  expect(outbox.detailType).toBe('ExecutionBatchQueued');
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': outbox.detailType,
    source: outbox.source,
    account: '000000000000',
    time: outbox.createdAt.replace(/\.\d{3}Z$/, 'Z'),
    region: 'cn-northwest-1',
    resources: [],
    detail: JSON.parse(outbox.detail),
  };
}

const deliver = (event: EventBridgeEvent<string, unknown>) => handler(structuredClone({ ...event, id: randomUUID() }), lambdaContext('monitoring-ingester'));

async function countRows(batchId: string): Promise<number> {
  let count = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await documentClient().send(
      new QueryCommand({
        TableName: api.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :row)',
        ExpressionAttributeValues: { ':pk': `EXECBATCH#${batchId}`, ':row': 'ROW#' },
        Select: 'COUNT',
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    count += page.Count ?? 0;
    start = page.LastEvaluatedKey;
  } while (start);
  return count;
}

const getItem = async (pk: string, sk: string) => (await documentClient().send(new GetCommand({ TableName: api.tableName, Key: { pk, sk }, ConsistentRead: true }))).Item;

/** Everything a batch changed: its job, its claim, its rows (count), every object's totals, its outbox events. */
async function snapshot(batchId: string, sourceBatchId: string, objects: number) {
  const totals = [];
  for (let k = 0; k < objects; k++) totals.push(await getItem(`EXEC#${objectIdAt(k)}`, 'TOTAL'));
  return { meta: await getItem(`EXECBATCH#${batchId}`, 'META'), claim: await getItem(`EXECSRC#${sourceBatchId}`, 'CLAIM'), rows: await countRows(batchId), totals, events: outboxItems.get(batchId)?.length };
}

const WRITES = ['PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand', 'BatchWriteItemCommand', 'TransactWriteItemsCommand'];

/** Every object's stored months equal the expected fen, summed over the given batches' contributions. */
async function expectTotals(expected: Map<string, Map<number, number>>) {
  for (const [objectId, months] of expected) {
    const stored = await executionTotals.getExecutedByMonth(objectId);
    const want = [...months].sort(([a], [b]) => a - b).map(([m, fen]) => ({ month: `${Math.floor(m / 100)}-${String(m % 100).padStart(2, '0')}`, fen, wan: fen / 1_000_000 }));
    expect(stored.months, objectId).toEqual(want);
  }
}

const csvBody = (sourceBatchId: string, content: string) => ({ format: 'csv', sourceBatchId, fiscalYear: YEAR, content });

const events = { actor: { sub: 'finance-1', role: 'finance' as const, region: '360000' }, region: '360000', correlationId: 'test-correlation' };

// ---------- the big batch ----------

describe('a 50,000-row batch', () => {
  const content = csvBatch(BIG, YEAR, OBJECTS);
  const source = 'GK-2027-08-A';
  let batchId: string;
  let event: EventBridgeEvent<string, unknown>;

  it('is queued (202), then ingested by the ingester with progress readable while it runs', { timeout: 300_000 }, async () => {
    const r = await post(csvBody(source, content));
    expect(r.status, r.text.slice(0, 500)).toBe(202);
    batchId = r.body.batchId;
    expect(r.body).toMatchObject({ status: 'queued', mode: 'queued', total: BIG, processed: 0, ingested: 0, failedRows: 0, failed: [], sourceBatchId: source, fiscalYear: YEAR });
    expect(r.body.chunks).toBeGreaterThan(5);
    expect(r.headers.location).toBe(`/v1/monitoring/execution-batches/${batchId}`);
    expect(await countRows(batchId)).toBe(0);

    event = await queuedEvent(batchId);
    let finished = false;
    const running = deliver(event).then(
      () => undefined,
      (error: unknown) => error,
    );
    void running.finally(() => {
      finished = true;
    });
    const seen: { status: string; processed: number }[] = [];
    while (!finished) {
      const j = await job(batchId);
      seen.push({ status: j.status, processed: j.processed });
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(await running).toBeUndefined();

    const midway = seen.filter((s) => s.status === 'running' && s.processed > 0 && s.processed < BIG);
    expect(midway.length, JSON.stringify(seen.slice(0, 20))).toBeGreaterThan(2);
    const processed = seen.map((s) => s.processed);
    expect(processed).toEqual([...processed].sort((a, b) => a - b));

    const done = await job(batchId);
    expect(done).toMatchObject({ status: 'done', total: BIG, processed: BIG, ingested: BIG, failedRows: 0, objects: OBJECTS });
    expect(done.finishedAt).toBeDefined();
    expect(await countRows(batchId)).toBe(BIG);
  });

  it('stores each row for audit with its line and fields', async () => {
    const first = rowAt(0, YEAR, OBJECTS);
    expect(await getItem(`EXECBATCH#${batchId}`, 'ROW#0000002')).toEqual({
      pk: `EXECBATCH#${batchId}`,
      sk: 'ROW#0000002',
      kind: 'exec-row',
      line: 2,
      objectId: first.objectId,
      date: first.date,
      month: first.month,
      amountYuan: first.fen / 100,
      amountFen: first.fen,
      voucher: first.voucher,
    });
    const last = rowAt(BIG - 1, YEAR, OBJECTS);
    expect(await getItem(`EXECBATCH#${batchId}`, `ROW#${String(BIG + 1).padStart(7, '0')}`)).toMatchObject({ line: BIG + 1, voucher: last.voucher, economicClass: last.economicClass });
  });

  it('is reflected in the dashboard of a window over these objects: the treasury figures, through the window', async () => {
    const monitoringStore = await import('../../services/monitoring/store/objects.ts');
    const { default: example } = await import('../../events/examples/TargetApproved.v1.json', { with: { type: 'json' } });
    const ids = [0, 1, 2].map(objectIdAt);
    for (const id of ids) {
      const snapshot = structuredClone(example.data.snapshot) as unknown as Parameters<typeof monitoringStore.putBaseline>[0];
      snapshot.object = { ...snapshot.object, id, fiscalYear: YEAR, department: 'D-EXEC' };
      expect(await monitoringStore.putBaseline({ ...snapshot, receivedAt: new Date().toISOString() })).toBe(true);
    }
    const window = await api.call({ method: 'POST', route: '/v1/monitoring/windows', body: { fiscalYear: YEAR, throughMonth: 7, dueDate: '2027-08-10', scope: { kind: 'key', objectIds: ids } }, claims: financeClaims });
    expect(window.status, window.text.slice(0, 300)).toBe(201);
    const dashboard = await api.call({ method: 'GET', route: '/v1/monitoring/dashboards/windows/{id}', params: { id: window.body.id }, query: { department: 'D-EXEC', format: 'csv' }, claims: financeClaims });
    expect(dashboard.status, dashboard.text.slice(0, 300)).toBe(200);
    const expected = expectedTotals(BIG, YEAR, OBJECTS);
    for (const id of ids) {
      const fen = [...(expected.get(id) ?? [])].filter(([m]) => m <= YEAR * 100 + 7).reduce((sum, [, f]) => sum + f, 0);
      const line = dashboard.text.split('\r\n').find((l) => l.startsWith(id)) as string;
      expect(line, id).toContain(',treasury,');
      // The dashboard shows 万元 to 4 decimals (1 yuan).
      expect(line).toContain(`,${Math.round(fen / 100) / 10_000},`);
    }
  });

  it('has exact totals per object and month, through any month', { timeout: 120_000 }, async () => {
    const expected = expectedTotals(BIG, YEAR, OBJECTS);
    await expectTotals(expected);
    const ids = [...expected.keys(), 'obj_nodataatall00'];
    const through7 = await executionTotals.getExecutedWan(ids, YEAR, 7);
    for (const [objectId, months] of expected) {
      const fen = [...months].filter(([m]) => m <= YEAR * 100 + 7).reduce((s, [, f]) => s + f, 0);
      expect(through7.get(objectId), objectId).toBeCloseTo(fen / 1_000_000, 9);
    }
    expect(through7.has('obj_nodataatall00')).toBe(false);
    expect((await executionTotals.getExecutedWan([objectIdAt(0)], YEAR + 1, 12)).get(objectIdAt(0))).toBe(0);
    const byMonth = await executionTotals.getExecutedByMonth(objectIdAt(0));
    expect(byMonth).toMatchObject({ objectId: objectIdAt(0), fiscalYear: YEAR, batches: 1 });
  });

  it('re-sent with the same source batch id returns the existing job and changes nothing; other content is 409', { timeout: 120_000 }, async () => {
    const before = await snapshot(batchId, source, OBJECTS);
    api.clear();
    const again = await post(csvBody(source, content));
    expect(again.status).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toMatchObject({ batchId, status: 'done', ingested: BIG });

    const changed = content.replace(',GK2027-0-0000001,', ',GK2027-0-0000001X,');
    expect(changed).not.toBe(content);
    const conflict = await post(csvBody(source, changed));
    expect(conflict.status).toBe(409);
    expect(conflict.body).toMatchObject({ status: 409, errors: [{ field: 'body.sourceBatchId' }] });
    expect(api.commands.filter((c) => WRITES.includes(c))).toEqual([]);
    expect(await snapshot(batchId, source, OBJECTS)).toEqual(before);
  });

  it('redelivered ExecutionBatchQueued does not double anything', { timeout: 120_000 }, async () => {
    const before = await snapshot(batchId, source, OBJECTS);
    await deliver(event);
    expect(await ingest.ingestQueuedBatch(batchId)).toBe('skipped');
    expect(await snapshot(batchId, source, OBJECTS)).toEqual(before);
  });
});

// ---------- bad rows ----------

describe('bad rows', () => {
  const ROWS = 1_200;
  const source = 'GK-2027-08-B';
  const seed = 2;
  // Lines 2 + i: four rows broken in four ways.
  const broken = new Map<number, (line: string) => string>([
    [10, (l) => l.replace(/,(-?\d+)\.(\d\d),/, ',$1.$25,')], // 3 decimals
    [200, (l) => l.replace(/,2027-(\d\d)-(\d\d),/, ',2026-$1-$2,')], // outside the fiscal year
    [640, (l) => l.replace(/,(GK[^,]+),/, ',,')], // no voucher
    [1_100, (l) => l.replace(/,2027-(\d\d)-(\d\d),/, ',2027-02-30,')], // not a date
  ]);
  const lines = csvBatch(ROWS, YEAR, 40, seed).split('\r\n');
  for (const [i, fix] of broken) lines[i + 1] = fix(lines[i + 1] as string);
  const content = lines.join('\r\n');

  it('are each reported with line and reason, and nothing is written', async () => {
    api.clear();
    const r = await post(csvBody(source, content));
    expect(r.status, r.text.slice(0, 300)).toBe(422);
    expect(r.body.failedRows).toBe(4);
    expect(r.body.rows).toEqual([
      { line: 12, field: 'amountYuan', reason: expect.stringContaining('has more than 2 decimals') },
      { line: 202, field: 'date', reason: expect.stringMatching(/^2026-\d\d-\d\d is outside fiscal year 2027$/) },
      { line: 642, field: 'voucher', reason: 'is required but empty' },
      { line: 1102, field: 'date', reason: '"2027-02-30" is not a calendar date' },
    ]);
    expect(r.body.errors[0]).toMatchObject({ field: 'line 12: amountYuan' });
    expect(api.commands).toEqual(['GetItemCommand']); // the source claim: nothing else read, nothing written
    expect(await getItem(`EXECSRC#${source}`, 'CLAIM')).toBeUndefined();
  });

  it('with partial=true, the good ones are ingested and the bad ones listed on the job', { timeout: 120_000 }, async () => {
    const r = await post(csvBody(source, content), { partial: 'true' });
    expect(r.status, r.text.slice(0, 300)).toBe(202);
    expect(r.body).toMatchObject({ status: 'queued', partial: true, total: ROWS, failedRows: 4, processed: 4 });
    expect(r.body.failed.map((f: { line: number }) => f.line)).toEqual([12, 202, 642, 1102]);
    await deliver(await queuedEvent(r.body.batchId));
    expect(await job(r.body.batchId)).toMatchObject({ status: 'done', total: ROWS, processed: ROWS, ingested: ROWS - 4, failedRows: 4 });
    expect(await countRows(r.body.batchId)).toBe(ROWS - 4);
    expect(await getItem(`EXECBATCH#${r.body.batchId}`, 'ROW#0000012')).toBeUndefined();
    // Objects 0..39 of this seed's extract also hold the 50,000-row batch: add both.
    const big = expectedTotals(BIG, YEAR, OBJECTS);
    const mine = expectedTotals(ROWS, YEAR, 40, seed, new Set(broken.keys()));
    for (const [objectId, months] of mine) {
      const sum = new Map(big.get(objectId));
      for (const [m, fen] of months) sum.set(m, (sum.get(m) ?? 0) + fen);
      big.set(objectId, sum);
    }
    await expectTotals(new Map([...big].filter(([id]) => mine.has(id))));
  });

  it('refuses a file it cannot read, whatever partial says', async () => {
    const r = await post(csvBody('GK-2027-08-C', `${CSV_HEADER.replace('voucher', 'voucherNo')}\r\n${lines[1]}\r\n`), { partial: 'true' });
    expect(r.status).toBe(422);
    expect(r.body.rows).toEqual([
      { line: 1, field: 'voucherNo', reason: expect.stringContaining('is not a known column') },
      { line: 1, field: 'voucher', reason: 'the column is missing from the header; every row needs it' },
    ]);
  });
});

// ---------- small JSON batches: ingested during the request ----------

describe('a small JSON batch', () => {
  const objectId = 'obj_smalljsonbatch01';
  const rows = [
    { objectId, date: '2027-03-15', amountYuan: 1000.5, voucher: 'PZ-1' },
    { objectId, date: '2027-03-16', amountYuan: '-0.50', voucher: 'PZ-2', economicClass: '30201' },
    { objectId, date: '2027-13-01', amountYuan: 1, voucher: 'PZ-3' },
    { objectId, date: '2027-04-01', amountYuan: 20, voucher: 'PZ-4' },
    { objectId: 'OBJ_X', date: '2027-04-01', amountYuan: 1, voucher: '' },
  ];
  const body = { format: 'json', sourceBatchId: 'ACC-2027-0415', fiscalYear: YEAR, rows };

  it('reports bad rows by their index', async () => {
    const r = await post(body);
    expect(r.status).toBe(422);
    expect(r.body.rows).toEqual([
      { line: 3, field: 'date', reason: '"2027-13-01" is not a calendar date' },
      { line: 5, field: 'objectId', reason: expect.stringContaining('is not a spending object id') },
      { line: 5, field: 'voucher', reason: 'is required but empty' },
    ]);
  });

  it('with partial=true is ingested during the request (200, done)', async () => {
    const r = await post(body, { partial: 'true' });
    expect(r.status, r.text.slice(0, 300)).toBe(200);
    expect(r.body).toMatchObject({ mode: 'sync', status: 'done', total: 5, processed: 5, ingested: 3, failedRows: 2, objects: 1, chunks: 0 });
    expect(await executionTotals.getExecutedByMonth(objectId)).toEqual({
      objectId,
      fiscalYear: YEAR,
      batches: 1,
      months: [
        { month: '2027-03', fen: 100_000, wan: 0.1 },
        { month: '2027-04', fen: 2_000, wan: 0.002 },
      ],
    });
    expect((await executionTotals.getExecutedWan([objectId], YEAR, 3)).get(objectId)).toBe(0.1);
  });

  it('whose request died is finished by sending it again, counted once', async () => {
    const id = 'obj_smalljsonbatch02';
    const crashing = { ...body, sourceBatchId: 'ACC-2027-0416', rows: [{ objectId: id, date: '2027-05-01', amountYuan: 7, voucher: 'PZ-1' }, { objectId: id, date: '2027-05-02', amountYuan: 3, voucher: 'PZ-2' }] };
    const fail = vi.spyOn(store, 'finishBatch').mockRejectedValueOnce(new Error('Lambda died'));
    const first = await post(crashing);
    fail.mockRestore();
    expect(first.status).toBe(500);
    const again = await post(crashing);
    expect(again.status, again.text.slice(0, 300)).toBe(200);
    expect(again.body).toMatchObject({ status: 'done', ingested: 2 });
    expect((await executionTotals.getExecutedByMonth(id)).months).toEqual([{ month: '2027-05', fen: 1_000, wan: 0.001 }]);
  });
});

// ---------- crashes and redeliveries ----------

describe('a queued batch whose ingester crashes', () => {
  const ROWS = 3_000;
  const OBJ = 25;

  async function queue(seed: number) {
    const content = csvBatch(ROWS, YEAR, OBJ, seed).replaceAll('obj_exec', `obj_crash${seed}`);
    const r = await submit.submitBatch({ request: { format: 'csv', sourceBatchId: `GK-CRASH-${seed}`, fiscalYear: YEAR, content }, partial: false, events, chunkBytes: 20_000 });
    expect(r.status).toBe(202);
    expect(r.job.chunks).toBeGreaterThanOrEqual(8);
    const expected = new Map([...expectedTotals(ROWS, YEAR, OBJ, seed)].map(([id, months]) => [id.replace('obj_exec', `obj_crash${seed}`), months]));
    return { batchId: r.job.batchId, event: await queuedEvent(r.job.batchId), expected };
  }

  it('while writing rows resumes after the last stored chunk, writing no chunk twice', { timeout: 120_000 }, async () => {
    const { batchId, event, expected } = await queue(11);
    let calls = 0;
    const original = store.writeRows;
    const writes = vi.spyOn(store, 'writeRows').mockImplementation(async (...args) => {
      if (++calls === 50) throw new Error('Lambda died');
      return original(...args);
    });
    await expect(deliver(event)).rejects.toThrow('Lambda died');
    writes.mockRestore();
    const crashed = await job(batchId);
    expect(crashed.status).toBe('running');
    const checkpoint = (await getItem(`EXECBATCH#${batchId}`, 'META'))?.chunksDone as number;
    expect(checkpoint).toBeGreaterThan(0);

    const resumed = vi.spyOn(store, 'writeRows');
    await deliver(event);
    const rewritten = resumed.mock.calls.reduce((n, [, rows]) => n + rows.length, 0);
    resumed.mockRestore();
    expect(rewritten).toBeLessThan(ROWS);
    expect(await job(batchId)).toMatchObject({ status: 'done', processed: ROWS, ingested: ROWS, objects: OBJ });
    expect(await countRows(batchId)).toBe(ROWS);
    await expectTotals(expected);
  });

  it('while applying totals, or before closing the job, counts no object twice', { timeout: 120_000 }, async () => {
    const { batchId, event, expected } = await queue(12);
    let applied = 0;
    const original = executionTotals.applyObjectTotals;
    const totals = vi.spyOn(executionTotals, 'applyObjectTotals').mockImplementation(async (...args) => {
      if (++applied > 10) throw new Error('Lambda died');
      return original(...args);
    });
    await expect(deliver(event)).rejects.toThrow('Lambda died');
    totals.mockRestore();

    const finish = vi.spyOn(store, 'finishBatch').mockRejectedValueOnce(new Error('Lambda died again'));
    await expect(deliver(event)).rejects.toThrow('Lambda died again');
    finish.mockRestore();
    expect((await job(batchId)).status).toBe('running');

    await deliver(event);
    await deliver(event);
    expect(await job(batchId)).toMatchObject({ status: 'done', ingested: ROWS, objects: OBJ });
    await expectTotals(expected);
    expect((await executionTotals.getExecutedByMonth(`obj_crash12${'0'.repeat(8)}`)).batches).toBe(1);
  });
});

describe('access', () => {
  it('is for finance only, and an unknown batch is 404', async () => {
    const r = await post({ format: 'json', sourceBatchId: 'X1', fiscalYear: YEAR, rows: [{}] }, undefined, unitClaims);
    expect(r.status).toBe(403);
    const missing = await api.call({ method: 'GET', route: '/v1/monitoring/execution-batches/{batchId}', params: { batchId: 'exb_0000000000000000' }, claims: financeClaims });
    expect(missing.status).toBe(404);
  });
});
