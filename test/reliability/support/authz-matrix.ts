/**
 * Builds the authorization matrix from the manifests (routeSpecsByService) and the fixture
 * table (authz-targets.ts): one case per route × caller (no token; each role with a token of
 * another region; each role in scope; each role out of scope), each with its expected answer.
 */
import { createHash } from 'node:crypto';
import { DynamoDBClient, paginateScan } from '@aws-sdk/client-dynamodb';
import type { RouteSpec } from '../../../shared/http/route.ts';
import type { ApiResponse, TestRuntime } from '../../support/runtime.ts';
import { fillPath, type Target } from './authz-targets.ts';
import { MATRIX_ROLES, type MatrixRole, type World } from './authz-world.ts';

/** What a case must get: a refusal with one of these statuses, or "allowed" (exact status or any non-401/403 below 500). */
export type Expectation = { refuse: readonly number[] } | { allow: number | 'any' };

export interface MatrixCase {
  service: string;
  operationId: string;
  caller: string;
  method: string;
  path: string;
  token?: string;
  body?: unknown;
  headers: Record<string, string>;
  expect: Expectation;
  /** For allowed out-of-scope callers: whether the answer shows A's record. */
  shows?: (body: unknown) => boolean;
  /** Refusals must write nothing; allowed in-scope calls may (deactivate, rotate, read). */
  refusal: boolean;
}

export interface CaseResult {
  c: MatrixCase;
  status: number;
  contentType: string | null;
  body: unknown;
}

const STALE_ETAG = '"authz-matrix-stale.v0"';

/** The fixture entries the manifests' routes lack, and entries naming no route. */
export function fixtureGaps(routesByService: Readonly<Record<string, readonly RouteSpec[]>>, table: Record<string, Target>): { missing: string[]; unknown: string[] } {
  const ids = new Set(Object.values(routesByService).flatMap((routes) => routes.map((r) => r.operationId)));
  return { missing: [...ids].filter((id) => !(id in table)).sort(), unknown: Object.keys(table).filter((id) => !ids.has(id)).sort() };
}

function query(q: Record<string, string> | undefined): string {
  return q && Object.keys(q).length ? `?${new URLSearchParams(q)}` : '';
}

export interface MatrixOptions {
  /**
   * `all`: every role's token of another region on every route; `rotate`: one role per route,
   * taking turns (the region check is the same code for every role; the quick run saves the
   * requests, the full run sends them all).
   */
  foreign: 'all' | 'rotate';
  /**
   * `all`: every allowed role's B token on every route; `scoped`: only where A's record is out of
   * B's scope (refusals and lists that must hide it). On the other routes B is region-wide like
   * A, and the full run checks that it is not refused there.
   */
  outsiders: 'all' | 'scoped';
}

export function buildCases(routesByService: Readonly<Record<string, readonly RouteSpec[]>>, table: Record<string, Target>, w: World, options: MatrixOptions = { foreign: 'all', outsiders: 'all' }): MatrixCase[] {
  const cases: MatrixCase[] = [];
  let routeIndex = 0;
  for (const [service, routes] of Object.entries(routesByService)) {
    for (const spec of routes) {
      const turn = MATRIX_ROLES[routeIndex++ % MATRIX_ROLES.length];
      const t = table[spec.operationId];
      if (!t) throw new Error(`${spec.operationId}: no entry in the authorization fixture table (test/reliability/support/authz-targets.ts)`);
      if (spec.body && t.body === undefined) throw new Error(`${spec.operationId}: the route takes a body; the fixture must give one (invalid on purpose)`);
      const path = fillPath(spec.path, t.params?.(w) ?? {}, spec.operationId);
      const headers: Record<string, string> = spec.requiresIfMatch ? { 'if-match': STALE_ETAG } : {};
      const base = { service, operationId: spec.operationId, method: spec.method, headers, ...(spec.body ? { body: t.body } : {}) };
      const inPath = path + query(t.query?.(w));
      const allowed: Expectation = { allow: t.ok ?? 'any' };

      if (spec.auth === 'none') {
        cases.push({ ...base, caller: 'no token', path: inPath, expect: allowed, refusal: false });
        for (const role of MATRIX_ROLES) {
          cases.push({ ...base, caller: `${role} A (public route)`, path: inPath, token: w.a[role], expect: allowed, refusal: false });
          cases.push({ ...base, caller: `${role} foreign (public route)`, path: inPath, token: w.foreign[role], expect: allowed, refusal: false });
        }
        continue;
      }

      cases.push({ ...base, caller: 'no token', path: inPath, expect: { refuse: [401] }, refusal: true });
      for (const role of MATRIX_ROLES) {
        const permitted = spec.roles?.includes(role) ?? false;
        if (options.foreign === 'all' || role === turn) {
          cases.push({ ...base, caller: `${role} of another region`, path: inPath, token: w.foreign[role], expect: { refuse: [403] }, refusal: true });
        }
        if (!permitted) {
          cases.push({ ...base, caller: `${role} (role not allowed)`, path: inPath, token: w.a[role], expect: { refuse: [403] }, refusal: true });
          continue;
        }
        cases.push({ ...base, caller: `${role} A (in scope)`, path: inPath, token: w.a[role], expect: allowed, refusal: false });
        const outsiders: [string, string][] = [[`${role} B`, w.b[role]]];
        if (role === 'unit') outsiders.push(['unit A2 (sibling of unit A)', w.unitSibling]);
        for (const [caller, token] of outsiders) {
          // A's sibling unit may filter for its own department (department A): lists show it only its own unit's records.
          const sibling = token === w.unitSibling;
          const refused = sibling && t.outQuery ? undefined : t.scoped?.[role];
          const hidden = !!t.scoped?.[role] || !!t.hiddenFrom?.includes(role);
          if (refused) {
            const outPath = path + query((t.outQuery ?? t.query)?.(w));
            const body = spec.body ? (t.outBody ? t.outBody(w) : t.body) : undefined;
            cases.push({ ...base, ...(body !== undefined ? { body } : {}), caller: `${caller} (out of scope)`, path: outPath, token, expect: { refuse: [refused] }, refusal: true });
          }
          // Unfiltered (lists) or region-wide: allowed, and must not show A's record when A's record is out of its scope.
          if ((!refused || t.shows) && (hidden || options.outsiders === 'all')) {
            const shows = hidden && t.shows ? (body: unknown) => t.shows!(body, w) : undefined;
            cases.push({ ...base, caller: `${caller} (unfiltered)`, path: inPath, token, expect: hidden ? { allow: 'any' } : allowed, ...(shows ? { shows } : {}), refusal: false });
          }
        }
      }
    }
  }
  return cases;
}

