/** Implementations of the rectification routes (整改). Every state change appends a chained entry. */
import type { Implementations, RequestContext } from '../../../shared/http/api.ts';
import { checkIfMatch, etagOf } from '../../../shared/http/etag.ts';
import { pageSize } from '../../../shared/http/schemas.ts';
import { problems } from '../../../shared/errors.ts';
import { guardConcurrentUpdate } from '../../../shared/conditions.ts';
import { newTimeOrderedId } from '../../../shared/ids.ts';
import { getTrackedObject } from '../store/cases.ts';
import { rectificationClosed, rectificationOrdered } from '../events.ts';
import { appendEntry } from '../domain/chain.ts';
import {
  accept,
  chinaDate,
  deadlineAfter,
  evidenceViolation,
  isCalendarDate,
  isOverdue,
  mayActOnOrder,
  reject,
  reviewViolation,
  submitEvidence,
  type RectificationOrder,
} from '../domain/rectification.ts';
import type { rectificationRoutes } from '../routes/rectifications.ts';
import { currentAccountabilityRules } from '../store/rules.ts';
import * as store from '../store/rectifications.ts';
import { eventContextOf } from '../../../shared/http/event-context.ts';
import { chainActor } from './cases.ts';

const withOverdue = (o: RectificationOrder, now = new Date()) => ({ ...o, overdue: isOverdue(o, now) });

async function orderReply(o: RectificationOrder, status?: number) {
  const entries = await store.allRectificationEntries(o.id);
  return {
    ...(status ? { status } : {}),
    body: { ...withOverdue(o), entries: entries.map(({ orderId: _o, ...e }) => e) },
    headers: { etag: etagOf(o.id, o.version) },
  };
}

/** The order, in the region and within the caller's scope (403 naming the owner otherwise). */
async function scopedOrder(id: string, ctx: RequestContext): Promise<RectificationOrder> {
  const found = await store.getRectification(id);
  if (!found || found.region !== ctx.deploymentRegion) throw problems.notFound(`Rectification order ${id}`);
  if (!mayActOnOrder(ctx.actor, found, 'read')) {
    throw problems.forbidden(`Rectification order ${id} is owned by ${found.owner.unit ? `unit ${found.owner.unit} of ` : ''}department ${found.owner.department}; it is outside your scope`);
  }
  return found;
}

/** A new open order and its first chained entry (`ordered`), by the caller, at `now`. */
export function newOrder(o: {
  id: string;
  now: Date;
  ctx: RequestContext;
  fiscalYear: number;
  source: RectificationOrder['source'];
  object?: RectificationOrder['object'];
  owner: RectificationOrder['owner'];
  issue: string;
  requirement?: string;
  deadline: string;
}): { order: RectificationOrder; first: ReturnType<typeof appendEntry> } {
  const at = o.now.toISOString();
  const base: RectificationOrder = {
    id: o.id,
    version: 1,
    region: o.ctx.deploymentRegion,
    fiscalYear: o.fiscalYear,
    source: o.source,
    ...(o.object ? { object: o.object } : {}),
    owner: o.owner,
    issue: o.issue,
    ...(o.requirement ? { requirement: o.requirement } : {}),
    deadline: o.deadline,
    status: 'open',
    escalationLevel: 0,
    rejections: 0,
    createdAt: at,
    createdBy: o.ctx.actor.sub,
    updatedAt: at,
    lastSeq: 0,
    lastHash: '',
  };
  const first = appendEntry(undefined, {
    at,
    actor: chainActor(o.ctx),
    type: 'ordered',
    body: { source: base.source, owner: base.owner, issue: base.issue, deadline: base.deadline, ...(base.requirement ? { requirement: base.requirement } : {}), ...(o.object ? { object: o.object } : {}) },
  });
  return { order: { ...base, lastSeq: first.seq, lastHash: first.hash }, first };
}

