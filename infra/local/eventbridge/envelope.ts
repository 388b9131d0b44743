/**
 * The event envelope EventBridge delivers to targets. The local bus builds exactly this
 * shape, so consumers parse it with the same schemas (`events/envelope.ts`, Powertools'
 * `EventBridgeSchema`) in both runtimes.
 */
import { randomUUID } from 'node:crypto';

export interface EventEnvelope {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  /** ISO 8601 in UTC, whole seconds, like AWS: `2026-11-28T08:00:00Z`. */
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown>;
}

export interface EnvelopeInput {
  source: string;
  detailType: string;
  detail: Record<string, unknown>;
  resources?: readonly string[];
  /** The entry's Time, if the producer set one; otherwise the time of receipt. */
  time?: Date;
  account: string;
  region: string;
  id?: string;
}

/** AWS drops the milliseconds from envelope times. */
export function formatEventTime(time: Date): string {
  return time.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function buildEnvelope(input: EnvelopeInput, now: Date = new Date()): EventEnvelope {
  return {
    version: '0',
    id: input.id ?? randomUUID(),
    'detail-type': input.detailType,
    source: input.source,
    account: input.account,
    time: formatEventTime(input.time ?? now),
    region: input.region,
    resources: [...(input.resources ?? [])],
    detail: input.detail,
  };
}

/** China regions live in the `aws-cn` partition; ARNs must say so. */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

export function eventBusArn(region: string, account: string, busName: string): string {
  return `arn:${partitionOf(region)}:events:${region}:${account}:event-bus/${busName}`;
}

/** `detail.meta.eventId` of a Jixiao event (stable across re-publication), if present. */
export function domainEventId(envelope: EventEnvelope): string | undefined {
  const meta = envelope.detail['meta'];
  const id = typeof meta === 'object' && meta !== null ? (meta as Record<string, unknown>)['eventId'] : undefined;
  return typeof id === 'string' ? id : undefined;
}
