/** The evaluation API Lambda: self-evaluations, finance review samples and reviews, key evaluations, coverage, parameters. */
import { randomBytes } from 'node:crypto';
import { createApiHandler, type RequestContext } from '../../../shared/http/api.ts';
import { inScope, ownerPrefixFor } from '../../../shared/http/auth.ts';
import { checkIfMatch, etagOf } from '../../../shared/http/etag.ts';
import { dynamoIdempotencyStore } from '../../../shared/http/idempotency-store.ts';
import { rulesApi } from '../../../shared/http/rules-api.ts';
import { pageSize } from '../../../shared/http/schemas.ts';
import { Problem, problems } from '../../../shared/errors.ts';
import { conditionFailedAt } from '../../../shared/conditions.ts';
import type { OutboxEvent } from '../../../shared/outbox.ts';
import { applyGrade } from '../domain/application.ts';
import { drawSample } from '../domain/sampling.ts';
import { blockingIssues, gradeFor, round2, validateKeyFrame, type ScoreResult, type ScoringIssue } from '../domain/scoring.ts';
import {
  applyEntries,
  defaultEvaluationParams,
  objectIdOfSelf,
  prefillRows,
  scoreSelf,
  selfEvaluationId,
  validateEvaluationParams,
  type EvaluationParams,
  type ExecutionEntry,
  type KeyEvaluation,
  type ObjectRef,
  type ReviewSample,
  type RowEntry,
  type SelfEvaluation,
  type SelfRow,
} from '../domain/self-evaluation.ts';
import { budgetAdjustmentRecommended, evaluationCompleted, evaluationSubmitted } from '../events.ts';
import { routes } from '../http.ts';
import * as store from '../store.ts';
import { eventContextOf } from '../../../shared/http/event-context.ts';


const parameters = rulesApi<EvaluationParams>({
  service: 'evaluation',
  get: store.getRules,
  put: store.putRules,
  list: store.listRuleVersions,
  defaults: defaultEvaluationParams,
  validate: validateEvaluationParams,
});
const currentParams = parameters.current;

const selfReply = (s: SelfEvaluation, status?: number) => ({ ...(status ? { status } : {}), body: s, headers: { etag: etagOf(s.id, s.version) } });
const keyReply = (k: KeyEvaluation, status?: number) => ({ ...(status ? { status } : {}), body: k, headers: { etag: etagOf(k.id, k.version) } });

/** A lost race on index 0 is a 409 telling the caller to read again. */
async function guarded(write: () => Promise<void>): Promise<void> {
  try {
    await write();
  } catch (error) {
    if (conditionFailedAt(error, 0)) throw new Problem(409, 'concurrent-update', 'Someone else changed this evaluation at the same time; read it again and retry');
    throw error;
  }
}

/** The approved object (from this service's copy of its targets) within the caller's scope. */
async function scopedBaseline(objectId: string, ctx: RequestContext, field?: string): Promise<store.Baseline> {
  const baseline = await store.getBaseline(objectId);
  if (!baseline || baseline.object.region !== ctx.deploymentRegion) {
    const message = `no approved targets of ${objectId} have reached evaluation (an object is evaluated once TargetApproved arrives)`;
    if (field) throw problems.validation([{ field, message }]);
    throw problems.notFound(`Approved object ${objectId}`);
  }
  if (!inScope(ctx.actor, baseline.object)) throw problems.forbidden(`Object ${objectId} belongs to unit ${baseline.object.unit} of department ${baseline.object.department}; it is outside your scope`);
  return baseline;
}

async function scopedSelf(id: string, ctx: RequestContext): Promise<SelfEvaluation> {
  const objectId = objectIdOfSelf(id);
  const found = objectId ? await store.getSelfEvaluation(objectId) : undefined;
  if (!found || found.object.region !== ctx.deploymentRegion) throw problems.notFound(`Self-evaluation ${id}`);
  if (!inScope(ctx.actor, found.object)) throw problems.forbidden(`Self-evaluation ${id} belongs to unit ${found.object.unit}; it is outside your scope`);
  return found;
}

