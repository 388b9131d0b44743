/** Versioned rule parameters (shared/versioned-rules.ts) over HTTP: body and ETag, storing a new version, the route implementations. */
import type { EventContext } from '../outbox.ts';
import type { VersionedRules } from '../versioned-rules.ts';
import type { RequestContext } from './api.ts';
import { eventContextOf } from './event-context.ts';
import { conditionFailedAt } from '../conditions.ts';
import { Problem, problems } from '../errors.ts';
import { checkIfMatch, etagOf } from './etag.ts';
import { pageSize } from './schemas.ts';

/** The ETag's id part: one per service, region and year. */
export const rulesTag = (service: string, region: string, year: number) => `${service}-rules-${region}-${year}`;

export function rulesReply<R extends { region: string; fiscalYear: number }>(service: string, stored: VersionedRules<R>) {
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
    headers: { etag: etagOf(rulesTag(service, stored.rules.region, stored.rules.fiscalYear), stored.version) },
  };
}

export interface RulesUpdate<R> {
  service: string;
  region: string;
  year: number;
  ifMatch: string | undefined;
  actor: string;
  rules: R;
  reason: string;
  /** The current version, read strongly consistent (version 0: the defaults). */
  current: () => Promise<VersionedRules<R>>;
  validate: (rules: R) => { field: string; message: string }[];
  put: (next: VersionedRules<R>, expectedVersion: number) => Promise<void>;
}

/**
 * Stores a new version of rule parameters: If-Match against the version read (412/428),
 * validated (400 naming `body.rules.…`), and a lost race is 409.
 */
export async function storeNewRules<R>(u: RulesUpdate<R>): Promise<VersionedRules<R>> {
  const current = await u.current();
  checkIfMatch(u.ifMatch, rulesTag(u.service, u.region, u.year), current.version);
  const violations = u.validate(u.rules);
  if (violations.length) throw problems.validation(violations.map((v) => ({ field: `body.rules.${v.field}`, message: v.message })));
  const next: VersionedRules<R> = { rules: u.rules, version: current.version + 1, updatedAt: new Date().toISOString(), updatedBy: u.actor, reason: u.reason };
  try {
    await u.put(next, current.version);
  } catch (error) {
    if (conditionFailedAt(error, 0) || conditionFailedAt(error, 1)) throw new Problem(409, 'concurrent-update', 'Someone else changed these parameters at the same time; read them again and retry');
    throw error;
  }
  return next;
}

export interface RulesSource<R> {
  /** The service that owns the parameters (ETags and messages carry it). */
  service: string;
  get: (region: string, year: number, consistent: boolean) => Promise<VersionedRules<R> | undefined>;
  /** `events`: the context of the request, for a service that publishes (or queues work) with a new version. */
  put: (next: VersionedRules<R>, expectedVersion: number, events: EventContext) => Promise<void>;
  list: (region: string, year: number, limit: number, cursor?: string) => Promise<{ items: VersionedRules<R>[]; nextCursor?: string }>;
  /** The documented defaults, version 0, until finance stores its own. */
  defaults: (region: string, year: number) => R;
  validate: (rules: R) => { field: string; message: string }[];
}

interface ParamsRequest {
  params: { year: number };
  ctx: RequestContext;
}

/**
 * Everything a service needs for its rule parameters over HTTP: the current version (stored or
 * the defaults) and the three route implementations (read, store a new version, list versions).
 */
export function rulesApi<R extends { region: string; fiscalYear: number }>(source: RulesSource<R>) {
  const current = async (region: string, year: number, consistent = false): Promise<VersionedRules<R>> =>
    (await source.get(region, year, consistent)) ?? { rules: source.defaults(region, year), version: 0 };
  const reply = (stored: VersionedRules<R>) => rulesReply(source.service, stored);
  return {
    current,
    implementations: {
      getRules: async ({ params, ctx }: ParamsRequest) => reply(await current(ctx.deploymentRegion, params.year)),
      putRules: async ({ params, body, ctx }: ParamsRequest & { body: { rules: object; reason: string } }) =>
        reply(
          await storeNewRules<R>({
            service: source.service,
            region: ctx.deploymentRegion,
            year: params.year,
            ifMatch: ctx.headers['if-match'],
            actor: ctx.actor.sub,
            // The route's schema checked the shape; `validate` checks the values.
            rules: { ...body.rules, region: ctx.deploymentRegion, fiscalYear: params.year } as R,
            reason: body.reason,
            current: () => current(ctx.deploymentRegion, params.year, true),
            validate: source.validate,
            put: (next: VersionedRules<R>, expectedVersion: number) => source.put(next, expectedVersion, eventContextOf(ctx)),
          }),
        ),
      listRuleVersions: async ({ params, query, ctx }: ParamsRequest & { query: { limit?: number; cursor?: string } }) => {
        const page = await source.list(ctx.deploymentRegion, params.year, pageSize(query.limit), query.cursor);
        return { body: { ...page, items: page.items.map((stored) => reply(stored).body) } };
      },
    },
  };
}
