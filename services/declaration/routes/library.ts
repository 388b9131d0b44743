/** Route of the project library: the approved objects of a fiscal year with their targets. */
import * as z from 'zod/mini';
import { SpendingTypeSchema } from '../../../events/vocabulary.ts';
import { fiscalYearParam } from '../../../shared/pure/fields.ts';
import { defineRoute } from '../../../shared/http/route.ts';
import { listQuery, pageOf } from '../../../shared/http/schemas.ts';
import { departmentFilter, readers, SpendingObjectSchema, tag } from './objects.ts';

export const libraryRoutes = {
  library: defineRoute({
    operationId: 'getProjectLibrary',
    tag,
    method: 'GET',
    path: '/v1/declaration/library',
    summary: 'The project library of a fiscal year: approved objects with their targets, as far as the caller may see',
    auth: 'jwt',
    roles: readers,
    query: z.strictObject({ ...listQuery.shape, year: fiscalYearParam(), spendingType: z.optional(SpendingTypeSchema), department: departmentFilter() }),
    response: { status: 200, description: 'One page', schema: pageOf(SpendingObjectSchema) },
  }),
};
