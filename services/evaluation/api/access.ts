/** Scope checks the evaluation areas share: the approved object or self-evaluation a caller may see, and who self-evaluates. */
import type { RequestContext } from '../../../shared/http/api.ts';
import { inScope } from '../../../shared/http/auth.ts';
import { problems } from '../../../shared/errors.ts';
import { objectIdOfSelf, type ObjectRef, type SelfEvaluation } from '../domain/self-evaluation.ts';
import { getBaseline, type Baseline } from '../store/baselines.ts';
import { getSelfEvaluation } from '../store/self-evaluations.ts';

/** The approved object (from this service's copy of its targets) within the caller's scope. */
export async function scopedBaseline(objectId: string, ctx: RequestContext, field?: string): Promise<Baseline> {
  const baseline = await getBaseline(objectId);
  if (!baseline || baseline.object.region !== ctx.deploymentRegion) {
    const message = `no approved targets of ${objectId} have reached evaluation (an object is evaluated once TargetApproved arrives)`;
    if (field) throw problems.validation([{ field, message }]);
    throw problems.notFound(`Approved object ${objectId}`);
  }
  if (!inScope(ctx.actor, baseline.object)) throw problems.forbidden(`Object ${objectId} belongs to unit ${baseline.object.unit} of department ${baseline.object.department}; it is outside your scope`);
  return baseline;
}

export async function scopedSelf(id: string, ctx: RequestContext): Promise<SelfEvaluation> {
  const objectId = objectIdOfSelf(id);
  const found = objectId ? await getSelfEvaluation(objectId) : undefined;
  if (!found || found.object.region !== ctx.deploymentRegion) throw problems.notFound(`Self-evaluation ${id}`);
  if (!inScope(ctx.actor, found.object)) throw problems.forbidden(`Self-evaluation ${id} belongs to unit ${found.object.unit}; it is outside your scope`);
  return found;
}

export function requireOwnUnit(object: ObjectRef, ctx: RequestContext): void {
  if (ctx.actor.role !== 'unit' || ctx.actor.unit !== object.unit) throw problems.forbidden(`Only unit ${object.unit} self-evaluates this object`);
}
