/**
 * The maintenance routes every service with maintained views has, in one shape: check each view
 * of a year against a full recomputation from its sources, and rebuild it from them.
 * `npm run rebuild-views` calls them (infra/local/cli/rebuild-views.ts); in AWS they are the same
 * API call, and the scheduled rebuild function runs the same implementations. Both read every
 * object of the year (O(objects)): maintenance, not something a dashboard calls.
 */
import * as z from 'zod/mini';
import { fiscalYear, fiscalYearParam } from '../pure/fields.ts';
import { defineRoute } from '../http/route.ts';

/** One view of one region and year, compared with its recomputation; `view` names it (an enum of the service's views, or a pattern such as `dashboard#<windowId>`). */
export function viewCheckSchema<V extends z.ZodMiniType<string>>(view: V) {
  return z.object({
    view,
    region: z.string(),
    fiscalYear: z.number(),
    /** True when the view equals the recomputation. */
    consistent: z.boolean(),
    /** Each difference as a sentence naming the group and count, the line, or the object. */
    differences: z.array(z.string()),
  });
}

/** `GET /v1/<service>/views/verify?year=` and `POST /v1/<service>/views/rebuild`, finance only. */
export function viewMaintenanceRoutes<S extends string, V extends z.ZodMiniType<string>>(service: S, view: V, described: string) {
  const check = viewCheckSchema(view);
  const capitalized = `${service[0]!.toUpperCase()}${service.slice(1)}` as Capitalize<S>;
  return {
    verifyViews: defineRoute({
      operationId: `verify${capitalized}Views` as const,
      tag: service,
      method: 'GET',
      path: `/v1/${service}/views/verify`,
      summary: `Compares each maintained view of the year (${described}) with a full recomputation from its sources; lists every difference`,
      auth: 'jwt',
      roles: ['finance'],
      query: z.strictObject({ year: fiscalYearParam() }),
      response: { status: 200, description: 'One result per view', schema: z.object({ items: z.array(check) }) },
    }),
    rebuildViews: defineRoute({
      operationId: `rebuild${capitalized}Views` as const,
      tag: service,
      method: 'POST',
      path: `/v1/${service}/views/rebuild`,
      summary: 'Replaces each maintained view of the year with the one recomputed from its sources, then verifies it. Idempotent; best run when few writes are under way',
      auth: 'jwt',
      roles: ['finance'],
      body: z.strictObject({ fiscalYear: fiscalYear() }),
      response: {
        status: 200,
        description: 'What was rebuilt, and the verification after it',
        schema: z.object({ items: z.array(z.object({ ...check.shape, deleted: z.number(), written: z.number() })) }),
      },
    }),
  };
}
