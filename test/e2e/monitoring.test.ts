/**
 * "双监控" over HTTP on the local runtime: an approved project reaches monitoring as its
 * baseline; finance opens windows; the unit reports execution and target progress; lights,
 * deviations, corrections and pause recommendations follow; reminders and escalations run on
 * the schedule's clock; dashboards count and export.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approveObject, projectBody, type Desk } from '../support/declaration.ts';
import { bootRuntime, eventually, type TestRuntime } from '../support/runtime.ts';

let rt: TestRuntime;
let desk: Desk;
let supervisor: string;
let otherUnit: string;
let otherDepartment: string;

const YEAR = 2027;
const WAIT_MS = 15_000;

beforeAll(async () => {
  rt = await bootRuntime();
  desk = {
    unit: await rt.token({ role: 'unit', department: 'D-MON', unit: 'U-MON-01', sub: 'mon-unit-1' }),
    department: await rt.token({ role: 'department', department: 'D-MON', sub: 'mon-dept-1' }),
    finance: await rt.token({ role: 'finance', sub: 'mon-finance-1' }),
  };
  supervisor = await rt.token({ role: 'supervisor', sub: 'mon-npc-1' });
  otherUnit = await rt.token({ role: 'unit', department: 'D-MON', unit: 'U-MON-99', sub: 'mon-unit-9' });
  otherDepartment = await rt.token({ role: 'department', department: 'D-OTHER', sub: 'mon-dept-9' });
});
afterAll(async () => rt?.stop());

const etag = (r: { headers: Headers }) => r.headers.get('etag') as string;

/** An approved project that monitoring has received (its baseline is readable). */
async function monitoredProject(name: string) {
  const approved = await approveObject(rt, desk, projectBody(YEAR, { name }));
  await eventually(async () => ((await rt.call('GET', `/v1/monitoring/objects/${approved.id}`, { token: desk.finance })).status === 200 ? true : undefined), WAIT_MS);
  return approved;
}

async function openWindow(throughMonth: number, dueDate: string, scope: Record<string, unknown> = { kind: 'all' }) {
  const r = await rt.call('POST', '/v1/monitoring/windows', { token: desk.finance, body: { fiscalYear: YEAR, throughMonth, dueDate, scope } });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body as { id: string; label: string };
}

/** Every row on track for the year, with the given execution. */
function reportBody(windowId: string, objectId: string, rows: { rowId: string; operator: string; value?: number | string }[], executedWan: number, throughMonth: number) {
  return {
    windowId,
    objectId,
    executedWan,
    expectedFullYearWan: 790,
    indicators: rows.map((r) => ({
      rowId: r.rowId,
      valueToDate: typeof r.value === 'number' ? (r.operator === 'gte' && r.value > 100 ? Math.round((r.value * throughMonth) / 12) : r.value) : undefined,
      forecast: r.value,
      likelihood: 'certain',
    })),
  };
}

/** The object's timeline once it holds every wanted type (the bus delivers in no particular order). */
async function timelineTypes(objectId: string, ...wanted: string[]) {
  return eventually(async () => {
    const r = await rt.call('GET', `/v1/accountability/timeline/${objectId}`, { token: supervisor });
    const types: string[] = (r.body.items ?? []).map((e: { detailType: string }) => e.detailType);
    return wanted.every((w) => types.includes(w)) ? types : undefined;
  }, WAIT_MS);
}

