/** The lifecycle timeline of an object: every event about it, in the order it happened. */
import type { Actor, Subject } from '../../../events/envelope.ts';

export interface TimelineEntry {
  eventId: string;
  detailType: string;
  source: string;
  occurredAt: string;
  region: string;
  subject: Subject;
  actor: Actor;
  correlationId: string;
  /** The event's data as published (event-carried state). */
  data: unknown;
}

export function timelineEntry(event: {
  detailType: string;
  source: string;
  meta: { eventId: string; occurredAt: string; region: string; subject: Subject; actor: Actor; correlationId: string };
  data: unknown;
}): TimelineEntry {
  return {
    eventId: event.meta.eventId,
    detailType: event.detailType,
    source: event.source,
    occurredAt: event.meta.occurredAt,
    region: event.meta.region,
    subject: event.meta.subject,
    actor: event.meta.actor,
    correlationId: event.meta.correlationId,
    data: event.data,
  };
}

/** What the timeline search files an entry under: its fiscal year, and its department and unit where it has them. */
export interface TimelineSearchKeys {
  fiscalYear: number;
  department?: string;
  unit?: string;
}

interface Owned {
  fiscalYear?: unknown;
  department?: unknown;
  unit?: unknown;
}

const str = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v : undefined);
const year = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) ? v : undefined);

/**
 * Derives the search keys from the event: the object it carries (`data.object`, or the approved
 * snapshot's object), else what the data says of itself (`data.fiscalYear`, `data.department`,
 * `data.unit`), else the actor (department and unit of the token that acted); the fiscal year
 * falls back to the calendar year the event occurred in (library events have no fiscal year).
 */
export function timelineSearchKeys(entry: Pick<TimelineEntry, 'occurredAt' | 'actor' | 'data'>): TimelineSearchKeys {
  const data = (entry.data ?? {}) as Owned & { object?: Owned; snapshot?: { object?: Owned }; window?: Owned };
  const object = data.object ?? data.snapshot?.object;
  const fiscalYear = year(object?.fiscalYear) ?? year(data.fiscalYear) ?? year(data.window?.fiscalYear) ?? Number(entry.occurredAt.slice(0, 4));
  const fromObject = str(object?.department);
  const fromData = str(data.department);
  const department = fromObject ?? fromData ?? str(entry.actor.department);
  // The unit belongs with the department it came with: never pair an object's department with the actor's unit.
  const unit = fromObject ? str(object?.unit) : fromData ? str(data.unit) : str(entry.actor.unit);
  return { fiscalYear, ...(department ? { department } : {}), ...(department && unit ? { unit } : {}) };
}
