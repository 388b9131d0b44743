/**
 * One scripted year of one spending object, over HTTP on the running local runtime with dev
 * tokens, the way the end-to-end tests drive it (test/e2e/declaration-workflow.test.ts,
 * evaluation.test.ts, accountability-disclosure.test.ts; bodies from test/support/declaration.ts):
 *
 *   declare → targets → submit → department review → finance review (approved)
 *   → monitoring: finance opens the full-year window, the unit reports
 *   → self-evaluation: create (pre-filled), update, submit
 *   → finance discloses the targets and the self-evaluation result
 *
 * Between the services the year waits, bounded, for what the events carry (monitoring's
 * baseline, evaluation's copy, the accountability timeline) and lets the runtime settle, so the
 * memory measured afterwards is that of a quiet runtime. Any unexpected answer throws, naming
 * the step.
 */
import { randomUUID } from 'node:crypto';
import type { TokenClaims } from '../../infra/local/keys.ts';
import { projectBody, standardRows } from '../support/declaration.ts';
import type { Call, HttpReply } from './runtime-http.ts';

const YEAR = 2026;
const DEPARTMENT = 'D-BENCH';
const UNIT = 'U-BENCH-01';
const WAIT_MS = 30_000;
const POLL_MS = 100;

export interface YearStep {
  readonly step: string;
  readonly status: number;
  readonly ms: number;
}

export interface YearWait {
  readonly what: string;
  readonly ms: number;
  readonly polls: number;
}

export interface YearResult {
  readonly objectId: string;
  readonly steps: readonly YearStep[];
  readonly waits: readonly YearWait[];
  /** Wall time of the whole year, waits included. */
  readonly totalMs: number;
  /** The self-evaluation was pre-filled from the monitoring report (the report reached evaluation first). */
  readonly prefilledFromReport: boolean;
}

export interface YearDeps {
  readonly call: Call;
  token(claims: Partial<TokenClaims> & Pick<TokenClaims, 'role'>): Promise<string>;
  /** `runtime.settle()` in the probe. */
  settle(): Promise<unknown>;
}

type Row = { rowId: string; operator: string; value?: number | string };

const etag = (r: HttpReply) => String(r.headers.etag ?? '');
const excerpt = (body: unknown) => JSON.stringify(body)?.slice(0, 400);

