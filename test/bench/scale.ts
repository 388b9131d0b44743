/**
 * Province scale (issue 21): the views people open most, at 1,000 and at 10,000 objects of a
 * year, in the same run. Budget: 10k ≤ 1.5 × 1k for every view, on latency and on capacity.
 *
 * Views measured, each read from its maintained view:
 * - evaluation coverage: the summary for all departments, for one department, and the first page
 *   of the full missing list;
 * - the monitoring dashboard of a window: all departments, one department;
 * - the People's Congress report of the year, and the recomputation of one department's
 *   assessment sheet (both from the object summaries' view).
 *
 * How the objects are put in place: through the stores, not the event path (11,000 objects
 * through the bus and the consumers would take longer than the rest of the bench together). In
 * a DynamoDB Local of each service's own, for each size in its own fiscal year, spread over 40
 * departments of 5 units each:
 * - evaluation: every object's scope entry (the item the baseline consumer writes, `scopeItem`)
 *   and a submitted self-evaluation for every other object (the SELF item's keys and the fields
 *   coverage reads);
 * - monitoring: every object's scope entry (`scopeItem`), one window of the year over all of
 *   them, a report head for every other object (`headItem`; one in three of those red or yellow
 *   with deviating rows); the view built with `rebuildDashboard`, checked with `verifyDashboard`;
 * - accountability: every object's summary as the ledger writes it (`summaryItem`): approved,
 *   reported with a light, every other one self-evaluated, one in five of those reviewed by
 *   finance, one in ten with a recommendation applied; one key evaluation per department at
 *   both sizes (finance evaluates as many as it can staff, not a share of the objects; the report
 *   lists every one).
 * Then each view is built from these sources with the function `npm run rebuild-views` runs, and
 * checked with its verification before anything is timed (the refresh path each event takes is
 * what the property and integration tests check).
 *
 * Timing: the unchanged API handler module in-process (payload-2.0 events, finance token), 5
 * warm-up rounds, then 25 rounds alternating the sizes; the figure is the median wall time.
 * Capacity: every DynamoDB read a request makes is recorded and priced by DynamoDB's rules
 * (api-harness.ts). For comparison the notes give what computing each view on read costs at
 * each size (every source item of the year, the way the views were computed before).
 */
import { randomBytes } from 'node:crypto';
import { batchWrite } from '../../shared/batch-write.ts';
import accountability from '../../services/accountability/service.ts';
import type { ObjectSummary } from '../../services/accountability/domain/object-summary.ts';
import evaluation from '../../services/evaluation/service.ts';
import monitoring from '../../services/monitoring/service.ts';
import type { ReportHead, Window } from '../../services/monitoring/domain/report.ts';
import type { ServiceManifest } from '../../shared/manifest.ts';
import type { ApiCall } from '../support/api-event.ts';
import type { ScopeEntry } from '../../services/evaluation/store/baselines.ts';
import type { SelfEvaluation } from '../../services/evaluation/domain/self-evaluation.ts';
import { financeClaims } from '../support/api-event.ts';
import { expectStatus, indexesOf, measuredCapacity, type Response, type Rig, withApiRig } from './api-harness.ts';
import { median } from './cold-import.ts';
import { row, type Row } from './report.ts';

const BENCH = 'scale';
const REGION = '360000';
const tableOf = (service: string) => `jixiao-${REGION}-${service}`;
const SIZES = [1_000, 10_000] as const;
const YEAR_OF = { 1_000: 2041, 10_000: 2042 } as const;
const DEPARTMENTS = 40;
const UNITS_PER_DEPARTMENT = 5;
const WARMUP = 5;
const ROUNDS = 25;
/** 10k ≤ 1.5 × 1k, on latency and on capacity. */
export const SCALE_BUDGET = { maxRatio: 1.5 } as const;
/** Budgets this part checks: latency and capacity of seven views (three of coverage, two of the dashboard, the report, an assessment). */
export const SCALE_BUDGETS = 14;

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
  await batchWrite(tableOf('evaluation'), requests);
}

interface Measurement {
  latencyMs: number;
  rcu: number;
  calls: string;
}

/** One view as the bench calls it: the request for a size, the status it answers, and what to keep from the answer for the next call. */
interface View {
  id: string;
  label: string;
  status: number;
  call: (size: Size) => ApiCall;
  after?: (size: Size, response: Response) => void;
}
type Size = (typeof SIZES)[number];

