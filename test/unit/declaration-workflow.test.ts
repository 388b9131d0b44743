import { describe, expect, it } from 'vitest';
import { departmentActor, financeActor, spendingObject, unitActor } from '../support/spending-object.ts';
import type { ExAnteRequirement } from '../../services/declaration/domain/ex-ante.ts';
import { defaultRules, type ReviewGrade } from '../../services/declaration/domain/rules.ts';
import {
  checkDeclaration,
  OBJECT_STATUSES,
  type AmountChange,
  type ExAnteRecord,
  type ObjectStatus,
  type ResultsDecision,
  type SpendingObject,
} from '../../services/declaration/domain/spending-object.ts';
import type { Finding } from '../../services/declaration/domain/target-check.ts';
import { changesAfterDecision, decideResults } from '../../services/declaration/domain/results-gate.ts';
import {
  exAnteReasons,
  requireEditable,
  resultsDecisionNeeded,
  review,
  submit,
  submitRevision,
  TransitionError,
  type PreviousEvaluation,
  type SubmitInput,
  type Transition,
  type WorkflowActor,
} from '../../services/declaration/domain/workflow.ts';

// ---------- fixtures ----------

const NOW = new Date('2026-03-02T09:30:00.000Z');
const AT = NOW.toISOString();
const rules = defaultRules('360000', 2026);
const labels = rules.gradeLabels;

const object = spendingObject;

const unit = unitActor;
const department = departmentActor;
const otherDepartment: WorkflowActor = { sub: 'user_health', role: 'department', department: 'dept_health' };
const finance = financeActor;

const notRequired: ExAnteRequirement = { required: false, reason: 'continuing object within its approved period' };
const required: ExAnteRequirement = { required: true, reason: 'a new project of 5000000 yuan a year reaches the major-object threshold of 5000000 yuan' };

const exAnte = (changes: Partial<ExAnteRecord> = {}): ExAnteRecord => ({
  scores: { necessity: 16, economy: 16, targetReasonableness: 16, feasibility: 16, financingCompliance: 16 },
  total: 80,
  computedConclusion: 'support',
  conclusion: 'support',
  requestedAmountWan: 500,
  recommendedCeilingWan: 500,
  assessedAt: '2026-02-01T00:00:00.000Z',
  assessedBy: 'user_finance',
  assessorRole: 'finance',
  ...changes,
});

const input = (changes: Partial<SubmitInput> = {}): SubmitInput => ({ findings: [], exAnteRequirement: notRequired, hasTargets: true, rulesVersion: 4, ...changes });

const error = (code: Finding['code'], row?: number, region?: string): Finding & { region?: string } => ({
  code,
  severity: 'error',
  message: `${region ? `[${region}] ` : ''}${code} message`,
  ...(row !== undefined ? { row } : {}),
  ...(region ? { region } : {}),
});
const warning: Finding = { code: 'far_below_history', severity: 'warning', row: 0, message: '「培训人次」: target 700 is far below the 1000 usually achieved' };

const grade = (g: ReviewGrade, comments?: string) => ({ grade: g, ...(comments !== undefined ? { comments } : {}) });
const context = (previousEvaluation?: PreviousEvaluation) => ({ rules, ...(previousEvaluation ? { previousEvaluation } : {}) });
const reviewAs = (o: SpendingObject, actor: WorkflowActor, g: ReviewGrade, comments?: string, previous?: PreviousEvaluation) =>
  review(o, grade(g, comments), actor, NOW, context(previous));

const poorLastYear: PreviousEvaluation = { evaluationId: 'eval_2025_01', objectId: 'obj_0000000000', fiscalYear: 2025, grade: 'poor', totalScore: 52 };
const continuing = (changes: Partial<SpendingObject> = {}) => object({ lifecycle: 'continuing', continues: 'obj_0000000000', ...changes });
const decision = (d: ResultsDecision['decision']): ResultsDecision => ({ decision: d, reason: '整改到位', previousGrade: 'poor', decidedAt: AT, decidedBy: 'user_finance' });

/** The TransitionError `fn` throws; fails the test when it throws nothing or something else. */
function failure(fn: () => unknown): TransitionError {
  try {
    fn();
  } catch (e) {
    if (e instanceof TransitionError) return e;
    throw e;
  }
  throw new Error('expected a TransitionError');
}

const others = (allowed: readonly ObjectStatus[]) => OBJECT_STATUSES.filter((s) => !allowed.includes(s));

// ---------- submit ----------

