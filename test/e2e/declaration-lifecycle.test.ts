/**
 * The declaration lifecycle beyond the first approval, over HTTP on the local runtime: mid-year
 * revision of approved targets, the results gate (a continuing object whose predecessor was
 * graded 差 needs finance's decision), target rows taken from the indicator library and its
 * historical standard, the region-year rule parameters, transfer payments with regional targets,
 * ex-ante assessment overrides and renewal thresholds, and the eight real published target tables.
 *
 * Evaluations come from a service not built yet: EvaluationCompleted is injected on the local bus.
 * Each describe declares for its own unit, so no test sees another's objects.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultRules } from '../../services/declaration/domain/rules.ts';
import { checkTargets, passes } from '../../services/declaration/domain/target-check.ts';
import type { FixtureTable } from '../../scripts/convert-real-target-tables.ts';
import { projectBody, standardRows } from '../support/declaration.ts';
import { bootRuntime, eventually, type ApiResponse, type TestRuntime } from '../support/runtime.ts';

let rt: TestRuntime;
let finance: string;
let supervisor: string;

beforeAll(async () => {
  rt = await bootRuntime();
  finance = await rt.token({ role: 'finance', sub: 'finance-reviewer-1' });
  supervisor = await rt.token({ role: 'supervisor', sub: 'npc-1' });
});
afterAll(async () => rt?.stop());

const REGION = '360000';
/** Cross-service effects (bus delivery, consumers starting up) get this long. */
const WAIT_MS = 20_000;
const YEAR = 2027;

const goodRows = standardRows;
const goal = { mediumTerm: '三年新建高标准农田1.5万亩', annual: '新建高标准农田5000亩，年增粮食产能350吨' };
const goodTargets = { overallGoal: goal, rows: goodRows };

const project = (year: number = YEAR, overrides: Record<string, unknown> = {}) => projectBody(year, overrides);

/** A unit and its competent department: each describe declares for its own. */
interface Desk {
  unit: string;
  department: string;
  unitCode: string;
  departmentCode: string;
}

async function desk(departmentCode: string, unitCode: string): Promise<Desk> {
  return {
    unit: await rt.token({ role: 'unit', department: departmentCode, unit: unitCode, sub: `${unitCode.toLowerCase()}-clerk` }),
    department: await rt.token({ role: 'department', department: departmentCode, sub: `${departmentCode.toLowerCase()}-reviewer` }),
    unitCode,
    departmentCode,
  };
}

const etag = (r: { headers: Headers }) => r.headers.get('etag') as string;
const objectPath = (id: string, rest = '') => `/v1/declaration/objects/${id}${rest}`;
const fields = (r: ApiResponse) => (r.body.errors ?? []).map((e: { field: string }) => e.field);

async function declare(d: Desk, body: Record<string, unknown> = project()) {
  const r = await rt.call('POST', '/v1/declaration/objects', { token: d.unit, body });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r;
}

async function putTargets(d: Desk, id: string, tag: string, targets: Record<string, unknown>) {
  const r = await rt.call('PUT', objectPath(id, '/targets'), { token: d.unit, headers: { 'if-match': tag }, body: targets });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r;
}

async function post(path: string, token: string, tag: string, body?: unknown) {
  return rt.call('POST', path, { token, headers: { 'if-match': tag }, ...(body !== undefined ? { body } : {}) });
}

async function get(path: string, token: string) {
  const r = await rt.call('GET', path, { token });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r;
}

/** Declares, writes the targets and submits: the object waits for the department. */
async function submitted(d: Desk, body: Record<string, unknown> = project(), targets: Record<string, unknown> = goodTargets) {
  const created = await declare(d, body);
  const id = created.body.id as string;
  const t = await putTargets(d, id, etag(created), targets);
  const s = await post(objectPath(id, '/submit'), d.unit, etag(t));
  expect(s.status, JSON.stringify(s.body)).toBe(200);
  expect(s.body.status, JSON.stringify(s.body.lastRejection)).toBe('department_review');
  return { id, tag: etag(s) };
}

/** Submitted and passed by the department: the object waits for finance. */
async function withFinance(d: Desk, body: Record<string, unknown> = project(), targets: Record<string, unknown> = goodTargets) {
  const { id, tag } = await submitted(d, body, targets);
  const r = await post(objectPath(id, '/reviews'), d.department, tag, { grade: 'good', comments: '按意见细化满意度指标' });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  expect(r.body.status).toBe('finance_review');
  return { id, tag: etag(r) };
}

/** Through both reviews into the library. */
async function approved(d: Desk, body: Record<string, unknown> = project(), targets: Record<string, unknown> = goodTargets) {
  const { id, tag } = await withFinance(d, body, targets);
  const f = await post(objectPath(id, '/reviews'), finance, tag, { grade: 'excellent' });
  expect(f.status, JSON.stringify(f.body)).toBe(200);
  expect(f.body.status).toBe('approved');
  return { id, tag: etag(f), object: f.body };
}

interface TimelineItem {
  detailType: string;
  data: any;
}

/** Waits until the accountability timeline of `id` holds an event of this type (and matching `match`). */
async function timelineEvent(id: string, detailType: string, match: (e: TimelineItem) => boolean = () => true): Promise<TimelineItem> {
  return eventually(async () => {
    const r = await rt.call('GET', `/v1/accountability/timeline/${id}`, { token: supervisor });
    return ((r.body.items ?? []) as TimelineItem[]).find((e) => e.detailType === detailType && match(e));
  }, WAIT_MS);
}

// ---------- EvaluationCompleted from the evaluation service (not built yet) ----------

const evaluationExample = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'events', 'examples', 'EvaluationCompleted.v1.json'), 'utf8'));

interface EvaluationOf {
  objectId: string;
  fiscalYear: number;
  grade: 'excellent' | 'good' | 'fair' | 'poor';
  kind?: 'self' | 'finance_review' | 'key';
  completedAt?: string;
  indicatorResults?: unknown[];
}