function requireOwnUnit(object: ObjectRef, ctx: RequestContext): void {
  if (ctx.actor.role !== 'unit' || ctx.actor.unit !== object.unit) throw problems.forbidden(`Only unit ${object.unit} self-evaluates this object`);
}

/**
 * What a draft may still lack while the unit fills it in (submit refuses them); every other
 * error is a wrong entry and refuses the change itself, so nothing wrong is ever stored.
 */
const INCOMPLETE = new Set<ScoringIssue['code']>(['actual_missing', 'qualitative_finding_missing', 'budget_invalid', 'nothing_to_score']);

/** Blocking issues as a 422 naming each row and field (weights that miss 100 name every row's weight). */
class EvaluationRejected extends Problem {
  constructor(
    readonly issues: ScoringIssue[],
    rows: readonly SelfRow[] = [],
  ) {
    super(422, 'evaluation-has-issues', `The evaluation has ${issues.length} blocking issue(s); nothing was changed`, {
      errors: issues.flatMap((i) =>
        i.code === 'weights_not_100' && !i.row && rows.length
          ? rows.map((r) => ({ field: `rows.${r.rowId}.weight`, message: `${i.code}: 「${r.name}」 has ${r.weight} points; ${i.message}` }))
          : [{ field: i.row ? `rows.${i.row}${i.field ? `.${i.field}` : ''}` : (i.field ?? 'evaluation'), message: `${i.code}: ${i.message}` }],
      ),
    });
  }

  override toBody(instance?: string, correlationId?: string) {
    return { ...super.toBody(instance, correlationId), issues: this.issues };
  }
}

function applyBody(execution: ExecutionEntry, rows: readonly SelfRow[], body: { executedWan?: number; executionOverride?: { score: number; reason: string } | null; rows: RowEntry[] }) {
  const applied = applyEntries(rows, body.rows, 'body.rows');
  if (applied.violations.length) throw problems.validation(applied.violations);
  const nextExecution: ExecutionEntry = { ...execution, ...(body.executedWan !== undefined ? { executedWan: body.executedWan } : {}) };
  if (body.executionOverride === null) delete nextExecution.override;
  else if (body.executionOverride) nextExecution.override = body.executionOverride;
  return { execution: nextExecution, rows: applied.rows };
}

/** The completion events of an evaluation result: completed, and what it means for next year's budget. */
async function completionEvents(evaluationId: string, kind: 'self' | 'finance_review' | 'key', object: ObjectRef, total: number, grade: ScoreResult['grade'], rows: readonly SelfRow[], result: ScoreResult | undefined, params: EvaluationParams, ctx: RequestContext, at: string): Promise<OutboxEvent[]> {
  const baseline = await store.getBaseline(object.id);
  const currentAmountWan = baseline?.amounts.annualTotalWan ?? 0;
  const previousGrade = baseline?.resultsDecision?.previousGrade;
  const applied = applyGrade(grade, currentAmountWan, previousGrade, params.application);
  const ectx = eventContextOf(ctx);
  return [
    evaluationCompleted(evaluationId, kind, object, total, grade, rows, result, at, ectx),
    budgetAdjustmentRecommended(evaluationId, kind, object, total, grade, currentAmountWan, applied, at, ectx),
  ];
}

const newId = (prefix: string, now: Date) => `${prefix}_${now.getTime().toString(36).padStart(9, '0')}${randomBytes(5).toString('hex')}`;