describe('submit: who and when', () => {
  it('submits from draft and from returned', () => {
    for (const status of ['draft', 'returned'] as const) {
      expect(submit(object({ status }), input(), undefined, unit, NOW).next.status, status).toBe('department_review');
    }
  });

  it('refuses to submit from any other status with a state error', () => {
    for (const status of others(['draft', 'returned'])) {
      expect(failure(() => submit(object({ status }), input(), undefined, unit, NOW)).kind, status).toBe('state');
    }
  });

  it('refuses an object without targets as invalid on field targets: no targets, no budget', () => {
    const e = failure(() => submit(object(), input({ hasTargets: false }), undefined, unit, NOW));
    expect([e.kind, e.field]).toEqual(['invalid', 'targets']);
  });

  it('requireEditable lets only draft and returned objects change', () => {
    for (const status of ['draft', 'returned'] as const) expect(() => requireEditable(object({ status }), 'x')).not.toThrow();
    for (const status of others(['draft', 'returned'])) expect(failure(() => requireEditable(object({ status }), 'x')).kind, status).toBe('state');
  });
});

describe('submit: the automatic check', () => {
  it('returns the object with every error finding as a reason, keeping its code, row and region', () => {
    const findings = [error('value_missing', 2), warning, error('category_missing'), error('cost_exceeds_amount', 0, '360100'), error('regional_targets_missing', undefined, '360200')];
    const { next, outcome } = submit(object(), input({ findings }), undefined, unit, NOW);
    expect(next.status).toBe('returned');
    expect(outcome).toEqual({
      kind: 'returned',
      rejection: {
        stage: 'check',
        outcome: 'returned',
        at: AT,
        reasons: [
          { code: 'value_missing', message: 'value_missing message', row: 2 },
          { code: 'category_missing', message: 'category_missing message' },
          { code: 'cost_exceeds_amount', message: '[360100] cost_exceeds_amount message', row: 0, region: '360100' },
          { code: 'regional_targets_missing', message: '[360200] regional_targets_missing message', region: '360200' },
        ],
      },
    });
    expect(next.lastRejection).toEqual(outcome.kind === 'returned' ? outcome.rejection : undefined);
  });

  it('does not return an object for warnings alone, and passes them to the accepted outcome', () => {
    const { next, outcome } = submit(object(), input({ findings: [warning] }), undefined, unit, NOW);
    expect(next.status).toBe('department_review');
    expect(outcome).toEqual({ kind: 'accepted', warnings: [warning] });
  });

  it('counts every submission, returned or accepted', () => {
    const returned = submit(object(), input({ findings: [error('unit_missing', 1)] }), undefined, unit, NOW).next;
    expect(returned.submissions).toBe(1);
    expect(submit(returned, input(), undefined, unit, NOW).next.submissions).toBe(2);
  });

  it('clears the last rejection and records the rules version when accepted', () => {
    const returned = submit(object(), input({ findings: [error('unit_missing', 1)], rulesVersion: 3 }), undefined, unit, NOW).next;
    expect(returned.rulesVersion).toBe(3);
    const accepted = submit(returned, input({ rulesVersion: 5 }), undefined, unit, NOW).next;
    expect(accepted).not.toHaveProperty('lastRejection');
    expect(accepted.rulesVersion).toBe(5);
  });

  it('starts a new review round: the reviews of the previous round are cleared', () => {
    const previousRound = object({ status: 'returned', reviews: [{ stage: 'department', grade: 'fair', comments: '指标不全', by: 'user_dept', at: AT }] });
    expect(submit(previousRound, input(), undefined, unit, NOW).next.reviews).toEqual([]);
  });
});

describe('submit: the ex-ante assessment', () => {
  const codes = (t: Transition<unknown>) => t.next.lastRejection?.reasons.map((r) => r.code);

  it('returns an object that needs an assessment and has none, saying why it is needed', () => {
    const t = submit(object(), input({ exAnteRequirement: required }), undefined, unit, NOW);
    expect(t.next.status).toBe('returned');
    expect(codes(t)).toEqual(['ex_ante_missing']);
    expect(t.next.lastRejection?.reasons[0]?.message).toContain(required.reason);
  });

  it('does not ask for an assessment that is not required', () => {
    expect(submit(object(), input(), undefined, unit, NOW).next.status).toBe('department_review');
  });

  it('returns a required assessment that did not support the object', () => {
    const t = submit(object(), input({ exAnteRequirement: required }), exAnte({ total: 55, computedConclusion: 'not_supported', conclusion: 'not_supported' }), unit, NOW);
    expect(codes(t)).toEqual(['ex_ante_not_supported']);
    expect(t.next.lastRejection?.reasons[0]?.message).toContain('55');
  });

  it('accepts support after adjustment', () => {
    const supported = exAnte({ total: 65, computedConclusion: 'support_after_adjustment', conclusion: 'support_after_adjustment' });
    expect(submit(object(), input({ exAnteRequirement: required }), supported, unit, NOW).next.status).toBe('department_review');
  });

  it('follows the finance override, not the computed conclusion', () => {
    const overridden = exAnte({ total: 58, computedConclusion: 'not_supported', conclusion: 'support_after_adjustment', override: { conclusion: 'support_after_adjustment', reason: '省委重点部署' } });
    expect(submit(object(), input({ exAnteRequirement: required }), overridden, unit, NOW).next.status).toBe('department_review');
  });

  it('returns an annual amount above the recommended ceiling, and accepts one exactly at it', () => {
    const over = submit(object(), input({ exAnteRequirement: required }), exAnte({ recommendedCeilingWan: 499.9999 }), unit, NOW);
    expect(codes(over)).toEqual(['ex_ante_ceiling_exceeded']);
    expect(submit(object(), input({ exAnteRequirement: required }), exAnte({ recommendedCeilingWan: 500 }), unit, NOW).next.status).toBe('department_review');
  });

  it('holds the object to the ceiling of an assessment even when none was required', () => {
    expect(exAnteReasons(object(), notRequired, exAnte({ recommendedCeilingWan: 450 })).map((r) => r.code)).toEqual(['ex_ante_ceiling_exceeded']);
  });

  it('gives every reason at once: check errors first, then the ex-ante ones', () => {
    const notSupported = exAnte({ total: 50, computedConclusion: 'not_supported', conclusion: 'not_supported', recommendedCeilingWan: 300 });
    const t = submit(object(), input({ findings: [error('unit_missing', 1), error('overall_goal_missing')], exAnteRequirement: required }), notSupported, unit, NOW);
    expect(codes(t)).toEqual(['unit_missing', 'overall_goal_missing', 'ex_ante_not_supported', 'ex_ante_ceiling_exceeded']);
  });
});

