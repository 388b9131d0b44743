/**
 * Issue #7, first "Done when": a project graded 差 two years running opens an accountability
 * case by rule; a supervisor subscribed to its department gets the inbox alert and a signed
 * webhook delivery (to a loopback receiver) within 2 s on the local runtime; the case's chain
 * verifies, and altering one stored entry makes verification fail.
 *
 * Both years go through the real services over HTTP: declaration (the 2027 object continues the
 * 2026 one and passes the results gate with finance's "keep"), monitoring, self-evaluation.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyWebhookSignature } from '../../services/accountability/domain/alerts.ts';
import { approveObject, projectBody, standardRows, type Desk } from '../support/declaration.ts';
import { bootRuntime, eventually, type ApiResponse, type TestRuntime } from '../support/runtime.ts';

let rt: TestRuntime;
let finance: string;
let supervisor: string;
let receiver: Server;
let receiverUrl: string;
const deliveries: { at: number; headers: IncomingMessage['headers']; body: string }[] = [];

const WAIT_MS = 20_000;
const DEPARTMENT = 'D-CASE';
const UNIT = 'U-CASE-01';
const etag = (r: { headers: Headers }) => r.headers.get('etag') as string;

async function ok(r: Promise<ApiResponse>, status = 200): Promise<ApiResponse> {
  const res = await r;
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  return res;
}

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      deliveries.push({ at: Date.now(), headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/jixiao-alerts`;
  rt = await bootRuntime();
  finance = await rt.token({ role: 'finance', sub: 'case-finance-1' });
  supervisor = await rt.token({ role: 'supervisor', sub: 'case-npc-1' });
});
afterAll(async () => {
  await rt?.stop();
  await new Promise<void>((resolve) => (receiver ? receiver.close(() => resolve()) : resolve()));
});

type Row = { rowId: string; name: string; operator: string; value?: number | string };

async function desk(): Promise<Desk> {
  return {
    unit: await rt.token({ role: 'unit', department: DEPARTMENT, unit: UNIT, sub: 'u-case-01-clerk' }),
    department: await rt.token({ role: 'department', department: DEPARTMENT, sub: 'd-case-reviewer' }),
    finance,
  };
}

/** Finance opens the year's 1~12月 window and the unit reports 790 of 800 executed, every row at its target. */
async function reportFullYear(d: Desk, objectId: string, year: number, rows: Row[]): Promise<void> {
  await eventually(async () => ((await rt.call('GET', `/v1/monitoring/objects/${objectId}`, { token: finance })).status === 200 ? true : undefined), WAIT_MS);
  const windows = await ok(rt.call('GET', `/v1/monitoring/windows?year=${year}`, { token: finance }));
  const existing = (windows.body.items as { id: string; throughMonth: number }[]).find((w) => w.throughMonth === 12);
  const windowId = existing?.id ?? (await ok(rt.call('POST', '/v1/monitoring/windows', { token: finance, body: { fiscalYear: year, throughMonth: 12, dueDate: `${year + 1}-01-10`, scope: { kind: 'all' } } }), 201)).body.id;
  await ok(
    rt.call('POST', '/v1/monitoring/reports', {
      token: d.unit,
      body: { windowId, objectId, executedWan: 790, expectedFullYearWan: 790, indicators: rows.map((r) => ({ rowId: r.rowId, valueToDate: r.value, forecast: r.value, likelihood: 'certain' })) },
    }),
    201,
  );
}

