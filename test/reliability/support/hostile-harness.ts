/**
 * Runs the hostile cases (hostile-cases.ts) through the real HTTP front of a local runtime
 * with valid tokens of a role each route allows (so requests get past authorization and reach
 * validation), checks every answer, and fingerprints every service table (every item, hashed)
 * after each route's batch: a refused request may change nothing, not even an idempotency
 * record (refusals happen before any record is written, so none is expected).
 */
import { createHash } from 'node:crypto';
import { Agent, request } from 'node:http';
import { DynamoDBClient, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Role } from '../../../events/envelope.ts';
import { manifests, routeSpecsByService } from '../../../services/registry.ts';
import type { RouteSpec } from '../../../shared/http/route.ts';
import { projectBody } from '../../support/declaration.ts';
import { bootRuntime, sampleIndicator, type TestRuntime } from '../../support/runtime.ts';
import { record, type ReliabilityRow } from '../report.ts';
import { casesFor, wrongMethodCases, type HostileCase, type RouteContext } from './hostile-cases.ts';
import { fieldsOf, validBase } from './hostile-schema.ts';

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  body: any;
  error?: string;
}

export interface Tally {
  operations: number;
  serverErrors: number;
  unexpectedWrites: number;
  leaks: number;
  notProblemJson: number;
  mismatches: number;
  byCategory: Record<string, number>;
  byStatus: Record<string, number>;
  failures: string[];
}

const newTally = (): Tally => ({ operations: 0, serverErrors: 0, unexpectedWrites: 0, leaks: 0, notProblemJson: 0, mismatches: 0, byCategory: {}, byStatus: {}, failures: [] });

export const allRoutes = (): { service: string; spec: RouteSpec }[] =>
  Object.entries(routeSpecsByService).flatMap(([service, specs]) => specs.map((spec) => ({ service, spec })));

/** `indicators/templates`, `accountability/cases`: the route's service and first resource segment. */
export function familyOf(spec: RouteSpec): string {
  const literal = spec.path.split('/').filter((s) => s && !s.startsWith('{')).slice(1, 3);
  return literal.join('/');
}

/** Query combinations a handler requires beyond its schema (so the base query is accepted). */
const QUERY_OVERRIDES: Record<string, Record<string, string>> = {
  'GET /v1/accountability/timeline': { department: 'D01' },
};

const ROLE_CLAIMS: Record<Role, Record<string, string>> = {
  unit: { role: 'unit', department: 'D01', unit: 'U0101' },
  department: { role: 'department', department: 'D01' },
  finance: { role: 'finance' },
  supervisor: { role: 'supervisor' },
} as Record<Role, Record<string, string>>;