// ---------- review ----------

const atDepartment = (changes: Partial<SpendingObject> = {}) => object({ status: 'department_review', submissions: 1, rulesVersion: 4, ...changes });
const atFinance = (changes: Partial<SpendingObject> = {}) =>
  atDepartment({ status: 'finance_review', reviews: [{ stage: 'department', grade: 'excellent', by: 'user_dept', at: AT }], ...changes });

describe('review: who reviews', () => {
  it('has the competent department review first: finance and units are forbidden at that stage', () => {
    for (const actor of [finance, unit]) expect(failure(() => reviewAs(atDepartment(), actor, 'excellent')).kind, actor.role).toBe('forbidden');
  });

  it('forbids a department reviewer from another department', () => {
    expect(failure(() => reviewAs(atDepartment(), otherDepartment, 'excellent')).kind).toBe('forbidden');
  });

  it('has finance review second: the department is forbidden at that stage', () => {
    for (const actor of [department, unit]) expect(failure(() => reviewAs(atFinance(), actor, 'excellent')).kind, actor.role).toBe('forbidden');
  });

  it('has nothing to review outside the two review stages (state error)', () => {
    for (const status of others(['department_review', 'finance_review'])) {
      expect(failure(() => reviewAs(object({ status }), finance, 'excellent')).kind, status).toBe('state');
    }
  });
});

describe('review: grades', () => {
  it('forwards 优 from the department to finance, recording the review', () => {
    const { next, outcome } = reviewAs(atDepartment(), department, 'excellent');
    expect(outcome).toEqual({ kind: 'forwarded' });
    expect(next.status).toBe('finance_review');
    expect(next.reviews).toEqual([{ stage: 'department', grade: 'excellent', by: 'user_dept', at: AT }]);
  });

  it('approves 良 at finance: target version 1, approvedAt now, both reviews kept', () => {
    const { next, outcome } = reviewAs(atFinance(), finance, 'good', '  建议细化满意度指标 ');
    expect(outcome).toEqual({ kind: 'approved', targetVersion: 1 });
    expect(next).toMatchObject({ status: 'approved', targetVersion: 1, approvedAt: AT });
    expect(next.reviews).toEqual([
      { stage: 'department', grade: 'excellent', by: 'user_dept', at: AT },
      { stage: 'finance', grade: 'good', comments: '建议细化满意度指标', by: 'user_finance', at: AT },
    ]);
  });

  it('returns 中 to the unit with a reason carrying the grade label and the comments', () => {
    const { next, outcome } = reviewAs(atDepartment(), department, 'fair', '满意度指标缺少数据来源');
    expect(next.status).toBe('returned');
    const rejection = { stage: 'department_review', outcome: 'returned', grade: 'fair', at: AT, reasons: [{ code: 'review_grade', message: expect.stringContaining('中') }] };
    expect(outcome).toEqual({ kind: 'returned', rejection });
    expect(next.lastRejection).toEqual(rejection);
    expect(next.lastRejection?.reasons[0]?.message).toContain('满意度指标缺少数据来源');
  });

  it('records a 中 from finance at the finance stage', () => {
    const { next } = reviewAs(atFinance(), finance, 'fair', '成本测算依据不足');
    expect(next.lastRejection).toMatchObject({ stage: 'finance_review', outcome: 'returned', grade: 'fair' });
  });

  it('rejects on 差: the object cannot enter this year\'s budget', () => {
    for (const [o, actor] of [[atDepartment(), department], [atFinance(), finance]] as const) {
      const { next, outcome } = reviewAs(o, actor, 'poor', '目标与资金不匹配');
      expect(next.status).toBe('rejected');
      expect(outcome.kind).toBe('rejected');
      expect(next.lastRejection?.reasons[0]?.message).toContain('差');
    }
  });

  it('uses the region\'s own grade label in the reason', () => {
    const { next } = review(atDepartment(), grade('fair', '需修改'), department, NOW, { rules: { ...rules, gradeLabels: { ...labels, fair: 'C级' } } });
    expect(next.lastRejection?.reasons[0]?.message).toContain('C级');
  });

  it('refuses 中 or 差 without comments as invalid on field comments', () => {
    for (const g of ['fair', 'poor'] as const) {
      for (const comments of [undefined, '   ']) {
        const e = failure(() => reviewAs(atDepartment(), department, g, comments));
        expect([e.kind, e.field], `${g} ${comments}`).toEqual(['invalid', 'comments']);
      }
    }
  });

  it('needs no comments on 优', () => {
    expect(reviewAs(atFinance(), finance, 'excellent').next.reviews.at(-1)).not.toHaveProperty('comments');
  });

  it('needs the agreed fixes in the comments on 良 (pass after agreed fixes)', () => {
    const e = failure(() => reviewAs(atDepartment(), department, 'good'));
    expect([e.kind, e.field]).toEqual(['invalid', 'comments']);
    expect(e.message).toContain('agreed fixes');
  });
});

