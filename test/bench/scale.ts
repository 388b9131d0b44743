/**
 * Province scale (issue 21): the views people open most, at 1,000 and at 10,000 objects of a
 * year, in the same run. Budget: 10k ≤ 1.5 × 1k for every view, on latency and on capacity.
 *
 * Views measured, each read from its maintained view: evaluation coverage (the summary for all
 * departments, the summary for one department, the first page of the full missing list) and the
 * monitoring dashboard of a window (all departments, one department). Views not yet maintained
 * (People's Congress report, assessments) are not in this part yet; the note says so.
 *
 * How the objects are put in place: through the stores, not the event path (11,000 objects
 * through the bus and the consumers would take longer than the rest of the bench together). In
 * a DynamoDB Local of our own per service, for each size in its own fiscal year, spread over 40
 * departments of 5 units each:
 * - coverage: every object's scope entry (the item the baseline consumer writes, `scopeItem`), a
 *   submitted self-evaluation for every other object (the SELF item's keys and the fields
 *   coverage reads); the view built with `rebuildCoverage`, checked with `verifyCoverage`;
 * - dashboard: every object's monitoring scope entry (`scopeItem`), one window of the year over
 *   all of them, a report head for every other object (`headItem`; one in three of those red or
 *   yellow with deviating rows); the view built with `rebuildDashboard`, checked with
 *   `verifyDashboard`.
 * These are the functions `npm run rebuild-views` runs; nothing is timed before the view
 * verifies (the refresh path each event takes is what the property and integration tests check).
 *
 * Timing: the unchanged API handler module in-process (payload-2.0 events, finance token), 5
 * warm-up rounds, then 25 rounds alternating the sizes; the figure is the median wall time.
 * Capacity: every DynamoDB call a request makes is recorded and priced by DynamoDB's rules
 * (api-harness.ts). For comparison the notes give what computing each view on read costs at each
 * size (every source item of the year or window, the way the views were computed before).
 */
import { randomBytes } from 'node:crypto';
import { batchWrite } from '../../shared/batch-write.ts';
import evaluation from '../../services/evaluation/service.ts';
import monitoring from '../../services/monitoring/service.ts';
import type { ServiceManifest } from '../../shared/manifest.ts';
import type { ScopeEntry } from '../../services/evaluation/store/baselines.ts';
import type { SelfEvaluation } from '../../services/evaluation/domain/self-evaluation.ts';
import type { ReportHead, Window } from '../../services/monitoring/domain/report.ts';
import { financeClaims } from '../support/api-event.ts';
import { expectStatus, indexesOf, measuredCapacity, type Rig, withApiRig } from './api-harness.ts';
import { median } from './cold-import.ts';
import { row, type Row } from './report.ts';

const BENCH = 'scale';
const REGION = '360000';
const TABLE = `jixiao-${REGION}-evaluation`;
const MONITORING_TABLE = `jixiao-${REGION}-monitoring`;
const SIZES = [1_000, 10_000] as const;
const YEAR_OF = { 1_000: 2041, 10_000: 2042 } as const;
const DEPARTMENTS = 40;
const UNITS_PER_DEPARTMENT = 5;
const WARMUP = 5;
const ROUNDS = 25;
/** 10k ≤ 1.5 × 1k, on latency and on capacity. */
export const SCALE_BUDGET = { maxRatio: 1.5 } as const;
/** Budgets this part checks: latency and capacity of five views (three of coverage, two of the dashboard). */
export const SCALE_BUDGETS = 10;

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

type View = { id: string; label: string; call: (size: Size) => { method: string; route: string; params?: Record<string, string>; query: Record<string, string>; claims: Record<string, string> } };
type Size = (typeof SIZES)[number];

const COVERAGE_VIEWS: View[] = [
  { id: 'coverage', label: 'coverage summary, all departments', call: (size) => ({ method: 'GET', route: '/v1/evaluation/coverage', query: { year: String(YEAR_OF[size]) }, claims: financeClaims }) },
  { id: 'coverage-department', label: 'coverage summary, one department', call: (size) => ({ method: 'GET', route: '/v1/evaluation/coverage', query: { year: String(YEAR_OF[size]), department: department(7) }, claims: financeClaims }) },
  { id: 'coverage-missing', label: 'coverage missing list, first page (25)', call: (size) => ({ method: 'GET', route: '/v1/evaluation/coverage/missing', query: { year: String(YEAR_OF[size]), limit: '25' }, claims: financeClaims }) },
];

