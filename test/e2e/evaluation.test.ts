/**
 * The evaluation service over HTTP on the local runtime: the full year (library indicator →
 * approved object → monitoring report → self-evaluation → finance review → EvaluationCompleted →
 * indicator history and next year's results gate), refusals that name the row and write
 * nothing, overrides, access, coverage, review samples and key evaluations.
 *
 * Each describe declares for its own department and fiscal year, so no test sees another's
 * objects in a year-wide list (coverage, samples).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drawSample } from '../../services/evaluation/domain/sampling.ts';
import { approveObject, projectBody, standardRows, type Desk } from '../support/declaration.ts';
import { bootRuntime, eventually, type ApiResponse, type TestRuntime } from '../support/runtime.ts';

let rt: TestRuntime;
let finance: string;
let supervisor: string;

/** Cross-service effects (bus delivery, consumers starting up) get this long. */
const WAIT_MS = 20_000;

beforeAll(async () => {
  rt = await bootRuntime();
  finance = await rt.token({ role: 'finance', sub: 'eval-finance-1' });
  supervisor = await rt.token({ role: 'supervisor', sub: 'eval-npc-1' });
});
afterAll(async () => rt?.stop());

type Row = { rowId: string; name: string; operator: string; value?: number | string; unit?: string };
type SelfRow = { rowId: string; name: string; weight: number; operator: string; actual?: number | string; target?: string; indicatorId?: string; override?: { score: number; reason: string } };
type ResultRow = { id: string; name: string; points: number; computed: number | null; score: number | null; override?: { score: number; reason: string }; explanation: string };
type Issue = { code: string; severity: string; row?: string; field?: string; message: string };

const etag = (r: { headers: Headers }) => r.headers.get('etag') as string;
const fields = (r: ApiResponse) => (r.body.errors ?? []).map((e: { field: string }) => e.field);
const selfPath = (id: string, rest = '') => `/v1/evaluation/self-evaluations/${id}${rest}`;
const round2 = (n: number) => Math.round(n * 100) / 100;

async function deskOf(department: string, unit: string): Promise<Desk> {
  return {
    unit: await rt.token({ role: 'unit', department, unit, sub: `${unit.toLowerCase()}-clerk` }),
    department: await rt.token({ role: 'department', department, sub: `${department.toLowerCase()}-reviewer` }),
    finance,
  };
}

async function ok(r: Promise<ApiResponse>, status = 200): Promise<ApiResponse> {
  const res = await r;
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  return res;
}

/** Waits until the evaluation service has the approved object (it arrives by TargetApproved): coverage lists it. */
async function inEvaluation(objectId: string, year: number, department: string): Promise<void> {
  await eventually(async () => {
    const r = await rt.call('GET', `/v1/evaluation/coverage?year=${year}&department=${department}`, { token: finance });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const listed = (r.body.byDepartment as { missing: { objectId: string }[] }[]).some((d) => d.missing.some((m) => m.objectId === objectId));
    return listed ? true : undefined;
  }, WAIT_MS);
}

/** An approved project that evaluation has received. */
async function evaluable(d: Desk, department: string, year: number, name: string, rows: readonly Record<string, unknown>[] = standardRows) {
  const approved = await approveObject(rt, d, projectBody(year, { name }), rows);
  await inEvaluation(approved.id, year, department);
  return approved as { id: string; rows: Row[] };
}

async function startSelf(token: string, objectId: string) {
  return ok(rt.call('POST', '/v1/evaluation/self-evaluations', { token, body: { objectId } }), 201);
}

/** Every quantitative row achieved exactly at its target. */
const atTargets = (rows: readonly Row[]) => rows.filter((r) => typeof r.value === 'number').map((r) => ({ rowId: r.rowId, actual: r.value as number }));

async function patchSelf(token: string, id: string, tag: string, body: Record<string, unknown>, status = 200) {
  return ok(rt.call('PATCH', selfPath(id), { token, headers: { 'if-match': tag }, body }), status);
}

/** A self-evaluation started, filled in at the targets with full execution, and submitted. */
async function submittedSelf(d: Desk, object: { id: string; rows: Row[] }) {
  const started = await startSelf(d.unit, object.id);
  const filled = await patchSelf(d.unit, started.body.id, etag(started), { executedWan: 800, rows: atTargets(object.rows) });
  const submitted = await ok(rt.call('POST', selfPath(started.body.id, '/submit'), { token: d.unit, headers: { 'if-match': etag(filled) } }));
  expect(submitted.body.status).toBe('submitted');
  return submitted;
}

interface TimelineItem {
  detailType: string;
  data: any;
}

async function timelineEvent(id: string, detailType: string, match: (e: TimelineItem) => boolean = () => true): Promise<TimelineItem> {
  return eventually(async () => {
    const r = await rt.call('GET', `/v1/accountability/timeline/${id}`, { token: supervisor });
    return ((r.body.items ?? []) as TimelineItem[]).find((e) => e.detailType === detailType && match(e));
  }, WAIT_MS);
}

// ---------- 1. the full year ----------

