/** Routes of mid-year target revisions: propose one, read the one under review. */
import * as z from 'zod/mini';
import { text } from '../../../shared/pure/fields.ts';
import { defineRoute } from '../../../shared/http/route.ts';
import { AmountsInputSchema, ObjectIdParams, objectResponse, ReceivingRegionsInputSchema, readers, tag } from './objects.ts';
import { TargetsInputSchema, TargetsSchema } from './targets.ts';

export const revisionRoutes = {
  submitRevision: defineRoute({
    operationId: 'submitTargetRevision',
    tag,
    method: 'POST',
    path: '/v1/declaration/objects/{id}/revisions',
    summary:
      "Propose a mid-year revision of approved targets, with the reason, and, when the money changes with them (a revision for objective causes adjusts both), the new amounts with their reason (a transfer payment's new shares too). The revised targets are checked against the new amounts; the revision is reviewed like a declaration while the approved targets and amounts stand, and both take effect on finance's approval (TargetRevised)",
    auth: 'jwt',
    roles: ['unit'],
    params: ObjectIdParams,
    body: z.strictObject({
      targets: TargetsInputSchema,
      reason: text(1000),
      amountChange: z.optional(z.strictObject({ amounts: AmountsInputSchema, receivingRegions: z.optional(ReceivingRegionsInputSchema), reason: text(1000) })),
    }),
    requiresIfMatch: true,
    response: objectResponse('The object with the revision under review'),
    problems: [404, 422],
    problemDescriptions: { 422: 'The revised targets fail the automatic check: `findings` lists each one' },
  }),
  getRevision: defineRoute({
    operationId: 'getProposedRevision',
    tag,
    method: 'GET',
    path: '/v1/declaration/objects/{id}/revisions/current',
    summary: 'The revised targets under review, if any',
    auth: 'jwt',
    roles: readers,
    params: ObjectIdParams,
    response: { status: 200, description: 'The proposed targets', schema: TargetsSchema },
    problems: [404],
  }),
};