const get = (route: string, query: (year: number) => Record<string, string>) => (size: Size): ApiCall => ({ method: 'GET', route, query: query(YEAR_OF[size]), claims: financeClaims });

const COVERAGE_VIEWS: View[] = [
  { id: 'coverage', label: 'coverage summary, all departments', status: 200, call: get('/v1/evaluation/coverage', (year) => ({ year: String(year) })) },
  { id: 'coverage-department', label: 'coverage summary, one department', status: 200, call: get('/v1/evaluation/coverage', (year) => ({ year: String(year), department: department(7) })) },
  { id: 'coverage-missing', label: 'coverage missing list, first page (25)', status: 200, call: get('/v1/evaluation/coverage/missing', (year) => ({ year: String(year), limit: '25' })) },
];

async function measureView(rig: Rig, manifest: ServiceManifest, view: View): Promise<Record<number, Measurement>> {
  const run = async (size: Size) => {
    const r = await expectStatus(rig, view.call(size), view.status);
    view.after?.(size, r);
    return r;
  };
  for (let i = 0; i < WARMUP; i++) for (const size of SIZES) await run(size);
  const times: Record<number, number[]> = { 1_000: [], 10_000: [] };
  for (let i = 0; i < ROUNDS; i++) {
    for (const size of i % 2 ? [...SIZES].reverse() : SIZES) {
      const t0 = performance.now();
      await run(size);
      times[size]?.push(performance.now() - t0);
    }
  }
  const out: Record<number, Measurement> = {};
  for (const size of SIZES) {
    const { calls } = await rig.recorder.record(() => run(size));
    const measured = await measuredCapacity(rig.peek, calls, indexesOf(manifest));
    out[size] = { latencyMs: median(times[size] ?? []), rcu: measured.rcu, calls: measured.read.map((l) => l.what).join('; ') };
  }
  return out;
}

