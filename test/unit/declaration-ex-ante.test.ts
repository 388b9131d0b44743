import { describe, expect, it } from 'vitest';
import { assessExAnte, conclusionFor, exAnteRequired, totalScore, type ExAnteInput, type ExAnteScores } from '../../services/declaration/domain/ex-ante.ts';
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

describe('when an ex-ante assessment is required', () => {
  it('always requires it for a new object, however small', () => {
    expect(exAnteRequired({ status: 'new', proposedForRenewal: false, annualAmountWan: 1 }, rules).required).toBe(true);
  });

  it('requires it for a renewal at exactly the threshold: 1000 万元 = 10,000,000 yuan', () => {
    expect(exAnteRequired({ status: 'continuing', proposedForRenewal: true, annualAmountWan: 1000 }, rules).required).toBe(true);
  });

  it('does not require it for a renewal one yuan below the threshold', () => {
    expect(exAnteRequired({ status: 'continuing', proposedForRenewal: true, annualAmountWan: 999.9999 }, rules).required).toBe(false);
  });

  it('does not require it for a continuing object that is not up for renewal, however large', () => {
    expect(exAnteRequired({ status: 'continuing', proposedForRenewal: false, annualAmountWan: 50_000 }, rules).required).toBe(false);
  });

  it('uses the region-year threshold', () => {
    const low = { ...rules, exAnteRenewalThresholdYuan: 1_000_000 };
    expect(exAnteRequired({ status: 'continuing', proposedForRenewal: true, annualAmountWan: 100 }, low).required).toBe(true);
    expect(exAnteRequired({ status: 'continuing', proposedForRenewal: true, annualAmountWan: 99.99 }, low).required).toBe(false);
  });

  it('converts 万元 to yuan without floating-point error at the boundary', () => {
    expect(1.005 * 10_000).toBeLessThan(10_050); // the trap
    expect(wanToYuan(1.005)).toBe(10_050);
    const odd = { ...rules, exAnteRenewalThresholdYuan: 10_050 };
    expect(exAnteRequired({ status: 'continuing', proposedForRenewal: true, annualAmountWan: 1.005 }, odd).required).toBe(true);
  });
});