describe('execution light, deviation and correction', () => {
  it('lights a Jan-Jul report at 30 % red, emits MonitoringDeviation with the causing rows, shows it in the dashboard and the timeline; a later report at 75 % emits DeviationCorrected', async () => {
    const project = await monitoredProject('监控偏差测试项目');
    const july = await openWindow(7, '2027-08-10');

    const report = await rt.call('POST', '/v1/monitoring/reports', { token: desk.unit, body: reportBody(july.id, project.id, project.rows, 240, 7) });
    expect(report.status, JSON.stringify(report.body)).toBe(201);
    expect(report.body.execution).toMatchObject({ budgetWan: 800, executedWan: 240, rate: 0.3, score: 51.43, light: 'red' });
    expect(report.body.light).toBe('red');
    expect(report.body.deviations).toEqual([expect.objectContaining({ kind: 'execution', light: 'red', severity: 'major', score: 51.43 })]);

    const types = await timelineTypes(project.id, 'MonitoringDeviation', 'MonitoringReported');
    expect(types).toEqual(expect.arrayContaining(['MonitoringReported', 'MonitoringDeviation']));
    const event = (await rt.call('GET', `/v1/accountability/timeline/${project.id}`, { token: supervisor })).body.items.find((e: { detailType: string }) => e.detailType === 'MonitoringDeviation');
    expect(event.data).toMatchObject({ light: 'red', window: { id: july.id, label: '1~7月' }, rows: [expect.objectContaining({ kind: 'execution', severity: 'major' })] });

    const dashboard = await rt.call('GET', `/v1/monitoring/dashboards/windows/${july.id}?department=D-MON`, { token: desk.finance });
    expect(dashboard.status, JSON.stringify(dashboard.body)).toBe(200);
    expect(dashboard.body.lights.red).toBeGreaterThanOrEqual(1);
    expect(dashboard.body.worst).toEqual(expect.arrayContaining([expect.objectContaining({ objectId: project.id, light: 'red', kind: 'execution' })]));

    const september = await openWindow(9, '2027-10-10');
    const later = await rt.call('POST', '/v1/monitoring/reports', { token: desk.unit, body: reportBody(september.id, project.id, project.rows, 600, 9) });
    expect(later.status, JSON.stringify(later.body)).toBe(201);
    expect(later.body.execution).toMatchObject({ rate: 0.75, light: 'green' });
    expect(later.body.light).toBe('green');
    await timelineTypes(project.id, 'DeviationCorrected');
  });

  it('recommends pausing funds when an object stays red in two consecutive windows', async () => {
    const project = await monitoredProject('连续红灯项目');
    const july = await openWindow(7, '2027-08-10');
    const september = await openWindow(9, '2027-10-10');
    expect((await rt.call('POST', '/v1/monitoring/reports', { token: desk.unit, body: reportBody(july.id, project.id, project.rows, 200, 7) })).body.light).toBe('red');
    expect((await rt.call('POST', '/v1/monitoring/reports', { token: desk.unit, body: reportBody(september.id, project.id, project.rows, 300, 9) })).body.light).toBe('red');
    await timelineTypes(project.id, 'FundingPauseRecommended');
    const state = await rt.call('GET', `/v1/monitoring/objects/${project.id}`, { token: desk.department });
    expect(state.body.state).toMatchObject({ redWindows: 2, lastLight: 'red', open: { windowId: july.id, light: 'red' } });
  });

  it('recommends recovering idle funds: 80 of 800 万元 by June (10 % against half the year) with 500 expected leaves 300 idle', async () => {
    const project = await monitoredProject('闲置资金项目');
    const june = await openWindow(6, '2027-07-10');
    const body = { ...reportBody(june.id, project.id, project.rows, 80, 6), expectedFullYearWan: 500 };
    expect((await rt.call('POST', '/v1/monitoring/reports', { token: desk.unit, body })).status).toBe(201);
    await timelineTypes(project.id, 'IdleFundsRecoveryRecommended');
    const event = (await rt.call('GET', `/v1/accountability/timeline/${project.id}`, { token: supervisor })).body.items.find((e: { detailType: string }) => e.detailType === 'IdleFundsRecoveryRecommended');
    // 800 − max(500, 80) = 300; 80 ÷ 800 = 10 % < 0.5 × 6/12.
    expect(event.data).toMatchObject({ budgetWan: 800, executedWan: 80, expectedFullYearWan: 500, idleWan: 300, executionRate: 0.1, timeShare: 0.5, window: { id: june.id } });
  });

  it('refuses an incomplete report naming each missing row, and a report for an earlier window once a later one exists', async () => {
    const project = await monitoredProject('报告完整性项目');
    const july = await openWindow(7, '2027-08-10');
    const body = reportBody(july.id, project.id, project.rows, 400, 7);
    const incomplete = await rt.call('POST', '/v1/monitoring/reports', { token: desk.unit, body: { ...body, indicators: body.indicators.slice(1) } });
    expect(incomplete.status).toBe(400);
    expect(incomplete.body.errors).toEqual([expect.objectContaining({ field: 'body.indicators', message: expect.stringContaining(project.rows[0]!.rowId) })]);

    const september = await openWindow(9, '2027-10-10');
    expect((await rt.call('POST', '/v1/monitoring/reports', { token: desk.unit, body: reportBody(september.id, project.id, project.rows, 600, 9) })).status).toBe(201);
    const late = await rt.call('POST', '/v1/monitoring/reports', { token: desk.unit, body });
    expect(late.status).toBe(409);
  });

  it('keeps every revision of a corrected report and needs If-Match to correct it', async () => {
    const project = await monitoredProject('报告更正项目');
    const july = await openWindow(7, '2027-08-10');
    const first = await rt.call('POST', '/v1/monitoring/reports', { token: desk.unit, body: reportBody(july.id, project.id, project.rows, 200, 7) });
    const { windowId: _w, objectId: _o, ...input } = reportBody(july.id, project.id, project.rows, 500, 7);
    expect((await rt.call('PUT', `/v1/monitoring/reports/${first.body.id}`, { token: desk.unit, body: input })).status).toBe(428);
    const corrected = await rt.call('PUT', `/v1/monitoring/reports/${first.body.id}`, { token: desk.unit, headers: { 'if-match': etag(first) }, body: input });
    expect(corrected.status, JSON.stringify(corrected.body)).toBe(200);
    expect(corrected.body).toMatchObject({ revision: 2, light: 'green' });
    const revisions = await rt.call('GET', `/v1/monitoring/reports/${first.body.id}/revisions`, { token: desk.finance });
    expect(revisions.body.items.map((r: { revision: number; light: string }) => [r.revision, r.light])).toEqual([[1, 'red']]);
    // The correction within the window clears the deviation it raised.
    await timelineTypes(project.id, 'DeviationCorrected');
  });
});

