/**
 * The dashboard views (domain/dashboard-view.ts) in the monitoring table, one per window, kept by
 * shared/views/counted-view.ts. With V = VIEW#dashboard#<windowId>#<region>#<year>:
 *
 * | item                                  | pk                          | sk                                  |
 * |---------------------------------------|-----------------------------|-------------------------------------|
 * | a department's counts                 | V                           | G#<department>                      |
 * | an object's contribution              | V#C                         | <objectId>                          |
 * | an object's CSV line                  | V#L#objects#<department>    | <unit>#<objectId>                   |
 * | a worst deviation, by department      | V#L#worst#<department>      | <light>#<score>#<dept>#<unit>#<objectId>#<row> |
 * | a worst deviation, region-wide        | V#L#worst#~region           | (the same)                          |
 *
 * An object's place is recomputed from its current SCOPE item, its report head in the window,
 * its treasury totals and the rules whenever one of them may have changed: the baseline consumer
 * (TargetApproved / TargetRevised: every window of the year), a report written or corrected (that
 * window; the report API after its write, then the baseline consumer on MonitoringReported), a treasury batch applied (every window of the year: an object with treasury data
 * shows the treasury's figure in every window), a window created (its view built from the
 * sources), the rules changed (the year's views rebuilt: keyObjectMinWan moves key scopes).
 * A refresh computes from the sources, never from an event's figures, so running it twice or
 * late changes nothing. Reviews change no figure the dashboard shows: they refresh nothing.
 */
import type { Page } from '../../../shared/pagination.ts';
import type { Contribution } from '../../../shared/pure/view-delta.ts';
import { readGroupLines, readGroups, readLines, rebuildView, refreshContribution, verifyView, type ViewKey } from '../../../shared/views/counted-view.ts';
import type { Dashboard, ObjectLine } from '../domain/dashboard.ts';
import { dashboardContribution, dashboardFromView, dashboardViewName, objectLineFromView, OBJECTS_LIST, REGION_GROUP, WORST_LIST, WORST_SHOWN } from '../domain/dashboard-view.ts';
import type { Window } from '../domain/report.ts';
import { defaultMonitoringRules, type MonitoringRules } from '../domain/rules.ts';
import { ENV_KEYS, requireEnv } from '../../../shared/env.ts';
import { getExecutedWan } from './execution-totals.ts';
import { allScope, getScopeEntry } from './objects.ts';
import { allReportHeads, getReportHead } from './reports.ts';
import { getRules } from './rules.ts';
import { allWindows } from './windows.ts';

const LISTS = [OBJECTS_LIST, WORST_LIST];
const key = (w: Pick<Window, 'id' | 'region' | 'fiscalYear'>): ViewKey => ({ table: requireEnv(ENV_KEYS.tableName), view: dashboardViewName(w.id), region: w.region, year: w.fiscalYear });

type Rules = Pick<MonitoringRules, 'keyObjectMinWan' | 'execution'>;

/** The rules in force (api/rules.ts currentRules reads the same: the stored version, else the defaults). */
export const rulesInForce = async (region: string, year: number): Promise<MonitoringRules> => (await getRules(region, year, true))?.rules ?? defaultMonitoringRules(region, year);

/**
 * Recomputes an object's place in the dashboards of the given windows (default: every window of
 * its year) from its sources. Nothing to do for an object monitoring has no scope entry of.
 * Returns in how many views its contribution changed.
 */
export async function refreshDashboards(objectId: string, windows?: readonly Window[]): Promise<number> {
  const scope = await getScopeEntry(objectId);
  if (!scope) return 0;
  const [rules, all] = await Promise.all([rulesInForce(scope.region, scope.fiscalYear), windows ? Promise.resolve(windows) : allWindows(scope.region, scope.fiscalYear)]);
  let changed = 0;
  for (const window of all) {
    if (window.region !== scope.region || window.fiscalYear !== scope.fiscalYear) continue;
    const [report, treasury] = await Promise.all([getReportHead(window.id, objectId), getExecutedWan([objectId], window.fiscalYear, window.throughMonth)]);
    if (await refreshContribution(key(window), objectId, dashboardContribution(window, scope, report, treasury.get(objectId), rules))) changed++;
  }
  return changed;
}

/** The dashboard's body (without the object lines): O(departments) small items and the first worst lines. */
export async function readDashboard(window: Window, rules: Pick<MonitoringRules, 'execution'>, department?: string): Promise<Omit<Dashboard, 'lines'>> {
  const [groups, worst] = await Promise.all([readGroups(key(window), department), readGroupLines(key(window), WORST_LIST, department ?? REGION_GROUP, WORST_SHOWN)]);
  return dashboardFromView(window, groups, worst.items, rules, department);
}

/** A page of the object lines (of one department when given, else of every department in turn), in the CSV's order. */
export async function readDashboardLines(window: Window, rules: Pick<MonitoringRules, 'execution'>, department: string | undefined, limit: number, cursor?: string): Promise<Page<ObjectLine>> {
  const page = department === undefined ? await readLines(key(window), OBJECTS_LIST, limit, cursor) : await readGroupLines(key(window), OBJECTS_LIST, department, limit, cursor);
  return { items: page.items.map((l) => objectLineFromView(l.data, window.throughMonth, rules)), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
}

/** Every object's contribution to a window's dashboard computed from the sources: what the view must hold. */
export async function dashboardFromSources(window: Window, rules: Rules): Promise<Map<string, Contribution>> {
  const [scope, heads] = await Promise.all([allScope(window.region, window.fiscalYear), allReportHeads(window.id)]);
  const treasury = await getExecutedWan(scope.map((s) => s.objectId), window.fiscalYear, window.throughMonth);
  const byObject = new Map(heads.map((h) => [h.object.id, h]));
  const out = new Map<string, Contribution>();
  for (const s of scope) {
    const c = dashboardContribution(window, s, byObject.get(s.objectId), treasury.get(s.objectId), rules);
    if (c) out.set(s.objectId, c);
  }
  return out;
}

export const verifyDashboard = async (window: Window, rules: Rules) => verifyView(key(window), await dashboardFromSources(window, rules), LISTS);
export const rebuildDashboard = async (window: Window, rules: Rules) => rebuildView(key(window), await dashboardFromSources(window, rules), LISTS);

/** Every window's dashboard view of a region-year (or only those `which` keeps), verified (or rebuilt, then verified). */
export async function maintainDashboards(region: string, year: number, rebuild: boolean, which: (w: Window) => boolean = () => true): Promise<{ view: string; differences: string[]; deleted?: number; written?: number }[]> {
  const out = [];
  const rules = await rulesInForce(region, year);
  for (const window of (await allWindows(region, year)).filter(which)) {
    const rebuilt = rebuild ? await rebuildDashboard(window, rules) : undefined;
    out.push({ view: dashboardViewName(window.id), differences: await verifyDashboard(window, rules), ...(rebuilt ?? {}) });
  }
  return out;
}
