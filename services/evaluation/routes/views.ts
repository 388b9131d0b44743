/**
 * Routes of the maintained views (store/coverage-view.ts): check one against a full
 * recomputation from its sources, and rebuild it from them. `npm run rebuild-views` calls these;
 * in AWS they are the same function. Both read every object of the year (O(objects)): maintenance,
 * not something a dashboard calls.
 */
import * as z from 'zod/mini';
import { fiscalYear, fiscalYearParam } from '../../../shared/pure/fields.ts';
import { defineRoute } from '../../../shared/http/route.ts';

const tag = 'evaluation';
const VIEWS = ['coverage'] as const;

const VerifySchema = z.object({
  view: z.enum(VIEWS),
  region: z.string(),
  fiscalYear: z.number(),
  /** True when the view equals the recomputation. */
  consistent: z.boolean(),
  /** Each difference as a sentence naming the group and count, the line, or the object. */
  differences: z.array(z.string()),
});

export const viewRoutes = {
  verifyViews: defineRoute({
    operationId: 'verifyEvaluationViews',
    tag,
    method: 'GET',
    path: '/v1/evaluation/views/verify',
    summary: "Compares each maintained view of the year (coverage) with a full recomputation from its sources; lists every difference",
    auth: 'jwt',
    roles: ['finance'],
    query: z.strictObject({ year: fiscalYearParam() }),
    response: { status: 200, description: 'One result per view', schema: z.object({ items: z.array(VerifySchema) }) },
  }),
  rebuildViews: defineRoute({
    operationId: 'rebuildEvaluationViews',
    tag,
    method: 'POST',
    path: '/v1/evaluation/views/rebuild',
    summary: 'Replaces each maintained view of the year with the one recomputed from its sources, then verifies it. Idempotent; best run when few writes are under way',
    auth: 'jwt',
    roles: ['finance'],
    body: z.strictObject({ fiscalYear: fiscalYear() }),
    response: {
      status: 200,
      description: 'What was rebuilt, and the verification after it',
      schema: z.object({ items: z.array(z.object({ ...VerifySchema.shape, deleted: z.number(), written: z.number() })) }),
    },
  }),
};
