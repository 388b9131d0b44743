/**
 * The evaluation parameters (rule parameters) of a region and fiscal year, versioned:
 * | item                          | pk                      | sk             | GSIs |
 * |-------------------------------|-------------------------|----------------|------|
 * | rule parameters               | RULES#<region>#<year>   | CURRENT, V#…   | – (shared/versioned-rules.ts) |
 */
import { getStoredRules, listStoredRuleVersions, putStoredRules, type VersionedRules } from '../../../shared/versioned-rules.ts';
import type { EvaluationRules } from '../domain/rules.ts';
import { source, table } from './table.ts';

export type StoredRules = VersionedRules<EvaluationRules>;
export const getRules = (region: string, year: number, consistent = false) => getStoredRules<EvaluationRules>(table(), region, year, consistent);
export const putRules = (next: StoredRules, expectedVersion: number) => putStoredRules(table(), source(), next.rules.region, next.rules.fiscalYear, next, expectedVersion);
export const listRuleVersions = (region: string, year: number, limit: number, cursor?: string) => listStoredRuleVersions<EvaluationRules>(table(), region, year, limit, cursor);
