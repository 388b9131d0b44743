/**
 * The dashboard view's pure rules (services/monitoring/domain/dashboard-view.ts): what one object
 * adds to its window's view, and that the dashboard read from the summed contributions is the one
 * buildDashboard computes from every object (the on-read computation, kept as the reference).
 */
import { describe, expect, it } from 'vitest';
import { computeView, type Contribution } from '../../shared/pure/view-delta.ts';
import { buildDashboard, type DashboardObject } from '../../services/monitoring/domain/dashboard.ts';
import { dashboardContribution, dashboardFromView, objectLineFromView, OBJECTS_LIST, REGION_GROUP, WORST_LIST, type DashboardSource } from '../../services/monitoring/domain/dashboard-view.ts';
import type { DeviationRow } from '../../services/monitoring/domain/deviation.ts';
import type { ReportHead, Window } from '../../services/monitoring/domain/report.ts';
import { defaultMonitoringRules } from '../../services/monitoring/domain/rules.ts';
import { reportHead, type HeadChanges } from '../support/monitoring-report-head.ts';

const RULES = defaultMonitoringRules('360000', 2027); // key objects from 1000 万元

/** Jan-Jun: executing half the budget scores 100. */
const WINDOW: Window = {
  id: 'win_0lx3k9p2qa1b2c3d4e5',
  version: 1,
  region: '360000',
  fiscalYear: 2027,
  throughMonth: 6,
  label: '1~6月',
  dueDate: '2027-07-10',
  scope: { kind: 'all' },
  createdAt: '2027-06-20T02:00:00.000Z',
  createdBy: 'finance-1',
};
const KEY_WINDOW: Window = { ...WINDOW, id: 'win_0lx3k9p2qa1b2c3key', scope: { kind: 'key', objectIds: ['obj_listed00001'] } };

const source = (objectId: string, department: string, annualTotalWan: number, unit = `U-${department}`): DashboardSource => ({ objectId, name: `项目 ${objectId}`, department, unit, fiscalYear: 2027, annualTotalWan });

/** A report head as the report service stores it, with the execution the unit reported. */
const head = (o: DashboardSource, changes: HeadChanges = {}): ReportHead => reportHead(WINDOW, RULES, 'rpt_x', o, changes);

const deviation = (name: string, light: 'yellow' | 'red', score?: number): DeviationRow => ({ kind: 'indicator', rowId: `r_${name}`, name, light, severity: light === 'red' ? 'major' : 'minor', detail: `${name} behind`, ...(score !== undefined ? { score } : {}) });

describe('dashboardContribution', () => {
  it('counts an unreported object once, as unreported, with its annual total as budget in 1/10,000 万元 and nothing executed', () => {
    const c = dashboardContribution(WINDOW, source('obj_a000000001', 'D-AGRI', 123.4567), undefined, undefined, RULES) as Contribution;
    expect(c.group).toBe('D-AGRI');
    expect(c.counts).toEqual({ objects: 1, reported: 0, late: 0, green: 0, yellow: 0, red: 0, unreported: 1, budgetUnits: 1_234_567, executedUnits: 0 });
    expect(c.lines).toEqual([
      {
        list: OBJECTS_LIST,
        sortKey: 'U-D-AGRI#obj_a000000001',
        data: { objectId: 'obj_a000000001', name: '项目 obj_a000000001', department: 'D-AGRI', unit: 'U-D-AGRI', budgetWan: 123.4567, executedSource: 'none', reported: false, late: false, deviations: 0 },
      },
    ]);
  });

  it("counts a reported object by its report's light and lateness, with the adjusted budget and the treasury's figure (to the yuan) over the reported one", () => {
    const o = source('obj_a000000001', 'D-AGRI', 100);
    const c = dashboardContribution(WINDOW, o, head(o, { executedWan: 30, adjustedBudgetWan: 80, light: 'yellow', late: true }), 40.123456, RULES) as Contribution;
    // budget 80 → 800,000; executed 40.123456 → 40.1235 → 401,235
    expect(c.counts).toEqual({ objects: 1, reported: 1, late: 1, green: 0, yellow: 1, red: 0, unreported: 0, budgetUnits: 800_000, executedUnits: 401_235 });
    expect(c.lines[0]?.data).toMatchObject({ budgetWan: 80, executedWan: 40.1235, executedSource: 'treasury', executedReportedWan: 30, executedTreasuryWan: 40.1235, reportLight: 'yellow', reported: true, late: true });
  });

  it('lists each worst row twice, under the department and under the region, ordered red before yellow, then by score', () => {
    const o = source('obj_a000000001', 'D-AGRI', 100);
    const c = dashboardContribution(WINDOW, o, head(o, { light: 'red', worst: [deviation('产量', 'red', 40), deviation('满意度', 'yellow', 75)] }), undefined, RULES) as Contribution;
    const worst = c.lines.filter((l) => l.list === WORST_LIST);
    expect(worst.map((l) => l.group ?? c.group)).toEqual(['D-AGRI', REGION_GROUP, 'D-AGRI', REGION_GROUP]);
    const [red, , yellow] = worst;
    expect((red?.sortKey ?? '') < (yellow?.sortKey ?? '')).toBe(true);
    expect(red?.sortKey.endsWith('#D-AGRI#U-D-AGRI#obj_a000000001#0')).toBe(true);
    expect(red?.data).toEqual({ objectId: o.objectId, name: o.name, department: 'D-AGRI', unit: 'U-D-AGRI', light: 'red', kind: 'indicator', row: '产量', detail: '产量 behind', score: 40 });
  });

  it('is nothing for an object outside a key window: below the key amount and not listed', () => {
    expect(dashboardContribution(KEY_WINDOW, source('obj_small000001', 'D-AGRI', 999), undefined, undefined, RULES)).toBeUndefined();
    expect(dashboardContribution(KEY_WINDOW, source('obj_listed00001', 'D-AGRI', 10), undefined, undefined, RULES)).toBeDefined();
    expect(dashboardContribution(KEY_WINDOW, source('obj_big00000001', 'D-AGRI', 1000), undefined, undefined, RULES)).toBeDefined();
  });
});

