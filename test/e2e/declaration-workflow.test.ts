/**
 * The declaration path over HTTP on the local runtime: a unit declares, writes targets, checks
 * and submits; the competent department and finance review; approval puts the object in the
 * project library and TargetApproved reaches the accountability timeline. Failing targets and
 * a missing ex-ante assessment are returned with every reason; the unit fixes and resubmits.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectBody, standardRows } from '../support/declaration.ts';
import { bootRuntime, eventually, type TestRuntime } from '../support/runtime.ts';

let rt: TestRuntime;
let unit: string;
let otherUnit: string;
let department: string;
let otherDepartment: string;
let finance: string;
let supervisor: string;

beforeAll(async () => {
  rt = await bootRuntime();
  unit = await rt.token({ role: 'unit', department: 'D-AGRI', unit: 'U-AGRI-01', sub: 'unit-clerk-1' });
  otherUnit = await rt.token({ role: 'unit', department: 'D-AGRI', unit: 'U-AGRI-02', sub: 'unit-clerk-2' });
  department = await rt.token({ role: 'department', department: 'D-AGRI', sub: 'dept-reviewer-1' });
  otherDepartment = await rt.token({ role: 'department', department: 'D-EDU', sub: 'dept-reviewer-9' });
  finance = await rt.token({ role: 'finance', sub: 'finance-reviewer-1' });
  supervisor = await rt.token({ role: 'supervisor', sub: 'npc-1' });
});
afterAll(async () => rt?.stop());

const YEAR = 2027;

const goodRows = standardRows;
const goal = { mediumTerm: '三年新建高标准农田1.5万亩', annual: '新建高标准农田5000亩，年增粮食产能350吨' };

const project = (overrides: Record<string, unknown> = {}) => projectBody(YEAR, overrides);

const etag = (r: { headers: Headers }) => r.headers.get('etag') as string;

async function declare(body: Record<string, unknown> = project(), token = unit) {
  const r = await rt.call('POST', '/v1/declaration/objects', { token, body });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r;
}

async function putTargets(id: string, tag: string, targets: Record<string, unknown>, token = unit) {
  const r = await rt.call('PUT', `/v1/declaration/objects/${id}/targets`, { token, headers: { 'if-match': tag }, body: targets });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r;
}

async function post(path: string, token: string, tag: string, body?: unknown) {
  return rt.call('POST', path, { token, headers: { 'if-match': tag }, ...(body !== undefined ? { body } : {}) });
}

/** Declares, writes good targets and submits: the object waits for the department. */
async function submitted(body: Record<string, unknown> = project()) {
  const created = await declare(body);
  const id = created.body.id as string;
  const t = await putTargets(id, etag(created), { overallGoal: goal, rows: goodRows });
  const s = await post(`/v1/declaration/objects/${id}/submit`, unit, etag(t));
  expect(s.status, JSON.stringify(s.body)).toBe(200);
  expect(s.body.status, JSON.stringify(s.body.lastRejection)).toBe('department_review');
  return { id, tag: etag(s) };
}

/**
 * The department's review: 完整性 90, 相关性 90, 适当性 75 (with its comment), 可行性 85. Equal weights
 * give (90 + 90 + 75 + 85) ÷ 4 = 85, which is 良 (80 ≤ 85 < 90).
 */
const departmentCriteria = {
  completeness: { score: 90 },
  relevance: { score: 90 },
  appropriateness: { score: 75, comments: '质量指标可再细化' },
  feasibility: { score: 85 },
};
/** Finance's review: 95, 95, 90, 92 give 93, which is 优. */
const financeCriteria = { completeness: { score: 95 }, relevance: { score: 95 }, appropriateness: { score: 90 }, feasibility: { score: 92 } };

/** Through both reviews into the library. */
export async function approved(body: Record<string, unknown> = project()) {
  const { id, tag } = await submitted(body);
  const d = await post(`/v1/declaration/objects/${id}/reviews`, department, tag, { criteria: departmentCriteria });
  expect(d.status, JSON.stringify(d.body)).toBe(200);
  const f = await post(`/v1/declaration/objects/${id}/reviews`, finance, etag(d), { criteria: financeCriteria });
  expect(f.status, JSON.stringify(f.body)).toBe(200);
  return { id, tag: etag(f), object: f.body };
}

