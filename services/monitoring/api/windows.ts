/** Monitoring windows: open one, list a year's, read one. */
import type { Implementations } from '../../../shared/http/api.ts';
import { etagOf } from '../../../shared/http/etag.ts';
import { pageSize } from '../../../shared/http/schemas.ts';
import { problems } from '../../../shared/errors.ts';
import { newTimeOrderedId } from '../../../shared/ids.ts';
import { windowLabel, type Window } from '../domain/report.ts';
import type { windowRoutes } from '../routes/windows.ts';
import { rebuildDashboard } from '../store/dashboard-view.ts';
import { createWindow, listWindows } from '../store/windows.ts';
import { requireWindow } from './access.ts';
import { currentRules } from './rules.ts';

export const windowsApi: Implementations<typeof windowRoutes> = {
  createWindow: async ({ body, ctx }) => {
    const now = new Date();
    const window: Window = {
      id: newTimeOrderedId('win', now),
      version: 1,
      region: ctx.deploymentRegion,
      fiscalYear: body.fiscalYear,
      throughMonth: body.throughMonth,
      label: windowLabel(body.throughMonth),
      dueDate: body.dueDate,
      scope: body.scope,
      createdAt: now.toISOString(),
      createdBy: ctx.actor.sub,
    };
    if (body.dueDate.slice(0, 4) < String(body.fiscalYear)) throw problems.validation([{ field: 'body.dueDate', message: `a window of ${body.fiscalYear} cannot be due before that year` }]);
    const reply = { status: 201, body: window, headers: { etag: etagOf(window.id, window.version), location: `/v1/monitoring/windows/${window.id}` } };
    // A retry racing its own first attempt fails on the idempotency record; the API layer replays the first answer.
    await createWindow(window, ctx.idempotency ? [ctx.idempotency.recordItem(reply)] : []);
    // Its dashboard view, built from the sources (O(objects) once; a retry replayed by the idempotency layer finds it built).
    await rebuildDashboard(window, (await currentRules(window.region, window.fiscalYear, true)).rules);
    return reply;
  },

  listWindows: async ({ query, ctx }) => ({ body: await listWindows(ctx.deploymentRegion, query.year, pageSize(query.limit), query.cursor) }),

  getWindow: async ({ params, ctx }) => {
    const window = await requireWindow(params.id, ctx);
    return { body: window, headers: { etag: etagOf(window.id, window.version) } };
  },
};
