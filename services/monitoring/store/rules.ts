/**
 * The monitoring rules (domain/rules.ts), versioned per region and fiscal year (shared/versioned-rules.ts).
 *
 * | item            | pk                    | sk                  | GSIs |
 * |-----------------|-----------------------|---------------------|------|
 * | rule parameters | RULES#<region>#<year> | CURRENT, V#<000001> | – |
 */
import { ENV_KEYS, requireEnv } from '../../../shared/env.ts';
import { getStoredRules, listStoredRuleVersions, putStoredRules, type VersionedRules } from '../../../shared/versioned-rules.ts';
import type { MonitoringRules } from '../domain/rules.ts';

const table = () => requireEnv(ENV_KEYS.tableName);
const source = () => requireEnv(ENV_KEYS.eventSource);

export type StoredRules = VersionedRules<MonitoringRules>;
export const getRules = (region: string, year: number, consistent = false) => getStoredRules<MonitoringRules>(table(), region, year, consistent);
export const putRules = (next: StoredRules, expectedVersion: number) => putStoredRules(table(), source(), next.rules.region, next.rules.fiscalYear, next, expectedVersion);
export const listRuleVersions = (region: string, year: number, limit: number, cursor?: string) => listStoredRuleVersions<MonitoringRules>(table(), region, year, limit, cursor);
