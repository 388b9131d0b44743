/** Monitoring windows: open one, list a year's, read one. */
import type { Implementations } from '../../../shared/http/api.ts';
import { etagOf } from '../../../shared/http/etag.ts';
import { pageSize } from '../../../shared/http/schemas.ts';
import { problems } from '../../../shared/errors.ts';
import { newTimeOrderedId } from '../../../shared/ids.ts';
import { windowLabel, type Window } from '../domain/report.ts';
import type { windowRoutes } from '../routes/windows.ts';
import { eventContextOf } from '../../../shared/http/event-context.ts';
import { dashboardBuildQueued } from '../events.ts';
import { dashboardBuildPendingWrite } from '../store/dashboard-view.ts';
import { createWindow, listWindows } from '../store/windows.ts';
import { requireWindow } from './access.ts';

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
    // Its dashboard view is built by the view builder (O(objects) of the year, not in this request); until
    // then the dashboard is computed from the sources. The window, the pending build and its work event
    // commit together. A retry racing its own first attempt fails on the idempotency record; the API layer
    // replays the first answer.
    await createWindow(
      window,
      [dashboardBuildPendingWrite(window, window.createdAt, 'window-opened'), ...(ctx.idempotency ? [ctx.idempotency.recordItem(reply)] : [])],
      [dashboardBuildQueued(window.id, 'window-opened', eventContextOf(ctx, now), now)],
    );
    return reply;
  },

  listWindows: async ({ query, ctx }) => ({ body: await listWindows(ctx.deploymentRegion, query.year, pageSize(query.limit), query.cursor) }),

  getWindow: async ({ params, ctx }) => {
    const window = await requireWindow(params.id, ctx);
    return { body: window, headers: { etag: etagOf(window.id, window.version) } };
  },
};
