/**
 * The route specs of a service's rule parameters per region and fiscal year (read, store a new
 * version, list versions); `rules-api.ts` implements them. One definition, so every service's
 * parameters behave, validate and document the same way.
 */
import * as z from 'zod/mini';
import { defineRoute } from './route.ts';
import { listQuery, pageOf } from './schemas.ts';

const yearParam = z.coerce.number().check(z.int('must be a whole year'), z.minimum(2000), z.maximum(2100));
const reason = z.string().check(z.trim(), z.minLength(1), z.maxLength(500));
const readers = ['unit', 'department', 'finance', 'supervisor'] as const;

/** The parameters as stored: the values with their region and year, and the version's who, when and why. */
export function storedRulesSchema<S extends z.ZodMiniObject<any, any>>(input: S) {
  return z.object({
    region: z.string(),
    fiscalYear: z.number(),
    /** 0: nothing stored yet, these are the documented defaults. */
    version: z.number(),
    source: z.enum(['default', 'stored']),
    rules: z.extend(input, { region: z.string(), fiscalYear: z.number() }),
    updatedAt: z.optional(z.string()),
    updatedBy: z.optional(z.string()),
    reason: z.optional(z.string()),
  });
}

export interface RulesRouteInput<S extends z.ZodMiniObject<any, any>> {
  /** The URL segment and OpenAPI tag: `/v1/<service>/rules/{year}`. */
  service: string;
  /** In operation ids: get<Name>Rules, put<Name>Rules, list<Name>RuleVersions. */
  name: string;
  /** What they are called in summaries ("the declaration rule parameters"). */
  noun: string;
  /** The values finance edits (without region and year, which come from the path and the deployment). */
  input: S;
}

export function rulesRouteSpecs<S extends z.ZodMiniObject<any, any>>(p: RulesRouteInput<S>) {
  const stored = storedRulesSchema(p.input);
  const path = `/v1/${p.service}/rules/{year}`;
  const params = z.strictObject({ year: yearParam });
  return {
    getRules: defineRoute({
      operationId: `get${p.name}Rules`,
      tag: p.service,
      method: 'GET',
      path,
      summary: `The region's ${p.noun} for a fiscal year (the documented defaults until finance stores its own); ETag header`,
      auth: 'jwt',
      roles: readers,
      params,
      response: { status: 200, description: `The ${p.noun}`, schema: stored },
    }),
    putRules: defineRoute({
      operationId: `put${p.name}Rules`,
      tag: p.service,
      method: 'PUT',
      path,
      summary: `Store a new version of the ${p.noun} (validated; earlier versions stay readable). If-Match the ETag of the last read (the defaults have one too)`,
      auth: 'jwt',
      roles: ['finance'],
      params,
      body: z.strictObject({ rules: p.input, reason }),
      requiresIfMatch: true,
      response: { status: 200, description: 'The stored parameters; new ETag', schema: stored },
    }),
    listRuleVersions: defineRoute({
      operationId: `list${p.name}RuleVersions`,
      tag: p.service,
      method: 'GET',
      path: `${path}/versions`,
      summary: `Every stored version of the ${p.noun} for a fiscal year, oldest first`,
      auth: 'jwt',
      roles: readers,
      params,
      query: listQuery,
      response: { status: 200, description: 'One page of versions', schema: pageOf(stored) },
    }),
  };
}
