/**
 * The accountability rule parameters per region and fiscal year (domain/params.ts), stored
 * versioned (shared/versioned-rules.ts):
 *
 * | item    | pk                     | sk          | GSIs |
 * |---------|------------------------|-------------|------|
 * | current | RULES#<region>#<year>  | CURRENT     | –    |
 * | version | RULES#<region>#<year>  | V#<000001>  | –    |
 */
import { ENV_KEYS, requireEnv } from '../../shared/env.ts';
import { getStoredRules, listStoredRuleVersions, putStoredRules, type VersionedRules } from '../../shared/versioned-rules.ts';
import { defaultAccountabilityParams, type AccountabilityParams } from './domain/params.ts';

const table = () => requireEnv(ENV_KEYS.tableName);
const source = () => requireEnv(ENV_KEYS.eventSource);

export type StoredAccountabilityParams = VersionedRules<AccountabilityParams>;

export const getAccountabilityParams = (region: string, year: number, consistent = false): Promise<StoredAccountabilityParams | undefined> => getStoredRules<AccountabilityParams>(table(), region, year, consistent);

export const putAccountabilityParams = (next: StoredAccountabilityParams, expectedVersion: number): Promise<void> =>
  putStoredRules(table(), source(), next.rules.region, next.rules.fiscalYear, next, expectedVersion);

export const listAccountabilityParamVersions = (region: string, year: number, limit: number, cursor?: string) => listStoredRuleVersions<AccountabilityParams>(table(), region, year, limit, cursor);

/** The year's parameters as they apply: the stored version, or the documented defaults (version 0). */
export async function currentAccountabilityParams(region: string, year: number): Promise<StoredAccountabilityParams> {
  return (await getAccountabilityParams(region, year)) ?? { rules: defaultAccountabilityParams(region, year), version: 0 };
}
