/** Implementation of the history route: every change of an object, oldest first. */
import type { Implementations } from '../../../shared/http/api.ts';
import { pageSize } from '../../../shared/http/schemas.ts';
import type { historyRoutes } from '../routes/history.ts';
import * as objectStore from '../store/objects.ts';
import { scopedObject } from './access.ts';

export const historyApi: Implementations<typeof historyRoutes> = {
  history: async ({ params, query, ctx }) => {
    const object = await scopedObject(params.id, ctx);
    return { body: await objectStore.listHistory(object.id, pageSize(query.limit), query.cursor) };
  },
};
