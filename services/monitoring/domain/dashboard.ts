/**
 * Monitoring dashboards: for a window (and optionally one department), how many objects are
 * green, yellow, red or still unreported, execution against time progress, and the worst
 * deviations; the same per object as CSV. Pure: the caller supplies the window's objects,
 * their reports and the execution the treasury data shows.
 *
 * Execution of an object: the treasury's figure when ingested data exists for it (it is the
 * record of payments), else what the unit reported; both are in the CSV.
 */
import { toCsv } from '../../../shared/pure/csv.ts';
import { executionFigure, type Light } from './deviation.ts';
import type { MonitoringRules } from './rules.ts';
import type { ReportHead, Window } from './report.ts';

export interface DashboardObject {
  objectId: string;
  name: string;
  department: string;
  unit: string;
  annualTotalWan: number;
}

export interface ObjectLine {
  objectId: string;
  name: string;
  department: string;
  unit: string;
  budgetWan: number;
  executedWan?: number;
  executedSource: 'treasury' | 'report' | 'none';
  executedReportedWan?: number;
  executedTreasuryWan?: number;
  executionScore?: number;
  executionLight?: Light;
  reportLight?: Light;
  reported: boolean;
  late: boolean;
  deviations: number;
  worst?: string;
}

export interface Totals {
  objects: number;
  reported: number;
  late: number;
  lights: { green: number; yellow: number; red: number; unreported: number };
  budgetWan: number;
  executedWan: number;
  /** executed ÷ budget over all objects, and the same against the share of the year. */
  execution: { rate: number; timeProgress: number; score: number; light: Light };
}

export interface Dashboard extends Totals {
  window: { id: string; label: string; fiscalYear: number; throughMonth: number; dueDate: string };
  department?: string;
  byDepartment: (Totals & { department: string })[];
  worst: { objectId: string; name: string; department: string; unit: string; light: Light; kind: string; row: string; detail: string; score?: number }[];
  lines: ObjectLine[];
}

const round4 = (n: number) => Math.round(n * 10_000) / 10_000;

export function objectLines(window: Window, objects: readonly DashboardObject[], reports: ReadonlyMap<string, ReportHead>, treasury: ReadonlyMap<string, number>, rules: Pick<MonitoringRules, 'execution'>): ObjectLine[] {
  return objects.map((o) => {
    const report = reports.get(o.objectId);
    const budgetWan = report ? (report.adjustedBudgetWan ?? report.annualBudgetWan) : o.annualTotalWan;
    const fromTreasury = treasury.get(o.objectId);
    const fromReport = report?.execution.executedWan;
    const executedWan = fromTreasury ?? fromReport;
    const figure = executedWan !== undefined ? executionFigure({ budgetWan, executedWan, throughMonth: window.throughMonth }, rules) : undefined;
    const worst = report?.worst[0];
    return {
      objectId: o.objectId,
      name: o.name,
      department: o.department,
      unit: o.unit,
      budgetWan,
      ...(executedWan !== undefined ? { executedWan: round4(executedWan) } : {}),
      executedSource: fromTreasury !== undefined ? 'treasury' : fromReport !== undefined ? 'report' : 'none',
      ...(fromReport !== undefined ? { executedReportedWan: fromReport } : {}),
      ...(fromTreasury !== undefined ? { executedTreasuryWan: round4(fromTreasury) } : {}),
      ...(figure ? { executionScore: figure.score, executionLight: figure.light } : {}),
      ...(report ? { reportLight: report.light } : {}),
      reported: !!report,
      late: report?.late ?? false,
      deviations: report?.deviationCount ?? 0,
      ...(worst ? { worst: `${worst.name}: ${worst.detail}` } : {}),
    };
  });
}

function totals(lines: readonly ObjectLine[], throughMonth: number, rules: Pick<MonitoringRules, 'execution'>): Totals {
  const lights = { green: 0, yellow: 0, red: 0, unreported: 0 };
  let budgetWan = 0;
  let executedWan = 0;
  for (const l of lines) {
    if (l.reportLight) lights[l.reportLight]++;
    else lights.unreported++;
    budgetWan += l.budgetWan;
    executedWan += l.executedWan ?? 0;
  }
  const figure = executionFigure({ budgetWan, executedWan, throughMonth }, rules);
  return {
    objects: lines.length,
    reported: lines.filter((l) => l.reported).length,
    late: lines.filter((l) => l.late).length,
    lights,
    budgetWan: round4(budgetWan),
    executedWan: round4(executedWan),
    execution: { rate: figure.rate, timeProgress: figure.timeProgress, score: figure.score, light: figure.light },
  };
}

const LIGHT_RANK: Record<Light, number> = { red: 0, yellow: 1, green: 2 };

export function buildDashboard(
  window: Window,
  objects: readonly DashboardObject[],
  reports: readonly ReportHead[],
  treasury: ReadonlyMap<string, number>,
  rules: Pick<MonitoringRules, 'execution'>,
  department?: string,
  worstLimit = 20,
): Dashboard {
  const byObject = new Map(reports.map((r) => [r.object.id, r]));
  const lines = objectLines(window, objects, byObject, treasury, rules);
  const departments = [...new Set(lines.map((l) => l.department))].sort();
  // Only the dashboard's objects, like the counts: an object can leave a key window's scope after reporting (amount revised below the key amount).
  const shown = new Set(objects.map((o) => o.objectId));
  const worst = reports
    .filter((r) => shown.has(r.object.id))
    .flatMap((r) => r.worst.map((d) => ({ objectId: r.object.id, name: r.object.name, department: r.object.department, unit: r.object.unit, light: d.light as Light, kind: d.kind, row: d.name, detail: d.detail, ...(d.score !== undefined ? { score: d.score } : {}) })))
    .sort((a, b) => LIGHT_RANK[a.light] - LIGHT_RANK[b.light] || (a.score ?? 0) - (b.score ?? 0))
    .slice(0, worstLimit);
  return {
    window: { id: window.id, label: window.label, fiscalYear: window.fiscalYear, throughMonth: window.throughMonth, dueDate: window.dueDate },
    ...(department ? { department } : {}),
    ...totals(lines, window.throughMonth, rules),
    byDepartment: departments.map((d) => ({ department: d, ...totals(lines.filter((l) => l.department === d), window.throughMonth, rules) })),
    worst,
    lines,
  };
}

const CSV_COLUMNS: (keyof ObjectLine)[] = [
  'objectId',
  'name',
  'department',
  'unit',
  'budgetWan',
  'executedWan',
  'executedSource',
  'executedReportedWan',
  'executedTreasuryWan',
  'executionScore',
  'executionLight',
  'reportLight',
  'reported',
  'late',
  'deviations',
  'worst',
];

/** UTF-8 with BOM, so spreadsheet programs read the Chinese names; a text cell that would run as a formula gets a leading apostrophe. */
export function dashboardCsv(lines: readonly ObjectLine[]): string {
  return toCsv(CSV_COLUMNS, lines.map((l) => CSV_COLUMNS.map((c) => l[c])));
}
