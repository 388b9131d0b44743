import { describe, expect, it } from 'vitest';
import { assessExAnte, conclusionFor, exAnteRequired, totalScore, type ExAnteInput, type ExAnteScores, type ExAnteSubject } from '../../services/declaration/domain/ex-ante.ts';
import { defaultRules } from '../../services/declaration/domain/rules.ts';
import { wanToYuan } from '../../services/declaration/domain/amounts.ts';

const rules = defaultRules('360000', 2026);
const scores = (each: number): ExAnteScores => ({ necessity: each, economy: each, targetReasonableness: each, feasibility: each, financingCompliance: each });
const input = (overrides: Partial<ExAnteInput> = {}): ExAnteInput => ({ scores: scores(16), requestedAmountWan: 2000, recommendedCeilingWan: 1800, ...overrides });

describe('ex-ante conclusion', () => {
  it('supports at exactly the support cut-off and adjusts just below it', () => {
    expect(conclusionFor(75, rules.exAnteCutoffs)).toBe('support');
    expect(conclusionFor(74.99, rules.exAnteCutoffs)).toBe('support_after_adjustment');
  });

  it('supports after adjustment at exactly 60 and refuses just below', () => {
    expect(conclusionFor(60, rules.exAnteCutoffs)).toBe('support_after_adjustment');
    expect(conclusionFor(59.99, rules.exAnteCutoffs)).toBe('not_supported');
  });

  it('sums decimal scores without floating-point drift', () => {
    const s = { necessity: 15.1, economy: 15.2, targetReasonableness: 14.9, feasibility: 14.8, financingCompliance: 15 };
    expect(totalScore(s)).toBe(75);
    const result = assessExAnte(input({ scores: s }), rules);
    expect(result.ok && result.assessment.conclusion).toBe('support');
  });

  it('follows the region-year cut-offs, not fixed ones', () => {
    const strict = { ...rules, exAnteCutoffs: { support: 85, supportAfterAdjustment: 70 } };
    const result = assessExAnte(input(), strict); // 80 points
    expect(result.ok && result.assessment).toMatchObject({ total: 80, computedConclusion: 'support_after_adjustment', conclusion: 'support_after_adjustment' });
  });
});

describe('ex-ante assessment', () => {
  it('scores five dimensions into a total and a conclusion', () => {
    const result = assessExAnte(input(), rules);
    expect(result).toEqual({
      ok: true,
      assessment: {
        scores: scores(16),
        total: 80,
        computedConclusion: 'support',
        conclusion: 'support',
        requestedAmountWan: 2000,
        recommendedCeilingWan: 1800,
      },
    });
  });

  it('accepts dimension scores of 0 and 20 and rejects anything outside, naming the dimension', () => {
    expect(assessExAnte(input({ scores: { ...scores(0), necessity: 20 } }), rules).ok).toBe(true);
    const result = assessExAnte(input({ scores: { ...scores(10), economy: 21, feasibility: -1 } }), rules);
    expect(result.ok ? [] : result.violations.map((v) => v.field)).toEqual(['scores.economy', 'scores.feasibility']);
  });

  it('keeps both the computed and the final conclusion when finance overrides', () => {
    const result = assessExAnte(input({ scores: scores(10), override: { conclusion: 'support_after_adjustment', reason: ' 省委重点民生项目 ' } }), rules);
    expect(result.ok && result.assessment).toMatchObject({
      total: 50,
      computedConclusion: 'not_supported',
      conclusion: 'support_after_adjustment',
      override: { conclusion: 'support_after_adjustment', reason: '省委重点民生项目' },
    });
  });

  it('refuses an override without a reason', () => {
    const result = assessExAnte(input({ override: { conclusion: 'support', reason: '  ' } }), rules);
    expect(result.ok ? [] : result.violations.map((v) => v.field)).toEqual(['override.reason']);
  });

  it('allows a ceiling equal to the request and refuses one above it unless finance overrides', () => {
    expect(assessExAnte(input({ recommendedCeilingWan: 2000 }), rules).ok).toBe(true);
    const above = assessExAnte(input({ recommendedCeilingWan: 2000.01 }), rules);
    expect(above.ok ? [] : above.violations.map((v) => v.field)).toEqual(['recommendedCeilingWan']);
    expect(assessExAnte(input({ recommendedCeilingWan: 2500, override: { conclusion: 'support', reason: '上级配套要求' } }), rules).ok).toBe(true);
  });

  it('refuses a negative ceiling', () => {
    const result = assessExAnte(input({ recommendedCeilingWan: -1 }), rules);
    expect(result.ok ? [] : result.violations.map((v) => v.field)).toEqual(['recommendedCeilingWan']);
  });
});

