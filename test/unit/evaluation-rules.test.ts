import { describe, expect, it } from 'vitest';
import { defaultEvaluationRules, defaultScoringRules, validateEvaluationRules, validateScoringRules, withDefaults, type ScoringRules } from '../../services/evaluation/domain/rules.ts';

// ---------- fixtures ----------

const base = defaultScoringRules('360000', 2026);

/** The defaults with some fields changed (nested groups are merged, not replaced). */
const rules = (changes: Partial<Omit<ScoringRules, 'categoryWeights' | 'tooLowTarget' | 'qualitativeBands' | 'gradeCutoffs' | 'gradeLabels' | 'keyFrame'>> & {
  categoryWeights?: Partial<ScoringRules['categoryWeights']>;
  tooLowTarget?: Partial<ScoringRules['tooLowTarget']>;
  qualitativeBands?: Partial<ScoringRules['qualitativeBands']>;
  gradeCutoffs?: Partial<ScoringRules['gradeCutoffs']>;
  gradeLabels?: Partial<ScoringRules['gradeLabels']>;
  keyFrame?: Partial<ScoringRules['keyFrame']>;
}): ScoringRules => ({
  ...base,
  ...changes,
  categoryWeights: { ...base.categoryWeights, ...changes.categoryWeights },
  tooLowTarget: { ...base.tooLowTarget, ...changes.tooLowTarget },
  qualitativeBands: { ...base.qualitativeBands, ...changes.qualitativeBands },
  gradeCutoffs: { ...base.gradeCutoffs, ...changes.gradeCutoffs },
  gradeLabels: { ...base.gradeLabels, ...changes.gradeLabels },
  keyFrame: { ...base.keyFrame, ...changes.keyFrame },
});

const fields = (r: ScoringRules) => validateScoringRules(r).map((v) => v.field);

// ---------- defaults ----------

describe('scoring rule parameters: defaults', () => {
  it('ships defaults that validate', () => {
    expect(validateScoringRules(base)).toEqual([]);
  });

  it('documents every default: execution 10 + output 50 + benefit 30 + satisfaction 10, ratio for ≤, positive for missed =, a too-low target from 150 % by deviation at most 20 %, bands 80/60 with shared edges to the higher band, row rounding to 2 decimals, rescale, 0.01 tolerances, grades 90/80/60 优良中差, key frame 60 %', () => {
    expect(base).toEqual({
      region: '360000',
      fiscalYear: 2026,
      executionWeight: 10,
      categoryWeights: { output: 50, cost: 0, benefit: 30, satisfaction: 10 },
      negativeVariant: 'ratio',
      exactFallback: 'positive',
      tooLowTarget: { exceedRatio: 1.5, deduction: 'deviation', maxDeductionShare: 0.2 },
      qualitativeBands: { metFrom: 80, partlyFrom: 60, sharedEdge: 'higher' },
      rounding: 'row',
      scoreDecimals: 2,
      notApplicable: 'rescale',
      weightTolerance: 0.01,
      totalTolerance: 0.01,
      gradeCutoffs: { excellent: 90, good: 80, fair: 60 },
      gradeLabels: { excellent: '优', good: '良', fair: '中', poor: '差' },
      keyFrame: { minOutputBenefitShare: 0.6 },
    });
  });

  it('gives each call its own copy, so one region editing its rules cannot change another’s', () => {
    const a = defaultScoringRules('360000', 2026);
    a.gradeCutoffs.excellent = 80;
    expect(defaultScoringRules('360100', 2026).gradeCutoffs.excellent).toBe(90);
  });
});

// ---------- what regions change ----------

describe('scoring rule parameters: what a region may set', () => {
  it('expresses the 80/70/60 grade cut-offs some provinces use', () => {
    expect(fields(rules({ gradeCutoffs: { excellent: 80, good: 70, fair: 60 } }))).toEqual([]);
  });

  it('accepts the other variants: linear for ≤, deviation or all-or-nothing for missed =, rounding at the total, full points for rows that do not apply', () => {
    expect(fields(rules({ negativeVariant: 'linear', exactFallback: 'deviation', rounding: 'total', notApplicable: 'full_points' }))).toEqual([]);
    expect(fields(rules({ exactFallback: 'none' }))).toEqual([]);
  });

  it('accepts the real-table weights output 70 and benefit 20 with execution 10 and no satisfaction', () => {
    expect(fields(rules({ categoryWeights: { output: 70, benefit: 20, satisfaction: 0 } }))).toEqual([]);
  });

  it('accepts other band edges (met from 90 %, partly from 50 %) and a met band that is only full points', () => {
    expect(fields(rules({ qualitativeBands: { metFrom: 90, partlyFrom: 50 } }))).toEqual([]);
    expect(fields(rules({ qualitativeBands: { metFrom: 100, partlyFrom: 60 } }))).toEqual([]);
  });

  it('accepts shared band edges in both neighbours, and nothing else', () => {
    expect(fields(rules({ qualitativeBands: { sharedEdge: 'both' } }))).toEqual([]);
    expect(fields(rules({ qualitativeBands: { sharedEdge: 'lower' as never } }))).toEqual(['qualitativeBands.sharedEdge']);
  });

  it('accepts tolerances of 0 (exact) and a key-frame share anywhere in 0..1', () => {
    expect(fields(rules({ weightTolerance: 0, totalTolerance: 0, keyFrame: { minOutputBenefitShare: 0 } }))).toEqual([]);
    expect(fields(rules({ keyFrame: { minOutputBenefitShare: 1 } }))).toEqual([]);
  });
});

