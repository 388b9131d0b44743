/** Implementations of the timeline routes: one object's lifecycle, and the search across objects. */
import { catalogEntry } from '../../../events/catalog.ts';
import { problems } from '../../../shared/errors.ts';
import type { Implementations } from '../../../shared/http/api.ts';
import { pageSize } from '../../../shared/http/schemas.ts';
import type { timelineRoutes } from '../routes/timeline.ts';
import * as store from '../store/timeline.ts';

export const timelineApi: Implementations<typeof timelineRoutes> = {
  timeline: async ({ params, query, ctx }) => {
    const page = await store.listTimeline(params.objectId, pageSize(query.limit), query.cursor);
    // Events forwarded from other regions (the parent's library) are filed here too; a region's
    // users see the entries of their own region's events.
    return { body: { ...page, items: page.items.filter((e) => e.region === ctx.actor.region) } };
  },

  searchTimeline: async ({ query, ctx }) => {
    const errors: { field: string; message: string }[] = [];
    if (!query.department && !query.type) errors.push({ field: 'query.department', message: 'give a department or an event type (query.type) with the year' });
    if (query.unit && !query.department) errors.push({ field: 'query.unit', message: 'a unit narrows a department: give its department too' });
    if (query.type && !catalogEntry(query.type)) errors.push({ field: 'query.type', message: `${query.type} is not an event type of the catalog` });
    if (errors.length) throw problems.validation(errors);
    // The partition carries the caller's region: entries of other regions' events never match.
    return {
      body: await store.searchTimeline(
        { region: ctx.actor.region, year: query.year, ...(query.department ? { department: query.department } : {}), ...(query.unit ? { unit: query.unit } : {}), ...(query.type ? { type: query.type } : {}) },
        pageSize(query.limit),
        query.cursor,
      ),
    };
  },
};
