/**
 * Province scale (issue 21): the views people open most, at 1,000 and at 10,000 objects of a
 * year, in the same run. Budget: 10k ≤ 1.5 × 1k for every view, on latency and on capacity.
 *
 * Views measured: evaluation coverage (the summary for all departments, the summary for one
 * department, the first page of the full missing list), read from their maintained view. Views
 * not yet maintained (monitoring dashboard, People's Congress report, assessments) are not in
 * this part yet; the note says so.
 *
 * How the objects are put in place: through the stores, not the event path (11,000 objects
 * through the bus and the consumers would take longer than the rest of the bench together). In
 * a DynamoDB Local of our own, for each size in its own fiscal year: every object's scope entry
 * (the item the baseline consumer writes, `scopeItem`), a submitted self-evaluation for every
 * other object (the SELF item's keys and the fields coverage reads), spread over 40 departments
 * of 5 units each; then the view is built from these sources with `rebuildCoverage`, the same
 * function `npm run rebuild-views` runs, and checked with `verifyCoverage` before anything is
 * timed (the refresh path each event takes is what the property test checks).
 *
 * Timing: the unchanged API handler module in-process (payload-2.0 events, finance token), 5
 * warm-up rounds, then 25 rounds alternating the sizes; the figure is the median wall time.
 * Capacity: every DynamoDB call a request makes is recorded and priced by DynamoDB's rules
 * (api-harness.ts). For comparison the note gives what computing coverage on read costs at each
 * size (every scope entry and self-evaluation of the year, the way coverage was computed before
 * the view).
 */
import { randomBytes } from 'node:crypto';
import { batchWrite } from '../../shared/batch-write.ts';
import evaluation from '../../services/evaluation/service.ts';
import type { ScopeEntry } from '../../services/evaluation/store/baselines.ts';
import type { SelfEvaluation } from '../../services/evaluation/domain/self-evaluation.ts';
import { financeClaims } from '../support/api-event.ts';
import { expectStatus, indexesOf, measuredCapacity, type Rig, withApiRig } from './api-harness.ts';
import { median } from './cold-import.ts';
import { row, type Row } from './report.ts';

const BENCH = 'scale';
const REGION = '360000';
const TABLE = `jixiao-${REGION}-evaluation`;
const SIZES = [1_000, 10_000] as const;
const YEAR_OF = { 1_000: 2041, 10_000: 2042 } as const;
const DEPARTMENTS = 40;
const UNITS_PER_DEPARTMENT = 5;
const WARMUP = 5;
const ROUNDS = 25;
/** 10k ≤ 1.5 × 1k, on latency and on capacity. */
export const SCALE_BUDGET = { maxRatio: 1.5 } as const;
/** Budgets this part checks: latency and capacity of three views. */
export const SCALE_BUDGETS = 6;

export interface ScaleBenchResult {
  readonly rows: readonly Row[];
  readonly notes: readonly string[];
  readonly details: unknown;
  readonly elapsedMs: number;
}

const department = (i: number) => `D-${String(i % DEPARTMENTS).padStart(3, '0')}`;
const unit = (i: number) => `${department(i)}-U${Math.floor(i / DEPARTMENTS) % UNITS_PER_DEPARTMENT}`;

/** Scope entries for every object and a submitted self-evaluation for every other one, as the stores write them. */
async function putSources(size: number, year: number): Promise<void> {
  const { scopeItem } = await import('../../services/evaluation/store/baselines.ts');
  const { selfItem } = await import('../../services/evaluation/store/self-evaluations.ts');
  const requests = [];
  for (let i = 0; i < size; i++) {
    const objectId = `prj_${year}${String(i).padStart(6, '0')}${randomBytes(3).toString('hex')}`;
    const entry: ScopeEntry = { objectId, name: `${year}年规模测试项目${i}`, spendingType: 'project', sector: 'education', region: REGION, department: department(i), unit: unit(i), fiscalYear: year, annualTotalWan: 100 + (i % 900), targetVersion: 1 };
    requests.push({ PutRequest: { Item: scopeItem(entry) } });
    if (i % 2 === 0) {
      // Only what coverage and the self-evaluation index read: the object and the status.
      const self = { id: `sev_${objectId.slice(4)}`, object: { id: objectId, region: REGION, fiscalYear: year, department: entry.department, unit: entry.unit, name: entry.name }, status: 'submitted' } as unknown as SelfEvaluation;
      requests.push({ PutRequest: { Item: selfItem(self) } });
    }
  }
  await batchWrite(TABLE, requests);
}

interface Measurement {
  latencyMs: number;
  rcu: number;
  calls: string;
}

type View = { id: string; label: string; query: (year: number) => Record<string, string>; route: string };