describe('review and access', () => {
  it('lets the department and finance review with an outcome and comments; others get 403', async () => {
    const project = await monitoredProject('报告审核项目');
    const july = await openWindow(7, '2027-08-10');
    const r = await rt.call('POST', '/v1/monitoring/reports', { token: desk.unit, body: reportBody(july.id, project.id, project.rows, 500, 7) });
    expect((await rt.call('GET', `/v1/monitoring/reports/${r.body.id}`, { token: otherUnit })).status).toBe(403);
    expect((await rt.call('GET', `/v1/monitoring/reports/${r.body.id}`, { token: otherDepartment })).status).toBe(403);
    expect((await rt.call('POST', '/v1/monitoring/reports', { token: otherUnit, body: reportBody(july.id, project.id, project.rows, 500, 7) })).status).toBe(403);
    expect((await rt.call('POST', `/v1/monitoring/reports/${r.body.id}/reviews`, { token: otherDepartment, headers: { 'if-match': etag(r) }, body: { outcome: 'pass' } })).status).toBe(403);

    const referred = await rt.call('POST', `/v1/monitoring/reports/${r.body.id}/reviews`, { token: desk.department, headers: { 'if-match': etag(r) }, body: { outcome: 'refer_experts', comments: '产出进度需专家核实' } });
    expect(referred.status, JSON.stringify(referred.body)).toBe(200);
    const passed = await rt.call('POST', `/v1/monitoring/reports/${r.body.id}/reviews`, { token: desk.finance, headers: { 'if-match': etag(referred) }, body: { outcome: 'pass' } });
    expect(passed.body.reviews.map((v: { stage: string; outcome: string }) => [v.stage, v.outcome])).toEqual([
      ['department', 'refer_experts'],
      ['finance', 'pass'],
    ]);
    expect((await rt.call('POST', '/v1/monitoring/windows', { token: desk.department, body: { fiscalYear: YEAR, throughMonth: 7, dueDate: '2027-08-10', scope: { kind: 'all' } } })).status).toBe(403);
  });
});

