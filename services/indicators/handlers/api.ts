/** The indicators API Lambda: the "3+X" library, templates, recommendations, import/export. */
import { createApiHandler, type RequestContext } from '../../../shared/http/api.ts';
import { dynamoIdempotencyStore } from '../../../shared/http/idempotency-store.ts';
import { checkIfMatch, etagOf } from '../../../shared/http/etag.ts';
import { pageSize } from '../../../shared/http/schemas.ts';
import { Problem, problems, type FieldError } from '../../../shared/errors.ts';
import { conditionFailedAt } from '../../../shared/conditions.ts';
import { LEVEL1 } from '../../../events/vocabulary.ts';
import {
  checkContent,
  editDraft,
  newIndicator,
  publish,
  retire,
  revise,
  revisionOf,
  TransitionError,
  visibleTo,
  type Indicator,
  type IndicatorContent,
} from '../domain/indicator.ts';
import { explainMatch, rankMatches } from '../domain/recommend.ts';
import { editTemplate, newTemplate, publishTemplate, retireTemplate, reviseTemplate, type Template, type TemplateIndicatorRef } from '../domain/template.ts';
import { vocabulary } from '../domain/vocabulary.ts';
import { indicatorsToCsv } from '../domain/import-rows.ts';
import { runImport } from '../import.ts';
import { indicatorPublished, indicatorRetired, indicatorRevised, templatePublished, templateRetired, type EventContext } from '../events.ts';
import { routes } from '../http.ts';
import { newId } from '../ids.ts';
import * as store from '../store.ts';

/** A queued import without progress for this long is reported as stalled. */
const STALLED_AFTER_MS = 15 * 60_000;

/** Exports stop here; narrow the filters for more. */
const EXPORT_LIMIT = 20_000;

const eventContext = (ctx: RequestContext): EventContext => ({ actor: store.actorRef(ctx.actor), region: ctx.deploymentRegion, correlationId: ctx.correlationId });

/** Turns a domain refusal into the right HTTP problem. */
async function transition<T>(fn: () => T): Promise<T> {
  try {
    return fn();
  } catch (error) {
    if (error instanceof TransitionError) {
      if (/belongs to region/.test(error.message)) throw problems.forbidden(error.message);
      throw problems.invalidState(error.message);
    }
    throw error;
  }
}

/** Runs a conditional write; a lost race is a 409 telling the caller to read again. */
async function guarded(what: string, write: () => Promise<void>): Promise<void> {
  try {
    await write();
  } catch (error) {
    if (conditionFailedAt(error, 0)) throw new Problem(409, 'concurrent-update', `Someone else changed this ${what} at the same time; read it again and retry`);
    throw error;
  }
}

/** Reads an indicator the caller may see, or 404 (never 403: do not reveal what exists elsewhere). */
async function visibleIndicator(id: string, ctx: RequestContext): Promise<Indicator> {
  const indicator = await store.getIndicator(id);
  if (!indicator || !visibleTo(indicator, ctx.actor)) throw problems.notFound(`Indicator ${id}`);
  return indicator;
}

async function visibleTemplate(id: string, ctx: RequestContext): Promise<Template> {
  const template = await store.getTemplate(id);
  const hidden = template?.status === 'draft' && !(['finance', 'supervisor'].includes(ctx.actor.role) && template.region === ctx.actor.region);
  if (!template || hidden) throw problems.notFound(`Template ${id}`);
  return template;
}

const publishedOnly = (ctx: RequestContext) => ctx.actor.role === 'unit' || ctx.actor.role === 'department';

function contentViolations(content: IndicatorContent, prefix: string): FieldError[] {
  return checkContent(content).map((v) => ({ field: `${prefix}.${v.field}`, message: v.message }));
}

