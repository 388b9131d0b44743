/**
 * The monitoring service's maintained views: which events the baseline consumer receives may
 * change them, and their refresh (store/dashboard-view.ts; each refresh recomputes from the
 * current source items, so a redelivered or late event changes nothing); and the list the
 * maintenance routes and the scheduled check (handlers/views.ts) work through.
 */
import type { MonitoringReported } from '../../../events/monitoring.ts';
import type { DashboardBuildQueued } from '../../../events/monitoring-views.ts';
import type { ConsumedEvent } from '../../../shared/consumer.ts';
import type { MaintainedView } from '../../../shared/views/scheduled-check.ts';
import { dashboardViewName } from '../domain/dashboard-view.ts';
import { buildDashboard, dashboardBuildPending, rebuildDashboard, refreshDashboards, verifyDashboard } from '../store/dashboard-view.ts';
import { rulesInForce } from '../store/rules.ts';
import { allWindows, getWindow } from '../store/windows.ts';

export async function refreshViews(event: ConsumedEvent): Promise<void> {
  switch (event.detailType) {
    case 'TargetApproved':
    case 'TargetRevised':
      // Scope, department, unit and amount may all have changed: every window of the year.
      await refreshDashboards(event.meta.subject.id);
      return;
    case 'MonitoringReported': {
      const { window } = event.data as MonitoringReported['data'];
      const stored = await getWindow(window.id);
      if (stored) await refreshDashboards(event.meta.subject.id, [stored]);
      return;
    }
    default:
      return;
  }
}

/**
 * The view builder's work (handlers/view-builder.ts): a window's dashboard view built from its
 * sources, then no longer pending. A redelivery builds it again from the then current sources.
 */
export async function handleDashboardBuildQueued(event: ConsumedEvent): Promise<void> {
  const startedAt = new Date().toISOString();
  const window = await getWindow((event.data as DashboardBuildQueued['data']).windowId);
  if (window) await buildDashboard(window, startedAt);
}

/**
 * Every maintained view of the region's year: each window's dashboard. A view whose build is
 * still pending counts as a difference, so the daily check (or `rebuild-views`) builds it when
 * the builder's event never got through.
 */
export async function maintainedViews(region: string, year: number): Promise<MaintainedView[]> {
  const rules = await rulesInForce(region, year);
  return (await allWindows(region, year)).map((window) => ({
    view: dashboardViewName(window.id),
    region,
    fiscalYear: year,
    verify: async () => [...((await dashboardBuildPending(window)) ? ['the build of this view is pending (queued, not yet done)'] : []), ...(await verifyDashboard(window, rules))],
    rebuild: () => rebuildDashboard(window, rules),
  }));
}
