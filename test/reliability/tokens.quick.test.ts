/**
 * Token and header hygiene on the local runtime:
 * - hostile bearer tokens (support/authz-tokens.ts) against reads and writes of every service:
 *   401 (or 403 for a well-signed token whose claims are refused) as problem+json, never a 5xx,
 *   never a write (every table digested before and after);
 * - CORS only for the region's configured portal origins (and the local dev portal): preflights
 *   and simple requests from them get Access-Control-Allow-Origin, look-alike origins get none;
 * - security headers on every kind of answer: handler JSON, public routes, CSV and HTML exports,
 *   handler problems, the front's own 401/404/405 and preflights.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOrCreateKeys } from '../../infra/local/keys.ts';
import { regionConfig } from '../../infra/regions.ts';
import { bootRuntime, sampleIndicator, type ApiResponse, type TestRuntime } from '../support/runtime.ts';
import { record, violations } from './report.ts';
import { tablesDigest } from './support/authz-matrix.ts';
import { hostileTokens } from './support/authz-tokens.ts';

let rt: TestRuntime;
let finance: string;

beforeAll(async () => {
  rt = await bootRuntime();
  finance = await rt.token({ role: 'finance', sub: 'tok-finance' });
}, 120_000);
afterAll(async () => rt?.stop());

const YEAR = 2032;
/** Reads and writes of every service a finance token may call; the writes have valid bodies (an accepted token would write). */
const targets: { method: string; path: string; body?: unknown }[] = [
  { method: 'POST', path: '/v1/indicators', body: { ...sampleIndicator, name: '令牌测试指标' } },
  { method: 'GET', path: `/v1/declaration/objects?year=${YEAR}` },
  { method: 'POST', path: '/v1/monitoring/windows', body: { fiscalYear: YEAR, throughMonth: 6, dueDate: `${YEAR}-07-10`, scope: { kind: 'all' } } },
  { method: 'GET', path: `/v1/evaluation/coverage?year=${YEAR}` },
  { method: 'POST', path: '/v1/accountability/cases', body: { subject: '令牌测试线索', department: 'D-TOK', fiscalYear: YEAR, reason: '测试' } },
];

async function send(method: string, path: string, headers: Record<string, string>, body?: unknown): Promise<ApiResponse> {
  return rt.call(method, path, { headers, ...(body !== undefined ? { body } : {}) });
}

describe('hostile bearer tokens', () => {
  it('are refused with 401/403 problem+json, never a 5xx, never a write', async () => {
    // The targets work with a good token (reads only, so nothing is written here).
    for (const t of targets.filter((x) => x.method === 'GET')) expect((await rt.call('GET', t.path, { token: finance })).status).toBe(200);

    const tokens = await hostileTokens(await loadOrCreateKeys(rt.home), rt.regionCode);
    const services = Object.keys(rt.tables);
    await rt.settle();
    const before = await tablesDigest(rt, services);
    const wrong: string[] = [];
    let operations = 0;
    let serverErrors = 0;
    let accepted = 0;
    for (const token of tokens) {
      for (const t of targets) {
        let r: ApiResponse;
        try {
          r = await send(t.method, t.path, { authorization: token.authorization }, t.body);
        } catch (error) {
          wrong.push(`${token.name} ${t.method} ${t.path}: request failed (${(error as Error).message})`);
          continue;
        }
        operations++;
        if (r.status >= 500) serverErrors++;
        if (r.status < 300) accepted++;
        const problemJson = token.status === 431 || r.headers.get('content-type') === 'application/problem+json';
        if (r.status !== token.status || !problemJson) wrong.push(`${token.name} ${t.method} ${t.path}: ${r.status} ${r.headers.get('content-type')} (expected ${token.status}) ${JSON.stringify(r.body)?.slice(0, 200)}`);
        if (r.status === 401 && r.headers.get('www-authenticate') !== 'Bearer') wrong.push(`${token.name} ${t.method} ${t.path}: 401 without WWW-Authenticate: Bearer`);
      }
    }
    await rt.settle();
    const after = await tablesDigest(rt, services);
    const written = services.filter((s) => before[s]?.digest !== after[s]?.digest);
    const row = {
      class: 'token' as const,
      name: `hostile bearer tokens (${tokens.length} kinds: alg none, wrong key, HS256 confusion, wrong iss/aud, expired, nbf, missing claims, unknown role, other region, malformed, oversized) × ${targets.length} reads and writes`,
      operations,
      faultsInjected: tokens.length,
      serverErrors,
      leaks: accepted,
      unexpectedWrites: written.length,
      notes: `${wrong.length} answers other than expected; tables written: ${written.join(', ') || 'none'}`,
    };
    record(row);
    expect(wrong).toEqual([]);
    expect(violations(row)).toEqual([]);
  }, 120_000);
});