/** The unit's self-evaluation of a year that went badly (every actual far below target), submitted: graded 差. */
async function selfEvaluatePoor(d: Desk, objectId: string, rows: Row[]): Promise<void> {
  const started = await eventually(async () => {
    const r = await rt.call('POST', '/v1/evaluation/self-evaluations', { token: d.unit, body: { objectId } });
    return r.status === 201 ? r : undefined;
  }, WAIT_MS);
  const poor = [500, 10, 10, 30, 20];
  const patched = await ok(
    rt.call('PATCH', `/v1/evaluation/self-evaluations/${started.body.id}`, {
      token: d.unit,
      headers: { 'if-match': etag(started) },
      // The executed amount is entered, not left to the pre-fill: the report may still be on its way to evaluation.
      body: { executedWan: 790, rows: rows.map((r, i) => ({ rowId: r.rowId, actual: poor[i], deviationAnalysis: '工程严重延误', evidence: ['验收报告'] })) },
    }),
  );
  expect(patched.body.result.grade).toBe('poor');
  await ok(rt.call('POST', `/v1/evaluation/self-evaluations/${started.body.id}/submit`, { token: d.unit, headers: { 'if-match': etag(patched) } }));
}

describe('a project graded 差 two years running', () => {
  let d: Desk;
  let subscription: { id: string; signingSecret: string };
  let first: string;
  let second: string;
  let secondRows: Row[];
  let caseId: string;
  let gradedAt: number;

  beforeAll(async () => {
    d = await desk();
    const created = await ok(
      rt.call('POST', '/v1/accountability/alert-subscriptions', { token: supervisor, body: { name: '人大预算工委：D-CASE', filters: { departments: [DEPARTMENT] }, webhook: { url: receiverUrl } } }),
      201,
    );
    subscription = created.body;
    expect(subscription.signingSecret).toBeTruthy();
  });

  it('goes through 2026 over HTTP: approved, reported, self-evaluated 差', async () => {
    const approved = await approveObject(rt, d, projectBody(2026, { name: '2026年农村饮水安全巩固提升项目' }), standardRows);
    first = approved.id;
    await reportFullYear(d, first, 2026, approved.rows);
    await selfEvaluatePoor(d, first, approved.rows);
    await eventually(async () => {
      const r = await rt.call('GET', `/v1/accountability/timeline/${first}`, { token: supervisor });
      return (r.body.items ?? []).some((e: { detailType: string; data: any }) => e.detailType === 'EvaluationCompleted' && e.data.grade === 'poor') ? true : undefined;
    }, WAIT_MS);
    // One 差 is answered by the results application and a rectification order, not by a case.
    const cases = await ok(rt.call('GET', `/v1/accountability/cases?year=2026&department=${DEPARTMENT}`, { token: supervisor }));
    expect(cases.body.items).toEqual([]);
  });

  it('continues into 2027 past the results gate (finance keeps it, with a reason) and is approved', async () => {
    const created = await ok(rt.call('POST', '/v1/declaration/objects', { token: d.unit, body: projectBody(2027, { name: '2027年农村饮水安全巩固提升项目', continues: first }) }), 201);
    second = created.body.id;
    const targets = await ok(rt.call('PUT', `/v1/declaration/objects/${second}/targets`, { token: d.unit, headers: { 'if-match': etag(created) }, body: { overallGoal: { annual: '巩固提升农村饮水安全' }, rows: standardRows } }));
    const submitted = await ok(rt.call('POST', `/v1/declaration/objects/${second}/submit`, { token: d.unit, headers: { 'if-match': etag(targets) } }));
    const reviewed = await ok(rt.call('POST', `/v1/declaration/objects/${second}/reviews`, { token: d.department, headers: { 'if-match': etag(submitted) }, body: { grade: 'excellent' } }));
    // The gate applies once declaration has 2026's EvaluationCompleted; until then there is nothing to decide (409).
    const decided = await eventually(async () => {
      const r = await rt.call('POST', `/v1/declaration/objects/${second}/results-decision`, { token: finance, headers: { 'if-match': etag(reviewed) }, body: { decision: 'keep', reason: '民生兜底项目，限期整改后继续实施' } });
      if (r.status === 200) return r;
      expect(r.status, JSON.stringify(r.body)).toBe(409);
      return undefined;
    }, WAIT_MS);
    const approved = await ok(rt.call('POST', `/v1/declaration/objects/${second}/reviews`, { token: finance, headers: { 'if-match': etag(decided) }, body: { grade: 'excellent' } }));
    expect(approved.body).toMatchObject({ status: 'approved', continues: first });
    secondRows = targets.body.rows;
    await reportFullYear(d, second, 2027, secondRows);
  });

  it('opens a case by rule when 2027 is graded 差 too, and the supervisor gets the inbox alert and a signed webhook within 2 s', async () => {
    // Everything before the second 差 has been delivered, so what follows is caused by it alone.
    await rt.settle(WAIT_MS);
    const before = deliveries.length;
    await selfEvaluatePoor(d, second, secondRows);
    gradedAt = Date.now();

    const alert = await eventually(async () => {
      const r = await rt.call('GET', '/v1/accountability/alerts?status=unread&limit=100', { token: supervisor });
      return (r.body.items ?? []).find((a: any) => a.eventType === 'AccountabilityCaseOpened' && a.subject?.id === second);
    }, 2000);
    const inboxMs = Date.now() - gradedAt;
    const delivery = await eventually(async () => deliveries.slice(before).find((x) => JSON.parse(x.body).eventType === 'AccountabilityCaseOpened'), 2000 - (Date.now() - gradedAt));
    console.log(`[case-alert] second 差 submitted → inbox alert ${inboxMs} ms, signed webhook ${delivery.at - gradedAt} ms`);

    expect(alert).toMatchObject({ severity: 'critical', department: DEPARTMENT });
    const sent = JSON.parse(delivery.body);
    expect(sent).toMatchObject({ id: alert.id, subscriptionId: subscription.id, eventType: 'AccountabilityCaseOpened', department: DEPARTMENT });
    expect(delivery.headers['x-jixiao-alert-id']).toBe(alert.id);
    const check = verifyWebhookSignature(subscription.signingSecret, delivery.body, delivery.headers['x-jixiao-signature'] as string, Math.floor(Date.now() / 1000), 300);
    expect(check.ok, JSON.stringify(check)).toBe(true);
    expect(verifyWebhookSignature(subscription.signingSecret, delivery.body.replace(DEPARTMENT, 'D-OTHER'), delivery.headers['x-jixiao-signature'] as string, Math.floor(Date.now() / 1000), 300).ok).toBe(false);

    const cases = await ok(rt.call('GET', `/v1/accountability/cases?year=2027&department=${DEPARTMENT}&rule=poor_grade_years`, { token: supervisor }));
    expect(cases.body.items).toHaveLength(1);
    caseId = cases.body.items[0].id;
    expect(cases.body.items[0]).toMatchObject({ status: 'open', object: { id: second, continues: first } });
  });

  it("verifies the case's chain, and fails verification once a stored entry is altered", async () => {
    const note = await ok(rt.call('POST', `/v1/accountability/cases/${caseId}/entries`, { token: supervisor, body: { type: 'note', text: '请财政部门说明两年评价为差的原因' } }), 201);
    await ok(rt.call('POST', `/v1/accountability/cases/${caseId}/decision`, { token: finance, headers: { 'if-match': etag(note) }, body: { outcome: 'budget_cut', reasons: ['连续两年绩效评价为差'], amountWan: 240 } }));
    const valid = await ok(rt.call('GET', `/v1/accountability/cases/${caseId}/verify`, { token: supervisor }));
    expect(valid.body).toMatchObject({ valid: true, length: 3 });

    // Someone with table access rewrites the decision's amount.
    const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: rt.dynamodbEndpoint, region: rt.awsRegion, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }));
    await doc.send(
      new UpdateCommand({
        TableName: rt.tables.accountability,
        Key: { pk: `CASE#${caseId}`, sk: 'E#000003' },
        UpdateExpression: 'SET #b.#a = :a',
        ExpressionAttributeNames: { '#b': 'body', '#a': 'amountWan' },
        ExpressionAttributeValues: { ':a': 24 },
      }),
    );
    doc.destroy();
    const broken = await ok(rt.call('GET', `/v1/accountability/cases/${caseId}/verify`, { token: finance }));
    expect(broken.body).toMatchObject({ valid: false, brokenAt: 3 });
  });
});
