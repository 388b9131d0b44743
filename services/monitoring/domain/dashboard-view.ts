/**
 * The monitoring dashboard (GET /v1/monitoring/dashboards/windows/{id}) as a maintained read model
 * (shared/pure/view-delta.ts): one view per window, one group per department. Pure.
 *
 * What an object in the window's scope adds to its department:
 * - counts: objects, reported, late, the report's light (or unreported), and the budget and
 *   executed sums as whole 1/10,000 万元 (1 yuan; the dashboard rounds to 4 decimals), so that
 *   DynamoDB's ADD and a recomputation in JavaScript agree to the last digit;
 * - an `objects` line (the CSV line) under the department, in the CSV's order (unit, object);
 * - a `worst` line per deviating row of its report (the head's worst three), under the
 *   department and again under the region-wide group REGION_GROUP, ordered red before yellow,
 *   then by score, then as the report heads are listed (department, unit, object) and the row's
 *   place in the head: the order buildDashboard sorts them in, so the first 20 are its 20.
 *
 * Nothing stored depends on the rules' execution thresholds: the execution figure of a line and
 * of the totals (rate, score, light) is computed when read, from the stored budget and executed
 * figures, with the rules in force then, as buildDashboard does. Scope does depend on the rules
 * (keyObjectMinWan for a key window): a rules change rebuilds the year's dashboard views.
 */
import type { Contribution, ViewLine } from '../../../shared/pure/view-delta.ts';
import { executionFigure, type Light } from './deviation.ts';
import type { Dashboard, ObjectLine, Totals } from './dashboard.ts';
import { inWindowScope, type ReportHead, type Window } from './report.ts';
import type { MonitoringRules } from './rules.ts';

export const dashboardViewName = (windowId: string) => `dashboard#${windowId}`;
export const OBJECTS_LIST = 'objects';
export const WORST_LIST = 'worst';
/** The group the region-wide worst list is kept under; '~' sorts after any department code. */
export const REGION_GROUP = '~region';
/** The worst deviations a dashboard shows. */
export const WORST_SHOWN = 20;

/** What an object's contribution is computed from: its scope entry (store/objects.ts ScopeEntry). */
export interface DashboardSource {
  objectId: string;
  name: string;
  department: string;
  unit: string;
  fiscalYear: number;
  annualTotalWan: number;
}

/**
 * The executed amount as the figure is computed from (the treasury's is exact to the fen, 6
 * decimals; the line shows it to 4), kept so that the score computed on read is buildDashboard's.
 */
const EXACT = 'executedExactWan';
const SCALE = 10_000;
/** 万元 as whole 1/10,000 万元 (one yuan). */
export const toUnits = (wan: number) => Math.round(wan * SCALE);
const fromUnits = (units: number) => units / SCALE;
const round4 = (n: number) => Math.round(n * SCALE) / SCALE;

/** Red before yellow before green (the dashboard's order, not rules.ts's better-to-worse rank). */
const LIGHT_ORDER: Record<Light, number> = { red: 0, yellow: 1, green: 2 };
/** A score as a fixed-width text that sorts like the number (1/10,000 point; any score above -10^11). */
const scoreKey = (score: number) => String(Math.round(score * SCALE) + 10 ** 15).padStart(16, '0');

/** A worst line's sort key: light, score, then the report heads' order (department, unit, object) and the row's place. */
export const worstSortKey = (light: Light, score: number | undefined, o: Pick<DashboardSource, 'department' | 'unit' | 'objectId'>, row: number) =>
  `${LIGHT_ORDER[light]}#${scoreKey(score ?? 0)}#${o.department}#${o.unit}#${o.objectId}#${row}`;
/** An object line's sort key within its department: unit, then object, as the scope index lists them. */
export const objectSortKey = (o: Pick<DashboardSource, 'unit' | 'objectId'>) => `${o.unit}#${o.objectId}`;

/**
 * An object's contribution to a window's dashboard, or undefined when it is not in the window's
 * scope. `treasuryWan`: the treasury's executed amount through the window's month (undefined when
 * the treasury has sent nothing for the object).
 */
