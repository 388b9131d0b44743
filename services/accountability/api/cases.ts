/** Implementations of the case routes (问责). */
import type { Implementations, RequestContext } from '../../../shared/http/api.ts';
import { checkIfMatch, etagOf } from '../../../shared/http/etag.ts';
import { pageSize } from '../../../shared/http/schemas.ts';
import { problems } from '../../../shared/errors.ts';
import { guardConcurrentUpdate } from '../../../shared/conditions.ts';
import { newTimeOrderedId } from '../../../shared/ids.ts';
import { caseDecided, caseOpened } from '../events.ts';
import * as store from '../store/cases.ts';
import { appendEntry } from '../domain/chain.ts';
import { close, closeViolations, decide, decisionViolations, entryViolation, mayAct, type AccountabilityCase, type CaseAction } from '../domain/case.ts';
import { chinaDate } from '../domain/rectification.ts';
import type { caseRoutes } from '../routes/cases.ts';
import { eventContextOf } from '../../../shared/http/event-context.ts';

/** Who appends an entry to a chained record (a case, a rectification order): the caller. */
export const chainActor = (ctx: RequestContext) => ({ sub: ctx.actor.sub, role: ctx.actor.role });

function requireAction(ctx: RequestContext, action: CaseAction): void {
  if (!mayAct(ctx.actor.role, action)) throw problems.forbidden(`Role ${ctx.actor.role} may not ${action} accountability cases`);
}

async function regionalCase(id: string, ctx: RequestContext): Promise<AccountabilityCase> {
  const found = await store.getCase(id);
  if (!found || found.region !== ctx.deploymentRegion) throw problems.notFound(`Accountability case ${id}`);
  return found;
}

async function caseReply(c: AccountabilityCase, status?: number) {
  const entries = await store.allCaseEntries(c.id);
  return {
    ...(status ? { status } : {}),
    body: { ...c, entries: entries.map(({ caseId: _c, ...e }) => e) },
    headers: { etag: etagOf(c.id, c.version) },
  };
}

