/** Implementations of the vocabulary and sector routes. */
import type { Implementations } from '../../../shared/http/api.ts';
import { vocabulary } from '../domain/vocabulary.ts';
import type { vocabularyRoutes } from '../routes/vocabulary.ts';
import * as sectors from '../store/sectors.ts';

export const vocabularyApi: Implementations<typeof vocabularyRoutes> = {
  vocabulary: async () => ({ body: vocabulary() }),

  listSectors: async () => ({ body: { items: await sectors.listSectors() } }),

  putSector: async ({ params, body, ctx }) => {
    const sector = { code: params.code, label: body.label, updatedAt: new Date().toISOString(), updatedBy: ctx.actor.sub };
    await sectors.putSector(sector);
    return { body: sector };
  },
};