export async function scriptedYear({ call, token, settle }: YearDeps): Promise<YearResult> {
  const started = performance.now();
  const unit = await token({ role: 'unit', department: DEPARTMENT, unit: UNIT, sub: 'bench-unit-clerk' });
  const department = await token({ role: 'department', department: DEPARTMENT, sub: 'bench-dept-reviewer' });
  const finance = await token({ role: 'finance', sub: 'bench-finance' });
  const steps: YearStep[] = [];
  const waits: YearWait[] = [];

  const step = async (name: string, reply: Promise<HttpReply>, status: number, check?: (r: HttpReply) => boolean): Promise<HttpReply> => {
    const r = await reply;
    steps.push({ step: name, status: r.status, ms: r.ms });
    if (r.status !== status || (check && !check(r))) throw new Error(`year step "${name}": expected ${status}, got ${r.status} ${excerpt(r.body)}`);
    return r;
  };
  const until = async (what: string, check: () => Promise<boolean>) => {
    const waitStarted = performance.now();
    let polls = 0;
    while (performance.now() - waitStarted < WAIT_MS) {
      polls++;
      if (await check()) {
        waits.push({ what, ms: performance.now() - waitStarted, polls });
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    throw new Error(`year: ${what} did not happen within ${WAIT_MS / 1000} s`);
  };
  const settled = async (what: string) => {
    const settleStarted = performance.now();
    await settle();
    waits.push({ what: `settle: ${what}`, ms: performance.now() - settleStarted, polls: 1 });
  };

  // Declaration: the unit declares and writes targets; the department and finance review.
  const objects = '/v1/declaration/objects';
  const created = await step('declare', call('POST', objects, { token: unit, body: projectBody(YEAR, { name: `${YEAR}年高标准农田建设项目(基准)` }) }), 201);
  const id = String(created.body.id);
  const targets = await step(
    'targets',
    call('PUT', `${objects}/${id}/targets`, { token: unit, headers: { 'if-match': etag(created) }, body: { overallGoal: { annual: '新建高标准农田5000亩，年增粮食产能350吨' }, rows: standardRows } }),
    200,
  );
  const rows = targets.body.rows as Row[];
  const submitted = await step('submit', call('POST', `${objects}/${id}/submit`, { token: unit, headers: { 'if-match': etag(targets) } }), 200, (r) => r.body.status === 'department_review');
  const reviewed = await step(
    'department review',
    call('POST', `${objects}/${id}/reviews`, { token: department, headers: { 'if-match': etag(submitted) }, body: { grade: 'good', comments: '质量指标可再细化' } }),
    200,
    (r) => r.body.status === 'finance_review',
  );
  await step(
    'finance review (approve)',
    call('POST', `${objects}/${id}/reviews`, { token: finance, headers: { 'if-match': etag(reviewed) }, body: { grade: 'excellent' } }),
    200,
    (r) => r.body.status === 'approved',
  );

  // Monitoring: the approved targets arrive as the baseline; finance opens the full-year window; the unit reports.
  await until('monitoring has the baseline', async () => (await call('GET', `/v1/monitoring/objects/${id}`, { token: finance })).status === 200);
  const window = await step(
    'monitoring window',
    call('POST', '/v1/monitoring/windows', { token: finance, body: { fiscalYear: YEAR, throughMonth: 12, dueDate: `${YEAR + 1}-01-10`, scope: { kind: 'all' } } }),
    201,
  );
  await step(
    'monitoring report',
    call('POST', '/v1/monitoring/reports', {
      token: unit,
      body: {
        windowId: window.body.id,
        objectId: id,
        executedWan: 790,
        expectedFullYearWan: 790,
        indicators: rows.map((r) => ({ rowId: r.rowId, valueToDate: r.value, forecast: r.value, likelihood: 'certain' })),
      },
    }),
    201,
  );

  // Evaluation: once it has the object (TargetApproved) and the report, the unit self-evaluates.
  await until('evaluation has the object', async () => {
    const r = await call('GET', `/v1/evaluation/coverage?year=${YEAR}&department=${DEPARTMENT}`, { token: finance });
    if (r.status !== 200) throw new Error(`evaluation coverage answered ${r.status} ${excerpt(r.body)}`);
    return (r.body.byDepartment as { missing: { objectId: string }[] }[]).some((d) => d.missing.some((m) => m.objectId === id));
  });
  await settled('the report reaches every consumer');
  const selfPath = '/v1/evaluation/self-evaluations';
  const self = await step('self-evaluation create', call('POST', selfPath, { token: unit, body: { objectId: id } }), 201);
  const selfId = String(self.body.id);
  const updated = await step(
    'self-evaluation update',
    call('PATCH', `${selfPath}/${selfId}`, {
      token: unit,
      headers: { 'if-match': etag(self) },
      body: { executedWan: 790, rows: rows.filter((r) => typeof r.value === 'number').map((r) => ({ rowId: r.rowId, actual: r.value })) },
    }),
    200,
  );
  await step('self-evaluation submit', call('POST', `${selfPath}/${selfId}/submit`, { token: unit, headers: { 'if-match': etag(updated) } }), 200, (r) => r.body.status === 'submitted');

  // Accountability: finance discloses the approved targets and the self-evaluation result.
  await until('the timeline has TargetApproved and EvaluationCompleted', async () => {
    const r = await call('GET', `/v1/accountability/timeline/${id}?limit=100`, { token: finance });
    const types = r.status === 200 ? (r.body.items as { detailType: string }[]).map((e) => e.detailType) : [];
    return types.includes('TargetApproved') && types.includes('EvaluationCompleted');
  });
  for (const kind of ['targets', 'self_evaluation']) {
    await step(`disclose ${kind}`, call('POST', '/v1/accountability/disclosures', { token: finance, headers: { 'idempotency-key': `bench-${randomUUID()}` }, body: { kind, objectId: id } }), 201);
  }

  return {
    objectId: id,
    steps,
    waits,
    totalMs: performance.now() - started,
    prefilledFromReport: Boolean(self.body.prefilledFrom?.monitoringWindow),
  };
}
