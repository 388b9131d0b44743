/**
 * Accountability cases (问责) and rectification orders (整改) on the local runtime: a project
 * graded 差 two years running (through `continues`) opens a case by rule; its chain verifies
 * and altering one stored entry makes verification fail at that entry; execution red two
 * windows running opens a case; an order goes through evidence, rejection and acceptance;
 * overdue orders escalate on the schedule's clock; access and 4xx answers.
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import deviationExample from '../../events/examples/MonitoringDeviation.v1.json' with { type: 'json' };
import evaluationExample from '../../events/examples/EvaluationCompleted.v1.json' with { type: 'json' };
import { resetDynamoClientsForTesting } from '../../shared/clients/dynamodb.ts';
import { ENV_KEYS } from '../../shared/env.ts';
import { caseTotals } from '../../services/accountability/store/cases.ts';
import { rectificationStats, rectificationTotals } from '../../services/accountability/store/rectifications.ts';
import { bootRuntime, eventually, type TestRuntime } from '../support/runtime.ts';

let rt: TestRuntime;
let doc: DynamoDBDocumentClient;
let finance: string;
let supervisor: string;
let department: string;
let otherDepartment: string;
let unit: string;
let otherUnit: string;

const DEPT = 'D-ACC';
const UNIT = 'U-ACC-01';
const WAIT_MS = 15_000;
const objectId = () => `obj_${randomUUID().replaceAll('-', '').slice(0, 20)}`;

function envelope(detailType: string, source: string, detail: any) {
  return { version: '0' as const, id: randomUUID(), 'detail-type': detailType, source, account: '000000000000', time: new Date().toISOString(), region: rt.awsRegion, resources: [], detail };
}

function evaluationCompleted(id: string, fiscalYear: number, grade: string, continues?: string) {
  const detail = structuredClone(evaluationExample) as any;
  detail.meta = { ...detail.meta, eventId: randomUUID(), occurredAt: new Date().toISOString(), region: rt.regionCode, subject: { type: 'project', id } };
  detail.data = {
    ...detail.data,
    evaluationId: `sev_${randomUUID().replaceAll('-', '').slice(0, 16)}`,
    kind: 'finance_review',
    object: { id, type: 'project', name: `${fiscalYear}年职业技能提升项目`, fiscalYear, region: rt.regionCode, department: DEPT, unit: UNIT, ...(continues ? { continues } : {}) },
    totalScore: 52,
    grade,
  };
  return envelope('EvaluationCompleted', 'jixiao.evaluation', detail);
}

function redDeviation(id: string, throughMonth: number) {
  const detail = structuredClone(deviationExample) as any;
  detail.meta = { ...detail.meta, eventId: randomUUID(), occurredAt: new Date().toISOString(), region: rt.regionCode, subject: { type: 'project', id } };
  detail.data.object = { ...detail.data.object, id, name: '2027年农村供水保障项目', region: rt.regionCode, department: DEPT, unit: UNIT };
  detail.data.window = { id: `win_acc${throughMonth}${id.slice(-6)}`, fiscalYear: 2027, throughMonth, label: `1~${throughMonth}月`, dueDate: `2027-${String(throughMonth + 1).padStart(2, '0')}-10` };
  detail.data.reportId = `rpt_${throughMonth}_${id}`;
  detail.data.light = 'red';
  return envelope('MonitoringDeviation', 'jixiao.monitoring', detail);
}

const etag = (r: { headers: Headers }) => r.headers.get('etag') as string;
const fields = (r: { body: any }) => (r.body?.errors ?? []).map((e: { field: string }) => e.field);

async function casesOf(query: string) {
  const r = await rt.call('GET', `/v1/accountability/cases?${query}`, { token: supervisor });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body.items as any[];
}

beforeAll(async () => {
  rt = await bootRuntime();
  doc = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: rt.dynamodbEndpoint, region: rt.awsRegion, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }));
  finance = await rt.token({ role: 'finance', sub: 'acc-finance-1' });
  supervisor = await rt.token({ role: 'supervisor', sub: 'acc-npc-1' });
  department = await rt.token({ role: 'department', department: DEPT, sub: 'acc-dept-1' });
  otherDepartment = await rt.token({ role: 'department', department: 'D-ELSE', sub: 'acc-dept-9' });
  unit = await rt.token({ role: 'unit', department: DEPT, unit: UNIT, sub: 'acc-unit-1' });
  otherUnit = await rt.token({ role: 'unit', department: DEPT, unit: 'U-ACC-99', sub: 'acc-unit-9' });
});
afterAll(async () => rt?.stop());

describe('差 two years running', () => {
  const previous = objectId();
  const current = objectId();
  let caseId: string;

  it('opens one case by rule when a 2027 object continuing a 2026 one is graded 差 again (redelivery changes nothing)', async () => {
    await rt.bus.publish([evaluationCompleted(previous, 2026, 'poor')]);
    const second = evaluationCompleted(current, 2027, 'poor', previous);
    await rt.bus.publish([second]);
    const t0 = Date.now();
    const found = await eventually(async () => (await casesOf('year=2027&rule=poor_grade_years')).find((c) => c.object?.id === current), WAIT_MS);
    console.log(`[cases] publish → case visible: ${Date.now() - t0} ms`);
    expect(found).toMatchObject({ rule: 'poor_grade_years', status: 'open', department: DEPT, fiscalYear: 2027, object: { id: current, continues: previous, department: DEPT, unit: UNIT } });
    expect(found.basis.years.map((y: any) => [y.objectId, y.fiscalYear])).toEqual([
      [current, 2027],
      [previous, 2026],
    ]);
    caseId = found.id;
    expect((await casesOf('year=2026&rule=poor_grade_years')).some((c) => c.object?.id === previous)).toBe(false);

    await rt.bus.publish([{ ...second, id: randomUUID(), detail: { ...second.detail, meta: { ...second.detail.meta, eventId: randomUUID() } } }]);
    await rt.settle();
    expect((await casesOf('year=2027&rule=poor_grade_years')).filter((c) => c.object?.id === current)).toHaveLength(1);
  });

  it('files AccountabilityCaseOpened on the object’s timeline and orders a rectification for each 差 evaluation', async () => {
    await eventually(async () => {
      const r = await rt.call('GET', `/v1/accountability/timeline/${current}`, { token: supervisor });
      return (r.body.items ?? []).some((e: any) => e.detailType === 'AccountabilityCaseOpened') ? true : undefined;
    }, WAIT_MS);
    const orders = await rt.call('GET', `/v1/accountability/rectifications?year=2027&source=evaluation`, { token: finance });
    expect(orders.body.items.filter((o: any) => o.object?.id === current)).toHaveLength(1);
    expect(orders.body.items.find((o: any) => o.object?.id === current)).toMatchObject({ owner: { department: DEPT, unit: UNIT }, status: 'open', source: { kind: 'evaluation' } });
  });

  it('records notes and a decision with reasons in the chain, which verifies', async () => {
    const note = await rt.call('POST', `/v1/accountability/cases/${caseId}/entries`, { token: supervisor, body: { type: 'note', text: '人大预算工委已关注' } });
    expect(note.status, JSON.stringify(note.body)).toBe(201);
    const withoutAmount = await rt.call('POST', `/v1/accountability/cases/${caseId}/decision`, { token: finance, headers: { 'if-match': etag(note) }, body: { outcome: 'budget_cut', reasons: ['连续两年为差'] } });
    expect(withoutAmount.status).toBe(400);
    expect(fields(withoutAmount)).toEqual(['body.amountWan']);
    const bySupervisor = await rt.call('POST', `/v1/accountability/cases/${caseId}/decision`, { token: supervisor, headers: { 'if-match': etag(note) }, body: { outcome: 'admonition', reasons: ['x'] } });
    expect(bySupervisor.status).toBe(403);
    const decided = await rt.call('POST', `/v1/accountability/cases/${caseId}/decision`, { token: finance, headers: { 'if-match': etag(note) }, body: { outcome: 'budget_cut', reasons: ['连续两年为差', '未按期整改'], amountWan: 80 } });
    expect(decided.status, JSON.stringify(decided.body)).toBe(200);
    expect(decided.body).toMatchObject({ status: 'decided', decision: { outcome: 'budget_cut', amountWan: 80 } });
    expect(decided.body.entries.map((e: any) => [e.seq, e.type])).toEqual([
      [1, 'opened'],
      [2, 'note'],
      [3, 'decision'],
    ]);
    const stale = await rt.call('POST', `/v1/accountability/cases/${caseId}/close`, { token: finance, headers: { 'if-match': etag(note) }, body: {} });
    expect(stale.status).toBe(412);
    const verify = await rt.call('GET', `/v1/accountability/cases/${caseId}/verify`, { token: supervisor });
    expect(verify.body).toMatchObject({ valid: true, length: 3, head: { seq: 3 } });
  });

  it('reports the chain broken at the entry altered directly in the table', async () => {
    await doc.send(
      new UpdateCommand({
        TableName: rt.tables.accountability,
        Key: { pk: `CASE#${caseId}`, sk: 'E#000002' },
        UpdateExpression: 'SET #b.#t = :t',
        ExpressionAttributeNames: { '#b': 'body', '#t': 'text' },
        ExpressionAttributeValues: { ':t': '（已删改）' },
      }),
    );
    const verify = await rt.call('GET', `/v1/accountability/cases/${caseId}/verify`, { token: finance });
    expect(verify.status).toBe(200);
    expect(verify.body).toMatchObject({ valid: false, brokenAt: 2, length: 3 });
    expect(verify.body.reason).toMatch(/altered/);
  });
});

describe('execution red two windows running', () => {
  it('opens a case by rule and orders a rectification per red deviation', async () => {
    const id = objectId();
    await rt.bus.publish([redDeviation(id, 6)]);
    await eventually(async () => ((await rt.call('GET', '/v1/accountability/rectifications?year=2027&source=deviation', { token: finance })).body.items.some((o: any) => o.object?.id === id) ? true : undefined), WAIT_MS);
    expect((await casesOf('year=2027&rule=red_windows_uncorrected')).some((c) => c.object?.id === id)).toBe(false);
    const t0 = Date.now();
    await rt.bus.publish([redDeviation(id, 9)]);
    const found = await eventually(async () => (await casesOf('year=2027&rule=red_windows_uncorrected')).find((c) => c.object?.id === id), WAIT_MS);
    console.log(`[cases] publish → red-window case visible: ${Date.now() - t0} ms`);
    expect(found.basis.windows.map((w: any) => w.throughMonth)).toEqual([6, 9]);
    // The case and the orders are written by two consumers of the same event, in either order.
    const orders = await eventually(async () => {
      const items = (await rt.call('GET', `/v1/accountability/rectifications?year=2027&source=deviation&department=${DEPT}`, { token: finance })).body.items.filter((o: any) => o.object?.id === id);
      return items.length >= 2 ? items : undefined;
    }, WAIT_MS);
    expect(orders).toHaveLength(2);
    expect(orders.map((o: any) => o.source.kind)).toEqual(['deviation', 'deviation']);
  });
});

describe('a rectification order', () => {
  let orderId: string;

  it('finance orders one from an audit finding; the owner unit and department see it, others do not', async () => {
    const r = await rt.call('POST', '/v1/accountability/rectifications', {
      token: finance,
      headers: { 'idempotency-key': 'acc-rect-audit-1' },
      body: { source: { kind: 'audit', reference: '审计报告〔2027〕8号' }, owner: { department: DEPT, unit: UNIT }, issue: '专项资金滞留未拨付', deadline: '2099-12-31' },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    orderId = r.body.id;
    expect(r.body).toMatchObject({ status: 'open', escalationLevel: 0, owner: { department: DEPT, unit: UNIT }, overdue: false });
    expect(r.body.entries.map((e: any) => e.type)).toEqual(['ordered']);
    const year = r.body.fiscalYear;
    expect((await rt.call('GET', `/v1/accountability/rectifications?year=${year}`, { token: unit })).body.items.map((o: any) => o.id)).toContain(orderId);
    expect((await rt.call('GET', `/v1/accountability/rectifications?year=${year}`, { token: department })).body.items.map((o: any) => o.id)).toContain(orderId);
    expect((await rt.call('GET', `/v1/accountability/rectifications?year=${year}`, { token: otherUnit })).body.items.map((o: any) => o.id)).not.toContain(orderId);
    expect((await rt.call('GET', `/v1/accountability/rectifications/${orderId}`, { token: otherDepartment })).status).toBe(403);
    expect((await rt.call('GET', `/v1/accountability/rectifications?year=${year}&department=D-ELSE`, { token: department })).status).toBe(403);
  });

  it('goes through evidence, a rejection with its reason, evidence again and acceptance; the chain verifies', async () => {
    expect((await rt.call('POST', `/v1/accountability/rectifications/${orderId}/evidence`, { token: otherDepartment, body: { text: 'x' } })).status).toBe(403);
    const evidence = await rt.call('POST', `/v1/accountability/rectifications/${orderId}/evidence`, { token: unit, body: { text: '资金已拨付到位', attachments: ['拨款凭证.pdf'] } });
    expect(evidence.status, JSON.stringify(evidence.body)).toBe(201);
    expect(evidence.body.status).toBe('evidence_submitted');
    const noReason = await rt.call('POST', `/v1/accountability/rectifications/${orderId}/review`, { token: finance, headers: { 'if-match': etag(evidence) }, body: { decision: 'reject' } });
    expect(noReason.status).toBe(400);
    expect(fields(noReason)).toEqual(['body.reason']);
    const rejected = await rt.call('POST', `/v1/accountability/rectifications/${orderId}/review`, { token: finance, headers: { 'if-match': etag(evidence) }, body: { decision: 'reject', reason: '缺少银行回单' } });
    expect(rejected.status, JSON.stringify(rejected.body)).toBe(200);
    expect(rejected.body).toMatchObject({ status: 'open', rejections: 1 });
    const again = await rt.call('POST', `/v1/accountability/rectifications/${orderId}/evidence`, { token: department, body: { text: '补充银行回单', attachments: ['回单.pdf'] } });
    expect(again.status).toBe(201);
    const accepted = await rt.call('POST', `/v1/accountability/rectifications/${orderId}/review`, { token: finance, headers: { 'if-match': etag(again) }, body: { decision: 'accept' } });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    expect(accepted.body).toMatchObject({ status: 'closed', closedOnTime: true });
    expect(accepted.body.entries.map((e: any) => e.type)).toEqual(['ordered', 'evidence', 'rejected', 'evidence', 'accepted']);
    const verify = await rt.call('GET', `/v1/accountability/rectifications/${orderId}/verify`, { token: department });
    expect(verify.body).toMatchObject({ valid: true, length: 5 });
  });
});

describe('overdue escalation', () => {
  it('escalates an open order the day after its deadline, once per level, again after escalateEveryDays', async () => {
    const created = await rt.call('POST', '/v1/accountability/rectifications', {
      token: supervisor,
      body: { source: { kind: 'manual', reference: '人大专题询问' }, owner: { department: DEPT }, issue: '绩效目标未公开' },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const { id, deadline } = created.body;
    const dayAfter = (days: number) => new Date(Date.parse(`${deadline}T00:00:00+08:00`) + days * 86_400_000 + 3_600_000);
    const fire = (at: Date) => rt.scheduler.fire('accountability.overdue.hourly', at);
    const read = async () => (await rt.call('GET', `/v1/accountability/rectifications/${id}`, { token: finance })).body;

    await fire(dayAfter(0)); // the deadline day itself: on time
    expect((await read()).escalationLevel).toBe(0);
    await fire(dayAfter(1));
    await fire(dayAfter(1)); // the same hour again: nothing more
    const first = await read();
    // `overdue` in the reply is as of the real clock (the deadline is weeks ahead); the level is as of the schedule's.
    expect(first).toMatchObject({ escalationLevel: 1, overdue: false });
    expect(first.entries.filter((e: any) => e.type === 'escalated').map((e: any) => e.body.level)).toEqual([1]);
    await fire(dayAfter(8)); // 7 days (the default) later
    const second = await read();
    expect(second.escalationLevel).toBe(2);
    expect(second.entries.map((e: any) => e.type)).toEqual(['ordered', 'escalated', 'escalated']);
    const verify = await rt.call('GET', `/v1/accountability/rectifications/${id}/verify`, { token: finance });
    expect(verify.body).toMatchObject({ valid: true, length: 3 });
    await eventually(async () => {
      const r = await rt.call('GET', `/v1/accountability/timeline/${id}`, { token: supervisor });
      const overdue = (r.body.items ?? []).filter((e: any) => e.detailType === 'RectificationOverdue');
      return overdue.length === 2 ? overdue : undefined;
    }, WAIT_MS);
  });
});

describe('access and refusals', () => {
  it('departments and units cannot read cases; units cannot order rectifications', async () => {
    expect((await rt.call('GET', '/v1/accountability/cases', { token: department })).status).toBe(403);
    expect((await rt.call('GET', '/v1/accountability/cases', { token: unit })).status).toBe(403);
    expect((await rt.call('POST', '/v1/accountability/rectifications', { token: unit, body: { source: { kind: 'manual', reference: 'x' }, owner: { department: DEPT }, issue: 'x' } })).status).toBe(403);
  });

  it('a case by hand names either an object or a subject (400 naming the field); a free subject opens one', async () => {
    const neither = await rt.call('POST', '/v1/accountability/cases', { token: supervisor, body: { reason: '线索' } });
    expect(neither.status).toBe(400);
    expect(fields(neither)).toEqual(['body.subject']);
    const unknown = await rt.call('POST', '/v1/accountability/cases', { token: supervisor, body: { objectId: 'obj_nothingknown000', reason: '线索' } });
    expect(fields(unknown)).toEqual(['body.objectId']);
    const opened = await rt.call('POST', '/v1/accountability/cases', { token: supervisor, headers: { 'idempotency-key': 'acc-case-hand-1' }, body: { subject: '某县扶贫资金挪用线索', department: DEPT, fiscalYear: 2027, reason: '审计移送' } });
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    expect(opened.body).toMatchObject({ rule: 'manual', status: 'open', department: DEPT });
    const closeWithout = await rt.call('POST', `/v1/accountability/cases/${opened.body.id}/close`, { token: finance, headers: { 'if-match': etag(opened) }, body: {} });
    expect(fields(closeWithout)).toEqual(['body.reasons']);
    const closed = await rt.call('POST', `/v1/accountability/cases/${opened.body.id}/close`, { token: finance, headers: { 'if-match': etag(opened) }, body: { reasons: ['线索经核查不实'] } });
    expect(closed.body).toMatchObject({ status: 'closed', closeReasons: ['线索经核查不实'] });
  });

  it('validates the rule parameters, naming the field', async () => {
    const read = await rt.call('GET', '/v1/accountability/rules/2028', { token: finance });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ version: 0, source: 'default', rules: { cases: { poorGradeYears: 2, redWindowsUncorrected: 2 } } });
    const { region: _r, fiscalYear: _y, ...rules } = read.body.rules;
    const bad = await rt.call('PUT', '/v1/accountability/rules/2028', { token: finance, headers: { 'if-match': etag(read) }, body: { rules: { ...rules, cases: { poorGradeYears: 1, redWindowsUncorrected: 2 } }, reason: '试行' } });
    expect(bad.status).toBe(400);
    expect(fields(bad)).toEqual(['body.rules.cases.poorGradeYears']);
    const good = await rt.call('PUT', '/v1/accountability/rules/2028', { token: finance, headers: { 'if-match': etag(read) }, body: { rules: { ...rules, cases: { poorGradeYears: 3, redWindowsUncorrected: 0 } }, reason: '三年为差方问责' } });
    expect(good.status, JSON.stringify(good.body)).toBe(200);
    expect(good.body).toMatchObject({ version: 1, source: 'stored' });
    expect((await rt.call('PUT', '/v1/accountability/rules/2028', { token: supervisor, headers: { 'if-match': etag(good) }, body: { rules, reason: 'x' } })).status).toBe(403);
  });
});

describe('totals for assessments and the People’s Congress report', () => {
  it('count exactly the cases and orders the lists show', async () => {
    await rt.settle();
    process.env[ENV_KEYS.tableName] = rt.tables.accountability;
    process.env[ENV_KEYS.dynamodbEndpoint] = rt.dynamodbEndpoint;
    // DynamoDB Local takes any credentials; the store functions read the region from the environment.
    process.env.AWS_REGION ??= rt.awsRegion;
    process.env.AWS_ACCESS_KEY_ID ??= 'local';
    process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
    resetDynamoClientsForTesting();
    const all = async (path: string) => {
      const items: any[] = [];
      let cursor: string | undefined;
      do {
        const r = await rt.call('GET', `${path}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token: finance });
        expect(r.status, JSON.stringify(r.body)).toBe(200);
        items.push(...r.body.items);
        cursor = r.body.nextCursor;
      } while (cursor);
      return items;
    };
    const cases = await all('/v1/accountability/cases?year=2027&limit=10');
    const totals = await caseTotals(rt.regionCode, 2027);
    expect(totals.total).toBe(cases.length);
    expect(totals.total).toBeGreaterThanOrEqual(3);
    expect(totals).toMatchObject({
      open: cases.filter((c) => c.status === 'open').length,
      decided: cases.filter((c) => c.status === 'decided').length,
      closed: cases.filter((c) => c.status === 'closed').length,
    });
    expect(totals.byRule.poor_grade_years).toBe(cases.filter((c) => c.rule === 'poor_grade_years').length);

    const year = Number(new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 4));
    for (const y of new Set([2027, year])) {
      const orders = await all(`/v1/accountability/rectifications?year=${y}&limit=10`);
      const t = await rectificationTotals(rt.regionCode, y);
      expect(t).toMatchObject({
        total: orders.length,
        closed: orders.filter((o) => o.status === 'closed').length,
        closedOnTime: orders.filter((o) => o.closedOnTime).length,
        open: orders.filter((o) => o.status !== 'closed').length,
        overdue: orders.filter((o) => o.overdue).length,
      });
      const bySource: Record<string, number> = {};
      for (const o of orders) bySource[o.source.kind] = (bySource[o.source.kind] ?? 0) + 1;
      expect(t.bySource).toEqual(bySource);
      const mine = orders.filter((o) => o.owner.department === DEPT);
      expect(await rectificationStats(rt.regionCode, y, DEPT)).toMatchObject({ total: mine.length, closed: mine.filter((o) => o.status === 'closed').length });
      expect(await rectificationStats(rt.regionCode, y, 'D-NOBODY')).toEqual({ total: 0, closed: 0, closedOnTime: 0, open: 0, overdue: 0 });
    }
  });
});

describe('audit findings filed in a batch', () => {
  let audit: string;
  let congress: string;
  const tracked = objectId();
  const today = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
  const file = (token: string, body: unknown) => rt.call('POST', '/v1/accountability/audit-findings', { token, body });
  const ordersOf = async (reference: string) => {
    const year = Number(today().slice(0, 4));
    const items: any[] = [];
    for (const y of new Set([2027, year])) {
      let cursor: string | undefined;
      do {
        const r = await rt.call('GET', `/v1/accountability/rectifications?year=${y}&source=audit&limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token: finance });
        expect(r.status, JSON.stringify(r.body)).toBe(200);
        items.push(...r.body.items);
        cursor = r.body.nextCursor;
      } while (cursor);
    }
    return items.filter((o) => o.source.reference.startsWith(reference));
  };

  beforeAll(async () => {
    audit = await rt.token({ role: 'supervisor', supervisoryBody: 'audit', sub: 'acc-audit-1' });
    congress = await rt.token({ role: 'supervisor', supervisoryBody: 'congress', sub: 'acc-npc-9' });
    // An object accountability knows: its event has gone through every consumer (the ledger files the object).
    await rt.bus.publish([evaluationCompleted(tracked, 2027, 'fair')]);
    await rt.settle();
  });

  it('refuses a batch with a bad line, naming its line and field, and writes nothing', async () => {
    const content = ['审计报告文号,项目编号,部门编码,单位编码,发现问题,整改要求,整改期限', `赣审-坏-1,${tracked},,,资金闲置,盘活,`, '赣审-坏-2,,,,没有对象也没有部门,,', `赣审-坏-3,${tracked},D-OTHER,,部门不符,,`].join('\n');
    const r = await file(audit, { format: 'csv', batchId: 'audit-2027-bad', content });
    expect(r.status).toBe(422);
    expect(r.body.rows).toEqual([
      { line: 3, field: 'department', reason: 'name the spending object (objectId) or the owner department' },
      { line: 4, field: 'department', reason: `${tracked} belongs to department ${DEPT}` },
    ]);
    expect(await ordersOf('赣审-坏-')).toEqual([]);
  });

  it('makes one rectification order per line (source audit), and the same batch again answers the same orders', async () => {
    const content = ['reference,objectId,department,unit,issue,requirement,deadline', `赣审-好-1,${tracked},,,项目资金闲置12个月,盘活或收回,`, `赣审-好-2,,${DEPT},${UNIT},绩效目标未细化量化,补充量化指标,${today()}`].join('\n');
    const first = await file(audit, { format: 'csv', batchId: 'audit-2027-01', content });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body.orders.map((o: any) => [o.line, o.objectId ?? null, o.owner])).toEqual([
      [2, tracked, { department: DEPT, unit: UNIT }],
      [3, null, { department: DEPT, unit: UNIT }],
    ]);
    const orders = await ordersOf('赣审-好-');
    expect(orders.map((o) => [o.source, o.issue, o.createdBy]).sort()).toEqual(
      [
        [{ kind: 'audit', reference: '赣审-好-1' }, '项目资金闲置12个月', 'acc-audit-1'],
        [{ kind: 'audit', reference: '赣审-好-2' }, '绩效目标未细化量化', 'acc-audit-1'],
      ].sort(),
    );
    const again = await file(audit, { format: 'csv', batchId: 'audit-2027-01', content });
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.orders).toEqual(first.body.orders);
    expect(await ordersOf('赣审-好-')).toHaveLength(2);
    const changed = await file(audit, { format: 'csv', batchId: 'audit-2027-01', content: `${content}\n赣审-好-3,,${DEPT},,又一条,,` });
    expect(changed.status).toBe(409);
  });

  it('takes JSON findings too, each line numbered from 1', async () => {
    const bad = await file(audit, { format: 'json', batchId: 'audit-2027-json-bad', findings: [{ reference: '赣审-J-1', department: DEPT, issue: '问题' }, { reference: '赣审-J-2', issue: '问题' }] });
    expect(bad.status).toBe(422);
    expect(bad.body.rows.map((p: any) => [p.line, p.field])).toEqual([[2, 'department']]);
    const good = await file(audit, { format: 'json', batchId: 'audit-2027-json', findings: [{ reference: '赣审-J-1', department: DEPT, issue: '问题' }] });
    expect(good.status, JSON.stringify(good.body)).toBe(201);
  });

  it('is audit’s alone: the People’s Congress, a supervisor of no body and finance get 403', async () => {
    const body = { format: 'json', batchId: 'audit-2027-who', findings: [{ reference: 'x', department: DEPT, issue: '问题' }] };
    expect((await file(congress, body)).status).toBe(403);
    expect((await file(supervisor, body)).status).toBe(403);
    expect((await file(finance, body)).status).toBe(403);
  });
});
