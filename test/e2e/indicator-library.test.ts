/**
 * The "3+X" library over HTTP on the local runtime: finance creates, publishes, revises
 * (a new revision, the old one readable) and retires indicators and templates; units and
 * departments read and ask for recommendations, and every write they try is 403.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootRuntime, eventually, type TestRuntime } from '../support/runtime.ts';

let rt: TestRuntime;
let finance: string;
let unit: string;
let department: string;
let supervisor: string;

const base = { level1: 'output', level2: 'quantity', operator: 'gte', unit: '人', basis: 'plan', spendingTypes: ['project'] };

beforeAll(async () => {
  rt = await bootRuntime();
  finance = await rt.token({ role: 'finance', sub: 'finance-1' });
  unit = await rt.token({ role: 'unit', department: 'D01', unit: 'U0101', sub: 'unit-1' });
  department = await rt.token({ role: 'department', department: 'D01', sub: 'dept-1' });
  supervisor = await rt.token({ role: 'supervisor', sub: 'npc-1' });
  await rt.call('PUT', '/v1/indicators/sectors/education', { token: finance, body: { label: '教育' } });
});
afterAll(async () => rt?.stop());

async function created(body: Record<string, unknown>) {
  const r = await rt.call('POST', '/v1/indicators', { token: finance, body: { ...base, ...body } });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r;
}

async function published(body: Record<string, unknown>) {
  const c = await created(body);
  const p = await rt.call('POST', `/v1/indicators/${c.body.id}/publish`, { token: finance, headers: { 'if-match': c.headers.get('etag') as string } });
  expect(p.status, JSON.stringify(p.body)).toBe(200);
  return p;
}

describe('indicator lifecycle', () => {
  it('revises a published indicator into a new revision and keeps the old one readable', async () => {
    const p = await published({ name: '资助学生人数', scope: 'individual', sector: 'education' });
    const id = p.body.id as string;
    const revised = await rt.call('POST', `/v1/indicators/${id}/revisions`, {
      token: finance,
      headers: { 'if-match': p.headers.get('etag') as string },
      body: { changes: { name: '资助家庭经济困难学生人数' }, reason: '按新政策调整统计口径' },
    });
    expect(revised.status, JSON.stringify(revised.body)).toBe(201);
    expect(revised.body).toMatchObject({ revision: 2, status: 'published', name: '资助家庭经济困难学生人数', revisionReason: '按新政策调整统计口径', revisedBy: 'finance-1' });

    const first = await rt.call('GET', `/v1/indicators/${id}/revisions/1`, { token: unit });
    expect(first.body).toMatchObject({ revision: 1, name: '资助学生人数' });
    const all = await rt.call('GET', `/v1/indicators/${id}/revisions`, { token: unit });
    expect(all.body.items.map((r: { revision: number; reason?: string }) => [r.revision, r.reason])).toEqual([
      [1, undefined],
      [2, '按新政策调整统计口径'],
    ]);
  });

  it('retires an indicator with a reason; it stays readable', async () => {
    const p = await published({ name: '退役测试', scope: 'common' });
    const r = await rt.call('POST', `/v1/indicators/${p.body.id}/retire`, { token: finance, headers: { 'if-match': p.headers.get('etag') as string }, body: { reason: '政策到期' } });
    expect(r.body).toMatchObject({ status: 'retired', retirementReason: '政策到期' });
    expect((await rt.call('GET', `/v1/indicators/${p.body.id}`, { token: unit })).body.status).toBe('retired');
  });

  it('refuses to revise a draft, and to edit a published indicator', async () => {
    const c = await created({ name: '草稿', scope: 'common' });
    const revise = await rt.call('POST', `/v1/indicators/${c.body.id}/revisions`, { token: finance, headers: { 'if-match': c.headers.get('etag') as string }, body: { changes: { name: 'x' }, reason: 'y' } });
    expect(revise.status).toBe(409);
    const p = await published({ name: '已发布', scope: 'common' });
    const edit = await rt.call('PATCH', `/v1/indicators/${p.body.id}`, { token: finance, headers: { 'if-match': p.headers.get('etag') as string }, body: { name: 'x' } });
    expect(edit.status).toBe(409);
  });

  it('emits IndicatorRevised and IndicatorRetired into the timeline', async () => {
    const p = await published({ name: '事件测试', scope: 'common' });
    const revised = await rt.call('POST', `/v1/indicators/${p.body.id}/revisions`, { token: finance, headers: { 'if-match': p.headers.get('etag') as string }, body: { changes: { unit: '人次' }, reason: '口径' } });
    await rt.call('POST', `/v1/indicators/${p.body.id}/retire`, { token: finance, headers: { 'if-match': revised.headers.get('etag') as string }, body: { reason: '到期' } });
    const types = await eventually(async () => {
      const t = await rt.call('GET', `/v1/accountability/timeline/${p.body.id}`, { token: supervisor });
      return t.body.items.length === 3 ? t.body.items.map((e: { detailType: string }) => e.detailType) : undefined;
    }, 10_000);
    expect(types).toEqual(['IndicatorPublished', 'IndicatorRevised', 'IndicatorRetired']);
  });

  it('refuses an unknown sector, naming the field', async () => {
    const r = await rt.call('POST', '/v1/indicators', { token: finance, body: { ...base, name: 'x', scope: 'individual', sector: 'astrology' } });
    expect(r.status).toBe(400);
    expect(r.body.errors[0].field).toBe('body.sector');
  });

  it('refuses a second indicator with the same code', async () => {
    await created({ name: '编码一', scope: 'common', code: 'DUP-1' });
    const r = await rt.call('POST', '/v1/indicators', { token: finance, body: { ...base, name: '编码二', scope: 'common', code: 'DUP-1' } });
    expect(r.status).toBe(409);
    expect(r.body.errors[0].field).toBe('body.code');
  });
});

describe('templates', () => {
  it('creates, publishes, revises and retires a 3+X template covering all four level-1 categories', async () => {
    const ids = [
      (await published({ name: '培训人数', scope: 'common' })).body.id,
      (await published({ name: '人均成本', scope: 'common', level1: 'cost', level2: 'economic_cost', operator: 'lte', unit: '元' })).body.id,
      (await published({ name: '入学率提升', scope: 'common', level1: 'benefit', level2: 'social_benefit', unit: '%' })).body.id,
      (await published({ name: '学生满意度', scope: 'common', level1: 'satisfaction', level2: 'service_satisfaction', unit: '%' })).body.id,
      (await published({ name: '资助人数', scope: 'individual', sector: 'education' })).body.id,
    ];
    const c = await rt.call('POST', '/v1/indicators/templates', {
      token: finance,
      body: { name: '教育项目模板', spendingType: 'project', sector: 'education', fiscalYear: 2026, indicators: ids.map((indicatorId) => ({ indicatorId })) },
    });
    expect(c.status, JSON.stringify(c.body)).toBe(201);
    const p = await rt.call('POST', `/v1/indicators/templates/${c.body.id}/publish`, { token: finance, headers: { 'if-match': c.headers.get('etag') as string } });
    expect(p.body).toMatchObject({ status: 'published', revision: 1 });
    const r = await rt.call('POST', `/v1/indicators/templates/${c.body.id}/revisions`, {
      token: finance,
      headers: { 'if-match': p.headers.get('etag') as string },
      body: { changes: { description: '2026年修订' }, reason: '补充说明' },
    });
    expect(r.body).toMatchObject({ revision: 2, description: '2026年修订' });
    expect((await rt.call('GET', `/v1/indicators/templates/${c.body.id}/revisions/1`, { token: unit })).body.description).toBeUndefined();
    const retired = await rt.call('POST', `/v1/indicators/templates/${c.body.id}/retire`, { token: finance, headers: { 'if-match': r.headers.get('etag') as string }, body: { reason: '换新模板' } });
    expect(retired.body.status).toBe('retired');
  });

  it('refuses to publish a template missing a level-1 category, saying which', async () => {
    const only = (await published({ name: '只有产出', scope: 'common' })).body.id;
    const c = await rt.call('POST', '/v1/indicators/templates', { token: finance, body: { name: '不完整', spendingType: 'project', sector: 'education', fiscalYear: 2026, indicators: [{ indicatorId: only }] } });
    const p = await rt.call('POST', `/v1/indicators/templates/${c.body.id}/publish`, { token: finance, headers: { 'if-match': c.headers.get('etag') as string } });
    expect(p.status).toBe(409);
    expect(p.body.detail).toMatch(/cost, benefit, satisfaction/);
  });

  it('refuses a draft indicator in a template, naming the entry', async () => {
    const draft = (await created({ name: '草稿指标', scope: 'common' })).body.id;
    const r = await rt.call('POST', '/v1/indicators/templates', { token: finance, body: { name: 't', spendingType: 'project', sector: 'education', fiscalYear: 2026, indicators: [{ indicatorId: draft }] } });
    expect(r.status).toBe(400);
    expect(r.body.errors[0].field).toBe('body.indicators[0]');
  });
});

describe('who may do what', () => {
  it.each([
    ['unit', () => unit],
    ['department', () => department],
    ['supervisor', () => supervisor],
  ])('%s may read and ask for recommendations but every write is 403', async (_role, token) => {
    const p = await published({ name: `可读-${_role}`, scope: 'common' });
    expect((await rt.call('GET', `/v1/indicators/${p.body.id}`, { token: token() })).status).toBe(200);
    expect((await rt.call('GET', '/v1/indicators?limit=5', { token: token() })).status).toBe(200);
    expect((await rt.call('POST', '/v1/indicators/recommendations', { token: token(), body: { spendingType: 'project', sector: 'education', description: '学生资助' } })).status).toBe(200);
    const etag = { 'if-match': p.headers.get('etag') as string };
    const writes = await Promise.all([
      rt.call('POST', '/v1/indicators', { token: token(), body: { ...base, name: 'x', scope: 'common' } }),
      rt.call('PATCH', `/v1/indicators/${p.body.id}`, { token: token(), headers: etag, body: { name: 'x' } }),
      rt.call('POST', `/v1/indicators/${p.body.id}/publish`, { token: token(), headers: etag }),
      rt.call('POST', `/v1/indicators/${p.body.id}/revisions`, { token: token(), headers: etag, body: { changes: { name: 'x' }, reason: 'r' } }),
      rt.call('POST', `/v1/indicators/${p.body.id}/retire`, { token: token(), headers: etag, body: { reason: 'r' } }),
      rt.call('PUT', '/v1/indicators/sectors/health', { token: token(), body: { label: '卫生' } }),
      rt.call('POST', '/v1/indicators/templates', { token: token(), body: { name: 't', spendingType: 'project', sector: 'education', fiscalYear: 2026, indicators: [{ indicatorId: p.body.id }] } }),
      rt.call('POST', '/v1/indicators/imports', { token: token(), body: { format: 'json', indicators: [{}] } }),
    ]);
    expect(writes.map((w) => w.status)).toEqual(writes.map(() => 403));
  });

  it.each([
    ['list', '/v1/indicators?status=draft&limit=100'],
    ['export', '/v1/indicators/export?status=draft&format=json'],
    ['templates', '/v1/indicators/templates?status=draft'],
  ])('shows no draft to a unit that asks for drafts by status (%s)', async (_what, path) => {
    await created({ name: '状态过滤草稿', scope: 'common' });
    await rt.call('POST', '/v1/indicators/templates', { token: finance, body: { name: '草稿模板', spendingType: 'project', sector: 'education', fiscalYear: 2026, indicators: [{ indicatorId: (await published({ name: '模板用', scope: 'common' })).body.id }] } });
    for (const token of [unit, department]) {
      const r = await rt.call('GET', path, { token });
      expect(r.status).toBe(200);
      expect(r.body.items).toEqual([]);
    }
  });

  it('hides drafts from units and departments', async () => {
    const c = await created({ name: '未发布草稿', scope: 'common' });
    expect((await rt.call('GET', `/v1/indicators/${c.body.id}`, { token: unit })).status).toBe(404);
    expect((await rt.call('GET', `/v1/indicators/${c.body.id}`, { token: finance })).status).toBe(200);
    const list = await rt.call('GET', '/v1/indicators?text=未发布草稿', { token: department });
    expect(list.body.items).toEqual([]);
  });
});

describe('historical standard', () => {
  it('records achieved values from EvaluationCompleted and shows them by year', async () => {
    const p = await published({ name: '历史值测试', scope: 'common' });
    const { default: example } = await import('../../events/examples/EvaluationCompleted.v1.json', { with: { type: 'json' } });
    const evaluation = (year: number, objectId: string, actual: number) => {
      const detail = structuredClone(example) as any;
      detail.meta.eventId = crypto.randomUUID();
      detail.data.object = { ...detail.data.object, id: objectId, fiscalYear: year };
      detail.data.indicatorResults[0] = { ...detail.data.indicatorResults[0], indicatorId: p.body.id, actual };
      return { version: '0' as const, id: crypto.randomUUID(), 'detail-type': 'EvaluationCompleted', source: 'jixiao.evaluation', account: '000000000000', time: '2027-04-20T08:00:00Z', region: rt.awsRegion, resources: [], detail };
    };
    await rt.bus.publish([evaluation(2025, 'prj_a', 1100), evaluation(2025, 'prj_b', 1300), evaluation(2026, 'prj_a', 1260)]);
    const history = await eventually(async () => {
      const r = await rt.call('GET', `/v1/indicators/${p.body.id}/history`, { token: unit });
      return r.body.items?.length === 3 ? r.body : undefined;
    }, 10_000);
    expect(history.items.map((i: { fiscalYear: number; actual: number }) => [i.fiscalYear, i.actual])).toEqual([
      [2026, 1260],
      [2025, 1300],
      [2025, 1100],
    ]);
    expect(history.summary).toEqual(
      expect.arrayContaining([
        { fiscalYear: 2025, observations: 2, min: 1100, median: 1200, max: 1300 },
        { fiscalYear: 2026, observations: 1, min: 1260, median: 1260, max: 1260 },
      ]),
    );
  });
});