/** The window of each size's year (set when the sources are written). */
const windowOf: Partial<Record<Size, string>> = {};
const dashboardCall = (size: Size, query: Record<string, string>) => ({ method: 'GET', route: '/v1/monitoring/dashboards/windows/{id}', params: { id: windowOf[size] ?? 'unset' }, query, claims: financeClaims });
const DASHBOARD_VIEWS: View[] = [
  { id: 'dashboard', label: 'monitoring dashboard, all departments', call: (size) => dashboardCall(size, {}) },
  { id: 'dashboard-department', label: 'monitoring dashboard, one department', call: (size) => dashboardCall(size, { department: department(7) }) },
];

async function measureView(rig: Rig, view: View, manifest: ServiceManifest): Promise<Record<number, Measurement>> {
  for (let i = 0; i < WARMUP; i++) for (const size of SIZES) await expectStatus(rig, view.call(size), 200);
  const times: Record<number, number[]> = { 1_000: [], 10_000: [] };
  for (let i = 0; i < ROUNDS; i++) {
    for (const size of i % 2 ? [...SIZES].reverse() : SIZES) {
      const t0 = performance.now();
      await expectStatus(rig, view.call(size), 200);
      times[size]?.push(performance.now() - t0);
    }
  }
  const out: Record<number, Measurement> = {};
  for (const size of SIZES) {
    const { calls } = await rig.recorder.record(() => expectStatus(rig, view.call(size), 200));
    const measured = await measuredCapacity(rig.peek, calls, indexesOf(manifest));
    out[size] = { latencyMs: median(times[size] ?? []), rcu: measured.rcu, calls: measured.read.map((l) => l.what).join('; ') };
  }
  return out;
}

/** Four rows per view: latency and capacity at each size, the 10k ones against the 1k ones. */
async function viewRows(rig: Rig, views: readonly View[], manifest: ServiceManifest, details: Record<string, unknown>): Promise<Row[]> {
  const rows: Row[] = [];
  for (const view of views) {
    const m = await measureView(rig, view, manifest);
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
  return rows;
}

/**
 * The monitoring sources of one size: scope entries, one window over all of them, a report head
 * for every other object (one in three of those deviating, with rows), as the stores write them.
 */
async function putDashboardSources(size: Size, year: number): Promise<Window> {
  const { scopeItem } = await import('../../services/monitoring/store/objects.ts');
  const { headItem } = await import('../../services/monitoring/store/reports.ts');
  const { createWindow } = await import('../../services/monitoring/store/windows.ts');
  const window: Window = { id: `win_${year}scale${randomBytes(4).toString('hex')}`, version: 1, region: REGION, fiscalYear: year, throughMonth: 6, label: '1~6月', dueDate: `${year}-07-10`, scope: { kind: 'all' }, createdAt: new Date().toISOString(), createdBy: 'bench' };
  await createWindow(window);
  windowOf[size] = window.id;
  const requests = [];
  for (let i = 0; i < size; i++) {
    const objectId = `obj_${year}${String(i).padStart(6, '0')}${randomBytes(3).toString('hex')}`;
    const annualTotalWan = 100 + (i % 900);
    const entry = { objectId, name: `${year}年规模监控项目${i}`, spendingType: 'project' as const, sector: 'education', region: REGION, department: department(i), unit: unit(i), fiscalYear: year, annualTotalWan, targetVersion: 1 };
    requests.push({ PutRequest: { Item: scopeItem(entry) } });
    if (i % 2 === 0) {
      const light = (['green', 'yellow', 'red'] as const)[(i / 2) % 3] as 'green' | 'yellow' | 'red';
      const executedWan = light === 'green' ? annualTotalWan / 2 : light === 'yellow' ? annualTotalWan * 0.35 : annualTotalWan * 0.1;
      const worst = light === 'green' ? [] : [{ kind: 'execution' as const, name: '预算执行', light, severity: light === 'red' ? ('major' as const) : ('minor' as const), detail: '执行滞后', score: Math.round((executedWan / annualTotalWan / 0.5) * 10_000) / 100 }];
      const head: ReportHead = {
        id: `rpt_${window.id.slice(4)}_${objectId.slice(4)}`,
        version: 1,
        revision: 1,
        windowId: window.id,
        windowLabel: window.label,
        fiscalYear: year,
        throughMonth: 6,
        object: { id: objectId, spendingType: 'project', name: entry.name, fiscalYear: year, region: REGION, department: entry.department, unit: entry.unit, sector: 'education' },
        targetVersion: 1,
        light,
        execution: { budgetWan: annualTotalWan, executedWan, rate: executedWan / annualTotalWan, timeProgress: 0.5, score: (executedWan / annualTotalWan / 0.5) * 100, light },
        annualBudgetWan: annualTotalWan,
        expectedFullYearWan: annualTotalWan,
        deviationCount: worst.length,
        worst,
        late: i % 10 === 0,
        reviews: [],
        reportedAt: `${year}-07-05T02:00:00.000Z`,
        reportedBy: 'bench',
      };
      requests.push({ PutRequest: { Item: headItem(head) } });
    }
  }
  await batchWrite(MONITORING_TABLE, requests);
  return window;
}

async function coveragePart(details: Record<string, unknown>): Promise<{ rows: Row[]; notes: string[] }> {
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
      setup.push(`coverage, ${size.toLocaleString('en-US')} objects (year ${year}): sources written and view rebuilt (${rebuilt.written} items) in ${((performance.now() - t0) / 1000).toFixed(1)} s, verified consistent`);
    }
    // What coverage cost when computed on read: every scope entry and self-evaluation of the year.
    const onRead: string[] = [];
    for (const size of SIZES) {
      const { calls } = await rig.recorder.record(() => store.coverageFromSources(REGION, YEAR_OF[size]));
      const measured = await measuredCapacity(rig.peek, calls, indexesOf(evaluation));
      onRead.push(`${size.toLocaleString('en-US')}: ${measured.rcu} RCU in ${calls.length} queries`);
    }
    const rows = await viewRows(rig, COVERAGE_VIEWS, evaluation, details);
    return {
      rows,
      notes: [
        ...setup,
        `Coverage objects put in place through the stores (scope entries and self-evaluations as the stores write them, the view built by rebuildCoverage), not through the event path; ${DEPARTMENTS} departments of ${UNITS_PER_DEPARTMENT} units at both sizes, half the objects submitted.`,
        `Coverage computed on read, as before the view (every scope entry and self-evaluation of the year): ${onRead.join('; ')}.`,
      ],
    };
  });
}

