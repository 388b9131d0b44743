/**
 * The PutEvents wire protocol (AWS JSON 1.1), without HTTP: request validation with AWS's
 * error codes and messages, and the response shapes. Where AWS reports a problem per entry
 * (missing fields, malformed Detail) so does this, because the outbox relay's retry logic
 * depends on the difference between a failed call and failed entries.
 *
 * One deliberate difference: AWS silently accepts events for a bus that does not exist
 * (they vanish). Locally that would hide a misconfigured EVENT_BUS_NAME, so such entries fail
 * with `InvalidArgument` instead.
 */
import { buildEnvelope, type EventEnvelope } from './envelope.ts';

export const PUT_EVENTS_TARGET = 'AWSEvents.PutEvents';
export const JSON_1_1 = 'application/x-amz-json-1.1';
export const MAX_ENTRIES = 10;
export const MAX_ENTRIES_BYTES = 256 * 1024;

/** A request-level failure: the SDK raises an exception named `type`. */
export class AwsProtocolError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = type;
  }

  body(): { __type: string; message: string } {
    return { __type: this.type, message: this.message };
  }
}

/** A PutEvents entry as it arrives on the wire (the SDK sends Time as epoch seconds). */
export interface PutEventsWireEntry {
  Source?: string;
  DetailType?: string;
  Detail?: string;
  EventBusName?: string;
  Resources?: string[];
  Time?: number | string;
  TraceHeader?: string;
}

export interface EntryError {
  ErrorCode: string;
  ErrorMessage: string;
}

export type EntryResult = { EventId: string } | EntryError;

export interface PutEventsResponse {
  FailedEntryCount: number;
  Entries: EntryResult[];
}

export interface BusIdentity {
  busName: string;
  busArn: string;
  account: string;
  region: string;
}

/** Per-entry fault injection for tests: return an error to fail that entry through the real protocol. */
export type EntryFault = (entry: PutEventsWireEntry, index: number) => EntryError | undefined;

const STRING_FIELDS = ['Source', 'DetailType', 'Detail', 'EventBusName', 'TraceHeader'] as const;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parses the body and checks what AWS checks for the whole request. */
export function parsePutEventsRequest(body: string): PutEventsWireEntry[] {
  let request: unknown;
  try {
    request = JSON.parse(body);
  } catch {
    throw new AwsProtocolError('SerializationException', 'Start of structure or map found where not expected, or the body is not JSON.');
  }
  if (!isObject(request)) throw new AwsProtocolError('SerializationException', 'The request body must be a JSON object.');
  const entries = request['Entries'];
  if (entries === undefined || entries === null) {
    throw new AwsProtocolError('ValidationException', "1 validation error detected: Value null at 'entries' failed to satisfy constraint: Member must not be null");
  }
  if (!Array.isArray(entries)) throw new AwsProtocolError('SerializationException', 'Entries must be a list.');
  if (entries.length < 1 || entries.length > MAX_ENTRIES) {
    const bound = entries.length < 1 ? 'greater than or equal to 1' : `less than or equal to ${MAX_ENTRIES}`;
    throw new AwsProtocolError(
      'ValidationException',
      `1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length ${bound}`,
    );
  }
  entries.forEach((entry, i) => checkEntryTypes(entry, i));
  const typed = entries as PutEventsWireEntry[];
  if (typed.reduce((sum, entry) => sum + entrySize(entry), 0) > MAX_ENTRIES_BYTES) {
    throw new AwsProtocolError('ValidationException', 'Total size of the entries in the request is over the limit.');
  }
  return typed;
}

/** Wrong JSON types are a serialization error for the whole call, as in AWS. */
function checkEntryTypes(entry: unknown, index: number): void {
  if (!isObject(entry)) throw new AwsProtocolError('SerializationException', `Entries[${index}] must be a structure.`);
  for (const name of STRING_FIELDS) {
    if (entry[name] !== undefined && entry[name] !== null && typeof entry[name] !== 'string') {
      throw new AwsProtocolError('SerializationException', `Entries[${index}].${name} must be a string.`);
    }
  }
  const resources = entry['Resources'];
  if (resources !== undefined && resources !== null && !(Array.isArray(resources) && resources.every((r) => typeof r === 'string'))) {
    throw new AwsProtocolError('SerializationException', `Entries[${index}].Resources must be a list of strings.`);
  }
  const time = entry['Time'];
  if (time !== undefined && time !== null && typeof time !== 'number' && typeof time !== 'string') {
    throw new AwsProtocolError('SerializationException', `Entries[${index}].Time must be a timestamp.`);
  }
}

/** AWS's documented entry size: Time (14 bytes), Source, DetailType, Detail and Resources in UTF-8. */
export function entrySize(entry: PutEventsWireEntry): number {
  const bytes = (s: string | undefined) => (s ? Buffer.byteLength(s, 'utf8') : 0);
  return (
    (entry.Time !== undefined && entry.Time !== null ? 14 : 0) +
    bytes(entry.Source) +
    bytes(entry.DetailType) +
    bytes(entry.Detail) +
    (entry.Resources ?? []).reduce((sum, resource) => sum + bytes(resource), 0)
  );
}

function invalid(parameter: string, reason: string): EntryError {
  return { ErrorCode: 'InvalidArgument', ErrorMessage: `Parameter ${parameter} is not valid. Reason: ${reason}` };
}

function parseTime(time: number | string): Date | undefined {
  // Epoch seconds (the SDK's encoding), possibly fractional, or an ISO 8601 string.
  const date = typeof time === 'number' ? new Date(time * 1000) : /^\d+(\.\d+)?$/.test(time) ? new Date(Number(time) * 1000) : new Date(time);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

export type EntryOutcome = { ok: true; envelope: EventEnvelope } | { ok: false; error: EntryError };

/** Validates one entry and builds its envelope, or says why AWS would refuse it. */
export function acceptEntry(entry: PutEventsWireEntry, bus: BusIdentity, now: Date): EntryOutcome {
  const fail = (error: EntryError): EntryOutcome => ({ ok: false, error });
  if (!entry.Source) return fail(invalid('Source', 'Source is a required argument.'));
  if (!entry.DetailType) return fail(invalid('DetailType', 'DetailType is a required argument.'));
  if (!entry.Detail) return fail(invalid('Detail', 'Detail is a required argument.'));
  const busName = entry.EventBusName || 'default';
  if (busName !== bus.busName && busName !== bus.busArn) {
    return fail(invalid('EventBusName', `Event bus ${busName} does not exist on the local runtime (it has ${bus.busName}).`));
  }
  let detail: unknown;
  try {
    detail = JSON.parse(entry.Detail);
  } catch {
    detail = undefined;
  }
  // AWS requires a JSON object, not just any JSON value.
  if (!isObject(detail)) return fail({ ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' });
  let time: Date | undefined;
  if (entry.Time !== undefined && entry.Time !== null) {
    time = parseTime(entry.Time);
    if (!time) return fail(invalid('Time', `${String(entry.Time)} is not a timestamp.`));
  }
  return {
    ok: true,
    envelope: buildEnvelope(
      {
        source: entry.Source,
        detailType: entry.DetailType,
        detail,
        resources: entry.Resources ?? [],
        ...(time ? { time } : {}),
        account: bus.account,
        region: bus.region,
      },
      now,
    ),
  };
}

export function putEventsResponse(results: EntryResult[]): PutEventsResponse {
  return { FailedEntryCount: results.filter((r) => 'ErrorCode' in r).length, Entries: results };
}
