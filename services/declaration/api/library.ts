/** Implementation of the project library route: approved objects of a year, as far as the caller may see. */
import type { Implementations } from '../../../shared/http/api.ts';
import { ownerPrefixFor } from '../../../shared/http/auth.ts';
import { pageSize } from '../../../shared/http/schemas.ts';
import type { libraryRoutes } from '../routes/library.ts';
import * as objectStore from '../store/objects.ts';

export const libraryApi: Implementations<typeof libraryRoutes> = {
  library: async ({ query, ctx }) => {
    const { limit, cursor, year, department, ...filter } = query;
    const ownerPrefix = ownerPrefixFor(ctx.actor, department);
    return { body: await objectStore.listLibrary({ region: ctx.deploymentRegion, fiscalYear: year, ...(ownerPrefix ? { ownerPrefix } : {}), ...filter, limit: pageSize(limit), ...(cursor ? { cursor } : {}) }) };
  },
};
