/** Implementations of the "3+X" template routes: drafts, publication, revisions, retirement. */
import { guardConcurrentUpdate } from '../../../shared/conditions.ts';
import { problems, type FieldError } from '../../../shared/errors.ts';
import type { Implementations } from '../../../shared/http/api.ts';
import { checkIfMatch, etagOf } from '../../../shared/http/etag.ts';
import { pageSize } from '../../../shared/http/schemas.ts';
import { newTimeOrderedId } from '../../../shared/ids.ts';
import { editTemplate, newTemplate, publishTemplate, retireTemplate, reviseTemplate, type Template, type TemplateIndicatorRef } from '../domain/template.ts';
import { templatePublished, templateRetired } from '../events.ts';
import type { templateRoutes } from '../routes/templates.ts';
import { actorRef } from '../store/audit.ts';
import { getIndicators, indicatorIdsByCodes } from '../store/indicators.ts';
import * as templates from '../store/templates.ts';
import { eventContext, publishedOnly, requireSector, transition, visibleTemplate } from './access.ts';

/** Resolves template entries (by id or code) to published indicators, naming each bad entry. */
async function resolveTemplateIndicators(entries: readonly ({ indicatorId: string } | { code: string })[], region: string): Promise<TemplateIndicatorRef[]> {
  const byCode = await indicatorIdsByCodes(region, entries.flatMap((e) => ('code' in e ? [e.code] : [])));
  const ids = entries.map((e) => ('indicatorId' in e ? e.indicatorId : byCode.get(e.code)));
  const found = await getIndicators(ids.filter((id): id is string => !!id));
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

const templateReply = (template: Template, status?: number) => ({
  ...(status ? { status } : {}),
  body: template,
  headers: { etag: etagOf(template.id, template.version) },
});

export const templatesApi: Implementations<typeof templateRoutes> = {
  createTemplate: async ({ body, ctx }) => {
    await requireSector(body.sector, 'body.sector');
    const indicators = await resolveTemplateIndicators(body.indicators, ctx.actor.region);
    const now = new Date();
    const template = newTemplate({ ...body, indicators }, newTimeOrderedId('tpl', now), ctx.actor, now);
    const reply = { status: 201, body: template, headers: { etag: etagOf(template.id, template.version), location: `/v1/indicators/templates/${template.id}` } };
    await templates.insertTemplate(template, ctx.actor, ctx.idempotency ? [ctx.idempotency.recordItem(reply)] : []);
    return reply;
  },

  listTemplates: async ({ query, ctx }) => {
    const { limit, cursor, ...filter } = query;
    return { body: await templates.listTemplates({ ...filter, publishedOnly: publishedOnly(ctx) }, pageSize(limit), cursor) };
  },

  getTemplate: async ({ params, ctx }) => templateReply(await visibleTemplate(params.id, ctx)),

  editTemplate: async ({ params, body, ctx }) => {
    const current = await visibleTemplate(params.id, ctx);
    checkIfMatch(ctx.headers['if-match'], current.id, current.version);
    await requireSector(body.sector, 'body.sector');
    const { indicators: entries, ...rest } = body;
    const indicators = entries ? await resolveTemplateIndicators(entries, ctx.actor.region) : undefined;
    const next = await transition(() => editTemplate(current, { ...rest, ...(indicators ? { indicators } : {}) }, new Date()));
    await guardConcurrentUpdate('template', () => templates.replaceTemplate(next, current.version, { at: next.updatedAt, action: 'edited', actor: actorRef(ctx.actor), fromStatus: current.status }, [], false));
    return templateReply(next);
  },

  publishTemplate: async ({ params, ctx }) => {
    const current = await visibleTemplate(params.id, ctx);
    checkIfMatch(ctx.headers['if-match'], current.id, current.version);
    const next = await transition(() => publishTemplate(current, ctx.actor, new Date()));
    await guardConcurrentUpdate('template', () =>
      templates.replaceTemplate(
        next,
        current.version,
        { at: next.updatedAt, action: 'published', actor: actorRef(ctx.actor), fromStatus: current.status },
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
    await guardConcurrentUpdate('template', () =>
      templates.replaceTemplate(
        next,
        current.version,
        { at: next.updatedAt, action: 'revised', actor: actorRef(ctx.actor), fromStatus: current.status, reason: body.reason },
        [templatePublished(next, eventContext(ctx))],
        true,
      ),
    );
    return templateReply(next, 201);
  },

  getTemplateRevision: async ({ params, ctx }) => {
    await visibleTemplate(params.id, ctx);
    const revision = await templates.getTemplateRevision(params.id, params.revision);
    if (!revision) throw problems.notFound(`Revision ${params.revision} of template ${params.id}`);
    return { body: revision };
  },

  retireTemplate: async ({ params, body, ctx }) => {
    const current = await visibleTemplate(params.id, ctx);
    checkIfMatch(ctx.headers['if-match'], current.id, current.version);
    const next = await transition(() => retireTemplate(current, body.reason, ctx.actor, new Date()));
    await guardConcurrentUpdate('template', () =>
      templates.replaceTemplate(
        next,
        current.version,
        { at: next.updatedAt, action: 'retired', actor: actorRef(ctx.actor), fromStatus: current.status, reason: body.reason },
        [templateRetired(next, body.reason, next.retiredAt as string, eventContext(ctx))],
        false,
      ),
    );
    return templateReply(next);
  },
};