// ---------- results gate ----------

describe('results gate', () => {
  it('stops finance approval of a continuing object whose last evaluation was 差 with a gate error', () => {
    const e = failure(() => reviewAs(atFinance({ lifecycle: 'continuing', continues: 'obj_0000000000' }), finance, 'excellent', undefined, poorLastYear));
    expect(e.kind).toBe('gate');
    expect(e.message).toContain('2025');
  });

  it('lets the department forward it: the gate is finance\'s', () => {
    expect(reviewAs(atDepartment({ lifecycle: 'continuing' }), department, 'excellent', undefined, poorLastYear).next.status).toBe('finance_review');
  });

  it('approves once finance decided to cut or keep', () => {
    for (const d of ['cut', 'keep'] as const) {
      expect(reviewAs(atFinance({ lifecycle: 'continuing', resultsDecision: decision(d) }), finance, 'good', '按意见细化', poorLastYear).next.status, d).toBe('approved');
    }
  });

  it('needs a decision only for a continuing object whose previous evaluation was 差', () => {
    expect(resultsDecisionNeeded(continuing(), poorLastYear)).toBe(true);
    for (const g of ['excellent', 'good', 'fair'] as const) expect(resultsDecisionNeeded(continuing(), { ...poorLastYear, grade: g }), g).toBe(false);
    expect(resultsDecisionNeeded(continuing(), undefined)).toBe(false);
    expect(resultsDecisionNeeded(object({ lifecycle: 'new' }), poorLastYear)).toBe(false);
    expect(resultsDecisionNeeded(continuing({ resultsDecision: decision('keep') }), poorLastYear)).toBe(false);
    expect(resultsDecisionNeeded(continuing({ resultsDecision: decision('cut') }), poorLastYear)).toBe(false);
  });

  it('refuses a decision where none is needed (state error)', () => {
    expect(failure(() => decideResults(continuing(), { decision: 'keep', reason: 'x' }, { ...poorLastYear, grade: 'fair' }, finance, NOW)).kind).toBe('state');
    expect(failure(() => decideResults(continuing(), { decision: 'keep', reason: 'x' }, undefined, finance, NOW)).kind).toBe('state');
    expect(failure(() => decideResults(object({ lifecycle: 'new' }), { decision: 'keep', reason: 'x' }, poorLastYear, finance, NOW)).kind).toBe('state');
  });

  it('refuses a decision on an object already approved, rejected or cancelled', () => {
    for (const status of ['approved', 'rejected', 'cancelled'] as const) {
      expect(failure(() => decideResults(continuing({ status }), { decision: 'keep', reason: 'x' }, poorLastYear, finance, NOW)).kind, status).toBe('state');
    }
  });

  it('needs a reason for any decision', () => {
    const e = failure(() => decideResults(continuing({ status: 'finance_review' }), { decision: 'keep', reason: '  ' }, poorLastYear, finance, NOW));
    expect([e.kind, e.field]).toEqual(['invalid', 'reason']);
  });

  it('cancels: status cancelled, rejected at stage results_gate', () => {
    const { next, outcome } = decideResults(continuing({ status: 'finance_review' }), { decision: 'cancel', reason: '连续两年绩效差' }, poorLastYear, finance, NOW);
    expect(next.status).toBe('cancelled');
    expect(next.lastRejection).toMatchObject({ stage: 'results_gate', outcome: 'rejected', reasons: [{ code: 'results_gate' }] });
    expect(next.lastRejection?.reasons[0]?.message).toContain('连续两年绩效差');
    expect(outcome).toEqual({ cancelled: true, rejection: next.lastRejection });
    expect(next.resultsDecision).toEqual({ decision: 'cancel', reason: '连续两年绩效差', previousGrade: 'poor', decidedAt: AT, decidedBy: 'user_finance' });
  });

  it('keeps: the decision is recorded, status and amounts unchanged', () => {
    const before = continuing({ status: 'finance_review' });
    const { next, outcome } = decideResults(before, { decision: 'keep', reason: ' 已完成整改 ' }, poorLastYear, finance, NOW);
    expect(outcome).toEqual({ cancelled: false });
    expect(next.status).toBe('finance_review');
    expect(next.amounts).toEqual(before.amounts);
    expect(next.resultsDecision).toEqual({ decision: 'keep', reason: '已完成整改', previousGrade: 'poor', decidedAt: AT, decidedBy: 'user_finance' });
  });

  it('cuts: needs the new annual total', () => {
    const e = failure(() => decideResults(continuing(), { decision: 'cut', reason: '压减' }, poorLastYear, finance, NOW));
    expect([e.kind, e.field]).toEqual(['invalid', 'annualTotalWan']);
  });

  it('cuts: the new total must be lower than the current one', () => {
    for (const annualTotalWan of [500, 600]) {
      const e = failure(() => decideResults(continuing(), { decision: 'cut', reason: '压减', annualTotalWan }, poorLastYear, finance, NOW));
      expect([e.kind, e.field], String(annualTotalWan)).toEqual(['invalid', 'annualTotalWan']);
    }
  });

  it('cuts: not by more than the fiscal funds, exactly all of them allowed', () => {
    const e = failure(() => decideResults(continuing(), { decision: 'cut', reason: '压减', annualTotalWan: 99.9999 }, poorLastYear, finance, NOW));
    expect([e.kind, e.field]).toEqual(['invalid', 'annualTotalWan']);
    expect(decideResults(continuing(), { decision: 'cut', reason: '压减', annualTotalWan: 100 }, poorLastYear, finance, NOW).next.amounts).toMatchObject({ annualTotalWan: 100, fiscalWan: 0, otherWan: 100 });
  });

  it('cuts: refuses to cut a transfer payment, whose receiving regions would no longer add up to the total', () => {
    const payment = continuing({ spendingType: 'transfer_payment', receivingRegions: [{ region: '360100', amountWan: 300 }, { region: '360200', amountWan: 200 }] });
    expect(checkDeclaration(payment, payment.region)).toEqual([]);
    const e = failure(() => decideResults(payment, { decision: 'cut', reason: '压减', annualTotalWan: 400 }, poorLastYear, finance, NOW));
    expect([e.kind, e.field]).toEqual(['invalid', 'decision']);
  });

  it('cuts: the cut comes off the fiscal funds and the amounts still add up', () => {
    const { next } = decideResults(continuing({ amounts: { annualTotalWan: 100.3, fiscalWan: 80.1, otherWan: 20.2 } }), { decision: 'cut', reason: '压减30%', annualTotalWan: 70.21 }, poorLastYear, finance, NOW);
    expect(next.amounts).toEqual({ annualTotalWan: 70.21, fiscalWan: 50.01, otherWan: 20.2 });
    expect(next.resultsDecision).toMatchObject({ decision: 'cut', previousAnnualTotalWan: 100.3 });
    expect(checkDeclaration(next, next.region)).toEqual([]);
  });
});

