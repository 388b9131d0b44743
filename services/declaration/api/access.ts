/**
 * What every area of the declaration API checks before it acts: the object is in the caller's
 * scope, the caller is the unit that declares it or may assess it; and how a refusal of the
 * workflow (domain/workflow.ts) becomes an HTTP problem.
 */
import type { RequestContext } from '../../../shared/http/api.ts';
import { inScope } from '../../../shared/http/auth.ts';
import { Problem, problems } from '../../../shared/errors.ts';
import type { SpendingObject } from '../domain/spending-object.ts';
import { TransitionError } from '../domain/workflow.ts';
import { getObject } from '../store/objects.ts';

/** Turns a domain refusal into the right HTTP problem. */
export async function transition<T>(fn: () => T): Promise<T> {
  try {
    return fn();
  } catch (error) {
    if (!(error instanceof TransitionError)) throw error;
    switch (error.kind) {
      case 'forbidden':
        throw problems.forbidden(error.message);
      case 'gate':
        throw new Problem(409, 'results-decision-required', error.message);
      case 'invalid':
        throw problems.validation([{ field: `body.${error.field ?? 'body'}`, message: error.message }]);
      default:
        throw problems.invalidState(error.message);
    }
  }
}

/** The object, if it exists and the caller's scope covers it (404 / 403 otherwise). */
export async function scopedObject(id: string, ctx: RequestContext): Promise<SpendingObject> {
  const object = await getObject(id);
  if (!object || object.region !== ctx.deploymentRegion) throw problems.notFound(`Spending object ${id}`);
  if (!inScope(ctx.actor, object)) throw problems.forbidden(`Object ${id} belongs to unit ${object.unit} of department ${object.department}; it is outside your scope`);
  return object;
}

/** Units change only their own unit's objects. */
export async function ownObject(id: string, ctx: RequestContext): Promise<SpendingObject> {
  const object = await scopedObject(id, ctx);
  if (ctx.actor.role !== 'unit' || ctx.actor.unit !== object.unit) throw problems.forbidden(`Only unit ${object.unit} declares for this object`);
  return object;
}

/** Ex-ante assessors: the object's competent department, or finance. */
export function requireAssessor(object: SpendingObject, ctx: RequestContext): void {
  if (ctx.actor.role === 'department' && ctx.actor.department !== object.department) {
    throw problems.forbidden(`Only department ${object.department} or finance assesses this object`);
  }
}
