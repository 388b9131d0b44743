/** The HTTP form of versioned rule parameters (shared/versioned-params.ts): body and ETag. */
import type { StoredParams } from '../versioned-params.ts';
import { conditionFailedAt } from '../conditions.ts';
import { Problem, problems } from '../errors.ts';
import { checkIfMatch, etagOf } from './etag.ts';

/** The ETag's id part: one per service, region and year. */
export const paramsTag = (service: string, region: string, year: number) => `${service}-rules-${region}-${year}`;

export function paramsReply<R extends { region: string; fiscalYear: number }>(service: string, stored: StoredParams<R>) {
  return {
    body: {
      region: stored.rules.region,
      fiscalYear: stored.rules.fiscalYear,
      version: stored.version,
      source: stored.version === 0 ? ('default' as const) : ('stored' as const),
      rules: stored.rules,
      ...(stored.updatedAt ? { updatedAt: stored.updatedAt } : {}),
      ...(stored.updatedBy ? { updatedBy: stored.updatedBy } : {}),
      ...(stored.reason ? { reason: stored.reason } : {}),
    },
    headers: { etag: etagOf(paramsTag(service, stored.rules.region, stored.rules.fiscalYear), stored.version) },
  };
}

export interface ParamsUpdate<R> {
  service: string;
  region: string;
  year: number;
  ifMatch: string | undefined;
  actor: string;
  rules: R;
  reason: string;
  /** The current version, read strongly consistent (version 0: the defaults). */
  current: () => Promise<StoredParams<R>>;
  validate: (rules: R) => { field: string; message: string }[];
  put: (next: StoredParams<R>, expectedVersion: number) => Promise<void>;
}

/**
 * Stores a new version of rule parameters: If-Match against the version read (412/428),
 * validated (400 naming `body.rules.…`), and a lost race is 409.
 */
export async function storeNewParams<R>(u: ParamsUpdate<R>): Promise<StoredParams<R>> {
  const current = await u.current();
  checkIfMatch(u.ifMatch, paramsTag(u.service, u.region, u.year), current.version);
  const violations = u.validate(u.rules);
  if (violations.length) throw problems.validation(violations.map((v) => ({ field: `body.rules.${v.field}`, message: v.message })));
  const next: StoredParams<R> = { rules: u.rules, version: current.version + 1, updatedAt: new Date().toISOString(), updatedBy: u.actor, reason: u.reason };
  try {
    await u.put(next, current.version);
  } catch (error) {
    if (conditionFailedAt(error, 0) || conditionFailedAt(error, 1)) throw new Problem(409, 'concurrent-update', 'Someone else changed these parameters at the same time; read them again and retry');
    throw error;
  }
  return next;
}
