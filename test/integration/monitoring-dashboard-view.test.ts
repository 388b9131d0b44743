/**
 * The monitoring dashboard's maintained view on DynamoDB Local (services/monitoring/store/
 * dashboard-view.ts), through the real stores and the API: after baselines, windows, reports, a
 * correction, treasury batches and a revision that takes an object out of a key window, the
 * dashboard the API reads from the view is the one buildDashboard computes from every source item;
 * refreshes run again in another order change nothing; a view corrupted on purpose is found by
 * verify and repaired by rebuild; the CSV pages with a Link header.
 */
import { UpdateCommand, DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { financeClaims } from '../support/api-event.ts';
import { inProcessApi, type InProcessApi } from '../support/in-process-api.ts';
import monitoring from '../../services/monitoring/service.ts';
import { buildDashboard, dashboardCsv } from '../../services/monitoring/domain/dashboard.ts';
import { executionFigure, INITIAL_STATE, type DeviationRow, type Light } from '../../services/monitoring/domain/deviation.ts';
import { inWindowScope, type ReportHead, type Window } from '../../services/monitoring/domain/report.ts';
import { defaultMonitoringRules } from '../../services/monitoring/domain/rules.ts';
import example from '../../events/examples/TargetApproved.v1.json' with { type: 'json' };

type Stores = {
  objects: typeof import('../../services/monitoring/store/objects.ts');
  reports: typeof import('../../services/monitoring/store/reports.ts');
  totals: typeof import('../../services/monitoring/store/execution-totals.ts');
  view: typeof import('../../services/monitoring/store/dashboard-view.ts');
  jobs: typeof import('../../services/monitoring/jobs/views.ts');
  clients: typeof import('../../shared/clients/dynamodb.ts');
};

const YEAR = 2027;
const RULES = defaultMonitoringRules('360000', YEAR); // key objects from 1000 万元
/** The rules in force (changed by the last spec). */
let rules = RULES;
let api: InProcessApi;
let s: Stores;
let all: Window;
let key: Window;

/** Nine objects in three departments; two at or above the key amount, one listed in the key window. */
const OBJECTS = [
  { id: 'obj_dashview000001', department: 'D-A', unit: 'U-2', wan: 100 },
  { id: 'obj_dashview000002', department: 'D-A', unit: 'U-1', wan: 1500 },
  { id: 'obj_dashview000003', department: 'D-A', unit: 'U-1', wan: 80.5 },
  { id: 'obj_dashview000004', department: 'D-B', unit: 'U-1', wan: 200 },
  { id: 'obj_dashview000005', department: 'D-B', unit: 'U-3', wan: 2400 },
  { id: 'obj_dashview000006', department: 'D-B', unit: 'U-1', wan: 60 },
  { id: 'obj_dashview000007', department: 'D-C', unit: 'U-1', wan: 300 },
  { id: 'obj_dashview000008', department: 'D-C', unit: 'U-2', wan: 45 },
  { id: 'obj_dashview000009', department: 'D-C', unit: 'U-2', wan: 700 },
] as const;
const at = (i: number) => OBJECTS[i] as (typeof OBJECTS)[number];

async function putBaseline(i: number, changes: { wan?: number; targetVersion?: number } = {}) {
  const o = at(i);
  const snapshot = structuredClone(example.data.snapshot) as unknown as Parameters<Stores['objects']['putBaseline']>[0];
  snapshot.object = { ...snapshot.object, id: o.id, name: `项目${i}`, fiscalYear: YEAR, department: o.department, unit: o.unit };
  snapshot.amounts = { ...snapshot.amounts, annualTotalWan: changes.wan ?? o.wan };
  snapshot.targetVersion = changes.targetVersion ?? 1;
  await s.objects.putBaseline({ ...snapshot, receivedAt: new Date().toISOString() });
}

const deviation = (name: string, light: 'yellow' | 'red', score?: number): DeviationRow => ({ kind: 'indicator', rowId: `r_${name}`, name, light, severity: light === 'red' ? 'major' : 'minor', detail: `${name} 滞后`, ...(score !== undefined ? { score } : {}) });

function head(window: Window, i: number, r: { executedWan: number; light: Light; late?: boolean; worst?: DeviationRow[]; version?: number }): ReportHead {
  const o = at(i);
  const worst = r.worst ?? [];
  return {
    id: `rpt_${window.id.slice(4)}_${o.id.slice(4)}`,
    version: r.version ?? 1,
    revision: r.version ?? 1,
    windowId: window.id,
    windowLabel: window.label,
    fiscalYear: YEAR,
    throughMonth: window.throughMonth,
    object: { id: o.id, spendingType: 'project', name: `项目${i}`, fiscalYear: YEAR, region: '360000', department: o.department, unit: o.unit, sector: 'agriculture' },
    targetVersion: 1,
    light: r.light,
    execution: executionFigure({ budgetWan: o.wan, executedWan: r.executedWan, throughMonth: window.throughMonth }, RULES),
    annualBudgetWan: o.wan,
    expectedFullYearWan: o.wan,
    deviationCount: worst.length,
    worst,
    late: r.late ?? false,
    reviews: [],
    reportedAt: '2027-07-05T02:00:00.000Z',
    reportedBy: 'unit-clerk',
  };
}

/** A report written through the store, then the refresh the report API runs after it. */
async function report(window: Window, i: number, r: Parameters<typeof head>[2]) {
  const state = await s.objects.getState(at(i).id);
  await s.reports.writeReport({ head: head(window, i, r), detail: { indicators: [], deviations: [], missingExplanations: [] }, state: { ...INITIAL_STATE, version: (state?.version ?? 0) + 1 }, events: [] });
  await s.view.refreshDashboards(at(i).id, [window]);
}

async function treasury(batchId: string, i: number, month: number, fen: number) {
  await s.totals.applyObjectTotals(batchId, at(i).id, YEAR, new Map([[YEAR * 100 + month, fen]]), new Date().toISOString());
  await s.view.refreshDashboards(at(i).id);
}

/** The dashboard as the API computed it before the view: every scope entry, every report head, the treasury's totals. */
async function onRead(window: Window, department?: string) {
  const prefix = department ? `${department}#` : undefined;
  const [scope, heads] = await Promise.all([s.objects.allScope('360000', YEAR, prefix), s.reports.allReportHeads(window.id, prefix)]);
  const objects = scope.filter((e) => inWindowScope(window, e, rules)).map((e) => ({ objectId: e.objectId, name: e.name, department: e.department, unit: e.unit, annualTotalWan: e.annualTotalWan }));
  const executed = await s.totals.getExecutedWan(objects.map((o) => o.objectId), YEAR, window.throughMonth);
  return buildDashboard(window, objects, heads, executed, rules, department);
}

async function dashboard(window: Window, query: Record<string, string> = {}) {
  const r = await api.call({ method: 'GET', route: '/v1/monitoring/dashboards/windows/{id}', params: { id: window.id }, query, claims: financeClaims });
  expect(r.status, r.text.slice(0, 300)).toBe(200);
  return r;
}

async function expectSameAsOnRead(window: Window) {
  const { lines, ...summary } = await onRead(window);
  expect((await dashboard(window)).body).toEqual(summary);
  expect((await dashboard(window, { format: 'csv' })).text).toBe(dashboardCsv(lines));
  for (const department of ['D-A', 'D-B', 'D-C', 'D-NONE']) {
    const { lines: _lines, ...one } = await onRead(window, department);
    expect((await dashboard(window, { department })).body, department).toEqual(one);
  }
}

/** Opens a window through the API; its view's build stays pending until `runViewBuilder`. */
async function openWindow(throughMonth: number, scope: Window['scope']): Promise<Window> {
  const r = await api.call({ method: 'POST', route: '/v1/monitoring/windows', body: { fiscalYear: YEAR, throughMonth, dueDate: `${YEAR}-${String(throughMonth + 1).padStart(2, '0')}-10`, scope }, claims: financeClaims });
  expect(r.status, r.text.slice(0, 300)).toBe(201);
  return r.body as Window;
}

/** What the view builder does with the `DashboardBuildQueued` of each window (this rig has no event bus). */
async function runViewBuilder(...windows: Window[]) {
  for (const w of windows) await s.jobs.handleDashboardBuildQueued({ data: { windowId: w.id, reason: 'window-opened' } } as unknown as Parameters<typeof s.jobs.handleDashboardBuildQueued>[0]);
}

/** Each window's differences between its view and the sources (what `rebuild-views --verify` prints), in window order. */
async function differences(): Promise<string[][]> {
  return Promise.all((await s.jobs.maintainedViews('360000', YEAR)).map((v) => v.verify()));
}

beforeAll(async () => {
  api = await inProcessApi({ service: 'monitoring', table: monitoring.table!, handlerModule: '../../services/monitoring/handlers/api.ts' });
  s = {
    objects: await import('../../services/monitoring/store/objects.ts'),
    reports: await import('../../services/monitoring/store/reports.ts'),
    totals: await import('../../services/monitoring/store/execution-totals.ts'),
    view: await import('../../services/monitoring/store/dashboard-view.ts'),
    jobs: await import('../../services/monitoring/jobs/views.ts'),
    clients: await import('../../shared/clients/dynamodb.ts'),
  };
  // Six baselines before the windows (the windows' views are built from them), three after (refreshed as they arrive).
  for (let i = 0; i < 6; i++) await putBaseline(i);
  all = await openWindow(6, { kind: 'all' });
  key = await openWindow(6, { kind: 'key', objectIds: [at(0).id] });
  await runViewBuilder(all, key);
  for (let i = 6; i < 9; i++) {
    await putBaseline(i);
    await s.view.refreshDashboards(at(i).id);
  }
  await report(all, 0, { executedWan: 30, light: 'yellow', worst: [deviation('产量', 'yellow', 60)] });
  await report(all, 1, { executedWan: 200, light: 'red', late: true, worst: [deviation('进度', 'red', 26.67), deviation('质量', 'yellow')] });
  await report(all, 4, { executedWan: 1200, light: 'green' });
  await report(all, 7, { executedWan: 5, light: 'red', worst: [deviation('覆盖', 'red', 26.67)] });
  await report(key, 1, { executedWan: 200, light: 'red', worst: [deviation('进度', 'red', 26.67)] });
  // A correction: the head replaced at its version, then the same refresh.
  await s.reports.replaceReportHead(head(all, 0, { executedWan: 55, light: 'green', version: 2 }), 1);
  await s.view.refreshDashboards(at(0).id, [all]);
  await treasury('b1', 3, 3, 123_456_789); // 123.456789 万元 → shown 123.4568
  await treasury('b1', 1, 5, 2_500_000_000);
  await treasury('b2', 3, 9, 1_000_000); // after June: the June windows still count 123.456789
  // A revision below the key amount takes object 1 out of the key window (its report there stays, unshown).
  await putBaseline(1, { wan: 900, targetVersion: 2 });
  await s.view.refreshDashboards(at(1).id);
}, 120_000);

describe('the monitoring dashboard read from its maintained view', () => {
  it('equals the on-read computation from every source item: totals, departments, worst deviations, CSV; per department too', async () => {
    await expectSameAsOnRead(all);
    await expectSameAsOnRead(key);
    expect((await dashboard(key)).body).toMatchObject({ objects: 2, reported: 0 });
    expect((await dashboard(all)).body).toMatchObject({ objects: 9, reported: 4, late: 1, lights: { green: 2, yellow: 0, red: 2, unreported: 5 } });
  });

  it('is unchanged by every refresh run again, in reverse order (redelivered or late events)', async () => {
    let changed = 0;
    for (let i = OBJECTS.length - 1; i >= 0; i--) changed += await s.view.refreshDashboards(at(i).id);
    expect(changed).toBe(0);
    expect((await s.jobs.maintainedViews('360000', YEAR)).map((v) => v.view)).toEqual([`dashboard#${all.id}`, `dashboard#${key.id}`]);
    expect(await differences()).toEqual([[], []]);
  });

  it('corrupted on purpose (a count off by one, a CSV line gone) is found by verify and repaired by rebuild', async () => {
    const table = api.tableName;
    const pk = `VIEW#dashboard#${all.id}#360000#${YEAR}`;
    await s.clients.documentClient().send(new UpdateCommand({ TableName: table, Key: { pk, sk: 'G#D-B' }, UpdateExpression: 'ADD n_red :one', ExpressionAttributeValues: { ':one': 1 } }));
    await s.clients.documentClient().send(new DeleteCommand({ TableName: table, Key: { pk: `${pk}#L#objects#D-C`, sk: `U-1#${at(6).id}` } }));
    const [found] = await differences();
    expect(found).toEqual([`group D-B: red is 1, the sources give 0`, `list objects: line D-C: U-1#${at(6).id} is missing`]);

    const view = (await s.jobs.maintainedViews('360000', YEAR)).find((v) => v.view === `dashboard#${all.id}`);
    expect(await view?.rebuild()).toMatchObject({ deleted: 0 });
    expect(await differences()).toEqual([[], []]);
    await expectSameAsOnRead(all);
  });

  it("is repaired by the service's own MonitoringReported when the report API's refresh was lost (a crash after the write)", async () => {
    const { refreshViews } = await import('../../services/monitoring/jobs/views.ts');
    const state = await s.objects.getState(at(5).id);
    await s.reports.writeReport({ head: head(all, 5, { executedWan: 6, light: 'red', worst: [deviation('进度', 'red', 20)] }), detail: { indicators: [], deviations: [], missingExplanations: [] }, state: { ...INITIAL_STATE, version: (state?.version ?? 0) + 1 }, events: [] });
    const [stale] = await differences();
    expect(stale?.length).toBeGreaterThan(0);
    const event = {
      detailType: 'MonitoringReported',
      source: 'jixiao.monitoring',
      envelopeId: 'e-1',
      time: new Date().toISOString(),
      meta: { ...example.meta, subject: { type: 'project', id: at(5).id } },
      data: { window: { id: all.id } },
    } as unknown as Parameters<typeof refreshViews>[0];
    await refreshViews(event);
    await refreshViews(event); // redelivered
    expect(await differences()).toEqual([[], []]);
    await expectSameAsOnRead(all);
  });

  it("is verified and rebuilt, one item per window's view, by finance through the maintenance routes; a department may not", async () => {
    const verified = await api.call({ method: 'GET', route: '/v1/monitoring/views/verify', query: { year: String(YEAR) }, claims: financeClaims });
    expect(verified.status, verified.text.slice(0, 300)).toBe(200);
    expect(verified.body.items).toEqual([all, key].map((w) => ({ view: `dashboard#${w.id}`, region: '360000', fiscalYear: YEAR, consistent: true, differences: [] })));
    const rebuilt = await api.call({ method: 'POST', route: '/v1/monitoring/views/rebuild', body: { fiscalYear: YEAR }, claims: financeClaims });
    expect(rebuilt.status, rebuilt.text.slice(0, 300)).toBe(200);
    expect(rebuilt.body.items).toEqual([all, key].map((w) => ({ view: `dashboard#${w.id}`, region: '360000', fiscalYear: YEAR, consistent: true, differences: [], deleted: 0, written: expect.any(Number) })));
    const department = { sub: 'dept-1', role: 'department', region: '360000', department: 'D-A' };
    expect((await api.call({ method: 'GET', route: '/v1/monitoring/views/verify', query: { year: String(YEAR) }, claims: department })).status).toBe(403);
  });

  it('pages its CSV: limit lines, then the Link header (rel="next") to the rest, which adds up to the whole file', async () => {
    const { lines } = await onRead(all);
    const got: string[] = [];
    let query: Record<string, string> = { format: 'csv', limit: '4' };
    let pages = 0;
    for (;;) {
      const r = await dashboard(all, query);
      pages++;
      got.push(...r.text.split('\r\n').slice(1).filter(Boolean));
      const link = r.headers.link;
      if (!link) break;
      const url = new URL(/^<([^>]+)>; rel="next"$/.exec(link)?.[1] ?? 'missing', 'http://x');
      expect(url.pathname).toBe(`/v1/monitoring/dashboards/windows/${all.id}`);
      query = Object.fromEntries(url.searchParams);
      expect(query).toMatchObject({ format: 'csv', limit: '4' });
    }
    expect(pages).toBe(3);
    expect(got).toEqual(dashboardCsv(lines).split('\r\n').slice(1).filter(Boolean));
  });

  it('follows a rules change: a lower key amount brings more objects into the key window (its view queued for a rebuild, read from the sources meanwhile), new execution cut-offs relight every window (computed on read)', async () => {
    const read = await api.call({ method: 'GET', route: '/v1/monitoring/rules/{year}', params: { year: String(YEAR) }, claims: financeClaims });
    const { region: _r, fiscalYear: _y, ...current } = read.body.rules;
    const next = { ...current, keyObjectMinWan: 200, execution: { redBelow: 90, yellowBelow: 110 } };
    const put = await api.call({ method: 'PUT', route: '/v1/monitoring/rules/{year}', params: { year: String(YEAR) }, headers: { 'if-match': read.headers.etag ?? '' }, body: { rules: next, reason: '重点项目口径调整' }, claims: financeClaims });
    expect(put.status, put.text.slice(0, 300)).toBe(200);
    rules = { ...RULES, ...next };
    // The key window's build is queued with the new version; until the builder runs, its dashboard is computed from the sources.
    const [allDifferences, keyDifferences] = await differences();
    expect(allDifferences).toEqual([]);
    expect(keyDifferences?.[0]).toMatch(/^the build of this view is pending/);
    await expectSameAsOnRead(key);
    await runViewBuilder(key);
    await expectSameAsOnRead(key);
    await expectSameAsOnRead(all);
    // Listed object 0, then 200 万元 and up: objects 3 (200), 4 (2400), 6 (300), 8 (700) and 1 (900 after its revision).
    expect((await dashboard(key)).body).toMatchObject({ objects: 6 });
    expect(await differences()).toEqual([[], []]);
  });

  it('of a window just opened is computed from the sources until the view builder is done, with the same answer; verify names the pending build', async () => {
    const september = await openWindow(9, { kind: 'all' });
    const [, , pending] = await differences();
    expect(pending?.[0]).toBe('the build of this view is pending (queued, not yet done)');
    await expectSameAsOnRead(september);
    expect((await dashboard(september)).body).toMatchObject({ objects: 9, reported: 0 });
    await runViewBuilder(september);
    expect(await differences()).toEqual([[], [], []]);
    await expectSameAsOnRead(september);
  });

  it('pages a CSV across the build: a cursor handed out while the window was computed from the sources goes on in the built view, without a gap or a repeat', async () => {
    const november = await openWindow(11, { kind: 'all' });
    const { lines } = await onRead(november);
    const first = await dashboard(november, { format: 'csv', limit: '4' });
    await runViewBuilder(november);
    const got = first.text.split('\r\n').slice(1).filter(Boolean);
    let link = first.headers.link;
    while (link) {
      const url = new URL(/^<([^>]+)>; rel="next"$/.exec(link)?.[1] ?? 'missing', 'http://x');
      const r = await dashboard(november, Object.fromEntries(url.searchParams));
      got.push(...r.text.split('\r\n').slice(1).filter(Boolean));
      link = r.headers.link;
    }
    expect(got).toEqual(dashboardCsv(lines).split('\r\n').slice(1).filter(Boolean));
  });
});
