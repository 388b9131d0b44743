/**
 * Implementations of the key evaluations routes: a department or finance evaluation of one object
 * on the 决策 / 过程 / 产出 / 效益 frame (its completion is published at once), the list, one
 * evaluation (with its People's Congress ratings), the evaluated department's feedback, and the
 * People's Congress rating of the report (domain/congress-rating.ts).
 */
import type { Implementations } from '../../../shared/http/api.ts';
import { inScope, ownerPrefixFor, requireSupervisoryBody } from '../../../shared/http/auth.ts';
import { checkIfMatch, etagOf } from '../../../shared/http/etag.ts';
import { eventContextOf } from '../../../shared/http/event-context.ts';
import { pageSize } from '../../../shared/http/schemas.ts';
import { guardConcurrentUpdate } from '../../../shared/conditions.ts';
import { problems } from '../../../shared/errors.ts';
import { newTimeOrderedId } from '../../../shared/ids.ts';
import { SATISFACTION_LABELS } from '../../../events/evaluation-ratings.ts';
import { congressRating, ratingErrors, withRating, type RatedKeyEvaluation } from '../domain/congress-rating.ts';
import { gradeFor } from '../domain/grades.ts';
import { validateKeyFrame } from '../domain/key-frame.ts';
import { round2 } from '../domain/numbers.ts';
import type { KeyEvaluation } from '../domain/self-evaluation.ts';
import { keyEvaluationRated } from '../events.ts';
import { completionEvents } from '../jobs/completion.ts';
import type { keyEvaluationRoutes } from '../routes/key-evaluations.ts';
import { getKeyEvaluation, getRatedKeyEvaluation, listKeyEvaluations, writeCongressRating, writeKeyEvaluation } from '../store/key-evaluations.ts';
import { scopedBaseline } from './access.ts';
import { currentRules } from './rules.ts';

const keyReply = (k: KeyEvaluation, status?: number) => ({ ...(status ? { status } : {}), body: k, headers: { etag: etagOf(k.id, k.version) } });

/** The evaluation with its ratings, each labelled; the ETag is the evaluation's own (ratings are their raters' records, not part of its version). */
function ratedReply(k: RatedKeyEvaluation) {
  const { congressRatings = [], ...key } = k;
  const labelled = congressRatings.map((r) => ({ ...r, satisfactionLabel: SATISFACTION_LABELS[r.satisfaction] }));
  return { body: { ...key, congressRatings: labelled }, headers: { etag: etagOf(k.id, k.version) } };
}

export const keyEvaluationsApi: Implementations<typeof keyEvaluationRoutes> = {
  createKeyEvaluation: async ({ body, ctx }) => {
    const baseline = await scopedBaseline(body.objectId, ctx, 'body.objectId');
    if (ctx.actor.role === 'department' && body.evaluatorType === 'finance') throw problems.forbidden('A department evaluation cannot be declared a finance evaluation');
    const { rules: params } = await currentRules(baseline.object.region, baseline.object.fiscalYear);
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
      id: newTimeOrderedId('key', now),
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
    const events = await completionEvents(key.id, 'key', key.object, total, grade, [], undefined, params, eventContextOf(ctx), key.createdAt);
    const reply = { ...keyReply(key, 201), status: 201 };
    await writeKeyEvaluation(key, undefined, events, ctx.idempotency ? [ctx.idempotency.recordItem(reply)] : []);
    return reply;
  },

  listKeyEvaluations: async ({ query, ctx }) => {
    const prefix = ownerPrefixFor(ctx.actor, undefined);
    return { body: await listKeyEvaluations(ctx.deploymentRegion, query.year, prefix, pageSize(query.limit), query.cursor) };
  },

  getKeyEvaluation: async ({ params, ctx }) => {
    const key = await getRatedKeyEvaluation(params.id);
    if (!key || key.object.region !== ctx.deploymentRegion) throw problems.notFound(`Key evaluation ${params.id}`);
    if (!inScope(ctx.actor, key.object)) throw problems.forbidden(`Key evaluation ${params.id} is outside your scope`);
    return ratedReply(key);
  },

  keyFeedback: async ({ params, body, ctx }) => {
    const key = await getKeyEvaluation(params.id);
    if (!key || key.object.region !== ctx.deploymentRegion) throw problems.notFound(`Key evaluation ${params.id}`);
    if (ctx.actor.department !== key.object.department) throw problems.forbidden(`Only department ${key.object.department} answers this evaluation`);
    checkIfMatch(ctx.headers['if-match'], key.id, key.version);
    const at = new Date().toISOString();
    const next: KeyEvaluation = { ...key, feedback: { text: body.text, by: ctx.actor.sub, at }, version: key.version + 1, updatedAt: at };
    await guardConcurrentUpdate('evaluation', () => writeKeyEvaluation(next, key.version));
    return keyReply(next);
  },

  rateKeyEvaluation: async ({ params, body, ctx }) => {
    requireSupervisoryBody(ctx.actor, 'congress');
    const key = await getRatedKeyEvaluation(params.id);
    if (!key || key.object.region !== ctx.deploymentRegion) throw problems.notFound(`Key evaluation ${params.id}`);
    const errors = ratingErrors(body);
    if (errors.length) throw problems.validation(errors.map((e) => ({ field: `body.${e.field}`, message: e.message })));
    const now = new Date();
    const rating = congressRating(body, ctx.actor.sub, now.toISOString());
    const ectx = eventContextOf(ctx, now);
    // The People's Congress speaks as such on the bus too (eventContextOf keeps role and scope only).
    const event = keyEvaluationRated(key, rating, { ...ectx, actor: { ...ectx.actor, supervisoryBody: 'congress' } });
    await guardConcurrentUpdate('rating', () => writeCongressRating(key.id, rating, [event]));
    return ratedReply({ ...key, congressRatings: withRating(key.congressRatings ?? [], rating) });
  },
};