describe('when an ex-ante assessment is required: new objects, only major ones', () => {
  /** Default thresholds: 5,000,000 yuan (500 万元) a year for new projects and new transfer payments. */
  const fresh = (spendingType: ExAnteSubject['spendingType'], annualAmountWan: number): ExAnteSubject => ({ spendingType, status: 'new', proposedForRenewal: false, annualAmountWan });

  it('does not require it for a new 5 万元 project: 50,000 yuan is below the 5,000,000 yuan major-object threshold', () => {
    expect(exAnteRequired(fresh('project', 5), rules)).toEqual({ required: false, reason: 'a new project of 50000 yuan a year is below the major-object threshold of 5000000 yuan' });
  });

  it('requires it for a new 800 万元 project: 8,000,000 yuan reaches the 5,000,000 yuan threshold', () => {
    expect(exAnteRequired(fresh('project', 800), rules)).toEqual({ required: true, reason: 'a new project of 8000000 yuan a year reaches the major-object threshold of 5000000 yuan' });
  });

  it('requires it for a new project at exactly the threshold: 500 万元 = 5,000,000 yuan', () => {
    expect(exAnteRequired(fresh('project', 500), rules).required).toBe(true);
  });

  it('does not require it for a new project one fen below the threshold: 499.999999 万元 = 4,999,999.99 yuan', () => {
    expect(wanToYuan(499.999999)).toBe(4_999_999.99);
    expect(exAnteRequired(fresh('project', 499.999999), rules).required).toBe(false);
  });

  it('does not require it for new department overall spending, however large (50,000 万元)', () => {
    expect(exAnteRequired(fresh('department_overall', 50_000), rules)).toEqual({ required: false, reason: 'department overall spending is not a new policy or project: no ex-ante assessment' });
  });

  it('requires it for a new 500 万元 transfer payment: 5,000,000 yuan reaches its threshold', () => {
    expect(exAnteRequired(fresh('transfer_payment', 500), rules)).toEqual({ required: true, reason: 'a new transfer payment of 5000000 yuan a year reaches the major-object threshold of 5000000 yuan' });
  });

  it('judges a transfer payment by its own threshold: at 1,000,000 yuan for transfers and 10,000,000 for projects, a new 200 万元 transfer needs one', () => {
    const split = { ...rules, exAnteMajorThresholdYuan: { project: 10_000_000, transfer_payment: 1_000_000 } };
    expect(exAnteRequired(fresh('transfer_payment', 200), split).required).toBe(true);
  });

  it('judges a project by its own threshold: under the same rules a new 200 万元 project (2,000,000 < 10,000,000 yuan) needs none', () => {
    const split = { ...rules, exAnteMajorThresholdYuan: { project: 10_000_000, transfer_payment: 1_000_000 } };
    expect(exAnteRequired(fresh('project', 200), split).required).toBe(false);
  });

  it('follows the region: lowering the project threshold to 1 万元 (10,000 yuan) requires it for the 5 万元 project (50,000 yuan)', () => {
    const low = { ...rules, exAnteMajorThresholdYuan: { ...rules.exAnteMajorThresholdYuan, project: 10_000 } };
    expect(exAnteRequired(fresh('project', 5), low).required).toBe(true);
  });

  it('follows the region: raising the project threshold to 1,000 万元 (10,000,000 yuan) frees the 800 万元 project (8,000,000 yuan)', () => {
    const high = { ...rules, exAnteMajorThresholdYuan: { ...rules.exAnteMajorThresholdYuan, project: 10_000_000 } };
    expect(exAnteRequired(fresh('project', 800), high).required).toBe(false);
  });

  it('converts 万元 to yuan without floating-point error at the major-object threshold', () => {
    const odd = { ...rules, exAnteMajorThresholdYuan: { ...rules.exAnteMajorThresholdYuan, project: 10_050 } };
    expect(exAnteRequired(fresh('project', 1.005), odd).required).toBe(true);
  });
});

describe('when an ex-ante assessment is required: continuing objects', () => {
  /** Default renewal threshold: 10,000,000 yuan (1,000 万元). */
  const renewal = (annualAmountWan: number, spendingType: ExAnteSubject['spendingType'] = 'project'): ExAnteSubject => ({ spendingType, status: 'continuing', proposedForRenewal: true, annualAmountWan });

  it('requires it for a renewal at exactly the threshold: 1000 万元 = 10,000,000 yuan', () => {
    expect(exAnteRequired(renewal(1000), rules).required).toBe(true);
  });

  it('does not require it for a renewal one yuan below the threshold', () => {
    expect(exAnteRequired(renewal(999.9999), rules).required).toBe(false);
  });

  it('judges a renewal by the renewal threshold, not the major-object one: an 800 万元 renewal (8,000,000 < 10,000,000 yuan) needs none', () => {
    expect(exAnteRequired(renewal(800), rules)).toEqual({ required: false, reason: 'renewal of 8000000 yuan is below the threshold of 10000000 yuan' });
  });

  it('does not require it for department overall spending proposed for renewal, however large (50,000 万元)', () => {
    expect(exAnteRequired(renewal(50_000, 'department_overall'), rules).required).toBe(false);
  });

  it('does not require it for a continuing object that is not up for renewal, however large', () => {
    expect(exAnteRequired({ spendingType: 'project', status: 'continuing', proposedForRenewal: false, annualAmountWan: 50_000 }, rules).required).toBe(false);
  });

  it('uses the region-year threshold', () => {
    const low = { ...rules, exAnteRenewalThresholdYuan: 1_000_000 };
    expect(exAnteRequired(renewal(100), low).required).toBe(true);
    expect(exAnteRequired(renewal(99.99), low).required).toBe(false);
  });

  it('converts 万元 to yuan without floating-point error at the boundary', () => {
    expect(1.005 * 10_000).toBeLessThan(10_050); // the trap
    expect(wanToYuan(1.005)).toBe(10_050);
    const odd = { ...rules, exAnteRenewalThresholdYuan: 10_050 };
    expect(exAnteRequired(renewal(1.005), odd).required).toBe(true);
  });
});
