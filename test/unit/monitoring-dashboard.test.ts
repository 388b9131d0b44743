import { describe, expect, it } from 'vitest';
import { buildDashboard, dashboardCsv, objectLines, type DashboardObject, type ObjectLine } from '../../services/monitoring/domain/dashboard.ts';
import type { DeviationRow } from '../../services/monitoring/domain/deviation.ts';
import type { ReportHead, Window } from '../../services/monitoring/domain/report.ts';
import { defaultMonitoringRules } from '../../services/monitoring/domain/rules.ts';
import { reportHead, type HeadChanges } from '../support/monitoring-report-head.ts';

// ---------- fixtures ----------

const RULES = defaultMonitoringRules('360000', 2027);

/** Jan-Jun: half the year has passed, so executing half the budget scores 100. */
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

const object = (objectId: string, department: string, annualTotalWan: number, name = `项目 ${objectId}`): DashboardObject => ({ objectId, name, department, unit: `U-${department}`, annualTotalWan });

/** A report head as the report service stores it, with the execution the unit reported. */
const head = (o: DashboardObject, changes: HeadChanges = {}): ReportHead => reportHead(WINDOW, RULES, 'rpt_0lx3k9p2qa1b2c3d4e5', o, changes);

const deviation = (name: string, light: 'yellow' | 'red', score?: number): DeviationRow => ({
  kind: 'indicator',
  rowId: `r_${name}`,
  name,
  light,
  severity: light === 'red' ? 'major' : 'minor',
  detail: `${name} behind`,
  ...(score !== undefined ? { score } : {}),
});

/**
 * Four objects in two departments:
 * - A (D-AGRI, 100): reported 30, treasury shows 50 → 50 counts (score 100);
 * - B (D-AGRI, 200): not reported, treasury shows 40 (score 40);
 * - C (D-EDU, 100): reported 45, no treasury data (score 90), late;
 * - D (D-EDU, 50): not reported, no treasury data.
 */
const A = object('obj_a000000001', 'D-AGRI', 100);
const B = object('obj_b000000002', 'D-AGRI', 200);
const C = object('obj_c000000003', 'D-EDU', 100);
const D = object('obj_d000000004', 'D-EDU', 50);
const OBJECTS = [A, B, C, D];
const REPORTS = [head(A, { executedWan: 30, light: 'yellow' }), head(C, { executedWan: 45, light: 'red', late: true })];
const TREASURY = new Map([
  [A.objectId, 50],
  [B.objectId, 40],
]);

const dashboard = (changes: { objects?: DashboardObject[]; reports?: ReportHead[]; treasury?: Map<string, number>; department?: string; worstLimit?: number } = {}) =>
  buildDashboard(WINDOW, changes.objects ?? OBJECTS, changes.reports ?? REPORTS, changes.treasury ?? TREASURY, RULES, changes.department, changes.worstLimit);

const lineOf = (objectId: string) => dashboard().lines.find((l) => l.objectId === objectId) as ObjectLine;

/** RFC 4180 reading (quoted fields may hold commas, quotes and line breaks); the BOM is stripped. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const body = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (quoted) {
      if (c === '"' && body[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(field), (field = '');
    else if (c === '\r' && body[i + 1] === '\n') row.push(field), rows.push(row), (row = []), (field = ''), i++;
    else field += c;
  }
  if (field !== '' || row.length) row.push(field), rows.push(row);
  return rows;
}

const HEADER = 'objectId,name,department,unit,budgetWan,executedWan,executedSource,executedReportedWan,executedTreasuryWan,executionScore,executionLight,reportLight,reported,late,deviations,worst';

/** The CSV cell of the name column for an object of that name. */
const nameCell = (name: string) => (dashboardCsv(objectLines(WINDOW, [object('obj_x000000009', 'D-AGRI', 10, name)], new Map(), new Map(), RULES)).split('\r\n')[1] as string).slice('obj_x000000009,'.length).split(',D-AGRI,')[0];

// ---------- execution per object ----------

