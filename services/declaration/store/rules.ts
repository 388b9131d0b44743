/**
 * Table access for the declaration rules: the versioned rule parameters of a region and fiscal
 * year, stored through shared/versioned-rules.ts.
 *
 * Keys:
 * | item             | pk                     | sk                  | GSIs |
 * |------------------|------------------------|---------------------|------|
 * | rule parameters  | RULES#<region>#<year>  | CURRENT, V#<000001> | – |
 */
import { getStoredRules, listStoredRuleVersions, putStoredRules, type VersionedRules } from '../../../shared/versioned-rules.ts';
import { ENV_KEYS, requireEnv } from '../../../shared/env.ts';
import type { DeclarationRules } from '../domain/rules.ts';

const table = () => requireEnv(ENV_KEYS.tableName);
const source = () => requireEnv(ENV_KEYS.eventSource);

export type StoredRules = VersionedRules<DeclarationRules>;

/** Checks may run on parameters a moment old; an update reads them strongly consistent. */
export const getRules = (region: string, year: number, consistent = false) => getStoredRules<DeclarationRules>(table(), region, year, consistent);
export const putRules = (next: StoredRules, expectedVersion: number) => putStoredRules(table(), source(), next.rules.region, next.rules.fiscalYear, next, expectedVersion);
export const listRuleVersions = (region: string, year: number, limit: number, cursor?: string) => listStoredRuleVersions<DeclarationRules>(table(), region, year, limit, cursor);