describe('results gate: rectification not done reaches the budget (财预〔2020〕10号)', () => {
  const goodLastYear: PreviousEvaluation = { ...poorLastYear, grade: 'good', totalScore: 86 };
  const none = { orders: 0, open: 0, overdue: 0, closedOnTime: 0, closedLate: 0 };
  const oneOverdue = { ...none, orders: 1, overdue: 1 };
  const withRectification = (rectification: typeof none, gate = rules.resultsGate) => ({ rules: { ...rules, resultsGate: gate }, previousEvaluation: goodLastYear, previousRectification: rectification });

  it('stops finance approval of an object continuing one graded 良 whose rectification order is overdue (before, it passed)', () => {
    const e = failure(() => review(atFinance({ lifecycle: 'continuing', continues: 'obj_0000000000' }), grade('excellent'), finance, NOW, withRectification(oneOverdue)));
    expect(e.kind).toBe('gate');
    expect(e.message).toMatch(/1 rectification order\(s\) not rectified and 0 rectified late/);
  });
  it('lets it through when every order was rectified on time, or when the region turns the rule off', () => {
    const atF = atFinance({ lifecycle: 'continuing', continues: 'obj_0000000000' });
    expect(review(atF, grade('excellent'), finance, NOW, withRectification({ ...none, orders: 2, closedOnTime: 2 })).next.status).toBe('approved');
    expect(review(atF, grade('excellent'), finance, NOW, withRectification(oneOverdue, { unrectifiedNeedsDecision: false })).next.status).toBe('approved');
  });
  it('counts an order rectified late like one not rectified', () => {
    expect(resultsDecisionNeeded(continuing(), goodLastYear, { ...none, orders: 1, closedLate: 1 })).toBe(true);
    expect(resultsDecisionNeeded(continuing(), goodLastYear, { ...none, orders: 1, open: 1 })).toBe(false);
  });
  it('takes finance’s cut for the unrectified orders, recording how many', () => {
    const cut = decideResults(continuing({ status: 'finance_review' }), { decision: 'cut', reason: '整改不到位', annualTotalWan: 450 }, goodLastYear, finance, NOW, oneOverdue, rules.resultsGate);
    expect(cut.next.resultsDecision).toMatchObject({ decision: 'cut', previousGrade: 'good', unrectified: 1, previousAnnualTotalWan: 500 });
    expect(cut.next.amounts.annualTotalWan).toBe(450);
  });
});

