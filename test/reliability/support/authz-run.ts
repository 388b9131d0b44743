/**
 * Runs the authorization matrix on a seeded runtime and records one reliability row per
 * service (class authorization). Refusals run first, between two digests of every table:
 * they must write nothing. Returns what the caller asserts.
 */
import { routeSpecsByService } from '../../../services/registry.ts';
import type { TestRuntime } from '../../support/runtime.ts';
import { record, violations } from '../report.ts';
import { buildCases, judge, runCases, tablesDigest, type CaseResult, type MatrixOptions } from './authz-matrix.ts';
import { targets } from './authz-targets.ts';
import type { World } from './authz-world.ts';

export interface MatrixOutcome {
  /** Answers other than expected (wrong status, over-refusal, a list showing A's record, not problem+json). */
  problems: string[];
  /** Tables whose contents changed while only refused requests ran. */
  changed: string[];
  /** Required zeros of the recorded rows that are not zero. */
  failing: string[];
  cases: number;
}

export async function runAuthorizationMatrix(rt: TestRuntime, world: World, options: MatrixOptions, label: string): Promise<MatrixOutcome> {
  const cases = buildCases(routeSpecsByService, targets, world, options);
  const refusals = cases.filter((c) => c.refusal);
  const allowed = cases.filter((c) => !c.refusal);

  await rt.settle();
  const services = Object.keys(rt.tables);
  const before = await tablesDigest(rt, services);
  const refusalResults = await runCases(rt, refusals);
  await rt.settle();
  const after = await tablesDigest(rt, services);
  const changed = services.filter((s) => before[s]?.digest !== after[s]?.digest);
  const allowedResults = await runCases(rt, allowed);
  const results: CaseResult[] = [...refusalResults, ...allowedResults];

  const problems: string[] = [];
  const byService = new Map<string, { operations: number; leaks: number; serverErrors: number; refusals: number; allowed: number; mismatches: number }>();
  for (const r of results) {
    const v = judge(r);
    const row = byService.get(r.c.service) ?? { operations: 0, leaks: 0, serverErrors: 0, refusals: 0, allowed: 0, mismatches: 0 };
    row.operations++;
    if (r.c.refusal) row.refusals++;
    else row.allowed++;
    if (v.leak) row.leaks++;
    if (v.serverError) row.serverErrors++;
    if (v.problem) {
      row.mismatches++;
      problems.push(v.problem);
    }
    byService.set(r.c.service, row);
  }
  const failing: string[] = [];
  for (const [service, row] of byService) {
    const routes = routeSpecsByService[service]!.length;
    const measured = {
      class: 'authorization' as const,
      name: `${service} (${label}): ${routes} routes × no token, other region, role not allowed, in scope, out of scope`,
      operations: row.operations,
      faultsInjected: row.refusals,
      leaks: row.leaks,
      serverErrors: row.serverErrors,
      unexpectedWrites: changed.includes(service) ? Math.max(1, Math.abs((after[service]?.items ?? 0) - (before[service]?.items ?? 0))) : 0,
      notes: `${row.refusals} requests that must be refused, ${row.allowed} that must pass the auth checks; ${row.mismatches} answers other than expected`,
    };
    record(measured);
    failing.push(...violations(measured).map((v) => `${service}: ${v}`));
  }
  return { problems, changed, failing, cases: cases.length };
}
