/**
 * The accountability rules per region and fiscal year (domain/rules.ts), stored
 * versioned (shared/versioned-rules.ts):
 *
 * | item    | pk                     | sk          | GSIs |
 * |---------|------------------------|-------------|------|
 * | current | RULES#<region>#<year>  | CURRENT     | –    |
 * | version | RULES#<region>#<year>  | V#<000001>  | –    |
 */
import { ENV_KEYS, requireEnv } from '../../../shared/env.ts';
import { getStoredRules, listStoredRuleVersions, putStoredRules, type VersionedRules } from '../../../shared/versioned-rules.ts';
import { defaultAccountabilityRules, type AccountabilityRules } from '../domain/rules.ts';

const table = () => requireEnv(ENV_KEYS.tableName);
const source = () => requireEnv(ENV_KEYS.eventSource);

export type StoredAccountabilityRules = VersionedRules<AccountabilityRules>;

export const getAccountabilityRules = (region: string, year: number, consistent = false): Promise<StoredAccountabilityRules | undefined> => getStoredRules<AccountabilityRules>(table(), region, year, consistent);

export const putAccountabilityRules = (next: StoredAccountabilityRules, expectedVersion: number): Promise<void> =>
  putStoredRules(table(), source(), next.rules.region, next.rules.fiscalYear, next, expectedVersion);

export const listAccountabilityRuleVersions = (region: string, year: number, limit: number, cursor?: string) => listStoredRuleVersions<AccountabilityRules>(table(), region, year, limit, cursor);

/** The year's rules as they apply: the stored version, or the documented defaults (version 0). */
export async function currentAccountabilityRules(region: string, year: number): Promise<StoredAccountabilityRules> {
  return (await getAccountabilityRules(region, year)) ?? { rules: defaultAccountabilityRules(region, year), version: 0 };
}