describe('the dashboard read from the summed contributions', () => {
  // Five objects in two departments, with ties in light and score across departments and within an object.
  const A = source('obj_a000000001', 'D-AGRI', 100);
  const B = source('obj_b000000002', 'D-AGRI', 200.5);
  const C = source('obj_c000000003', 'D-EDU', 100, 'U-1');
  const D = source('obj_d000000004', 'D-EDU', 50, 'U-0');
  const E = source('obj_e000000005', 'D-EDU', 3000);
  const SOURCES = [A, B, C, D, E];
  const REPORTS = [
    head(A, { executedWan: 30, light: 'yellow', worst: [deviation('a1', 'yellow', 60), deviation('a2', 'yellow')] }),
    head(C, { executedWan: 45, light: 'red', late: true, worst: [deviation('c1', 'red', 10), deviation('c2', 'yellow', 60)] }),
    head(D, { executedWan: 10, light: 'red', worst: [deviation('d1', 'red', 10), deviation('d2', 'red')] }),
    head(E, { executedWan: 1000, adjustedBudgetWan: 2500 }),
  ];
  const TREASURY = new Map([
    [A.objectId, 50.000049],
    [B.objectId, 40],
  ]);
  const objects: DashboardObject[] = SOURCES.map(({ objectId, name, department, unit, annualTotalWan }) => ({ objectId, name, department, unit, annualTotalWan }));

  const contributions = (window: Window) => {
    const byObject = new Map(REPORTS.map((r) => [r.object.id, r]));
    return SOURCES.flatMap((s) => dashboardContribution(window, s, byObject.get(s.objectId), TREASURY.get(s.objectId), RULES) ?? []);
  };
  /** The report heads in the order the window's report index lists them (department, unit, object). */
  const headsInIndexOrder = [...REPORTS].sort((a, b) => (`${a.object.department}#${a.object.unit}#${a.object.id}` < `${b.object.department}#${b.object.unit}#${b.object.id}` ? -1 : 1));
  const objectsInIndexOrder = [...objects].sort((a, b) => (`${a.department}#${a.unit}#${a.objectId}` < `${b.department}#${b.unit}#${b.objectId}` ? -1 : 1));

  it('has the totals, departments and worst deviations buildDashboard computes', () => {
    const view = computeView(contributions(WINDOW));
    const { lines: _lines, ...expected } = buildDashboard(WINDOW, objectsInIndexOrder, headsInIndexOrder, TREASURY, RULES);
    const region = (view.lists.get(WORST_LIST) ?? []).filter((l) => l.group === REGION_GROUP);
    expect(dashboardFromView(WINDOW, view.groups, region, RULES)).toEqual(expected);
  });

  it("has one department's figures and worst deviations when filtered", () => {
    const view = computeView(contributions(WINDOW));
    const inEdu = (o: { department: string }) => o.department === 'D-EDU';
    const { lines: _lines, ...expected } = buildDashboard(WINDOW, objectsInIndexOrder.filter(inEdu), headsInIndexOrder.filter((h) => inEdu(h.object)), TREASURY, RULES, 'D-EDU');
    const worst = (view.lists.get(WORST_LIST) ?? []).filter((l) => l.group === 'D-EDU');
    expect(dashboardFromView(WINDOW, new Map([['D-EDU', view.groups.get('D-EDU') ?? {}]]), worst, RULES, 'D-EDU')).toEqual(expected);
  });

  it("has buildDashboard's CSV lines, in its order, the execution figure computed on read", () => {
    const view = computeView(contributions(WINDOW));
    const lines = (view.lists.get(OBJECTS_LIST) ?? []).map((l) => objectLineFromView(l.data, WINDOW.throughMonth, RULES));
    expect(lines).toEqual(buildDashboard(WINDOW, objectsInIndexOrder, headsInIndexOrder, TREASURY, RULES).lines);
  });

  it('shows a department none of whose objects is in scope any more as absent, like buildDashboard', () => {
    const view = computeView(contributions(WINDOW));
    const groups = new Map([...view.groups, ['D-GONE', { objects: 0, reported: 0, budgetUnits: 0 }]]);
    expect(dashboardFromView(WINDOW, groups, [], RULES).byDepartment.map((d) => d.department)).toEqual(['D-AGRI', 'D-EDU']);
  });

  it('of a key window counts only the key objects, like buildDashboard over the scope', () => {
    const key: Window = { ...KEY_WINDOW, scope: { kind: 'key', objectIds: [A.objectId] } };
    const view = computeView(contributions(key));
    const inScope = objectsInIndexOrder.filter((o) => o.objectId === A.objectId || o.annualTotalWan >= RULES.keyObjectMinWan);
    const { lines: _lines, ...expected } = buildDashboard(key, inScope, headsInIndexOrder, TREASURY, RULES);
    const region = (view.lists.get(WORST_LIST) ?? []).filter((l) => l.group === REGION_GROUP);
    expect(dashboardFromView(key, view.groups, region, RULES)).toEqual(expected);
    expect(expected.objects).toBe(2);
  });
});
