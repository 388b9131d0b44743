/**
 * What evaluation needs from the other services, kept in its own table: each approved target
 * snapshot (TargetApproved, TargetRevised) — the objects to evaluate and the rows to score —
 * and the latest monitoring report (MonitoringReported) to pre-fill actual values.
 */
import type { TargetApproved, TargetRevised } from '../../../events/declaration.ts';
import type { MonitoringReported } from '../../../events/monitoring.ts';
import type { ConsumedEvent } from '../../../shared/consumer.ts';
import { putBaseline, putMonitoring } from '../store/baselines.ts';

export async function keepBaseline(event: ConsumedEvent): Promise<void> {
  if (event.detailType === 'EvaluationSubmitted') return; // the service's own event: only views use it
  if (event.detailType === 'MonitoringReported') {
    await putMonitoring(event.data as MonitoringReported['data']);
    return;
  }
  // Older or repeated snapshots are ignored by the store (it never moves backwards).
  await putBaseline((event.data as TargetApproved['data'] | TargetRevised['data']).snapshot);
}
