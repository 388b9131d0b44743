/** An object's monitoring: its baseline, its running state and its reports by window. */
import type { Implementations } from '../../../shared/http/api.ts';
import type { objectRoutes } from '../routes/objects.ts';
import { getState } from '../store/objects.ts';
import { listObjectReports } from '../store/reports.ts';
import { scopedBaseline } from './access.ts';

export const objectsApi: Implementations<typeof objectRoutes> = {
  objectMonitoring: async ({ params, ctx }) => {
    const baseline = await scopedBaseline(params.id, ctx);
    const [state, reports] = await Promise.all([getState(baseline.object.id), listObjectReports(baseline.object.id, 12)]);
    const { receivedAt: _r, ...snapshot } = baseline;
    return {
      body: {
        baseline: snapshot,
        state: {
          ...(state?.lastWindowId ? { lastWindowId: state.lastWindowId } : {}),
          ...(state?.lastLight ? { lastLight: state.lastLight } : {}),
          redWindows: state?.redWindows ?? 0,
          ...(state?.open ? { open: state.open } : {}),
        },
        reports: reports.items,
      },
    };
  },
};
