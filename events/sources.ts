/**
 * EventBridge `source` names. A service's business events go out as `jixiao.<service>`; its
 * internal work items (chunks of a large import, ingestion batches: messages from a service to
 * its own workers, part of no object's lifecycle) go out as `jixiao-work.<service>`. The
 * different prefix is the point: every subscription that takes "all Jixiao events" matches
 * `{ prefix: 'jixiao.' }` and so never sees another service's work items, without naming them.
 */

/** Prefix shared by every business event source; subscriptions and the archive match on it. */
export const BUSINESS_SOURCE_PREFIX = 'jixiao.';
const WORK_SOURCE_PREFIX = 'jixiao-work.';

/** EventBridge `source` of a service's business events. */
export function eventSource(service: string): string {
  return `${BUSINESS_SOURCE_PREFIX}${service}`;
}

/** EventBridge `source` of a service's internal work items. */
export function workEventSource(service: string): string {
  return `${WORK_SOURCE_PREFIX}${service}`;
}

/** The work source that belongs with a business source (`jixiao.monitoring` → `jixiao-work.monitoring`). */
export function workSourceOf(source: string): string {
  if (!source.startsWith(BUSINESS_SOURCE_PREFIX)) throw new Error(`not a Jixiao business source: ${source}`);
  return `${WORK_SOURCE_PREFIX}${source.slice(BUSINESS_SOURCE_PREFIX.length)}`;
}
