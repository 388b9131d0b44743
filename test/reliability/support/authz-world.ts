/**
 * The records the authorization matrix aims at, seeded through the public APIs on one local
 * runtime: everything belongs to department A / unit A (or supervisor A), and the tokens come
 * in three kinds — A (in scope), B (another department, another unit, another supervisor:
 * out of scope) and foreign (the same claims as A, issued for another region).
 */
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import deviationExample from '../../../events/examples/MonitoringDeviation.v1.json' with { type: 'json' };
import type { Role } from '../../../events/envelope.ts';
import { approveObject, projectBody } from '../../support/declaration.ts';
import { eventually, sampleIndicator, type ApiResponse, type TestRuntime } from '../../support/runtime.ts';

export const MATRIX_ROLES = ['unit', 'department', 'finance', 'supervisor'] as const satisfies readonly Role[];
export type MatrixRole = (typeof MATRIX_ROLES)[number];

/** Another division with its own configuration (infra/regions.ts): Nanchang. */
export const FOREIGN_REGION = '360100';

export interface World {
  year: number;
  deptA: string;
  unitA: string;
  deptB: string;
  unitB: string;
  /** In scope: A's unit, A's department, finance, supervisor A. */
  a: Record<MatrixRole, string>;
  /** Out of scope: B's unit, B's department, finance (region-wide, so same as A), supervisor B. */
  b: Record<MatrixRole, string>;
  /** A unit of department A that is not unit A (a sibling must not see unit A's objects either). */
  unitSibling: string;
  /** Same claims as `a`, region FOREIGN_REGION. */
  foreign: Record<MatrixRole, string>;
  indicatorId: string;
  objectId: string;
  /** Row ids of the object's approved targets. */
  rowIds: string[];
  targetVersion: number;
  windowId: string;
  reportId: string;
  selfEvaluationId: string;
  keyEvaluationId: string;
  orderId: string;
  caseId: string;
  assessmentId: string;
  subscriptionId: string;
  alertId: string;
  disclosureId: string;
}

const WAIT_MS = 20_000;

async function ok(r: Promise<ApiResponse>, status = 200): Promise<ApiResponse> {
  const res = await r;
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  return res;
}

const etag = (r: ApiResponse) => r.headers.get('etag') as string;