describe('the full year: approved object → monitoring → self-evaluation → finance review → history and results gate', () => {
  const YEAR = 2026;
  const DEPARTMENT = 'D-EVY';
  let d: Desk;
  beforeAll(async () => {
    d = await deskOf(DEPARTMENT, 'U-EVY-01');
  });

  it('flows end to end over HTTP', async () => {
    // Finance publishes a library indicator.
    const created = await ok(
      rt.call('POST', '/v1/indicators', {
        token: finance,
        body: { name: '高标准农田建设面积(评价)', level1: 'output', level2: 'quantity', operator: 'gte', unit: '亩', basis: 'plan', scope: 'common', spendingTypes: ['project'] },
      }),
      201,
    );
    const indicatorId = created.body.id as string;
    await ok(rt.call('POST', `/v1/indicators/${indicatorId}/publish`, { token: finance, headers: { 'if-match': etag(created) } }));

    // The unit declares 2026 with the library row (once the declaration service has its copy) and gets it approved.
    const declared = await ok(rt.call('POST', '/v1/declaration/objects', { token: d.unit, body: projectBody(YEAR, { name: '2026年高标准农田建设项目(全年评价)' }) }), 201);
    const objectId = declared.body.id as string;
    const targets = { overallGoal: { annual: '新建高标准农田5000亩' }, rows: [{ indicatorId, value: 5000 }, ...standardRows.slice(1)] };
    const put = await eventually(async () => {
      const r = await rt.call('PUT', `/v1/declaration/objects/${objectId}/targets`, { token: d.unit, headers: { 'if-match': etag(declared) }, body: targets });
      if (r.status === 200) return r;
      expect(r.status, JSON.stringify(r.body)).toBe(400);
      return undefined;
    }, WAIT_MS);
    const rows = put.body.rows as Row[];
    expect(rows[0]).toMatchObject({ indicatorId, name: '高标准农田建设面积(评价)', value: 5000, unit: '亩' });
    const submittedDecl = await ok(rt.call('POST', `/v1/declaration/objects/${objectId}/submit`, { token: d.unit, headers: { 'if-match': etag(put) } }));
    const deptReviewed = await ok(rt.call('POST', `/v1/declaration/objects/${objectId}/reviews`, { token: d.department, headers: { 'if-match': etag(submittedDecl) }, body: { grade: 'excellent' } }));
    const approved = await ok(rt.call('POST', `/v1/declaration/objects/${objectId}/reviews`, { token: finance, headers: { 'if-match': etag(deptReviewed) }, body: { grade: 'excellent' } }));
    expect(approved.body.status).toBe('approved');

    // It reaches monitoring and evaluation.
    await eventually(async () => ((await rt.call('GET', `/v1/monitoring/objects/${objectId}`, { token: finance })).status === 200 ? true : undefined), WAIT_MS);
    await inEvaluation(objectId, YEAR, DEPARTMENT);

    // Finance opens the full-year window; the unit reports every row at its target, 790 of 800 executed.
    const window = await ok(rt.call('POST', '/v1/monitoring/windows', { token: finance, body: { fiscalYear: YEAR, throughMonth: 12, dueDate: '2027-01-10', scope: { kind: 'all' } } }), 201);
    expect(window.body.label).toBe('1~12月');
    await ok(
      rt.call('POST', '/v1/monitoring/reports', {
        token: d.unit,
        body: {
          windowId: window.body.id,
          objectId,
          executedWan: 790,
          expectedFullYearWan: 790,
          indicators: rows.map((r) => ({ rowId: r.rowId, valueToDate: r.value, forecast: r.value, likelihood: 'certain' })),
        },
      }),
      201,
    );
    await timelineEvent(objectId, 'MonitoringReported');
    await rt.settle(WAIT_MS); // the report has reached every consumer, evaluation's included

    // The unit starts the self-evaluation: pre-filled from the targets and the report.
    const started = await startSelf(d.unit, objectId);
    const self = started.body;
    expect(started.headers.get('location')).toBe(selfPath(self.id));
    expect(self).toMatchObject({ status: 'draft', version: 1, targetVersion: 1, prefilledFrom: { targetVersion: 1, monitoringWindow: '1~12月' }, execution: { budgetWan: 800, executedWan: 790, weight: 10 } });
    const selfRows = self.rows as SelfRow[];
    expect(selfRows.map((r) => r.rowId)).toEqual(rows.map((r) => r.rowId));
    expect(selfRows[0]).toMatchObject({ indicatorId, indicatorRevision: 1, target: '≥5000亩', actual: 5000 });
    expect(selfRows.map((r) => r.actual)).toEqual(rows.map((r) => r.value));
    expect(round2(selfRows.reduce((s, r) => s + r.weight, 0) + self.execution.weight)).toBe(100);
    expect(self.result.issues.filter((i: Issue) => i.severity === 'error')).toEqual([]);
    expect(self.result.execution).toMatchObject({ rate: 0.9875, score: 9.88 });
    expect(self.result.total).toBe(99.88);
    expect(self.result.grade).toBe('excellent');

    // The year went badly: actual values far below the targets.
    const poor = [500, 10, 10, 30, 20];
    const patched = await patchSelf(d.unit, self.id, etag(started), {
      rows: rows.map((r, i) => ({ rowId: r.rowId, actual: poor[i], deviationAnalysis: '受持续降雨影响，工程大面积延误', evidence: ['验收报告2026-12'] })),
    });
    expect(patched.body.version).toBe(2);
    expect(patched.body.result.total).toBeLessThan(60);
    expect(patched.body.result.grade).toBe('poor');
    const areaRow = (patched.body.result.rows as ResultRow[])[0]!;
    expect(areaRow.score).toBe(round2((500 / 5000) * selfRows[0]!.weight));
    expect(areaRow.explanation).toContain('500 ÷ 5000');
    const selfTotal = patched.body.result.total as number;

    const submitted = await ok(rt.call('POST', selfPath(self.id, '/submit'), { token: d.unit, headers: { 'if-match': etag(patched) } }));
    expect(submitted.body).toMatchObject({ status: 'submitted', version: 3, submittedBy: 'u-evy-01-clerk' });
    expect(submitted.body.result.total).toBe(selfTotal);

    // Finance draws a review sample: the only submitted self-evaluation of 2026 is drawn.
    const sample = await ok(rt.call('POST', '/v1/evaluation/review-samples', { token: finance, body: { fiscalYear: YEAR, size: 1, seed: '2027-复核-01' } }), 201);
    expect(sample.body).toMatchObject({ fiscalYear: YEAR, size: 1, seed: '2027-复核-01', population: 1 });
    expect(sample.body.drawn).toEqual([{ objectId, selfEvaluationId: self.id, amountWan: 800 }]);
    const sampled = await ok(rt.call('GET', selfPath(self.id), { token: finance }));
    expect(sampled.body).toMatchObject({ sampleId: sample.body.id, status: 'submitted' });

    // Finance re-scores the satisfaction row (the survey showed 90 %): the difference is flagged.
    const satisfaction = rows[4]!;
    const reviewed = await ok(
      rt.call('POST', selfPath(self.id, '/finance-review'), {
        token: finance,
        headers: { 'if-match': etag(sampled) },
        body: { rows: [{ rowId: satisfaction.rowId, actual: 90 }], comments: '满意度以第三方调查为准' },
      }),
    );
    expect(reviewed.body.status).toBe('reviewed');
    const review = reviewed.body.review;
    expect(review).toMatchObject({ sampleId: sample.body.id, by: 'eval-finance-1', comments: '满意度以第三方调查为准' });
    expect((review.result.rows as ResultRow[])[4]).toMatchObject({ score: 10, computed: 10 });
    expect(review.difference).toBe(round2(review.result.total - selfTotal));
    expect(review.difference).toBeGreaterThan(5);
    expect(review.flagged).toBe(true);
    expect(review.result.grade).toBe('poor');
    // The unit's own figures stay as submitted.
    expect(reviewed.body.result.total).toBe(selfTotal);

    // EvaluationCompleted (self, then finance review) reaches the accountability timeline.
    const completed = await timelineEvent(objectId, 'EvaluationCompleted', (e) => e.data.kind === 'finance_review');
    expect(completed.data).toMatchObject({ evaluationId: self.id, totalScore: review.result.total, grade: 'poor', object: { id: objectId, fiscalYear: YEAR } });
    expect(completed.data.indicatorResults[0]).toMatchObject({ indicatorId, indicatorRevision: 1, actual: 500, target: 5000, unit: '亩' });
    await timelineEvent(objectId, 'EvaluationCompleted', (e) => e.data.kind === 'self' && e.data.totalScore === selfTotal);
    const adjustment = await timelineEvent(objectId, 'BudgetAdjustmentRecommended', (e) => e.data.kind === 'finance_review');
    expect(adjustment.data).toMatchObject({ grade: 'poor', recommendation: 'cut', currentAmountWan: 800, proposedAmountWan: 560 });

    // The indicator's history shows what 2026 achieved.
    const history = await eventually(async () => {
      const r = await rt.call('GET', `/v1/indicators/${indicatorId}/history?fiscalYear=${YEAR}`, { token: finance });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      return (r.body.items as { objectId: string }[]).find((h) => h.objectId === objectId);
    }, WAIT_MS);
    expect(history).toMatchObject({ fiscalYear: YEAR, actual: 500, target: 5000, grade: 'poor' });

    // Next year's declaration: the continuing object needs finance's results decision.
    const next = await ok(rt.call('POST', '/v1/declaration/objects', { token: d.unit, body: projectBody(YEAR + 1, { name: '2027年高标准农田建设项目(延续)', continues: objectId }) }), 201);
    const nextTargets = await ok(rt.call('PUT', `/v1/declaration/objects/${next.body.id}/targets`, { token: d.unit, headers: { 'if-match': etag(next) }, body: { overallGoal: { annual: '新建高标准农田5000亩' }, rows: standardRows } }));
    const nextSubmitted = await ok(rt.call('POST', `/v1/declaration/objects/${next.body.id}/submit`, { token: d.unit, headers: { 'if-match': etag(nextTargets) } }));
    const nextReviewed = await ok(rt.call('POST', `/v1/declaration/objects/${next.body.id}/reviews`, { token: d.department, headers: { 'if-match': etag(nextSubmitted) }, body: { grade: 'excellent' } }));
    expect(nextReviewed.body.status).toBe('finance_review');
    // Probe without side effects: a cut without its amount is 400 once the gate applies, 409 before.
    await eventually(async () => {
      const r = await rt.call('POST', `/v1/declaration/objects/${next.body.id}/results-decision`, { token: finance, headers: { 'if-match': etag(nextReviewed) }, body: { decision: 'cut', reason: '探测' } });
      return r.status === 400 ? true : undefined;
    }, WAIT_MS);
    const blocked = await rt.call('POST', `/v1/declaration/objects/${next.body.id}/reviews`, { token: finance, headers: { 'if-match': etag(nextReviewed) }, body: { grade: 'excellent' } });
    expect(blocked.status, JSON.stringify(blocked.body)).toBe(409);
    expect(blocked.body.type).toMatch(/results-decision-required$/);
    expect((await ok(rt.call('GET', `/v1/declaration/objects/${next.body.id}`, { token: finance }))).body.status).toBe('finance_review');
  });
});

