import { describe, expect, it } from 'vitest';
import { countingGrade, poorGradeCaseDue, redWindowsCaseDue, windowRed, type GradeState, type WindowState } from '../../services/accountability/domain/case-triggers.ts';
import { close, closeViolations, decide, decisionViolations, entryViolation, mayAct, triggeredCaseId, type AccountabilityCase } from '../../services/accountability/domain/case.ts';
import { defaultAccountabilityRules } from '../../services/accountability/domain/rules.ts';

const params = (cases: Partial<{ poorGradeYears: number; redWindowsUncorrected: number }> = {}) => {
  const p = defaultAccountabilityRules('360000', 2027);
  return { ...p, cases: { ...p.cases, ...cases } };
};

const state = (objectId: string, fiscalYear: number, grades: GradeState['grades'], continues?: string): GradeState => ({ objectId, fiscalYear, grades, ...(continues ? { continues } : {}) });
const lookupOf = (...states: GradeState[]) => (id: string) => states.find((s) => s.objectId === id);

describe('the grade that counts', () => {
  it('is the key evaluation over the finance review over the self-evaluation', () => {
    expect(countingGrade({ self: 'poor', finance_review: 'fair', key: 'good' })).toBe('good');
    expect(countingGrade({ self: 'poor', finance_review: 'fair' })).toBe('fair');
    expect(countingGrade({ self: 'poor' })).toBe('poor');
    expect(countingGrade({})).toBeUndefined();
  });
});

describe('rule: 差 N years running', () => {
  const y2026 = state('obj_a2026', 2026, { self: 'poor' });
  const y2027 = state('obj_a2027', 2027, { finance_review: 'poor', self: 'fair' }, 'obj_a2026');

  it('opens when the object and the one it continues are both graded 差 (default 2 years)', () => {
    const run = poorGradeCaseDue(y2027, lookupOf(y2026, y2027), params());
    expect(run?.years).toEqual([
      { objectId: 'obj_a2027', fiscalYear: 2027, grade: 'poor' },
      { objectId: 'obj_a2026', fiscalYear: 2026, grade: 'poor' },
    ]);
  });
  it('does not open on one 差 year', () => {
    expect(poorGradeCaseDue(state('obj_b', 2027, { self: 'poor' }), lookupOf(), params())).toBeUndefined();
  });
  it('does not open when the predecessor is not yet known', () => {
    expect(poorGradeCaseDue(y2027, lookupOf(y2027), params())).toBeUndefined();
  });
  it('uses the grade that counts: a finance review above 差 stops the run', () => {
    const reviewed = state('obj_a2026', 2026, { self: 'poor', finance_review: 'fair' });
    expect(poorGradeCaseDue(y2027, lookupOf(reviewed, y2027), params())).toBeUndefined();
  });
  it('needs the predecessor to be of the year before', () => {
    const older = state('obj_a2026', 2025, { self: 'poor' });
    expect(poorGradeCaseDue(y2027, lookupOf(older, y2027), params())).toBeUndefined();
  });
  it('follows the chain as far as the parameter asks (3 years)', () => {
    const y2025 = state('obj_a2025', 2025, { key: 'poor' });
    const mid = state('obj_a2026', 2026, { self: 'poor' }, 'obj_a2025');
    const lookup = lookupOf(y2025, mid, y2027);
    expect(poorGradeCaseDue(y2027, lookup, params({ poorGradeYears: 3 }))?.years.map((y) => y.fiscalYear)).toEqual([2027, 2026, 2025]);
    expect(poorGradeCaseDue(y2027, lookupOf(mid, y2027), params({ poorGradeYears: 3 }))).toBeUndefined();
  });
  it('is off at 0', () => {
    expect(poorGradeCaseDue(y2027, lookupOf(y2026, y2027), params({ poorGradeYears: 0 }))).toBeUndefined();
  });
  it('survives a cycle in continues', () => {
    const a = state('obj_x', 2027, { self: 'poor' }, 'obj_y');
    const b = state('obj_y', 2026, { self: 'poor' }, 'obj_x');
    expect(poorGradeCaseDue(a, lookupOf(a, b), params({ poorGradeYears: 3 }))).toBeUndefined();
  });
});

const win = (throughMonth: number, w: Partial<WindowState>): WindowState => ({ windowId: `win_${throughMonth}`, label: `1~${throughMonth}月`, throughMonth, fiscalYear: 2027, ...w });

describe('rule: execution red N windows running without correction', () => {
  it('opens on two consecutive red windows (default)', () => {
    const run = redWindowsCaseDue([win(6, { deviationRed: true }), win(9, { reportedRevision: 1, reportedRed: true })], params());
    expect(run?.map((w) => w.windowId)).toEqual(['win_6', 'win_9']);
  });
  it('does not open on one red window', () => {
    expect(redWindowsCaseDue([win(6, { deviationRed: true })], params())).toBeUndefined();
  });
  it('a correction in between ends the run', () => {
    expect(redWindowsCaseDue([win(6, { deviationRed: true }), win(7, { deviationRed: true, corrected: true }), win(9, { deviationRed: true })], params())).toBeUndefined();
  });
  it('a report whose execution is not red ends the run', () => {
    expect(redWindowsCaseDue([win(6, { deviationRed: true }), win(7, { reportedRevision: 1, reportedRed: false }), win(9, { deviationRed: true })], params())).toBeUndefined();
  });
  it('the latest report revision of a window decides over its deviation', () => {
    expect(windowRed(win(6, { deviationRed: true, reportedRevision: 2, reportedRed: false }))).toBe(false);
    expect(windowRed(win(6, { reportedRevision: 1, reportedRed: true }))).toBe(true);
  });
  it('orders windows by month whatever the order events arrived in', () => {
    expect(redWindowsCaseDue([win(9, { deviationRed: true }), win(3, { reportedRevision: 1, reportedRed: false }), win(6, { deviationRed: true })], params())?.map((w) => w.throughMonth)).toEqual([6, 9]);
  });
  it('is off at 0 and honours a longer run', () => {
    const windows = [win(6, { deviationRed: true }), win(9, { deviationRed: true })];
    expect(redWindowsCaseDue(windows, params({ redWindowsUncorrected: 0 }))).toBeUndefined();
    expect(redWindowsCaseDue(windows, params({ redWindowsUncorrected: 3 }))).toBeUndefined();
  });
});