function evaluationCompleted(e: EvaluationOf) {
  const detail = structuredClone(evaluationExample);
  detail.meta.eventId = randomUUID();
  detail.meta.occurredAt = new Date().toISOString();
  detail.meta.subject = { type: 'project', id: e.objectId };
  detail.data.evaluationId = `evl_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  detail.data.kind = e.kind ?? 'finance_review';
  detail.data.object = { ...detail.data.object, id: e.objectId, type: 'project', fiscalYear: e.fiscalYear };
  detail.data.grade = e.grade;
  detail.data.totalScore = { excellent: 93, good: 85, fair: 70, poor: 52 }[e.grade];
  detail.data.completedAt = e.completedAt ?? new Date().toISOString();
  if (e.indicatorResults) detail.data.indicatorResults = e.indicatorResults;
  return {
    version: '0' as const,
    id: randomUUID(),
    'detail-type': 'EvaluationCompleted',
    source: 'jixiao.evaluation',
    account: '000000000000',
    time: new Date().toISOString(),
    region: rt.awsRegion,
    resources: [],
    detail,
  };
}

// ---------- 1. mid-year revision ----------

describe('mid-year revision of approved targets', () => {
  let d: Desk;
  beforeAll(async () => {
    d = await desk('D-REV', 'U-REV-01');
  });

  it('revises targets and money together through department and finance review: TargetRevised on the timeline with the amounts before, versions 1 and 2, version 1 unchanged, row ids kept', async () => {
    const a = await approved(d);
    expect(a.object.amounts).toEqual({ mediumTermTotalWan: 2400, annualTotalWan: 800, fiscalWan: 760, otherWan: 40 });
    const approvedTargets = await get(objectPath(a.id, '/targets'), d.unit);
    const originalRows = approvedTargets.body.rows as { rowId: string; name: string; value: unknown }[];

    // The unit sends the rows back with their ids, lowers one value and adds a row.
    const revisedRows = [
      ...originalRows.map((r) => (r.name === '新建高标准农田面积' ? { ...r, value: 4200, explanation: '受汛期影响，建设面积调减' } : r)),
      { level1: 'benefit', level2: 'social_benefit', name: '受益农户数', operator: 'gte', value: 1200, unit: '户' },
    ];
    const revisedGoal = { ...goal, annual: '新建高标准农田4200亩，年增粮食产能350吨' };
    const reason = '汛期延误施工，调减年度建设面积';
    // 800 万元 (760 fiscal + 40 other) down to 700: the 100 万元 of fiscal funds the smaller area no longer needs.
    const amountChange = { amounts: { mediumTermTotalWan: 2400, annualTotalWan: 700, fiscalWan: 660, otherWan: 40 }, reason: '建设面积调减，相应调减年度财政资金100万元' };
    const r = await post(objectPath(a.id, '/revisions'), d.unit, a.tag, { targets: { overallGoal: revisedGoal, rows: revisedRows }, reason, amountChange });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ status: 'approved', targetVersion: 1, revisions: 1, revision: { number: 1, stage: 'department_review', reason, amountChange, submittedBy: 'u-rev-01-clerk' } });

    // While the revision is reviewed, the approved targets and amounts stand; the proposal is readable.
    expect(r.body.amounts).toEqual(a.object.amounts);
    expect((await get(objectPath(a.id, '/targets'), d.unit)).body.rows).toEqual(originalRows);
    const proposal = await get(objectPath(a.id, '/revisions/current'), d.department);
    expect(proposal.body.rows).toHaveLength(6);

    const dr = await post(objectPath(a.id, '/reviews'), d.department, etag(r), { grade: 'good', comments: '按意见细化满意度指标' });
    expect(dr.status, JSON.stringify(dr.body)).toBe(200);
    expect(dr.body).toMatchObject({ status: 'approved', targetVersion: 1, revision: { number: 1, stage: 'finance_review' } });
    const fr = await post(objectPath(a.id, '/reviews'), finance, etag(dr), { grade: 'excellent', comments: '同意调整' });
    expect(fr.status, JSON.stringify(fr.body)).toBe(200);
    expect(fr.body).toMatchObject({ status: 'approved', targetVersion: 2, revisions: 1, amounts: amountChange.amounts });
    expect(fr.body.revision).toBeUndefined();

    const revised = await timelineEvent(a.id, 'TargetRevised');
    expect(revised.data).toMatchObject({
      previousTargetVersion: 1,
      reason,
      snapshot: { targetVersion: 2, overallGoal: revisedGoal, amounts: amountChange.amounts },
      amountChange: { previousAmounts: a.object.amounts, reason: amountChange.reason },
    });

    const versions = await get(objectPath(a.id, '/targets/versions'), d.unit);
    expect(versions.body.items.map((v: { targetVersion: number }) => v.targetVersion)).toEqual([1, 2]);
    const v1 = await get(objectPath(a.id, '/targets/versions/1'), d.unit);
    expect(v1.body).toMatchObject({ targetVersion: 1, overallGoal: goal, amounts: a.object.amounts });
    expect(v1.body.rows).toEqual(originalRows);
    const v2 = await get(objectPath(a.id, '/targets/versions/2'), d.unit);
    expect(v2.body.amounts).toEqual(amountChange.amounts);
    expect(v2.body.reviews).toEqual([
      expect.objectContaining({ stage: 'department', grade: 'good', by: 'd-rev-reviewer' }),
      expect.objectContaining({ stage: 'finance', grade: 'excellent', by: 'finance-reviewer-1', comments: '同意调整' }),
    ]);

    const now = await get(objectPath(a.id, '/targets'), d.unit);
    expect(now.body.overallGoal).toEqual(revisedGoal);
    expect(now.body.rows.slice(0, 5).map((row: { rowId: string }) => row.rowId)).toEqual(originalRows.map((row) => row.rowId));
    expect(now.body.rows[0]).toMatchObject({ name: '新建高标准农田面积', value: 4200, explanation: '受汛期影响，建设面积调减' });
    expect(now.body.rows[5]).toMatchObject({ name: '受益农户数', rowId: expect.stringMatching(/^r_/) });
    expect(originalRows.map((row) => row.rowId)).not.toContain(now.body.rows[5].rowId);
    expect(now.body.rows).toEqual(v2.body.rows);
  });

  it('checks the revised targets against the new amount: a 750 万元 cost fits 800 but not the 700 proposed (422 cost_exceeds_amount); nothing changes', async () => {
    const a = await approved(d);
    const rows = [...goodRows, { level1: 'cost', level2: 'economic_cost', name: '项目建设总成本', operator: 'lte', value: 750, unit: '万元' }];
    const amountChange = { amounts: { mediumTermTotalWan: 2400, annualTotalWan: 700, fiscalWan: 660, otherWan: 40 }, reason: '调减年度财政资金' };
    const r = await post(objectPath(a.id, '/revisions'), d.unit, a.tag, { targets: { overallGoal: goal, rows }, reason: '调整成本', amountChange });
    expect(r.status, JSON.stringify(r.body)).toBe(422);
    expect(r.body.findings.map((f: { code: string; row?: number }) => [f.code, f.row])).toEqual([['cost_exceeds_amount', goodRows.length]]);
    expect((await get(objectPath(a.id), d.unit)).body).toMatchObject({ version: a.object.version, revisions: 0, amounts: a.object.amounts });

    const sameMoney = await post(objectPath(a.id, '/revisions'), d.unit, a.tag, { targets: { overallGoal: goal, rows }, reason: '调整成本' });
    expect(sameMoney.status, JSON.stringify(sameMoney.body)).toBe(200);
  });

  it('refuses new amounts that do not add up (400 naming body.amountChange.amounts.annualTotalWan); nothing changes', async () => {
    const a = await approved(d);
    const amountChange = { amounts: { annualTotalWan: 900, fiscalWan: 760, otherWan: 40 }, reason: '追加资金' };
    const r = await post(objectPath(a.id, '/revisions'), d.unit, a.tag, { targets: goodTargets, reason: '追加任务', amountChange });
    expect(r.status, JSON.stringify(r.body)).toBe(400);
    expect(fields(r)).toEqual(['body.amountChange.amounts.annualTotalWan']);
    expect((await get(objectPath(a.id), d.unit)).body).toMatchObject({ version: a.object.version, revisions: 0 });
  });

  it('refuses a revision whose targets fail the check with 422 and every finding; nothing changes', async () => {
    const a = await approved(d);
    const before = await get(objectPath(a.id), d.unit);
    const noSatisfaction = goodRows.filter((r) => r.level1 !== 'satisfaction').map((r, i) => (i === 0 ? { ...r, unit: '' } : r));
    const r = await post(objectPath(a.id, '/revisions'), d.unit, a.tag, { targets: { overallGoal: goal, rows: noSatisfaction }, reason: '调整指标' });
    expect(r.status, JSON.stringify(r.body)).toBe(422);
    expect(r.body.type).toMatch(/revision-fails-check$/);
    expect(r.body.findings.map((f: { code: string }) => f.code).sort()).toEqual(['category_missing', 'unit_missing']);
    expect(r.body.findings.find((f: { code: string }) => f.code === 'unit_missing')).toMatchObject({ row: 0, severity: 'error' });
    expect(fields(r).sort()).toEqual(['body.targets', 'body.targets.rows[0]']);

    const after = await get(objectPath(a.id), d.unit);
    expect(after.body.version).toBe(before.body.version);
    expect(etag(after)).toBe(a.tag);
    expect(after.body).toMatchObject({ status: 'approved', revisions: 0, targetVersion: 1 });
    expect(after.body.revision).toBeUndefined();
    expect((await rt.call('GET', objectPath(a.id, '/revisions/current'), { token: d.unit })).status).toBe(404);
  });

  it('discards a revision graded 中: the approved targets stand and TargetRejected carries the revision number', async () => {
    const a = await approved(d);
    const original = await get(objectPath(a.id, '/targets'), d.unit);
    const rows = (original.body.rows as { name: string }[]).map((r) => (r.name === '受益群众满意度' ? { ...r, value: 80 } : r));
    const r = await post(objectPath(a.id, '/revisions'), d.unit, a.tag, { targets: { overallGoal: goal, rows }, reason: '调低满意度目标' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);

    const fair = await post(objectPath(a.id, '/reviews'), d.department, etag(r), { grade: 'fair', comments: '调低满意度目标的理由不充分' });
    expect(fair.status, JSON.stringify(fair.body)).toBe(200);
    expect(fair.body).toMatchObject({ status: 'approved', targetVersion: 1, revisions: 1 });
    expect(fair.body.revision).toBeUndefined();

    expect((await get(objectPath(a.id, '/targets'), d.unit)).body.rows).toEqual(original.body.rows);
    expect((await rt.call('GET', objectPath(a.id, '/revisions/current'), { token: d.unit })).status).toBe(404);
    const versions = await get(objectPath(a.id, '/targets/versions'), d.unit);
    expect(versions.body.items.map((v: { targetVersion: number }) => v.targetVersion)).toEqual([1]);

    const rejected = await timelineEvent(a.id, 'TargetRejected');
    expect(rejected.data).toMatchObject({ revision: 1, stage: 'department_review', outcome: 'returned', grade: 'fair' });
    expect(rejected.data.reasons[0].message).toContain('调低满意度目标的理由不充分');
  });
});

// ---------- 2. results gate ----------

describe('results gate: a continuing object whose predecessor was graded 差', () => {
  const PREVIOUS = 2026;
  let d: Desk;
  let poorId: string;

  /** Asks for a cut without the new amount: 400 once the gate applies, 409 while it does not. */
  const probe = async (id: string) => {
    const current = await get(objectPath(id), finance);
    return post(objectPath(id, '/results-decision'), finance, etag(current), { decision: 'cut', reason: '探测' });
  };

  beforeAll(async () => {
    d = await desk('D-GATE', 'U-GATE-01');
    poorId = (await approved(d, project(PREVIOUS))).id;
    await rt.bus.publish([evaluationCompleted({ objectId: poorId, fiscalYear: PREVIOUS, grade: 'poor' })]);
    // A draft continuing the graded object shows when the declaration service has recorded the evaluation.
    const draft = (await declare(d, project(YEAR, { name: '结果门探测', continues: poorId }))).body.id as string;
    await eventually(async () => ((await probe(draft)).status === 400 ? true : undefined), WAIT_MS);
  });

  it('blocks approval with 409 results-decision-required; after finance keeps it with a reason, approval succeeds and the snapshot carries the decision', async () => {
    const b = await withFinance(d, project(YEAR, { continues: poorId }));
    const blocked = await post(objectPath(b.id, '/reviews'), finance, b.tag, { grade: 'good', comments: '按意见细化满意度指标' });
    expect(blocked.status, JSON.stringify(blocked.body)).toBe(409);
    expect(blocked.body.type).toMatch(/results-decision-required$/);
    expect((await get(objectPath(b.id), finance)).body).toMatchObject({ status: 'finance_review' });

    const reason = '问题已整改到位，保留原预算';
    const keep = await post(objectPath(b.id, '/results-decision'), finance, b.tag, { decision: 'keep', reason });
    expect(keep.status, JSON.stringify(keep.body)).toBe(200);
    expect(keep.body).toMatchObject({ status: 'finance_review', resultsDecision: { decision: 'keep', reason, previousGrade: 'poor', decidedBy: 'finance-reviewer-1' } });
    expect(keep.body.amounts).toEqual(project().amounts);

    const f = await post(objectPath(b.id, '/reviews'), finance, etag(keep), { grade: 'good', comments: '按意见细化满意度指标' });
    expect(f.status, JSON.stringify(f.body)).toBe(200);
    expect(f.body.status).toBe('approved');
    const snapshot = await get(objectPath(b.id, '/targets/versions/1'), d.unit);
    expect(snapshot.body.resultsDecision).toEqual({ decision: 'keep', reason, previousGrade: 'poor' });
    const approvedEvent = await timelineEvent(b.id, 'TargetApproved');
    expect(approvedEvent.data.snapshot.resultsDecision).toEqual({ decision: 'keep', reason, previousGrade: 'poor' });
  });

  it('cuts: needs the new annual total, lowers annual total and fiscal funds, returns the targets for adjustment; the amount cannot go back up; the snapshot has the lower amounts', async () => {
    const b = await withFinance(d, project(YEAR, { name: '削减项目', continues: poorId }));
    const missing = await post(objectPath(b.id, '/results-decision'), finance, b.tag, { decision: 'cut', reason: '上年评价为差' });
    expect(missing.status).toBe(400);
    expect(fields(missing)).toEqual(['body.annualTotalWan']);
    const notLower = await post(objectPath(b.id, '/results-decision'), finance, b.tag, { decision: 'cut', reason: '上年评价为差', annualTotalWan: 800 });
    expect(notLower.status).toBe(400);
    expect(fields(notLower)).toEqual(['body.annualTotalWan']);

    const reason = '上年评价为差，压减20%';
    const cut = await post(objectPath(b.id, '/results-decision'), finance, b.tag, { decision: 'cut', reason, annualTotalWan: 640 });
    expect(cut.status, JSON.stringify(cut.body)).toBe(200);
    expect(cut.body.amounts).toEqual({ mediumTermTotalWan: 2400, annualTotalWan: 640, fiscalWan: 600, otherWan: 40 });
    expect(cut.body).toMatchObject({
      status: 'returned',
      resultsDecision: { decision: 'cut', previousGrade: 'poor', previousAnnualTotalWan: 800 },
      lastRejection: { stage: 'results_gate', outcome: 'returned' },
    });
    const again = await post(objectPath(b.id, '/results-decision'), finance, etag(cut), { decision: 'keep', reason: '改为保留' });
    expect(again.status).toBe(409);

    // The unit may not put the money back; it adjusts the targets to the new amount and resubmits.
    const raise = await rt.call('PATCH', objectPath(b.id), { token: d.unit, headers: { 'if-match': etag(cut) }, body: { amounts: project().amounts } });
    expect(raise.status).toBe(400);
    expect(fields(raise)).toEqual(['body.amounts.annualTotalWan']);
    const adjusted = await putTargets(d, b.id, etag(cut), { overallGoal: { ...goal, annual: '新建高标准农田4000亩' }, rows: goodRows.map((r, i) => (i === 0 ? { ...r, value: 4000 } : r)) });
    const s2 = await post(objectPath(b.id, '/submit'), d.unit, etag(adjusted));
    expect(s2.body.status, JSON.stringify(s2.body.lastRejection)).toBe('department_review');
    const d2 = await post(objectPath(b.id, '/reviews'), d.department, etag(s2), { grade: 'good', comments: '按意见细化满意度指标' });
    const f = await post(objectPath(b.id, '/reviews'), finance, etag(d2), { grade: 'good', comments: '按意见细化满意度指标' });
    expect(f.status, JSON.stringify(f.body)).toBe(200);
    expect(f.body.status).toBe('approved');
    const snapshot = await get(objectPath(b.id, '/targets/versions/1'), d.unit);
    expect(snapshot.body.amounts).toMatchObject({ annualTotalWan: 640, fiscalWan: 600 });
    expect(snapshot.body.resultsDecision).toEqual({ decision: 'cut', reason, previousGrade: 'poor' });
    expect(snapshot.body.rows[0]).toMatchObject({ value: 4000 });
  });

  it('cancels: the object is cancelled, TargetRejected at stage results_gate reaches the timeline, and it cannot be approved', async () => {
    const b = await withFinance(d, project(YEAR, { name: '取消项目', continues: poorId }));
    const cancel = await post(objectPath(b.id, '/results-decision'), finance, b.tag, { decision: 'cancel', reason: '连续两年绩效差，取消' });
    expect(cancel.status, JSON.stringify(cancel.body)).toBe(200);
    expect(cancel.body).toMatchObject({ status: 'cancelled', resultsDecision: { decision: 'cancel' }, lastRejection: { stage: 'results_gate', outcome: 'rejected' } });

    const rejected = await timelineEvent(b.id, 'TargetRejected');
    expect(rejected.data).toMatchObject({ stage: 'results_gate', outcome: 'rejected', reasons: [expect.objectContaining({ code: 'results_gate' })] });
    expect((await post(objectPath(b.id, '/reviews'), finance, etag(cancel), { grade: 'good', comments: '按意见细化满意度指标' })).status).toBe(409);
    const library = await get(`/v1/declaration/library?year=${YEAR}`, finance);
    expect(library.body.items.map((o: { id: string }) => o.id)).not.toContain(b.id);
  });

  it('needs no decision when the predecessor was graded good: the finance review 良 overrides the self-evaluation 差, and a decision is 409 invalid-state', async () => {
    const previous = await approved(d, project(PREVIOUS, { name: '评价良好的上年项目' }));
    const b = await withFinance(d, project(YEAR, { name: '延续评价良好的项目', continues: previous.id }));
    await rt.bus.publish([evaluationCompleted({ objectId: previous.id, fiscalYear: PREVIOUS, grade: 'poor', kind: 'self' })]);
    await eventually(async () => ((await probe(b.id)).status === 400 ? true : undefined), WAIT_MS);
    await rt.bus.publish([evaluationCompleted({ objectId: previous.id, fiscalYear: PREVIOUS, grade: 'good', kind: 'finance_review' })]);
    await eventually(async () => ((await probe(b.id)).status === 409 ? true : undefined), WAIT_MS);

    const keep = await post(objectPath(b.id, '/results-decision'), finance, b.tag, { decision: 'keep', reason: '无需' });
    expect(keep.status).toBe(409);
    expect(keep.body.type).toMatch(/invalid-state$/);
    const f = await post(objectPath(b.id, '/reviews'), finance, b.tag, { grade: 'good', comments: '按意见细化满意度指标' });
    expect(f.status, JSON.stringify(f.body)).toBe(200);
    expect(f.body.status).toBe('approved');
    expect((await get(objectPath(b.id, '/targets/versions/1'), d.unit)).body.resultsDecision).toBeUndefined();
  });
});

describe('results gate: a continuing object whose predecessor graded 良 left a rectification order overdue', () => {
  const PREVIOUS = 2026;
  let d: Desk;
  let goodId: string;

  /** An accountability event about `objectId`, from the example with the order's id and deadline. */
  function rectificationEvent(detailType: 'RectificationOrdered' | 'RectificationOverdue', objectId: string, orderId: string) {
    const detail = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'events', 'examples', `${detailType}.v1.json`), 'utf8'));
    detail.meta.eventId = randomUUID();
    detail.meta.occurredAt = new Date().toISOString();
    detail.meta.subject = { type: 'rectification', id: orderId };
    detail.data.orderId = orderId;
    detail.data.deadline = '2027-03-31';
    detail.data.object = { ...detail.data.object, id: objectId, fiscalYear: PREVIOUS };
    return { version: '0' as const, id: randomUUID(), 'detail-type': detailType, source: 'jixiao.accountability', account: '000000000000', time: new Date().toISOString(), region: rt.awsRegion, resources: [], detail };
  }

  beforeAll(async () => {
    d = await desk('D-RECT', 'U-RECT-01');
    goodId = (await approved(d, project(PREVIOUS, { name: '整改未完成的上年项目' }))).id;
    const orderId = `rect_${randomUUID().replaceAll('-', '').slice(0, 20)}`;
    await rt.bus.publish([
      evaluationCompleted({ objectId: goodId, fiscalYear: PREVIOUS, grade: 'good' }),
      rectificationEvent('RectificationOrdered', goodId, orderId),
      rectificationEvent('RectificationOverdue', goodId, orderId),
    ]);
    await rt.settle();
  });

  it('blocks approval until finance decides, and the decision records the unrectified order (before, a 良 predecessor passed)', async () => {
    const b = await withFinance(d, project(YEAR, { name: '整改未完成的延续项目', continues: goodId }));
    const blocked = await post(objectPath(b.id, '/reviews'), finance, b.tag, { grade: 'good', comments: '按意见细化满意度指标' });
    expect(blocked.status, JSON.stringify(blocked.body)).toBe(409);
    expect(blocked.body.type).toMatch(/results-decision-required$/);
    expect(blocked.body.detail).toMatch(/1 rectification order\(s\) not rectified/);
    const cut = await post(objectPath(b.id, '/results-decision'), finance, b.tag, { decision: 'cut', reason: '上年整改逾期未完成，相应调减预算', annualTotalWan: 720 });
    expect(cut.status, JSON.stringify(cut.body)).toBe(200);
    expect(cut.body.resultsDecision).toMatchObject({ decision: 'cut', previousGrade: 'good', unrectified: 1, previousAnnualTotalWan: 800 });
  });
});

// ---------- 3. rows from the indicator library ----------

describe('target rows from the indicator library', () => {
  let d: Desk;
  beforeAll(async () => {
    d = await desk('D-LIB', 'U-LIB-01');
  });

  async function publishedIndicator(name: string) {
    const c = await rt.call('POST', '/v1/indicators', {
      token: finance,
      body: { name, level1: 'output', level2: 'quantity', operator: 'gte', unit: '亩', basis: 'plan', scope: 'common', spendingTypes: ['project'] },
    });
    expect(c.status, JSON.stringify(c.body)).toBe(201);
    const p = await post(`/v1/indicators/${c.body.id}/publish`, finance, etag(c));
    expect(p.status, JSON.stringify(p.body)).toBe(200);
    return { id: c.body.id as string, tag: etag(p) };
  }

  /** Targets whose first row is the library indicator; the rest written out by the unit. */
  const withLibraryRow = (indicatorId: string, value: number, extra: Record<string, unknown> = {}) => ({
    overallGoal: goal,
    rows: [{ indicatorId, value, ...extra }, ...goodRows.slice(1)],
  });

  /** PUTs until the declaration service has its copy of the indicator (it arrives by IndicatorPublished). */
  async function acceptedOnceCopied(id: string, tag: string, targets: Record<string, unknown>) {
    return eventually(async () => {
      const r = await rt.call('PUT', objectPath(id, '/targets'), { token: d.unit, headers: { 'if-match': tag }, body: targets });
      if (r.status === 200) return r;
      expect(r.status, JSON.stringify(r.body)).toBe(400);
      return undefined;
    }, WAIT_MS);
  }

  it('takes name, categories, operator and unit from the library; refuses unknown and retired indicators naming the row', async () => {
    const indicator = await publishedIndicator('高标准农田建设面积(库)');
    const created = await declare(d);
    const id = created.body.id as string;

    const t = await acceptedOnceCopied(id, etag(created), withLibraryRow(indicator.id, 5000, { weight: 20 }));
    expect(t.body.rows[0]).toEqual({
      rowId: expect.stringMatching(/^r_/),
      indicatorId: indicator.id,
      indicatorRevision: 1,
      name: '高标准农田建设面积(库)',
      level1: 'output',
      level2: 'quantity',
      operator: 'gte',
      unit: '亩',
      value: 5000,
      weight: 20,
    });
    expect((await get(objectPath(id, '/targets'), d.unit)).body.rows[0]).toEqual(t.body.rows[0]);

    const unknown = await rt.call('PUT', objectPath(id, '/targets'), {
      token: d.unit,
      headers: { 'if-match': etag(t) },
      body: { overallGoal: goal, rows: [...goodRows, { indicatorId: 'ind_0000000000unknown', value: 1 }] },
    });
    expect(unknown.status).toBe(400);
    expect(fields(unknown)).toEqual([`body.rows[${goodRows.length}].indicatorId`]);

    const retire = await post(`/v1/indicators/${indicator.id}/retire`, finance, indicator.tag, { reason: '口径调整，停用' });
    expect(retire.status, JSON.stringify(retire.body)).toBe(200);
    const refused = await eventually(async () => {
      const current = await get(objectPath(id), d.unit);
      const r = await rt.call('PUT', objectPath(id, '/targets'), { token: d.unit, headers: { 'if-match': etag(current) }, body: withLibraryRow(indicator.id, 5200) });
      return r.status === 400 ? r : undefined;
    }, WAIT_MS);
    expect(fields(refused)).toEqual(['body.rows[0].indicatorId']);
    expect(refused.body.errors[0].message).toContain('retired');
  });

  it('warns far_below_history when a positive target is far below the values evaluations achieved (a warning: the check still passes)', async () => {
    const indicator = await publishedIndicator('高标准农田建设面积(历史)');
    const result = (actual: number) => ({
      indicatorId: indicator.id,
      indicatorRevision: 1,
      name: '高标准农田建设面积(历史)',
      level1: 'output',
      level2: 'quantity',
      operator: 'gte',
      unit: '亩',
      target: 7000,
      actual,
      weight: 20,
      score: 20,
    });
    await rt.bus.publish(
      [7000, 7200, 7400].map((actual, i) =>
        evaluationCompleted({ objectId: `obj_hist${randomUUID().replaceAll('-', '').slice(0, 12)}`, fiscalYear: 2024 + i, grade: 'good', indicatorResults: [result(actual)] }),
      ),
    );

    const created = await declare(d, project(YEAR, { name: '历史标准对比项目' }));
    const id = created.body.id as string;
    await acceptedOnceCopied(id, etag(created), withLibraryRow(indicator.id, 5000));
    // All three evaluations recorded: the median is 7200 and 5000 is below 0.8 × 7200.
    const check = await eventually(async () => {
      const r = await get(objectPath(id, '/targets/check'), d.unit);
      return r.body.findings.some((f: { code: string; message: string }) => f.code === 'far_below_history' && f.message.includes('7200')) ? r : undefined;
    }, WAIT_MS);
    expect(check.body.passes).toBe(true);
    expect(check.body.findings).toEqual([expect.objectContaining({ code: 'far_below_history', severity: 'warning', row: 0, message: expect.stringContaining('7200') })]);
  });

  it("warns money_mismatch when the money per unit of a library output is far above what evaluated objects of this region paid (history from the evaluated object's own amount)", async () => {
    const indicator = await publishedIndicator('高标准农田建设面积(资金匹配)');
    // An object declared here for 800 万元 whose evaluation achieved 4000 亩: 5 亩 per 万元, 0.2 万元 per 亩.
    const evaluated = await declare(d, project(YEAR - 1, { name: '资金匹配历史项目' }));
    const result = { indicatorId: indicator.id, indicatorRevision: 1, name: '高标准农田建设面积(资金匹配)', level1: 'output', level2: 'quantity', operator: 'gte', unit: '亩', target: 4000, actual: 4000, weight: 20, score: 20 };
    await rt.bus.publish([evaluationCompleted({ objectId: evaluated.body.id, fiscalYear: YEAR - 1, grade: 'good', indicatorResults: [result] })]);

    // 5000 亩 for 50,000 万元: 10 万元 per 亩, 10 ÷ 0.2 = 50 times the history (the default flags above 2).
    const created = await declare(d, project(YEAR, { name: '资金不匹配项目', amounts: { mediumTermTotalWan: 150_000, annualTotalWan: 50_000, fiscalWan: 50_000, otherWan: 0 } }));
    const id = created.body.id as string;
    await acceptedOnceCopied(id, etag(created), withLibraryRow(indicator.id, 5000));
    const check = await eventually(async () => {
      const r = await get(objectPath(id, '/targets/check'), d.unit);
      return r.body.findings.some((f: { code: string }) => f.code === 'money_mismatch') ? r : undefined;
    }, WAIT_MS);
    expect(check.body.passes).toBe(true);
    expect(check.body.findings).toEqual([
      expect.objectContaining({ code: 'money_mismatch', severity: 'warning', row: 0, message: expect.stringContaining('10 万元 per 亩, 50 times the 0.2 万元 per 亩') }),
    ]);
  });

  it('counts a re-evaluated object once: the finance review replaces the self-evaluation value in the historical standard', async () => {
    const indicator = await publishedIndicator('高标准农田建设面积(复核)');
    const result = (actual: number) => ({ indicatorId: indicator.id, indicatorRevision: 1, name: '高标准农田建设面积(复核)', level1: 'output', level2: 'quantity', operator: 'gte', unit: '亩', target: 7000, actual, weight: 20, score: 20 });
    const evaluated = `obj_once${randomUUID().replaceAll('-', '').slice(0, 12)}`;
    const others = [7200, 7400].map((actual, i) => evaluationCompleted({ objectId: `obj_peer${i}${randomUUID().replaceAll('-', '').slice(0, 10)}`, fiscalYear: 2025, grade: 'good', indicatorResults: [result(actual)] }));
    const created = await declare(d, project(YEAR, { name: '复核只计一次项目' }));
    await acceptedOnceCopied(created.body.id, etag(created), withLibraryRow(indicator.id, 5000));
    const medianShown = (median: number) =>
      eventually(async () => {
        const r = await get(objectPath(created.body.id, '/targets/check'), d.unit);
        return r.body.findings.some((f: { message: string }) => f.message.includes(`the ${median} usually achieved`)) ? r : undefined;
      }, WAIT_MS);

    await rt.bus.publish([evaluationCompleted({ objectId: evaluated, fiscalYear: 2025, grade: 'good', kind: 'self', indicatorResults: [result(6000)] }), ...others]);
    await medianShown(7200); // 6000, 7200, 7400
    await rt.bus.publish([evaluationCompleted({ objectId: evaluated, fiscalYear: 2025, grade: 'good', kind: 'finance_review', indicatorResults: [result(9000)] })]);
    // 9000 replaces 6000: median 7400. Counted twice (6000, 7200, 7400, 9000) it would be 7300.
    const check = await medianShown(7400);
    expect(check.body.findings).toEqual([expect.objectContaining({ code: 'far_below_history', message: expect.stringContaining('the 7400 usually achieved') })]);
  });
});

// ---------- department overall spending: one per department and year ----------

describe('department overall spending: one object per department and year', () => {
  it('moves the claim when the fiscal year is edited: the old year is free again, the new one is taken (409 naming body.fiscalYear)', async () => {
    const clerk = await desk('D-OVR', 'U-OVR-01');
    const colleague = await desk('D-OVR', 'U-OVR-02');
    const overall = (fiscalYear: number) => ({ spendingType: 'department_overall', name: `D-OVR ${fiscalYear} 部门整体支出`, fiscalYear, sector: 'agriculture', lifecycle: 'continuing', amounts: { annualTotalWan: 12000, fiscalWan: 11000, otherWan: 1000 } });
    const first = await declare(clerk, overall(2040));
    const moved = await rt.call('PATCH', objectPath(first.body.id), { token: clerk.unit, headers: { 'if-match': etag(first) }, body: { fiscalYear: 2041, name: 'D-OVR 2041 部门整体支出' } });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(moved.body.fiscalYear).toBe(2041);

    const taken = await rt.call('POST', '/v1/declaration/objects', { token: colleague.unit, body: overall(2041) });
    expect(taken.status).toBe(409);
    expect(fields(taken)).toEqual(['body.spendingType']);
    const freed = await declare(colleague, overall(2040));

    const clash = await rt.call('PATCH', objectPath(freed.body.id), { token: colleague.unit, headers: { 'if-match': etag(freed) }, body: { fiscalYear: 2041 } });
    expect(clash.status).toBe(409);
    expect(fields(clash)).toEqual(['body.fiscalYear']);
    expect((await get(objectPath(freed.body.id), colleague.unit)).body).toMatchObject({ fiscalYear: 2040, version: 1 });
  });
});

// ---------- 4. rule parameters ----------

describe('rule parameters per region and fiscal year', () => {
  let d: Desk;
  beforeAll(async () => {
    d = await desk('D-RULES', 'U-RULES-01');
  });

  /** The parameters as the PUT body wants them (region and year come from the path). */
  const inputOf = (body: { rules: Record<string, unknown> }) => {
    const { region: _region, fiscalYear: _year, ...rules } = body.rules;
    return rules;
  };

  it('reads the defaults as version 0 with an ETag, and refuses a PUT without If-Match (428), with bad values (400, naming each field), or by a unit (403), storing nothing', async () => {
    const year = 2033;
    const current = await get(`/v1/declaration/rules/${year}`, d.unit);
    expect(current.body).toMatchObject({ region: REGION, fiscalYear: year, version: 0, source: 'default', rules: defaultRules(REGION, year) });
    expect(etag(current)).toBeTruthy();
    const rules = inputOf(current.body);

    const noIfMatch = await rt.call('PUT', `/v1/declaration/rules/${year}`, { token: finance, body: { rules, reason: '调整' } });
    expect(noIfMatch.status).toBe(428);

    const bad = await rt.call('PUT', `/v1/declaration/rules/${year}`, {
      token: finance,
      headers: { 'if-match': etag(current) },
      body: { rules: { ...rules, exAnteCutoffs: { support: 70, supportAfterAdjustment: 70 }, requiredLevel1: ['output', 'cost', 'benefit', 'satisfaction'] }, reason: '调整' },
    });
    expect(bad.status, JSON.stringify(bad.body)).toBe(400);
    expect(fields(bad).sort()).toEqual(['body.rules.exAnteCutoffs.supportAfterAdjustment', 'body.rules.requiredLevel1[1]']);

    const byUnit = await rt.call('PUT', `/v1/declaration/rules/${year}`, { token: d.unit, headers: { 'if-match': etag(current) }, body: { rules, reason: '调整' } });
    expect(byUnit.status).toBe(403);

    const after = await get(`/v1/declaration/rules/${year}`, finance);
    expect(after.body).toMatchObject({ version: 0, source: 'default' });
    expect(etag(after)).toBe(etag(current));
    expect((await get(`/v1/declaration/rules/${year}/versions`, finance)).body.items).toEqual([]);
  });

  it("stores finance's version 1 (cost and weights required) and the check of that year's objects applies it; another year is unaffected", async () => {
    const year = 2031;
    const other = 2032;
    const current = await get(`/v1/declaration/rules/${year}`, finance);
    const reason = '自2031年起成本指标必填，申报时即设定权重';
    const put = await rt.call('PUT', `/v1/declaration/rules/${year}`, {
      token: finance,
      headers: { 'if-match': etag(current) },
      body: { rules: { ...inputOf(current.body), costRequired: true, weightsRequired: true }, reason },
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.body).toMatchObject({ version: 1, source: 'stored', reason, updatedBy: 'finance-reviewer-1', rules: { costRequired: true, weightsRequired: true, region: REGION, fiscalYear: year } });
    expect(etag(put)).not.toBe(etag(current));
    const read = await get(`/v1/declaration/rules/${year}`, d.unit);
    expect(read.body).toMatchObject({ version: 1, source: 'stored' });
    expect(etag(read)).toBe(etag(put));
    const versions = await get(`/v1/declaration/rules/${year}/versions`, d.unit);
    expect(versions.body.items.map((v: { version: number; reason: string }) => [v.version, v.reason])).toEqual([[1, reason]]);

    const created = await declare(d, project(year));
    await putTargets(d, created.body.id, etag(created), goodTargets);
    const check = await get(objectPath(created.body.id, '/targets/check'), d.unit);
    expect(check.body.passes).toBe(false);
    expect(check.body.rules).toEqual({ region: REGION, fiscalYear: year, version: 1 });
    const codes = check.body.findings.map((f: { code: string; row?: number }) => [f.code, f.row ?? null]);
    expect(codes).toEqual([['category_missing', null], ...goodRows.map((_, i) => ['weight_missing', i]), ['weights_sum', null]]);
    expect(check.body.findings[0].message).toContain('cost');

    const otherYear = await declare(d, project(other));
    await putTargets(d, otherYear.body.id, etag(otherYear), goodTargets);
    const otherCheck = await get(objectPath(otherYear.body.id, '/targets/check'), d.unit);
    expect(otherCheck.body).toMatchObject({ passes: true, findings: [], rules: { region: REGION, fiscalYear: other, version: 0 } });
  });
});

// ---------- 5. transfer payments ----------

describe('transfer payment with regional targets', () => {
  let d: Desk;
  beforeAll(async () => {
    d = await desk('D-TP', 'U-TP-01');
  });

  const receivingRegions = [
    { region: '360100', amountWan: 600 },
    { region: '360400', amountWan: 400 },
  ];
  const transfer = (overrides: Record<string, unknown> = {}) => ({
    spendingType: 'transfer_payment',
    name: `${YEAR}年高标准农田建设补助资金`,
    fiscalYear: YEAR,
    sector: 'agriculture',
    lifecycle: 'continuing',
    period: { startYear: YEAR - 1, endYear: YEAR + 1 },
    amounts: { annualTotalWan: 1000, fiscalWan: 1000, otherWan: 0 },
    receivingRegions,
    ...overrides,
  });
  const regionalSet = (region: string, area: number) => ({
    region,
    overallGoal: { annual: `${region}新建高标准农田${area}亩` },
    rows: goodRows.map((r, i) => (i === 0 ? { ...r, value: area } : r)),
  });
  const targets = (regional: unknown[]) => ({ overallGoal: { annual: '全省新建高标准农田5000亩' }, rows: goodRows, regional });

  it('refuses receiving-region amounts that do not add up to the annual total (400 naming body.receivingRegions)', async () => {
    const r = await rt.call('POST', '/v1/declaration/objects', {
      token: d.unit,
      body: transfer({ receivingRegions: [{ region: '360100', amountWan: 600 }, { region: '360400', amountWan: 300 }] }),
    });
    expect(r.status).toBe(400);
    expect(fields(r)).toEqual(['body.receivingRegions']);
  });

  it('refuses a regional target set for a region that receives nothing (400 naming the region)', async () => {
    const created = await declare(d, transfer());
    const r = await rt.call('PUT', objectPath(created.body.id, '/targets'), {
      token: d.unit,
      headers: { 'if-match': etag(created) },
      body: targets([regionalSet('360100', 3000), regionalSet('360700', 2000)]),
    });
    expect(r.status).toBe(400);
    expect(fields(r)).toEqual(['body.regional[1].region']);
  });

  it('reports regional_targets_missing with the region while a receiving region has no target set', async () => {
    const created = await declare(d, transfer());
    await putTargets(d, created.body.id, etag(created), targets([regionalSet('360100', 3000)]));
    const check = await get(objectPath(created.body.id, '/targets/check'), d.unit);
    expect(check.body.passes).toBe(false);
    expect(check.body.findings).toEqual([expect.objectContaining({ code: 'regional_targets_missing', severity: 'error', region: '360400' })]);
  });

  it('submits complete regional targets and approves them: the snapshot carries every region with its share', async () => {
    const a = await approved(d, transfer(), targets([regionalSet('360100', 3000), regionalSet('360400', 2000)]));
    const snapshot = await get(objectPath(a.id, '/targets/versions/1'), d.unit);
    expect(snapshot.body.object.spendingType).toBe('transfer_payment');
    expect(snapshot.body.regional.map((r: { region: string; amountWan: number; rows: unknown[] }) => [r.region, r.amountWan, r.rows.length])).toEqual([
      ['360100', 600, goodRows.length],
      ['360400', 400, goodRows.length],
    ]);
    expect(snapshot.body.regional[1].rows[0]).toMatchObject({ name: '新建高标准农田面积', value: 2000 });
  });

  it("refuses a mid-year revision whose regional targets fail the check (422), naming the row inside that region's set", async () => {
    const a = await approved(d, transfer({ name: `${YEAR}年农田水利补助资金` }), targets([regionalSet('360100', 3000), regionalSet('360400', 2000)]));
    const flawed = regionalSet('360400', 1800);
    const r = await post(objectPath(a.id, '/revisions'), d.unit, a.tag, {
      targets: targets([regionalSet('360100', 3000), { ...flawed, rows: flawed.rows.map((row, i) => (i === 1 ? { ...row, unit: '' } : row)) }]),
      reason: '调整九江市建设任务',
    });
    expect(r.status, JSON.stringify(r.body)).toBe(422);
    expect(r.body.findings).toEqual([expect.objectContaining({ code: 'unit_missing', region: '360400', row: 1 })]);
    expect(fields(r)).toEqual(['body.targets.regional[1].rows[1]']);

    const missing = await post(objectPath(a.id, '/revisions'), d.unit, a.tag, { targets: targets([regionalSet('360100', 3000)]), reason: '只调整南昌市' });
    expect(missing.status).toBe(422);
    expect(missing.body.findings).toEqual([expect.objectContaining({ code: 'regional_targets_missing', region: '360400' })]);
    expect(fields(missing)).toEqual(['body.targets.regional']);
  });
});

// ---------- 6. ex-ante assessment ----------

describe('ex-ante assessment', () => {
  let d: Desk;
  beforeAll(async () => {
    d = await desk('D-EXA', 'U-EXA-01');
  });

  const newProject = (name: string) => project(YEAR, { name, lifecycle: 'new', period: { startYear: YEAR, endYear: YEAR + 2 } });
  const middling = { necessity: 13, economy: 13, targetReasonableness: 13, feasibility: 13, financingCompliance: 13 };

  it('lets no department override the conclusion (403), and nothing is recorded', async () => {
    const created = await declare(d, newProject('部门不得改变结论'));
    const r = await rt.call('PUT', objectPath(created.body.id, '/ex-ante'), {
      token: d.department,
      headers: { 'if-match': etag(created) },
      body: { scores: middling, recommendedCeilingWan: 800, override: { conclusion: 'support', reason: '部门认为必要' } },
    });
    expect(r.status).toBe(403);
    const exAnte = await get(objectPath(created.body.id, '/ex-ante'), d.unit);
    expect(exAnte.body).toMatchObject({ required: true });
    expect(exAnte.body.assessment).toBeUndefined();
  });

  it("records finance's override with its reason: conclusion changes, computedConclusion stays, ExAnteAssessed reaches the timeline", async () => {
    const created = await declare(d, newProject('财政调整结论'));
    const override = { conclusion: 'support', reason: '省委省政府重点部署事项' };
    const r = await rt.call('PUT', objectPath(created.body.id, '/ex-ante'), {
      token: finance,
      headers: { 'if-match': etag(created) },
      body: { scores: middling, recommendedCeilingWan: 800, override },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.exAnte).toMatchObject({ total: 65, computedConclusion: 'support_after_adjustment', conclusion: 'support', override, assessedBy: 'finance-reviewer-1', assessorRole: 'finance' });

    const read = await get(objectPath(created.body.id, '/ex-ante'), d.unit);
    expect(read.body).toMatchObject({ required: true, assessment: { computedConclusion: 'support_after_adjustment', conclusion: 'support' } });
    const assessed = await timelineEvent(created.body.id, 'ExAnteAssessed');
    expect(assessed.data).toMatchObject({ total: 65, computedConclusion: 'support_after_adjustment', conclusion: 'support', override, required: true, recommendedCeilingWan: 800 });
  });

  it('requires ex-ante for a continuing object proposed for renewal at 1000 万元 (the 10,000,000 yuan threshold), not below it', async () => {
    const renewal = (annualTotalWan: number) =>
      project(YEAR, { name: `续期项目${annualTotalWan}`, proposedForRenewal: true, amounts: { mediumTermTotalWan: 3000, annualTotalWan, fiscalWan: annualTotalWan, otherWan: 0 } });
    const at = await declare(d, renewal(1000));
    const atThreshold = await get(objectPath(at.body.id, '/ex-ante'), d.unit);
    expect(atThreshold.body).toEqual({ required: true, reason: expect.stringContaining('10000000') });
    expect(atThreshold.body.reason).toContain('reaches the threshold');
    await putTargets(d, at.body.id, etag(at), goodTargets);
    const check = await get(objectPath(at.body.id, '/targets/check'), d.unit);
    expect(check.body).toMatchObject({ passes: false, findings: [], blockers: [expect.objectContaining({ code: 'ex_ante_missing' })] });

    const below = await declare(d, renewal(999));
    const belowThreshold = await get(objectPath(below.body.id, '/ex-ante'), d.unit);
    expect(belowThreshold.body).toEqual({ required: false, reason: expect.stringContaining('below the threshold') });
  });
});

// ---------- 7. the real target tables ----------

const realTables = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'real-target-tables.json'), 'utf8')) as FixtureTable[];

describe('the eight real published target tables over HTTP', () => {
  let d: Desk;
  beforeAll(async () => {
    d = await desk('D-REAL', 'U-REAL-01');
  });

  it.each(realTables.map((t) => [t.id, t] as const))('%s: the check over HTTP gives the findings the pure check gives (default rules of 360000)', async (_id, t) => {
    const created = await rt.call('POST', '/v1/declaration/objects', { token: d.unit, body: t.object });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const put = await rt.call('PUT', objectPath(created.body.id, '/targets'), { token: d.unit, headers: { 'if-match': etag(created) }, body: t.targets });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    const check = await get(objectPath(created.body.id, '/targets/check'), d.unit);

    const expected = checkTargets(t.targets, { annualAmountWan: t.object.amounts.annualTotalWan }, defaultRules(REGION, t.object.fiscalYear));
    const shape = (findings: { code: string; severity: string; row?: number }[]) => findings.map((f) => ({ code: f.code, severity: f.severity, row: f.row ?? null }));
    expect(shape(check.body.findings)).toEqual(shape(expected));
    expect(check.body.passes).toBe(passes(expected) && check.body.blockers.length === 0);
    expect(check.body.rules).toEqual({ region: REGION, fiscalYear: t.object.fiscalYear, version: 0 });
  });
});