describe('declare → check → department review → finance review → approved', () => {
  it('runs the whole path: the object enters the library, TargetApproved carries the snapshot and reaches the timeline', async () => {
    const created = await declare();
    expect(created.body).toMatchObject({ status: 'draft', region: '360000', department: 'D-AGRI', unit: 'U-AGRI-01', version: 1 });
    const id = created.body.id as string;

    const t = await putTargets(id, etag(created), { overallGoal: goal, rows: goodRows });
    expect(t.body.rows.map((r: { rowId: string }) => r.rowId)).toEqual(goodRows.map(() => expect.stringMatching(/^r_/)));

    const check = await rt.call('GET', `/v1/declaration/objects/${id}/targets/check`, { token: unit });
    expect(check.body).toMatchObject({ passes: true, findings: [], blockers: [], exAnte: { required: false }, rules: { region: '360000', fiscalYear: YEAR, version: 0 } });

    const s = await post(`/v1/declaration/objects/${id}/submit`, unit, etag(t));
    expect(s.body).toMatchObject({ status: 'department_review', submissions: 1 });
    const d = await post(`/v1/declaration/objects/${id}/reviews`, department, etag(s), { criteria: departmentCriteria });
    expect(d.body).toMatchObject({ status: 'finance_review', reviews: [{ stage: 'department', grade: 'good', score: 85, criteria: departmentCriteria }] });
    const f = await post(`/v1/declaration/objects/${id}/reviews`, finance, etag(d), { grade: 'excellent', criteria: financeCriteria });
    expect(f.body).toMatchObject({ status: 'approved', targetVersion: 1 });

    const library = await rt.call('GET', `/v1/declaration/library?year=${YEAR}`, { token: finance });
    expect(library.body.items.map((o: { id: string }) => o.id)).toContain(id);

    const timeline = await eventually(async () => {
      const r = await rt.call('GET', `/v1/accountability/timeline/${id}`, { token: supervisor });
      const types = (r.body.items ?? []).map((e: { detailType: string }) => e.detailType);
      return types.includes('TargetApproved') ? r.body.items : undefined;
    });
    expect(timeline.map((e: { detailType: string }) => e.detailType)).toEqual(['DeclarationSubmitted', 'TargetApproved']);
    const approvedEvent = timeline.find((e: { detailType: string }) => e.detailType === 'TargetApproved');
    expect(approvedEvent.data.snapshot.reviews).toEqual([
      expect.objectContaining({ stage: 'department', grade: 'good', score: 85, criteria: departmentCriteria }),
      expect.objectContaining({ stage: 'finance', grade: 'excellent', score: 93, criteria: financeCriteria }),
    ]);

    const snapshot = await rt.call('GET', `/v1/declaration/objects/${id}/targets/versions/1`, { token: unit });
    expect(snapshot.body).toMatchObject({
      object: { id, spendingType: 'project', fiscalYear: YEAR, department: 'D-AGRI', unit: 'U-AGRI-01' },
      targetVersion: 1,
      overallGoal: goal,
      reviews: [
        { stage: 'department', grade: 'good', score: 85, by: 'dept-reviewer-1' },
        { stage: 'finance', grade: 'excellent', score: 93, by: 'finance-reviewer-1' },
      ],
      approvedBy: 'finance-reviewer-1',
    });
    expect(snapshot.body.rows).toHaveLength(goodRows.length);
  });

  it('records every transition in the history with actor and time', async () => {
    const { id } = await approved();
    const history = await rt.call('GET', `/v1/declaration/objects/${id}/history`, { token: supervisor });
    expect(history.body.items.map((h: { action: string; from?: string; to: string; actor: { sub: string; role: string } }) => [h.action, h.from ?? null, h.to, h.actor.sub, h.actor.role])).toEqual([
      ['declared', null, 'draft', 'unit-clerk-1', 'unit'],
      ['targets written (5 rows)', 'draft', 'draft', 'unit-clerk-1', 'unit'],
      ['submitted', 'draft', 'department_review', 'unit-clerk-1', 'unit'],
      ['passed department review', 'department_review', 'finance_review', 'dept-reviewer-1', 'department'],
      ['approved into the project library', 'finance_review', 'approved', 'finance-reviewer-1', 'finance'],
    ]);
    for (const h of history.body.items) expect(Date.parse(h.at)).not.toBeNaN();
    expect(history.body.items[3]).toMatchObject({ grade: 'good', score: 85, reason: '适当性 75: 质量指标可再细化' });
  });
});

