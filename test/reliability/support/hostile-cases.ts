/**
 * Hostile requests generated from the route specs (services/registry.ts): for every route,
 * wrong types and constraint breakers for every field, missing required fields, unknown fields
 * (including `__proto__`), Unicode edge cases and injection strings in path, query, body keys
 * and cursors, forged and replayed cursors, oversized and deeply nested bodies, bad headers
 * and wrong methods. Deterministic: a seeded PRNG picks the samples, so a failure replays.
 *
 * Each case says what the answer must be:
 * - `invalid`: the route's own schemas reject it (checked here with those schemas), so the
 *   answer is a 400/413/415 problem+json naming `field`;
 * - `refused`: schema-valid but aimed at something that must refuse it (a bad If-Match or
 *   Idempotency-Key, an id that does not exist, a wrong method): any 4xx problem+json;
 * - `harmless`: a schema-valid read (a Unicode search text, a cursor whose sort key was
 *   tampered inside its own partition): any answer but a 5xx, still no write.
 * In every case: never a 5xx, never a write.
 */
import type { RouteSpec } from '../../../shared/http/route.ts';
import {
  constraintBreakers,
  deleteAt,
  fieldName,
  fieldsOf,
  kindOf,
  setAt,
  validBase,
  wrongTypeValues,
  type Path,
} from './hostile-schema.ts';

export type Expectation =
  | { kind: 'invalid'; statuses: number[]; field?: string }
  | { kind: 'refused' }
  | { kind: 'harmless' };

export interface HostileCase {
  category: string;
  label: string;
  method: string;
  /** Request target as sent (encoded path and query). */
  target: string;
  headers: Record<string, string>;
  body?: string | Buffer;
  expect: Expectation;
  /** Header value the answer must not echo (invalid x-correlation-id). */
  mustNotEcho?: string;
}

export interface RouteContext {
  service: string;
  spec: RouteSpec;
  /** Real ids by path parameter name (seeded objects), if any. */
  realParams?: Record<string, string>;
  /** Real cursors: of this list (same query) and of other lists. */
  ownCursor?: { cursor: string; query: Record<string, string> };
  foreignCursors: string[];
  /** ETag of the real object (to send a stale/forged If-Match variant). */
  realEtag?: string;
  /** Query values the route needs besides its schema (a combination its handler requires). */
  queryOverride?: Record<string, string>;
  /** Whether the route answered its base query with a 2xx (so a cursor error is the only error). */
  baseQueryOk?: boolean;
}

/** mulberry32: small, seeded, reproducible. */
export function prng(seed: number): { next(): number; pick<T>(xs: readonly T[]): T; int(n: number): number; sample<T>(xs: readonly T[], n: number): T[] } {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  return {
    next,
    int,
    pick: (xs) => xs[int(xs.length)] as never,
    sample: (xs, n) => {
      if (n >= xs.length) return [...xs];
      const copy = [...xs];
      for (let i = copy.length - 1; i > 0; i--) {
        const j = int(i + 1);
        [copy[i], copy[j]] = [copy[j] as never, copy[i] as never];
      }
      return copy.slice(0, n);
    },
  };
}

export const UNICODE_EDGES: readonly string[] = [
  '\ud800', // lone high surrogate
  'abc\udfffdef', // lone low surrogate
  '\u202egnp.exe', // RTL override
  '\u200d\u200c\u200b\ufeff', // zero-width joiner, non-joiner, space, BOM
  'a\u0000b', // NUL
  '👨‍👩‍👧‍👦🇨🇳💰', // emoji, ZWJ sequence, flag
  'e\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301', // stacked combining marks
  'Z\u0351\u0352\u0353\u0354\u0355\u0356\u0357\u0358\u0359\u035a'.repeat(20), // zalgo
  '\ufffd\uffff\ufffe', // replacement char and non-characters
  '\u0085\u2028\u2029\r\n\t', // line separators
  '𠜎𠜱𠝹𠱓', // astral CJK
  'ｉｎｄ＿ａｂｃ', // full-width look-alikes
];

