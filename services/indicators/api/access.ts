/**
 * What the areas of the API share: who sees what (drafts only for finance and supervisors of
 * the owning region; 404, never 403, for what the caller may not see), domain refusals as
 * HTTP problems, the sector an entry names, and the event context of library commands.
 */
import type { RequestContext } from '../../../shared/http/api.ts';
import { eventContextOf } from '../../../shared/http/event-context.ts';
import { problems } from '../../../shared/errors.ts';
import type { EventContext } from '../../../shared/outbox.ts';
import { TransitionError, visibleTo, type Indicator } from '../domain/indicator.ts';
import type { Template } from '../domain/template.ts';
import { libraryEventContext } from '../events.ts';
import { getIndicator } from '../store/indicators.ts';
import { getSector } from '../store/sectors.ts';
import { getTemplate } from '../store/templates.ts';

/** Units and departments never see drafts. */
export const publishedOnly = (ctx: RequestContext) => ctx.actor.role === 'unit' || ctx.actor.role === 'department';

/** Reads an indicator the caller may see, or 404 (never 403: do not reveal what exists elsewhere). */
export async function visibleIndicator(id: string, ctx: RequestContext): Promise<Indicator> {
  const indicator = await getIndicator(id);
  if (!indicator || !visibleTo(indicator, ctx.actor)) throw problems.notFound(`Indicator ${id}`);
  return indicator;
}

/** Reads a template the caller may see, or 404. */
export async function visibleTemplate(id: string, ctx: RequestContext): Promise<Template> {
  const template = await getTemplate(id);
  const hidden = template?.status === 'draft' && !(['finance', 'supervisor'].includes(ctx.actor.role) && template.region === ctx.actor.region);
  if (!template || hidden) throw problems.notFound(`Template ${id}`);
  return template;
}

/** Turns a domain refusal into the right HTTP problem: another region's entry is 403, a wrong state 409. */
export async function transition<T>(fn: () => T): Promise<T> {
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

/** Checks the sector exists; returns its label (kept on indicators so lower regions learn it). */
export async function requireSector(sector: string | undefined, field: string): Promise<string | undefined> {
  if (!sector) return undefined;
  const found = await getSector(sector);
  if (!found) throw problems.validation([{ field, message: `unknown sector ${sector}; see GET /v1/indicators/sectors` }]);
  return found.label;
}

/** The context a library command's events are published under. */
export const eventContext = (ctx: RequestContext): EventContext => libraryEventContext(eventContextOf(ctx));