// ---------- what is refused ----------

describe('scoring rule parameters: violations name their field', () => {
  it('rejects a region that is not a 6-digit code and a year outside 2000-2100', () => {
    expect(fields({ ...base, region: '36' })).toEqual(['region']);
    expect(fields({ ...base, fiscalYear: 1999 })).toEqual(['fiscalYear']);
    expect(fields({ ...base, fiscalYear: 2026.5 })).toEqual(['fiscalYear']);
  });

  it('rejects default weights that do not make a 100-point table, and says what they sum to', () => {
    const violations = validateScoringRules(rules({ categoryWeights: { output: 60 } }));
    expect(violations).toEqual([{ field: 'categoryWeights', message: 'with executionWeight must sum to 100 points; they sum to 110' }]);
    expect(fields(rules({ executionWeight: 0 }))).toEqual(['categoryWeights']);
  });

  it('lets the weights miss 100 by the tolerance and no more', () => {
    expect(fields(rules({ categoryWeights: { output: 50.01 } }))).toEqual([]);
    expect(fields(rules({ categoryWeights: { output: 50.02 } }))).toEqual(['categoryWeights']);
  });

  it('rejects a weight outside 0..100 by its own field (and does not add a sum violation on top)', () => {
    expect(fields(rules({ executionWeight: -10, categoryWeights: { output: 70 } }))).toEqual(['executionWeight']);
    expect(fields(rules({ categoryWeights: { benefit: Number.NaN } }))).toEqual(['categoryWeights.benefit']);
    expect(fields(rules({ categoryWeights: { cost: 101 } }))).toEqual(['categoryWeights.cost']);
  });

  it('rejects unknown variants', () => {
    expect(fields(rules({ negativeVariant: 'quadratic' as never }))).toEqual(['negativeVariant']);
    expect(fields(rules({ exactFallback: 'negative' as never }))).toEqual(['exactFallback']);
    expect(fields(rules({ rounding: 'none' as never }))).toEqual(['rounding']);
    expect(fields(rules({ notApplicable: 'zero' as never }))).toEqual(['notApplicable']);
  });

  it('rejects band edges out of order, equal, or outside (0, 100]', () => {
    expect(fields(rules({ qualitativeBands: { metFrom: 60, partlyFrom: 80 } }))).toEqual(['qualitativeBands.partlyFrom']);
    expect(fields(rules({ qualitativeBands: { metFrom: 70, partlyFrom: 70 } }))).toEqual(['qualitativeBands.partlyFrom']);
    expect(fields(rules({ qualitativeBands: { metFrom: 110 } }))).toEqual(['qualitativeBands.metFrom']);
    expect(fields(rules({ qualitativeBands: { partlyFrom: 0 } }))).toEqual(['qualitativeBands.partlyFrom']);
  });

  it('rejects grade cut-offs out of order or equal (a grade would be unreachable) and outside (0, 100]', () => {
    expect(fields(rules({ gradeCutoffs: { excellent: 80, good: 90 } }))).toEqual(['gradeCutoffs.good']);
    expect(fields(rules({ gradeCutoffs: { good: 60, fair: 60 } }))).toEqual(['gradeCutoffs.fair']);
    expect(fields(rules({ gradeCutoffs: { excellent: 101 } }))).toEqual(['gradeCutoffs.excellent']);
    expect(fields(rules({ gradeCutoffs: { fair: 0 } }))).toEqual(['gradeCutoffs.fair']);
  });

  it('rejects tolerances outside 0..1 point', () => {
    expect(fields(rules({ weightTolerance: -0.01 }))).toEqual(['weightTolerance']);
    expect(fields(rules({ totalTolerance: 2 }))).toEqual(['totalTolerance']);
  });

  it('rejects a missing or shared grade label', () => {
    expect(fields(rules({ gradeLabels: { poor: ' ' } }))).toEqual(['gradeLabels.poor']);
    expect(fields(rules({ gradeLabels: { good: '优' } }))).toEqual(['gradeLabels']);
  });

  it('rejects a key-frame share outside 0..1 (60 is a percent, not a share)', () => {
    expect(validateScoringRules(rules({ keyFrame: { minOutputBenefitShare: 60 } }))).toEqual([
      { field: 'keyFrame.minOutputBenefitShare', message: 'must be a share between 0 and 1 (0.6 = 60 % of the weight)' },
    ]);
  });

  it('reports every violation at once', () => {
    expect(fields(rules({ region: 'x', negativeVariant: 'x' as never, totalTolerance: -1, gradeCutoffs: { fair: 95 } }))).toEqual([
      'region',
      'negativeVariant',
      'totalTolerance',
      'gradeCutoffs.fair',
    ]);
  });
});

