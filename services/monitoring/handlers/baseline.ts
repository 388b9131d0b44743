/**
 * The monitoring baseline: each approved target snapshot (TargetApproved, then TargetRevised
 * after a mid-year revision) kept in this service's own table. Reports are checked and scored
 * against it; a window's scope and its dashboards list objects from it.
 */
import type { TargetApproved, TargetRevised } from '../../../events/declaration.ts';
import { createConsumer } from '../../../shared/consumer.ts';
import * as store from '../store.ts';

export const handler = createConsumer(async (event) => {
  const { snapshot } = event.data as TargetApproved['data'] | TargetRevised['data'];
  // Older or repeated snapshots are ignored by the store (it never moves backwards).
  await store.putBaseline({ ...snapshot, receivedAt: event.meta.occurredAt });
});