describe('review criteria: 完整性, 相关性, 适当性, 可行性', () => {
  it('refuses a grade that disagrees with the criteria score (400 naming body.grade), and nothing changes', async () => {
    const a = await submitted();
    const r = await post(`/v1/declaration/objects/${a.id}/reviews`, department, a.tag, { grade: 'excellent', criteria: departmentCriteria });
    expect(r.status, JSON.stringify(r.body)).toBe(400);
    expect(r.body.errors).toEqual([expect.objectContaining({ field: 'body.grade', message: expect.stringContaining('85') })]);
    const after = await rt.call('GET', `/v1/declaration/objects/${a.id}`, { token: unit });
    expect(after.body).toMatchObject({ status: 'department_review', reviews: [] });
  });

  it('refuses a criterion score above 100 at the door (400 naming the criterion)', async () => {
    const a = await submitted();
    const r = await post(`/v1/declaration/objects/${a.id}/reviews`, department, a.tag, { criteria: { ...departmentCriteria, feasibility: { score: 120 } } });
    expect(r.status).toBe(400);
    expect(r.body.errors.map((e: { field: string }) => e.field)).toEqual(['body.criteria.feasibility.score']);
  });

  it('still takes a grade without scores from an older client, recorded without criteria, and the history says it was not scored', async () => {
    const a = await submitted();
    const r = await post(`/v1/declaration/objects/${a.id}/reviews`, department, a.tag, { grade: 'excellent' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.reviews).toEqual([{ stage: 'department', grade: 'excellent', by: 'dept-reviewer-1', at: expect.any(String) }]);
    const history = await rt.call('GET', `/v1/declaration/objects/${a.id}/history`, { token: supervisor });
    expect(history.body.items.at(-1).action).toBe('passed department review (grade only, the four criteria not scored)');
  });

  it('returns the targets on a 中 score, the rejection carrying the score, the criteria and their comments (TargetRejected too)', async () => {
    const a = await submitted();
    // 70 + 70 + 55 + 75 = 270, ÷ 4 = 67.5: 中.
    const criteria = { completeness: { score: 70 }, relevance: { score: 70 }, appropriateness: { score: 55, comments: '产出与资金不匹配' }, feasibility: { score: 75 } };
    const r = await post(`/v1/declaration/objects/${a.id}/reviews`, department, a.tag, { criteria });
    expect(r.body).toMatchObject({ status: 'returned', lastRejection: { grade: 'fair', score: 67.5, criteria } });
    expect(r.body.lastRejection.reasons[0].message).toContain('适当性 55: 产出与资金不匹配');
    const rejected = await eventually(async () => {
      const t = await rt.call('GET', `/v1/accountability/timeline/${a.id}`, { token: supervisor });
      return (t.body.items ?? []).find((e: { detailType: string }) => e.detailType === 'TargetRejected');
    });
    expect(rejected.data).toMatchObject({ grade: 'fair', score: 67.5, criteria });
  });
});

describe('rejection with every reason, fix and resubmit', () => {
  it('returns targets without a satisfaction indicator, a row without a unit and a new 20-million project without ex-ante; after the fixes it passes', async () => {
    const created = await declare(
      project({ name: '新建智慧农业示范园', lifecycle: 'new', period: { startYear: YEAR, endYear: YEAR + 2 }, amounts: { mediumTermTotalWan: 6000, annualTotalWan: 2000, fiscalWan: 2000, otherWan: 0 } }),
    );
    const id = created.body.id as string;
    const flawed = goodRows.filter((r) => r.level1 !== 'satisfaction').map((r, i) => (i === 1 ? { ...r, unit: '' } : r));
    const t = await putTargets(id, etag(created), { overallGoal: goal, rows: flawed });

    const s = await post(`/v1/declaration/objects/${id}/submit`, unit, etag(t));
    expect(s.status).toBe(200);
    expect(s.body.status).toBe('returned');
    expect(s.body.lastRejection.reasons.map((r: { code: string }) => r.code).sort()).toEqual(['category_missing', 'ex_ante_missing', 'unit_missing']);
    expect(s.body.lastRejection.reasons.find((r: { code: string }) => r.code === 'unit_missing')).toMatchObject({ row: 1 });

    const rejected = await eventually(async () => {
      const r = await rt.call('GET', `/v1/accountability/timeline/${id}`, { token: supervisor });
      return (r.body.items ?? []).find((e: { detailType: string }) => e.detailType === 'TargetRejected');
    });
    expect(rejected).toBeDefined();
    const library = await rt.call('GET', `/v1/declaration/library?year=${YEAR}`, { token: finance });
    expect(library.body.items.map((o: { id: string }) => o.id)).not.toContain(id);

    // The unit reads the reasons and fixes them; the department assesses ex ante.
    const seen = await rt.call('GET', `/v1/declaration/objects/${id}`, { token: unit });
    expect(seen.body.lastRejection.reasons).toHaveLength(3);
    const fixed = await putTargets(id, etag(seen), { overallGoal: goal, rows: goodRows });
    const exAnte = await rt.call('PUT', `/v1/declaration/objects/${id}/ex-ante`, {
      token: department,
      headers: { 'if-match': etag(fixed) },
      body: { scores: { necessity: 18, economy: 16, targetReasonableness: 17, feasibility: 16, financingCompliance: 15 }, recommendedCeilingWan: 2000 },
    });
    expect(exAnte.status, JSON.stringify(exAnte.body)).toBe(200);
    expect(exAnte.body.exAnte).toMatchObject({ total: 82, conclusion: 'support', assessedBy: 'dept-reviewer-1' });

    const again = await post(`/v1/declaration/objects/${id}/submit`, unit, etag(exAnte));
    expect(again.body).toMatchObject({ status: 'department_review', submissions: 2 });
    expect(again.body.lastRejection).toBeUndefined();
    const d = await post(`/v1/declaration/objects/${id}/reviews`, department, etag(again), { grade: 'excellent' });
    const f = await post(`/v1/declaration/objects/${id}/reviews`, finance, etag(d), { grade: 'good', comments: '同意' });
    expect(f.body.status).toBe('approved');
  });

  it('keeps an object whose ex-ante assessment does not support it out, and says so', async () => {
    const created = await declare(project({ name: '不予支持项目', lifecycle: 'new', period: { startYear: YEAR, endYear: YEAR } }));
    const t = await putTargets(created.body.id, etag(created), { overallGoal: goal, rows: goodRows });
    const exAnte = await rt.call('PUT', `/v1/declaration/objects/${created.body.id}/ex-ante`, {
      token: finance,
      headers: { 'if-match': etag(t) },
      body: { scores: { necessity: 10, economy: 10, targetReasonableness: 12, feasibility: 11, financingCompliance: 10 }, recommendedCeilingWan: 500 },
    });
    expect(exAnte.body.exAnte).toMatchObject({ total: 53, conclusion: 'not_supported' });
    const s = await post(`/v1/declaration/objects/${created.body.id}/submit`, unit, etag(exAnte));
    expect(s.body.status).toBe('returned');
    expect(s.body.lastRejection.reasons.map((r: { code: string }) => r.code).sort()).toEqual(['ex_ante_ceiling_exceeded', 'ex_ante_not_supported']);
  });

  it('returns the targets on 中 and rejects on 差, with the comments as the reason', async () => {
    const a = await submitted();
    const fair = await post(`/v1/declaration/objects/${a.id}/reviews`, department, a.tag, { grade: 'fair', comments: '效益指标不够具体' });
    expect(fair.body).toMatchObject({ status: 'returned', lastRejection: { stage: 'department_review', outcome: 'returned', grade: 'fair' } });
    expect(fair.body.lastRejection.reasons[0].message).toContain('中');
    expect(fair.body.lastRejection.reasons[0].message).toContain('效益指标不够具体');

    const b = await submitted();
    const d = await post(`/v1/declaration/objects/${b.id}/reviews`, department, b.tag, { grade: 'excellent' });
    const poor = await post(`/v1/declaration/objects/${b.id}/reviews`, finance, etag(d), { grade: 'poor', comments: '与部门职能不符' });
    expect(poor.body).toMatchObject({ status: 'rejected', lastRejection: { stage: 'finance_review', outcome: 'rejected', grade: 'poor' } });
    const resubmit = await post(`/v1/declaration/objects/${b.id}/submit`, unit, etag(poor));
    expect(resubmit.status).toBe(409);
  });

  it('needs comments for a 中 or 差 grade, naming the field', async () => {
    const a = await submitted();
    const r = await post(`/v1/declaration/objects/${a.id}/reviews`, department, a.tag, { grade: 'poor' });
    expect(r.status).toBe(400);
    expect(r.body.errors).toEqual([expect.objectContaining({ field: 'body.comments' })]);
  });
});

describe('concurrent reviews', () => {
  it('lets exactly one of 20 conflicting review attempts win; the others get 409 or 412 and nothing is lost', async () => {
    const { id, tag } = await submitted();
    const attempts = Array.from({ length: 20 }, (_, i) =>
      post(`/v1/declaration/objects/${id}/reviews`, department, tag, i % 2 ? { grade: 'good', comments: `第${i}号意见` } : { grade: 'fair', comments: `第${i}号意见` }),
    );
    const results = await Promise.all(attempts);
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s !== 200).every((s) => s === 409 || s === 412), JSON.stringify(statuses)).toBe(true);

    const winner = results.find((r) => r.status === 200)!;
    const object = await rt.call('GET', `/v1/declaration/objects/${id}`, { token: finance });
    expect(object.body.version).toBe(winner.body.version);
    expect(object.body.reviews).toHaveLength(1);
    const history = await rt.call('GET', `/v1/declaration/objects/${id}/history`, { token: finance });
    expect(history.body.items.filter((h: { actor: { role: string } }) => h.actor.role === 'department')).toHaveLength(1);
  });
});

