/** Implementation of the results gate route: finance decides on a continuing object whose last evaluation was graded 差, or whose predecessor's rectification orders are not rectified. */
import type { Implementations } from '../../../shared/http/api.ts';
import { eventContextOf } from '../../../shared/http/event-context.ts';
import { checkIfMatch } from '../../../shared/http/etag.ts';
import { guardConcurrentUpdate } from '../../../shared/conditions.ts';
import { decideResults } from '../domain/results-gate.ts';
import { targetRejected } from '../events.ts';
import type { resultsGateRoutes } from '../routes/results-gate.ts';
import { getLastEvaluation } from '../store/evaluations.ts';
import { chinaToday } from '../../../shared/pure/rectification-status.ts';
import { rectificationSummary } from '../store/rectifications.ts';
import { currentRules } from './rules.ts';
import * as objectStore from '../store/objects.ts';
import { scopedObject, transition } from './access.ts';
import { objectReply } from './objects.ts';

export const resultsGateApi: Implementations<typeof resultsGateRoutes> = {
  decideResults: async ({ params, body, ctx }) => {
    const object = await scopedObject(params.id, ctx);
    checkIfMatch(ctx.headers['if-match'], object.id, object.version);
    const now = new Date();
    const [previous, rectification, stored] = await Promise.all([
      object.continues ? getLastEvaluation(object.continues) : Promise.resolve(undefined),
      object.continues ? rectificationSummary(object.continues, chinaToday(now)) : Promise.resolve(undefined),
      currentRules(object.region, object.fiscalYear),
    ]);
    const { next, history, outcome } = await transition(() => decideResults(object, body, previous, ctx.actor, now, rectification, stored.rules.resultsGate));
    const events = outcome.rejection ? [targetRejected(next, outcome.rejection, eventContextOf(ctx))] : [];
    await guardConcurrentUpdate('object', () => objectStore.changeObject({ next, expectedVersion: object.version, history, events }));
    return objectReply(next);
  },
};