/** Checks the sector exists; returns its label (kept on indicators so lower regions learn it). */
async function requireSector(sector: string | undefined, field: string): Promise<string | undefined> {
  if (!sector) return undefined;
  const found = await store.getSector(sector);
  if (!found) throw problems.validation([{ field, message: `unknown sector ${sector}; see GET /v1/indicators/sectors` }]);
  return found.label;
}

/** Resolves template entries (by id or code) to published indicators, naming each bad entry. */
async function resolveTemplateIndicators(entries: readonly ({ indicatorId: string } | { code: string })[], region: string): Promise<TemplateIndicatorRef[]> {
  const byCode = await store.indicatorIdsByCodes(region, entries.flatMap((e) => ('code' in e ? [e.code] : [])));
  const ids = entries.map((e) => ('indicatorId' in e ? e.indicatorId : byCode.get(e.code)));
  const found = await store.getIndicators(ids.filter((id): id is string => !!id));
  const errors: FieldError[] = [];
  const refs: TemplateIndicatorRef[] = [];
  entries.forEach((entry, i) => {
    const id = ids[i];
    const indicator = id ? found.get(id) : undefined;
    const field = `body.indicators[${i}]`;
    if (!indicator) errors.push({ field, message: `no indicator ${'code' in entry ? `with code ${entry.code}` : entry.indicatorId} in the library` });
    else if (indicator.status !== 'published') errors.push({ field, message: `indicator ${indicator.id} is ${indicator.status}; only published indicators go into templates` });
    else refs.push({ id: indicator.id, revision: indicator.revision, ...(indicator.code ? { code: indicator.code } : {}), name: indicator.name, level1: indicator.level1, level2: indicator.level2, scope: indicator.scope });
  });
  if (errors.length) throw problems.validation(errors);
  return refs;
}

const indicatorReply = (indicator: Indicator, status?: number) => ({
  ...(status ? { status } : {}),
  body: indicator,
  headers: { etag: etagOf(indicator.id, indicator.version) },
});

const templateReply = (template: Template, status?: number) => ({
  ...(status ? { status } : {}),
  body: template,
  headers: { etag: etagOf(template.id, template.version) },
});

