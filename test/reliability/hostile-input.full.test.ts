/**
 * Hostile input, full run (`npm run test:reliability` only): every generated case for every
 * route (no sampling), with two seeds, oversized bodies (just over and just under the limit,
 * and multi-byte over it) for every route that takes a body, and 100,000-level nesting, through
 * the real HTTP front of the local runtime. Same assertions as the quick run: a 4xx
 * problem+json naming the offending field, never a 5xx, never a changed table item.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HostileRig, serviceNames } from './support/hostile-harness.ts';
import { violations } from './report.ts';

const SEEDS = [Number(process.env.HOSTILE_SEED ?? 20261128), 7];
let rig: HostileRig;

beforeAll(async () => {
  rig = await HostileRig.start();
  await rig.prepare();
});
afterAll(async () => {
  await rig?.stop();
});

describe('hostile input (full): 4xx problem+json, never a 5xx, never a write', () => {
  for (const service of serviceNames()) {
    it(`${service}: every route refuses every generated case`, async () => {
      for (const [i, seed] of SEEDS.entries()) {
        // The first pass sends everything; the second re-draws the random parts (cursors, picks).
        await rig.runService(service, { seed, sample: 1, deepLevels: i === 0 ? 100_000 : 10_000, oversize: i === 0 });
      }
      const rows = rig.recordService(service, 'full');
      const failures = [...rig.tallies].filter(([f]) => f.startsWith(`${service}:`)).flatMap(([, t]) => t.failures);
      expect(failures).toEqual([]);
      expect(rows.flatMap((r) => violations(r))).toEqual([]);
      expect(rows.reduce((n, r) => n + r.operations, 0)).toBeGreaterThan(0);
    });
  }
});
