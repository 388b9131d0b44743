/** Implementations of the indicator routes: drafts, publication, revisions, retirement, audit, achieved values, export. */
import { Problem, problems, type FieldError } from '../../../shared/errors.ts';
import { conditionFailedAt, guardConcurrentUpdate } from '../../../shared/conditions.ts';
import type { Implementations } from '../../../shared/http/api.ts';
import { checkIfMatch, etagOf } from '../../../shared/http/etag.ts';
import { pageSize } from '../../../shared/http/schemas.ts';
import { newTimeOrderedId } from '../../../shared/ids.ts';
import { indicatorsToCsv } from '../domain/export.ts';
import { summariseHistory } from '../domain/history.ts';
import { checkContent, editDraft, newIndicator, publish, retire, revise, revisionOf, type Indicator, type IndicatorContent } from '../domain/indicator.ts';
import { indicatorPublished, indicatorRetired, indicatorRevised } from '../events.ts';
import type { indicatorRoutes } from '../routes/indicators.ts';
import { actorRef, listAudit } from '../store/audit.ts';
import { listHistory } from '../store/history.ts';
import * as indicators from '../store/indicators.ts';
import { eventContext, publishedOnly, requireSector, transition, visibleIndicator } from './access.ts';

/** Exports stop here; narrow the filters for more. */
const EXPORT_LIMIT = 20_000;

function contentViolations(content: IndicatorContent, prefix: string): FieldError[] {
  return checkContent(content).map((v) => ({ field: `${prefix}.${v.field}`, message: v.message }));
}

const indicatorReply = (indicator: Indicator, status?: number) => ({
  ...(status ? { status } : {}),
  body: indicator,
  headers: { etag: etagOf(indicator.id, indicator.version) },
});