/** Four rows per view: latency and capacity at each size, the 10k ones against the 1k ones as baseline. */
async function measureViews(rig: Rig, manifest: ServiceManifest, views: readonly View[], details: Record<string, unknown>): Promise<Row[]> {
  const rows: Row[] = [];
  for (const view of views) {
    const m = await measureView(rig, manifest, view);
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

/** What reading every source item of the year costs at each size (the views' on-read computation, for comparison). */
async function onReadCost(rig: Rig, manifest: ServiceManifest, read: (year: number) => Promise<unknown>): Promise<string> {
  const out: string[] = [];
  for (const size of SIZES) {
    const { calls } = await rig.recorder.record(() => read(YEAR_OF[size]));
    const measured = await measuredCapacity(rig.peek, calls, indexesOf(manifest));
    out.push(`${size.toLocaleString('en-US')}: ${measured.rcu} RCU in ${calls.length} DynamoDB calls`);
  }
  return out.join('; ');
}

/** The window of each size's year (set when the sources are written). */
const windowOf: Partial<Record<Size, string>> = {};
const dashboardCall = (size: Size, query: Record<string, string>): ApiCall => ({ method: 'GET', route: '/v1/monitoring/dashboards/windows/{id}', params: { id: windowOf[size] ?? 'unset' }, query, claims: financeClaims });
const DASHBOARD_VIEWS: View[] = [
  { id: 'dashboard', label: 'monitoring dashboard, all departments', status: 200, call: (size) => dashboardCall(size, {}) },
  { id: 'dashboard-department', label: 'monitoring dashboard, one department', status: 200, call: (size) => dashboardCall(size, { department: department(7) }) },
];

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
  await batchWrite(tableOf('monitoring'), requests);
  return window;
}

const GRADES = ['excellent', 'good', 'fair', 'poor'] as const;
const LIGHTS = ['green', 'yellow', 'red'] as const;

/** Object i's summary of `year`: approved, reported, every other one self-evaluated, one in ten reviewed by finance, one in ten applied; the first object of each department key-evaluated. */
function summaryOf(i: number, year: number, objectId: string): ObjectSummary {
  const amount = 100 + (i % 900) + 0.25;
  const self = i % 2 === 0 ? { score: 60 + (i % 40), grade: GRADES[i % 4]!, at: `${year + 1}-03-01T00:00:00.000Z` } : undefined;
  const financeReview = self && i % 10 === 0 ? { score: self.score - (i % 7), grade: GRADES[(i + 1) % 4]!, at: `${year + 1}-04-01T00:00:00.000Z` } : undefined;
  const key = i < DEPARTMENTS ? { score: 70 + i / 2, grade: GRADES[i % 4]!, at: `${year + 1}-05-01T00:00:00.000Z`, evaluationId: `key_${objectId.slice(4)}` } : undefined;
  const final = key ?? financeReview ?? self;
  return {
    objectId,
    spendingType: (['project', 'department_overall', 'transfer_payment'] as const)[i % 3]!,
    name: `${year}年规模测试项目${i}`,
    fiscalYear: year,
    region: REGION,
    department: department(i),
    unit: unit(i),
    declaration: { submissions: 1, returned: i % 6 === 0 ? 1 : 0, rejected: false, approvedAt: `${year}-01-15T00:00:00.000Z`, amountWan: amount, targetVersion: 1, revisions: i % 11 === 0 ? 1 : 0 },
    monitoring: { reports: 2, lastLight: LIGHTS[i % 3], deviations: i % 3 ? 1 : 0, redDeviations: i % 3 === 2 ? 1 : 0, corrected: i % 6 === 1 ? 1 : 0, reminders: i % 5 === 0 ? 1 : 0, escalations: 0, fundingPauseRecommended: false },
    evaluation: { ...(self ? { self } : {}), ...(financeReview ? { financeReview } : {}), ...(key ? { key } : {}), ...(final ? { finalGrade: final.grade, finalScore: final.score } : {}) },
    ...(key ? { keyReports: [{ evaluationId: key.evaluationId, score: key.score, grade: key.grade, evaluatedAt: key.at, ratings: [] }] } : {}),
    ...(i % 10 === 3 ? { application: { recommendation: 'maintain' as const, currentAmountWan: amount, proposedAmountWan: amount, proposedAdjustment: 0 } } : {}),
    updatedAt: `${year + 1}-05-01T00:00:00.000Z`,
  };
}

async function putSummaries(size: number, year: number): Promise<void> {
  const { summaryItem } = await import('../../services/accountability/store/summaries.ts');
  const requests = [];
  for (let i = 0; i < size; i++) {
    const objectId = `prj_${year}${String(i).padStart(6, '0')}${randomBytes(3).toString('hex')}`;
    requests.push({ PutRequest: { Item: summaryItem(summaryOf(i, year, objectId), [], 1) } });
  }
  await batchWrite(tableOf('accountability'), requests);
}

interface Part {
  rows: Row[];
  notes: string[];
}

async function coveragePart(details: Record<string, unknown>): Promise<Part> {
  return withApiRig({ manifest: evaluation, regionCode: REGION, tableName: tableOf('evaluation'), handlerModule: '../../services/evaluation/handlers/api.ts' }, async (rig) => {
    const store = await import('../../services/evaluation/store/coverage-view.ts');
    const notes: string[] = [];
    for (const size of SIZES) {
      const year = YEAR_OF[size];
      const t0 = performance.now();
      await putSources(size, year);
      const rebuilt = await store.rebuildCoverage(REGION, year);
      const differences = await store.verifyCoverage(REGION, year);
      if (differences.length) throw new Error(`the ${size} coverage view does not verify: ${differences.slice(0, 3).join('; ')}`);
      notes.push(`coverage, ${size.toLocaleString('en-US')} objects (year ${year}): sources written and view rebuilt (${rebuilt.written} items) in ${((performance.now() - t0) / 1000).toFixed(1)} s, verified consistent`);
    }
    notes.push(`Coverage computed on read, as before the view (every scope entry and self-evaluation of the year): ${await onReadCost(rig, evaluation, (year) => store.coverageFromSources(REGION, year))}.`);
    return { rows: await measureViews(rig, evaluation, COVERAGE_VIEWS, details), notes };
  });
}

async function dashboardPart(details: Record<string, unknown>): Promise<Part> {
  return withApiRig({ manifest: monitoring, regionCode: REGION, tableName: tableOf('monitoring'), handlerModule: '../../services/monitoring/handlers/api.ts' }, async (rig) => {
    const store = await import('../../services/monitoring/store/dashboard-view.ts');
    const { rulesInForce } = await import('../../services/monitoring/store/rules.ts');
    const setup: string[] = [];
    const windows = new Map<Size, Window>();
    for (const size of SIZES) {
      const year = YEAR_OF[size];
      const t0 = performance.now();
      const window = await putDashboardSources(size, year);
      windows.set(size, window);
      const rules = await rulesInForce(REGION, year);
      const rebuilt = await store.rebuildDashboard(window, rules);
      const differences = await store.verifyDashboard(window, rules);
      if (differences.length) throw new Error(`the ${size} dashboard view does not verify: ${differences.slice(0, 3).join('; ')}`);
      setup.push(`dashboard, ${size.toLocaleString('en-US')} objects (year ${year}): sources written and view rebuilt (${rebuilt.written} items) in ${((performance.now() - t0) / 1000).toFixed(1)} s, verified consistent`);
    }
    const onRead = await onReadCost(rig, monitoring, async (year) => {
      const window = [...windows.values()].find((w) => w.fiscalYear === year) as Window;
      return store.dashboardFromSources(window, await rulesInForce(REGION, year));
    });
    return {
      rows: await measureViews(rig, monitoring, DASHBOARD_VIEWS, details),
      notes: [
        ...setup,
        `Dashboard objects put in place through the stores (scope entries, one window, report heads for half the objects as the stores write them, the view built by rebuildDashboard), not through the event path; same departments and units.`,
        `Dashboard computed on read, as before the view (every scope entry, report head and treasury total): ${onRead}.`,
      ],
    };
  });
}

async function summariesPart(details: Record<string, unknown>): Promise<Part> {
  return withApiRig({ manifest: accountability, regionCode: REGION, tableName: tableOf('accountability'), handlerModule: '../../services/accountability/handlers/api.ts' }, async (rig) => {
    const maintenance = await import('../../services/accountability/store/summary-view-maintenance.ts');
    const { allObjectSummaries } = await import('../../services/accountability/store/summaries.ts');
    const notes: string[] = [];
    const assessments = new Map<Size, { id: string; etag: string }>();
    for (const size of SIZES) {
      const year = YEAR_OF[size];
      const t0 = performance.now();
      await putSummaries(size, year);
      const rebuilt = await maintenance.rebuildSummaryView(REGION, year);
      const differences = await maintenance.verifySummaryView(REGION, year);
      if (differences.length) throw new Error(`the ${size} summaries view does not verify: ${differences.slice(0, 3).join('; ')}`);
      notes.push(`summaries, ${size.toLocaleString('en-US')} objects (year ${year}): summaries written and view rebuilt (${rebuilt.written} items) in ${((performance.now() - t0) / 1000).toFixed(1)} s, verified consistent`);
      const created = await expectStatus(rig, { method: 'POST', route: '/v1/accountability/assessments', body: { fiscalYear: year, assessee: { type: 'department', code: department(7), name: '规模测试部门' } }, claims: financeClaims }, 201);
      assessments.set(size, { id: created.body.id, etag: created.headers.etag! });
    }
    notes.push(`Summaries read on read, as before the view (every summary of the year): ${await onReadCost(rig, accountability, (year) => allObjectSummaries(REGION, year))}.`);
    const views: View[] = [
      { id: 'congress-report', label: "People's Congress report", status: 200, call: (size) => ({ method: 'GET', route: '/v1/accountability/reports/congress/{year}', params: { year: String(YEAR_OF[size]) }, claims: financeClaims }) },
      {
        id: 'assessment',
        label: 'assessment of one department, recomputed',
        status: 200,
        call: (size) => ({ method: 'POST', route: '/v1/accountability/assessments/{assessmentId}/recompute', params: { assessmentId: assessments.get(size)!.id }, headers: { 'if-match': assessments.get(size)!.etag }, claims: financeClaims }),
        after: (size, r) => assessments.set(size, { id: assessments.get(size)!.id, etag: r.headers.etag! }),
      },
    ];
    return { rows: await measureViews(rig, accountability, views, details), notes };
  });
}

export async function benchScale(): Promise<ScaleBenchResult> {
  const started = performance.now();
  const details: Record<string, unknown> = {};
  const coverage = await coveragePart(details);
  const dashboard = await dashboardPart(details);
  const summaries = await summariesPart(details);
  const notes = [
    ...coverage.notes,
    ...dashboard.notes,
    ...summaries.notes,
    `Objects put in place through the stores, not through the event path; ${DEPARTMENTS} departments of ${UNITS_PER_DEPARTMENT} units at both sizes.`,
    'The assessment row is a recompute of one department\'s draft sheet (POST …/recompute): its reads are the view\'s; its one write, the sheet, is the same at both sizes.',
  ];
  return { rows: [...coverage.rows, ...dashboard.rows, ...summaries.rows], notes, details, elapsedMs: performance.now() - started };
}
