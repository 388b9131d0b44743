/**
 * The full authorization matrix: as authorization.quick.test.ts, with a token of another
 * region for every role on every route.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { bootRuntime, type TestRuntime } from '../support/runtime.ts';
import { runAuthorizationMatrix } from './support/authz-run.ts';
import { seedWorld, type World } from './support/authz-world.ts';

let rt: TestRuntime;
let world: World;

beforeAll(async () => {
  rt = await bootRuntime();
  world = await seedWorld(rt);
}, 180_000);
afterAll(async () => rt?.stop());

it('every route × every role (all of them also from another region) × scope answers as expected; refusals write nothing', async () => {
  const outcome = await runAuthorizationMatrix(rt, world, { foreign: 'all', outsiders: 'all' }, 'full');
  expect(outcome.problems).toEqual([]);
  expect(outcome.changed, 'tables written by refused requests').toEqual([]);
  expect(outcome.failing).toEqual([]);
}, 300_000);
