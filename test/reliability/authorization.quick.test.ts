/**
 * The authorization matrix, generated from the manifests: every route of routeSpecsByService ×
 * every caller (no token; a token of another region; each role in scope or not allowed; each
 * role out of scope: department B, unit B, A's sibling unit, supervisor B) → the expected
 * answer, against real records of department A seeded through the APIs on one local runtime.
 * A route without an entry in the fixture table (support/authz-targets.ts) fails the test.
 * The quick run sends one other-region role per route (taking turns) and B's tokens only where
 * A's record is out of B's scope; the full run (authorization.full.test.ts) sends everything.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeSpecsByService } from '../../services/registry.ts';
import { bootRuntime, type TestRuntime } from '../support/runtime.ts';
import { fixtureGaps } from './support/authz-matrix.ts';
import { runAuthorizationMatrix } from './support/authz-run.ts';
import { targets } from './support/authz-targets.ts';
import { seedWorld, type World } from './support/authz-world.ts';

let rt: TestRuntime;
let world: World;

beforeAll(async () => {
  rt = await bootRuntime();
  world = await seedWorld(rt);
}, 180_000);
afterAll(async () => rt?.stop());

describe('authorization matrix', () => {
  it('has a fixture entry for every route of the manifests (a new route cannot be forgotten)', () => {
    const gaps = fixtureGaps(routeSpecsByService, targets);
    expect(gaps.missing, 'routes without an entry in test/reliability/support/authz-targets.ts').toEqual([]);
    expect(gaps.unknown, 'fixture entries naming no route').toEqual([]);
    const { missing } = fixtureGaps({ ...routeSpecsByService, extra: [{ ...routeSpecsByService.platform![0]!, operationId: 'aRouteAddedTomorrow' }] }, targets);
    expect(missing).toEqual(['aRouteAddedTomorrow']);
  });

  it('every route × role × scope answers as expected; refusals write nothing', async () => {
    const started = Date.now();
    const outcome = await runAuthorizationMatrix(rt, world, { foreign: 'rotate', outsiders: 'scoped' }, 'quick');
    console.log(`[authz] ${outcome.cases} requests in ${Date.now() - started} ms`);
    expect(outcome.problems).toEqual([]);
    expect(outcome.changed, 'tables written by refused requests').toEqual([]);
    expect(outcome.failing).toEqual([]);
  }, 240_000);
});