export const casesApi: Implementations<typeof caseRoutes> = {
  openCase: async ({ body, ctx }) => {
    requireAction(ctx, 'open');
    const errors: { field: string; message: string }[] = [];
    if (!body.objectId && !body.subject) errors.push({ field: 'body.subject', message: 'name the object (objectId) or the subject of the case' });
    if (body.objectId && body.subject) errors.push({ field: 'body.subject', message: 'give either objectId or a free subject, not both' });
    if (body.objectId && body.department) errors.push({ field: 'body.department', message: "the case is about the object's department; leave department out" });
    if (body.objectId && body.fiscalYear !== undefined) errors.push({ field: 'body.fiscalYear', message: "the case is about the object's fiscal year; leave fiscalYear out" });
    if (errors.length) throw problems.validation(errors);
    const object = body.objectId ? (await store.getTrackedObject(body.objectId))?.object : undefined;
    if (body.objectId && (!object || object.region !== ctx.deploymentRegion)) {
      throw problems.validation([{ field: 'body.objectId', message: `no events about ${body.objectId} have reached accountability in region ${ctx.deploymentRegion}` }]);
    }
    const now = new Date();
    const at = now.toISOString();
    const department = object?.department ?? body.department;
    const base: AccountabilityCase = {
      id: newTimeOrderedId('case', now),
      version: 1,
      region: ctx.deploymentRegion,
      fiscalYear: object?.fiscalYear ?? body.fiscalYear ?? Number(chinaDate(now).slice(0, 4)),
      rule: 'manual',
      subject: object?.name ?? (body.subject as string),
      ...(object ? { object } : {}),
      ...(department ? { department } : {}),
      reason: body.reason,
      status: 'open',
      openedAt: at,
      openedBy: ctx.actor.sub,
      updatedAt: at,
      lastSeq: 0,
      lastHash: '',
    };
    const first = appendEntry(undefined, {
      at,
      actor: chainActor(ctx),
      type: 'opened',
      body: { rule: 'manual', subject: base.subject, reason: base.reason, ...(object ? { object } : {}), ...(department ? { department } : {}) },
    });
    const c: AccountabilityCase = { ...base, lastSeq: first.seq, lastHash: first.hash };
    const reply = {
      status: 201,
      body: { ...c, entries: [first] },
      headers: { etag: etagOf(c.id, c.version), location: `/v1/accountability/cases/${c.id}` },
    };
    // A fresh id: a condition failure can only be the idempotency record (a concurrent retry), which the API layer answers.
    await store.createCase(c, first, [caseOpened(c, eventContextOf(ctx))], ctx.idempotency ? [ctx.idempotency.recordItem(reply)] : []);
    return reply;
  },

  listCases: async ({ query, ctx }) => {
    requireAction(ctx, 'read');
    const page = await store.listCases(
      ctx.deploymentRegion,
      { ...(query.year !== undefined ? { year: query.year } : {}), ...(query.status ? { status: query.status } : {}), ...(query.department ? { department: query.department } : {}), ...(query.rule ? { rule: query.rule } : {}) },
      pageSize(query.limit),
      query.cursor,
    );
    return { body: page };
  },

  getCase: async ({ params, ctx }) => {
    requireAction(ctx, 'read');
    return caseReply(await regionalCase(params.caseId, ctx));
  },

  addCaseEntry: async ({ params, body, ctx }) => {
    requireAction(ctx, body.type);
    const current = await regionalCase(params.caseId, ctx);
    const refused = entryViolation(current);
    if (refused) throw problems.invalidState(refused);
    const at = new Date().toISOString();
    const entry = appendEntry({ seq: current.lastSeq, hash: current.lastHash }, { at, actor: chainActor(ctx), type: body.type, body: { text: body.text, attachments: body.attachments ?? [] } });
    const next: AccountabilityCase = { ...current, version: current.version + 1, updatedAt: at, lastSeq: entry.seq, lastHash: entry.hash };
    await guardConcurrentUpdate('case', () => store.appendCaseEntries(next, current.version, [entry]));
    return caseReply(next, 201);
  },

  decideCase: async ({ params, body, ctx }) => {
    requireAction(ctx, 'decide');
    const current = await regionalCase(params.caseId, ctx);
    checkIfMatch(ctx.headers['if-match'], current.id, current.version);
    const input = { outcome: body.outcome, reasons: body.reasons, ...(body.amountWan !== undefined ? { amountWan: body.amountWan } : {}), ...(body.referredTo !== undefined ? { referredTo: body.referredTo } : {}) };
    const { state, violations } = decisionViolations(current, input);
    if (state) throw problems.invalidState(state);
    if (violations.length) throw problems.validation(violations.map((v) => ({ field: `body.${v.field}`, message: v.message })));
    const at = new Date().toISOString();
    const decided = decide(current, input, chainActor(ctx), at);
    const entry = appendEntry({ seq: current.lastSeq, hash: current.lastHash }, { at, actor: chainActor(ctx), type: 'decision', body: { ...input } });
    const next: AccountabilityCase = { ...decided, version: current.version + 1, lastSeq: entry.seq, lastHash: entry.hash };
    await guardConcurrentUpdate('case', () => store.appendCaseEntries(next, current.version, [entry], [caseDecided(next, eventContextOf(ctx))]));
    return caseReply(next);
  },

  closeCase: async ({ params, body, ctx }) => {
    requireAction(ctx, 'close');
    const current = await regionalCase(params.caseId, ctx);
    checkIfMatch(ctx.headers['if-match'], current.id, current.version);
    const { state, violations } = closeViolations(current, body.reasons);
    if (state) throw problems.invalidState(state);
    if (violations.length) throw problems.validation(violations.map((v) => ({ field: `body.${v.field}`, message: v.message })));
    const at = new Date().toISOString();
    const closed = close(current, body.reasons, chainActor(ctx), at);
    const entry = appendEntry({ seq: current.lastSeq, hash: current.lastHash }, { at, actor: chainActor(ctx), type: 'closed', body: { from: current.status, reasons: body.reasons ?? [] } });
    const next: AccountabilityCase = { ...closed, version: current.version + 1, lastSeq: entry.seq, lastHash: entry.hash };
    await guardConcurrentUpdate('case', () => store.appendCaseEntries(next, current.version, [entry]));
    return caseReply(next);
  },

  verifyCase: async ({ params, ctx }) => {
    requireAction(ctx, 'read');
    const c = await regionalCase(params.caseId, ctx);
    return { body: await store.verifyCaseChain(c) };
  },
};