describe('objectLines: which execution figure counts', () => {
  it('takes the treasury figure over the reported one and shows both', () => {
    expect(lineOf(A.objectId)).toMatchObject({ executedWan: 50, executedSource: 'treasury', executedTreasuryWan: 50, executedReportedWan: 30 });
  });

  it('scores execution on the figure that counts: treasury 50 of 100 by June is 100, green (the reported 30 would be 60, yellow)', () => {
    expect(lineOf(A.objectId)).toMatchObject({ executionScore: 100, executionLight: 'green' });
  });

  it('takes the reported figure when there is no treasury data', () => {
    const line = lineOf(C.objectId);
    expect(line).toMatchObject({ executedWan: 45, executedSource: 'report', executedReportedWan: 45, executionScore: 90, executionLight: 'green' });
    expect(line).not.toHaveProperty('executedTreasuryWan');
  });

  it('gives an unreported object an execution figure from treasury data', () => {
    const line = lineOf(B.objectId);
    expect(line).toMatchObject({ reported: false, executedWan: 40, executedSource: 'treasury', executedTreasuryWan: 40, executionScore: 40, executionLight: 'red' });
    expect(line).not.toHaveProperty('executedReportedWan');
    expect(line).not.toHaveProperty('reportLight');
  });

  it('leaves execution empty for an object with neither a report nor treasury data', () => {
    const line = lineOf(D.objectId);
    expect(line).toMatchObject({ reported: false, executedSource: 'none', late: false, deviations: 0 });
    for (const key of ['executedWan', 'executedReportedWan', 'executedTreasuryWan', 'executionScore', 'executionLight', 'reportLight', 'worst']) expect(line).not.toHaveProperty(key);
  });

  it('measures against the adjusted budget of a report, else the annual amount', () => {
    const adjusted = head(C, { executedWan: 45, adjustedBudgetWan: 60 });
    const [line] = objectLines(WINDOW, [C], new Map([[C.objectId, adjusted]]), new Map(), RULES);
    expect(line).toMatchObject({ budgetWan: 60, executionScore: 150 });
    expect(lineOf(B.objectId).budgetWan).toBe(200);
  });

  it('shows the report’s light, lateness, deviation count and worst row', () => {
    const reported = head(A, { light: 'red', late: true, worst: [deviation('培训人次', 'red', 50), deviation('合格率', 'yellow', 70)] });
    const [line] = objectLines(WINDOW, [A], new Map([[A.objectId, reported]]), new Map(), RULES);
    expect(line).toMatchObject({ reported: true, reportLight: 'red', late: true, deviations: 2, worst: '培训人次: 培训人次 behind' });
  });

  it('rounds treasury sums to 4 decimals (sums of many payment rows)', () => {
    const [line] = objectLines(WINDOW, [B], new Map(), new Map([[B.objectId, 0.1 + 0.2]]), RULES);
    expect(line).toMatchObject({ executedWan: 0.3, executedTreasuryWan: 0.3 });
  });
});

// ---------- totals ----------