export async function seedWorld(rt: TestRuntime): Promise<World> {
  const year = 2031;
  const tag = randomUUID().slice(0, 6).toUpperCase();
  const deptA = `D-AZA${tag}`;
  const deptB = `D-AZB${tag}`;
  const unitA = `U-AZA${tag}-1`;
  const unitB = `U-AZB${tag}-1`;
  const tokens = async (region: string | undefined, dept: string, unit: string, sup: string, fin: string) => ({
    unit: await rt.token({ role: 'unit', department: dept, unit, sub: `${unit.toLowerCase()}-clerk`, ...(region ? { region } : {}) }),
    department: await rt.token({ role: 'department', department: dept, sub: `${dept.toLowerCase()}-reviewer`, ...(region ? { region } : {}) }),
    finance: await rt.token({ role: 'finance', sub: fin, ...(region ? { region } : {}) }),
    supervisor: await rt.token({ role: 'supervisor', sub: sup, ...(region ? { region } : {}) }),
  });
  const a = await tokens(undefined, deptA, unitA, 'azm-sup-a', 'azm-fin-a');
  const b = await tokens(undefined, deptB, unitB, 'azm-sup-b', 'azm-fin-b');
  const foreign = await tokens(FOREIGN_REGION, deptA, unitA, 'azm-sup-a', 'azm-fin-a');
  const unitSibling = await rt.token({ role: 'unit', department: deptA, unit: `U-AZA${tag}-2`, sub: 'azm-sibling' });

  // Indicators: one library indicator.
  const indicator = await ok(rt.call('POST', '/v1/indicators', { token: a.finance, body: { ...sampleIndicator, name: `授权矩阵指标${tag}` } }), 201);
  await ok(rt.call('POST', `/v1/indicators/${indicator.body.id}/publish`, { token: a.finance, headers: { 'if-match': etag(indicator) } }));

  // Declaration: an approved project of unit A; it reaches monitoring, evaluation and accountability by events.
  const approved = await approveObject(rt, { unit: a.unit, department: a.department, finance: a.finance }, projectBody(year, { name: `授权矩阵项目${tag}` }));
  const objectId = approved.id;
  await eventually(async () => ((await rt.call('GET', `/v1/monitoring/objects/${objectId}`, { token: a.finance })).status === 200 ? true : undefined), WAIT_MS);
  await eventually(async () => {
    const r = await rt.call('GET', `/v1/evaluation/coverage?year=${year}&department=${deptA}`, { token: a.finance });
    return (r.body?.byDepartment ?? []).some((d: { missing: { objectId: string }[] }) => d.missing.some((m) => m.objectId === objectId)) ? true : undefined;
  }, WAIT_MS);

  // Monitoring: a window and unit A's report.
  const window = await ok(rt.call('POST', '/v1/monitoring/windows', { token: a.finance, body: { fiscalYear: year, throughMonth: 6, dueDate: `${year}-07-10`, scope: { kind: 'all' } } }), 201);
  const report = await ok(
    rt.call('POST', '/v1/monitoring/reports', {
      token: a.unit,
      body: {
        windowId: window.body.id,
        objectId,
        executedWan: 400,
        expectedFullYearWan: 800,
        indicators: approved.rows.map((r) => ({ rowId: r.rowId, valueToDate: r.value, forecast: r.value, likelihood: 'certain' })),
      },
    }),
    201,
  );

  // Evaluation: unit A's self-evaluation and finance's key evaluation of the object.
  const self = await ok(rt.call('POST', '/v1/evaluation/self-evaluations', { token: a.unit, body: { objectId } }), 201);
  const key = await ok(
    rt.call('POST', '/v1/evaluation/key-evaluations', {
      token: a.finance,
      body: {
        objectId,
        evaluatorType: 'finance',
        evaluator: '财政厅绩效处',
        rows: [
          { part: 'decision', name: '项目立项规范性', weight: 15, score: 12 },
          { part: 'process', name: '资金使用合规性', weight: 20, score: 16 },
          { part: 'output', name: '建设任务完成率', weight: 35, score: 30 },
          { part: 'benefit', name: '粮食产能提升', weight: 30, score: 24.5 },
        ],
        problems: [],
        recommendations: [],
      },
    }),
    201,
  );

  // Accountability: a rectification order owned by unit A, a case about department A, department A's published assessment.
  const order = await ok(
    rt.call('POST', '/v1/accountability/rectifications', {
      token: a.finance,
      body: { source: { kind: 'audit', reference: `审计报告〔${year}〕${tag}` }, owner: { department: deptA, unit: unitA }, issue: '专项资金滞留未拨付', deadline: '2099-12-31' },
    }),
    201,
  );
  const opened = await ok(rt.call('POST', '/v1/accountability/cases', { token: a.finance, body: { subject: `授权矩阵线索${tag}`, department: deptA, fiscalYear: year, reason: '审计移送' } }), 201);
  let sheet = await ok(rt.call('POST', '/v1/accountability/assessments', { token: a.finance, body: { fiscalYear: year, assessee: { type: 'department', code: deptA, name: '授权矩阵厅' } } }), 201);
  const missing = sheet.body.missing as string[];
  if (missing.length) {
    sheet = await ok(
      rt.call('PATCH', `/v1/accountability/assessments/${sheet.body.id}`, {
        token: a.finance,
        headers: { 'if-match': etag(sheet) },
        body: { entries: missing.map((code) => ({ code, ratio: 0.8, reason: '授权矩阵录入' })) },
      }),
    );
  }
  await ok(rt.call('POST', `/v1/accountability/assessments/${sheet.body.id}/publish`, { token: a.finance, headers: { 'if-match': etag(sheet) } }));

  // Supervisor A's subscription and an alert in A's inbox.
  const subscription = await ok(rt.call('POST', '/v1/accountability/alert-subscriptions', { token: a.supervisor, body: { name: `授权矩阵${tag}`, filters: { departments: [deptA] } } }), 201);
  const eventId = randomUUID();
  const detail = structuredClone(deviationExample) as any;
  detail.meta.eventId = eventId;
  detail.meta.occurredAt = new Date().toISOString();
  detail.meta.subject = { type: 'project', id: objectId };
  detail.data.object = { ...detail.data.object, id: objectId, department: deptA, unit: unitA };
  detail.data.light = 'red';
  await rt.bus.publish([
    { version: '0', id: randomUUID(), 'detail-type': 'MonitoringDeviation', source: 'jixiao.monitoring', account: '000000000000', time: new Date().toISOString(), region: rt.awsRegion, resources: [], detail },
  ] as never);
  const alert = await eventually(async () => {
    const r = await rt.call('GET', '/v1/accountability/alerts', { token: a.supervisor });
    return (r.body?.items ?? []).find((x: { eventId: string }) => x.eventId === eventId) as { id: string } | undefined;
  }, WAIT_MS);

  // A public disclosure of the object's targets (accountability has the approved targets once the event arrived).
  const disclosure = await eventually(async () => {
    const r = await rt.call('POST', '/v1/accountability/disclosures', { token: a.finance, body: { kind: 'targets', objectId } });
    return r.status === 201 ? r : undefined;
  }, WAIT_MS, 200);

  return {
    year,
    deptA,
    unitA,
    deptB,
    unitB,
    a,
    b,
    unitSibling,
    foreign,
    indicatorId: indicator.body.id,
    objectId,
    rowIds: approved.rows.map((r) => r.rowId),
    targetVersion: 1,
    windowId: window.body.id,
    reportId: report.body.id,
    selfEvaluationId: self.body.id,
    keyEvaluationId: key.body.id,
    orderId: order.body.id,
    caseId: opened.body.id,
    assessmentId: sheet.body.id,
    subscriptionId: subscription.body.id,
    alertId: alert.id,
    disclosureId: disclosure.body.id,
  };
}