export const rectificationsApi: Implementations<typeof rectificationRoutes> = {
  createRectification: async ({ body, ctx }) => {
    const errors: { field: string; message: string }[] = [];
    const object = body.objectId ? (await getTrackedObject(body.objectId))?.object : undefined;
    if (body.objectId && (!object || object.region !== ctx.deploymentRegion)) errors.push({ field: 'body.objectId', message: `no events about ${body.objectId} have reached accountability in region ${ctx.deploymentRegion}` });
    if (!body.objectId && !body.owner) errors.push({ field: 'body.owner', message: 'name the owner department (and unit) or the object (objectId)' });
    if (object && body.owner && body.owner.department !== object.department) errors.push({ field: 'body.owner.department', message: `${object.id} belongs to department ${object.department}` });
    if (object && body.owner?.unit && body.owner.unit !== object.unit) errors.push({ field: 'body.owner.unit', message: `${object.id} belongs to unit ${object.unit}` });
    const now = new Date();
    const today = chinaDate(now);
    if (body.deadline !== undefined && !isCalendarDate(body.deadline)) errors.push({ field: 'body.deadline', message: `${body.deadline} is not a calendar date` });
    else if (body.deadline !== undefined && body.deadline < today) errors.push({ field: 'body.deadline', message: `must be today (${today}, China Standard Time) or later` });
    if (errors.length) throw problems.validation(errors);
    const fiscalYear = object?.fiscalYear ?? Number(today.slice(0, 4));
    const { rules } = await currentAccountabilityRules(ctx.deploymentRegion, fiscalYear);
    const owner = object ? { department: object.department, ...(body.owner?.unit !== undefined || !body.owner ? { unit: object.unit } : {}) } : { department: body.owner!.department, ...(body.owner!.unit ? { unit: body.owner!.unit } : {}) };
    const { order, first } = newOrder({
      id: newTimeOrderedId('rect', now),
      now,
      ctx,
      fiscalYear,
      source: { kind: body.source.kind, reference: body.source.reference },
      ...(object ? { object } : {}),
      owner,
      issue: body.issue,
      ...(body.requirement ? { requirement: body.requirement } : {}),
      deadline: body.deadline ?? deadlineAfter(now, rules.rectification.deadlineDays),
    });
    const reply = {
      status: 201,
      body: { ...withOverdue(order, now), entries: [first] },
      headers: { etag: etagOf(order.id, order.version), location: `/v1/accountability/rectifications/${order.id}` },
    };
    await store.createRectification(order, first, [rectificationOrdered(order, eventContextOf(ctx))], ctx.idempotency ? [ctx.idempotency.recordItem(reply)] : []);
    return reply;
  },

  listRectifications: async ({ query, ctx }) => {
    const actor = ctx.actor;
    let prefix: string | undefined;
    if (actor.role === 'unit') {
      if (!actor.department || !actor.unit) throw problems.forbidden('A unit token must carry its unit and department claims');
      if ((query.department && query.department !== actor.department) || (query.unit && query.unit !== actor.unit)) throw problems.forbidden("You see only your own unit's rectification orders");
      prefix = store.ownerKey(actor.department, actor.unit);
    } else if (actor.role === 'department') {
      if (!actor.department) throw problems.forbidden('The token carries no department claim');
      if (query.department && query.department !== actor.department) throw problems.forbidden(`You see only department ${actor.department}'s rectification orders`);
      prefix = store.ownerKey(actor.department, query.unit);
    } else {
      if (query.unit && !query.department) throw problems.validation([{ field: 'query.unit', message: 'filter by unit together with its department' }]);
      prefix = query.department ? store.ownerKey(query.department, query.unit) : undefined;
    }
    const page = await store.listRectifications(ctx.deploymentRegion, query.year, prefix, { ...(query.status ? { status: query.status } : {}), ...(query.source ? { source: query.source } : {}) }, pageSize(query.limit), query.cursor);
    const now = new Date();
    return { body: { items: page.items.map((o) => withOverdue(o, now)), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) } };
  },

  getRectification: async ({ params, ctx }) => orderReply(await scopedOrder(params.orderId, ctx)),

  submitRectificationEvidence: async ({ params, body, ctx }) => {
    const current = await scopedOrder(params.orderId, ctx);
    if (!mayActOnOrder(ctx.actor, current, 'evidence')) throw problems.forbidden(`Only the owner (department ${current.owner.department}${current.owner.unit ? ` or unit ${current.owner.unit}` : ''}) submits evidence`);
    const refused = evidenceViolation(current);
    if (refused) throw problems.invalidState(refused);
    const at = new Date().toISOString();
    const entry = appendEntry({ seq: current.lastSeq, hash: current.lastHash }, { at, actor: chainActor(ctx), type: 'evidence', body: { text: body.text, attachments: body.attachments ?? [] } });
    const next: RectificationOrder = { ...submitEvidence(current, body, ctx.actor.sub, at), version: current.version + 1, lastSeq: entry.seq, lastHash: entry.hash };
    await guardConcurrentUpdate('order', () => store.appendRectificationEntries(next, current.version, [entry]));
    return orderReply(next, 201);
  },

  reviewRectification: async ({ params, body, ctx }) => {
    const current = await scopedOrder(params.orderId, ctx);
    if (!mayActOnOrder(ctx.actor, current, 'review')) throw problems.forbidden('Only finance reviews rectification evidence');
    checkIfMatch(ctx.headers['if-match'], current.id, current.version);
    const refused = reviewViolation(current);
    if (refused) throw problems.invalidState(refused);
    if (body.decision === 'reject' && !body.reason) throw problems.validation([{ field: 'body.reason', message: 'a rejection states what is still missing' }]);
    const at = new Date().toISOString();
    const reviewed = body.decision === 'accept' ? accept(current, ctx.actor.sub, at) : reject(current, at);
    const entry = appendEntry(
      { seq: current.lastSeq, hash: current.lastHash },
      { at, actor: chainActor(ctx), type: body.decision === 'accept' ? 'accepted' : 'rejected', body: { ...(body.reason ? { reason: body.reason } : {}), ...(body.decision === 'accept' ? { onTime: reviewed.closedOnTime === true } : {}) } },
    );
    const next: RectificationOrder = { ...reviewed, version: current.version + 1, lastSeq: entry.seq, lastHash: entry.hash };
    await guardConcurrentUpdate('order', () => store.appendRectificationEntries(next, current.version, [entry], body.decision === 'accept' ? [rectificationClosed(next, eventContextOf(ctx))] : []));
    return orderReply(next);
  },

  verifyRectification: async ({ params, ctx }) => {
    const o = await scopedOrder(params.orderId, ctx);
    return { body: await store.verifyRectificationChain(o) };
  },
};
