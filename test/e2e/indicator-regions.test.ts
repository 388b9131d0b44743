/**
 * Library visibility across regions (role × scope): a Nanchang user sees Jiangxi's indicators
 * and Nanchang's own, never Jiujiang's; Jiangxi sees only its own; inherited entries are
 * read-only below; each API refuses other regions' tokens.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalRuntimes, type LocalRuntimes } from '../../infra/local/multi-region.ts';
import { manifests } from '../../services/registry.ts';
import { testEndpoint, uniquePrefix } from '../support/aws-env.ts';
import { eventually } from '../support/runtime.ts';

const JIANGXI = '360000';
const NANCHANG = '360100';
const JIUJIANG = '360400';
let regions: LocalRuntimes;
let home: string;
const ids: Record<string, string> = {};

const roles = ['unit', 'department', 'finance', 'supervisor'] as const;
const claimsFor = (role: (typeof roles)[number]) => ({ role, ...(role === 'unit' ? { department: 'D01', unit: 'U01' } : role === 'department' ? { department: 'D01' } : {}) });

async function call(code: string, method: string, path: string, token: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${regions.runtime(code).apiUrl}${path}`, {
    method,
    headers: { ...headers, authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as any) : undefined };
}

const token = (code: string, role: (typeof roles)[number]) => regions.runtime(code).token(claimsFor(role));

async function publishIn(code: string, name: string): Promise<string> {
  const finance = await token(code, 'finance');
  const created = await call(code, 'POST', '/v1/indicators', finance, { name, level1: 'output', level2: 'quantity', operator: 'gte', unit: '个', scope: 'common', spendingTypes: ['project'] });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const published = await call(code, 'POST', `/v1/indicators/${created.body.id}/publish`, finance, undefined, { 'if-match': created.headers.get('etag') as string });
  expect(published.status).toBe(200);
  return created.body.id as string;
}

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'jixiao-regions-'));
  regions = await startLocalRuntimes({
    regionCodes: [JIANGXI, NANCHANG, JIUJIANG],
    home,
    inMemory: true,
    port: 0,
    dynamodbEndpoint: testEndpoint(),
    tablePrefix: uniquePrefix(),
    manifests: manifests.filter((m) => m.name === 'platform' || m.name === 'indicators'),
    warm: false,
    retry: { baseDelayMs: 20, maxDelayMs: 200 },
    streamPollIntervalMs: 50,
    logLevel: 'SILENT',
  });
  ids.province = await publishIn(JIANGXI, '省级共性指标');
  ids.nanchang = await publishIn(NANCHANG, '南昌本级指标');
  ids.jiujiang = await publishIn(JIUJIANG, '九江本级指标');
  // The province's indicator reaches both cities' libraries.
  for (const city of [NANCHANG, JIUJIANG]) {
    const finance = await token(city, 'finance');
    await eventually(async () => ((await call(city, 'GET', `/v1/indicators/${ids.province}`, finance)).status === 200 ? true : undefined), 10_000, 100);
  }
}, 120_000);

afterAll(async () => {
  await regions?.stop();
  rmSync(home, { recursive: true, force: true });
});

async function visibleNames(code: string, role: (typeof roles)[number]): Promise<string[]> {
  const r = await call(code, 'GET', '/v1/indicators?status=published&limit=100', await token(code, role));
  expect(r.status).toBe(200);
  return r.body.items.map((i: { name: string }) => i.name).sort();
}

describe('library visibility by region and role', () => {
  it.each(roles)('a Nanchang %s sees Jiangxi’s indicators and Nanchang’s own, never Jiujiang’s', async (role) => {
    expect(await visibleNames(NANCHANG, role)).toEqual(['南昌本级指标', '省级共性指标']);
    expect((await call(NANCHANG, 'GET', `/v1/indicators/${ids.jiujiang}`, await token(NANCHANG, role))).status).toBe(404);
  });

  it.each(roles)('a Jiujiang %s sees Jiangxi’s and its own, never Nanchang’s', async (role) => {
    expect(await visibleNames(JIUJIANG, role)).toEqual(['九江本级指标', '省级共性指标']);
  });

  it.each(roles)('a Jiangxi %s sees only the province library', async (role) => {
    expect(await visibleNames(JIANGXI, role)).toEqual(['省级共性指标']);
  });

  it('marks the province indicator as inherited in a city, with its owning region', async () => {
    const r = await call(NANCHANG, 'GET', `/v1/indicators/${ids.province}`, await token(NANCHANG, 'unit'));
    expect(r.body).toMatchObject({ region: JIANGXI, inherited: true, status: 'published', revision: 1 });
  });

  it('refuses a city finance user changing the province indicator (403 naming the owner)', async () => {
    const finance = await token(NANCHANG, 'finance');
    const current = await call(NANCHANG, 'GET', `/v1/indicators/${ids.province}`, finance);
    const r = await call(NANCHANG, 'POST', `/v1/indicators/${ids.province}/retire`, finance, { reason: 'x' }, { 'if-match': current.headers.get('etag') as string });
    expect(r.status).toBe(403);
    expect(r.body.detail).toMatch(/360000/);
  });

  it.each(roles)('refuses a %s token of another region on each API', async (role) => {
    const nanchangToken = await token(NANCHANG, role);
    expect((await call(JIANGXI, 'GET', '/v1/indicators', nanchangToken)).status).toBe(403);
    expect((await call(JIUJIANG, 'GET', '/v1/indicators', nanchangToken)).status).toBe(403);
  });

  it('teaches a city the sector of a province indicator, so it can use it too', async () => {
    const financeJx = await token(JIANGXI, 'finance');
    await call(JIANGXI, 'PUT', '/v1/indicators/sectors/transport', financeJx, { label: '交通运输' });
    const created = await call(JIANGXI, 'POST', '/v1/indicators', financeJx, { name: '农村公路里程', level1: 'output', level2: 'quantity', operator: 'gte', unit: '公里', scope: 'individual', sector: 'transport', spendingTypes: ['project'] });
    await call(JIANGXI, 'POST', `/v1/indicators/${created.body.id}/publish`, financeJx, undefined, { 'if-match': created.headers.get('etag') as string });
    const unit = await token(NANCHANG, 'unit');
    const sectors = await eventually(async () => {
      const r = await call(NANCHANG, 'GET', '/v1/indicators/sectors', unit);
      return r.body.items.some((s: { code: string }) => s.code === 'transport') ? r.body.items : undefined;
    }, 10_000, 100);
    expect(sectors).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'transport', label: '交通运输' })]));
  });

  it('passes a province revision down to the cities as a new revision', async () => {
    const finance = await token(JIANGXI, 'finance');
    const current = await call(JIANGXI, 'GET', `/v1/indicators/${ids.province}`, finance);
    const revised = await call(JIANGXI, 'POST', `/v1/indicators/${ids.province}/revisions`, finance, { changes: { name: '省级共性指标（修订）' }, reason: '口径调整' }, { 'if-match': current.headers.get('etag') as string });
    expect(revised.status).toBe(201);
    const unit = await token(NANCHANG, 'unit');
    const copy = await eventually(async () => {
      const r = await call(NANCHANG, 'GET', `/v1/indicators/${ids.province}`, unit);
      return r.body.revision === 2 ? r.body : undefined;
    }, 10_000, 100);
    expect(copy).toMatchObject({ name: '省级共性指标（修订）', inherited: true });
    expect((await call(NANCHANG, 'GET', `/v1/indicators/${ids.province}/revisions/1`, unit)).body.name).toBe('省级共性指标');
  });
});
