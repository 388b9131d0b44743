/**
 * The monitoring rules (domain/rules.ts), versioned per region and fiscal year (shared/versioned-rules.ts).
 *
 * | item            | pk                    | sk                  | GSIs |
 * |-----------------|-----------------------|---------------------|------|
 * | rule parameters | RULES#<region>#<year> | CURRENT, V#<000001> | – |
 */
import { ENV_KEYS, requireEnv } from '../../../shared/env.ts';
import type { OutboxEvent, TransactItem } from '../../../shared/outbox.ts';
import { getStoredRules, listStoredRuleVersions, putStoredRules, type VersionedRules } from '../../../shared/versioned-rules.ts';
import { defaultMonitoringRules, withDefaults, type MonitoringRules } from '../domain/rules.ts';

const table = () => requireEnv(ENV_KEYS.tableName);
const source = () => requireEnv(ENV_KEYS.eventSource);

export type StoredRules = VersionedRules<MonitoringRules>;

/** A version stored before a parameter existed reads with that parameter's documented default. */
const complete = (stored: StoredRules): StoredRules => ({ ...stored, rules: withDefaults(stored.rules) });

export async function getRules(region: string, year: number, consistent = false): Promise<StoredRules | undefined> {
  const stored = await getStoredRules<MonitoringRules>(table(), region, year, consistent);
  return stored && complete(stored);
}
/** Stores a new version; `also`: writes and events that commit with it (the key windows' queued dashboard builds). */
export const putRules = (next: StoredRules, expectedVersion: number, also: { items?: TransactItem[]; events?: OutboxEvent[] } = {}) =>
  putStoredRules(table(), source(), next.rules.region, next.rules.fiscalYear, next, expectedVersion, also);
/**
 * The rules in force, for the jobs and stores (strongly consistent: the stored version, else the
 * documented defaults). The API reads the same through api/rules.ts `currentRules`, which also
 * gives the version for its ETag.
 */
export const rulesInForce = async (region: string, year: number): Promise<MonitoringRules> => (await getRules(region, year, true))?.rules ?? defaultMonitoringRules(region, year);

export async function listRuleVersions(region: string, year: number, limit: number, cursor?: string) {
  const page = await listStoredRuleVersions<MonitoringRules>(table(), region, year, limit, cursor);
  return { ...page, items: page.items.map(complete) };
}
