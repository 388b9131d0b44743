import { describe, expect, it } from 'vitest';
import { defaultRules, requiredCategories, validateRules, withDefaults, type DeclarationRules } from '../../services/declaration/domain/rules.ts';

const base = defaultRules('360000', 2026);
const fields = (rules: DeclarationRules) => validateRules(rules).map((v) => v.field);

describe('declaration rule parameters', () => {
  it('ships defaults that validate', () => {
    expect(validateRules(base)).toEqual([]);
  });

  it('documents the defaults: new projects and transfer payments major from 5 million yuan, 10 million yuan renewal threshold, cut-offs 75/60, half quantitative, no weights, 0.8 history factor', () => {
    expect(base).toMatchObject({
      exAnteMajorThresholdYuan: { project: 5_000_000, transfer_payment: 5_000_000 },
      exAnteRenewalThresholdYuan: 10_000_000,
      exAnteCutoffs: { support: 75, supportAfterAdjustment: 60 },
      requiredLevel1: ['output', 'benefit', 'satisfaction'],
      costRequired: false,
      minQuantitativeShare: 0.5,
      weightsRequired: false,
      reservedWeight: 0,
      farBelowHistoryFactor: 0.8,
      gradeLabels: { excellent: '优', good: '良', fair: '中', poor: '差' },
    });
  });

  it('adds cost to the required categories only when the year requires it', () => {
    expect(requiredCategories(base)).toEqual(['output', 'benefit', 'satisfaction']);
    expect(requiredCategories({ ...base, costRequired: true })).toEqual(['output', 'benefit', 'satisfaction', 'cost']);
  });

  it('rejects cut-offs out of order, and equal cut-offs that make adjustment unreachable', () => {
    expect(fields({ ...base, exAnteCutoffs: { support: 60, supportAfterAdjustment: 75 } })).toEqual(['exAnteCutoffs.supportAfterAdjustment']);
    expect(fields({ ...base, exAnteCutoffs: { support: 70, supportAfterAdjustment: 70 } })).toEqual(['exAnteCutoffs.supportAfterAdjustment']);
  });

  it('rejects cut-offs outside 0..100', () => {
    expect(fields({ ...base, exAnteCutoffs: { support: 101, supportAfterAdjustment: 60 } })).toEqual(['exAnteCutoffs.support']);
    expect(fields({ ...base, exAnteCutoffs: { support: 75, supportAfterAdjustment: -1 } })).toEqual(['exAnteCutoffs.supportAfterAdjustment']);
  });

  it('accepts the quantitative share at 0 and 1 and rejects it outside', () => {
    expect(fields({ ...base, minQuantitativeShare: 0 })).toEqual([]);
    expect(fields({ ...base, minQuantitativeShare: 1 })).toEqual([]);
    expect(fields({ ...base, minQuantitativeShare: 1.2 })).toEqual(['minQuantitativeShare']);
    expect(fields({ ...base, minQuantitativeShare: -0.1 })).toEqual(['minQuantitativeShare']);
    expect(fields({ ...base, minQuantitativeShare: Number.NaN })).toEqual(['minQuantitativeShare']);
  });

  it('rejects a negative threshold, a history factor outside (0, 1] and a reserved weight of 100', () => {
    expect(fields({ ...base, exAnteRenewalThresholdYuan: -1 })).toEqual(['exAnteRenewalThresholdYuan']);
    expect(fields({ ...base, farBelowHistoryFactor: 0 })).toEqual(['farBelowHistoryFactor']);
    expect(fields({ ...base, farBelowHistoryFactor: 1.5 })).toEqual(['farBelowHistoryFactor']);
    expect(fields({ ...base, reservedWeight: 100 })).toEqual(['reservedWeight']);
  });

  it('rejects unknown, duplicated, or cost entries in the required categories', () => {
    expect(fields({ ...base, requiredLevel1: ['output', 'output'] })).toEqual(['requiredLevel1[1]']);
    expect(fields({ ...base, requiredLevel1: ['output', 'cost'] })).toEqual(['requiredLevel1[1]']);
    expect(fields({ ...base, requiredLevel1: ['inputs' as never] })).toEqual(['requiredLevel1[0]']);
  });

  it('rejects a malformed region, an impossible year, and empty or duplicate grade labels', () => {
    expect(fields({ ...base, region: '36' })).toEqual(['region']);
    expect(fields({ ...base, fiscalYear: 2026.5 })).toEqual(['fiscalYear']);
    expect(fields({ ...base, gradeLabels: { ...base.gradeLabels, fair: ' ' } })).toContain('gradeLabels.fair');
    expect(fields({ ...base, gradeLabels: { ...base.gradeLabels, poor: '优' } })).toEqual(['gradeLabels']);
  });
});