describe('access', () => {
  it('keeps units, departments and roles to their own scope (403), and reviews in order', async () => {
    const { id, tag } = await submitted();
    expect((await rt.call('GET', `/v1/declaration/objects/${id}`, { token: otherUnit })).status).toBe(403);
    expect((await rt.call('GET', `/v1/declaration/objects/${id}`, { token: otherDepartment })).status).toBe(403);
    expect((await rt.call('GET', `/v1/declaration/objects/${id}`, { token: supervisor })).status).toBe(200);
    expect((await post(`/v1/declaration/objects/${id}/reviews`, otherDepartment, tag, { grade: 'good', comments: '按意见细化满意度指标' })).status).toBe(403);
    expect((await post(`/v1/declaration/objects/${id}/reviews`, unit, tag, { grade: 'good', comments: '按意见细化满意度指标' })).status).toBe(403);
    expect((await post(`/v1/declaration/objects/${id}/reviews`, supervisor, tag, { grade: 'good', comments: '按意见细化满意度指标' })).status).toBe(403);
    // Finance reviews after the department, not before it.
    expect((await post(`/v1/declaration/objects/${id}/reviews`, finance, tag, { grade: 'good', comments: '按意见细化满意度指标' })).status).toBe(403);
    expect((await post(`/v1/declaration/objects/${id}/submit`, otherUnit, tag)).status).toBe(403);
    const list = await rt.call('GET', `/v1/declaration/objects?year=${YEAR}`, { token: otherUnit });
    expect(list.body.items.map((o: { id: string }) => o.id)).not.toContain(id);
    const mine = await rt.call('GET', `/v1/declaration/objects?year=${YEAR}`, { token: unit });
    expect(mine.body.items.map((o: { id: string }) => o.id)).toContain(id);
  });

  it('allows one department overall object per department and year', async () => {
    const body = { spendingType: 'department_overall', name: 'D-AGRI 2027 部门整体支出', fiscalYear: YEAR, sector: 'agriculture', lifecycle: 'continuing', amounts: { annualTotalWan: 12000, fiscalWan: 11000, otherWan: 1000 } };
    await declare(body);
    const second = await rt.call('POST', '/v1/declaration/objects', { token: otherUnit, body });
    expect(second.status).toBe(409);
    expect(second.body.errors[0].field).toBe('body.spendingType');
  });
});
