/** Implementations of the ex-ante assessment routes: record it (competent department or finance), read it. */
import type { Implementations } from '../../../shared/http/api.ts';
import { eventContextOf } from '../../../shared/http/event-context.ts';
import { checkIfMatch } from '../../../shared/http/etag.ts';
import { problems } from '../../../shared/errors.ts';
import { guardConcurrentUpdate } from '../../../shared/conditions.ts';
import { assessExAnte, exAnteRequired } from '../domain/ex-ante.ts';
import type { SpendingObject } from '../domain/spending-object.ts';
import { requireEditable } from '../domain/workflow.ts';
import { exAnteAssessed } from '../events.ts';
import type { exAnteRoutes } from '../routes/ex-ante.ts';
import * as objectStore from '../store/objects.ts';
import { requireAssessor, scopedObject, transition } from './access.ts';
import { historyEntry, objectReply, prefixed } from './objects.ts';
import { currentRules } from './rules.ts';

export const exAnteApi: Implementations<typeof exAnteRoutes> = {
  putExAnte: async ({ params, body, ctx }) => {
    const object = await scopedObject(params.id, ctx);
    requireAssessor(object, ctx);
    checkIfMatch(ctx.headers['if-match'], object.id, object.version);
    if (body.override && ctx.actor.role !== 'finance') throw problems.forbidden('Only finance may override the conclusion the score gives');
    await transition(() => requireEditable(object, 'The ex-ante assessment is recorded before submission,'));
    const { rules } = await currentRules(object.region, object.fiscalYear);
    const result = assessExAnte({ scores: body.scores, requestedAmountWan: object.amounts.annualTotalWan, recommendedCeilingWan: body.recommendedCeilingWan, ...(body.override ? { override: body.override } : {}) }, rules);
    if (!result.ok) throw problems.validation(prefixed(result.violations, 'body'));
    const now = new Date();
    const record = { ...result.assessment, assessedAt: now.toISOString(), assessedBy: ctx.actor.sub, assessorRole: ctx.actor.role };
    const next: SpendingObject = { ...object, exAnte: record, version: object.version + 1, updatedAt: record.assessedAt };
    const requirement = exAnteRequired({ spendingType: object.spendingType, status: object.lifecycle, proposedForRenewal: object.proposedForRenewal, annualAmountWan: object.amounts.annualTotalWan }, rules);
    const summary = `ex-ante assessed: ${record.total} points, ${record.conclusion}${record.override ? ` (finance override: ${record.override.reason})` : ''}`;
    await guardConcurrentUpdate('object', () =>
      objectStore.changeObject({ next, expectedVersion: object.version, history: historyEntry(object, next, ctx, summary), events: [exAnteAssessed(next, record, requirement.required, eventContextOf(ctx))] }),
    );
    return objectReply(next);
  },

  getExAnte: async ({ params, ctx }) => {
    const object = await scopedObject(params.id, ctx);
    const { rules } = await currentRules(object.region, object.fiscalYear);
    const requirement = exAnteRequired({ spendingType: object.spendingType, status: object.lifecycle, proposedForRenewal: object.proposedForRenewal, annualAmountWan: object.amounts.annualTotalWan }, rules);
    return { body: { ...requirement, ...(object.exAnte ? { assessment: object.exAnte } : {}) } };
  },
};
