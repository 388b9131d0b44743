/** Implementations of the timeline routes. */
import type { Implementations } from '../../../shared/http/api.ts';
import { pageSize } from '../../../shared/http/schemas.ts';
import type { timelineRoutes } from '../http/timeline.ts';
import * as store from '../store.ts';

export const timelineApi: Implementations<typeof timelineRoutes> = {
  timeline: async ({ params, query, ctx }) => {
    const page = await store.listTimeline(params.objectId, pageSize(query.limit), query.cursor);
    // Events forwarded from other regions (the parent's library) are filed here too; a region's
    // users see the entries of their own region's events.
    return { body: { ...page, items: page.items.filter((e) => e.region === ctx.actor.region) } };
  },
};
