/** Implementations of the mid-year revision routes: propose revised targets, with new money if it changes (checked first), read the one under review. */
import type { Implementations } from '../../../shared/http/api.ts';
import { checkIfMatch } from '../../../shared/http/etag.ts';
import { Problem, problems } from '../../../shared/errors.ts';
import { guardConcurrentUpdate } from '../../../shared/conditions.ts';
import { checkAmountChange, withAmountChange } from '../domain/spending-object.ts';
import { passes } from '../domain/target-check.ts';
import type { checkObjectTargets, TargetsInput } from '../domain/targets.ts';
import { submitRevision } from '../domain/workflow.ts';
import type { revisionRoutes } from '../routes/revisions.ts';
import * as objectStore from '../store/objects.ts';
import * as targetStore from '../store/targets.ts';
import { ownObject, scopedObject, transition } from './access.ts';
import { objectReply, prefixed } from './objects.ts';
import { resolveTargets, runCheck, targetsReply } from './targets.ts';

export const revisionsApi: Implementations<typeof revisionRoutes> = {
  submitRevision: async ({ params, body, ctx }) => {
    const object = await ownObject(params.id, ctx);
    checkIfMatch(ctx.headers['if-match'], object.id, object.version);
    if (object.status !== 'approved') throw problems.invalidState(`Only approved targets are revised mid-year; the object is ${object.status}`);
    const { amountChange } = body;
    if (amountChange) {
      const violations = checkAmountChange(object, amountChange);
      if (violations.length) throw problems.validation(prefixed(violations, 'body.amountChange'));
    }
    // The revised targets are checked against the money they come with: the new amounts and shares, if any.
    const revised = withAmountChange(object, amountChange);
    const proposed = await resolveTargets(revised, body.targets, ctx, 'body.targets');
    const { findings } = await runCheck(revised, proposed);
    if (!passes(findings)) throw new RevisionRejected(findings, body.targets);
    const { next, history } = await transition(() => submitRevision(object, findings, body.reason, ctx.actor, new Date(), amountChange));
    await guardConcurrentUpdate('object', () => objectStore.changeObject({ next, expectedVersion: object.version, history, items: [targetStore.revisionPut(object.id, proposed)] }));
    return objectReply(next);
  },

  getRevision: async ({ params, ctx }) => {
    const object = await scopedObject(params.id, ctx);
    const proposed = object.revision ? await targetStore.getProposedRevision(object.id) : undefined;
    if (!proposed) throw problems.notFound(`A revision under review of ${object.id}`);
    return targetsReply(object.id, proposed, object.version);
  },
};

/** Where in the revision body a finding points: a regional finding's row is a row of that region's set. */
function revisionField(finding: ReturnType<typeof checkObjectTargets>[number], input: TargetsInput): string {
  if (!finding.region) return finding.row !== undefined ? `body.targets.rows[${finding.row}]` : 'body.targets';
  const set = (input.regional ?? []).findIndex((r) => r.region === finding.region);
  if (set < 0) return 'body.targets.regional';
  return finding.row !== undefined ? `body.targets.regional[${set}].rows[${finding.row}]` : `body.targets.regional[${set}]`;
}

/** A mid-year revision whose targets fail the check: nothing is written; every finding is listed. */
class RevisionRejected extends Problem {
  constructor(
    readonly findings: ReturnType<typeof checkObjectTargets>,
    input: TargetsInput,
  ) {
    const errors = findings.filter((f) => f.severity === 'error');
    super(422, 'revision-fails-check', `The revised targets fail the automatic check (${errors.length} finding(s)); nothing was submitted`, {
      errors: errors.map((f) => ({ field: revisionField(f, input), message: `${f.code}: ${f.message}` })),
    });
  }

  override toBody(instance?: string, correlationId?: string) {
    return { ...super.toBody(instance, correlationId), findings: this.findings };
  }
}