export class HostileRig {
  readonly tallies = new Map<string, Tally>();
  private readonly tokens = new Map<string, string>();
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 8 });
  private readonly ddb: DynamoDBClient;
  private fingerprint: Map<string, string> = new Map();
  readonly contexts = new Map<RouteSpec, RouteContext>();
  readonly seeded: Record<string, string[]> = {};
  settleMs = 0;
  seedMs = 0;

  private constructor(readonly rt: TestRuntime) {
    this.ddb = new DynamoDBClient({ endpoint: rt.dynamodbEndpoint, region: rt.awsRegion, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  }

  static async start(): Promise<HostileRig> {
    const rt = await bootRuntime();
    const rig = new HostileRig(rt);
    try {
      for (const [role, claims] of Object.entries(ROLE_CLAIMS)) rig.tokens.set(role, await rt.token(claims as never));
      const seedStart = Date.now();
      await rig.seed();
      rig.seedMs = Date.now() - seedStart;
      const settleStart = Date.now();
      await rt.settle(20_000);
      rig.settleMs = Date.now() - settleStart;
      rig.fingerprint = await rig.snapshot();
      return rig;
    } catch (error) {
      await rig.stop();
      throw error;
    }
  }

  async stop(): Promise<void> {
    this.agent.destroy();
    this.ddb.destroy();
    await this.rt.stop();
  }

  tokenFor(spec: RouteSpec): string | undefined {
    return spec.auth === 'jwt' ? this.tokens.get(spec.roles![0] as string) : undefined;
  }

  /** One HTTP request with full control over method, target and headers. */
  send(c: { method: string; target: string; headers: Record<string, string>; body?: string | Buffer }, token?: string): Promise<Answer> {
    const url = new URL(this.rt.apiUrl);
    return new Promise((resolve) => {
      const headers: Record<string, string | number> = { ...c.headers };
      if (token) headers.authorization = `Bearer ${token}`;
      const payload = c.body === undefined ? undefined : Buffer.isBuffer(c.body) ? c.body : Buffer.from(c.body, 'utf8');
      if (payload) headers['content-length'] = payload.length;
      let req;
      try {
        req = request({ host: url.hostname, port: url.port, method: c.method, path: c.target, headers, agent: this.agent }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (d: Buffer) => chunks.push(d));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let body: unknown;
            try {
              body = text ? JSON.parse(text) : undefined;
            } catch {
              body = text;
            }
            resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body });
          });
          res.on('error', (e) => resolve({ status: 0, headers: {}, text: '', body: undefined, error: e.message }));
        });
      } catch (error) {
        resolve({ status: 0, headers: {}, text: '', body: undefined, error: `client refused to send: ${(error as Error).message}` });
        return;
      }
      req.on('error', (e) => resolve({ status: 0, headers: {}, text: '', body: undefined, error: e.message }));
      req.end(payload);
    });
  }

  /** Every item of every service table, hashed by key: detects puts, updates and deletes. */
  async snapshot(): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    await Promise.all(
      Object.entries(this.rt.tables).map(async ([service, table]) => {
        let start: Record<string, AttributeValue> | undefined;
        do {
          const page = await this.ddb.send(new ScanCommand({ TableName: table, ConsistentRead: true, ExclusiveStartKey: start }));
          for (const item of page.Items ?? []) {
            const key = `${service}|${item.pk?.S ?? ''}|${item.sk?.S ?? ''}|${JSON.stringify(item.pk ?? item)}`;
            out.set(key, createHash('sha1').update(JSON.stringify(item, Object.keys(item).sort())).digest('hex'));
          }
          start = page.LastEvaluatedKey;
        } while (start);
      }),
    );
    return out;
  }

  /** Items changed (added, removed or altered) since the last snapshot. */
  async changedSinceLast(): Promise<string[]> {
    const now = await this.snapshot();
    const changed: string[] = [];
    for (const [k, h] of now) if (this.fingerprint.get(k) !== h) changed.push(k);
    for (const k of this.fingerprint.keys()) if (!now.has(k)) changed.push(`removed ${k}`);
    this.fingerprint = now;
    return changed;
  }

  private async seed(): Promise<void> {
    const known: Record<string, unknown> = {
      'POST /v1/indicators': sampleIndicator,
      'POST /v1/declaration/objects': projectBody(2026),
      'POST /v1/accountability/cases': { reason: 'hostile-input seed', department: 'D01', fiscalYear: 2026 },
      'POST /v1/accountability/alert-subscriptions': { name: 'hostile-input seed' },
      'POST /v1/accountability/rectifications': { source: { kind: 'manual', reference: 'seed' }, owner: { department: 'D01' }, issue: 'hostile-input seed' },
    };
    for (const { spec } of allRoutes()) {
      if (spec.method !== 'POST' || !spec.idempotent) continue;
      const body = known[`${spec.method} ${spec.path}`] ?? validBase(spec.body, 'body');
      for (let i = 0; i < 2; i++) {
        const r = await this.send({ method: 'POST', target: spec.path, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }, this.tokenFor(spec));
        if (r.status !== 201 && r.status !== 200 && r.status !== 202) break;
        const collection = spec.path;
        (this.seeded[collection] ??= []).push(JSON.stringify({ body: r.body, etag: r.headers.etag }));
      }
    }
  }

  /** Real ids for a route's path parameters, from the seeded objects of its collection. */
  private realParams(spec: RouteSpec): { params?: Record<string, string>; etag?: string } {
    const m = /^(.*?)\/\{(\w+)\}/.exec(spec.path);
    if (!m || !spec.params) return {};
    const [, collection, name] = m as unknown as [string, string, string];
    const seeded = this.seeded[collection];
    if (!seeded?.length) return {};
    const { body, etag } = JSON.parse(seeded[0]!) as { body: Record<string, unknown>; etag?: string };
    const paramSchema = fieldsOf(spec.params).find((f) => f.path[0] === name)?.schema;
    const value = [body.id, body[name], ...Object.values(body)].find((v) => typeof v === 'string' && paramSchema?.safeParse(v).success) as string | undefined;
    if (!value) return {};
    const rest = Object.fromEntries(fieldsOf(spec.params).filter((f) => f.path[0] !== name).map((f) => [f.path[0], String(validBase(spec.params, 'path')?.[f.path[0] as string])]));
    const params = { ...rest, [name]: value };
    return spec.params.safeParse(params).success ? { params, ...(etag ? { etag } : {}) } : {};
  }

  /** Builds each route's context: real ids, and real cursors (own list, other lists). */
  async prepare(): Promise<void> {
    const cursors: { spec: RouteSpec; cursor: string; query: Record<string, string> }[] = [];
    for (const { service, spec } of allRoutes()) {
      const real = this.realParams(spec);
      const queryOverride = QUERY_OVERRIDES[`${spec.method} ${spec.path}`];
      const ctx: RouteContext = { service, spec, ...(real.params ? { realParams: real.params } : {}), ...(real.etag ? { realEtag: real.etag } : {}), ...(queryOverride ? { queryOverride } : {}), foreignCursors: [] };
      this.contexts.set(spec, ctx);
      if (spec.method !== 'GET' || !spec.query || !fieldsOf(spec.query).some((f) => f.path[0] === 'cursor')) continue;
      const query = { ...(validBase(spec.query, 'query') as Record<string, string>), ...queryOverride, limit: '1' };
      const params = { ...(validBase(spec.params, 'path') as Record<string, string>), ...real.params };
      const target = spec.path.replace(/\{(\w+)\}/g, (_, n: string) => encodeURIComponent(params[n] ?? '')) + `?${new URLSearchParams(query)}`;
      const r = await this.send({ method: 'GET', target, headers: {} }, this.tokenFor(spec));
      ctx.baseQueryOk = r.status >= 200 && r.status < 300;
      if (r.status === 200 && typeof r.body?.nextCursor === 'string') cursors.push({ spec, cursor: r.body.nextCursor, query });
    }
    for (const ctx of this.contexts.values()) {
      const own = cursors.find((c) => c.spec === ctx.spec);
      if (own) ctx.ownCursor = { cursor: own.cursor, query: own.query };
      ctx.foreignCursors = cursors.filter((c) => c.spec.path !== ctx.spec.path).map((c) => c.cursor);
    }
    this.fingerprint = await this.snapshot();
  }

  /** The first route of a service that takes a body (oversize sample of the quick run). */
  firstBodyRoute(service: string): RouteSpec | undefined {
    return (routeSpecsByService[service] ?? []).find((s) => s.body);
  }

  get realCursorLists(): number {
    return [...this.contexts.values()].filter((c) => c.ownCursor).length;
  }

  /** Checks one answer against its case; returns what is wrong, if anything. */
  judge(c: HostileCase, a: Answer, tally: Tally): void {
    tally.operations++;
    tally.byCategory[c.category] = (tally.byCategory[c.category] ?? 0) + 1;
    tally.byStatus[a.status] = (tally.byStatus[a.status] ?? 0) + 1;
    const fail = (what: string) => {
      tally.mismatches++;
      if (tally.failures.length < 40) tally.failures.push(`${c.method} ${c.target.slice(0, 120)} [${c.category}: ${c.label}] → ${a.status}${a.error ? ` (${a.error})` : ''}: ${what} ${a.text.slice(0, 300)}`);
    };
    if (a.status >= 500 || a.status === 0) {
      tally.serverErrors++;
      fail('server error / no answer');
      return;
    }
    const isProblem = () => {
      if (a.headers['content-type'] !== 'application/problem+json') return false;
      if (c.method === 'HEAD') return true;
      const b = a.body;
      return !!b && typeof b === 'object' && typeof b.type === 'string' && typeof b.title === 'string' && b.status === a.status;
    };
    if (a.status >= 400 && !isProblem()) {
      tally.notProblemJson++;
      fail('error answer is not problem+json with type, title, status');
    }
    if (c.mustNotEcho !== undefined) {
      if (a.headers['x-correlation-id'] === c.mustNotEcho || a.body?.correlationId === c.mustNotEcho) {
        tally.leaks++;
        fail('invalid x-correlation-id echoed back');
      }
    }
    const e = c.expect;
    if (e.kind === 'invalid') {
      if (!e.statuses.includes(a.status)) return fail(`expected ${e.statuses.join('/')}`);
      if (e.field && c.method !== 'HEAD') {
        const fields: string[] = (a.body?.errors ?? []).map((x: { field: string }) => x.field);
        if (!fields.includes(e.field)) fail(`expected the problem to name ${JSON.stringify(e.field)}, got ${JSON.stringify(fields)}`);
      }
    } else if (e.kind === 'refused') {
      if (a.status < 400) fail('expected a refusal (4xx)');
    }
  }

  /** Sends a batch with a small concurrency pool, then checks the tables did not change. */
  async runBatch(family: string, cases: readonly HostileCase[], token: string | undefined, concurrency = 6): Promise<void> {
    const tally = this.tallies.get(family) ?? newTally();
    this.tallies.set(family, tally);
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(concurrency, cases.length) }, async () => {
        while (next < cases.length) {
          const c = cases[next++]!;
          this.judge(c, await this.send(c, token), tally);
        }
      }),
    );
    const changed = await this.changedSinceLast();
    if (changed.length) {
      tally.unexpectedWrites += changed.length;
      tally.failures.push(`writes after batch (${family}): ${changed.slice(0, 5).join(', ')}`);
    }
  }

  /** All routes of one service (and the wrong methods of their paths). */
  async runService(service: string, options: { seed: number; sample: number; oversize: boolean; deepLevels: number; oversizeRoutes?: (spec: RouteSpec) => boolean }): Promise<void> {
    const specs = routeSpecsByService[service] ?? [];
    for (const [i, spec] of specs.entries()) {
      const ctx = this.contexts.get(spec)!;
      const cases = casesFor(ctx, { ...options, seed: options.seed + i, oversize: options.oversize && (options.oversizeRoutes?.(spec) ?? true) });
      await this.runBatch(`${service}:${familyOf(spec)}`, cases, this.tokenFor(spec));
    }
    const byPath = new Map<string, RouteSpec[]>();
    for (const spec of specs) byPath.set(spec.path, [...(byPath.get(spec.path) ?? []), spec]);
    for (const [path, group] of byPath) {
      const first = group[0]!;
      const params = { ...(validBase(first.params, 'path') as Record<string, string>), ...this.contexts.get(first)?.realParams };
      await this.runBatch(`${service}:${familyOf(first)}`, wrongMethodCases(path, allRoutes().map((r) => r.spec), params), this.tokenFor(first));
    }
  }

  /** Records one row per family of the service and returns them. */
  recordService(service: string, label: string): ReliabilityRow[] {
    const rows: ReliabilityRow[] = [];
    for (const [family, t] of this.tallies) {
      if (!family.startsWith(`${service}:`)) continue;
      const row: ReliabilityRow = {
        class: 'input',
        name: `hostile input (${label}): ${family.slice(service.length + 1)}`,
        operations: t.operations,
        faultsInjected: t.operations,
        serverErrors: t.serverErrors,
        unexpectedWrites: t.unexpectedWrites,
        leaks: t.leaks,
        notProblemJson: t.notProblemJson,
        notes: `answers ${Object.entries(t.byStatus).map(([s, n]) => `${s}×${n}`).join(' ')}; ${Object.entries(t.byCategory).map(([k, n]) => `${k} ${n}`).join(', ')}; expectation mismatches ${t.mismatches}`,
      };
      record(row);
      rows.push(row);
    }
    return rows;
  }
}

export const serviceNames = (): string[] => manifests.map((m) => m.name);