export const indicatorsApi: Implementations<typeof indicatorRoutes> = {
  createIndicator: async ({ body, ctx }) => {
    const violations = contentViolations(body, 'body');
    if (violations.length) throw problems.validation(violations);
    const sectorLabel = await requireSector(body.sector, 'body.sector');
    const now = new Date();
    const indicator = newIndicator({ ...body, ...(sectorLabel ? { sectorLabel } : {}) }, newTimeOrderedId('ind', now), ctx.actor, now);
    const reply = { status: 201, body: indicator, headers: { etag: etagOf(indicator.id, indicator.version), location: `/v1/indicators/${indicator.id}` } };
    const extra = ctx.idempotency ? [ctx.idempotency.recordItem(reply)] : [];
    try {
      await indicators.insertIndicator(indicator, ctx.actor, extra);
    } catch (error) {
      // A retry racing its own first attempt: let the API layer replay that answer.
      if (ctx.idempotency && conditionFailedAt(error, indicators.indicatorCreation(indicator, ctx.actor).length)) throw error;
      if (indicator.code && conditionFailedAt(error, indicators.CREATION_CODE_INDEX)) {
        throw new Problem(409, 'code-taken', `Code ${indicator.code} is already used by another indicator of region ${indicator.region}`, {
          errors: [{ field: 'body.code', message: 'already used in this region' }],
        });
      }
      throw error;
    }
    return reply;
  },

  listIndicators: async ({ query, ctx }) => {
    const { limit, cursor, ...filter } = query;
    const page = await indicators.listIndicators({ ...filter, publishedOnly: publishedOnly(ctx) }, pageSize(limit), cursor);
    return { body: { items: page.items, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) } };
  },

  exportIndicators: async ({ query, ctx }) => {
    const { limit: _limit, cursor: _cursor, format, ...filter } = query;
    const all: Indicator[] = [];
    let cursor: string | undefined;
    do {
      const page = await indicators.listIndicators({ ...filter, publishedOnly: publishedOnly(ctx) }, 100, cursor);
      all.push(...page.items);
      cursor = page.nextCursor;
      if (all.length > EXPORT_LIMIT) {
        throw new Problem(413, 'export-too-large', `More than ${EXPORT_LIMIT} indicators match; narrow the filters (sector, level1, status ...)`);
      }
    } while (cursor);
    const stamp = new Date().toISOString().slice(0, 10);
    if (format === 'json') return { body: { items: all }, headers: { 'content-disposition': `attachment; filename="indicators-${stamp}.json"` } };
    return {
      raw: { contentType: 'text/csv; charset=utf-8', text: indicatorsToCsv(all) },
      headers: { 'content-disposition': `attachment; filename="indicators-${stamp}.csv"` },
    };
  },

  getIndicator: async ({ params, ctx }) => indicatorReply(await visibleIndicator(params.id, ctx)),

  editIndicator: async ({ params, body, ctx }) => {
    const current = await visibleIndicator(params.id, ctx);
    checkIfMatch(ctx.headers['if-match'], current.id, current.version);
    const sectorLabel = await requireSector(body.sector, 'body.sector');
    const next = await transition(() => editDraft(current, { ...body, ...(sectorLabel ? { sectorLabel } : {}) }, new Date()));
    const violations = contentViolations(next, 'body');
    if (violations.length) throw problems.validation(violations);
    await guardConcurrentUpdate('indicator', () => indicators.replaceIndicator(next, current.version, { at: next.updatedAt, action: 'edited', actor: actorRef(ctx.actor), fromStatus: current.status }, []));
    return indicatorReply(next);
  },

  publishIndicator: async ({ params, ctx }) => {
    const current = await visibleIndicator(params.id, ctx);
    checkIfMatch(ctx.headers['if-match'], current.id, current.version);
    const next = await transition(() => publish(current, ctx.actor, new Date()));
    await guardConcurrentUpdate('indicator', () =>
      indicators.replaceIndicator(
        next,
        current.version,
        { at: next.updatedAt, action: 'published', actor: actorRef(ctx.actor), fromStatus: current.status },
        [indicatorPublished(next, eventContext(ctx))],
        revisionOf(next),
      ),
    );
    return indicatorReply(next);
  },

  reviseIndicator: async ({ params, body, ctx }) => {
    const current = await visibleIndicator(params.id, ctx);
    checkIfMatch(ctx.headers['if-match'], current.id, current.version);
    if (Object.keys(body.changes).length === 0) throw problems.validation([{ field: 'body.changes', message: 'a revision changes at least one field' }]);
    const sectorLabel = await requireSector(body.changes.sector, 'body.changes.sector');
    const next = await transition(() => revise(current, { ...body.changes, ...(sectorLabel ? { sectorLabel } : {}) }, body.reason, ctx.actor, new Date()));
    const violations = contentViolations(next, 'body.changes');
    if (violations.length) throw problems.validation(violations);
    await guardConcurrentUpdate('indicator', () =>
      indicators.replaceIndicator(
        next,
        current.version,
        { at: next.updatedAt, action: 'revised', actor: actorRef(ctx.actor), fromStatus: current.status, reason: body.reason },
        [indicatorRevised(next, current.revision, body.reason, eventContext(ctx))],
        revisionOf(next),
      ),
    );
    return indicatorReply(next, 201);
  },

  listIndicatorRevisions: async ({ params, query, ctx }) => {
    await visibleIndicator(params.id, ctx);
    return { body: await indicators.listRevisions(params.id, pageSize(query.limit), query.cursor) };
  },

  getIndicatorRevision: async ({ params, ctx }) => {
    await visibleIndicator(params.id, ctx);
    const revision = await indicators.getRevision(params.id, params.revision);
    if (!revision) throw problems.notFound(`Revision ${params.revision} of indicator ${params.id}`);
    return { body: revision };
  },

  retireIndicator: async ({ params, body, ctx }) => {
    const current = await visibleIndicator(params.id, ctx);
    checkIfMatch(ctx.headers['if-match'], current.id, current.version);
    const next = await transition(() => retire(current, body.reason, ctx.actor, new Date()));
    await guardConcurrentUpdate('indicator', () =>
      indicators.replaceIndicator(
        next,
        current.version,
        { at: next.updatedAt, action: 'retired', actor: actorRef(ctx.actor), fromStatus: current.status, reason: body.reason },
        [indicatorRetired(next, eventContext(ctx))],
      ),
    );
    return indicatorReply(next);
  },

  indicatorAudit: async ({ params, query, ctx }) => {
    await visibleIndicator(params.id, ctx);
    return { body: await listAudit(`IND#${params.id}`, pageSize(query.limit), query.cursor) };
  },

  indicatorHistory: async ({ params, query, ctx }) => {
    await visibleIndicator(params.id, ctx);
    const page = await listHistory(params.id, query.fiscalYear, pageSize(query.limit), query.cursor);
    const { items: _items, ...rest } = page;
    return { body: { items: page.items.map(({ indicatorId: _id, ...entry }) => entry), summary: summariseHistory(page.items), ...rest } };
  },
};
