/**
 * Routes of the monitoring dashboards' maintained views (store/dashboard-view.ts), one per
 * window: check each against a full recomputation from its sources, and rebuild them from them.
 * The same shapes as evaluation's (`npm run rebuild-views` reads both); the view is named
 * `dashboard#<windowId>`. Both read every object of the year for every window (O(windows ×
 * objects)): maintenance, not something a dashboard calls.
 */
import * as z from 'zod/mini';
import { fiscalYear, fiscalYearParam } from '../../../shared/pure/fields.ts';
import { defineRoute } from '../../../shared/http/route.ts';

const tag = 'monitoring';

const VerifySchema = z.object({
  /** `dashboard#<windowId>`. */
  view: z.string(),
  region: z.string(),
  fiscalYear: z.number(),
  /** True when the view equals the recomputation. */
  consistent: z.boolean(),
  /** Each difference as a sentence naming the group and count, the line, or the object. */
  differences: z.array(z.string()),
});

export const viewRoutes = {
  verifyViews: defineRoute({
    operationId: 'verifyMonitoringViews',
    tag,
    method: 'GET',
    path: '/v1/monitoring/views/verify',
    summary: "Compares each maintained view of the year (every window's dashboard) with a full recomputation from its sources; lists every difference",
    auth: 'jwt',
    roles: ['finance'],
    query: z.strictObject({ year: fiscalYearParam() }),
    response: { status: 200, description: 'One result per view', schema: z.object({ items: z.array(VerifySchema) }) },
  }),
  rebuildViews: defineRoute({
    operationId: 'rebuildMonitoringViews',
    tag,
    method: 'POST',
    path: '/v1/monitoring/views/rebuild',
    summary: "Replaces each maintained view of the year (every window's dashboard) with the one recomputed from its sources, then verifies it. Idempotent; best run when few writes are under way",
    auth: 'jwt',
    roles: ['finance'],
    body: z.strictObject({ fiscalYear: fiscalYear() }),
    response: {
      status: 200,
      description: 'What was rebuilt, and the verification after it',
      schema: z.object({ items: z.array(z.object({ ...VerifySchema.shape, deleted: z.number(), written: z.number() })) }),
    },
  }),
};
