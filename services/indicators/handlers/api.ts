/** The indicators API Lambda. */
import { createApiHandler, type RequestContext } from '../../../shared/http/api.ts';
import { dynamoIdempotencyStore } from '../../../shared/http/idempotency-store.ts';
import { etagOf, checkIfMatch } from '../../../shared/http/etag.ts';
import { pageSize } from '../../../shared/http/schemas.ts';
import { problems, Problem } from '../../../shared/errors.ts';
import { conditionFailedAt } from '../../../shared/conditions.ts';
import { newEvent } from '../../../shared/outbox.ts';
import type { IndicatorPublished } from '../../../events/indicators.ts';
import { checkDraft, newIndicator, publish, TransitionError, type Indicator } from '../domain/indicator.ts';
import { vocabulary } from '../domain/vocabulary.ts';
import { routes } from '../http.ts';
import { newIndicatorId } from '../ids.ts';
import * as store from '../store.ts';

/** Reads an indicator the caller may see, or 404 (never 403: do not reveal what exists elsewhere). */
async function visibleIndicator(id: string, ctx: RequestContext): Promise<Indicator> {
  const indicator = await store.getIndicator(id);
  if (!indicator || indicator.region !== ctx.actor.region) throw problems.notFound(`Indicator ${id}`);
  return indicator;
}

function publishedEvent(indicator: Indicator, ctx: RequestContext) {
  return newEvent<IndicatorPublished['data']>({
    detailType: 'IndicatorPublished',
    version: 1,
    subject: { type: 'indicator', id: indicator.id },
    actor: store.actorRef(ctx.actor),
    region: indicator.region,
    correlationId: ctx.correlationId,
    data: {
      indicator: {
        id: indicator.id,
        version: indicator.version,
        name: indicator.name,
        level1: indicator.level1,
        level2: indicator.level2,
        operator: indicator.operator,
        unit: indicator.unit ?? '',
        ...(indicator.basis ? { basis: indicator.basis } : {}),
        scope: indicator.scope,
        spendingTypes: indicator.spendingTypes,
        region: indicator.region,
        publishedAt: indicator.publishedAt as string,
      },
    },
  });
}

export const handler = createApiHandler(routes, {
  vocabulary: async () => ({ body: vocabulary() }),

  createIndicator: async ({ body, ctx }) => {
    const violations = checkDraft(body);
    if (violations.length) throw problems.validation(violations.map((v) => ({ field: `body.${v.field}`, message: v.message })));
    const now = new Date();
    const indicator = newIndicator(body, newIndicatorId(now), ctx.actor, now);
    const headers = { etag: etagOf(indicator.id, indicator.version), location: `/v1/indicators/${indicator.id}` };
    const extra = ctx.idempotency ? [ctx.idempotency.recordItem({ status: 201, body: indicator, headers })] : [];
    await store.insertIndicator(indicator, ctx.actor, extra);
    return { status: 201, body: indicator, headers };
  },

  getIndicator: async ({ params, ctx }) => {
    const indicator = await visibleIndicator(params.id, ctx);
    return { body: indicator, headers: { etag: etagOf(indicator.id, indicator.version) } };
  },

  listIndicators: async ({ query }) => {
    const page = await store.listIndicators({ level1: query.level1 }, pageSize(query.limit), query.cursor);
    return { body: page };
  },

  publishIndicator: async ({ params, ctx }) => {
    const current = await visibleIndicator(params.id, ctx);
    checkIfMatch(ctx.headers['if-match'], current.id, current.version);
    let next: Indicator;
    try {
      next = publish(current, ctx.actor, new Date());
    } catch (error) {
      if (error instanceof TransitionError) throw problems.invalidState(error.message);
      throw error;
    }
    try {
      await store.replaceIndicator(
        next,
        current.version,
        { at: next.updatedAt, action: 'published', actor: store.actorRef(ctx.actor), fromStatus: current.status },
        [publishedEvent(next, ctx)],
      );
    } catch (error) {
      if (conditionFailedAt(error, 0)) {
        throw new Problem(409, 'concurrent-update', 'Someone else changed this indicator at the same time; read it again and retry');
      }
      throw error;
    }
    return { body: next, headers: { etag: etagOf(next.id, next.version) } };
  },

  indicatorAudit: async ({ params, query, ctx }) => {
    await visibleIndicator(params.id, ctx);
    return { body: await store.listAudit(params.id, pageSize(query.limit), query.cursor) };
  },
}, { idempotency: dynamoIdempotencyStore() });