export const INJECTIONS: readonly string[] = [
  "'",
  '"',
  '../',
  '../../etc/passwd',
  '%00',
  '${jndi:ldap://x/a}',
  '${process.env.TABLE_NAME}',
  '{"$ne":null}',
  '{"$gt":""}',
  '#pk = :x OR attribute_exists(sk)',
  'pk = :pk OR begins_with(#sk, :s)',
  ":x OR size(#a) > :y",
  "1' OR '1'='1",
  "'; DROP TABLE indicators; --",
  'ind_abcdefghij12\' OR 1=1--',
  '<script>alert(1)</script>',
  '\\u0000\\',
  '__proto__',
  'constructor',
  '*',
];

const OVERLONG = (n: number) => 'ä'.repeat(n);

/** encodeURIComponent, except that lone surrogates are sent as their (invalid) WTF-8 bytes. */
export function enc(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    const pair = c >= 0xd800 && c <= 0xdbff && i + 1 < value.length && value.charCodeAt(i + 1) >= 0xdc00 && value.charCodeAt(i + 1) <= 0xdfff;
    if (pair) {
      out += encodeURIComponent(value.slice(i, i + 2));
      i++;
    } else if (c >= 0xd800 && c <= 0xdfff) {
      out += [0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join('');
    } else out += encodeURIComponent(value[i]!);
  }
  return out;
}

const hasLoneSurrogate = (v: string) => /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(v);

function substitute(path: string, params: Record<string, string>, raw = false): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => (raw ? params[name]! : enc(params[name] ?? '')));
}

function queryString(query: Record<string, unknown> | undefined): string {
  if (!query || Object.keys(query).length === 0) return '';
  return `?${Object.entries(query)
    .map(([k, v]) => `${enc(k)}=${enc(String(v))}`)
    .join('&')}`;
}

const JSON_HEADERS = { 'content-type': 'application/json' };

/** The fields a request fails on, as the API names them, per the route's own schemas (undefined: valid). */
export function schemaFailures(spec: RouteSpec, params: Record<string, unknown>, query: Record<string, unknown>, body: unknown): string[] | undefined {
  const failures: string[] = [];
  const check = (schema: RouteSpec['params'] | RouteSpec['body'], value: unknown, where: string) => {
    if (!schema) return;
    const r = schema.safeParse(value);
    if (!r.success)
      for (const issue of r.error.issues) {
        const base = fieldName(where, issue.path as Path);
        if (issue.code === 'unrecognized_keys') for (const key of issue.keys) failures.push(fieldName(base, [key]));
        else failures.push(base);
      }
  };
  check(spec.params, params, 'path');
  check(spec.query, query, 'query');
  if (spec.body) check(spec.body, body, 'body');
  return failures.length ? failures : undefined;
}

