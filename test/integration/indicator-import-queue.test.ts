/**
 * Large imports are queued in chunks and written by the importer; a chunk processed again (as
 * after a crash between writing its rows and marking it done) writes no row twice.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as store from '../../services/indicators/store/imports.ts';
import indicators from '../../services/indicators/service.ts';
import { financeClaims } from '../support/api-event.ts';
import { inProcessApi, type InProcessApi } from '../support/in-process-api.ts';
import { startDynamoDbLocal, type DynamoDbLocal } from '../../infra/local/dynamodb-local.ts';

// Thousands of transactional writes: an engine of its own, so the run's shared DynamoDB Local
// (which serialises transactions) does not slow every other test file meanwhile.
let engine: DynamoDbLocal | undefined;
afterAll(async () => engine?.stop());

let api: InProcessApi;
let processChunk: typeof import('../../services/indicators/jobs/import.ts').processChunk;
const ROWS = 650;

beforeAll(async () => {
  engine = await startDynamoDbLocal({});
  api = await inProcessApi({ service: 'indicators', table: indicators.table!, handlerModule: '../../services/indicators/handlers/api.ts', endpoint: engine.endpoint });
  ({ processChunk } = await import('../../services/indicators/jobs/import.ts'));
});

const rows = (prefix: string, withCodes: boolean) =>
  Array.from({ length: ROWS }, (_, n) => ({
    ...(withCodes ? { code: `Q${prefix.codePointAt(0)}-${n}` } : {}),
    name: `${prefix}指标${n}`,
    level1: 'output',
    level2: 'quantity',
    operator: 'gte',
    unit: '个',
    scope: 'common',
    spendingTypes: ['project'],
  }));

async function countNamed(prefix: string): Promise<number> {
  let total = 0;
  let cursor: string | undefined;
  do {
    const r = await api.call({ method: 'GET', route: '/v1/indicators', query: { text: `${prefix}指标`, limit: '100', ...(cursor ? { cursor } : {}) }, claims: financeClaims });
    total += r.body.items.length;
    cursor = r.body.nextCursor;
  } while (cursor);
  return total;
}

async function job(jobId: string) {
  return (await api.call({ method: 'GET', route: '/v1/indicators/imports/{jobId}', params: { jobId }, claims: financeClaims })).body;
}

describe('queued imports', () => {
  it('answers 202 with a running job, and the importer completes it chunk by chunk', async () => {
    const r = await api.call({ method: 'POST', route: '/v1/indicators/imports', body: { format: 'json', indicators: rows('甲', true) }, claims: financeClaims });
    expect(r.status, r.text.slice(0, 300)).toBe(202);
    expect(r.body).toMatchObject({ status: 'running', mode: 'queued', total: ROWS, processed: 0, chunks: 7 });
    expect(r.headers.location).toBe(`/v1/indicators/imports/${r.body.jobId}`);

    const seen: number[] = [];
    for (let chunk = 1; chunk <= 7; chunk++) {
      await processChunk(r.body.jobId, chunk, '360000');
      seen.push((await job(r.body.jobId)).processed);
    }
    expect(seen).toEqual([100, 200, 300, 400, 500, 600, 650]);
    expect(await job(r.body.jobId)).toMatchObject({ status: 'done', processed: ROWS, imported: ROWS, skipped: 0 });
    expect(await countNamed('甲')).toBe(ROWS);
  });

  it('writes no row twice when a chunk is processed again after a crash', async () => {
    const r = await api.call({ method: 'POST', route: '/v1/indicators/imports', body: { format: 'json', indicators: rows('乙', false) }, claims: financeClaims });
    const jobId = r.body.jobId as string;
    // The first attempt at chunk 2 writes its rows, then dies before marking the chunk done.
    const crash = vi.spyOn(store, 'completeImportChunk').mockRejectedValueOnce(new Error('Lambda died'));
    await expect(processChunk(jobId, 2, '360000')).rejects.toThrow('Lambda died');
    crash.mockRestore();
    for (let chunk = 1; chunk <= 7; chunk++) await processChunk(jobId, chunk, '360000');
    expect(await countNamed('乙')).toBe(ROWS);
    expect(await job(jobId)).toMatchObject({ status: 'done', processed: ROWS, imported: ROWS, skipped: 0 });
  });

  it('closes the job when its last chunk runs again after the run that wrote it died before closing', async () => {
    const r = await api.call({ method: 'POST', route: '/v1/indicators/imports', body: { format: 'json', indicators: rows('丁', true) }, claims: financeClaims });
    const jobId = r.body.jobId as string;
    for (let chunk = 1; chunk <= 6; chunk++) await processChunk(jobId, chunk, '360000');
    // The last chunk is written and marked done, then the store fails before the job is closed.
    const crash = vi.spyOn(store, 'finishImportJob').mockRejectedValueOnce(new Error('store unavailable'));
    await expect(processChunk(jobId, 7, '360000')).rejects.toThrow('store unavailable');
    crash.mockRestore();
    expect(await job(jobId)).toMatchObject({ status: 'running', processed: ROWS });
    await processChunk(jobId, 7, '360000');
    expect(await job(jobId)).toMatchObject({ status: 'done', processed: ROWS, imported: ROWS });
  });

  it('processes a chunk already done as a no-op', async () => {
    const r = await api.call({ method: 'POST', route: '/v1/indicators/imports', body: { format: 'json', indicators: rows('丙', true) }, claims: financeClaims });
    for (let chunk = 1; chunk <= 7; chunk++) await processChunk(r.body.jobId, chunk, '360000');
    await processChunk(r.body.jobId, 4, '360000');
    expect(await job(r.body.jobId)).toMatchObject({ status: 'done', processed: ROWS, imported: ROWS });
  });

  it('reports a queued import that has made no progress for 15 minutes as stalled', async () => {
    const r = await api.call({ method: 'POST', route: '/v1/indicators/imports', body: { format: 'json', indicators: rows('丁', false) }, claims: financeClaims });
    expect((await job(r.body.jobId)).stalled).toBeUndefined();
    const { UpdateCommand } = await import('@aws-sdk/lib-dynamodb');
    const { documentClient } = await import('../../shared/clients/dynamodb.ts');
    const longAgo = new Date(Date.now() - 20 * 60_000).toISOString();
    await documentClient().send(
      new UpdateCommand({ TableName: api.tableName, Key: { pk: `IMPORT#${r.body.jobId}`, sk: 'META' }, UpdateExpression: 'SET startedAt = :t', ExpressionAttributeValues: { ':t': longAgo } }),
    );
    expect(await job(r.body.jobId)).toMatchObject({ status: 'running', stalled: true });
  });
});