describe('declaration rule parameters: the major-object thresholds of ex-ante assessment', () => {
  it('names a negative project threshold', () => {
    expect(fields({ ...base, exAnteMajorThresholdYuan: { ...base.exAnteMajorThresholdYuan, project: -1 } })).toEqual(['exAnteMajorThresholdYuan.project']);
  });

  it('names a transfer-payment threshold that is not a number', () => {
    expect(fields({ ...base, exAnteMajorThresholdYuan: { ...base.exAnteMajorThresholdYuan, transfer_payment: Number.NaN } })).toEqual(['exAnteMajorThresholdYuan.transfer_payment']);
  });

  it('accepts 0: every new object of the type needs an ex-ante assessment', () => {
    expect(fields({ ...base, exAnteMajorThresholdYuan: { project: 0, transfer_payment: 0 } })).toEqual([]);
  });

  it('has no threshold for department overall spending, which never needs one', () => {
    expect(Object.keys(base.exAnteMajorThresholdYuan).sort()).toEqual(['project', 'transfer_payment']);
  });
});

describe('declaration rule parameters: versions stored before a parameter existed', () => {
  /** A version finance stored before exAnteMajorThresholdYuan existed: every other field, its own renewal threshold. */
  const { exAnteMajorThresholdYuan: _absent, ...older } = { ...defaultRules('360100', 2025), exAnteRenewalThresholdYuan: 5_000_000 };

  it('reads the missing major-object thresholds as their defaults (5,000,000 yuan each)', () => {
    expect(withDefaults(older).exAnteMajorThresholdYuan).toEqual({ project: 5_000_000, transfer_payment: 5_000_000 });
  });

  it('keeps what the version stored: its region, year and 5,000,000 yuan renewal threshold', () => {
    expect(withDefaults(older)).toMatchObject({ region: '360100', fiscalYear: 2025, exAnteRenewalThresholdYuan: 5_000_000 });
  });

  it('keeps stored thresholds when the version has them', () => {
    const stored = { ...base, exAnteMajorThresholdYuan: { project: 10_000, transfer_payment: 2_000_000 } };
    expect(withDefaults(stored).exAnteMajorThresholdYuan).toEqual({ project: 10_000, transfer_payment: 2_000_000 });
  });

  it('reads into parameters that validate', () => {
    expect(validateRules(withDefaults(older))).toEqual([]);
  });
});

describe('declaration rule parameters: review criteria', () => {
  const criteria = base.reviewCriteria;

  it('documents the defaults: 完整性, 相关性, 适当性, 可行性 at 25 points each, 优 from 90, 良 from 80, 中 from 60, scores not yet required', () => {
    expect(criteria).toEqual({
      weights: { completeness: 25, relevance: 25, appropriateness: 25, feasibility: 25 },
      gradeCutoffs: { excellent: 90, good: 80, fair: 60 },
      scoresRequired: false,
    });
  });

  it('names weights that do not add up to 100 (25 + 25 + 25 + 20 = 95)', () => {
    expect(fields({ ...base, reviewCriteria: { ...criteria, weights: { ...criteria.weights, feasibility: 20 } } })).toEqual(['reviewCriteria.weights']);
  });

  it('names a negative weight, and not the sum as well', () => {
    expect(fields({ ...base, reviewCriteria: { ...criteria, weights: { ...criteria.weights, relevance: -5 } } })).toEqual(['reviewCriteria.weights.relevance']);
  });

  it('accepts unequal weights that add up to 100 (40 + 30 + 20 + 10)', () => {
    expect(fields({ ...base, reviewCriteria: { ...criteria, weights: { completeness: 40, relevance: 30, appropriateness: 20, feasibility: 10 } } })).toEqual([]);
  });

  it('names a cut-off not below the one above it (良 at 90 with 优 at 90)', () => {
    expect(fields({ ...base, reviewCriteria: { ...criteria, gradeCutoffs: { excellent: 90, good: 90, fair: 60 } } })).toEqual(['reviewCriteria.gradeCutoffs.good']);
  });

  it('names a cut-off outside 0..100', () => {
    expect(fields({ ...base, reviewCriteria: { ...criteria, gradeCutoffs: { excellent: 101, good: 80, fair: 60 } } })).toEqual(['reviewCriteria.gradeCutoffs.excellent']);
  });
});

describe('declaration rule parameters: money match', () => {
  it('documents the default: flag money per unit of output above 2 times its historical value, as a warning', () => {
    expect(base.moneyMatch).toEqual({ maxDeviationRatio: 2, severity: 'warning' });
  });

  it('names a ratio below 1, which would flag outputs cheaper than history', () => {
    expect(fields({ ...base, moneyMatch: { ...base.moneyMatch, maxDeviationRatio: 0.5 } })).toEqual(['moneyMatch.maxDeviationRatio']);
  });

  it('names a severity other than warning or error', () => {
    expect(fields({ ...base, moneyMatch: { ...base.moneyMatch, severity: 'info' as never } })).toEqual(['moneyMatch.severity']);
  });
});

describe('declaration rule parameters: versions stored before the review criteria and the money match', () => {
  const { reviewCriteria: _criteria, moneyMatch: _money, ...older } = { ...defaultRules('360100', 2025), farBelowHistoryFactor: 0.7 };

  it('reads the missing parameters as their defaults', () => {
    expect(withDefaults(older)).toMatchObject({ reviewCriteria: base.reviewCriteria, moneyMatch: base.moneyMatch, farBelowHistoryFactor: 0.7 });
  });

  it('reads into parameters that validate', () => {
    expect(validateRules(withDefaults(older))).toEqual([]);
  });
});