/** Every hostile case for one route. `sample` (0..1] keeps that share of the per-field cases. */
export function casesFor(ctx: RouteContext, options: { seed: number; sample: number; oversize: boolean; deepLevels: number }): HostileCase[] {
  const { spec } = ctx;
  const rnd = prng(options.seed);
  const out: HostileCase[] = [];
  const baseParams = { ...((validBase(spec.params, 'path') as Record<string, string>) ?? {}), ...ctx.realParams };
  const baseQuery = { ...((validBase(spec.query, 'query') as Record<string, string>) ?? {}), ...ctx.queryOverride };
  const baseBody = validBase(spec.body, 'body');
  const validPath = substitute(spec.path, baseParams);
  // Writes are refused by: an invalid body; else a bad If-Match; else a bad Idempotency-Key.
  const guardHeaders: Record<string, string> = spec.requiresIfMatch ? { 'if-match': '"forged-etag"' } : {};

  const add = (c: Omit<HostileCase, 'expect'> & { expect?: Expectation }, params: Record<string, unknown>, query: Record<string, unknown>, body: unknown) => {
    if (c.expect) return void out.push(c as HostileCase);
    const failures = schemaFailures(spec, params, query, body);
    const expect: Expectation = failures
      ? { kind: 'invalid', statuses: [400], field: failures[0] }
      : spec.method === 'GET' || spec.operationId.toLowerCase().includes('recommend')
        ? { kind: 'harmless' }
        : { kind: 'refused' };
    out.push({ ...c, expect });
  };
  const keep = () => rnd.next() < options.sample;

  const sendBody = (body: unknown) => (spec.body ? JSON.stringify(body ?? {}) : undefined);
  const bodyFor = (body: unknown) => (spec.body ? body : undefined);

  // An upsert without If-Match (PUT /sectors/{code}) would accept a path value that happens to
  // be valid (`constructor` is a valid sector code): such routes get an unknown body key too.
  const pathCaseBody = spec.body && !spec.requiresIfMatch && kindOf(spec.body) === 'object' ? { ...(baseBody as object), zz_guard: true } : baseBody;

  // --- Path parameters: wrong types, constraint breakers, Unicode, injections.
  for (const field of fieldsOf(spec.params)) {
    const name = field.path[0] as string;
    const values = [
      ...wrongTypeValues(field.schema, 'path'),
      ...constraintBreakers(field.schema, 'path'),
      ...UNICODE_EDGES,
      ...INJECTIONS,
    ].filter((v) => typeof v === 'string' && v.length > 0) as string[];
    for (const value of values) {
      if (!keep()) continue;
      const params = { ...baseParams, [name]: value };
      const unroutable = hasLoneSurrogate(value) || value === '.' || value === '..';
      add(
        {
          ...(unroutable ? { expect: { kind: 'refused' } as Expectation } : {}),
          category: UNICODE_EDGES.includes(value) ? 'unicode' : INJECTIONS.includes(value) ? 'injection' : 'wrong-type',
          label: `path ${name}=${JSON.stringify(value).slice(0, 40)}`,
          method: spec.method,
          target: substitute(spec.path, params) + queryString(baseQuery),
          headers: { ...JSON_HEADERS, ...guardHeaders },
          body: sendBody(pathCaseBody),
        },
        params,
        baseQuery,
        bodyFor(pathCaseBody),
      );
    }
    // Raw (unencoded) traversal and percent tricks straight in the path.
    for (const raw of ['%2e%2e%2f', '..%2fhealth', '%00', '%E0%A4%A', '%252e', '%u0000']) {
      if (!keep()) continue;
      out.push({
        category: 'injection',
        label: `raw path ${name}=${raw}`,
        method: spec.method,
        target: substitute(spec.path, { ...baseParams, [name]: raw }, true),
        headers: { ...JSON_HEADERS, ...guardHeaders },
        body: sendBody(pathCaseBody),
        expect: { kind: 'refused' },
      });
    }
  }

  // --- Query parameters.
  if (spec.query) {
    for (const field of fieldsOf(spec.query)) {
      const name = field.path[0] as string;
      const values = [...wrongTypeValues(field.schema, 'query'), ...constraintBreakers(field.schema, 'query'), ...UNICODE_EDGES, ...INJECTIONS].map(String);
      for (const value of values) {
        if (!keep()) continue;
        const query = { ...baseQuery, [name]: value };
        add(
          {
            category: UNICODE_EDGES.includes(value) ? 'unicode' : INJECTIONS.includes(value) ? 'injection' : 'wrong-type',
            label: `query ${name}=${JSON.stringify(value).slice(0, 40)}`,
            method: spec.method,
            target: validPath + queryString(query),
            headers: { ...JSON_HEADERS, ...guardHeaders },
            body: sendBody(baseBody),
          },
          baseParams,
          query,
          bodyFor(baseBody),
        );
      }
      if (keep()) {
        const query = { ...baseQuery };
        delete query[name];
        if (!field.required) continue;
        add({ category: 'missing-required', label: `query without ${name}`, method: spec.method, target: validPath + queryString(query), headers: { ...guardHeaders } }, baseParams, query, bodyFor(baseBody));
      }
    }
    for (const extra of ['unknownParam', '__proto__', 'constructor', "name' OR '1'='1", '\u202eevil', 'cursor[$ne]']) {
      if (!keep()) continue;
      const query = { ...baseQuery, [extra]: '1' };
      add({ category: 'extra-field', label: `query extra ${JSON.stringify(extra)}`, method: spec.method, target: validPath + queryString(query), headers: { ...guardHeaders } }, baseParams, query, bodyFor(baseBody));
    }
    // Repeated parameter (API Gateway joins with a comma).
    for (const field of fieldsOf(spec.query).slice(0, 2)) {
      if (!keep()) continue;
      const name = field.path[0] as string;
      const v = String(baseQuery[name] ?? '1');
      out.push({
        category: 'injection',
        label: `query ${name} repeated`,
        method: spec.method,
        target: `${validPath}${queryString(baseQuery)}${Object.keys(baseQuery).length ? '&' : '?'}${name}=${encodeURIComponent(v)}&${name}=${encodeURIComponent(v)}`,
        headers: { ...guardHeaders },
        expect: spec.query.safeParse({ ...baseQuery, [name]: `${v},${v},${v}` }).success && spec.method === 'GET' ? { kind: 'harmless' } : { kind: 'invalid', statuses: [400], field: `query.${name}` },
      });
    }
  }

  // --- Cursors: forged, foreign, tampered, replayed under another filter.
  if (spec.query && fieldsOf(spec.query).some((f) => f.path[0] === 'cursor')) {
    const forged: { label: string; cursor: string }[] = [
      { label: 'random base64url', cursor: Buffer.from(Array.from({ length: 48 }, () => rnd.int(256))).toString('base64url') },
      { label: 'base64 of non-JSON', cursor: Buffer.from('not json at all').toString('base64url') },
      { label: 'base64 of array', cursor: Buffer.from('[1,2,3]').toString('base64url') },
      { label: 'base64 of {"$ne":null}', cursor: Buffer.from('{"pk":{"$ne":null}}').toString('base64url') },
      { label: 'DynamoDB-JSON key', cursor: Buffer.from('{"pk":{"S":"x"},"sk":{"S":"y"}}').toString('base64url') },
      { label: 'standard base64 alphabet', cursor: `${Buffer.from('{"pk":"x>?"}').toString('base64')}+/=` },
      { label: 'injection text', cursor: "#pk = :x OR '1'='1" },
      { label: 'unicode', cursor: rnd.pick(UNICODE_EDGES) },
      { label: 'overlong', cursor: 'A'.repeat(4096) },
      { label: '__proto__ key', cursor: Buffer.from('{"__proto__":{"polluted":"yes"}}').toString('base64url') },
      ...ctx.foreignCursors.map((c, i) => ({ label: `cursor of another list #${i}`, cursor: c })),
    ];
    // Exports ignore cursor and limit (they stream the whole list): a forged cursor is harmless there.
    const cursorExpect: Expectation = spec.operationId.startsWith('export')
      ? { kind: 'harmless' }
      : ctx.baseQueryOk === false
        ? { kind: 'refused' }
        : { kind: 'invalid', statuses: [400], field: 'query.cursor' };
    for (const { label, cursor } of forged) {
      if (!keep()) continue;
      const query = { ...baseQuery, cursor };
      const schemaRejects = schemaFailures(spec, baseParams, query, bodyFor(baseBody)) !== undefined;
      out.push({
        category: 'cursor',
        label: `cursor: ${label}`,
        method: spec.method,
        target: validPath + queryString(query),
        headers: {},
        expect: schemaRejects ? { kind: 'invalid', statuses: [400], field: 'query.cursor' } : cursorExpect,
      });
    }
    if (ctx.ownCursor) {
      const own = ctx.ownCursor;
      const key = JSON.parse(Buffer.from(own.cursor, 'base64url').toString('utf8')) as Record<string, string>;
      const names = Object.keys(key);
      const tampered: { label: string; key: Record<string, unknown>; expect: Expectation }[] = [];
      for (const name of names) {
        // Another partition (or sort position) with the same attribute names: either refused or
        // a page of the caller's own list; never another partition's data, never a 5xx.
        tampered.push({ label: `${name} → another value`, key: { ...key, [name]: `${key[name]}X` }, expect: { kind: 'harmless' } });
        tampered.push({ label: `${name} → injection`, key: { ...key, [name]: rnd.pick(INJECTIONS) }, expect: { kind: 'harmless' } });
        tampered.push({ label: `${name} → number`, key: { ...key, [name]: 7 }, expect: { kind: 'invalid', statuses: [400], field: 'query.cursor' } });
        tampered.push({ label: `${name} → removed`, key: Object.fromEntries(Object.entries(key).filter(([k]) => k !== name)), expect: { kind: 'invalid', statuses: [400], field: 'query.cursor' } });
      }
      tampered.push({ label: 'extra attribute', key: { ...key, extra: 'x' }, expect: { kind: 'invalid', statuses: [400], field: 'query.cursor' } });
      for (const t of tampered) {
        if (!keep()) continue;
        out.push({
          category: 'cursor',
          label: `tampered cursor: ${t.label}`,
          method: 'GET',
          target: validPath + queryString({ ...own.query, cursor: Buffer.from(JSON.stringify(t.key)).toString('base64url') }),
          headers: {},
          expect: t.expect,
        });
      }
      // Replay under other filters: each optional filter set to a valid other value.
      for (const field of fieldsOf(spec.query)) {
        const name = field.path[0] as string;
        if (name === 'cursor' || name === 'limit') continue;
        const alt = ['published', 'draft', 'retired', 'individual', 'cost', '2025', '2027', 'D02', 'csv', 'open', 'department'].find(
          (v) => v !== own.query[name] && field.schema.safeParse(kindOf(field.schema) === 'number' ? v : v).success,
        );
        if (alt === undefined || !keep()) continue;
        out.push({
          category: 'cursor',
          label: `cursor replayed with ${name}=${alt}`,
          method: 'GET',
          target: validPath + queryString({ ...own.query, [name]: alt, cursor: own.cursor }),
          headers: {},
          expect: { kind: 'harmless' },
        });
      }
    }
  }

  // --- Body: wrong types, constraint breakers, missing required, extra fields, Unicode keys.
  if (spec.body) {
    const base = (baseBody as Record<string, unknown>) ?? {};
    const isObjectBody = kindOf(spec.body) === 'object';
    for (const field of isObjectBody ? fieldsOf(spec.body) : []) {
      for (const value of [...wrongTypeValues(field.schema, 'body'), ...constraintBreakers(field.schema, 'body')]) {
        if (!keep()) continue;
        const body = setAt(base, field.path, value);
        add(
          {
            category: 'wrong-type',
            label: `body ${fieldName('body', field.path)}=${JSON.stringify(value)?.slice(0, 30)}`,
            method: spec.method,
            target: validPath,
            headers: { ...JSON_HEADERS, ...guardHeaders },
            body: JSON.stringify(body),
          },
          baseParams,
          baseQuery,
          body,
        );
      }
      if (field.required && keep()) {
        const body = deleteAt(base, field.path);
        add(
          { category: 'missing-required', label: `body without ${fieldName('body', field.path)}`, method: spec.method, target: validPath, headers: { ...JSON_HEADERS, ...guardHeaders }, body: JSON.stringify(body) },
          baseParams,
          baseQuery,
          body,
        );
      }
    }
    // Unknown keys, hostile as keys and as values: a strict schema names the key.
    for (const key of ['unexpected', '__proto__', 'constructor', ...rnd.sample(UNICODE_EDGES, 4), ...rnd.sample(INJECTIONS, 4)]) {
      if (!keep()) continue;
      const body = isObjectBody ? { ...base } : {};
      Object.defineProperty(body, key, { value: rnd.pick([...UNICODE_EDGES, ...INJECTIONS]), enumerable: true, writable: true, configurable: true });
      const failures = schemaFailures(spec, baseParams, baseQuery, JSON.parse(JSON.stringify(body)));
      out.push({
        category: UNICODE_EDGES.includes(key) ? 'unicode' : 'extra-field',
        label: `body extra key ${JSON.stringify(key).slice(0, 30)}`,
        method: spec.method,
        target: validPath,
        headers: { ...JSON_HEADERS, ...guardHeaders },
        body: JSON.stringify(body),
        expect: failures ? { kind: 'invalid', statuses: [400], field: isObjectBody ? fieldName('body', [key]) : failures[0] } : { kind: 'refused' },
      });
    }
    // Unicode and injection values in every string field, next to an unknown key (so refused).
    for (const field of isObjectBody ? fieldsOf(spec.body).filter((f) => f.kind === 'string') : []) {
      if (!keep()) continue;
      const value = rnd.pick([...UNICODE_EDGES, ...INJECTIONS]);
      const body = { ...setAt(base, field.path, value), 'zz\u200dextra': true };
      out.push({
        category: 'unicode',
        label: `body ${fieldName('body', field.path)} unicode/injection + extra key`,
        method: spec.method,
        target: validPath,
        headers: { ...JSON_HEADERS, ...guardHeaders },
        body: JSON.stringify(body),
        expect: { kind: 'invalid', statuses: [400], field: 'body.zz\u200dextra' },
      });
    }
    // Whole-body shapes.
    const shapes: { label: string; raw: string; field: string; statuses?: number[] }[] = [
      { label: 'array body', raw: '[]', field: 'body' },
      { label: 'string body', raw: '"hello"', field: 'body' },
      { label: 'number body', raw: '42', field: 'body' },
      { label: 'null body', raw: 'null', field: 'body' },
      { label: 'truncated JSON', raw: '{"a":', field: 'body' },
      { label: 'JSON with trailing garbage', raw: '{} {}', field: 'body' },
      { label: 'JSON with comments', raw: '{/* c */}', field: 'body' },
      { label: 'BOM before JSON', raw: '\ufeff{}', field: 'body' },
      { label: 'NaN literal', raw: '{"x":NaN}', field: 'body' },
      { label: 'duplicate keys', raw: `{"__proto__":{"a":1},"__proto__":{"b":2}}`, field: 'body.__proto__' },
      { label: 'huge number', raw: `{"x":1e999999}`, field: 'body.x' },
    ];
    for (const s of shapes) {
      if (!keep()) continue;
      let parsed: unknown;
      let malformed = false;
      try {
        parsed = JSON.parse(s.raw);
      } catch {
        malformed = true;
      }
      const failures = malformed ? ['body'] : schemaFailures(spec, baseParams, baseQuery, parsed);
      out.push({
        category: 'malformed-body',
        label: s.label,
        method: spec.method,
        target: validPath,
        headers: { ...JSON_HEADERS, ...guardHeaders },
        body: s.raw,
        expect: failures ? { kind: 'invalid', statuses: [400], field: failures.includes(s.field) ? s.field : failures[0] } : { kind: 'refused' },
      });
    }
    // Deep nesting: arrays and objects `deepLevels` deep, at the top and inside a field.
    if (keep() || options.deepLevels > 10_000) {
      const n = options.deepLevels;
      const deepArray = `${'['.repeat(n)}${']'.repeat(n)}`;
      const deepObject = `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;
      out.push({ category: 'deep-nesting', label: `top-level object ${n} deep`, method: spec.method, target: validPath, headers: { ...JSON_HEADERS, ...guardHeaders }, body: deepObject, expect: { kind: 'invalid', statuses: [400], ...(isObjectBody ? { field: 'body.a' } : {}) } });
      const first = isObjectBody ? (fieldsOf(spec.body).find((f) => f.path.length === 1 && ['string', 'number', 'enum', 'boolean'].includes(f.kind))?.path[0] as string | undefined) : undefined;
      out.push({ category: 'deep-nesting', label: `top-level array ${n} deep`, method: spec.method, target: validPath, headers: { ...JSON_HEADERS, ...guardHeaders }, body: deepArray, expect: { kind: 'invalid', statuses: [400], field: 'body' } });
      if (first) {
        out.push({
          category: 'deep-nesting',
          label: `body.${first} ${n} deep`,
          method: spec.method,
          target: validPath,
          headers: { ...JSON_HEADERS, ...guardHeaders },
          body: `{"${first}":${deepArray}}`,
          expect: { kind: 'invalid', statuses: [400], field: `body.${first}` },
        });
      }
      out.push({ category: 'deep-nesting', label: `extra key ${n} deep`, method: spec.method, target: validPath, headers: { ...JSON_HEADERS, ...guardHeaders }, body: `{"deep":${deepArray}}`, expect: { kind: 'invalid', statuses: [400], ...(isObjectBody ? { field: 'body.deep' } : {}) } });
    }
    // Content types: a valid body under the wrong media type is 415.
    for (const ct of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/jsonx', 'json', '', 'application/json\u0000']) {
      if (!keep()) continue;
      const headers: Record<string, string> = { ...guardHeaders };
      if (ct !== '') headers['content-type'] = ct.replace('\u0000', '%00');
      out.push({
        category: 'content-type',
        label: `content-type ${JSON.stringify(ct)}`,
        method: spec.method,
        target: validPath,
        headers,
        body: JSON.stringify(base),
        expect: { kind: 'invalid', statuses: [415], field: 'header.content-type' },
      });
    }
    // Oversized: just over the limit (413), just under it with one overlong string (400).
    if (options.oversize) {
      const limit = spec.maxBodyBytes ?? 1024 * 1024;
      const over = `{"x":"${'a'.repeat(limit)}"}`;
      out.push({ category: 'oversize', label: `body of ${over.length} bytes (limit ${limit})`, method: spec.method, target: validPath, headers: { ...JSON_HEADERS, ...guardHeaders }, body: over, expect: { kind: 'invalid', statuses: [413], field: 'body' } });
      const stringField = isObjectBody ? fieldsOf(spec.body).find((f) => f.kind === 'string' && f.path.length === 1) : undefined;
      const name = (stringField?.path[0] as string | undefined) ?? 'x';
      const { [name]: _dropped, ...rest } = base;
      const prefix = JSON.stringify({ ...rest, [name]: '' }).slice(0, -2); // ...,"name":"
      const under = `${prefix}${'a'.repeat(limit - prefix.length - 2 - 16)}"}`;
      const underFailures = schemaFailures(spec, baseParams, baseQuery, JSON.parse(under));
      out.push({
        category: 'oversize',
        label: `body of ${Buffer.byteLength(under)} bytes, just under the limit ${limit}`,
        method: spec.method,
        target: validPath,
        headers: { ...JSON_HEADERS, ...guardHeaders },
        body: under,
        expect: underFailures ? { kind: 'invalid', statuses: [400], field: isObjectBody ? `body.${name}` : underFailures[0] } : { kind: 'refused' },
      });
      const multibyte = `{"${name}":"${OVERLONG(Math.ceil(limit / 2) + 8)}"}`; // 2-byte chars: under in chars, over in bytes
      out.push({ category: 'oversize', label: `multi-byte body over ${limit} bytes`, method: spec.method, target: validPath, headers: { ...JSON_HEADERS, ...guardHeaders }, body: multibyte, expect: { kind: 'invalid', statuses: [413], field: 'body' } });
    }
  }

  // --- Headers.
  const writeGuard = spec.body ? { ...JSON_HEADERS } : {};
  const invalidBody = spec.body ? '{"zz_not_a_field":1}' : undefined;
  const invalidExpect: Expectation = spec.body
    ? { kind: 'invalid', statuses: [400], field: schemaFailures(spec, baseParams, baseQuery, { zz_not_a_field: 1 })?.[0] ?? 'body.zz_not_a_field' }
    : spec.method === 'GET'
      ? { kind: 'harmless' }
      : { kind: 'refused' };
  // A body-less write without If-Match (DELETE, read, rotate-secret) would run on a real id: aim
  // the header cases at an id that does not exist, so the answer is a 404.
  const headerPath =
    spec.method !== 'GET' && !spec.body && !spec.requiresIfMatch ? substitute(spec.path, (validBase(spec.params, 'path') as Record<string, string>) ?? {}) : validPath;
  for (const cid of ['bad id with spaces', 'x'.repeat(129), '<script>', "'; DROP", '\u00e9\u00e8', '../../x', '${x}']) {
    if (!keep()) continue;
    out.push({
      category: 'header',
      label: `x-correlation-id ${JSON.stringify(cid).slice(0, 20)}`,
      method: spec.method,
      target: headerPath + queryString(baseQuery),
      headers: { ...writeGuard, ...guardHeaders, 'x-correlation-id': Buffer.from(cid, 'utf8').toString('latin1') },
      body: invalidBody,
      expect: invalidExpect,
      mustNotEcho: Buffer.from(cid, 'utf8').toString('latin1'),
    });
  }
  if (keep()) {
    out.push({
      category: 'header',
      label: 'huge header (12 KB)',
      method: spec.method,
      target: headerPath + queryString(baseQuery),
      headers: { ...writeGuard, ...guardHeaders, 'x-filler': 'h'.repeat(12 * 1024) },
      body: invalidBody,
      expect: invalidExpect,
    });
  }
  if (spec.requiresIfMatch) {
    const stale = ctx.realEtag ? [`${ctx.realEtag.replace(/"$/, '')}0"`, `W/${ctx.realEtag}x`] : [];
    // `*` is left out: RFC 9110 makes it match any current version, so it is a valid precondition.
    for (const ifMatch of ['garbage', '""', '"', 'W/"x"', '"a", "b"', 'x'.repeat(8000), '"${x}"', "' OR 1=1", ...stale]) {
      if (!keep()) continue;
      // The body (if any) is valid, so only the If-Match stands between this request and a write.
      out.push({
        category: 'header',
        label: `If-Match ${JSON.stringify(ifMatch).slice(0, 30)}`,
        method: spec.method,
        target: validPath + queryString(baseQuery),
        headers: { ...(spec.body ? JSON_HEADERS : {}), 'if-match': ifMatch },
        body: sendBody(baseBody),
        expect: baseBody !== undefined || !spec.body ? { kind: 'refused' } : { kind: 'invalid', statuses: [400] },
      });
    }
  }
  if (spec.idempotent && baseBody !== undefined) {
    for (const key of ['', 'short', 'has spaces in it', 'k'.repeat(129), "'; DROP TABLE x;--", '../../../../etc', '\u00e9'.repeat(10), 'key\twith\ttabs', '${jndi:x}']) {
      if (!keep()) continue;
      // Valid body: only the Idempotency-Key check refuses it.
      out.push({
        category: 'header',
        label: `Idempotency-Key ${JSON.stringify(key).slice(0, 30)}`,
        method: spec.method,
        target: validPath,
        headers: { ...JSON_HEADERS, 'idempotency-key': Buffer.from(key, 'utf8').toString('latin1') },
        body: JSON.stringify(baseBody),
        expect: { kind: 'invalid', statuses: [400], field: 'header.idempotency-key' },
      });
    }
  }
  return out;
}

/** Wrong methods for a path: every method the path does not serve. */
export function wrongMethodCases(path: string, all: readonly RouteSpec[], params: Record<string, string>): HostileCase[] {
  const target = substitute(path, params);
  const segments = target.split('/').filter(Boolean);
  const matches = (p: string) => {
    const parts = p.split('/').filter(Boolean);
    return parts.length === segments.length && parts.every((part, i) => part.startsWith('{') || part === segments[i]);
  };
  const served = all.filter((s) => matches(s.path)).map((s) => s.method);
  return ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'TRACE']
    .filter((m) => !(served as string[]).includes(m))
    .map((method): HostileCase => ({
      category: 'method',
      label: `${method} on ${path}`,
      method,
      target,
      headers: method === 'GET' || method === 'HEAD' ? {} : ({ 'content-type': 'application/json' } as Record<string, string>),
      ...(method === 'GET' || method === 'HEAD' ? {} : { body: '{}' }),
      expect: { kind: 'invalid', statuses: [405] } as Expectation,
    }));
}