const VIEWS: View[] = [
  { id: 'coverage', label: 'coverage summary, all departments', route: '/v1/evaluation/coverage', query: (year) => ({ year: String(year) }) },
  { id: 'coverage-department', label: 'coverage summary, one department', route: '/v1/evaluation/coverage', query: (year) => ({ year: String(year), department: department(7) }) },
  { id: 'coverage-missing', label: 'coverage missing list, first page (25)', route: '/v1/evaluation/coverage/missing', query: (year) => ({ year: String(year), limit: '25' }) },
];

async function measureView(rig: Rig, view: View): Promise<Record<number, Measurement>> {
  const call = (size: number) => ({ method: 'GET', route: view.route, query: view.query(YEAR_OF[size as 1_000 | 10_000]), claims: financeClaims });
  for (let i = 0; i < WARMUP; i++) for (const size of SIZES) await expectStatus(rig, call(size), 200);
  const times: Record<number, number[]> = { 1_000: [], 10_000: [] };
  for (let i = 0; i < ROUNDS; i++) {
    for (const size of i % 2 ? [...SIZES].reverse() : SIZES) {
      const t0 = performance.now();
      await expectStatus(rig, call(size), 200);
      times[size]?.push(performance.now() - t0);
    }
  }
  const out: Record<number, Measurement> = {};
  for (const size of SIZES) {
    const { calls } = await rig.recorder.record(() => expectStatus(rig, call(size), 200));
    const measured = await measuredCapacity(rig.peek, calls, indexesOf(evaluation));
    out[size] = { latencyMs: median(times[size] ?? []), rcu: measured.rcu, calls: measured.read.map((l) => l.what).join('; ') };
  }
  return out;
}

export async function benchScale(): Promise<ScaleBenchResult> {
  const started = performance.now();
  return withApiRig({ manifest: evaluation, regionCode: REGION, tableName: TABLE, handlerModule: '../../services/evaluation/handlers/api.ts' }, async (rig) => {
    const store = await import('../../services/evaluation/store/coverage-view.ts');
    const setup: string[] = [];
    for (const size of SIZES) {
      const year = YEAR_OF[size];
      const t0 = performance.now();
      await putSources(size, year);
      const rebuilt = await store.rebuildCoverage(REGION, year);
      const differences = await store.verifyCoverage(REGION, year);
      if (differences.length) throw new Error(`the ${size} view does not verify: ${differences.slice(0, 3).join('; ')}`);
      setup.push(`${size.toLocaleString('en-US')} objects (year ${year}): sources written and view rebuilt (${rebuilt.written} items) in ${((performance.now() - t0) / 1000).toFixed(1)} s, verified consistent`);
    }
    // What coverage cost when computed on read: every scope entry and self-evaluation of the year.
    const onRead: string[] = [];
    for (const size of SIZES) {
      const { calls } = await rig.recorder.record(() => store.coverageFromSources(REGION, YEAR_OF[size]));
      const measured = await measuredCapacity(rig.peek, calls, indexesOf(evaluation));
      onRead.push(`${size.toLocaleString('en-US')}: ${measured.rcu} RCU in ${calls.length} queries`);
    }

    const rows: Row[] = [];
    const details: Record<string, unknown> = {};
    for (const view of VIEWS) {
      const m = await measureView(rig, view);
      details[view.id] = m;
      const small = m[1_000] as Measurement;
      const large = m[10_000] as Measurement;
      rows.push(
        row({ bench: BENCH, name: `${view.label}, 1k objects, latency`, value: small.latencyMs, unit: 'ms', note: `median of ${ROUNDS}` }),
        row({ bench: BENCH, name: `${view.label}, 10k objects, latency`, value: large.latencyMs, unit: 'ms', baseline: small.latencyMs, budget: SCALE_BUDGET, note: `median of ${ROUNDS}; baseline = 1k` }),
        row({ bench: BENCH, name: `${view.label}, 1k objects, capacity`, value: small.rcu, unit: 'rcu', note: small.calls }),
        row({ bench: BENCH, name: `${view.label}, 10k objects, capacity`, value: large.rcu, unit: 'rcu', baseline: small.rcu, budget: SCALE_BUDGET, note: large.calls }),
      );
    }
    const notes = [
      ...setup,
      `Objects put in place through the stores (scope entries and self-evaluations as the stores write them, the view built by rebuildCoverage), not through the event path; ${DEPARTMENTS} departments of ${UNITS_PER_DEPARTMENT} units at both sizes, half the objects submitted.`,
      `Coverage computed on read, as before the view (every scope entry and self-evaluation of the year): ${onRead.join('; ')}.`,
      'Not yet maintained, so not measured here: the monitoring dashboard, the People’s Congress report and assessments (issue 21 continues).',
    ];
    return { rows, notes, details, elapsedMs: performance.now() - started };
  });
}
