/** Implementations of the workflow routes: submit (the check and the ex-ante gate) and the reviews that approve or send back. */
import type { Implementations } from '../../../shared/http/api.ts';
import { eventContextOf } from '../../../shared/http/event-context.ts';
import { checkIfMatch } from '../../../shared/http/etag.ts';
import { problems } from '../../../shared/errors.ts';
import { guardConcurrentUpdate } from '../../../shared/conditions.ts';
import type { OutboxEvent, TransactItem } from '../../../shared/outbox.ts';
import { buildSnapshot } from '../domain/targets.ts';
import { review, submit } from '../domain/workflow.ts';
import { declarationSubmitted, targetApproved, targetRejected, targetRevised } from '../events.ts';
import type { workflowRoutes } from '../routes/workflow.ts';
import { getLastEvaluation } from '../store/evaluations.ts';
import { chinaToday } from '../../../shared/pure/rectification-status.ts';
import { rectificationSummary } from '../store/rectifications.ts';
import * as objectStore from '../store/objects.ts';
import * as targetStore from '../store/targets.ts';
import { ownObject, scopedObject, transition } from './access.ts';
import { objectReply } from './objects.ts';
import { currentRules } from './rules.ts';
import { runCheck } from './targets.ts';

export const workflowApi: Implementations<typeof workflowRoutes> = {
  submit: async ({ params, ctx }) => {
    // The targets need only the id: read them beside the head (one round trip less).
    const [object, targets] = await Promise.all([ownObject(params.id, ctx), targetStore.getTargets(params.id)]);
    checkIfMatch(ctx.headers['if-match'], object.id, object.version);
    const { findings, requirement, rules } = await runCheck(object, targets);
    const { next, history, outcome } = await transition(() =>
      submit(object, { findings, exAnteRequirement: requirement, hasTargets: !!targets, rulesVersion: rules.version }, object.exAnte, ctx.actor, new Date()),
    );
    const event =
      outcome.kind === 'accepted'
        ? declarationSubmitted(next, (targets?.rows.length ?? 0) + (targets?.regional ?? []).reduce((n, r) => n + r.rows.length, 0), outcome.warnings, eventContextOf(ctx))
        : targetRejected(next, outcome.rejection, eventContextOf(ctx));
    await guardConcurrentUpdate('object', () => objectStore.changeObject({ next, expectedVersion: object.version, history, events: [event] }));
    return objectReply(next);
  },

  review: async ({ params, body, ctx }) => {
    const object = await scopedObject(params.id, ctx);
    checkIfMatch(ctx.headers['if-match'], object.id, object.version);
    const now = new Date();
    const [storedRules, previousEvaluation, previousRectification] = await Promise.all([
      currentRules(object.region, object.fiscalYear),
      object.continues ? getLastEvaluation(object.continues) : Promise.resolve(undefined),
      object.continues ? rectificationSummary(object.continues, chinaToday(now)) : Promise.resolve(undefined),
    ]);
    const { next, history, outcome } = await transition(() =>
      review(object, body, ctx.actor, now, {
        rules: storedRules.rules,
        ...(previousEvaluation ? { previousEvaluation } : {}),
        ...(previousRectification ? { previousRectification } : {}),
      }),
    );
    const events: OutboxEvent[] = [];
    const items: TransactItem[] = [];
    const ectx = eventContextOf(ctx);
    switch (outcome.kind) {
      case 'approved': {
        const targets = await targetStore.getTargets(object.id);
        if (!targets) throw problems.invalidState(`Object ${object.id} has no targets to approve`);
        const snapshot = buildSnapshot(next, targets, next.reviews, next.rulesVersion ?? 0, ctx.actor.sub);
        items.push(targetStore.snapshotPut(snapshot));
        events.push(targetApproved(next, snapshot, ectx));
        break;
      }
      case 'revision_approved': {
        const proposed = await targetStore.getProposedRevision(object.id);
        if (!proposed) throw problems.invalidState(`Revision ${outcome.revision.number} of ${object.id} has no targets`);
        const snapshot = buildSnapshot(next, proposed, outcome.revision.reviews, storedRules.version, ctx.actor.sub);
        items.push(targetStore.snapshotPut(snapshot), targetStore.targetsPut(object.id, proposed), targetStore.revisionDelete(object.id));
        events.push(targetRevised(next, snapshot, outcome.revision, object, ectx));
        break;
      }
      case 'returned':
      case 'rejected':
        events.push(targetRejected(next, outcome.rejection, ectx));
        break;
      case 'revision_returned':
      case 'revision_rejected':
        items.push(targetStore.revisionDelete(object.id));
        events.push(targetRejected(next, outcome.rejection, ectx, outcome.revision.number));
        break;
      default:
        break;
    }
    await guardConcurrentUpdate('object', () => objectStore.changeObject({ next, expectedVersion: object.version, history, events, items }));
    return objectReply(next);
  },
};