describe('CORS', () => {
  // bootRuntime serves the default division, 360000 (its regionCode is checked in the test).
  const region = regionConfig('360000');
  const allowedOrigins = [...region.portalOrigins, 'http://localhost:5173'];
  const portal = region.portalOrigins[0]!;
  const host = new URL(portal).host;
  const foreignOrigins = [
    'https://evil.example',
    'null',
    `http://${host}`,
    `${portal}.evil.example`,
    `https://evil-${host}`,
    `${portal}:8443`,
    portal.toUpperCase(),
    regionConfig('360100').portalOrigins[0]!,
    'http://localhost:5174',
  ];

  it('answers only configured origins, preflight and simple, success and refusal', async () => {
    expect(rt.regionCode).toBe(region.code);
    let operations = 0;
    let leaks = 0;
    let serverErrors = 0;
    const wrong: string[] = [];
    const check = async (origin: string, allowed: boolean, what: string, request: () => Promise<ApiResponse>) => {
      const r = await request();
      operations++;
      if (r.status >= 500) serverErrors++;
      const acao = r.headers.get('access-control-allow-origin');
      if (allowed ? acao !== origin : acao !== null) {
        if (!allowed) leaks++;
        wrong.push(`${what} from ${origin}: ${r.status}, Access-Control-Allow-Origin ${acao}`);
      }
      if (acao === '*' || r.headers.get('access-control-allow-credentials') === 'true') wrong.push(`${what} from ${origin}: wildcard or credentials`);
      if (allowed && !/origin/i.test(r.headers.get('vary') ?? '')) wrong.push(`${what} from ${origin}: no Vary: Origin`);
      return r;
    };
    for (const [origin, allowed] of [...allowedOrigins.map((o) => [o, true] as const), ...foreignOrigins.map((o) => [o, false] as const)]) {
      const pre = await check(origin, allowed, 'preflight POST /v1/indicators', () =>
        send('OPTIONS', '/v1/indicators', { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type,idempotency-key' }),
      );
      expect(pre.status).toBe(204);
      if (allowed) {
        expect(pre.headers.get('access-control-allow-methods')).toMatch(/POST/);
        expect(pre.headers.get('access-control-allow-headers')).toMatch(/authorization/);
      } else {
        expect(pre.headers.get('access-control-allow-methods')).toBeNull();
      }
      await check(origin, allowed, 'GET /v1/health (public)', () => send('GET', '/v1/health', { origin }));
      await check(origin, allowed, 'GET /v1/indicators (token)', () => send('GET', '/v1/indicators', { origin, authorization: `Bearer ${finance}` }));
      await check(origin, allowed, 'GET /v1/indicators (no token, 401)', () => send('GET', '/v1/indicators', { origin }));
      await check(origin, allowed, 'GET /v1/nothing (404)', () => send('GET', '/v1/nothing', { origin }));
    }
    const row = {
      class: 'token' as const,
      name: `CORS: ${allowedOrigins.length} configured origins, ${foreignOrigins.length} look-alike origins × preflight, public, token, 401, 404`,
      operations,
      faultsInjected: foreignOrigins.length,
      serverErrors,
      leaks,
      notes: `${wrong.length} answers other than expected`,
    };
    record(row);
    expect(wrong).toEqual([]);
    expect(violations(row)).toEqual([]);
  }, 120_000);
});

describe('security headers', () => {
  it('are on every kind of answer, and Server / X-Powered-By are not', async () => {
    const finance = await rt.token({ role: 'finance', sub: 'hdr-finance' });
    const unit = await rt.token({ role: 'unit', department: 'D-HDR', unit: 'U-HDR' });
    const answers: [string, () => Promise<ApiResponse>][] = [
      ['200 JSON (token)', () => rt.call('GET', '/v1/indicators', { token: finance })],
      ['200 public health', () => rt.call('GET', '/v1/health')],
      ['200 public OpenAPI', () => rt.call('GET', '/v1/openapi.json')],
      ['200 public disclosures', () => rt.call('GET', '/v1/accountability/public/disclosures')],
      ['200 CSV export', () => rt.call('GET', '/v1/indicators/export?format=csv', { token: finance })],
      ['200 HTML report', () => rt.call('GET', `/v1/accountability/reports/congress/${YEAR}/html`, { token: finance })],
      ['400 handler problem', () => rt.call('POST', '/v1/indicators', { token: finance, body: {} })],
      ['403 handler problem', () => rt.call('POST', '/v1/indicators', { token: unit, body: sampleIndicator })],
      ['404 handler problem', () => rt.call('GET', '/v1/indicators/ind_nothinghere000000000', { token: finance })],
      ['404 public problem', () => rt.call('GET', '/v1/accountability/public/disclosures/dsc_nothinghere000000')],
      ['401 front problem', () => rt.call('GET', '/v1/indicators')],
      ['404 front problem (no route)', () => rt.call('GET', '/v1/nothing')],
      ['405 front problem', () => rt.call('DELETE', '/v1/health')],
      ['204 preflight', () => send('OPTIONS', '/v1/indicators', { origin: 'http://localhost:5173', 'access-control-request-method': 'POST' })],
    ];
    const wrong: string[] = [];
    let serverErrors = 0;
    for (const [what, request] of answers) {
      const r = await request();
      if (r.status >= 500) serverErrors++;
      const h = r.headers;
      const missing: string[] = [];
      if (!/max-age=\d{7,}/.test(h.get('strict-transport-security') ?? '')) missing.push('Strict-Transport-Security');
      if (h.get('x-content-type-options') !== 'nosniff') missing.push('X-Content-Type-Options: nosniff');
      if (h.get('x-frame-options') !== 'DENY' && !/frame-ancestors 'none'/.test(h.get('content-security-policy') ?? '')) missing.push("X-Frame-Options DENY / frame-ancestors 'none'");
      if (!h.get('referrer-policy')) missing.push('Referrer-Policy');
      if (h.get('server')) missing.push(`no Server (got ${h.get('server')})`);
      if (h.get('x-powered-by')) missing.push(`no X-Powered-By (got ${h.get('x-powered-by')})`);
      if (missing.length) wrong.push(`${what} (${r.status}): ${missing.join(', ')}`);
    }
    const row = {
      class: 'token' as const,
      name: `security headers on ${answers.length} kinds of answer (JSON, public, CSV, HTML, handler and front problems, preflight)`,
      operations: answers.length,
      faultsInjected: 0,
      serverErrors,
      notes: `${wrong.length} answers missing a header`,
    };
    record(row);
    expect(wrong).toEqual([]);
    expect(violations(row)).toEqual([]);
  });
});
