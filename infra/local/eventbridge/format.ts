/** Human-readable lines for the CLIs: what a developer needs to recognise an event. */
import type { EventEnvelope } from './envelope.ts';
import { domainEventId } from './envelope.ts';
import type { ArchivedEvent, ParkedEvent } from './store.ts';

function meta(event: EventEnvelope): Record<string, unknown> {
  const value = event.detail['meta'];
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

/** `detail.meta.subject` as `type/id`, or `-` for events without one. */
export function subjectOf(event: EventEnvelope): string {
  const subject = meta(event)['subject'] as { type?: unknown; id?: unknown } | undefined;
  return subject && typeof subject.id === 'string' ? `${String(subject.type ?? '?')}/${subject.id}` : '-';
}

export function eventIdOf(event: EventEnvelope): string {
  return domainEventId(event) ?? `${event.id} (envelope)`;
}

const COLUMNS = { time: 20, source: 24, detailType: 30, subject: 44 };

export function archivedEventHeader(): string {
  return ['TIME'.padEnd(COLUMNS.time), 'SOURCE'.padEnd(COLUMNS.source), 'DETAIL-TYPE'.padEnd(COLUMNS.detailType), 'SUBJECT'.padEnd(COLUMNS.subject), 'EVENT ID'].join(' ');
}

/** One line per event; the rules it went to, or a note that nothing was listening. */
export function formatArchivedEvent({ event, rules, forwardedFrom }: ArchivedEvent): string {
  const line = [
    event.time.padEnd(COLUMNS.time),
    event.source.padEnd(COLUMNS.source),
    event['detail-type'].padEnd(COLUMNS.detailType),
    subjectOf(event).padEnd(COLUMNS.subject),
    eventIdOf(event),
  ].join(' ');
  const from = forwardedFrom ? `  (forwarded from ${forwardedFrom.split('/').pop()})` : '';
  return `${line}  -> ${rules.length ? rules.join(', ') : '(no matching rule)'}${from}`;
}

const REASONS: Record<ParkedEvent['reason'], string> = {
  'max-attempts': 'max attempts reached',
  'max-age': 'max event age reached',
  'bus-closed': 'runtime stopped while retrying',
};

/** A block per parked event: everything needed to decide whether to redrive it. */
export function formatParkedEvent(parked: ParkedEvent): string {
  const firstErrorLine = parked.lastError.message.split('\n')[0] ?? '';
  return [
    `${parked.parkedAt.replace(/\.\d{3}Z$/, 'Z')}  ${parked.ruleId}`,
    `  detail-type  ${parked.event['detail-type']} (from ${parked.event.source})`,
    `  event id     ${eventIdOf(parked.event)}`,
    `  subject      ${subjectOf(parked.event)}`,
    `  attempts     ${parked.attempts} (${REASONS[parked.reason] ?? parked.reason}${parked.redrives ? `; ${parked.redrives} failed redrive(s)` : ''})`,
    `  last error   ${firstErrorLine}`,
    `  dlq id       ${parked.id}`,
  ].join('\n');
}
