/**
 * The first slice end to end over HTTP on the local runtime: create and publish an indicator
 * with a real token; IndicatorPublished travels outbox → stream → relay → bus → accountability
 * consumer and appears in the object's timeline and in the event archive.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootRuntime, eventually, sampleIndicator, type TestRuntime } from '../support/runtime.ts';

let rt: TestRuntime;
let finance: string;

beforeAll(async () => {
  rt = await bootRuntime();
  finance = await rt.token({ role: 'finance', sub: 'finance-officer' });
});
afterAll(async () => rt?.stop());

async function createDraft(overrides: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  return rt.call('POST', '/v1/indicators', { token: finance, body: { ...sampleIndicator, ...overrides }, headers });
}

describe('indicator lifecycle over HTTP', () => {
  it('creates a draft: 201 with id, version and an ETag', async () => {
    const created = await createDraft();
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'draft', version: 1, region: '360000' });
    expect(created.headers.get('etag')).toBe(`"${created.body.id}.v1"`);
    expect(created.headers.get('location')).toBe(`/v1/indicators/${created.body.id}`);
  });

  it('publishes with If-Match and IndicatorPublished reaches the timeline within 2 s', async () => {
    const created = await createDraft();
    const id = created.body.id as string;
    const published = await rt.call('POST', `/v1/indicators/${id}/publish`, { token: finance, headers: { 'if-match': created.headers.get('etag') as string } });
    expect(published.status).toBe(200);
    expect(published.body).toMatchObject({ status: 'published', version: 2 });

    const timeline = await eventually(async () => {
      const r = await rt.call('GET', `/v1/accountability/timeline/${id}`, { token: finance });
      return r.body.items?.length ? r.body : undefined;
    }, 2000);
    expect(timeline.items).toEqual([
      expect.objectContaining({ detailType: 'IndicatorPublished', source: 'jixiao.indicators', subject: { type: 'indicator', id }, actor: expect.objectContaining({ sub: 'finance-officer', role: 'finance' }) }),
    ]);
    const archived = await rt.bus.recentEvents(50);
    expect(archived.some((a) => a.event['detail-type'] === 'IndicatorPublished' && (a.event.detail as any).meta.subject.id === id)).toBe(true);
  });

  it('answers a stale If-Match with 412 and does not publish', async () => {
    const created = await createDraft();
    const r = await rt.call('POST', `/v1/indicators/${created.body.id}/publish`, { token: finance, headers: { 'if-match': `"${created.body.id}.v7"` } });
    expect(r.status).toBe(412);
    expect(r.headers.get('content-type')).toBe('application/problem+json');
    expect((await rt.call('GET', `/v1/indicators/${created.body.id}`, { token: finance })).body.status).toBe('draft');
  });

  it('refuses to publish an already published indicator with 409', async () => {
    const created = await createDraft();
    const first = await rt.call('POST', `/v1/indicators/${created.body.id}/publish`, { token: finance, headers: { 'if-match': created.headers.get('etag') as string } });
    const again = await rt.call('POST', `/v1/indicators/${created.body.id}/publish`, { token: finance, headers: { 'if-match': first.headers.get('etag') as string } });
    expect(again.status).toBe(409);
  });

  it('lets exactly one of several concurrent publishes win; the others get 409 or 412', async () => {
    const created = await createDraft();
    const etag = created.headers.get('etag') as string;
    const results = await Promise.all(
      Array.from({ length: 6 }, () => rt.call('POST', `/v1/indicators/${created.body.id}/publish`, { token: finance, headers: { 'if-match': etag } })),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s !== 200).every((s) => s === 409 || s === 412)).toBe(true);
    const audit = await rt.call('GET', `/v1/indicators/${created.body.id}/audit`, { token: finance });
    expect(audit.body.items.filter((e: { action: string }) => e.action === 'published')).toHaveLength(1);
  });

  it('replays a create retried with the same Idempotency-Key instead of creating twice', async () => {
    const key = `retry-${Date.now()}`;
    const first = await createDraft({ name: '幂等测试' }, { 'idempotency-key': key });
    const second = await createDraft({ name: '幂等测试' }, { 'idempotency-key': key });
    expect(second.status).toBe(201);
    expect(second.body.id).toBe(first.body.id);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
  });

  it('refuses an Idempotency-Key reused with another body with 422', async () => {
    const key = `reuse-${Date.now()}`;
    await createDraft({ name: '甲' }, { 'idempotency-key': key });
    const r = await createDraft({ name: '乙' }, { 'idempotency-key': key });
    expect(r.status).toBe(422);
    expect(r.body.errors[0].field).toBe('header.idempotency-key');
  });

  it('lists by level-1 category page by page with an opaque cursor', async () => {
    for (let i = 0; i < 3; i++) await createDraft({ name: `满意度${i}`, level1: 'satisfaction', level2: 'service_satisfaction', unit: '%' });
    const first = await rt.call('GET', '/v1/indicators?level1=satisfaction&limit=2', { token: finance });
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(2);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await rt.call('GET', `/v1/indicators?level1=satisfaction&limit=2&cursor=${first.body.nextCursor}`, { token: finance });
    expect(second.body.items).toHaveLength(1);
    expect(second.body.nextCursor).toBeUndefined();
    const names = [...first.body.items, ...second.body.items].map((i: { name: string }) => i.name).sort();
    expect(names).toEqual(['满意度0', '满意度1', '满意度2']);
  });

  it('answers an unknown indicator with 404', async () => {
    const r = await rt.call('GET', '/v1/indicators/ind_0000000000000000', { token: finance });
    expect(r.status).toBe(404);
  });

  it('keeps an audit trail of who created and published', async () => {
    const created = await createDraft();
    await rt.call('POST', `/v1/indicators/${created.body.id}/publish`, { token: finance, headers: { 'if-match': created.headers.get('etag') as string } });
    const audit = await rt.call('GET', `/v1/indicators/${created.body.id}/audit`, { token: finance });
    expect(audit.body.items.map((e: { action: string; actor: { sub: string } }) => [e.action, e.actor.sub])).toEqual([
      ['created', 'finance-officer'],
      ['published', 'finance-officer'],
    ]);
  });

  it('serves health without a token and the OpenAPI document', async () => {
    expect((await rt.call('GET', '/v1/health')).body).toMatchObject({ status: 'ok', region: '360000' });
    expect((await rt.call('GET', '/v1/openapi.json')).body.openapi).toBe('3.1.0');
  });
});
