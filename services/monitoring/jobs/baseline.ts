/**
 * The monitoring baseline: each approved target snapshot (TargetApproved, then TargetRevised
 * after a mid-year revision) kept in this service's own table. Reports are checked and scored
 * against it; a window's scope and its dashboards list objects from it, so every window's
 * dashboard view of the year is refreshed for the object (store/dashboard-view.ts).
 */
import type { TargetApproved, TargetRevised } from '../../../events/declaration.ts';
import type { ConsumedEvent } from '../../../shared/consumer.ts';
import { refreshDashboards } from '../store/dashboard-view.ts';
import { putBaseline } from '../store/objects.ts';

/** Keeps the snapshot of a TargetApproved or TargetRevised event. */
export async function keepBaseline(event: ConsumedEvent): Promise<void> {
  const { snapshot } = event.data as TargetApproved['data'] | TargetRevised['data'];
  // Older or repeated snapshots are ignored by the store (it never moves backwards).
  await putBaseline({ ...snapshot, receivedAt: event.meta.occurredAt });
  // Also when nothing was stored (a redelivery after a crash between the two): the refresh recomputes from the stored scope entry.
  await refreshDashboards(snapshot.object.id);
}