describe('buildDashboard: totals', () => {
  it('counts objects, reported and late reports', () => {
    expect(dashboard()).toMatchObject({ objects: 4, reported: 2, late: 1 });
  });

  it('counts the lights of the reports, and objects without a report as unreported', () => {
    expect(dashboard().lights).toEqual({ green: 0, yellow: 1, red: 1, unreported: 2 });
  });

  it('adds up budgets and the execution that counts (treasury over report; nothing known counts 0)', () => {
    // 100 + 200 + 100 + 50 budgeted; 50 (treasury) + 40 (treasury) + 45 (report) + 0 executed.
    expect(dashboard()).toMatchObject({ budgetWan: 450, executedWan: 135 });
  });

  it('scores execution over all objects against time progress: 135 of 450 by June is 60, yellow', () => {
    expect(dashboard().execution).toEqual({ rate: 0.3, timeProgress: 0.5, score: 60, light: 'yellow' });
  });

  it('gives one total per department, in department order', () => {
    expect(dashboard().byDepartment.map((d) => [d.department, d.objects, d.reported, d.budgetWan, d.executedWan])).toEqual([
      ['D-AGRI', 2, 1, 300, 90],
      ['D-EDU', 2, 1, 150, 45],
    ]);
  });

  it('has department totals that add up to the totals', () => {
    const d = dashboard();
    const sum = (pick: (t: (typeof d.byDepartment)[number]) => number) => d.byDepartment.reduce((s, t) => s + pick(t), 0);
    expect(sum((t) => t.objects)).toBe(d.objects);
    expect(sum((t) => t.reported)).toBe(d.reported);
    expect(sum((t) => t.late)).toBe(d.late);
    expect(sum((t) => t.budgetWan)).toBeCloseTo(d.budgetWan, 4);
    expect(sum((t) => t.executedWan)).toBeCloseTo(d.executedWan, 4);
    for (const light of ['green', 'yellow', 'red', 'unreported'] as const) expect(sum((t) => t.lights[light]), light).toBe(d.lights[light]);
  });

  it('has one line per object', () => {
    expect(dashboard().lines.map((l) => l.objectId)).toEqual(OBJECTS.map((o) => o.objectId));
  });

  it('names the window and, when asked for one, the department', () => {
    expect(dashboard({ department: 'D-AGRI' })).toMatchObject({ window: { id: WINDOW.id, label: '1~6月', fiscalYear: 2027, throughMonth: 6, dueDate: '2027-07-10' }, department: 'D-AGRI' });
    expect(dashboard()).not.toHaveProperty('department');
  });

  it('scores an empty window without failing: nothing to execute is green', () => {
    expect(dashboard({ objects: [], reports: [] })).toMatchObject({ objects: 0, budgetWan: 0, executedWan: 0, lights: { green: 0, yellow: 0, red: 0, unreported: 0 }, byDepartment: [], worst: [], lines: [] });
  });
});

// ---------- the worst deviations ----------

describe('buildDashboard: the worst deviations', () => {
  const reports = [
    head(A, { light: 'yellow', worst: [deviation('a-yellow-61', 'yellow', 61)] }),
    head(B, { light: 'red', worst: [deviation('b-red-55', 'red', 55), deviation('b-yellow-75', 'yellow', 75)] }),
    head(C, { light: 'red', worst: [deviation('c-red-20', 'red', 20), deviation('c-red-40', 'red', 40), deviation('c-yellow-70', 'yellow', 70)] }),
  ];

  it('lists red rows first, each light by score, lowest first', () => {
    expect(dashboard({ reports }).worst.map((w) => w.row)).toEqual(['c-red-20', 'c-red-40', 'b-red-55', 'a-yellow-61', 'c-yellow-70', 'b-yellow-75']);
  });

  it('names the object, department and unit of each row', () => {
    expect(dashboard({ reports }).worst[0]).toEqual({ objectId: C.objectId, name: C.name, department: 'D-EDU', unit: 'U-D-EDU', light: 'red', kind: 'indicator', row: 'c-red-20', detail: 'c-red-20 behind', score: 20 });
  });

  it('keeps only as many rows as asked', () => {
    expect(dashboard({ reports, worstLimit: 2 }).worst.map((w) => w.row)).toEqual(['c-red-20', 'c-red-40']);
  });

  it('keeps 20 rows by default', () => {
    const many = Array.from({ length: 10 }, (_, i) => object(`obj_m00000000${i}`, 'D-AGRI', 100));
    const heads = many.map((o, i) => head(o, { light: 'red', worst: [deviation(`m${i}-1`, 'red', i), deviation(`m${i}-2`, 'red', 10 + i), deviation(`m${i}-3`, 'yellow', 70 + i)] }));
    expect(dashboard({ objects: many, reports: heads }).worst).toHaveLength(20);
  });

  it('lists only rows of the dashboard’s objects: a report of an object no longer in scope is left out, as in the counts', () => {
    const outOfScope = object('obj_z000000026', 'D-AGRI', 900);
    const d = dashboard({ reports: [...reports, head(outOfScope, { light: 'red', worst: [deviation('z-red-1', 'red', 1)] })] });
    expect(d.worst.map((w) => w.objectId)).not.toContain(outOfScope.objectId);
    expect(d.reported).toBe(3);
  });
});