export const handler = createApiHandler(
  routes,
  {
    vocabulary: async () => ({ body: vocabulary() }),

    listSectors: async () => ({ body: { items: await store.listSectors() } }),

    putSector: async ({ params, body, ctx }) => {
      const sector = { code: params.code, label: body.label, updatedAt: new Date().toISOString(), updatedBy: ctx.actor.sub };
      await store.putSector(sector);
      return { body: sector };
    },

    createIndicator: async ({ body, ctx }) => {
      const violations = contentViolations(body, 'body');
      if (violations.length) throw problems.validation(violations);
      const sectorLabel = await requireSector(body.sector, 'body.sector');
      const now = new Date();
      const indicator = newIndicator({ ...body, ...(sectorLabel ? { sectorLabel } : {}) }, newId('ind', now), ctx.actor, now);
      const reply = { status: 201, body: indicator, headers: { etag: etagOf(indicator.id, indicator.version), location: `/v1/indicators/${indicator.id}` } };
      const extra = ctx.idempotency ? [ctx.idempotency.recordItem(reply)] : [];
      try {
        await store.insertIndicator(indicator, ctx.actor, extra);
      } catch (error) {
        // A retry racing its own first attempt: let the API layer replay that answer.
        if (ctx.idempotency && conditionFailedAt(error, store.indicatorCreation(indicator, ctx.actor).length)) throw error;
        if (indicator.code && conditionFailedAt(error, store.CREATION_CODE_INDEX)) {
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
      const page = await store.listIndicators({ ...filter, publishedOnly: publishedOnly(ctx) }, pageSize(limit), cursor);
      return { body: { items: page.items, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) } };
    },

    exportIndicators: async ({ query, ctx }) => {
      const { limit: _limit, cursor: _cursor, format, ...filter } = query;
      const all: Indicator[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.listIndicators({ ...filter, publishedOnly: publishedOnly(ctx) }, 100, cursor);
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
      await guarded('indicator', () => store.replaceIndicator(next, current.version, { at: next.updatedAt, action: 'edited', actor: store.actorRef(ctx.actor), fromStatus: current.status }, []));
      return indicatorReply(next);
    },

    publishIndicator: async ({ params, ctx }) => {
      const current = await visibleIndicator(params.id, ctx);
      checkIfMatch(ctx.headers['if-match'], current.id, current.version);
      const next = await transition(() => publish(current, ctx.actor, new Date()));
      await guarded('indicator', () =>
        store.replaceIndicator(
          next,
          current.version,
          { at: next.updatedAt, action: 'published', actor: store.actorRef(ctx.actor), fromStatus: current.status },
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
      await guarded('indicator', () =>
        store.replaceIndicator(
          next,
          current.version,
          { at: next.updatedAt, action: 'revised', actor: store.actorRef(ctx.actor), fromStatus: current.status, reason: body.reason },
          [indicatorRevised(next, current.revision, body.reason, eventContext(ctx))],
          revisionOf(next),
        ),
      );
      return indicatorReply(next, 201);
    },

    listIndicatorRevisions: async ({ params, query, ctx }) => {
      await visibleIndicator(params.id, ctx);
      return { body: await store.listRevisions(params.id, pageSize(query.limit), query.cursor) };
    },

    getIndicatorRevision: async ({ params, ctx }) => {
      await visibleIndicator(params.id, ctx);
      const revision = await store.getRevision(params.id, params.revision);
      if (!revision) throw problems.notFound(`Revision ${params.revision} of indicator ${params.id}`);
      return { body: revision };
    },

    retireIndicator: async ({ params, body, ctx }) => {
      const current = await visibleIndicator(params.id, ctx);
      checkIfMatch(ctx.headers['if-match'], current.id, current.version);
      const next = await transition(() => retire(current, body.reason, ctx.actor, new Date()));
      await guarded('indicator', () =>
        store.replaceIndicator(
          next,
          current.version,
          { at: next.updatedAt, action: 'retired', actor: store.actorRef(ctx.actor), fromStatus: current.status, reason: body.reason },
          [indicatorRetired(next, eventContext(ctx))],
        ),
      );
      return indicatorReply(next);
    },

    indicatorAudit: async ({ params, query, ctx }) => {
      await visibleIndicator(params.id, ctx);
      return { body: await store.listAudit(`IND#${params.id}`, pageSize(query.limit), query.cursor) };
    },

    indicatorHistory: async ({ params, query, ctx }) => {
      await visibleIndicator(params.id, ctx);
      const page = await store.listHistory(params.id, query.fiscalYear, pageSize(query.limit), query.cursor);
      const byYear = new Map<number, number[]>();
      const counts = new Map<number, number>();
      for (const entry of page.items) {
        counts.set(entry.fiscalYear, (counts.get(entry.fiscalYear) ?? 0) + 1);
        if (typeof entry.actual === 'number') byYear.set(entry.fiscalYear, [...(byYear.get(entry.fiscalYear) ?? []), entry.actual]);
      }
      const summary = [...counts].map(([fiscalYear, observations]) => {
        const values = (byYear.get(fiscalYear) ?? []).sort((a, b) => a - b);
        const middle = values.length / 2;
        const median = values.length ? (values.length % 2 ? values[Math.floor(middle)] : ((values[middle - 1] as number) + (values[middle] as number)) / 2) : undefined;
        return { fiscalYear, observations, ...(values.length ? { min: values[0], median, max: values[values.length - 1] } : {}) };
      });
      const { items: _items, ...rest } = page;
      return { body: { items: page.items.map(({ indicatorId: _id, ...entry }) => entry), summary, ...rest } };
    },

    recommend: async ({ body, ctx }) => {
      const year = body.fiscalYear ?? new Date().getUTCFullYear();
      const limit = body.limit ?? 10;
      const [sector, template] = await Promise.all([store.getSector(body.sector), store.findPublishedTemplate(body.spendingType, body.sector, year)]);
      const templateIds = new Set(template?.indicators.map((i) => i.id) ?? []);
      const templateIndicators = template ? await store.getIndicators([...templateIds]) : new Map<string, Indicator>();

      // Candidates: the sector's published individual indicators for this spending type (one partition, bounded).
      const candidates: Indicator[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.listIndicators({ sector: body.sector, scope: 'individual', status: 'published', spendingType: body.spendingType }, 100, cursor);
        candidates.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor && candidates.length < 2000);
      const matches = rankMatches(
        body.description,
        candidates.map((item) => ({ item, name: item.name, ...(item.explanation ? { explanation: item.explanation } : {}) })),
        candidates.length,
      );
      const matchOf = new Map(matches.map((m) => [m.item.id, m]));
      const sectorLabel = sector?.label ?? body.sector;
      const level1Order = (i: Indicator) => LEVEL1.indexOf(i.level1);

      const fromTemplate = [...templateIndicators.values()]
        .filter((i) => i.status === 'published')
        .map((indicator) => {
          const match = matchOf.get(indicator.id);
          const kind = indicator.scope === 'common' ? 'a common (共性)' : `a ${sectorLabel} sector (个性)`;
          const why = `in the 3+X template "${template?.name}" (${template?.fiscalYear}) as ${kind} ${indicator.level1} indicator${match ? `; ${explainMatch(match, sectorLabel).split(';')[0]}` : ''}`;
          return { indicator, source: 'template' as const, score: 1 + (match?.score ?? 0), why };
        })
        .sort((a, b) => (a.indicator.scope === b.indicator.scope ? level1Order(a.indicator) - level1Order(b.indicator) || b.score - a.score : a.indicator.scope === 'common' ? -1 : 1));
      const extra = matches
        .filter((m) => !templateIds.has(m.item.id))
        .slice(0, limit)
        .map((m) => ({ indicator: m.item, source: 'match' as const, score: m.score, why: explainMatch(m, sectorLabel) }));
      const recommendations = [...fromTemplate, ...extra].filter((r) => visibleTo(r.indicator, ctx.actor));
      const coverage = LEVEL1.filter((l1) => recommendations.some((r) => r.indicator.level1 === l1));
      return {
        body: {
          ...(template ? { template: { id: template.id, name: template.name, fiscalYear: template.fiscalYear, revision: template.revision } } : {}),
          recommendations,
          coverage,
        },
      };
    },

    importIndicators: async ({ query, body, ctx }) => {
      const { status, job } = await runImport({
        request: body,
        partial: query.partial === 'true',
        actor: ctx.actor,
        events: eventContext(ctx),
      });
      return { status, body: job, ...(status === 202 ? { headers: { location: `/v1/indicators/imports/${job.jobId}` } } : {}) };
    },

    getImport: async ({ params }) => {
      const job = await store.getImportJob(params.jobId);
      if (!job) throw problems.notFound(`Import ${params.jobId}`);
      const { startedBy: _by, ...rest } = job;
      // A queued import whose chunks exhausted their retries stops moving; say so instead of
      // leaving the caller polling a job that stays "running".
      const lastProgress = Date.parse(job.updatedAt ?? job.startedAt);
      const stalled = job.status === 'running' && Date.now() - lastProgress > STALLED_AFTER_MS;
      return { body: { ...rest, ...(stalled ? { stalled: true } : {}) } };
    },

    createTemplate: async ({ body, ctx }) => {
      await requireSector(body.sector, 'body.sector');
      const indicators = await resolveTemplateIndicators(body.indicators, ctx.actor.region);
      const now = new Date();
      const template = newTemplate({ ...body, indicators }, newId('tpl', now), ctx.actor, now);
      const reply = { status: 201, body: template, headers: { etag: etagOf(template.id, template.version), location: `/v1/indicators/templates/${template.id}` } };
      await store.insertTemplate(template, ctx.actor, ctx.idempotency ? [ctx.idempotency.recordItem(reply)] : []);
      return reply;
    },

    listTemplates: async ({ query, ctx }) => {
      const { limit, cursor, ...filter } = query;
      return { body: await store.listTemplates({ ...filter, publishedOnly: publishedOnly(ctx) }, pageSize(limit), cursor) };
    },

    getTemplate: async ({ params, ctx }) => templateReply(await visibleTemplate(params.id, ctx)),

    editTemplate: async ({ params, body, ctx }) => {
      const current = await visibleTemplate(params.id, ctx);
      checkIfMatch(ctx.headers['if-match'], current.id, current.version);
      await requireSector(body.sector, 'body.sector');
      const { indicators: entries, ...rest } = body;
      const indicators = entries ? await resolveTemplateIndicators(entries, ctx.actor.region) : undefined;
      const next = await transition(() => editTemplate(current, { ...rest, ...(indicators ? { indicators } : {}) }, new Date()));
      await guarded('template', () => store.replaceTemplate(next, current.version, { at: next.updatedAt, action: 'edited', actor: store.actorRef(ctx.actor), fromStatus: current.status }, [], false));
      return templateReply(next);
    },

    publishTemplate: async ({ params, ctx }) => {
      const current = await visibleTemplate(params.id, ctx);
      checkIfMatch(ctx.headers['if-match'], current.id, current.version);
      const next = await transition(() => publishTemplate(current, ctx.actor, new Date()));
      await guarded('template', () =>
        store.replaceTemplate(
          next,
          current.version,
          { at: next.updatedAt, action: 'published', actor: store.actorRef(ctx.actor), fromStatus: current.status },
          [templatePublished(next, eventContext(ctx))],
          true,
        ),
      );
      return templateReply(next);
    },

    reviseTemplate: async ({ params, body, ctx }) => {
      const current = await visibleTemplate(params.id, ctx);
      checkIfMatch(ctx.headers['if-match'], current.id, current.version);
      if (Object.keys(body.changes).length === 0) throw problems.validation([{ field: 'body.changes', message: 'a revision changes at least one field' }]);
      await requireSector(body.changes.sector, 'body.changes.sector');
      const { indicators: entries, ...rest } = body.changes;
      const indicators = entries ? await resolveTemplateIndicators(entries, ctx.actor.region) : undefined;
      const next = await transition(() => reviseTemplate(current, { ...rest, ...(indicators ? { indicators } : {}) }, body.reason, ctx.actor, new Date()));
      await guarded('template', () =>
        store.replaceTemplate(
          next,
          current.version,
          { at: next.updatedAt, action: 'revised', actor: store.actorRef(ctx.actor), fromStatus: current.status, reason: body.reason },
          [templatePublished(next, eventContext(ctx))],
          true,
        ),
      );
      return templateReply(next, 201);
    },

    getTemplateRevision: async ({ params, ctx }) => {
      await visibleTemplate(params.id, ctx);
      const revision = await store.getTemplateRevision(params.id, params.revision);
      if (!revision) throw problems.notFound(`Revision ${params.revision} of template ${params.id}`);
      return { body: revision };
    },

    retireTemplate: async ({ params, body, ctx }) => {
      const current = await visibleTemplate(params.id, ctx);
      checkIfMatch(ctx.headers['if-match'], current.id, current.version);
      const next = await transition(() => retireTemplate(current, body.reason, ctx.actor, new Date()));
      await guarded('template', () =>
        store.replaceTemplate(
          next,
          current.version,
          { at: next.updatedAt, action: 'retired', actor: store.actorRef(ctx.actor), fromStatus: current.status, reason: body.reason },
          [templateRetired(next, body.reason, next.retiredAt as string, eventContext(ctx))],
          false,
        ),
      );
      return templateReply(next);
    },
  },
  { idempotency: dynamoIdempotencyStore() },
);
