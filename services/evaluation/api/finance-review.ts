/**
 * Implementations of the finance review routes (复核): draw a reproducible sample of submitted
 * self-evaluations (each drawn one is marked in the same transaction), read it, and re-score a
 * submitted self-evaluation; a difference beyond the region's threshold is flagged.
 */
import type { Implementations } from '../../../shared/http/api.ts';
import { checkIfMatch } from '../../../shared/http/etag.ts';
import { eventContextOf } from '../../../shared/http/event-context.ts';
import { conditionFailedAt, guardConcurrentUpdate } from '../../../shared/conditions.ts';
import { Problem, problems } from '../../../shared/errors.ts';
import { newTimeOrderedId } from '../../../shared/ids.ts';
import { round2 } from '../domain/numbers.ts';
import { reviewTable, riskRank } from '../domain/review-assistant.ts';
import { printedTableOfSelf } from '../domain/review-of-self.ts';
import { drawByRisk, drawSample } from '../domain/sampling.ts';
import { blockingIssues } from '../domain/scoring-issues.ts';
import { scoreSelf, type ReviewSample, type SelfEvaluation } from '../domain/self-evaluation.ts';
import { completionEvents } from '../jobs/completion.ts';
import type { financeReviewRoutes } from '../routes/finance-review.ts';
import { createSample, getSample, sampledMark } from '../store/samples.ts';
import { allSelfEvaluations, writeSelfEvaluation } from '../store/self-evaluations.ts';
import { scopedSelf } from './access.ts';
import { reviewParameters } from './review.ts';
import { currentRules } from './rules.ts';

const RISK_LABEL = ['error', 'warning', 'none'] as const;
import { applyBody, EvaluationRejected, selfReply } from './self-evaluations.ts';

export const financeReviewApi: Implementations<typeof financeReviewRoutes> = {
  drawSample: async ({ body, ctx }) => {
    const submitted = (await allSelfEvaluations(ctx.deploymentRegion, body.fiscalYear)).filter((s) => s.status === 'submitted' && !s.sampleId);
    const by = body.by ?? 'amount';
    const risk = new Map<string, number>();
    if (by === 'risk') {
      const { rules } = await currentRules(ctx.deploymentRegion, body.fiscalYear);
      for (const s of submitted) risk.set(s.id, riskRank(reviewTable(printedTableOfSelf(s), rules, reviewParameters(rules)).findings));
    }
    const candidates = submitted.map((s) => ({ id: s.id, weight: s.execution.budgetWan }));
    const drawnIds = by === 'risk' ? drawByRisk(candidates.map((c) => ({ ...c, rank: risk.get(c.id) ?? 2 })), body.size, body.seed) : drawSample(candidates, body.size, body.seed);
    const byId = new Map(submitted.map((s) => [s.id, s]));
    const now = new Date();
    const sample: ReviewSample = {
      id: newTimeOrderedId('smp', now),
      region: ctx.deploymentRegion,
      fiscalYear: body.fiscalYear,
      seed: body.seed,
      size: body.size,
      by,
      population: submitted.length,
      drawn: drawnIds.map((id) => {
        const s = byId.get(id) as SelfEvaluation;
        return { objectId: s.object.id, selfEvaluationId: s.id, amountWan: s.execution.budgetWan, ...(by === 'risk' ? { risk: RISK_LABEL[risk.get(id) ?? 2] } : {}) };
      }),
      createdAt: now.toISOString(),
      createdBy: ctx.actor.sub,
    };
    if (sample.drawn.length > 98) throw problems.validation([{ field: 'body.size', message: 'draw at most 98 self-evaluations per sample (one transaction); draw several samples for more' }]);
    const marks = drawnIds.map((id) => {
      const s = byId.get(id) as SelfEvaluation;
      return sampledMark({ ...s, sampleId: sample.id, version: s.version + 1 }, s.version);
    });
    const reply = { status: 201, body: sample, headers: { location: `/v1/evaluation/review-samples/${sample.id}` } };
    try {
      await createSample(sample, [...marks, ...(ctx.idempotency ? [ctx.idempotency.recordItem(reply)] : [])]);
    } catch (error) {
      if (ctx.idempotency && conditionFailedAt(error, 1 + marks.length)) throw error;
      if (marks.some((_, i) => conditionFailedAt(error, 1 + i))) throw new Problem(409, 'concurrent-update', 'A self-evaluation changed while the sample was drawn; draw again');
      throw error;
    }
    return reply;
  },

  getSample: async ({ params, ctx }) => {
    const sample = await getSample(params.id);
    if (!sample || sample.region !== ctx.deploymentRegion) throw problems.notFound(`Review sample ${params.id}`);
    return { body: sample };
  },

  financeReview: async ({ params, body, ctx }) => {
    const current = await scopedSelf(params.id, ctx);
    checkIfMatch(ctx.headers['if-match'], current.id, current.version);
    if (current.status !== 'submitted') throw problems.invalidState(`Only a submitted self-evaluation is reviewed; this one is ${current.status}`);
    const { rules: scoringRules } = await currentRules(current.object.region, current.object.fiscalYear);
    const { execution, rows } = applyBody(current.execution, current.rows, body);
    const result = scoreSelf(execution, rows, scoringRules);
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
        flagged: Math.abs(difference) > scoringRules.reviewFlagPoints,
        ...(body.comments ? { comments: body.comments } : {}),
      },
    };
    const events = await completionEvents(current.id, 'finance_review', current.object, result.total, result.grade, rows, result, scoringRules, eventContextOf(ctx), at);
    await guardConcurrentUpdate('evaluation', () => writeSelfEvaluation(next, current.version, events));
    return selfReply(next);
  },
};