// ---------- mid-year revision ----------

const approved = (changes: Partial<SpendingObject> = {}) =>
  atFinance({ status: 'approved', targetVersion: 1, approvedAt: '2026-02-20T00:00:00.000Z', reviews: [{ stage: 'finance', grade: 'excellent', by: 'user_finance', at: AT }], ...changes });
const revise = (o: SpendingObject, findings: Finding[] = [], reason = '受汛期影响调整完成时限') => submitRevision(o, findings, reason, unit, NOW);

describe('mid-year revision', () => {
  it('revises only approved targets', () => {
    for (const status of others(['approved'])) expect(failure(() => revise(object({ status }))).kind, status).toBe('state');
  });

  it('opens a revision at the department stage; the approved targets stand meanwhile', () => {
    const { next, outcome } = revise(approved(), [warning], '  受汛期影响调整完成时限 ');
    expect(outcome).toEqual({ number: 1, stage: 'department_review', reason: '受汛期影响调整完成时限', reviews: [], submittedAt: AT, submittedBy: 'user_unit' });
    expect(next).toMatchObject({ status: 'approved', targetVersion: 1, revisions: 1, revision: outcome });
  });

  it('allows one revision under review at a time', () => {
    const pending = revise(approved()).next;
    expect(failure(() => revise(pending)).kind).toBe('state');
  });

  it('refuses revised targets that fail the automatic check', () => {
    const e = failure(() => revise(approved(), [error('unit_missing', 0), warning]));
    expect([e.kind, e.field]).toEqual(['invalid', 'targets']);
  });

  it('needs a reason', () => {
    const e = failure(() => revise(approved(), [], ' '));
    expect([e.kind, e.field]).toEqual(['invalid', 'reason']);
  });

  it('goes to the department, then to finance, each checked for role', () => {
    const pending = revise(approved()).next;
    expect(failure(() => reviewAs(pending, finance, 'excellent')).kind).toBe('forbidden');
    expect(failure(() => reviewAs(pending, otherDepartment, 'excellent')).kind).toBe('forbidden');
    const forwarded = reviewAs(pending, department, 'excellent');
    expect(forwarded.outcome).toEqual({ kind: 'revision_forwarded' });
    expect(forwarded.next).toMatchObject({ status: 'approved', revision: { stage: 'finance_review' } });
    expect(failure(() => reviewAs(forwarded.next, department, 'excellent')).kind).toBe('forbidden');
  });

  it('approval raises the target version by one and closes the revision', () => {
    const atFinanceStage = reviewAs(revise(approved({ targetVersion: 2 })).next, department, 'good', '按意见细化').next;
    const { next, outcome } = reviewAs(atFinanceStage, finance, 'excellent');
    expect(next.targetVersion).toBe(3);
    expect(next.status).toBe('approved');
    expect(next).not.toHaveProperty('revision');
    expect(outcome).toMatchObject({ kind: 'revision_approved', targetVersion: 3, revision: { number: 1, reviews: [{ stage: 'department', grade: 'good' }, { stage: 'finance', grade: 'excellent' }] } });
  });

  it('leaves the reviews of the original approval alone', () => {
    const before = approved();
    const atFinanceStage = reviewAs(revise(before).next, department, 'good', '按意见细化').next;
    expect(reviewAs(atFinanceStage, finance, 'good', '按意见细化').next.reviews).toEqual(before.reviews);
  });

  it('discards the revision on 中 or 差: the approved targets and status stay', () => {
    for (const [g, kind] of [['fair', 'revision_returned'], ['poor', 'revision_rejected']] as const) {
      const { next, outcome } = reviewAs(revise(approved()).next, department, g, '调整理由不充分');
      expect(next.status, g).toBe('approved');
      expect(next.targetVersion, g).toBe(1);
      expect(next, g).not.toHaveProperty('revision');
      expect(outcome, g).toMatchObject({ kind, rejection: { stage: 'department_review', grade: g }, revision: { number: 1 } });
    }
  });

  it('numbers the next revision after a discarded one', () => {
    const discarded = reviewAs(revise(approved()).next, department, 'fair', '调整理由不充分').next;
    expect(revise(discarded).outcome.number).toBe(2);
  });

  it('needs comments on 中 or 差 for a revision too', () => {
    expect(failure(() => reviewAs(revise(approved()).next, department, 'fair')).field).toBe('comments');
  });
});

