/**
 * The evaluation parameters (rule parameters) of a region and fiscal year, versioned:
 * | item                          | pk                      | sk             | GSIs |
 * |-------------------------------|-------------------------|----------------|------|
 * | rule parameters               | RULES#<region>#<year>   | CURRENT, V#…   | – (shared/versioned-rules.ts) |
 */
import { getStoredRules, listStoredRuleVersions, putStoredRules, type VersionedRules } from '../../../shared/versioned-rules.ts';
import { withDefaults, type EvaluationRules } from '../domain/rules.ts';
import { source, table } from './table.ts';

export type StoredRules = VersionedRules<EvaluationRules>;

/** A version stored before a parameter existed reads with that parameter's documented default (domain/rules.ts withDefaults). */
const complete = (stored: StoredRules): StoredRules => ({ ...stored, rules: withDefaults(stored.rules) });

/** Scoring may run on parameters a moment old; an update reads them strongly consistent. */
export async function getRules(region: string, year: number, consistent = false): Promise<StoredRules | undefined> {
  const stored = await getStoredRules<EvaluationRules>(table(), region, year, consistent);
  return stored && complete(stored);
}
export const putRules = (next: StoredRules, expectedVersion: number) => putStoredRules(table(), source(), next.rules.region, next.rules.fiscalYear, next, expectedVersion);
export async function listRuleVersions(region: string, year: number, limit: number, cursor?: string) {
  const page = await listStoredRuleVersions<EvaluationRules>(table(), region, year, limit, cursor);
  return { ...page, items: page.items.map(complete) };
}
