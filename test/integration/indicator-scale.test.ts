/**
 * 10,000 indicators: imported, then listed page by page by every filter with cursors. Every
 * request's DynamoDB commands are recorded: no request path scans the table.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import indicators from '../../services/indicators/service.ts';
import { financeClaims, unitClaims } from '../support/api-event.ts';
import { inProcessApi, type InProcessApi } from '../support/in-process-api.ts';
import { startDynamoDbLocal, type DynamoDbLocal } from '../../infra/local/dynamodb-local.ts';

// Thousands of transactional writes: an engine of its own, so the run's shared DynamoDB Local
// (which serialises transactions) does not slow every other test file meanwhile.
let engine: DynamoDbLocal | undefined;
afterAll(async () => engine?.stop());

const COUNT = 10_000;
const LEVELS = [
  ['output', 'quantity'],
  ['cost', 'economic_cost'],
  ['benefit', 'social_benefit'],
  ['satisfaction', 'service_satisfaction'],
] as const;
const SECTORS = ['education', 'health', 'agriculture', 'transport', 'culture'];

let api: InProcessApi;

function row(n: number) {
  const [level1, level2] = LEVELS[n % 4] as readonly [string, string];
  const individual = n % 3 === 0;
  // No code: each row is then two writes (indicator + audit entry), which keeps this test light.
  return {
    name: `指标${n}${n % 10 === 0 ? '培训' : ''}`,
    level1,
    level2,
    operator: 'gte',
    unit: '个',
    scope: individual ? 'individual' : 'common',
    ...(individual ? { sector: SECTORS[n % SECTORS.length] } : {}),
    spendingTypes: n % 2 ? ['project'] : ['project', 'transfer_payment'],
  };
}
const rows = Array.from({ length: COUNT }, (_, n) => row(n));

beforeAll(async () => {
  engine = await startDynamoDbLocal({});
  api = await inProcessApi({ service: 'indicators', table: indicators.table!, handlerModule: '../../services/indicators/handlers/api.ts', endpoint: engine.endpoint });
  for (const code of SECTORS) await api.call({ method: 'PUT', route: '/v1/indicators/sectors/{code}', params: { code }, body: { label: code }, claims: financeClaims });
  // Large imports are queued; in this process the importer's work is done by calling it directly.
  const { processChunk } = await import('../../services/indicators/jobs/import.ts');
  for (let i = 0; i < COUNT; i += 2000) {
    const r = await api.call({ method: 'POST', route: '/v1/indicators/imports', body: { format: 'json', publish: false, indicators: rows.slice(i, i + 2000) }, claims: financeClaims });
    expect(r.status, r.text.slice(0, 500)).toBe(202);
    await Promise.all(Array.from({ length: r.body.chunks as number }, (_, c) => processChunk(r.body.jobId, c + 1, '360000')));
    const job = await api.call({ method: 'GET', route: '/v1/indicators/imports/{jobId}', params: { jobId: r.body.jobId }, claims: financeClaims });
    expect(job.body).toMatchObject({ status: 'done', imported: Math.min(2000, COUNT - i) });
  }
}, 300_000);

async function listAll(query: Record<string, string>, claims = financeClaims) {
  const seen: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const r = await api.call({ method: 'GET', route: '/v1/indicators', query: { ...query, limit: '100', ...(cursor ? { cursor } : {}) }, claims });
    expect(r.status, r.text.slice(0, 300)).toBe(200);
    expect(r.body.items.length).toBeLessThanOrEqual(100);
    seen.push(...r.body.items.map((i: { name: string }) => i.name));
    cursor = r.body.nextCursor;
    pages++;
  } while (cursor);
  return { seen, pages };
}

const expected = (predicate: (r: ReturnType<typeof row>) => boolean) => rows.filter(predicate).map((r) => r.name).sort();

describe('10,000 indicators, page by page, by filter', () => {
  it.each([
    ['level1', { level1: 'cost' }, (r: ReturnType<typeof row>) => r.level1 === 'cost'],
    ['level2 + scope', { level2: 'quantity', scope: 'individual' }, (r: ReturnType<typeof row>) => r.level2 === 'quantity' && r.scope === 'individual'],
    ['sector', { sector: 'health' }, (r: ReturnType<typeof row>) => r.sector === 'health'],
    ['spending type + level1', { spendingType: 'transfer_payment', level1: 'benefit' }, (r: ReturnType<typeof row>) => r.spendingTypes.includes('transfer_payment') && r.level1 === 'benefit'],
    ['text', { text: '培训', level1: 'output' }, (r: ReturnType<typeof row>) => r.name.includes('培训') && r.level1 === 'output'],
  ])('lists exactly the %s matches, each once, with no Scan', async (_name, query, predicate) => {
    api.clear();
    const { seen, pages } = await listAll(query);
    expect(seen.length).toBe(new Set(seen).size);
    expect([...seen].sort()).toEqual(expected(predicate));
    expect(pages).toBeGreaterThan(1);
    expect(api.commands).not.toContain('ScanCommand');
    expect(new Set(api.commands)).toEqual(new Set(['QueryCommand']));
  });

  it('lists the whole library newest first without a filter', async () => {
    const { seen } = await listAll({});
    expect(seen).toHaveLength(COUNT);
  });

  it('never scans on any read path a unit can reach', async () => {
    api.clear();
    const some = await api.call({ method: 'GET', route: '/v1/indicators', query: { limit: '1' }, claims: financeClaims });
    const id = some.body.items[0].id as string;
    await api.call({ method: 'GET', route: '/v1/indicators', query: { sector: 'health', limit: '50' }, claims: unitClaims });
    await api.call({ method: 'GET', route: '/v1/indicators/{id}', params: { id }, claims: unitClaims });
    await api.call({ method: 'GET', route: '/v1/indicators/{id}/revisions', params: { id }, claims: unitClaims });
    await api.call({ method: 'GET', route: '/v1/indicators/{id}/history', params: { id }, claims: unitClaims });
    await api.call({ method: 'GET', route: '/v1/indicators/sectors', claims: unitClaims });
    await api.call({ method: 'GET', route: '/v1/indicators/templates', claims: unitClaims });
    await api.call({ method: 'POST', route: '/v1/indicators/recommendations', body: { spendingType: 'project', sector: 'education', description: '培训' }, claims: unitClaims });
    await api.call({ method: 'GET', route: '/v1/indicators/export', query: { sector: 'culture', format: 'csv' }, claims: unitClaims });
    expect(api.commands.length).toBeGreaterThan(5);
    expect(api.commands.filter((c) => /Scan/.test(c))).toEqual([]);
  });
});