// ---------- CSV ----------

describe('dashboardCsv', () => {
  const csv = () => dashboardCsv(dashboard().lines);

  it('starts with a UTF-8 byte order mark, so spreadsheet programs read the Chinese names', () => {
    expect(csv().startsWith('\uFEFF')).toBe(true);
  });

  it('ends every line with CRLF, the last one too, and has no bare line feed', () => {
    const text = csv();
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replaceAll('\r\n', '')).not.toMatch(/[\r\n]/);
  });

  it('has a header naming the columns', () => {
    expect(csv().slice(1).split('\r\n')[0]).toBe(HEADER);
  });

  it('has one line per object after the header', () => {
    const rows = parseCsv(csv());
    expect(rows).toHaveLength(1 + OBJECTS.length);
    expect(rows.slice(1).map((r) => r[0])).toEqual(OBJECTS.map((o) => o.objectId));
    for (const r of rows) expect(r).toHaveLength(HEADER.split(',').length);
  });

  it('writes both execution figures of an object, and empty cells for what is unknown', () => {
    const rows = parseCsv(csv());
    const cols = HEADER.split(',');
    const record = (objectId: string) => Object.fromEntries(cols.map((c, i) => [c, rows.find((r) => r[0] === objectId)?.[i]]));
    expect(record(A.objectId)).toMatchObject({ budgetWan: '100', executedWan: '50', executedSource: 'treasury', executedReportedWan: '30', executedTreasuryWan: '50', executionScore: '100', reportLight: 'yellow', reported: 'true', late: 'false' });
    expect(record(D.objectId)).toMatchObject({ executedWan: '', executedSource: 'none', executedReportedWan: '', executedTreasuryWan: '', executionScore: '', reportLight: '', reported: 'false' });
  });

  it('quotes a cell with a comma', () => {
    expect(nameCell('培训,示范')).toBe('"培训,示范"');
  });

  it('quotes a cell with a double quote, doubling it', () => {
    expect(nameCell('“新农人”"计划"')).toBe('"“新农人”""计划"""');
  });

  it('quotes a cell with a line break, and the line still reads as one record', () => {
    const text = dashboardCsv(objectLines(WINDOW, [object('obj_x000000009', 'D-AGRI', 10, '第一行\r\n第二行\n第三行')], new Map(), new Map(), RULES));
    expect(text).toContain('"第一行\r\n第二行\n第三行"');
    expect(parseCsv(text)[1]?.[1]).toBe('第一行\r\n第二行\n第三行');
  });

  it.each(['=HYPERLINK("http://x","y")', '+1', '-1', '@SUM(A1)'])('neutralises a name starting with a formula character by a leading apostrophe: %s', (name) => {
    const text = dashboardCsv(objectLines(WINDOW, [object('obj_x000000009', 'D-AGRI', 10, name)], new Map(), new Map(), RULES));
    expect(parseCsv(text)[1]?.[1]).toBe(`'${name}`);
  });

  it('neutralises before quoting: "=1,2" is written "\'=1,2" in quotes', () => {
    expect(nameCell('=1,2')).toBe(`"'=1,2"`);
  });

  it('neutralises the worst-row text too (row names are typed by units)', () => {
    const reported = head(A, { light: 'red', worst: [deviation('=cmd', 'red', 10)] });
    const text = dashboardCsv(objectLines(WINDOW, [A], new Map([[A.objectId, reported]]), new Map(), RULES));
    expect(parseCsv(text)[1]?.at(-1)).toBe("'=cmd: =cmd behind");
  });

  it('leaves numbers alone: a negative amount is a number, not a formula', () => {
    const [line] = objectLines(WINDOW, [B], new Map(), new Map([[B.objectId, -5]]), RULES);
    const row = parseCsv(dashboardCsv([line as ObjectLine]))[1] as string[];
    expect(row[HEADER.split(',').indexOf('executedWan')]).toBe('-5');
  });

  it('writes only the header for no objects', () => {
    expect(dashboardCsv([])).toBe(`\uFEFF${HEADER}\r\n`);
  });
});