async function dashboardPart(details: Record<string, unknown>): Promise<{ rows: Row[]; notes: string[] }> {
  return withApiRig({ manifest: monitoring, regionCode: REGION, tableName: MONITORING_TABLE, handlerModule: '../../services/monitoring/handlers/api.ts' }, async (rig) => {
    const store = await import('../../services/monitoring/store/dashboard-view.ts');
    const setup: string[] = [];
    const windows = new Map<Size, Window>();
    for (const size of SIZES) {
      const year = YEAR_OF[size];
      const t0 = performance.now();
      const window = await putDashboardSources(size, year);
      windows.set(size, window);
      const rules = await store.rulesInForce(REGION, year);
      const rebuilt = await store.rebuildDashboard(window, rules);
      const differences = await store.verifyDashboard(window, rules);
      if (differences.length) throw new Error(`the ${size} dashboard view does not verify: ${differences.slice(0, 3).join('; ')}`);
      setup.push(`dashboard, ${size.toLocaleString('en-US')} objects (year ${year}): sources written and view rebuilt (${rebuilt.written} items) in ${((performance.now() - t0) / 1000).toFixed(1)} s, verified consistent`);
    }
    // What the dashboard cost when computed on read: every scope entry of the year, every report head of the window, the treasury totals.
    const onRead: string[] = [];
    for (const size of SIZES) {
      const window = windows.get(size) as Window;
      const { calls } = await rig.recorder.record(async () => store.dashboardFromSources(window, await store.rulesInForce(REGION, window.fiscalYear)));
      const measured = await measuredCapacity(rig.peek, calls, indexesOf(monitoring));
      onRead.push(`${size.toLocaleString('en-US')}: ${measured.rcu} RCU in ${calls.length} calls`);
    }
    const rows = await viewRows(rig, DASHBOARD_VIEWS, monitoring, details);
    return {
      rows,
      notes: [
        ...setup,
        `Dashboard objects put in place through the stores (scope entries, one window, report heads for half the objects as the stores write them, the view built by rebuildDashboard), not through the event path; same departments and units.`,
        `Dashboard computed on read, as before the view (every scope entry, report head and treasury total): ${onRead.join('; ')}.`,
      ],
    };
  });
}

export async function benchScale(): Promise<ScaleBenchResult> {
  const started = performance.now();
  const details: Record<string, unknown> = {};
  const coverage = await coveragePart(details);
  const dashboard = await dashboardPart(details);
  return {
    rows: [...coverage.rows, ...dashboard.rows],
    notes: [...coverage.notes, ...dashboard.notes, 'Not yet maintained, so not measured here: the People’s Congress report and assessments (issue 21 continues).'],
    details,
    elapsedMs: performance.now() - started,
  };
}
