/**
 * Load at a clerk's pace (`npm run test:reliability` only): the same 200 users and mix of routes
 * as the stress load (load.full.test.ts), but each thinks 2–10 s between requests, as people
 * filling forms do. This is the load a finance bureau's day puts on the embedded runtime; its
 * budget (every route p50 ≤ 150 ms, p99 ≤ 1 s) is reported in the row, not asserted.
 *
 * Asserted, as for every load: zero 5xx, zero lost updates, no duplicate or phantom record,
 * every approval delivered downstream, every 4xx explained.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootRuntime, type TestRuntime } from '../support/runtime.ts';
import { record, violations } from './report.ts';
import { CLERKS_PACE_BUDGET, loadRow, problemsOf, runLoad } from './support/load-scenario.ts';

let rt: TestRuntime;
beforeAll(async () => {
  rt = await bootRuntime({ dynamodbEndpoint: undefined });
});
afterAll(async () => rt?.stop());

describe("load (full): 200 users at a clerk's pace for 90 s", () => {
  it('loses no update, answers no 5xx and explains every 4xx', async () => {
    const result = await runLoad(rt, {
      users: 200,
      durationMs: 90_000,
      departments: 4,
      unitsPerDepartment: 5,
      seedPerUnit: 2,
      year: 2033,
      seed: 200_90,
      settleMs: 120_000,
      thinkMs: [2_000, 10_000],
      budget: CLERKS_PACE_BUDGET,
    });
    const row = loadRow("200 users × 90 s at a clerk's pace (full)", result);
    record(row);
    const problems = problemsOf(result);
    expect(violations(row), JSON.stringify(problems, null, 1)).toEqual([]);
    expect(result.stats.unexplained, JSON.stringify(problems.unexplained4xx, null, 1)).toEqual([]);
    expect(result.deadLetters).toEqual([]);
    // The run did what it claims: users declared, reported and evaluated.
    for (const kind of ['declaration create', 'declaration targets', 'monitoring report create', 'self-evaluation create']) {
      expect(result.model.accepted[kind] ?? 0, `accepted ${kind}`).toBeGreaterThan(0);
    }
  }, 600_000);
});