// ---------- the too-low target (财预〔2020〕10号) and the precision of scores ----------

describe('scoring rule parameters: the too-low target', () => {
  it('accepts a region that turns the rule off (exceedRatio null)', () => {
    expect(fields(rules({ tooLowTarget: { exceedRatio: null } }))).toEqual([]);
  });

  it('accepts a fixed deduction and a share of 0 (the warning without a deduction)', () => {
    expect(fields(rules({ tooLowTarget: { deduction: 'fixed', maxDeductionShare: 0.1 } }))).toEqual([]);
    expect(fields(rules({ tooLowTarget: { maxDeductionShare: 0 } }))).toEqual([]);
  });

  it('refuses an exceed ratio of 1 or below (every met row would count as a target set too low), naming the field', () => {
    expect(fields(rules({ tooLowTarget: { exceedRatio: 1 } }))).toEqual(['tooLowTarget.exceedRatio']);
    expect(fields(rules({ tooLowTarget: { exceedRatio: 0.8 } }))).toEqual(['tooLowTarget.exceedRatio']);
  });

  it('refuses an unknown deduction and a share outside 0..1 (20 is a percent, not a share)', () => {
    expect(fields(rules({ tooLowTarget: { deduction: 'quadratic' as never } }))).toEqual(['tooLowTarget.deduction']);
    expect(fields(rules({ tooLowTarget: { maxDeductionShare: 20 } }))).toEqual(['tooLowTarget.maxDeductionShare']);
  });
});

describe('scoring rule parameters: the precision of scores', () => {
  it('accepts whole points, tenths and hundredths', () => {
    for (const scoreDecimals of [0, 1, 2] as const) expect(fields(rules({ scoreDecimals }))).toEqual([]);
  });

  it('refuses 3 decimals and a precision that is not a whole number of places', () => {
    expect(fields(rules({ scoreDecimals: 3 as never }))).toEqual(['scoreDecimals']);
    expect(fields(rules({ scoreDecimals: 0.5 as never }))).toEqual(['scoreDecimals']);
  });
});

describe('evaluation parameters: versions stored before a parameter existed', () => {
  /** A version finance stored before tooLowTarget and scoreDecimals existed, with its own rounding at the total. */
  const { tooLowTarget: _tooLow, scoreDecimals: _decimals, ...older } = { ...defaultEvaluationRules('360100', 2025), rounding: 'total' as const };

  it('reads the missing too-low target as its default: from 150 %, by deviation, at most 20 %', () => {
    expect(withDefaults(older).tooLowTarget).toEqual({ exceedRatio: 1.5, deduction: 'deviation', maxDeductionShare: 0.2 });
  });

  it('reads the missing precision as its default, 2 decimals', () => {
    expect(withDefaults(older).scoreDecimals).toBe(2);
  });

  it('keeps what the version stored: its region, year and rounding at the total', () => {
    expect(withDefaults(older)).toMatchObject({ region: '360100', fiscalYear: 2025, rounding: 'total' });
  });

  it('keeps the stored values when the version has them', () => {
    const stored = { ...defaultEvaluationRules('360100', 2026), tooLowTarget: { exceedRatio: null, deduction: 'fixed' as const, maxDeductionShare: 0 }, scoreDecimals: 0 as const };
    expect(withDefaults(stored)).toMatchObject({ tooLowTarget: { exceedRatio: null, deduction: 'fixed', maxDeductionShare: 0 }, scoreDecimals: 0 });
  });

  it('reads into parameters that validate', () => {
    expect(validateEvaluationRules(withDefaults(older))).toEqual([]);
  });
});
