/**
 * Hostile input, quick run (also in `npm test`): a seeded sample of the generated cases for
 * every route of every service, through the real HTTP front of the local runtime, with tokens
 * of a role the route allows. Every answer must be a 4xx problem+json naming the offending
 * field (or, for a schema-valid read, at least not a 5xx), and no table item may change.
 * The full run (hostile-input.full.test.ts) sends every case, oversized bodies for every route
 * and deeper nesting.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HostileRig, serviceNames } from './support/hostile-harness.ts';
import { violations } from './report.ts';

const SEED = Number(process.env.HOSTILE_SEED ?? 20261128);
let rig: HostileRig;

beforeAll(async () => {
  const t0 = Date.now();
  rig = await HostileRig.start();
  const t1 = Date.now();
  await rig.prepare();
  console.log(`hostile rig: start ${t1 - t0} ms (seed ${rig.seedMs} ms, settle ${rig.settleMs} ms), prepare ${Date.now() - t1} ms`);
});
afterAll(async () => {
  await rig?.stop();
});

describe('hostile input (quick sample): 4xx problem+json, never a 5xx, never a write', () => {
  it('found real objects and real cursors to aim at', () => {
    expect(Object.keys(rig.seeded).length).toBeGreaterThanOrEqual(4);
    expect(rig.realCursorLists).toBeGreaterThanOrEqual(2);
  });

  // Regression: a cursor whose sort key was tampered inside its own partition passed the binding
  // check, and DynamoDB refused the start key ("does not match the range key predicate"): 500.
  it('a cursor with a tampered sort key is a 400 naming query.cursor, not a 500', async () => {
    const lists = ['/v1/indicators/{id}/audit', '/v1/accountability/timeline/{objectId}'];
    let checked = 0;
    for (const ctx of rig.contexts.values()) {
      if (!lists.includes(ctx.spec.path) || ctx.spec.method !== 'GET') continue;
      const params = ctx.realParams ?? { objectId: 'obj_hostile0000' };
      const path = ctx.spec.path.replace(/\{(\w+)\}/g, (_, n: string) => params[n] ?? '');
      const pk = ctx.spec.path.includes('audit') ? `IND#${params.id}` : `OBJ#${params.objectId}`;
      for (const sk of ["1' OR '1'='1", 'ZZZ', 'META']) {
        const cursor = Buffer.from(JSON.stringify({ pk, sk })).toString('base64url');
        const r = await rig.send({ method: 'GET', target: `${path}?cursor=${cursor}`, headers: {} }, rig.tokenFor(ctx.spec));
        expect(r.status, r.text).toBe(400);
        expect(r.headers['content-type']).toBe('application/problem+json');
        expect(r.body.errors.map((e: { field: string }) => e.field)).toContain('query.cursor');
        checked++;
      }
    }
    expect(checked).toBe(6);
    expect(await rig.changedSinceLast()).toEqual([]);
  });

  // Regression: the local front built the query object on a plain object, so `__proto__=1` set
  // its prototype and vanished; API Gateway delivers it as an own key, which strict schemas refuse.
  it('a query parameter named __proto__ reaches validation and is refused by name', async () => {
    const spec = [...rig.contexts.keys()].find((s) => s.method === 'GET' && s.path === '/v1/indicators')!;
    const r = await rig.send({ method: 'GET', target: '/v1/indicators?__proto__=1', headers: {} }, rig.tokenFor(spec));
    expect(r.status, r.text).toBe(400);
    expect(r.body.errors.map((e: { field: string }) => e.field)).toContain('query.__proto__');
  });

  for (const service of serviceNames()) {
    it(`${service}: every route refuses its hostile sample`, async () => {
      await rig.runService(service, {
        seed: SEED,
        sample: 0.2,
        deepLevels: 10_000,
        // Oversized bodies for one body route per service here; all of them in the full run.
        oversize: true,
        oversizeRoutes: (spec) => spec === rig.firstBodyRoute(service),
      });
      const rows = rig.recordService(service, 'quick');
      const failures = [...rig.tallies].filter(([f]) => f.startsWith(`${service}:`)).flatMap(([, t]) => t.failures);
      expect(failures).toEqual([]);
      expect(rows.flatMap((r) => violations(r))).toEqual([]);
      expect(rows.reduce((n, r) => n + r.operations, 0)).toBeGreaterThan(0);
    });
  }
});