export async function runCases(rt: TestRuntime, cases: readonly MatrixCase[], concurrency = 6): Promise<CaseResult[]> {
  const results: CaseResult[] = new Array(cases.length);
  let next = 0;
  const worker = async () => {
    while (next < cases.length) {
      const i = next++;
      const c = cases[i]!;
      const r: ApiResponse = await rt.call(c.method, c.path, { ...(c.token ? { token: c.token } : {}), ...(c.body !== undefined ? { body: c.body } : {}), headers: c.headers });
      results[i] = { c, status: r.status, contentType: r.headers.get('content-type'), body: r.body };
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return results;
}

export interface Verdict {
  /** 2xx where a refusal was expected, or an allowed answer showing A's record. */
  leak: boolean;
  serverError: boolean;
  /** Any other departure from the expectation (wrong refusal status, over-refusal, not problem+json). */
  problem?: string;
}

export function judge(r: CaseResult): Verdict {
  const { c, status } = r;
  const serverError = status >= 500;
  const label = `${c.operationId} ${c.method} ${c.path} as ${c.caller}: ${status}`;
  if ('refuse' in c.expect) {
    const leak = status >= 200 && status < 300;
    if (c.expect.refuse.includes(status)) {
      if (r.contentType !== 'application/problem+json') return { leak, serverError, problem: `${label} not problem+json (${r.contentType})` };
      return { leak, serverError };
    }
    return { leak, serverError, problem: `${label}, expected ${c.expect.refuse.join('/')} — ${JSON.stringify(r.body)?.slice(0, 300)}` };
  }
  const leak = status >= 200 && status < 300 && !!c.shows?.(r.body);
  if (leak) return { leak, serverError, problem: `${label} shows department A's record` };
  if (c.expect.allow === 'any') {
    if (status === 401 || status === 403 || serverError) return { leak, serverError, problem: `${label}, expected to pass the auth checks — ${JSON.stringify(r.body)?.slice(0, 300)}` };
    return { leak, serverError };
  }
  if (status !== c.expect.allow) return { leak, serverError, problem: `${label}, expected ${c.expect.allow} — ${JSON.stringify(r.body)?.slice(0, 300)}` };
  return { leak, serverError };
}

/** A digest of every item of the given tables (test-only scans): equal digests, no write. */
export async function tablesDigest(rt: TestRuntime, services: readonly string[]): Promise<Record<string, { items: number; digest: string }>> {
  const client = new DynamoDBClient({ endpoint: rt.dynamodbEndpoint, region: rt.awsRegion, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  try {
    const out: Record<string, { items: number; digest: string }> = {};
    for (const service of services) {
      const table = rt.tables[service];
      if (!table) continue;
      const lines: string[] = [];
      for await (const page of paginateScan({ client }, { TableName: table, ConsistentRead: true })) {
        for (const item of page.Items ?? []) lines.push(JSON.stringify(Object.keys(item).sort().map((k) => [k, item[k]])));
      }
      lines.sort();
      out[service] = { items: lines.length, digest: createHash('sha256').update(lines.join('\n')).digest('hex') };
    }
    return out;
  } finally {
    client.destroy();
  }
}

