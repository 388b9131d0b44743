/** The declaration API Lambda: spending objects, ex-ante assessment, targets, review, project library, rules. */
import { createApiHandler, type RequestContext } from '../../../shared/http/api.ts';
import { inScope, ownerPrefixFor } from '../../../shared/http/auth.ts';
import { dynamoIdempotencyStore } from '../../../shared/http/idempotency-store.ts';
import { checkIfMatch, etagOf } from '../../../shared/http/etag.ts';
import { rulesApi } from '../../../shared/http/rules-api.ts';
import { pageSize } from '../../../shared/http/schemas.ts';
import { Problem, problems, type FieldError } from '../../../shared/errors.ts';
import { conditionFailedAt } from '../../../shared/conditions.ts';
import type { OutboxEvent, TransactItem } from '../../../shared/outbox.ts';
import { assessExAnte, exAnteRequired } from '../domain/ex-ante.ts';
import { defaultRules, validateRules, type DeclarationRules } from '../domain/rules.ts';
import { checkDeclaration, type ObjectDeclaration, type SpendingObject } from '../domain/spending-object.ts';
import { passes } from '../domain/target-check.ts';
import { buildSnapshot, checkObjectTargets, libraryIdsOf, resolveRows, type StoredTargets, type TargetsInput } from '../domain/targets.ts';
import { changesAfterDecision, decideResults, exAnteReasons, requireEditable, review, submit, submitRevision, TransitionError, type HistoryEntry } from '../domain/workflow.ts';
import { declarationSubmitted, exAnteAssessed, targetApproved, targetRejected, targetRevised } from '../events.ts';
import { routes } from '../http.ts';
import { newObjectId } from '../ids.ts';
import * as store from '../store.ts';
import { eventContextOf } from '../../../shared/http/event-context.ts';