export function dashboardContribution(
  window: Pick<Window, 'fiscalYear' | 'scope'>,
  scope: DashboardSource,
  report: ReportHead | undefined,
  treasuryWan: number | undefined,
  rules: Pick<MonitoringRules, 'keyObjectMinWan'>,
): Contribution | undefined {
  if (!inWindowScope(window, scope, rules)) return undefined;
  const budgetWan = report ? (report.adjustedBudgetWan ?? report.annualBudgetWan) : scope.annualTotalWan;
  const fromReport = report?.execution.executedWan;
  const executedWan = treasuryWan ?? fromReport;
  const light = report?.light;
  const top = report?.worst[0];
  const line: ViewLine = {
    list: OBJECTS_LIST,
    sortKey: objectSortKey(scope),
    data: {
      objectId: scope.objectId,
      name: scope.name,
      department: scope.department,
      unit: scope.unit,
      budgetWan,
      ...(executedWan !== undefined ? { executedWan: round4(executedWan), [EXACT]: executedWan } : {}),
      executedSource: treasuryWan !== undefined ? 'treasury' : fromReport !== undefined ? 'report' : 'none',
      ...(fromReport !== undefined ? { executedReportedWan: fromReport } : {}),
      ...(treasuryWan !== undefined ? { executedTreasuryWan: round4(treasuryWan) } : {}),
      ...(light ? { reportLight: light } : {}),
      reported: !!report,
      late: report?.late ?? false,
      deviations: report?.deviationCount ?? 0,
      ...(top ? { worst: `${top.name}: ${top.detail}` } : {}),
    },
  };
  const worst: ViewLine[] = (report?.worst ?? []).flatMap((d, i) => {
    const data = {
      objectId: scope.objectId,
      name: scope.name,
      department: scope.department,
      unit: scope.unit,
      light: d.light,
      kind: d.kind,
      row: d.name,
      detail: d.detail,
      ...(d.score !== undefined ? { score: d.score } : {}),
    };
    const sortKey = worstSortKey(d.light, d.score, scope, i);
    return [
      { list: WORST_LIST, sortKey, data },
      { group: REGION_GROUP, list: WORST_LIST, sortKey, data },
    ];
  });
  return {
    group: scope.department,
    counts: {
      objects: 1,
      reported: report ? 1 : 0,
      late: report?.late ? 1 : 0,
      green: light === 'green' ? 1 : 0,
      yellow: light === 'yellow' ? 1 : 0,
      red: light === 'red' ? 1 : 0,
      unreported: report ? 0 : 1,
      budgetUnits: toUnits(budgetWan),
      executedUnits: executedWan !== undefined ? toUnits(executedWan) : 0,
    },
    lines: [line, ...worst],
  };
}

/** A department's (or the whole window's) totals from its summed counts, the execution figure computed now. */
export function totalsFromCounts(counts: Readonly<Record<string, number>>, throughMonth: number, rules: Pick<MonitoringRules, 'execution'>): Totals {
  const n = (name: string) => counts[name] ?? 0;
  const budgetWan = fromUnits(n('budgetUnits'));
  const executedWan = fromUnits(n('executedUnits'));
  const figure = executionFigure({ budgetWan, executedWan, throughMonth }, rules);
  return {
    objects: n('objects'),
    reported: n('reported'),
    late: n('late'),
    lights: { green: n('green'), yellow: n('yellow'), red: n('red'), unreported: n('unreported') },
    budgetWan: round4(budgetWan),
    executedWan: round4(executedWan),
    execution: { rate: figure.rate, timeProgress: figure.timeProgress, score: figure.score, light: figure.light },
  };
}

const sumCounts = (groups: Iterable<Readonly<Record<string, number>>>) => {
  const sum: Record<string, number> = {};
  for (const counts of groups) for (const [name, value] of Object.entries(counts)) sum[name] = (sum[name] ?? 0) + value;
  return sum;
};

/**
 * The dashboard's body from the view: the departments' counts (every department, or the one
 * asked for) and the first worst lines of the list read (the region's, or the department's).
 * A department whose objects all left the scope keeps a group of zeros: it is not shown.
 */
export function dashboardFromView(
  window: Window,
  groups: ReadonlyMap<string, Readonly<Record<string, number>>>,
  worstLines: readonly { data: Record<string, string | number | boolean> }[],
  rules: Pick<MonitoringRules, 'execution'>,
  department?: string,
): Omit<Dashboard, 'lines'> {
  const shown = [...groups].filter(([, counts]) => (counts.objects ?? 0) > 0).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    window: { id: window.id, label: window.label, fiscalYear: window.fiscalYear, throughMonth: window.throughMonth, dueDate: window.dueDate },
    ...(department ? { department } : {}),
    ...totalsFromCounts(sumCounts(shown.map(([, counts]) => counts)), window.throughMonth, rules),
    byDepartment: shown.map(([d, counts]) => ({ department: d, ...totalsFromCounts(counts, window.throughMonth, rules) })),
    worst: worstLines.slice(0, WORST_SHOWN).map((l) => l.data as unknown as Dashboard['worst'][number]),
  };
}

/** An object's CSV line from its stored line: the execution score and light computed now, with the rules in force. */
export function objectLineFromView(data: Record<string, string | number | boolean>, throughMonth: number, rules: Pick<MonitoringRules, 'execution'>): ObjectLine {
  const { [EXACT]: exact, ...shown } = data;
  const stored = shown as unknown as Omit<ObjectLine, 'executionScore' | 'executionLight'>;
  const figure = typeof exact === 'number' ? executionFigure({ budgetWan: stored.budgetWan, executedWan: exact, throughMonth }, rules) : undefined;
  return { ...stored, ...(figure ? { executionScore: figure.score, executionLight: figure.light } : {}) };
}
