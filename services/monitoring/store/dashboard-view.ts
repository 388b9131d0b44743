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
import type { TransactItem } from '../../../shared/outbox.ts';
import { computeView, type ComputedView } from '../../../shared/pure/view-delta.ts';
import { computedGroupLines, computedGroups, computedLines } from '../../../shared/views/computed-reader.ts';
import { readGroupLines, readGroups, readLines, rebuildView, refreshContribution, verifyView, type ViewKey } from '../../../shared/views/counted-view.ts';
import { buildDone, buildPending, buildPendingWrite, buildView } from '../../../shared/views/view-build.ts';
import type { Dashboard, ObjectLine } from '../domain/dashboard.ts';
import { dashboardContribution, dashboardFromView, dashboardViewName, objectLineFromView, OBJECTS_LIST, REGION_GROUP, WORST_LIST, WORST_SHOWN } from '../domain/dashboard-view.ts';
import type { Window } from '../domain/report.ts';
import type { MonitoringRules } from '../domain/rules.ts';
import { ENV_KEYS, requireEnv } from '../../../shared/env.ts';
import { getExecutedWan } from './execution-totals.ts';
import { allScope, getScopeEntry } from './objects.ts';
import { allReportHeads, getReportHead } from './reports.ts';
import { rulesInForce } from './rules.ts';
import { allWindows } from './windows.ts';

const LISTS = [OBJECTS_LIST, WORST_LIST];
const key = (w: Pick<Window, 'id' | 'region' | 'fiscalYear'>): ViewKey => ({ table: requireEnv(ENV_KEYS.tableName), view: dashboardViewName(w.id), region: w.region, year: w.fiscalYear });

type Rules = Pick<MonitoringRules, 'keyObjectMinWan' | 'execution'>;

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

/**
 * The view as it can be read now: the stored one, or, while its build is pending (a window just
 * opened, the key amount just moved), the one computed from the sources (O(objects), only until
 * the view builder is done). The rules are the ones the caller shows the figures with.
 */
async function pendingView(window: Window): Promise<ComputedView | undefined> {
  if (!(await buildPending(key(window)))) return undefined;
  return computeView((await dashboardFromSources(window, await rulesInForce(window.region, window.fiscalYear))).values());
}

/** The dashboard's body (without the object lines): O(departments) small items and the first worst lines. */
export async function readDashboard(window: Window, rules: Pick<MonitoringRules, 'execution'>, department?: string): Promise<Omit<Dashboard, 'lines'>> {
  const k = key(window);
  const worstOf = department ?? REGION_GROUP;
  const [pending, groups, worst] = await Promise.all([pendingView(window), readGroups(k, department), readGroupLines(k, WORST_LIST, worstOf, WORST_SHOWN)]);
  if (pending) return dashboardFromView(window, computedGroups(pending, department), computedGroupLines(k, pending, WORST_LIST, worstOf, WORST_SHOWN).items, rules, department);
  return dashboardFromView(window, groups, worst.items, rules, department);
}

/** A page of the object lines (of one department when given, else of every department in turn), in the CSV's order. */
export async function readDashboardLines(window: Window, rules: Pick<MonitoringRules, 'execution'>, department: string | undefined, limit: number, cursor?: string): Promise<Page<ObjectLine>> {
  const k = key(window);
  const pending = await pendingView(window);
  const page = pending
    ? department === undefined
      ? computedLines(k, pending, OBJECTS_LIST, limit, cursor)
      : computedGroupLines(k, pending, OBJECTS_LIST, department, limit, cursor)
    : department === undefined
      ? await readLines(k, OBJECTS_LIST, limit, cursor)
      : await readGroupLines(k, OBJECTS_LIST, department, limit, cursor);
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
/** The whole view rewritten from its sources (a repair, for a quiet moment: counted-view.ts `rebuildView`); a pending build is then done. */
export async function rebuildDashboard(window: Window, rules: Rules): Promise<{ deleted: number; written: number }> {
  const startedAt = new Date().toISOString();
  const rebuilt = await rebuildView(key(window), await dashboardFromSources(window, rules), LISTS);
  await buildDone(key(window), startedAt);
  return rebuilt;
}

/** The write that marks a window's dashboard build as pending (with the `DashboardBuildQueued` event, in the requesting transaction). */
export const dashboardBuildPendingWrite = (window: Window, requestedAt: string, reason: string): TransactItem => buildPendingWrite(key(window), requestedAt, reason);

/** Whether the window's dashboard build is pending (the daily check counts it as a difference). */
export const dashboardBuildPending = (window: Window): Promise<boolean> => buildPending(key(window));

/**
 * The view builder's work: the window's view brought to its sources without undoing the refreshes
 * that run meanwhile (shared/views/view-build.ts), then no longer pending (unless asked for again
 * since `startedAt`).
 */
export async function buildDashboard(window: Window, startedAt: string): Promise<{ written: number; refreshedMeanwhile: number }> {
  const built = await buildView(key(window), async () => dashboardFromSources(window, await rulesInForce(window.region, window.fiscalYear)));
  await buildDone(key(window), startedAt);
  return built;
}