export const handler = createApiHandler(
  routes,
  {
    createSelfEvaluation: async ({ body, ctx }) => {
      const baseline = await scopedBaseline(body.objectId, ctx, 'body.objectId');
      requireOwnUnit(baseline.object, ctx);
      const [{ rules: params }, monitoring] = await Promise.all([currentParams(baseline.object.region, baseline.object.fiscalYear), store.getMonitoring(baseline.object.id)]);
      const now = new Date().toISOString();
      const facts = monitoring
        ? {
            windowLabel: monitoring.window.label,
            executedWan: monitoring.execution.executedWan,
            values: new Map(monitoring.indicators.flatMap((i) => (i.valueToDate !== undefined ? [[i.rowId, i.valueToDate] as const] : []))),
          }
        : undefined;
      const rows = prefillRows(baseline.rows, facts, params);
      const execution: ExecutionEntry = { budgetWan: baseline.amounts.annualTotalWan, ...(facts ? { executedWan: facts.executedWan } : {}), weight: params.executionWeight };
      const evaluation: SelfEvaluation = {
        id: selfEvaluationId(baseline.object.id),
        version: 1,
        object: baseline.object,
        targetVersion: baseline.targetVersion,
        status: 'draft',
        execution,
        rows,
        result: scoreSelf(execution, rows, params),
        prefilledFrom: { targetVersion: baseline.targetVersion, ...(facts ? { monitoringWindow: facts.windowLabel } : {}) },
        createdAt: now,
        createdBy: ctx.actor.sub,
        updatedAt: now,
      };
      const reply = { ...selfReply(evaluation, 201), status: 201, headers: { etag: etagOf(evaluation.id, 1), location: `/v1/evaluation/self-evaluations/${evaluation.id}` } };
      try {
        await store.writeSelfEvaluation(evaluation, undefined, [], ctx.idempotency ? [ctx.idempotency.recordItem(reply)] : []);
      } catch (error) {
        if (ctx.idempotency && conditionFailedAt(error, 1)) throw error;
        if (conditionFailedAt(error, 0)) throw new Problem(409, 'already-started', `The self-evaluation of ${baseline.object.id} exists: ${evaluation.id}`);
        throw error;
      }
      return reply;
    },

    listSelfEvaluations: async ({ query, ctx }) => {
      const prefix = ownerPrefixFor(ctx.actor, query.department);
      return { body: await store.listSelfEvaluations(ctx.deploymentRegion, query.year, prefix, pageSize(query.limit), query.cursor) };
    },

    getSelfEvaluation: async ({ params, ctx }) => selfReply(await scopedSelf(params.id, ctx)),

    updateSelfEvaluation: async ({ params, body, ctx }) => {
      const current = await scopedSelf(params.id, ctx);
      requireOwnUnit(current.object, ctx);
      checkIfMatch(ctx.headers['if-match'], current.id, current.version);
      if (current.status !== 'draft') throw problems.invalidState(`The self-evaluation is ${current.status}; it can no longer be changed`);
      const { rules: scoringParams } = await currentParams(current.object.region, current.object.fiscalYear);
      const { execution, rows } = applyBody(current.execution, current.rows, body);
      const result = scoreSelf(execution, rows, scoringParams);
      const wrong = blockingIssues(result).filter((i) => !INCOMPLETE.has(i.code));
      if (wrong.length) throw new EvaluationRejected(wrong, rows);
      const next: SelfEvaluation = { ...current, execution, rows, result, version: current.version + 1, updatedAt: new Date().toISOString() };
      await guarded(() => store.writeSelfEvaluation(next, current.version));
      return selfReply(next);
    },

    submitSelfEvaluation: async ({ params, ctx }) => {
      const current = await scopedSelf(params.id, ctx);
      requireOwnUnit(current.object, ctx);
      checkIfMatch(ctx.headers['if-match'], current.id, current.version);
      if (current.status !== 'draft') throw problems.invalidState(`The self-evaluation is already ${current.status}`);
      const { rules: scoringParams } = await currentParams(current.object.region, current.object.fiscalYear);
      const result = scoreSelf(current.execution, current.rows, scoringParams);
      const blocking = blockingIssues(result);
      if (blocking.length) throw new EvaluationRejected(blocking, current.rows);
      const at = new Date().toISOString();
      const next: SelfEvaluation = { ...current, result, status: 'submitted', version: current.version + 1, updatedAt: at, submittedAt: at, submittedBy: ctx.actor.sub };
      const events = [
        evaluationSubmitted(current.id, current.object, result, at, ctx.actor.sub, eventContextOf(ctx)),
        ...(await completionEvents(current.id, 'self', current.object, result.total, result.grade, current.rows, result, scoringParams, ctx, at)),
      ];
      await guarded(() => store.writeSelfEvaluation(next, current.version, events));
      return selfReply(next);
    },

    drawSample: async ({ body, ctx }) => {
      const submitted = (await store.allSelfEvaluations(ctx.deploymentRegion, body.fiscalYear)).filter((s) => s.status === 'submitted' && !s.sampleId);
      const drawnIds = drawSample(
        submitted.map((s) => ({ id: s.id, weight: s.execution.budgetWan })),
        body.size,
        body.seed,
      );
      const byId = new Map(submitted.map((s) => [s.id, s]));
      const now = new Date();
      const sample: ReviewSample = {
        id: newId('smp', now),
        region: ctx.deploymentRegion,
        fiscalYear: body.fiscalYear,
        seed: body.seed,
        size: body.size,
        population: submitted.length,
        drawn: drawnIds.map((id) => {
          const s = byId.get(id) as SelfEvaluation;
          return { objectId: s.object.id, selfEvaluationId: s.id, amountWan: s.execution.budgetWan };
        }),
        createdAt: now.toISOString(),
        createdBy: ctx.actor.sub,
      };
      if (sample.drawn.length > 98) throw problems.validation([{ field: 'body.size', message: 'draw at most 98 self-evaluations per sample (one transaction); draw several samples for more' }]);
      const marks = drawnIds.map((id) => {
        const s = byId.get(id) as SelfEvaluation;
        return store.sampledMark({ ...s, sampleId: sample.id, version: s.version + 1 }, s.version);
      });
      const reply = { status: 201, body: sample, headers: { location: `/v1/evaluation/review-samples/${sample.id}` } };
      try {
        await store.createSample(sample, [...marks, ...(ctx.idempotency ? [ctx.idempotency.recordItem(reply)] : [])]);
      } catch (error) {
        if (ctx.idempotency && conditionFailedAt(error, 1 + marks.length)) throw error;
        if (marks.some((_, i) => conditionFailedAt(error, 1 + i))) throw new Problem(409, 'concurrent-update', 'A self-evaluation changed while the sample was drawn; draw again');
        throw error;
      }
      return reply;
    },

    getSample: async ({ params, ctx }) => {
      const sample = await store.getSample(params.id);
      if (!sample || sample.region !== ctx.deploymentRegion) throw problems.notFound(`Review sample ${params.id}`);
      return { body: sample };
    },

    financeReview: async ({ params, body, ctx }) => {
      const current = await scopedSelf(params.id, ctx);
      checkIfMatch(ctx.headers['if-match'], current.id, current.version);
      if (current.status !== 'submitted') throw problems.invalidState(`Only a submitted self-evaluation is reviewed; this one is ${current.status}`);
      const { rules: scoringParams } = await currentParams(current.object.region, current.object.fiscalYear);
      const { execution, rows } = applyBody(current.execution, current.rows, body);
      const result = scoreSelf(execution, rows, scoringParams);
      const blocking = blockingIssues(result);
      if (blocking.length) throw new EvaluationRejected(blocking);
      const at = new Date().toISOString();
      const difference = round2(result.total - current.result.total);
      const next: SelfEvaluation = {
        ...current,
        status: 'reviewed',
        version: current.version + 1,
        updatedAt: at,
        review: {
          ...(current.sampleId ? { sampleId: current.sampleId } : {}),
          by: ctx.actor.sub,
          at,
          execution,
          rows,
          result,
          difference,
          flagged: Math.abs(difference) > scoringParams.reviewFlagPoints,
          ...(body.comments ? { comments: body.comments } : {}),
        },
      };
      const events = await completionEvents(current.id, 'finance_review', current.object, result.total, result.grade, rows, result, scoringParams, ctx, at);
      await guarded(() => store.writeSelfEvaluation(next, current.version, events));
      return selfReply(next);
    },

    coverage: async ({ query, ctx }) => {
      const prefix = ownerPrefixFor(ctx.actor, query.department);
      const [scope, selves] = await Promise.all([store.allScope(ctx.deploymentRegion, query.year, prefix), store.allSelfEvaluations(ctx.deploymentRegion, query.year, prefix)]);
      const done = new Set(selves.filter((s) => s.status !== 'draft').map((s) => s.object.id));
      const departments = [...new Set(scope.map((s) => s.department))].sort();
      const byDepartment = departments.map((department) => {
        const objects = scope.filter((s) => s.department === department);
        return {
          department,
          approved: objects.length,
          submitted: objects.filter((o) => done.has(o.objectId)).length,
          missing: objects.filter((o) => !done.has(o.objectId)).map((o) => ({ objectId: o.objectId, name: o.name, unit: o.unit })),
        };
      });
      const submitted = scope.filter((s) => done.has(s.objectId)).length;
      return { body: { fiscalYear: query.year, approved: scope.length, submitted, missing: scope.length - submitted, complete: submitted === scope.length, byDepartment } };
    },

    createKeyEvaluation: async ({ body, ctx }) => {
      const baseline = await scopedBaseline(body.objectId, ctx, 'body.objectId');
      if (ctx.actor.role === 'department' && body.evaluatorType === 'finance') throw problems.forbidden('A department evaluation cannot be declared a finance evaluation');
      const { rules: params } = await currentParams(baseline.object.region, baseline.object.fiscalYear);
      const rows = body.rows.map((r, i) => ({ id: `k${i + 1}`, ...r }));
      const frame = validateKeyFrame({ rows }, params);
      const errors = [
        ...frame.violations.map((v) => ({ field: `body.${v.field}`, message: v.message })),
        ...rows.flatMap((r, i) => (r.score > r.weight + 1e-9 ? [{ field: `body.rows[${i}].score`, message: `${r.score} is above the row's ${r.weight} points` }] : [])),
      ];
      if (errors.length) throw problems.validation(errors);
      const total = round2(rows.reduce((sum, r) => sum + r.score, 0));
      const grade = gradeFor(total, params);
      const now = new Date();
      const key: KeyEvaluation = {
        id: newId('key', now),
        version: 1,
        object: baseline.object,
        evaluatorType: body.evaluatorType,
        evaluator: body.evaluator,
        rows,
        total,
        grade,
        problems: body.problems,
        recommendations: body.recommendations,
        ...(body.rectificationDueDate ? { rectificationDueDate: body.rectificationDueDate } : {}),
        createdAt: now.toISOString(),
        createdBy: ctx.actor.sub,
        updatedAt: now.toISOString(),
      };
      const events = await completionEvents(key.id, 'key', key.object, total, grade, [], undefined, params, ctx, key.createdAt);
      const reply = { ...keyReply(key, 201), status: 201 };
      await store.writeKeyEvaluation(key, undefined, events, ctx.idempotency ? [ctx.idempotency.recordItem(reply)] : []);
      return reply;
    },

    listKeyEvaluations: async ({ query, ctx }) => {
      const prefix = ownerPrefixFor(ctx.actor, undefined);
      return { body: await store.listKeyEvaluations(ctx.deploymentRegion, query.year, prefix, pageSize(query.limit), query.cursor) };
    },

    getKeyEvaluation: async ({ params, ctx }) => {
      const key = await store.getKeyEvaluation(params.id);
      if (!key || key.object.region !== ctx.deploymentRegion) throw problems.notFound(`Key evaluation ${params.id}`);
      if (!inScope(ctx.actor, key.object)) throw problems.forbidden(`Key evaluation ${params.id} is outside your scope`);
      return keyReply(key);
    },

    keyFeedback: async ({ params, body, ctx }) => {
      const key = await store.getKeyEvaluation(params.id);
      if (!key || key.object.region !== ctx.deploymentRegion) throw problems.notFound(`Key evaluation ${params.id}`);
      if (ctx.actor.department !== key.object.department) throw problems.forbidden(`Only department ${key.object.department} answers this evaluation`);
      checkIfMatch(ctx.headers['if-match'], key.id, key.version);
      const at = new Date().toISOString();
      const next: KeyEvaluation = { ...key, feedback: { text: body.text, by: ctx.actor.sub, at }, version: key.version + 1, updatedAt: at };
      await guarded(() => store.writeKeyEvaluation(next, key.version));
      return keyReply(next);
    },


    ...parameters.implementations,
  },
  { idempotency: dynamoIdempotencyStore() },
);