describe('reminders and escalation on the schedule clock', () => {
  it('reminds the unit before the due date, escalates past the grace period, and sends each once', async () => {
    const quiet = await monitoredProject('未报告项目');
    const window = await openWindow(7, '2027-08-10', { kind: 'key', objectIds: [quiet.id] });
    const fire = (iso: string) => rt.scheduler.fire('monitoring.reminders.hourly', new Date(iso));
    const dueEvents = async () => {
      const r = await rt.call('GET', `/v1/accountability/timeline/${quiet.id}`, { token: supervisor });
      // Other tests' windows (scope all) cover this object too: count this window's only.
      return (r.body.items ?? [])
        .filter((e: { detailType: string; data: { window?: { id: string } } }) => e.data.window?.id === window.id)
        .map((e: { detailType: string }) => e.detailType)
        .filter((t: string) => t === 'MonitoringReminderSent' || t === 'MonitoringEscalated');
    };

    await fire('2027-08-01T01:00:00Z'); // more than 3 days ahead: nothing yet
    await fire('2027-08-08T01:00:00Z'); // within 3 days of the due date: reminder
    await eventually(async () => ((await dueEvents()).includes('MonitoringReminderSent') ? true : undefined), WAIT_MS);
    await fire('2027-08-09T01:00:00Z'); // again: no second reminder
    await fire('2027-08-16T01:00:00Z'); // 5 days past the due date: escalation
    await eventually(async () => ((await dueEvents()).includes('MonitoringEscalated') ? true : undefined), WAIT_MS);
    await fire('2027-08-20T01:00:00Z'); // again: nothing new
    await rt.settle(); // whatever the last runs published has reached the timeline

    expect((await dueEvents()).sort()).toEqual(['MonitoringEscalated', 'MonitoringReminderSent']);
    expect(window.label).toBe('1~7月');
  });
});

describe('dashboards', () => {
  it('exports one CSV line per object of the window, UTF-8 with BOM', async () => {
    const project = await monitoredProject('导出测试项目');
    const window = await openWindow(7, '2027-08-10', { kind: 'key', objectIds: [project.id] });
    await rt.call('POST', '/v1/monitoring/reports', { token: desk.unit, body: reportBody(window.id, project.id, project.rows, 240, 7) });
    const r = await fetch(`${rt.apiUrl}/v1/monitoring/dashboards/windows/${window.id}?format=csv&department=D-MON`, { headers: { authorization: `Bearer ${desk.finance}` } });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('text/csv');
    const bytes = new Uint8Array(await r.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    const line = text.split('\r\n').find((l) => l.startsWith(project.id));
    expect(line).toContain('导出测试项目');
    expect(line).toContain('red');
  });
});

describe('the dashboard views after everything above', () => {
  it('are consistent with their sources in every window: reports, corrections and baselines arrived through the API and the bus', async () => {
    await rt.settle(WAIT_MS);
    const r = await rt.call('GET', `/v1/monitoring/views/verify?year=${YEAR}`, { token: desk.finance });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.items.length).toBeGreaterThan(0);
    for (const item of r.body.items) expect(item, item.view).toMatchObject({ fiscalYear: YEAR, consistent: true, differences: [] });
    expect((await rt.call('GET', `/v1/monitoring/views/verify?year=${YEAR}`, { token: supervisor })).status).toBe(403);
  });
});
