/**
 * Which maintained views an event the baseline consumer receives may change, and their refresh
 * (store/dashboard-view.ts). Each refresh recomputes from the current source items, so a
 * redelivered or late event changes nothing.
 */
import type { MonitoringReported } from '../../../events/monitoring.ts';
import type { ConsumedEvent } from '../../../shared/consumer.ts';
import { refreshDashboards } from '../store/dashboard-view.ts';
import { getWindow } from '../store/windows.ts';

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
