/**
 * Internal to the monitoring service: a window's dashboard view must be built from its sources
 * (the window was opened, or the key amount moved and the key windows' scopes with it). Published
 * through the outbox in the transaction that marks the build pending (shared/views/view-build.ts);
 * the service's view builder rebuilds the view and clears the mark. Nobody else subscribes.
 * `meta.subject` is `{ type: 'monitoring_window', id: windowId }`.
 */
import * as z from 'zod/mini';
import { eventDetail } from './envelope.ts';

export const DashboardBuildQueuedData = z.object({
  /** `win_...`: the window whose dashboard view is built (GET /v1/monitoring/dashboards/windows/{windowId}). */
  windowId: z.string().check(z.regex(/^win_[a-z0-9]{10,40}$/)),
  /** Why: the window was opened, or a new rules version moved the key amount. */
  reason: z.enum(['window-opened', 'key-amount-changed']),
});
export const DashboardBuildQueuedDetail = eventDetail(DashboardBuildQueuedData);
export type DashboardBuildQueued = z.infer<typeof DashboardBuildQueuedDetail>;
