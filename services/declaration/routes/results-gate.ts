/** Route of the results gate: finance's decision on a continuing object whose last evaluation was graded 差. */
import * as z from 'zod/mini';
import { text } from '../../../shared/pure/fields.ts';
import { defineRoute } from '../../../shared/http/route.ts';
import { ObjectIdParams, objectResponse, tag, wan } from './objects.ts';

export const resultsGateRoutes = {
  decideResults: defineRoute({
    operationId: 'decideResults',
    tag,
    method: 'POST',
    path: '/v1/declaration/objects/{id}/results-decision',
    summary: "Finance's decision on a continuing object whose last evaluation was graded 差: cut (with the new annual total), cancel, or keep with a reason",
    auth: 'jwt',
    roles: ['finance'],
    params: ObjectIdParams,
    body: z.strictObject({ decision: z.enum(['cut', 'cancel', 'keep']), reason: text(1000), annualTotalWan: z.optional(wan) }),
    requiresIfMatch: true,
    response: objectResponse('The object with the decision'),
    problems: [404],
  }),
};
