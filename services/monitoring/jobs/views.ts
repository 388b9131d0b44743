/**
 * The monitoring service's maintained views: which events the baseline consumer receives may
 * change them, and their refresh (store/dashboard-view.ts; each refresh recomputes from the
 * current source items, so a redelivered or late event changes nothing); and the list the
 * maintenance routes and the scheduled check (handlers/views.ts) work through.
 */
import type { MonitoringReported } from '../../../events/monitoring.ts';
import type { ConsumedEvent } from '../../../shared/consumer.ts';
import type { MaintainedView } from '../../../shared/views/scheduled-check.ts';
import { dashboardViewName } from '../domain/dashboard-view.ts';
import { rebuildDashboard, refreshDashboards, rulesInForce, verifyDashboard } from '../store/dashboard-view.ts';
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

/** Every maintained view of the region's year: each window's dashboard. */
export async function maintainedViews(region: string, year: number): Promise<MaintainedView[]> {
  const rules = await rulesInForce(region, year);
  return (await allWindows(region, year)).map((window) => ({
    view: dashboardViewName(window.id),
    region,
    fiscalYear: year,
    verify: () => verifyDashboard(window, rules),
    rebuild: () => rebuildDashboard(window, rules),
  }));
}