describe('mid-year revision with new money', () => {
  /** 500 万元 (400 fiscal + 100 other) raised to 800 (700 + 100) for an added training task. */
  const raise: AmountChange = { amounts: { mediumTermTotalWan: 1800, annualTotalWan: 800, fiscalWan: 700, otherWan: 100 }, reason: '  追加培训任务，调增300万元 ' };
  const reviseWithMoney = (o: SpendingObject, change: AmountChange = raise) => submitRevision(o, [], '追加培训任务', unit, NOW, change);
  const throughBothReviews = (o: SpendingObject) => reviewAs(reviewAs(o, department, 'good', '按意见细化').next, finance, 'excellent');

  it('keeps the new money on the revision, with its reason, while the approved amounts stand', () => {
    const { next, outcome } = reviseWithMoney(approved());
    expect(outcome.amountChange).toEqual({ amounts: raise.amounts, reason: '追加培训任务，调增300万元' });
    expect(next.amounts).toEqual(spendingObject().amounts);
  });

  it('records the change of the annual amount in the history of the submission', () => {
    expect(reviseWithMoney(approved()).history.reason).toBe('追加培训任务; annual amount 500 → 800 万元: 追加培训任务，调增300万元');
  });

  it('puts the new amounts on the object when finance approves the revision (before, a revision left the money as it was)', () => {
    const { next, outcome } = throughBothReviews(reviseWithMoney(approved()).next);
    expect(outcome.kind).toBe('revision_approved');
    expect(next.amounts).toEqual(raise.amounts);
  });

  it('leaves the amounts when the revision is discarded (中)', () => {
    const { next } = reviewAs(reviseWithMoney(approved()).next, department, 'fair', '调增依据不足');
    expect(next.amounts).toEqual(spendingObject().amounts);
  });

  it('refuses new amounts that do not add up, as invalid on amountChange.amounts.annualTotalWan', () => {
    const e = failure(() => reviseWithMoney(approved(), { ...raise, amounts: { annualTotalWan: 900, fiscalWan: 700, otherWan: 100 } }));
    expect([e.kind, e.field]).toEqual(['invalid', 'amountChange.amounts.annualTotalWan']);
  });

  it('refuses new money without its reason, as invalid on amountChange.reason', () => {
    const e = failure(() => reviseWithMoney(approved(), { ...raise, reason: ' ' }));
    expect([e.kind, e.field]).toEqual(['invalid', 'amountChange.reason']);
  });

  it("gives a transfer payment its receiving regions' new shares on approval", () => {
    const payment = approved({ spendingType: 'transfer_payment', receivingRegions: [{ region: '360100', amountWan: 300 }, { region: '360200', amountWan: 200 }] });
    const shares = [{ region: '360100', amountWan: 500 }, { region: '360200', amountWan: 300 }];
    const { next } = throughBothReviews(reviseWithMoney(payment, { ...raise, receivingRegions: shares }).next);
    expect([next.amounts.annualTotalWan, next.receivingRegions]).toEqual([800, shares]);
  });
});

// ---------- history, version, clock ----------

