/**
 * What evaluation needs from the other services, kept in its own table: each approved target
 * snapshot (TargetApproved, TargetRevised) — the objects to evaluate and the rows to score —
 * and the latest monitoring report (MonitoringReported) to pre-fill actual values.
 */
import type { TargetApproved, TargetRevised } from '../../../events/declaration.ts';
import type { MonitoringReported } from '../../../events/monitoring.ts';
import { createConsumer } from '../../../shared/consumer.ts';
import * as store from '../store.ts';

export const handler = createConsumer(async (event) => {
  if (event.detailType === 'MonitoringReported') {
    await store.putMonitoring((event.data as MonitoringReported['data']));
    return;
  }
  // Older or repeated snapshots are ignored by the store (it never moves backwards).
  await store.putBaseline((event.data as TargetApproved['data'] | TargetRevised['data']).snapshot);
});
