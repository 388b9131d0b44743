/** Implementations of the spending object routes: declare, list, read and edit. */
import type { RequestContext, Implementations } from '../../../shared/http/api.ts';
import { ownerPrefixFor } from '../../../shared/http/auth.ts';
import { checkIfMatch, etagOf } from '../../../shared/http/etag.ts';
import { pageSize } from '../../../shared/http/schemas.ts';
import { Problem, problems, type FieldError } from '../../../shared/errors.ts';
import { conditionFailedAt, guardConcurrentUpdate } from '../../../shared/conditions.ts';
import { newTimeOrderedId } from '../../../shared/ids.ts';
import { checkDeclaration, type ObjectDeclaration, type SpendingObject } from '../domain/spending-object.ts';
import { changesAfterDecision } from '../domain/results-gate.ts';
import { requireEditable, type HistoryEntry } from '../domain/workflow.ts';
import type { objectRoutes } from '../routes/objects.ts';
import * as objectStore from '../store/objects.ts';
import { ownObject, scopedObject, transition } from './access.ts';

/** The object as a reply, with its ETag. */
export const objectReply = (object: SpendingObject, status?: number) => ({
  ...(status ? { status } : {}),
  body: object,
  headers: { etag: etagOf(object.id, object.version) },
});

/** Field errors of a domain check, under the request part they came from (`body`, ...). */
export const prefixed = (violations: { field: string; message: string }[], prefix: string): FieldError[] => violations.map((v) => ({ field: `${prefix}.${v.field}`, message: v.message }));

/** The history entry of a change the caller made from `object` to `next`. */
export function historyEntry(object: SpendingObject, next: SpendingObject, ctx: RequestContext, action: string, reason?: string): HistoryEntry {
  return { at: next.updatedAt, actor: { sub: ctx.actor.sub, role: ctx.actor.role }, action, from: object.status, to: next.status, version: next.version, ...(reason ? { reason } : {}) };
}

/** Checks a continued object: it exists here, belongs to the same unit, is of the same type and an earlier year. */
async function checkPredecessor(continues: string | undefined, declaration: Pick<ObjectDeclaration, 'spendingType' | 'fiscalYear'>, unit: string): Promise<void> {
  if (!continues) return;
  const previous = await objectStore.getObject(continues);
  const field = 'body.continues';
  if (!previous) throw problems.validation([{ field, message: `no spending object ${continues}` }]);
  if (previous.unit !== unit) throw problems.validation([{ field, message: `${continues} belongs to another unit` }]);
  if (previous.spendingType !== declaration.spendingType) throw problems.validation([{ field, message: `${continues} is a ${previous.spendingType}, not a ${declaration.spendingType}` }]);
  if (previous.fiscalYear >= declaration.fiscalYear) throw problems.validation([{ field, message: `${continues} is of ${previous.fiscalYear}; it must be of an earlier year` }]);
}

export const objectsApi: Implementations<typeof objectRoutes> = {
  createObject: async ({ body, ctx }) => {
    const { actor } = ctx;
    if (!actor.unit || !actor.department) throw problems.forbidden('A unit token must carry its unit and department claims to declare');
    const declaration: ObjectDeclaration = { ...body };
    const violations = checkDeclaration(declaration, ctx.deploymentRegion);
    if (violations.length) throw problems.validation(prefixed(violations, 'body'));
    await checkPredecessor(body.continues, body, actor.unit);
    const now = new Date();
    const at = now.toISOString();
    const object: SpendingObject = {
      ...declaration,
      id: newTimeOrderedId('obj', now),
      version: 1,
      region: ctx.deploymentRegion,
      department: actor.department,
      unit: actor.unit,
      proposedForRenewal: body.proposedForRenewal ?? false,
      status: 'draft',
      submissions: 0,
      targetVersion: 0,
      reviews: [],
      revisions: 0,
      createdAt: at,
      createdBy: actor.sub,
      updatedAt: at,
    };
    const history: HistoryEntry = { at, actor: { sub: actor.sub, role: actor.role }, action: 'declared', to: 'draft', version: 1 };
    const reply = { status: 201, body: object, headers: { etag: etagOf(object.id, object.version), location: `/v1/declaration/objects/${object.id}` } };
    const creation = objectStore.objectCreation(object, history);
    try {
      await objectStore.createObject(object, history, ctx.idempotency ? [ctx.idempotency.recordItem(reply)] : []);
    } catch (error) {
      // A retry racing its own first attempt: the API layer replays the first answer.
      if (ctx.idempotency && conditionFailedAt(error, creation.length)) throw error;
      if (object.spendingType === 'department_overall' && conditionFailedAt(error, objectStore.CLAIM_INDEX)) {
        throw new Problem(409, 'already-declared', `Department ${object.department} already has its overall spending object for ${object.fiscalYear}`, {
          errors: [{ field: 'body.spendingType', message: 'one department overall object per department and year' }],
        });
      }
      throw error;
    }
    return reply;
  },

  listObjects: async ({ query, ctx }) => {
    const { limit, cursor, year, department, ...filter } = query;
    const ownerPrefix = ownerPrefixFor(ctx.actor, department);
    const page = await objectStore.listObjects({ region: ctx.deploymentRegion, fiscalYear: year, ...(ownerPrefix ? { ownerPrefix } : {}), ...filter, limit: pageSize(limit), ...(cursor ? { cursor } : {}) });
    return { body: page };
  },

  getObject: async ({ params, ctx }) => objectReply(await scopedObject(params.id, ctx)),

  editObject: async ({ params, body, ctx }) => {
    const object = await ownObject(params.id, ctx);
    checkIfMatch(ctx.headers['if-match'], object.id, object.version);
    await transition(() => requireEditable(object, 'What was declared can change'));
    const locked = changesAfterDecision(object, { lifecycle: body.lifecycle, continues: body.continues, annualTotalWan: body.amounts?.annualTotalWan });
    if (locked.length) throw problems.validation(prefixed(locked, 'body'));
    const merged: SpendingObject = { ...object, ...body, amounts: body.amounts ?? object.amounts };
    const violations = checkDeclaration(merged, object.region);
    if (violations.length) throw problems.validation(prefixed(violations, 'body'));
    if (body.continues !== undefined) await checkPredecessor(body.continues, merged, object.unit);
    const next: SpendingObject = { ...merged, version: object.version + 1, updatedAt: new Date().toISOString() };
    // A department overall object holds its department's one claim for its year: a new year moves the claim.
    const moved = object.spendingType === 'department_overall' && next.fiscalYear !== object.fiscalYear;
    try {
      await guardConcurrentUpdate('object', () =>
        objectStore.changeObject({
          next,
          expectedVersion: object.version,
          history: historyEntry(object, next, ctx, 'edited', `changed ${Object.keys(body).join(', ')}`),
          ...(moved ? { items: objectStore.claimMove(object, next.fiscalYear) } : {}),
        }),
      );
    } catch (error) {
      if (moved && conditionFailedAt(error, objectStore.CLAIM_MOVE_INDEX)) {
        throw new Problem(409, 'already-declared', `Department ${object.department} already has its overall spending object for ${next.fiscalYear}`, {
          errors: [{ field: 'body.fiscalYear', message: 'one department overall object per department and year' }],
        });
      }
      throw error;
    }
    return objectReply(next);
  },
};
