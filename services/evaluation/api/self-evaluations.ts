/**
 * Implementations of the self-evaluations routes: start (pre-filled from the approved targets
 * and the latest monitoring report), list, read, enter figures, submit. A draft is rescored on
 * every change; wrong entries are refused at once, missing ones only at submission.
 */
import type { Implementations } from '../../../shared/http/api.ts';
import { ownerPrefixFor } from '../../../shared/http/auth.ts';
import { checkIfMatch, etagOf } from '../../../shared/http/etag.ts';
import { eventContextOf } from '../../../shared/http/event-context.ts';
import { pageSize } from '../../../shared/http/schemas.ts';
import { conditionFailedAt, guardConcurrentUpdate } from '../../../shared/conditions.ts';
import { Problem, problems } from '../../../shared/errors.ts';
import { blockingIssues, type ScoringIssue } from '../domain/scoring-issues.ts';
import {
  applyEntries,
  prefillRows,
  scoreSelf,
  selfEvaluationId,
  type ExecutionEntry,
  type RowEntry,
  type SelfEvaluation,
  type SelfRow,
} from '../domain/self-evaluation.ts';
import { evaluationSubmitted } from '../events.ts';
import { completionEvents } from '../jobs/completion.ts';
import type { selfEvaluationRoutes } from '../routes/self-evaluations.ts';
import { getMonitoring } from '../store/baselines.ts';
import { listSelfEvaluations, writeSelfEvaluation } from '../store/self-evaluations.ts';
import { requireOwnUnit, scopedBaseline, scopedSelf } from './access.ts';
import { currentRules } from './rules.ts';

export const selfReply = (s: SelfEvaluation, status?: number) => ({ ...(status ? { status } : {}), body: s, headers: { etag: etagOf(s.id, s.version) } });

/**
 * What a draft may still lack while the unit fills it in (submit refuses them); every other
 * error is a wrong entry and refuses the change itself, so nothing wrong is ever stored.
 */
const INCOMPLETE = new Set<ScoringIssue['code']>(['actual_missing', 'qualitative_finding_missing', 'budget_invalid', 'nothing_to_score']);

/** Blocking issues as a 422 naming each row and field (weights that miss 100 name every row's weight). */
export class EvaluationRejected extends Problem {
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

/** The entries of a PATCH (or a finance review) applied to the execution and the rows; unknown rows are a 400. */
export function applyBody(execution: ExecutionEntry, rows: readonly SelfRow[], body: { executedWan?: number; executionOverride?: { score: number; reason: string } | null; rows: RowEntry[] }) {
  const applied = applyEntries(rows, body.rows, 'body.rows');
  if (applied.violations.length) throw problems.validation(applied.violations);
  const nextExecution: ExecutionEntry = { ...execution, ...(body.executedWan !== undefined ? { executedWan: body.executedWan } : {}) };
  if (body.executionOverride === null) delete nextExecution.override;
  else if (body.executionOverride) nextExecution.override = body.executionOverride;
  return { execution: nextExecution, rows: applied.rows };
}

export const selfEvaluationsApi: Implementations<typeof selfEvaluationRoutes> = {
  createSelfEvaluation: async ({ body, ctx }) => {
    const baseline = await scopedBaseline(body.objectId, ctx, 'body.objectId');
    requireOwnUnit(baseline.object, ctx);
    const [{ rules: params }, monitoring] = await Promise.all([currentRules(baseline.object.region, baseline.object.fiscalYear), getMonitoring(baseline.object.id)]);
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
      await writeSelfEvaluation(evaluation, undefined, [], ctx.idempotency ? [ctx.idempotency.recordItem(reply)] : []);
    } catch (error) {
      if (ctx.idempotency && conditionFailedAt(error, 1)) throw error;
      if (conditionFailedAt(error, 0)) throw new Problem(409, 'already-started', `The self-evaluation of ${baseline.object.id} exists: ${evaluation.id}`);
      throw error;
    }
    return reply;
  },

  listSelfEvaluations: async ({ query, ctx }) => {
    const prefix = ownerPrefixFor(ctx.actor, query.department);
    return { body: await listSelfEvaluations(ctx.deploymentRegion, query.year, prefix, pageSize(query.limit), query.cursor) };
  },

  getSelfEvaluation: async ({ params, ctx }) => selfReply(await scopedSelf(params.id, ctx)),

  updateSelfEvaluation: async ({ params, body, ctx }) => {
    const current = await scopedSelf(params.id, ctx);
    requireOwnUnit(current.object, ctx);
    checkIfMatch(ctx.headers['if-match'], current.id, current.version);
    if (current.status !== 'draft') throw problems.invalidState(`The self-evaluation is ${current.status}; it can no longer be changed`);
    const { rules: scoringRules } = await currentRules(current.object.region, current.object.fiscalYear);
    const { execution, rows } = applyBody(current.execution, current.rows, body);
    const result = scoreSelf(execution, rows, scoringRules);
    const wrong = blockingIssues(result).filter((i) => !INCOMPLETE.has(i.code));
    if (wrong.length) throw new EvaluationRejected(wrong, rows);
    const next: SelfEvaluation = { ...current, execution, rows, result, version: current.version + 1, updatedAt: new Date().toISOString() };
    await guardConcurrentUpdate('evaluation', () => writeSelfEvaluation(next, current.version));
    return selfReply(next);
  },

  submitSelfEvaluation: async ({ params, ctx }) => {
    const current = await scopedSelf(params.id, ctx);
    requireOwnUnit(current.object, ctx);
    checkIfMatch(ctx.headers['if-match'], current.id, current.version);
    if (current.status !== 'draft') throw problems.invalidState(`The self-evaluation is already ${current.status}`);
    const { rules: scoringRules } = await currentRules(current.object.region, current.object.fiscalYear);
    const result = scoreSelf(current.execution, current.rows, scoringRules);
    const blocking = blockingIssues(result);
    if (blocking.length) throw new EvaluationRejected(blocking, current.rows);
    const at = new Date().toISOString();
    const next: SelfEvaluation = { ...current, result, status: 'submitted', version: current.version + 1, updatedAt: at, submittedAt: at, submittedBy: ctx.actor.sub };
    const events = [
      evaluationSubmitted(current.id, current.object, result, at, ctx.actor.sub, eventContextOf(ctx)),
      ...(await completionEvents(current.id, 'self', current.object, result.total, result.grade, current.rows, result, scoringRules, eventContextOf(ctx), at)),
    ];
    await guardConcurrentUpdate('evaluation', () => writeSelfEvaluation(next, current.version, events));
    return selfReply(next);
  },
};