// ---------- 2. refusals ----------

describe('self-evaluation refusals: a 4xx naming the row, nothing written', () => {
  const YEAR = 2028;
  const DEPARTMENT = 'D-EVR';
  let d: Desk;
  /** Output ×3, benefit (quantitative + qualitative), satisfaction: the qualitative row has 15 points. */
  const rowsWithQualitative = [...standardRows.slice(0, 4), { level1: 'benefit', level2: 'social_benefit', name: '农村人居环境改善', operator: 'qualitative', value: '明显改善' }, standardRows[4]!];
  beforeAll(async () => {
    d = await deskOf(DEPARTMENT, 'U-EVR-01');
  });

  /** A draft with execution and every quantitative actual at target, and the qualitative row met at full points. */
  async function filledDraft(name: string) {
    const object = await evaluable(d, DEPARTMENT, YEAR, name, rowsWithQualitative);
    const started = await startSelf(d.unit, object.id);
    const qualitative = object.rows.find((r) => r.operator === 'qualitative')!;
    const points = (started.body.rows as SelfRow[]).find((r) => r.rowId === qualitative.rowId)!.weight;
    expect(points).toBe(15);
    const filled = await patchSelf(d.unit, started.body.id, etag(started), { executedWan: 800, rows: [...atTargets(object.rows), { rowId: qualitative.rowId, finding: 'met', findingScore: 15 }] });
    expect(filled.body.result.issues).toEqual([]);
    return { object, qualitative, id: started.body.id as string, draft: filled };
  }

  /** Submits, expecting 422 with this issue code on this row; the stored version and ETag stay as they were. */
  /** A PATCH refused with 422 naming the issue; the stored self-evaluation is unchanged. */
  async function refusedOnPatch(id: string, tag: string, body: Record<string, unknown>, code: string, row: string | undefined) {
    const before = await ok(rt.call('GET', selfPath(id), { token: d.unit }));
    expect(etag(before)).toBe(tag);
    const r = await rt.call('PATCH', selfPath(id), { token: d.unit, headers: { 'if-match': tag }, body });
    expect(r.status, JSON.stringify(r.body)).toBe(422);
    expect(r.body.type).toMatch(/evaluation-has-issues$/);
    expect(r.body.issues).toEqual([expect.objectContaining({ code, severity: 'error', ...(row ? { row } : {}) })]);
    const after = await ok(rt.call('GET', selfPath(id), { token: d.unit }));
    expect(after.body).toEqual(before.body);
    expect(etag(after)).toBe(tag);
    return r;
  }

  it('a qualitative score outside its band (met with less than 80 % of the points) → 422 qualitative_outside_band naming the row; nothing written', async () => {
    const { id, qualitative, draft } = await filledDraft('定性越界项目');
    const r = await refusedOnPatch(id, etag(draft), { rows: [{ rowId: qualitative.rowId, finding: 'met', findingScore: 10 }] }, 'qualitative_outside_band', qualitative.rowId);
    expect(r.body.issues[0].message).toContain('[12.00, 15.00]');
    expect(fields(r)).toEqual([`rows.${qualitative.rowId}.findingScore`]);
  });

  it('weights not summing to 100 (one row weight changed) → 422 weights_not_100 naming every row with its points; nothing written', async () => {
    const { id, object, draft } = await filledDraft('权重不足项目');
    const r = await refusedOnPatch(id, etag(draft), { rows: [{ rowId: object.rows[0]!.rowId, weight: 10 }] }, 'weights_not_100', undefined);
    expect(r.body.issues[0].message).toMatch(/= 93\.33 points, not 100/);
    expect(fields(r)).toEqual((draft.body.rows as SelfRow[]).map((row) => `rows.${row.rowId}.weight`));
    expect(r.body.errors[0].message).toContain('has 10 points');
  });

  it('an actual value of the wrong type (text for a quantitative row) → 422 actual_not_numeric naming the row; nothing written', async () => {
    const { id, object, draft } = await filledDraft('实际值类型错误项目');
    const r = await refusedOnPatch(id, etag(draft), { rows: [{ rowId: object.rows[3]!.rowId, actual: '很多' }] }, 'actual_not_numeric', object.rows[3]!.rowId);
    expect(r.body.issues[0].message).toContain('很多');
    expect(fields(r)).toEqual([`rows.${object.rows[3]!.rowId}.actual`]);
  });

  it('an incomplete draft (actuals still missing) is saved, and only submission asks for them', async () => {
    const object = await evaluable(d, DEPARTMENT, YEAR, '未填完项目');
    const started = await startSelf(d.unit, object.id);
    const saved = await patchSelf(d.unit, started.body.id, etag(started), { rows: [{ rowId: object.rows[0]!.rowId, deviationAnalysis: '待统计' }] });
    const r = await rt.call('POST', selfPath(started.body.id, '/submit'), { token: d.unit, headers: { 'if-match': etag(saved) } });
    expect(r.status).toBe(422);
    expect(r.body.issues.map((i: { code: string }) => i.code)).toContain('actual_missing');
  });

  it('an override without a reason → 400 from the schema naming body.rows[0].override.reason; nothing written', async () => {
    const { id, object, draft } = await filledDraft('无理由调整项目');
    const r = await rt.call('PATCH', selfPath(id), { token: d.unit, headers: { 'if-match': etag(draft) }, body: { rows: [{ rowId: object.rows[0]!.rowId, override: { score: 10 } }] } });
    expect(r.status, JSON.stringify(r.body)).toBe(400);
    expect(fields(r)).toEqual(['body.rows[0].override.reason']);
    const after = await ok(rt.call('GET', selfPath(id), { token: d.unit }));
    expect(etag(after)).toBe(etag(draft));
    expect((after.body.rows as SelfRow[])[0]!.override).toBeUndefined();
  });

  it('a row id that is not in the evaluation → 400 naming body.rows[i].rowId; the valid entries beside it are not written either', async () => {
    const { id, object, draft } = await filledDraft('未知行项目');
    const r = await rt.call('PATCH', selfPath(id), {
      token: d.unit,
      headers: { 'if-match': etag(draft) },
      body: { rows: [{ rowId: object.rows[0]!.rowId, actual: 1 }, { rowId: 'r_notarow', actual: 5 }] },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(400);
    expect(fields(r)).toEqual(['body.rows[1].rowId']);
    const after = await ok(rt.call('GET', selfPath(id), { token: d.unit }));
    expect(etag(after)).toBe(etag(draft));
    expect((after.body.rows as SelfRow[])[0]!.actual).toBe(5000);
  });
});

// ---------- 3. overrides ----------

describe('overrides', () => {
  const YEAR = 2028;
  const DEPARTMENT = 'D-EVO';
  let d: Desk;
  beforeAll(async () => {
    d = await deskOf(DEPARTMENT, 'U-EVO-01');
  });

  it('accepts an override within bounds with a reason and shows it beside the computed score; total and grade stay computed', async () => {
    const object = await evaluable(d, DEPARTMENT, YEAR, '延期完成项目');
    const started = await startSelf(d.unit, object.id);
    // No monitoring report: nothing pre-filled, the execution row cannot be computed yet.
    expect(started.body.prefilledFrom).toEqual({ targetVersion: 1 });
    expect(started.body.execution).toEqual({ budgetWan: 800, weight: 10 });
    expect(started.body.result.execution).toMatchObject({ budget: 800, rate: null, computed: null, score: 0, explanation: expect.stringContaining('no executed amount') });
    expect(started.body.result.issues).toEqual(
      expect.arrayContaining([expect.objectContaining({ code: 'budget_invalid', row: 'execution', field: 'execution.executed' }), expect.objectContaining({ code: 'actual_missing', row: object.rows[0]!.rowId })]),
    );
    const area = object.rows[0]!;
    const reason = '目标完成但较计划延期两个月';
    const r = await patchSelf(d.unit, started.body.id, etag(started), {
      executedWan: 720,
      rows: [...atTargets(object.rows), { rowId: area.rowId, override: { score: 12, reason } }],
    });
    const result = r.body.result;
    expect(result.issues).toEqual([]);
    // Two entries for the row in one PATCH (its actual, then its override) both apply.
    expect((r.body.rows as SelfRow[])[0]).toMatchObject({ actual: 5000, override: { score: 12, reason } });
    const row = (result.rows as ResultRow[])[0]!;
    expect(row).toMatchObject({ computed: 16.67, score: 12, override: { score: 12, reason } });
    expect(row.explanation).toContain('overridden from 16.67 to 12');
    expect(row.explanation).toContain(reason);
    // 0.9 × 10 + 12 + the other rows at their full points.
    const expected = round2(9 + 12 + (result.rows as ResultRow[]).slice(1).reduce((s, x) => s + (x.score ?? 0), 0));
    expect(result.total).toBe(expected);
    expect(result.total).toBe(round2(100 - 1 - (16.67 - 12)));
    expect(result.grade).toBe('excellent');
    expect(result.explanation.at(-1)).toContain(`total ${expected.toFixed(2)}`);

    const submitted = await ok(rt.call('POST', selfPath(started.body.id, '/submit'), { token: d.unit, headers: { 'if-match': etag(r) } }));
    expect(submitted.body.result.total).toBe(expected);
    const event = await timelineEvent(object.id, 'EvaluationSubmitted');
    expect(event.data).toMatchObject({ overrides: 1, totalScore: expected, grade: 'excellent' });
  });

  it('an override above the row points is refused (422 score_above_weight naming the row); nothing written', async () => {
    const object = await evaluable(d, DEPARTMENT, YEAR, '调整超分项目');
    const started = await startSelf(d.unit, object.id);
    const r = await rt.call('PATCH', selfPath(started.body.id), {
      token: d.unit,
      headers: { 'if-match': etag(started) },
      body: { executedWan: 800, rows: [...atTargets(object.rows), { rowId: object.rows[4]!.rowId, override: { score: 12, reason: '群众反响特别好' } }] },
    });
    expect(r.status).toBe(422);
    expect(r.body.issues).toEqual([expect.objectContaining({ code: 'score_above_weight', row: object.rows[4]!.rowId, field: 'override.score' })]);
    expect((await ok(rt.call('GET', selfPath(started.body.id), { token: d.unit }))).body).toMatchObject({ status: 'draft', version: started.body.version });
  });
});

// ---------- 4. access ----------

describe('access', () => {
  const YEAR = 2028;
  const DEPARTMENT = 'D-EVA';
  let d: Desk;
  let otherUnit: string;
  let otherDepartment: string;
  beforeAll(async () => {
    d = await deskOf(DEPARTMENT, 'U-EVA-01');
    otherUnit = await rt.token({ role: 'unit', department: DEPARTMENT, unit: 'U-EVA-99', sub: 'u-eva-99-clerk' });
    otherDepartment = await rt.token({ role: 'department', department: 'D-ELSEWHERE', sub: 'd-elsewhere-reviewer' });
  });

  it('keeps other units and departments out, finance-review to finance and submission to the unit', async () => {
    const object = await evaluable(d, DEPARTMENT, YEAR, '权限测试项目');
    expect((await rt.call('POST', '/v1/evaluation/self-evaluations', { token: otherUnit, body: { objectId: object.id } })).status).toBe(403);
    expect((await rt.call('POST', '/v1/evaluation/self-evaluations', { token: finance, body: { objectId: object.id } })).status).toBe(403);
    const started = await startSelf(d.unit, object.id);
    const id = started.body.id as string;
    const tag = etag(started);

    expect((await rt.call('GET', selfPath(id), { token: otherUnit })).status).toBe(403);
    expect((await rt.call('PATCH', selfPath(id), { token: otherUnit, headers: { 'if-match': tag }, body: { executedWan: 800, rows: [] } })).status).toBe(403);
    expect((await rt.call('GET', selfPath(id), { token: otherDepartment })).status).toBe(403);
    expect((await rt.call('PATCH', selfPath(id), { token: d.department, headers: { 'if-match': tag }, body: { executedWan: 800, rows: [] } })).status).toBe(403);
    expect((await rt.call('GET', selfPath(id), { token: d.department })).status).toBe(200);
    expect((await rt.call('GET', selfPath(id), { token: supervisor })).status).toBe(200);

    const filled = await patchSelf(d.unit, id, tag, { executedWan: 800, rows: atTargets(object.rows) });
    expect((await rt.call('POST', selfPath(id, '/submit'), { token: finance, headers: { 'if-match': etag(filled) } })).status).toBe(403);
    expect((await rt.call('POST', selfPath(id, '/submit'), { token: otherUnit, headers: { 'if-match': etag(filled) } })).status).toBe(403);
    const submitted = await ok(rt.call('POST', selfPath(id, '/submit'), { token: d.unit, headers: { 'if-match': etag(filled) } }));

    expect((await rt.call('POST', selfPath(id, '/finance-review'), { token: d.department, headers: { 'if-match': etag(submitted) }, body: { rows: [] } })).status).toBe(403);
    expect((await rt.call('POST', selfPath(id, '/finance-review'), { token: d.unit, headers: { 'if-match': etag(submitted) }, body: { rows: [] } })).status).toBe(403);
    expect((await ok(rt.call('GET', selfPath(id), { token: d.unit }))).body).toMatchObject({ status: 'submitted', version: submitted.body.version });

    // Lists are scoped the same way.
    const mine = await ok(rt.call('GET', `/v1/evaluation/self-evaluations?year=${YEAR}`, { token: d.unit }));
    expect(mine.body.items.map((s: { id: string }) => s.id)).toEqual([id]);
    expect((await ok(rt.call('GET', `/v1/evaluation/self-evaluations?year=${YEAR}`, { token: otherUnit }))).body.items).toEqual([]);
    expect((await ok(rt.call('GET', `/v1/evaluation/self-evaluations?year=${YEAR}`, { token: otherDepartment }))).body.items).toEqual([]);
  });
});

// ---------- 5. coverage ----------

describe('coverage', () => {
  const YEAR = 2030;
  const DEPARTMENT = 'D-COV';
  let d: Desk;
  beforeAll(async () => {
    d = await deskOf(DEPARTMENT, 'U-COV-01');
  });

  it('lists approved objects without a submitted self-evaluation by department; complete once all are submitted', async () => {
    const first = await evaluable(d, DEPARTMENT, YEAR, '覆盖率项目一');
    const second = await evaluable(d, DEPARTMENT, YEAR, '覆盖率项目二');
    const coverage = async (token = finance) => (await ok(rt.call('GET', `/v1/evaluation/coverage?year=${YEAR}`, { token }))).body;

    const before = await coverage();
    expect(before).toMatchObject({ fiscalYear: YEAR, approved: 2, submitted: 0, missing: 2, complete: false });
    expect(before.byDepartment).toEqual([
      {
        department: DEPARTMENT,
        approved: 2,
        submitted: 0,
        missing: expect.arrayContaining([
          { objectId: first.id, name: '覆盖率项目一', unit: 'U-COV-01' },
          { objectId: second.id, name: '覆盖率项目二', unit: 'U-COV-01' },
        ]),
      },
    ]);

    await submittedSelf(d, first);
    // A draft does not count.
    const draft = await startSelf(d.unit, second.id);
    const middle = await eventually(async () => {
      const c = await coverage();
      return c.submitted === 1 ? c : undefined;
    }, WAIT_MS);
    expect(middle).toMatchObject({ approved: 2, missing: 1, complete: false });
    expect(middle.byDepartment[0].missing).toEqual([{ objectId: second.id, name: '覆盖率项目二', unit: 'U-COV-01' }]);
    // The department sees its own coverage.
    expect(await coverage(d.department)).toMatchObject({ approved: 2, submitted: 1, complete: false });

    const filled = await patchSelf(d.unit, draft.body.id, etag(draft), { executedWan: 800, rows: atTargets(second.rows) });
    await ok(rt.call('POST', selfPath(draft.body.id, '/submit'), { token: d.unit, headers: { 'if-match': etag(filled) } }));
    const after = await eventually(async () => {
      const c = await coverage();
      return c.complete ? c : undefined;
    }, WAIT_MS);
    expect(after).toMatchObject({ approved: 2, submitted: 2, missing: 0, complete: true });
    expect(after.byDepartment).toEqual([{ department: DEPARTMENT, approved: 2, submitted: 2, missing: [] }]);
  });
});

// ---------- 6. review samples ----------

describe('review samples', () => {
  const YEAR = 2031;
  const DEPARTMENT = 'D-SMP';
  let d: Desk;
  beforeAll(async () => {
    d = await deskOf(DEPARTMENT, 'U-SMP-01');
  });

  it('records seed, population and drawn ids; the same seed over the same population draws the same ids; a drawn one is not drawn again', async () => {
    const submitted = [];
    for (const name of ['抽样项目一', '抽样项目二', '抽样项目三']) submitted.push((await submittedSelf(d, await evaluable(d, DEPARTMENT, YEAR, name))).body);
    const population = submitted.map((s) => ({ id: s.id as string, weight: s.execution.budgetWan as number }));
    // The self-evaluations list (a GSI) shows all three as submitted before the draw.
    await eventually(async () => {
      const list = await ok(rt.call('GET', `/v1/evaluation/self-evaluations?year=${YEAR}`, { token: finance }));
      return (list.body.items as { status: string }[]).filter((s) => s.status === 'submitted').length === 3 ? true : undefined;
    }, WAIT_MS);

    const seed = '2032年复核抽样-甲';
    const sample = await ok(rt.call('POST', '/v1/evaluation/review-samples', { token: finance, body: { fiscalYear: YEAR, size: 2, seed } }), 201);
    expect(sample.body).toMatchObject({ fiscalYear: YEAR, seed, size: 2, population: 3, createdBy: 'eval-finance-1' });
    const drawnIds = (sample.body.drawn as { selfEvaluationId: string }[]).map((x) => x.selfEvaluationId);
    expect(drawnIds).toEqual(drawSample(population, 2, seed));
    expect(drawnIds).toHaveLength(2);
    // Reproducible: the same seed and population again, in any order.
    expect(drawSample([...population].reverse(), 2, seed)).toEqual(drawnIds);
    expect((await ok(rt.call('GET', `/v1/evaluation/review-samples/${sample.body.id}`, { token: supervisor }))).body).toEqual(sample.body);
    expect((await rt.call('GET', `/v1/evaluation/review-samples/${sample.body.id}`, { token: d.department })).status).toBe(403);

    for (const id of drawnIds) expect((await ok(rt.call('GET', selfPath(id), { token: finance }))).body.sampleId).toBe(sample.body.id);
    const left = population.find((p) => !drawnIds.includes(p.id))!;
    await eventually(async () => {
      const list = await ok(rt.call('GET', `/v1/evaluation/self-evaluations?year=${YEAR}`, { token: finance }));
      return (list.body.items as { sampleId?: string }[]).filter((s) => s.sampleId).length === 2 ? true : undefined;
    }, WAIT_MS);
    const again = await ok(rt.call('POST', '/v1/evaluation/review-samples', { token: finance, body: { fiscalYear: YEAR, size: 2, seed } }), 201);
    expect(again.body).toMatchObject({ population: 1, drawn: [{ selfEvaluationId: left.id }] });
    expect(again.body.id).not.toBe(sample.body.id);

    expect((await rt.call('POST', '/v1/evaluation/review-samples', { token: d.department, body: { fiscalYear: YEAR, size: 1, seed } })).status).toBe(403);
  });
});

describe('the review assistant on submitted self-evaluations, and a sample drawn by risk', () => {
  const YEAR = 2033;
  const DEPARTMENT = 'D-RSK';
  let d: Desk;
  beforeAll(async () => {
    d = await deskOf(DEPARTMENT, 'U-RSK-01');
  });

  it('finds nothing in a table met at full execution, flags indicators ahead of 75 % execution, and draws the flagged one first', async () => {
    const clean = (await submittedSelf(d, await evaluable(d, DEPARTMENT, YEAR, '风险抽样项目一'))).body;
    // The second reaches every target with 600 of 800 万元 executed: indicators at 100 % lead 75 % by 25 points.
    const object = await evaluable(d, DEPARTMENT, YEAR, '风险抽样项目二');
    const started = await startSelf(d.unit, object.id);
    const filled = await patchSelf(d.unit, started.body.id, etag(started), { executedWan: 600, rows: atTargets(object.rows) });
    const ahead = (await ok(rt.call('POST', selfPath(started.body.id, '/submit'), { token: d.unit, headers: { 'if-match': etag(filled) } }))).body;

    const findingsOf = async (id: string) => (await ok(rt.call('GET', selfPath(id, '/review-findings'), { token: finance }))).body;
    expect((await findingsOf(clean.id)).findings).toEqual([]);
    const flagged = await findingsOf(ahead.id);
    expect(flagged).toMatchObject({ selfEvaluationId: ahead.id, objectId: object.id, fiscalYear: YEAR, execution: { rate: 0.75 } });
    expect(flagged.findings.map((f: { code: string }) => f.code)).toEqual(['score_ahead_of_execution']);
    expect((await rt.call('GET', selfPath(ahead.id, '/review-findings'), { token: supervisor })).status).toBe(403);

    await eventually(async () => {
      const list = await ok(rt.call('GET', `/v1/evaluation/self-evaluations?year=${YEAR}`, { token: finance }));
      return (list.body.items as { status: string }[]).filter((x) => x.status === 'submitted').length === 2 ? true : undefined;
    }, WAIT_MS);
    const sample = await ok(rt.call('POST', '/v1/evaluation/review-samples', { token: finance, body: { fiscalYear: YEAR, size: 1, seed: '2033年风险抽样', by: 'risk' } }), 201);
    expect(sample.body).toMatchObject({ by: 'risk', population: 2, drawn: [{ selfEvaluationId: ahead.id, risk: 'warning' }] });
  });

  it('lists the findings of the year by department: each submitted self-evaluation with its risk and counts, and risk=warning keeps the flagged one', async () => {
    const listed = await ok(rt.call('GET', `/v1/evaluation/review-findings?year=${YEAR}&department=${DEPARTMENT}`, { token: finance }));
    const byName = new Map((listed.body.items as { object: { name: string } }[]).map((i) => [i.object.name, i]));
    expect([...byName.keys()].sort()).toEqual(['风险抽样项目一', '风险抽样项目二']);
    expect(byName.get('风险抽样项目一')).toMatchObject({ risk: 'none', errors: 0, warnings: 0, findings: [], object: { department: DEPARTMENT, unit: 'U-RSK-01' } });
    expect(byName.get('风险抽样项目二')).toMatchObject({ risk: 'warning', errors: 0, warnings: 1, findings: [{ code: 'score_ahead_of_execution', severity: 'warning' }] });

    const flagged = await ok(rt.call('GET', `/v1/evaluation/review-findings?year=${YEAR}&risk=warning`, { token: finance }));
    expect(flagged.body.items.map((i: { object: { name: string } }) => i.object.name)).toEqual(['风险抽样项目二']);
    expect((await ok(rt.call('GET', `/v1/evaluation/review-findings?year=${YEAR}&risk=error`, { token: finance }))).body.items).toEqual([]);

    // One per page: the cursor walks both, and a department sees only its own.
    const first = await ok(rt.call('GET', `/v1/evaluation/review-findings?year=${YEAR}&department=${DEPARTMENT}&limit=1`, { token: d.department }));
    const second = await ok(rt.call('GET', `/v1/evaluation/review-findings?year=${YEAR}&department=${DEPARTMENT}&limit=1&cursor=${encodeURIComponent(first.body.nextCursor)}`, { token: d.department }));
    expect([...first.body.items, ...second.body.items].map((i: { object: { name: string } }) => i.object.name).sort()).toEqual(['风险抽样项目一', '风险抽样项目二']);
    expect((await rt.call('GET', `/v1/evaluation/review-findings?year=${YEAR}&department=D-OTHER`, { token: d.department })).status).toBe(403);
    const bad = await rt.call('GET', `/v1/evaluation/review-findings?year=${YEAR}&risk=high`, { token: finance });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(['query.risk']);
  });
});

// ---------- 7. key evaluations ----------

describe('key evaluations', () => {
  const YEAR = 2029;
  const DEPARTMENT = 'D-KEY';
  let d: Desk;
  beforeAll(async () => {
    d = await deskOf(DEPARTMENT, 'U-KEY-01');
  });

  const sheet = [
    { part: 'decision', name: '项目立项规范性', weight: 15, score: 12 },
    { part: 'process', name: '资金使用合规性', weight: 20, score: 16, explanation: '个别支出凭证不全' },
    { part: 'output', name: '建设任务完成率', weight: 35, score: 30 },
    { part: 'benefit', name: '粮食产能提升', weight: 30, score: 24.5 },
  ];

  it('finance evaluates on the 决策/过程/产出/效益 sheet: total and grade computed, EvaluationCompleted (key) on the timeline; the department answers with If-Match', async () => {
    const object = await evaluable(d, DEPARTMENT, YEAR, '重点评价项目');
    const body = {
      objectId: object.id,
      evaluatorType: 'third_party',
      evaluator: '某会计师事务所',
      rows: sheet,
      problems: ['绩效目标设置偏低', '部分资金支付滞后'],
      recommendations: ['细化年度绩效目标'],
      rectificationDueDate: '2030-06-30',
    };
    const created = await ok(rt.call('POST', '/v1/evaluation/key-evaluations', { token: finance, body }), 201);
    expect(created.body).toMatchObject({ total: 82.5, grade: 'good', evaluatorType: 'third_party', evaluator: '某会计师事务所', version: 1, rectificationDueDate: '2030-06-30', object: { id: object.id } });
    expect(created.body.rows.map((r: { id: string; part: string }) => [r.id, r.part])).toEqual([
      ['k1', 'decision'],
      ['k2', 'process'],
      ['k3', 'output'],
      ['k4', 'benefit'],
    ]);
    const keyId = created.body.id as string;
    const completed = await timelineEvent(object.id, 'EvaluationCompleted', (e) => e.data.kind === 'key');
    expect(completed.data).toMatchObject({ evaluationId: keyId, totalScore: 82.5, grade: 'good' });

    const read = await ok(rt.call('GET', `/v1/evaluation/key-evaluations/${keyId}`, { token: d.unit }));
    expect(etag(read)).toBe(etag(created));
    expect((await rt.call('POST', `/v1/evaluation/key-evaluations/${keyId}/feedback`, { token: d.department, body: { text: '已制定整改方案' } })).status).toBe(428);
    const otherDepartment = await rt.token({ role: 'department', department: 'D-ELSEWHERE', sub: 'd-elsewhere-reviewer' });
    expect((await rt.call('POST', `/v1/evaluation/key-evaluations/${keyId}/feedback`, { token: otherDepartment, headers: { 'if-match': etag(created) }, body: { text: '无' } })).status).toBe(403);
    const answered = await ok(rt.call('POST', `/v1/evaluation/key-evaluations/${keyId}/feedback`, { token: d.department, headers: { 'if-match': etag(created) }, body: { text: '已制定整改方案，2030年6月底前完成' } }));
    expect(answered.body).toMatchObject({ version: 2, feedback: { text: '已制定整改方案，2030年6月底前完成', by: 'd-key-reviewer' } });
    expect((await rt.call('POST', `/v1/evaluation/key-evaluations/${keyId}/feedback`, { token: d.department, headers: { 'if-match': etag(created) }, body: { text: '再次' } })).status).toBe(412);

    const listed = await ok(rt.call('GET', `/v1/evaluation/key-evaluations?year=${YEAR}`, { token: d.department }));
    expect(listed.body.items.map((k: { id: string }) => k.id)).toEqual([keyId]);
  });

  it('refuses a sheet whose output + benefit carry less than 60 % of the weight (400 naming the field); nothing is stored', async () => {
    const object = await evaluable(d, DEPARTMENT, YEAR, '重点评价权重不当项目');
    const lopsided = [
      { part: 'decision', name: '项目立项规范性', weight: 25, score: 20 },
      { part: 'process', name: '资金使用合规性', weight: 25, score: 20 },
      { part: 'output', name: '建设任务完成率', weight: 30, score: 25 },
      { part: 'benefit', name: '粮食产能提升', weight: 20, score: 15 },
    ];
    const r = await rt.call('POST', '/v1/evaluation/key-evaluations', {
      token: finance,
      body: { objectId: object.id, evaluatorType: 'finance', evaluator: '财政厅绩效处', rows: lopsided, problems: [], recommendations: [] },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(400);
    expect(fields(r)).toEqual(['body.outputBenefitShare']);
    expect(r.body.errors[0].message).toContain('50.00 %');
    const listed = await ok(rt.call('GET', `/v1/evaluation/key-evaluations?year=${YEAR}`, { token: finance }));
    expect(listed.body.items.map((k: { object: { id: string } }) => k.object.id)).not.toContain(object.id);
  });
});

describe('the review assistant (POST /v1/evaluation/review/analyze)', () => {
  const analyze = (body: unknown, token = finance) => rt.call('POST', '/v1/evaluation/review/analyze', { token, body });
  /** An execution row scored 10 of 10 at 76 % execution, and a printed total that adds up. */
  const printedTable = {
    fiscalYear: 2027,
    budget: { annualWan: 100, executedWan: 76, points: 10, publishedScore: 10 },
    rows: [
      { level1: '产出指标', level2: '数量指标', name: '培训人数', target: '≥1000人', actual: '1000人', weight: 50, publishedScore: 50 },
      { level1: '效益指标', name: '就业带动', target: '显著提升', actual: '显著提升', weight: 40, publishedScore: 40 },
    ],
    publishedTotal: 100,
  };

  it('scores what it can and names the findings', async () => {
    const r = await analyze(printedTable);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    // min(76 ÷ 100, 1) × 10 = 7.6; the indicators at 90 of 90 lead 76 % execution by 24 points.
    expect(r.body.execution).toMatchObject({ engineScore: 7.6, publishedScore: 10 });
    expect(r.body.findings.map((f: { code: string }) => f.code)).toEqual(['execution_score_above_rule', 'score_ahead_of_execution']);
    expect(r.body.rows.map((row: { engineScore: number | null }) => row.engineScore)).toEqual([50, null]);
  });

  it('is open to departments and units checking their own tables, not to supervisors', async () => {
    const { unit } = await deskOf('D-REV', 'U-REV-01');
    expect((await analyze(printedTable, unit)).status).toBe(200);
    expect((await analyze(printedTable, supervisor)).status).toBe(403);
  });

  it('answers an empty table with a 400 naming the rows', async () => {
    const r = await analyze({ rows: [] });
    expect(r.status).toBe(400);
    expect(fields(r)).toEqual(['body.rows']);
  });

  it('answers a malformed row with a 400 naming its field', async () => {
    const r = await analyze({ rows: [{ level1: '产出指标', name: '培训人数', target: '≥1000人', weight: '二十' }] });
    expect(r.status).toBe(400);
    expect(fields(r)).toEqual(['body.rows[0].weight']);
  });
});

// ---------- the People's Congress rates key evaluation reports ----------

describe("the People's Congress rates key evaluation reports, and the People's Congress report shows the ratings", () => {
  const YEAR = 2035;
  const DEPARTMENT = 'D-NPC';
  const NAME = '人大测评重点评价项目';
  let d: Desk;
  let congress: string;
  let congress2: string;
  let keyId: string;
  let unratedId: string;
  const ratingPath = (id: string) => `/v1/evaluation/key-evaluations/${id}/congress-rating`;
  const rate = (id: string, token: string, body: unknown) => rt.call('POST', ratingPath(id), { token, body });
  const sheet = [
    { part: 'decision', name: '项目立项规范性', weight: 15, score: 12 },
    { part: 'process', name: '资金使用合规性', weight: 20, score: 16 },
    { part: 'output', name: '建设任务完成率', weight: 35, score: 30 },
    { part: 'benefit', name: '粮食产能提升', weight: 30, score: 24.5 },
  ];

  beforeAll(async () => {
    d = await deskOf(DEPARTMENT, 'U-NPC-01');
    congress = await rt.token({ role: 'supervisor', supervisoryBody: 'congress', sub: 'npc-budget-committee-1' });
    congress2 = await rt.token({ role: 'supervisor', supervisoryBody: 'congress', sub: 'npc-budget-committee-2' });
    const object = await evaluable(d, DEPARTMENT, YEAR, NAME);
    const keyBody = { objectId: object.id, evaluatorType: 'third_party', evaluator: '某会计师事务所', rows: sheet, problems: ['资金支付滞后'], recommendations: ['细化绩效目标'] };
    keyId = (await ok(rt.call('POST', '/v1/evaluation/key-evaluations', { token: finance, body: keyBody }), 201)).body.id;
    // A second key evaluation report of the year that nobody rates.
    unratedId = (await ok(rt.call('POST', '/v1/evaluation/key-evaluations', { token: finance, body: { ...keyBody, evaluatorType: 'finance', evaluator: '财政厅绩效处' } }), 201)).body.id;
  }, 120_000);

  it('a People\'s Congress supervisor rates a report; a second rating by the same rater replaces theirs; GET shows every rating', async () => {
    const first = await ok(rate(keyId, congress, { satisfaction: 'basically_satisfied', comments: '问题分析可再深入', remarks: { process: '资金拨付进度应说明责任单位' } }));
    expect(first.body.congressRatings).toEqual([
      { satisfaction: 'basically_satisfied', satisfactionLabel: '基本满意', comments: '问题分析可再深入', remarks: { process: '资金拨付进度应说明责任单位' }, ratedBy: 'npc-budget-committee-1', ratedAt: expect.any(String) },
    ]);
    await ok(rate(keyId, congress2, { satisfaction: 'satisfied' }));
    const replaced = await ok(rate(keyId, congress, { satisfaction: 'dissatisfied', comments: '整改措施没有时间节点' }));
    expect(replaced.body.congressRatings.map((r: { ratedBy: string; satisfaction: string }) => [r.ratedBy, r.satisfaction])).toEqual([
      ['npc-budget-committee-2', 'satisfied'],
      ['npc-budget-committee-1', 'dissatisfied'],
    ]);
    expect(replaced.body).toMatchObject({ id: keyId, version: 1, total: 82.5, grade: 'good' });

    const read = await ok(rt.call('GET', `/v1/evaluation/key-evaluations/${keyId}`, { token: d.department }));
    expect(read.body.congressRatings).toEqual(replaced.body.congressRatings);
    expect((await ok(rt.call('GET', `/v1/evaluation/key-evaluations/${unratedId}`, { token: finance }))).body.congressRatings).toEqual([]);
  });

  it("the People's Congress report (JSON) shows each report with its ratings and the tally; the HTML prints them", async () => {
    const report = await eventually(async () => {
      const r = await rt.call('GET', `/v1/accountability/reports/congress/${YEAR}`, { token: congress });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      const rated = (r.body.keyEvaluations?.reports ?? []).find((k: { evaluationId: string }) => k.evaluationId === keyId);
      const done = r.body.keyEvaluations?.reports?.length === 2 && rated?.ratings.length === 2 && rated.ratings.some((x: { satisfaction: string }) => x.satisfaction === 'dissatisfied');
      return done ? r.body : undefined;
    }, WAIT_MS);
    const rated = report.keyEvaluations.reports.find((k: { evaluationId: string }) => k.evaluationId === keyId);
    expect(rated).toMatchObject({ objectName: NAME, department: DEPARTMENT, score: 82.5, grade: 'good', gradeLabel: '良' });
    expect(rated.ratings.map((r: { ratedBy: string; satisfaction: string; satisfactionLabel: string; comments?: string }) => [r.ratedBy, r.satisfaction, r.satisfactionLabel, r.comments])).toEqual([
      ['npc-budget-committee-2', 'satisfied', '满意', undefined],
      ['npc-budget-committee-1', 'dissatisfied', '不满意', '整改措施没有时间节点'],
    ]);
    expect(report.keyEvaluations.reports.find((k: { evaluationId: string }) => k.evaluationId === unratedId).ratings).toEqual([]);
    expect(report.keyEvaluations.tally).toEqual({ reports: 2, rated: 1, notRated: 1, ratings: 2, bySatisfaction: { satisfied: 1, basically_satisfied: 0, dissatisfied: 1 } });

    const html = await rt.call('GET', `/v1/accountability/reports/congress/${YEAR}/html`, { token: finance });
    expect(html.status).toBe(200);
    expect(html.body).toContain('重点绩效评价报告满意度测评');
    expect(html.body).toContain(`<td>${NAME}</td><td>${DEPARTMENT}</td><td>82.50</td><td>良</td><td>不满意</td><td class="text">整改措施没有时间节点</td>`);
    expect(html.body).toContain('<td>满意</td>');
    expect(html.body).toContain('<div class="stat" data-total="keyEvaluations.notRated"><span class="label">未测评</span><span class="value">1</span></div>');
  });

  it("only the People's Congress rates: audit, a supervisor without a body, finance and the department get 403, and nothing is recorded", async () => {
    const audit = await rt.token({ role: 'supervisor', supervisoryBody: 'audit', sub: 'audit-office-1' });
    const body = { satisfaction: 'satisfied' };
    for (const token of [audit, supervisor, finance, d.department, d.unit]) {
      const r = await rate(unratedId, token, body);
      expect(r.status, JSON.stringify(r.body)).toBe(403);
      expect(r.headers.get('content-type')).toBe('application/problem+json');
    }
    expect((await rate(unratedId, audit, body)).body.detail).toContain('supervisoryBody congress');
    expect((await ok(rt.call('GET', `/v1/evaluation/key-evaluations/${unratedId}`, { token: finance }))).body.congressRatings).toEqual([]);
  });

  it('an unknown evaluation is 404; an invalid body is 400 naming the field; dissatisfied needs comments', async () => {
    expect((await rate('key_unknown0000000000', congress, { satisfaction: 'satisfied' })).status).toBe(404);
    const bad = await rate(unratedId, congress, { satisfaction: 'very_satisfied' });
    expect(bad.status).toBe(400);
    expect(fields(bad)).toEqual(['body.satisfaction']);
    const missing = await rate(unratedId, congress, { comments: '无' });
    expect(missing.status).toBe(400);
    expect(fields(missing)).toEqual(['body.satisfaction']);
    const silent = await rate(unratedId, congress, { satisfaction: 'dissatisfied' });
    expect(silent.status).toBe(400);
    expect(fields(silent)).toEqual(['body.comments']);
    const aspect = await rate(unratedId, congress, { satisfaction: 'satisfied', remarks: { outcome: '无' } });
    expect(aspect.status).toBe(400);
    expect(fields(aspect)[0]).toMatch(/^body\.remarks/);
    expect((await ok(rt.call('GET', `/v1/evaluation/key-evaluations/${unratedId}`, { token: finance }))).body.congressRatings).toEqual([]);
  });
});

// ---------- rectification orders not carried out reach the budget (财预〔2020〕10号) ----------

describe('an object with a rectification order past its deadline is recommended a cut, whatever its grade', () => {
  const YEAR = 2037;
  const DEPARTMENT = 'D-RCT';
  const UNIT = 'U-RCT-01';
  let d: Desk;
  beforeAll(async () => {
    d = await deskOf(DEPARTMENT, UNIT);
  });

  /** A full accountability envelope from the event's example, about `object`. */
  async function rectificationEvent(detailType: 'RectificationOrdered' | 'RectificationOverdue', object: { id: string; name: string }, orderId: string, deadline: string) {
    const { examples } = await import('../../events/examples.ts');
    const detail = structuredClone(examples[detailType]) as any;
    detail.meta = { ...detail.meta, eventId: globalThis.crypto.randomUUID(), occurredAt: new Date().toISOString(), region: rt.regionCode, subject: { type: 'project', id: object.id } };
    detail.data = {
      ...detail.data,
      orderId,
      fiscalYear: YEAR,
      object: { id: object.id, type: 'project', name: object.name, fiscalYear: YEAR, region: rt.regionCode, department: DEPARTMENT, unit: UNIT },
      owner: { department: DEPARTMENT, unit: UNIT },
      deadline,
    };
    return { version: '0' as const, id: globalThis.crypto.randomUUID(), 'detail-type': detailType, source: 'jixiao.accountability', account: '000000000000', time: new Date().toISOString(), region: rt.awsRegion, resources: [], detail };
  }

  it('one order overdue and one still open: BudgetAdjustmentRecommended is a 10 % cut (the default) with the counts, not the grade’s recommendation', async () => {
    const name = '2037年高标准农田建设项目(整改未到位)';
    const object = await evaluable(d, DEPARTMENT, YEAR, name);
    // Accountability ordered two rectifications: one went past its deadline (escalated), one is still within it.
    const late = `rect_${object.id.slice(-12)}late`;
    const open = `rect_${object.id.slice(-12)}open`;
    await rt.bus.publish([await rectificationEvent('RectificationOrdered', { id: object.id, name }, late, '2025-01-31'), await rectificationEvent('RectificationOrdered', { id: object.id, name }, open, '2099-12-31')]);
    await rt.bus.publish([await rectificationEvent('RectificationOverdue', { id: object.id, name }, late, '2025-01-31')]);
    await rt.settle(WAIT_MS); // the orders have reached evaluation's rectifications consumer

    // Every row at its target, full execution: graded well, which alone would not cut.
    const submitted = await submittedSelf(d, object);
    const grade = submitted.body.result.grade as string;
    expect(['excellent', 'good']).toContain(grade);

    const adjustment = await timelineEvent(object.id, 'BudgetAdjustmentRecommended', (e) => e.data.kind === 'self');
    expect(adjustment.data).toMatchObject({
      grade,
      recommendation: 'cut',
      proposedAdjustment: -0.1,
      currentAmountWan: 800,
      proposedAmountWan: 720,
      rectification: { orders: 2, open: 1, overdue: 1, closedOnTime: 0, closedLate: 0 },
    });
    expect(adjustment.data.reason).toContain('1 rectification order not rectified: cut 10 %');
  });
});

// ---------- 10. the maintained views ----------

describe('the maintained views after everything above', () => {
  const YEARS = [2026, 2028, 2029, 2030, 2031, 2033, 2035, 2037];
  const verify = async (year: number) => (await ok(rt.call('GET', `/v1/evaluation/views/verify?year=${year}`, { token: finance }))).body.items[0];

  it('point from the coverage summary to the full missing list, which pages through every missing object', async () => {
    // Objects the specs above approved but never self-evaluated (2029: the key-evaluation objects).
    const summary = await ok(rt.call('GET', '/v1/evaluation/coverage?year=2029', { token: finance }));
    expect(summary.headers.get('link')).toBe('</v1/evaluation/coverage/missing?year=2029>; rel="missing"');
    const listed = summary.body.byDepartment.flatMap((d: { department: string; missing: object[] }) => d.missing.map((m) => ({ ...m, department: d.department })));
    expect(listed.length).toBeGreaterThan(0);
    const paged: object[] = [];
    let cursor: string | undefined;
    do {
      const page = (await ok(rt.call('GET', `/v1/evaluation/coverage/missing?year=2029&limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token: finance }))).body;
      paged.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(paged).toEqual(listed);
  });

  it('are consistent with their sources for every year the specs above used', async () => {
    await rt.settle(WAIT_MS);
    for (const year of YEARS) expect(await verify(year), `year ${year}`).toMatchObject({ view: 'coverage', fiscalYear: year, consistent: true, differences: [] });
  });

  it('find a group count changed behind their back, name it, and rebuild it from the sources', async () => {
    const YEAR = 2030;
    const before = (await ok(rt.call('GET', `/v1/evaluation/coverage?year=${YEAR}`, { token: finance }))).body;
    const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: rt.dynamodbEndpoint, region: rt.awsRegion, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }));
    await doc.send(new UpdateCommand({ TableName: rt.tables.evaluation, Key: { pk: `VIEW#coverage#${rt.regionCode}#${YEAR}`, sk: 'G#D-COV' }, UpdateExpression: 'ADD n_submitted :five', ExpressionAttributeValues: { ':five': 5 } }));
    doc.destroy();

    const corrupted = await verify(YEAR);
    expect(corrupted.consistent).toBe(false);
    expect(corrupted.differences).toEqual([`group D-COV: submitted is ${before.submitted + 5}, the sources give ${before.submitted}`]);
    const rebuilt = (await ok(rt.call('POST', '/v1/evaluation/views/rebuild', { token: finance, body: { fiscalYear: YEAR } }))).body.items[0];
    expect(rebuilt).toMatchObject({ view: 'coverage', consistent: true, differences: [] });
    expect((await ok(rt.call('GET', `/v1/evaluation/coverage?year=${YEAR}`, { token: finance }))).body).toEqual(before);
    expect((await rt.call('POST', '/v1/evaluation/views/rebuild', { token: supervisor, body: { fiscalYear: YEAR } })).status).toBe(403);
  });
});