describe('history and versions', () => {
  const pendingAtFinance = reviewAs(revise(approved()).next, department, 'good', '按意见细化').next;
  const transitions: [string, SpendingObject, () => Transition<unknown>][] = [
    ['submit accepted', object(), () => submit(object(), input(), undefined, unit, NOW)],
    ['submit returned', object(), () => submit(object(), input({ findings: [error('unit_missing', 0)] }), undefined, unit, NOW)],
    ['department forwards', atDepartment(), () => reviewAs(atDepartment(), department, 'excellent')],
    ['finance approves', atFinance(), () => reviewAs(atFinance(), finance, 'good', '按意见细化')],
    ['department returns', atDepartment(), () => reviewAs(atDepartment(), department, 'fair', '补充')],
    ['finance rejects', atFinance(), () => reviewAs(atFinance(), finance, 'poor', '不匹配')],
    ['results keep', continuing(), () => decideResults(continuing(), { decision: 'keep', reason: '整改' }, poorLastYear, finance, NOW)],
    ['results cut', continuing(), () => decideResults(continuing(), { decision: 'cut', reason: '压减', annualTotalWan: 400 }, poorLastYear, finance, NOW)],
    ['results cancel', continuing(), () => decideResults(continuing(), { decision: 'cancel', reason: '取消' }, poorLastYear, finance, NOW)],
    ['revision submitted', approved(), () => revise(approved())],
    ['revision approved', pendingAtFinance, () => reviewAs(pendingAtFinance, finance, 'good', '按意见细化')],
    ['revision returned', pendingAtFinance, () => reviewAs(pendingAtFinance, finance, 'fair', '补充')],
  ];

  it('adds exactly one to the version and sets updatedAt to now on every transition', () => {
    for (const [name, before, run] of transitions) {
      const { next } = run();
      expect(next.version, name).toBe(before.version + 1);
      expect(next.updatedAt, name).toBe(AT);
    }
  });

  it('writes a history entry for every transition: from, to, actor, version, time', () => {
    for (const [name, before, run] of transitions) {
      const { next, history } = run();
      expect(history, name).toMatchObject({ at: AT, from: before.status, to: next.status, version: next.version });
      expect(Object.keys(history.actor).sort(), name).toEqual(['role', 'sub']);
    }
  });

  it('leaves the object it was given unchanged', () => {
    for (const [name, before, run] of transitions) {
      const copy = structuredClone(before);
      run();
      expect(before, name).toEqual(copy);
    }
  });

  it('records the actor without department or unit', () => {
    expect(submit(object(), input(), undefined, unit, NOW).history.actor).toEqual({ sub: 'user_unit', role: 'unit' });
  });

  it('records the grade and comments of a review, and the target version of an approval', () => {
    expect(reviewAs(atDepartment(), department, 'fair', '补充数据来源').history).toMatchObject({ grade: 'fair', reason: '补充数据来源', from: 'department_review', to: 'returned' });
    expect(reviewAs(atFinance(), finance, 'excellent').history).toMatchObject({ grade: 'excellent', targetVersion: 1, from: 'finance_review', to: 'approved' });
  });

  it('records every reason of a returned submission', () => {
    const { history } = submit(object(), input({ findings: [error('unit_missing', 0), error('overall_goal_missing')] }), undefined, unit, NOW);
    expect(history.reason).toContain('unit_missing message');
    expect(history.reason).toContain('overall_goal_missing message');
  });

  it('records the revision number on revision transitions, and the new target version on approval', () => {
    expect(revise(approved()).history).toMatchObject({ revision: 1, reason: '受汛期影响调整完成时限' });
    expect(reviewAs(pendingAtFinance, finance, 'good', '按意见细化').history).toMatchObject({ revision: 1, grade: 'good', targetVersion: 2 });
  });

  it('records the reason of a results decision', () => {
    expect(decideResults(continuing(), { decision: 'keep', reason: '已整改' }, poorLastYear, finance, NOW).history).toMatchObject({ reason: '已整改', actor: { sub: 'user_finance', role: 'finance' } });
  });
});

describe('results gate: after the decision', () => {
  const cutTo = (o: SpendingObject, annualTotalWan: number) => decideResults(o, { decision: 'cut', reason: '连续评价为差', annualTotalWan }, poorLastYear, finance, NOW);

  it('returns an object under review to the unit when finance cuts it, so the targets match the smaller amount', () => {
    const { next, outcome } = cutTo(continuing({ status: 'finance_review', reviews: [] }), spendingObject().amounts.annualTotalWan / 2);
    expect(next.status).toBe('returned');
    expect(outcome.rejection).toMatchObject({ stage: 'results_gate', outcome: 'returned', reasons: [expect.objectContaining({ code: 'results_gate', message: expect.stringContaining('adjust the targets') })] });
  });

  it('leaves a draft where it is when finance cuts it early', () => {
    expect(cutTo(continuing({ status: 'draft' }), spendingObject().amounts.annualTotalWan / 2).next.status).toBe('draft');
  });

  it('refuses a second decision: the first one stands', () => {
    const e = failure(() => decideResults(continuing({ status: 'draft', resultsDecision: decision('cut') }), { decision: 'keep', reason: '改判' }, poorLastYear, finance, NOW));
    expect(e.kind).toBe('state');
    expect(e.message).toContain('already decided');
  });

  it('keeps the unit from unlinking the predecessor, changing the lifecycle or raising a cut amount', () => {
    const cut = continuing({ status: 'returned', resultsDecision: decision('cut') });
    expect(changesAfterDecision(cut, { lifecycle: 'new', continues: 'obj_9999999999', annualTotalWan: cut.amounts.annualTotalWan + 1 }).map((v) => v.field)).toEqual([
      'lifecycle',
      'continues',
      'amounts.annualTotalWan',
    ]);
    expect(changesAfterDecision(cut, { annualTotalWan: cut.amounts.annualTotalWan - 1 })).toEqual([]);
    expect(changesAfterDecision(continuing(), { lifecycle: 'new' })).toEqual([]);
  });
});
