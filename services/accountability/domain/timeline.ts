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