/** Turns a domain refusal into the right HTTP problem. */
async function transition<T>(fn: () => T): Promise<T> {
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

/** Runs a conditional write; a lost race on the head is a 409 telling the caller to read again. */
async function guarded(write: () => Promise<void>): Promise<void> {
  try {
    await write();
  } catch (error) {
    if (conditionFailedAt(error, 0)) throw new Problem(409, 'concurrent-update', 'Someone else changed this object at the same time; read it again and retry');
    throw error;
  }
}

/** The object, if it exists and the caller's scope covers it (404 / 403 otherwise). */
async function scopedObject(id: string, ctx: RequestContext): Promise<SpendingObject> {
  const object = await store.getObject(id);
  if (!object || object.region !== ctx.deploymentRegion) throw problems.notFound(`Spending object ${id}`);
  if (!inScope(ctx.actor, object)) throw problems.forbidden(`Object ${id} belongs to unit ${object.unit} of department ${object.department}; it is outside your scope`);
  return object;
}

/** Units change only their own unit's objects. */
async function ownObject(id: string, ctx: RequestContext): Promise<SpendingObject> {
  const object = await scopedObject(id, ctx);
  if (ctx.actor.role !== 'unit' || ctx.actor.unit !== object.unit) throw problems.forbidden(`Only unit ${object.unit} declares for this object`);
  return object;
}

/** Ex-ante assessors: the object's competent department, or finance. */
function requireAssessor(object: SpendingObject, ctx: RequestContext): void {
  if (ctx.actor.role === 'department' && ctx.actor.department !== object.department) {
    throw problems.forbidden(`Only department ${object.department} or finance assesses this object`);
  }
}

const parameters = rulesApi<DeclarationRules>({
  service: 'declaration',
  get: store.getRules,
  put: store.putRules,
  list: store.listRuleVersions,
  defaults: defaultRules,
  validate: validateRules,
});
const currentRules = parameters.current;


const objectReply = (object: SpendingObject, status?: number) => ({
  ...(status ? { status } : {}),
  body: object,
  headers: { etag: etagOf(object.id, object.version) },
});

const targetsReply = (objectId: string, targets: StoredTargets, objectVersion: number) => ({
  body: { objectId, ...targets, objectVersion },
  headers: { etag: etagOf(objectId, objectVersion) },
});

const prefixed = (violations: { field: string; message: string }[], prefix: string): FieldError[] => violations.map((v) => ({ field: `${prefix}.${v.field}`, message: v.message }));

function historyEntry(object: SpendingObject, next: SpendingObject, ctx: RequestContext, action: string, reason?: string): HistoryEntry {
  return { at: next.updatedAt, actor: { sub: ctx.actor.sub, role: ctx.actor.role }, action, from: object.status, to: next.status, version: next.version, ...(reason ? { reason } : {}) };
}

/** Checks a continued object: it exists here, belongs to the same unit, is of the same type and an earlier year. */
async function checkPredecessor(continues: string | undefined, declaration: Pick<ObjectDeclaration, 'spendingType' | 'fiscalYear'>, unit: string): Promise<void> {
  if (!continues) return;
  const previous = await store.getObject(continues);
  const field = 'body.continues';
  if (!previous) throw problems.validation([{ field, message: `no spending object ${continues}` }]);
  if (previous.unit !== unit) throw problems.validation([{ field, message: `${continues} belongs to another unit` }]);
  if (previous.spendingType !== declaration.spendingType) throw problems.validation([{ field, message: `${continues} is a ${previous.spendingType}, not a ${declaration.spendingType}` }]);
  if (previous.fiscalYear >= declaration.fiscalYear) throw problems.validation([{ field, message: `${continues} is of ${previous.fiscalYear}; it must be of an earlier year` }]);
}

/** Resolves targets input for an object: library rows, row ids, regional sets of a transfer payment. */
async function resolveTargets(object: SpendingObject, input: TargetsInput, ctx: RequestContext, prefix: string): Promise<StoredTargets> {
  const ids = [...input.rows, ...(input.regional ?? []).flatMap((r) => r.rows)].flatMap((r) => (r.indicatorId ? [r.indicatorId] : []));
  const library = await store.getLibraryIndicators(ids);
  const errors: FieldError[] = [];
  const main = resolveRows(input.rows, library, `${prefix}.rows`);
  errors.push(...main.violations);
  const regional: StoredTargets['regional'] = [];
  if (input.regional?.length) {
    if (object.spendingType !== 'transfer_payment') errors.push({ field: `${prefix}.regional`, message: 'only transfer payments have regional targets' });
    const receiving = new Map((object.receivingRegions ?? []).map((r) => [r.region, r.amountWan]));
    const seen = new Set<string>();
    input.regional.forEach((set, i) => {
      const field = `${prefix}.regional[${i}]`;
      const amountWan = receiving.get(set.region);
      if (amountWan === undefined) errors.push({ field: `${field}.region`, message: `${set.region} is not a receiving region of this transfer payment` });
      if (seen.has(set.region)) errors.push({ field: `${field}.region`, message: `${set.region} has two target sets` });
      seen.add(set.region);
      const rows = resolveRows(set.rows, library, `${field}.rows`);
      errors.push(...rows.violations);
      regional.push({ region: set.region, amountWan: amountWan ?? 0, overallGoal: set.overallGoal, rows: rows.rows });
    });
  }
  if (errors.length) throw problems.validation(errors);
  return {
    overallGoal: input.overallGoal,
    rows: main.rows,
    ...(regional.length ? { regional } : {}),
    updatedAt: new Date().toISOString(),
    updatedBy: ctx.actor.sub,
  };
}

async function runCheck(object: SpendingObject, targets: StoredTargets | undefined) {
  const empty: StoredTargets = { overallGoal: { annual: '' }, rows: [], updatedAt: '', updatedBy: '' };
  const [stored, library] = await Promise.all([currentRules(object.region, object.fiscalYear), store.getLibraryIndicators(targets ? libraryIdsOf(targets) : [])]);
  const findings = checkObjectTargets(object, targets ?? empty, stored.rules, library);
  const requirement = exAnteRequired({ status: object.lifecycle, proposedForRenewal: object.proposedForRenewal, annualAmountWan: object.amounts.annualTotalWan }, stored.rules);
  return { findings, requirement, rules: stored };
}

export const handler = createApiHandler(
  routes,
  {
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
        id: newObjectId(now),
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
      const creation = store.objectCreation(object, history);
      try {
        await store.createObject(object, history, ctx.idempotency ? [ctx.idempotency.recordItem(reply)] : []);
      } catch (error) {
        // A retry racing its own first attempt: the API layer replays the first answer.
        if (ctx.idempotency && conditionFailedAt(error, creation.length)) throw error;
        if (object.spendingType === 'department_overall' && conditionFailedAt(error, store.CLAIM_INDEX)) {
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
      const page = await store.listObjects({ region: ctx.deploymentRegion, fiscalYear: year, ...(ownerPrefix ? { ownerPrefix } : {}), ...filter, limit: pageSize(limit), ...(cursor ? { cursor } : {}) });
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
        await guarded(() =>
          store.changeObject({
            next,
            expectedVersion: object.version,
            history: historyEntry(object, next, ctx, 'edited', `changed ${Object.keys(body).join(', ')}`),
            ...(moved ? { items: store.claimMove(object, next.fiscalYear) } : {}),
          }),
        );
      } catch (error) {
        if (moved && conditionFailedAt(error, store.CLAIM_MOVE_INDEX)) {
          throw new Problem(409, 'already-declared', `Department ${object.department} already has its overall spending object for ${next.fiscalYear}`, {
            errors: [{ field: 'body.fiscalYear', message: 'one department overall object per department and year' }],
          });
        }
        throw error;
      }
      return objectReply(next);
    },

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
      const requirement = exAnteRequired({ status: object.lifecycle, proposedForRenewal: object.proposedForRenewal, annualAmountWan: object.amounts.annualTotalWan }, rules);
      const summary = `ex-ante assessed: ${record.total} points, ${record.conclusion}${record.override ? ` (finance override: ${record.override.reason})` : ''}`;
      await guarded(() =>
        store.changeObject({ next, expectedVersion: object.version, history: historyEntry(object, next, ctx, summary), events: [exAnteAssessed(next, record, requirement.required, eventContextOf(ctx))] }),
      );
      return objectReply(next);
    },

    getExAnte: async ({ params, ctx }) => {
      const object = await scopedObject(params.id, ctx);
      const { rules } = await currentRules(object.region, object.fiscalYear);
      const requirement = exAnteRequired({ status: object.lifecycle, proposedForRenewal: object.proposedForRenewal, annualAmountWan: object.amounts.annualTotalWan }, rules);
      return { body: { ...requirement, ...(object.exAnte ? { assessment: object.exAnte } : {}) } };
    },

    putTargets: async ({ params, body, ctx }) => {
      const object = await ownObject(params.id, ctx);
      checkIfMatch(ctx.headers['if-match'], object.id, object.version);
      await transition(() => requireEditable(object, 'Targets can be written'));
      const targets = await resolveTargets(object, body, ctx, 'body');
      const next: SpendingObject = { ...object, version: object.version + 1, updatedAt: targets.updatedAt };
      await guarded(() =>
        store.changeObject({
          next,
          expectedVersion: object.version,
          history: historyEntry(object, next, ctx, `targets written (${targets.rows.length} rows${targets.regional ? `, ${targets.regional.length} regional sets` : ''})`),
          items: [store.targetsPut(object.id, targets)],
        }),
      );
      return targetsReply(object.id, targets, next.version);
    },

    getTargets: async ({ params, ctx }) => {
      const object = await scopedObject(params.id, ctx);
      const targets = await store.getTargets(object.id);
      if (!targets) throw problems.notFound(`Targets of ${object.id}`);
      return targetsReply(object.id, targets, object.version);
    },

    checkTargets: async ({ params, ctx }) => {
      const object = await scopedObject(params.id, ctx);
      const { findings, requirement, rules } = await runCheck(object, await store.getTargets(object.id));
      const blockers = exAnteReasons(object, requirement, object.exAnte).map((r) => ({ code: r.code, message: r.message }));
      return {
        body: {
          passes: passes(findings) && blockers.length === 0,
          findings,
          blockers,
          exAnte: requirement,
          rules: { region: rules.rules.region, fiscalYear: rules.rules.fiscalYear, version: rules.version },
        },
      };
    },

    listTargetVersions: async ({ params, query, ctx }) => {
      const object = await scopedObject(params.id, ctx);
      return { body: await store.listSnapshots(object.id, pageSize(query.limit), query.cursor) };
    },

    getTargetVersion: async ({ params, ctx }) => {
      const object = await scopedObject(params.id, ctx);
      const snapshot = await store.getSnapshot(object.id, params.version);
      if (!snapshot) throw problems.notFound(`Target version ${params.version} of ${object.id}`);
      return { body: snapshot };
    },

    submit: async ({ params, ctx }) => {
      // The targets need only the id: read them beside the head (one round trip less).
      const [object, targets] = await Promise.all([ownObject(params.id, ctx), store.getTargets(params.id)]);
      checkIfMatch(ctx.headers['if-match'], object.id, object.version);
      const { findings, requirement, rules } = await runCheck(object, targets);
      const { next, history, outcome } = await transition(() =>
        submit(object, { findings, exAnteRequirement: requirement, hasTargets: !!targets, rulesVersion: rules.version }, object.exAnte, ctx.actor, new Date()),
      );
      const event =
        outcome.kind === 'accepted'
          ? declarationSubmitted(next, (targets?.rows.length ?? 0) + (targets?.regional ?? []).reduce((n, r) => n + r.rows.length, 0), outcome.warnings, eventContextOf(ctx))
          : targetRejected(next, outcome.rejection, eventContextOf(ctx));
      await guarded(() => store.changeObject({ next, expectedVersion: object.version, history, events: [event] }));
      return objectReply(next);
    },

    review: async ({ params, body, ctx }) => {
      const object = await scopedObject(params.id, ctx);
      checkIfMatch(ctx.headers['if-match'], object.id, object.version);
      const [storedRules, previousEvaluation] = await Promise.all([
        currentRules(object.region, object.fiscalYear),
        object.continues ? store.getLastEvaluation(object.continues) : Promise.resolve(undefined),
      ]);
      const gradeLabel = storedRules.rules.gradeLabels[body.grade];
      const { next, history, outcome } = await transition(() =>
        review(object, body, ctx.actor, new Date(), { gradeLabel, ...(previousEvaluation ? { previousEvaluation } : {}) }),
      );
      const events: OutboxEvent[] = [];
      const items: TransactItem[] = [];
      const ectx = eventContextOf(ctx);
      switch (outcome.kind) {
        case 'approved': {
          const targets = await store.getTargets(object.id);
          if (!targets) throw problems.invalidState(`Object ${object.id} has no targets to approve`);
          const snapshot = buildSnapshot(next, targets, next.reviews, next.rulesVersion ?? 0, ctx.actor.sub);
          items.push(store.snapshotPut(snapshot));
          events.push(targetApproved(next, snapshot, ectx));
          break;
        }
        case 'revision_approved': {
          const proposed = await store.getProposedRevision(object.id);
          if (!proposed) throw problems.invalidState(`Revision ${outcome.revision.number} of ${object.id} has no targets`);
          const snapshot = buildSnapshot(next, proposed, outcome.revision.reviews, storedRules.version, ctx.actor.sub);
          items.push(store.snapshotPut(snapshot), store.targetsPut(object.id, proposed), store.revisionDelete(object.id));
          events.push(targetRevised(next, snapshot, outcome.revision.reason, ectx));
          break;
        }
        case 'returned':
        case 'rejected':
          events.push(targetRejected(next, outcome.rejection, ectx));
          break;
        case 'revision_returned':
        case 'revision_rejected':
          items.push(store.revisionDelete(object.id));
          events.push(targetRejected(next, outcome.rejection, ectx, outcome.revision.number));
          break;
        default:
          break;
      }
      await guarded(() => store.changeObject({ next, expectedVersion: object.version, history, events, items }));
      return objectReply(next);
    },

    submitRevision: async ({ params, body, ctx }) => {
      const object = await ownObject(params.id, ctx);
      checkIfMatch(ctx.headers['if-match'], object.id, object.version);
      if (object.status !== 'approved') throw problems.invalidState(`Only approved targets are revised mid-year; the object is ${object.status}`);
      const proposed = await resolveTargets(object, body.targets, ctx, 'body.targets');
      const { findings } = await runCheck(object, proposed);
      if (!passes(findings)) throw new RevisionRejected(findings, body.targets);
      const { next, history } = await transition(() => submitRevision(object, findings, body.reason, ctx.actor, new Date()));
      await guarded(() => store.changeObject({ next, expectedVersion: object.version, history, items: [store.revisionPut(object.id, proposed)] }));
      return objectReply(next);
    },

    getRevision: async ({ params, ctx }) => {
      const object = await scopedObject(params.id, ctx);
      const proposed = object.revision ? await store.getProposedRevision(object.id) : undefined;
      if (!proposed) throw problems.notFound(`A revision under review of ${object.id}`);
      return targetsReply(object.id, proposed, object.version);
    },

    decideResults: async ({ params, body, ctx }) => {
      const object = await scopedObject(params.id, ctx);
      checkIfMatch(ctx.headers['if-match'], object.id, object.version);
      const previous = object.continues ? await store.getLastEvaluation(object.continues) : undefined;
      const { next, history, outcome } = await transition(() => decideResults(object, body, previous, ctx.actor, new Date()));
      const events = outcome.rejection ? [targetRejected(next, outcome.rejection, eventContextOf(ctx))] : [];
      await guarded(() => store.changeObject({ next, expectedVersion: object.version, history, events }));
      return objectReply(next);
    },

    history: async ({ params, query, ctx }) => {
      const object = await scopedObject(params.id, ctx);
      return { body: await store.listHistory(object.id, pageSize(query.limit), query.cursor) };
    },

    library: async ({ query, ctx }) => {
      const { limit, cursor, year, department, ...filter } = query;
      const ownerPrefix = ownerPrefixFor(ctx.actor, department);
      return { body: await store.listLibrary({ region: ctx.deploymentRegion, fiscalYear: year, ...(ownerPrefix ? { ownerPrefix } : {}), ...filter, limit: pageSize(limit), ...(cursor ? { cursor } : {}) }) };
    },


    ...parameters.implementations,
  },
  { idempotency: dynamoIdempotencyStore() },
);


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
