/**
 * The monitoring baseline: each approved target snapshot (TargetApproved, then TargetRevised
 * after a mid-year revision) kept in this service's own table. Reports are checked and scored
 * against it; a window's scope and its dashboards list objects from it (the consumer then
 * refreshes the object's place in the dashboard views, jobs/views.ts).
 */
import type { TargetApproved, TargetRevised } from '../../../events/declaration.ts';
import type { ConsumedEvent } from '../../../shared/consumer.ts';
import { putBaseline } from '../store/objects.ts';

/** Keeps the snapshot of a TargetApproved or TargetRevised event. */
export async function keepBaseline(event: ConsumedEvent): Promise<void> {
  if (event.detailType === 'MonitoringReported') return; // the service's own event: only views use it
  const { snapshot } = event.data as TargetApproved['data'] | TargetRevised['data'];
  // Older or repeated snapshots are ignored by the store (it never moves backwards).
  await putBaseline({ ...snapshot, receivedAt: event.meta.occurredAt });
}
