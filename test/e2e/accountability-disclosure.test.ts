/**
 * Public disclosure end to end on the local runtime: lifecycle events of three objects are
 * published on the bus, an assessment is published, finance discloses one record of each kind
 * and withdraws one. The public endpoint then shows exactly the disclosed-not-withdrawn set,
 * under every filter and page size, and every kind of undisclosed record (objects, evaluations,
 * the assessment, withdrawn disclosures, made-up ids, injection strings, forged cursors) finds
 * nothing. No token is needed, and a token changes nothing.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { examples } from '../../events/examples.ts';
import { bootRuntime, eventually, type ApiResponse, type TestRuntime } from '../support/runtime.ts';

const YEAR = 2033;
const A = 'D-DSCA';
const B = 'D-DSCB';
let rt: TestRuntime;
let finance: string;
let supervisor: string;
let department: string;
let unit: string;

const fields = (r: ApiResponse) => (r.body?.errors ?? []).map((e: { field: string }) => e.field);
const etag = (r: { headers: Headers }) => r.headers.get('etag') as string;

// ---------- events built from the catalog examples ----------

const objects: Record<string, { department: string; name: string }> = {};
const evaluationIds: string[] = [];
let clock = Date.parse(`${YEAR - 1}-11-01T00:00:00.000Z`);

function event(detailType: string, objectId: string, change: (data: any) => void = () => undefined) {
  const o = objects[objectId]!;
  const detail = structuredClone(examples[detailType]) as { meta: any; data: any };
  clock += 3_600_000;
  detail.meta.eventId = randomUUID();
  detail.meta.occurredAt = new Date(clock).toISOString();
  detail.meta.subject = { type: 'project', id: objectId };
  const ref = { id: objectId, name: o.name, fiscalYear: YEAR, region: '360000', department: o.department, unit: `${o.department}-U1` };
  if (detail.data.snapshot) detail.data.snapshot.object = { ...detail.data.snapshot.object, ...ref };
  if (detail.data.object) detail.data.object = { ...detail.data.object, ...ref };
  change(detail.data);
  const source = `jixiao.${detailType.startsWith('Evaluation') ? 'evaluation' : 'declaration'}`;
  return { version: '0' as const, id: randomUUID(), 'detail-type': detailType, source, account: '000000000000', time: new Date().toISOString(), region: rt.awsRegion, resources: [], detail };
}

function object(dept: string, name: string) {
  const id = `obj_dsc${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  objects[id] = { department: dept, name };
  return id;
}

const evaluation = (id: string, kind: string, score: number, grade: string) =>
  event('EvaluationCompleted', id, (d) => {
    d.kind = kind;
    d.totalScore = score;
    d.grade = grade;
    d.evaluationId = `evl_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
    evaluationIds.push(d.evaluationId);
  });

let o1: string, o2: string, o3: string;
let assessmentId: string;

async function timelineTypes(objectId: string): Promise<string[]> {
  const r = await rt.call('GET', `/v1/accountability/timeline/${objectId}?limit=100`, { token: supervisor });
  return r.status === 200 ? r.body.items.map((e: { detailType: string }) => e.detailType) : [];
}

const disclose = (body: Record<string, unknown>, token = finance, key = `dsc-${randomUUID()}`) =>
  rt.call('POST', '/v1/accountability/disclosures', { token, body, headers: { 'idempotency-key': key } });

beforeAll(async () => {
  rt = await bootRuntime();
  finance = await rt.token({ role: 'finance', sub: 'dsc-finance-1' });
  supervisor = await rt.token({ role: 'supervisor', sub: 'dsc-npc-1' });
  department = await rt.token({ role: 'department', department: A, sub: 'dsc-dept-a' });
  unit = await rt.token({ role: 'unit', department: A, unit: `${A}-U1`, sub: 'dsc-unit-a' });

  o1 = object(A, '公开测试项目一');
  o2 = object(B, '公开测试项目二');
  o3 = object(A, '公开测试项目三（未批复）');
  await rt.bus.publish([
    event('TargetApproved', o1),
    evaluation(o1, 'self', 88, 'good'),
    evaluation(o1, 'key', 91, 'excellent'),
    event('TargetApproved', o2),
    event('TargetRevised', o2, (d) => {
      d.snapshot.targetVersion = 2;
      d.snapshot.amounts.annualTotalWan = 950;
    }),
    evaluation(o2, 'self', 72, 'fair'),
    evaluation(o2, 'finance_review', 68, 'poor'),
    event('DeclarationSubmitted', o3),
  ]);
  // Other rules may add their own events (a poor grade orders a rectification): wait for ours.
  const filed = async (id: string, n: number) => (await timelineTypes(id)).filter((t) => /^(Target|Evaluation|Declaration)/.test(t)).length === n;
  await eventually(async () => ((await filed(o1, 3)) && (await filed(o2, 4)) && (await filed(o3, 1)) ? true : undefined), 60_000, 100);
}, 240_000);

afterAll(async () => {
  await rt?.stop();
});

// ---------- finance discloses ----------

const live: Record<string, any> = {};
let withdrawn: any;

describe('finance discloses', () => {
  it('refuses what does not exist (404) or is not approved / completed / published yet (409), naming the field', async () => {
    const unknown = await disclose({ kind: 'targets', objectId: 'obj_dscnothere000000' });
    expect(unknown.status).toBe(404);
    const notApproved = await disclose({ kind: 'targets', objectId: o3 });
    expect(notApproved.status).toBe(409);
    expect(notApproved.body.detail).toContain('no approved targets');
    expect(fields(notApproved)).toEqual(['body.objectId']);
    expect((await disclose({ kind: 'self_evaluation', objectId: o3 })).status).toBe(409);
    const noKey = await disclose({ kind: 'key_evaluation', objectId: o2 });
    expect(noKey.status).toBe(409);
    expect(noKey.body.detail).toContain('no completed key evaluation');
    expect((await disclose({ kind: 'assessment', assessmentId: 'asm_2033_department_D-NONE' })).status).toBe(404);
  });

  it('validates the body: the id the kind needs, and only that one', async () => {
    expect(fields(await disclose({ kind: 'targets' }))).toEqual(['body.objectId']);
    expect(fields(await disclose({ kind: 'assessment', objectId: o1 }))).toEqual(['body.assessmentId', 'body.objectId']);
    expect(fields(await disclose({ kind: 'rumours', objectId: o1 }))).toEqual(['body.kind']);
  });

  it('only finance discloses', async () => {
    expect((await disclose({ kind: 'targets', objectId: o1 }, unit)).status).toBe(403);
    expect((await disclose({ kind: 'targets', objectId: o1 }, supervisor)).status).toBe(403);
    expect((await rt.call('POST', '/v1/accountability/disclosures', { body: { kind: 'targets', objectId: o1 } })).status).toBe(401);
  });

  it('discloses targets (the latest approved version), self-evaluation and key evaluation results; a retry replays', async () => {
    const key = `dsc-${randomUUID()}`;
    const t1 = await disclose({ kind: 'targets', objectId: o1 }, finance, key);
    expect(t1.status).toBe(201);
    expect(t1.headers.get('location')).toBe(`/v1/accountability/public/disclosures/${t1.body.id}`);
    expect(t1.body).toMatchObject({ kind: 'targets', sourceId: o1, fiscalYear: YEAR, department: A, title: '公开测试项目一', status: 'published', publishedBy: 'dsc-finance-1' });
    const replay = await disclose({ kind: 'targets', objectId: o1 }, finance, key);
    expect(replay.status).toBe(201);
    expect(replay.body.id).toBe(t1.body.id);
    live.t1 = t1.body;

    const t2 = await disclose({ kind: 'targets', objectId: o2 });
    expect(t2.body.content).toMatchObject({ targetVersion: 2, amounts: { annualTotalWan: 950 } });
    live.t2 = t2.body;
    const s1 = await disclose({ kind: 'self_evaluation', objectId: o1 });
    expect(s1.body.content).toMatchObject({ basis: 'self', totalScore: 88, grade: 'good', gradeLabel: '良' });
    live.s1 = s1.body;
    const s2 = await disclose({ kind: 'self_evaluation', objectId: o2 });
    expect(s2.body.content).toMatchObject({ basis: 'finance_review', totalScore: 68, grade: 'poor' });
    live.s2 = s2.body;
    const k1 = await disclose({ kind: 'key_evaluation', objectId: o1 });
    expect(k1.body.content).toMatchObject({ basis: 'key', totalScore: 91, grade: 'excellent' });
    live.k1 = k1.body;
  });

  it('refuses to disclose the same record twice, naming the live disclosure', async () => {
    const again = await disclose({ kind: 'targets', objectId: o1 });
    expect(again.status).toBe(409);
    expect(again.body.detail).toContain(live.t1.id);
  });

  it('discloses a published assessment, not a draft', async () => {
    const created = await rt.call('POST', '/v1/accountability/assessments', {
      token: finance,
      headers: { 'idempotency-key': `asm-${randomUUID()}` },
      body: { fiscalYear: YEAR, assessee: { type: 'department', code: A, name: '公开测试厅' } },
    });
    expect(created.status).toBe(201);
    assessmentId = created.body.id;
    const draft = await disclose({ kind: 'assessment', assessmentId });
    expect(draft.status).toBe(409);
    expect(draft.body.detail).toContain('not published');
    const entries = created.body.missing.map((code: string) => ({ code, ratio: 1, reason: '依据报送材料核定' }));
    const entered = entries.length
      ? await rt.call('PATCH', `/v1/accountability/assessments/${assessmentId}`, { token: finance, headers: { 'if-match': etag(created) }, body: { entries } })
      : created;
    const published = await rt.call('POST', `/v1/accountability/assessments/${assessmentId}/publish`, { token: finance, headers: { 'if-match': etag(entered) } });
    expect(published.status).toBe(200);
    const d = await disclose({ kind: 'assessment', assessmentId });
    expect(d.status).toBe(201);
    expect(d.body).toMatchObject({ kind: 'assessment', sourceId: assessmentId, department: A, title: '公开测试厅' });
    expect(d.body.content).toMatchObject({ kind: 'assessment', assessee: { type: 'department', code: A, name: '公开测试厅' }, total: published.body.total, rank: 1 });
    expect(JSON.stringify(d.body.content)).not.toContain('dsc-finance-1');
    live.a = d.body;
  });

  it('withdraws with a reason: the record stays for audit, the source can be disclosed again', async () => {
    expect((await rt.call('POST', `/v1/accountability/disclosures/${live.t2.id}/withdraw`, { token: finance, body: {} })).status).toBe(400);
    const w = await rt.call('POST', `/v1/accountability/disclosures/${live.t2.id}/withdraw`, { token: finance, body: { reason: '目标数据有误，更正后重新公开' } });
    expect(w.status).toBe(200);
    expect(w.body).toMatchObject({ id: live.t2.id, status: 'withdrawn', withdrawnBy: 'dsc-finance-1', withdrawReason: '目标数据有误，更正后重新公开' });
    withdrawn = w.body;
    delete live.t2;
    expect((await rt.call('POST', `/v1/accountability/disclosures/${withdrawn.id}/withdraw`, { token: finance, body: { reason: 'again' } })).status).toBe(409);
    expect((await rt.call('POST', `/v1/accountability/disclosures/dsc_0000000000nothere/withdraw`, { token: finance, body: { reason: 'x' } })).status).toBe(404);
    // Withdrawn, then disclosed anew: a new id; the old one stays withdrawn.
    const again = await disclose({ kind: 'targets', objectId: o2 });
    expect(again.status).toBe(201);
    expect(again.body.id).not.toBe(withdrawn.id);
    live.t2b = again.body;
    // …and withdrawn again, for good: this object's targets are not public.
    const w2 = await rt.call('POST', `/v1/accountability/disclosures/${live.t2b.id}/withdraw`, { token: finance, body: { reason: '暂不公开' } });
    expect(w2.status).toBe(200);
    delete live.t2b;
  });

  it('finance and supervisors list every disclosure, withdrawn ones with who and why; departments may not', async () => {
    const all = await rt.call('GET', '/v1/accountability/disclosures?limit=100', { token: supervisor });
    expect(all.status).toBe(200);
    expect(all.body.items).toHaveLength(Object.keys(live).length + 2);
    expect(all.body.items.find((d: { id: string }) => d.id === withdrawn.id)).toMatchObject({ status: 'withdrawn', withdrawReason: '目标数据有误，更正后重新公开' });
    const onlyWithdrawn = await rt.call('GET', '/v1/accountability/disclosures?status=withdrawn', { token: finance });
    expect(onlyWithdrawn.body.items.map((d: { id: string }) => d.id)).toContain(withdrawn.id);
    expect(onlyWithdrawn.body.items.every((d: { status: string }) => d.status === 'withdrawn')).toBe(true);
    const targets = await rt.call('GET', `/v1/accountability/disclosures?kind=targets&year=${YEAR}`, { token: finance });
    expect(targets.body.items.every((d: { kind: string }) => d.kind === 'targets')).toBe(true);
    expect(targets.body.items).toHaveLength(3);
    expect((await rt.call('GET', '/v1/accountability/disclosures', { token: department })).status).toBe(403);
  });

  it('files DisclosurePublished and DisclosureWithdrawn in the object timeline', async () => {
    const types = await eventually(async () => {
      const t = await timelineTypes(o2);
      // The bus does not keep order across events, so wait for all five, not for the last one sent.
      return t.filter((x) => x === 'DisclosureWithdrawn').length === 2 && t.filter((x) => x === 'DisclosurePublished').length >= 3 ? t : undefined;
    }, 10_000, 100);
    expect(types.filter((x) => x === 'DisclosurePublished')).toHaveLength(3);
  });
});

// ---------- the public view ----------

const publicOf = (d: any) => ({ id: d.id, kind: d.kind, fiscalYear: d.fiscalYear, department: d.department, title: d.title, publishedAt: d.publishedAt, content: d.content });

async function allPublic(query: string, limit: number, token?: string): Promise<any[]> {
  const items: any[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const r = await rt.call('GET', `/v1/accountability/public/disclosures?limit=${limit}${query}${cursor ? `&cursor=${cursor}` : ''}`, token ? { token } : {});
    expect(r.status).toBe(200);
    expect(r.body.items.length).toBeLessThanOrEqual(limit);
    items.push(...r.body.items);
    cursor = r.body.nextCursor;
    expect(++pages).toBeLessThan(20);
  } while (cursor);
  return items;
}

describe('the public endpoint', () => {
  it('shows exactly the disclosed-not-withdrawn records, with the projection and nothing else, under every filter and page size', async () => {
    const expected = Object.values(live).map(publicOf);
    expect(expected).toHaveLength(5);
    const byId = (list: any[]) => [...list].sort((x, y) => x.id.localeCompare(y.id));
    for (const kind of [undefined, 'targets', 'self_evaluation', 'key_evaluation', 'assessment']) {
      for (const year of [undefined, YEAR, YEAR - 1]) {
        for (const dept of [undefined, A, B, 'D-NONE']) {
          const query = `${kind ? `&kind=${kind}` : ''}${year ? `&year=${year}` : ''}${dept ? `&department=${dept}` : ''}`;
          const want = expected.filter((d) => (!kind || d.kind === kind) && (!year || d.fiscalYear === year) && (!dept || d.department === dept));
          for (const limit of [1, 2, 100]) {
            const got = await allPublic(query, limit);
            expect(byId(got), `${query} limit ${limit}`).toEqual(byId(want));
            // Ordered by year, kind, department, then time, newest first (the public index's key).
            const order = got.map((d) => `${d.fiscalYear}#${d.kind}#${d.department}#${d.publishedAt}`);
            expect(order).toEqual([...order].sort().reverse());
          }
        }
      }
    }
  });

  it('serves each live disclosure by id; a token changes nothing', async () => {
    for (const d of Object.values(live)) {
      const anonymous = await rt.call('GET', `/v1/accountability/public/disclosures/${d.id}`);
      expect(anonymous.status).toBe(200);
      expect(anonymous.body).toEqual(publicOf(d));
      expect(JSON.stringify(anonymous.body)).not.toMatch(/dsc-finance-1|publishedBy|sourceId|correlation/);
      for (const token of [finance, unit]) {
        const withToken = await rt.call('GET', `/v1/accountability/public/disclosures/${d.id}`, { token });
        expect(withToken.status).toBe(200);
        expect(withToken.body).toEqual(anonymous.body);
      }
    }
    expect(await allPublic('', 2, finance)).toHaveLength(5);
  });

  it('answers 404 for every id that is not a live disclosure', async () => {
    const ids = [
      o1,
      o2,
      o3,
      ...evaluationIds,
      assessmentId,
      withdrawn.id,
      `DSC#${live.t1.id}`,
      `DSCPUB#${withdrawn.id}`,
      `DSCSRC#targets#${o1}`,
      live.t1.id.toUpperCase(),
      `${live.t1.id}x`,
      'dsc_0000000000000000',
      'dsc_',
      "' OR '1'='1",
      '" OR ""="',
      '<script>alert(1)</script>',
      '${jndi:ldap://x}',
      '%00',
      'null',
      'undefined',
      '*',
      '..',
      'dsc_%2A',
    ];
    for (const id of ids) {
      const r = await rt.call('GET', `/v1/accountability/public/disclosures/${encodeURIComponent(id)}`);
      expect(r.status, id).toBe(404);
      expect(JSON.stringify(r.body)).not.toMatch(/公开测试|content/);
      const withToken = await rt.call('GET', `/v1/accountability/public/disclosures/${encodeURIComponent(id)}`, { token: finance });
      expect(withToken.status, id).toBe(404);
    }
  });

  it('refuses forged, foreign and replayed cursors with 400, never another record', async () => {
    const first = await rt.call('GET', '/v1/accountability/public/disclosures?limit=1');
    const cursor = first.body.nextCursor as string;
    expect(cursor).toBeTruthy();
    const outer = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    const inner = JSON.parse(Buffer.from(outer.k, 'base64url').toString('utf8'));
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v), 'utf8').toString('base64url');
    const withInner = (k: Record<string, string>, f = outer.f) => b64({ f, k: b64(k) });

    const finances = await rt.call('GET', '/v1/accountability/disclosures?limit=1', { token: finance });
    const forged = [
      'not-a-cursor!',
      'AAAA',
      b64({ f: outer.f }),
      b64({ f: outer.f, k: outer.k, extra: 1 }),
      finances.body.nextCursor,
      outer.k,
      withInner({ ...inner, gsi4pk: 'DSCALL#360000' }),
      withInner({ ...inner, gsi4pk: 'DSCPUB#360100' }),
      withInner({ ...inner, pk: `DSC#${live.t1.id}`, sk: 'DSC' }),
      withInner({ ...inner, pk: `DSCPUB#${withdrawn.id}`, gsi4sk: `${YEAR}#targets#${B}#${withdrawn.publishedAt}#${withdrawn.id}`.replace(withdrawn.id, 'dsc_x') }),
      withInner({ pk: inner.pk, sk: inner.sk, gsi4pk: inner.gsi4pk }),
      withInner(inner, 'k=targets&y=&d='),
    ].filter(Boolean);
    for (const c of forged) {
      const r = await rt.call('GET', `/v1/accountability/public/disclosures?limit=1&cursor=${encodeURIComponent(c)}`);
      expect(r.status, c).toBe(400);
      expect(r.body.items).toBeUndefined();
      expect(fields(r)).toEqual(['query.cursor']);
    }
    // A genuine cursor replayed with another filter.
    for (const query of ['&kind=targets', `&year=${YEAR}`, `&department=${A}`]) {
      const r = await rt.call('GET', `/v1/accountability/public/disclosures?limit=1${query}&cursor=${cursor}`);
      expect(r.status, query).toBe(400);
    }
    // The genuine cursor still works with its own filter.
    const second = await rt.call('GET', `/v1/accountability/public/disclosures?limit=1&cursor=${cursor}`);
    expect(second.status).toBe(200);
    expect(second.body.items[0].id).not.toBe(first.body.items[0].id);
  });

  it('a withdrawal leaves the public view at once', async () => {
    const target = live.s2;
    expect((await rt.call('GET', `/v1/accountability/public/disclosures/${target.id}`)).status).toBe(200);
    const w = await rt.call('POST', `/v1/accountability/disclosures/${target.id}/withdraw`, { token: finance, body: { reason: '复核结论调整' } });
    expect(w.status).toBe(200);
    delete live.s2;
    expect((await rt.call('GET', `/v1/accountability/public/disclosures/${target.id}`)).status).toBe(404);
    const ids = (await allPublic('', 100)).map((d) => d.id);
    expect(ids).not.toContain(target.id);
    expect(ids.sort()).toEqual(Object.values(live).map((d) => d.id).sort());
  });
});
