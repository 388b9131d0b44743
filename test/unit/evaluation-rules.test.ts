import { describe, expect, it } from 'vitest';
import { defaultScoringRules, validateScoringRules, type ScoringRules } from '../../services/evaluation/domain/rules.ts';

// ---------- fixtures ----------

const base = defaultScoringRules('360000', 2026);

/** The defaults with some fields changed (nested groups are merged, not replaced). */
const rules = (changes: Partial<Omit<ScoringRules, 'categoryWeights' | 'qualitativeBands' | 'gradeCutoffs' | 'gradeLabels' | 'keyFrame'>> & {
  categoryWeights?: Partial<ScoringRules['categoryWeights']>;
  qualitativeBands?: Partial<ScoringRules['qualitativeBands']>;
  gradeCutoffs?: Partial<ScoringRules['gradeCutoffs']>;
  gradeLabels?: Partial<ScoringRules['gradeLabels']>;
  keyFrame?: Partial<ScoringRules['keyFrame']>;
}): ScoringRules => ({
  ...base,
  ...changes,
  categoryWeights: { ...base.categoryWeights, ...changes.categoryWeights },
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

  it('documents every default: execution 10 + output 50 + benefit 30 + satisfaction 10, ratio for ≤, positive for missed =, bands 80/60 with shared edges to the higher band, row rounding, rescale, 0.01 tolerances, grades 90/80/60 优良中差, key frame 60 %', () => {
    expect(base).toEqual({
      region: '360000',
      fiscalYear: 2026,
      executionWeight: 10,
      categoryWeights: { output: 50, cost: 0, benefit: 30, satisfaction: 10 },
      negativeVariant: 'ratio',
      exactFallback: 'positive',
      qualitativeBands: { metFrom: 80, partlyFrom: 60, sharedEdge: 'higher' },
      rounding: 'row',
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