describe('case ids by rule', () => {
  it('are the same for the same rule and object, and differ otherwise', () => {
    expect(triggeredCaseId('poor_grade_years', 'obj_1')).toBe(triggeredCaseId('poor_grade_years', 'obj_1'));
    expect(triggeredCaseId('poor_grade_years', 'obj_1')).not.toBe(triggeredCaseId('red_windows_uncorrected', 'obj_1'));
    expect(triggeredCaseId('poor_grade_years', 'obj_1')).toMatch(/^case_[a-f0-9]{24}$/);
  });
});

const openCase = (): AccountabilityCase => ({
  id: 'case_0000000000aa',
  version: 1,
  region: '360000',
  fiscalYear: 2027,
  rule: 'manual',
  subject: '某项目',
  reason: '审计发现',
  status: 'open',
  openedAt: '2027-05-01T00:00:00.000Z',
  openedBy: 'npc-1',
  updatedAt: '2027-05-01T00:00:00.000Z',
  lastSeq: 1,
  lastHash: 'a'.repeat(64),
});
const finance = { sub: 'fin-1', role: 'finance' };

describe('who may do what with a case', () => {
  it('supervisors and finance open, annotate and read; only finance decides and closes; departments and units nothing', () => {
    expect(['open', 'note', 'evidence', 'read'].every((a) => mayAct('supervisor', a as never) && mayAct('finance', a as never))).toBe(true);
    expect(mayAct('finance', 'decide') && mayAct('finance', 'close')).toBe(true);
    expect(mayAct('supervisor', 'decide') || mayAct('supervisor', 'close')).toBe(false);
    expect(['open', 'read', 'decide'].some((a) => mayAct('department', a as never) || mayAct('unit', a as never))).toBe(false);
  });
});

describe('decisions', () => {
  it('need at least one reason', () => {
    expect(decisionViolations(openCase(), { outcome: 'admonition', reasons: [] }).violations.map((v) => v.field)).toEqual(['reasons']);
    expect(decisionViolations(openCase(), { outcome: 'admonition', reasons: ['  '] }).violations.map((v) => v.field)).toEqual(['reasons']);
  });
  it('fund recovery and budget cut need the amount; other outcomes carry none', () => {
    expect(decisionViolations(openCase(), { outcome: 'fund_recovery', reasons: ['x'] }).violations.map((v) => v.field)).toEqual(['amountWan']);
    expect(decisionViolations(openCase(), { outcome: 'budget_cut', reasons: ['x'], amountWan: 50 }).violations).toEqual([]);
    expect(decisionViolations(openCase(), { outcome: 'criticism', reasons: ['x'], amountWan: 50 }).violations.map((v) => v.field)).toEqual(['amountWan']);
  });
  it('a referral names the organ', () => {
    expect(decisionViolations(openCase(), { outcome: 'referral', reasons: ['x'] }).violations.map((v) => v.field)).toEqual(['referredTo']);
    expect(decisionViolations(openCase(), { outcome: 'referral', reasons: ['x'], referredTo: '市纪委监委' }).violations).toEqual([]);
  });
  it('only an open case is decided', () => {
    const decided = decide(openCase(), { outcome: 'no_action', reasons: ['事实不成立'] }, finance, '2027-05-02T00:00:00.000Z');
    expect(decided.status).toBe('decided');
    expect(decided.decision).toMatchObject({ outcome: 'no_action', reasons: ['事实不成立'], decidedBy: 'fin-1' });
    expect(decisionViolations(decided, { outcome: 'admonition', reasons: ['x'] }).state).toMatch(/decided/);
  });
});

describe('closing', () => {
  it('an open case closes only with reasons', () => {
    expect(closeViolations(openCase(), undefined).violations.map((v) => v.field)).toEqual(['reasons']);
    expect(closeViolations(openCase(), ['线索不实']).violations).toEqual([]);
  });
  it('a decided case closes without further reasons; a closed one not again, and takes no more entries', () => {
    const decided = decide(openCase(), { outcome: 'admonition', reasons: ['x'] }, finance, '2027-05-02T00:00:00.000Z');
    expect(closeViolations(decided, undefined)).toEqual({ violations: [] });
    const closed = close(decided, undefined, finance, '2027-05-03T00:00:00.000Z');
    expect(closed.status).toBe('closed');
    expect(closeViolations(closed, ['x']).state).toMatch(/already closed/);
    expect(entryViolation(closed)).toMatch(/closed/);
    expect(entryViolation(decided)).toBeUndefined();
  });
});
