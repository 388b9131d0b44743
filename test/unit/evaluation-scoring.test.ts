import { describe, expect, it } from 'vitest';
import { defaultScoringRules, type ScoringRules } from '../../services/evaluation/domain/rules.ts';
import { parseFigure } from '../../services/evaluation/domain/figures.ts';
import { gradeFor } from '../../services/evaluation/domain/grades.ts';
import { validateKeyFrame, type KeyFrameRow } from '../../services/evaluation/domain/key-frame.ts';
import { bandOf } from '../../services/evaluation/domain/qualitative.ts';
import type { RowResult, ScoreResult } from '../../services/evaluation/domain/score-result.ts';
import { score, ScoringError, scoreStrict } from '../../services/evaluation/domain/scoring.ts';
import type { ExecutionInput, IndicatorRowInput, ScoringInput } from '../../services/evaluation/domain/scoring-input.ts';
import { blockingIssues } from '../../services/evaluation/domain/scoring-issues.ts';

// ---------- fixtures ----------

const RULES = defaultScoringRules('360000', 2026);
const rules = (changes: Partial<ScoringRules>): ScoringRules => ({ ...RULES, ...changes });
const CUTOFFS_80_70_60 = rules({ gradeCutoffs: { excellent: 80, good: 70, fair: 60 } });

const gte = (id: string, target: number | string, actual: number | string | undefined, weight: number, changes: Partial<IndicatorRowInput> = {}): IndicatorRowInput => ({
  id,
  name: id,
  operator: 'gte',
  target,
  ...(actual !== undefined ? { actual } : {}),
  weight,
  ...changes,
});
const lte = (id: string, target: number | string, actual: number | string, weight: number, changes: Partial<IndicatorRowInput> = {}): IndicatorRowInput => ({ ...gte(id, target, actual, weight, changes), operator: 'lte' });
const eq = (id: string, target: number | string, actual: number | string, weight: number, changes: Partial<IndicatorRowInput> = {}): IndicatorRowInput => ({ ...gte(id, target, actual, weight, changes), operator: 'eq' });
const qual = (id: string, weight: number, finding: IndicatorRowInput['finding'], findingScore: number | undefined, changes: Partial<IndicatorRowInput> = {}): IndicatorRowInput => ({
  id,
  name: id,
  operator: 'qualitative',
  target: '效果明显',
  weight,
  ...(finding !== undefined ? { finding } : {}),
  ...(findingScore !== undefined ? { findingScore } : {}),
  ...changes,
});

/** Scores a table with one row and no execution row; returns that row and the table. */
function one(row: IndicatorRowInput, r: ScoringRules = RULES): RowResult & { table: ScoreResult } {
  const table = score({ rows: [row] }, r);
  return { ...(table.rows[0] as RowResult), table };
}
const codes = (result: ScoreResult) => result.issues.map((i) => i.code);
/** Issues other than weights_not_100 (which every one-row table has). */
const rowIssues = (result: ScoreResult) => result.issues.filter((i) => i.code !== 'weights_not_100');

/**
 * A training project's self-evaluation table, 100 points: execution 10, output 50, benefit 30,
 * satisfaction 10 (the docs/domain.md default split). Row scores: 9.50, 20, 10, 10, 9.62, 18, 9, 10.
 */
const EXECUTION: ExecutionInput = { budget: 200, executed: 190 };
const STANDARD_ROWS: IndicatorRowInput[] = [
  gte('r_trained', '≥1200人次', '1300人次', 20, { name: '培训人次', category: 'output' }),
  gte('r_pass', '≥95%', '98.50%', 10, { name: '培训合格率', category: 'output' }),
  eq('r_townships', '=20个', '20个', 10, { name: '覆盖乡镇', category: 'output' }),
  lte('r_cost', '≤500元', '520元', 10, { name: '人均培训成本', category: 'output' }),
  gte('r_employed', '≥80%', '72%', 20, { name: '就业率', category: 'benefit' }),
  qual('r_quality', 10, 'met', 9, { name: '培训质量', category: 'benefit' }),
  gte('r_satisfaction', '≥90%', '93%', 10, { name: '学员满意度', category: 'satisfaction' }),
];
const standard = (changes: Partial<ScoringInput> = {}, r: ScoringRules = RULES): ScoreResult => score({ execution: EXECUTION, rows: STANDARD_ROWS, ...changes }, r);
const withRow = (id: string, changes: Partial<IndicatorRowInput>): IndicatorRowInput[] => STANDARD_ROWS.map((row) => (row.id === id ? { ...row, ...changes } : row));
const rowOf = (result: ScoreResult, id: string) => result.rows.find((r) => r.id === id) as RowResult;

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

// ---------- docs/domain.md section 4, rule by rule ----------

describe('docs/domain.md section 4: weights by default execution 10, output 50, benefit 30, satisfaction 10', () => {
  it('scores the default 100-point table without any issue: 9.50 + 20 + 10 + 10 + 9.62 + 18 + 9 + 10 = 96.12, 优', () => {
    const result = standard();
    expect(result.issues).toEqual([]);
    expect(result.execution?.score).toBe(9.5);
    expect(result.rows.map((r) => r.score)).toEqual([20, 10, 10, 9.62, 18, 9, 10]);
    expect(result).toMatchObject({ total: 96.12, subtotal: 96.12, maximum: 100, grade: 'excellent', gradeLabel: '优', scale: { factor: 1, droppedPoints: 0 } });
    expect(result.categories).toEqual([
      { category: 'output', points: 50, score: 49.62 },
      { category: 'benefit', points: 30, score: 27 },
      { category: 'satisfaction', points: 10, score: 10 },
    ]);
  });

  it('accepts the real-table split output 70, benefit 20 (weights are per-object data)', () => {
    const result = score({ execution: { budget: 100, executed: 100 }, rows: [gte('output', 100, 100, 70), gte('benefit', 100, 100, 20)] }, RULES);
    expect(result.issues).toEqual([]);
    expect(result.total).toBe(100);
  });
});

describe('docs/domain.md section 4: execution score = min(executed ÷ full-year budget, 1) × 10', () => {
  const execution = (input: ExecutionInput, r = RULES) => score({ execution: input, rows: [] }, r).execution;

  it('95 of 100 executed: min(0.95, 1) × 10 = 9.50, explained with the figures', () => {
    expect(execution({ budget: 100, executed: 95 })).toEqual({
      budget: 100,
      executed: 95,
      rate: 0.95,
      points: 10,
      computed: 9.5,
      score: 9.5,
      explanation: 'executed 95 of budget 100 (95.00 %): min(95 ÷ 100, 1) × 10 = 9.50',
    });
  });

  it('120 of 100 executed: the rate is capped at 1, full 10 points (the rate itself is kept, 1.2)', () => {
    expect(execution({ budget: 100, executed: 120 })).toMatchObject({ rate: 1.2, score: 10, explanation: 'executed 120 of budget 100 (120.00 %): rate capped at 100 %, full 10 points' });
  });

  it('nothing executed: 0 points', () => {
    expect(execution({ budget: 100, executed: 0 })?.score).toBe(0);
  });

  it('uses the object’s own execution weight, else the region’s: 50 of 100 at 20 points = 10; at a region weight of 15 = 7.50', () => {
    expect(execution({ budget: 100, executed: 50, weight: 20 })?.score).toBe(10);
    expect(execution({ budget: 100, executed: 50 }, rules({ executionWeight: 15, categoryWeights: { output: 45, cost: 0, benefit: 30, satisfaction: 10 } }))?.score).toBe(7.5);
  });

  it('a budget of 0 cannot be scored: budget_invalid on the execution row, 0 points', () => {
    const result = score({ execution: { budget: 0, executed: 10 }, rows: [gte('a', 1, 1, 90)] }, RULES);
    expect(result.issues).toEqual([{ code: 'budget_invalid', severity: 'error', row: 'execution', field: 'execution.budget', message: 'budget execution: the full-year budget must be a positive amount' }]);
    expect(result.execution).toMatchObject({ rate: null, computed: null, score: 0 });
  });
});

describe('docs/domain.md section 4: positive (≥) full points if actual ≥ target, else actual ÷ target × points', () => {
  it('actual 120 ≥ target 100: full 10 points', () => {
    expect(one(gte('a', 100, 120, 10))).toMatchObject({ computed: 10, score: 10, explanation: 'actual 120 ≥ target 100: full 10 points' });
  });

  it('actual 100 = target 100 is met: full points', () => {
    expect(one(gte('a', 100, 100, 10)).score).toBe(10);
  });

  it('actual 80 of target 100: 80 ÷ 100 × 10 = 8.00', () => {
    expect(one(gte('a', 100, 80, 10))).toMatchObject({ computed: 8, score: 8, explanation: 'actual 80 of target 100: 80 ÷ 100 × 10 = 8.00' });
  });

  it('reads figures as written, units included: 98.50% of ≥100%: 98.5 ÷ 100 × 10 = 9.85', () => {
    const row = one(gte('a', '≥100%', '98.50%', 10));
    expect(row).toMatchObject({ score: 9.85, explanation: 'actual 98.5% of target 100%: 98.5 ÷ 100 × 10 = 9.85' });
    expect(row.target).toEqual({ text: '≥100%', value: 100, unit: '%', operator: 'gte' });
    expect(row.actual).toEqual({ text: '98.50%', value: 98.5, unit: '%' });
  });

  it('a negative actual gives 0, never negative points', () => {
    expect(one(gte('a', 10, -5, 10)).score).toBe(0);
  });
});

describe('财预〔2020〕10号: a ≥ row far above its target, which was set too low, loses part of its points (tooLowTarget)', () => {
  const tooLow = (changes: Partial<ScoringRules['tooLowTarget']>) => rules({ tooLowTarget: { ...RULES.tooLowTarget, ...changes } });
  const warnings = (result: ScoreResult) => rowIssues(result).map(({ code, severity, row, field }) => ({ code, severity, row, field }));
  const TOO_LOW = { code: 'target_set_too_low', severity: 'warning', row: 'a', field: 'target' };

  it('160 of ≥100 no longer scores full points: (160 % − 150 %) × 10 = 1.00 off, 9.00', () => {
    expect(one(gte('a', 100, 160, 10))).toMatchObject({ computed: 9, score: 9 });
  });

  it('names the row in a target_set_too_low warning, which does not block', () => {
    const row = one(gte('a', 100, 160, 10));
    expect(warnings(row.table)).toEqual([TOO_LOW]);
    expect(row.table.issues[0]?.message).toBe(
      '「a」: actual 160 is 160.00 % of target 100, at or above 150 %: the target looks set too low, and 1.00 of 10 points are taken off (财预〔2020〕10号); give the reason, or override with one if the target was right',
    );
    expect(blockingIssues(score({ rows: [gte('a', 100, 160, 100)] }, RULES))).toEqual([]);
  });

  it('explains the deduction with the figures', () => {
    expect(one(gte('a', '≥100人', '160人', 10)).explanation).toBe(
      'actual 160人 ≥ target 100人: full 10 points, but 160 ÷ 100 = 160.00 % of the target, at or above 150 %: target set too low (财预〔2020〕10号), less min(160.00 % − 150 %, 20 %) = 10.00 % of 10 points = 1.00: 10 − 1.00 = 9.00',
    );
  });

  it('below the threshold nothing changes: 149 of ≥100 is full points with no warning', () => {
    const row = one(gte('a', 100, 149, 10));
    expect(row.score).toBe(10);
    expect(warnings(row.table)).toEqual([]);
  });

  it('at the threshold the warning is raised and the deduction by deviation starts at 0: 150 of ≥100 keeps 10', () => {
    const row = one(gte('a', 100, 150, 10));
    expect(row.score).toBe(10);
    expect(warnings(row.table)).toEqual([TOO_LOW]);
  });

  it('the deduction grows with the deviation up to maxDeductionShare: 165 of ≥20 points loses 15 % = 3.00 (17.00); 300 loses at most 20 % = 4.00 (16.00)', () => {
    expect(one(gte('a', 100, 165, 20)).score).toBe(17);
    expect(one(gte('a', 100, 300, 20)).score).toBe(16);
  });

  it('the threshold is a parameter: at exceedRatio 2, 160 of ≥100 is full points with no warning', () => {
    const row = one(gte('a', 100, 160, 10), tooLow({ exceedRatio: 2 }));
    expect(row.score).toBe(10);
    expect(warnings(row.table)).toEqual([]);
  });

  it('a region turns the rule off with exceedRatio null: 300 of ≥100 is full points with no warning', () => {
    const row = one(gte('a', 100, 300, 10), tooLow({ exceedRatio: null }));
    expect(row).toMatchObject({ score: 10, explanation: 'actual 300 ≥ target 100: full 10 points' });
    expect(warnings(row.table)).toEqual([]);
  });

  it('a fixed deduction takes maxDeductionShare whatever the deviation: 160 of ≥100 at a fixed 20 % loses 2.00, 8.00', () => {
    const row = one(gte('a', 100, 160, 10), tooLow({ deduction: 'fixed' }));
    expect(row.score).toBe(8);
    expect(row.explanation).toMatch(/less a fixed 20 % of 10 points = 2\.00: 10 − 2\.00 = 8\.00$/);
  });

  it('a maxDeductionShare of 0 keeps the warning and takes nothing off', () => {
    const row = one(gte('a', 100, 160, 10), tooLow({ maxDeductionShare: 0 }));
    expect(row.score).toBe(10);
    expect(warnings(row.table)).toEqual([TOO_LOW]);
  });

  it('only ≥ rows: 40 of ≤100 and 160 of =100 (scored as positive) keep full points with no warning', () => {
    const below = one(lte('a', 100, 40, 10));
    const exactAbove = one(eq('a', 100, 160, 10));
    expect([below.score, exactAbove.score]).toEqual([10, 10]);
    expect([...warnings(below.table), ...warnings(exactAbove.table)]).toEqual([]);
  });

  it('a target of 0 or less has no ratio: 5 of ≥0 is full points with no warning', () => {
    const row = one(gte('a', 0, 5, 10));
    expect(row.score).toBe(10);
    expect(warnings(row.table)).toEqual([]);
  });

  it('an override with a reason still wins: a scorer who knows the target was right gives 10 of 10 (the warning stays for the reviewer)', () => {
    const row = one(gte('a', 100, 160, 10, { override: { score: 10, reason: '年初按上年实际设定，当年新增任务经批准追加' } }));
    expect(row).toMatchObject({ computed: 9, score: 10, override: { score: 10 } });
    expect(row.explanation).toMatch(/= 9\.00; overridden from 9 to 10: 年初按上年实际设定，当年新增任务经批准追加$/);
    expect(warnings(row.table)).toEqual([TOO_LOW]);
  });
});

describe('docs/domain.md section 4: negative (≤) full if actual ≤ target; else target ÷ actual × points, or linear to 0 at 2 × target', () => {
  const LINEAR = rules({ negativeVariant: 'linear' });

  it('actual 3 ≤ target 5 and actual 5 = target 5: full points under both variants', () => {
    for (const r of [RULES, LINEAR]) {
      expect(one(lte('a', 5, 3, 10), r)).toMatchObject({ score: 10, explanation: 'actual 3 ≤ target 5: full 10 points' });
      expect(one(lte('a', 5, 5, 10), r).score).toBe(10);
    }
  });

  it('ratio (the default): actual 8 over target 5: 5 ÷ 8 × 10 = 6.25', () => {
    expect(one(lte('a', '≤5%', '8%', 10))).toMatchObject({ score: 6.25, explanation: 'actual 8% above target 5%: 5 ÷ 8 × 10 = 6.25' });
  });

  it('linear: actual 8 over target 5 falls linearly to 0 at 10: (10 − 8) ÷ 5 × 10 = 4.00; 7.5 gives 5.00', () => {
    expect(one(lte('a', 5, 8, 10), LINEAR)).toMatchObject({ score: 4, explanation: 'actual 8 above target 5: linear fall to 0 at 10 (2 × target): (10 − 8) ÷ 5 × 10 = 4.00' });
    expect(one(lte('a', 5, 7.5, 10), LINEAR).score).toBe(5);
  });

  it('linear: at 2 × target and beyond, 0 points (never negative)', () => {
    expect(one(lte('a', 5, 10, 10), LINEAR)).toMatchObject({ score: 0, explanation: 'actual 10 at or above 2 × target 5 = 10: 0 points' });
    expect(one(lte('a', 5, 12, 10), LINEAR).score).toBe(0);
  });

  it('the two variants differ on the same figures: 5 vs 12 gives 4.17 by ratio and 0 by linear', () => {
    expect(one(lte('a', 5, 12, 10)).score).toBe(4.17);
    expect(one(lte('a', 5, 12, 10), LINEAR).score).toBe(0);
  });

  it('a target of 0 (零事故) missed scores 0 under both variants, without dividing by zero', () => {
    expect(one(lte('a', '≤0起', '1起', 10)).score).toBe(0);
    expect(one(lte('a', '≤0起', '1起', 10), LINEAR).score).toBe(0);
  });

  it('the row’s library rule beats the region’s variant: linear_to_double under ratio rules, inverse_ratio under linear rules', () => {
    expect(one(lte('a', 5, 8, 10, { scoringRule: 'linear_to_double' })).score).toBe(4);
    expect(one(lte('a', 5, 8, 10, { scoringRule: 'inverse_ratio' }), LINEAR).score).toBe(6.25);
  });

  it('a library rule that does not fit the operator is an error naming the row', () => {
    const row = one(lte('a', 5, 8, 10, { name: '投诉率', scoringRule: 'proportional' }));
    expect(rowIssues(row.table)).toEqual([
      { code: 'scoring_rule_mismatch', severity: 'error', row: 'a', field: 'scoringRule', message: '「投诉率」: proportional does not score a lte row; use inverse_ratio or linear_to_double' },
    ]);
  });
});

describe('docs/domain.md section 4: exact (=) full when met, otherwise scored as positive', () => {
  it('actual 20 = target 20: full 10 points', () => {
    expect(one(eq('a', '=20个', '20个', 10))).toMatchObject({ score: 10, explanation: 'actual 20个 = target 20个: full 10 points' });
  });

  it('actual 18 ≠ target 20, scored as positive: 18 ÷ 20 × 10 = 9.00', () => {
    expect(one(eq('a', 20, 18, 10))).toMatchObject({ score: 9, explanation: 'actual 18 ≠ target 20, scored as positive: 18 ÷ 20 × 10 = 9.00' });
  });

  it('actual 22 ≠ target 20, scored as positive: above the target is full points', () => {
    expect(one(eq('a', 20, 22, 10))).toMatchObject({ score: 10, explanation: 'actual 22 ≠ target 20, scored as positive: 22 ≥ 20: full 10 points' });
  });

  it('other regions: by deviation (18 and 22 both 9.00) or all or nothing (0)', () => {
    const deviation = rules({ exactFallback: 'deviation' });
    expect(one(eq('a', 20, 18, 10), deviation)).toMatchObject({ score: 9, explanation: 'actual 18 ≠ target 20, scored by deviation: (1 − |18 − 20| ÷ 20) × 10 = 9.00' });
    expect(one(eq('a', 20, 22, 10), deviation).score).toBe(9);
    expect(one(eq('a', 20, 18, 10), rules({ exactFallback: 'none' }))).toMatchObject({ score: 0, explanation: 'actual 18 ≠ target 20: 0 points (all or nothing)' });
  });
});

describe('docs/domain.md section 4: qualitative bands met 80-100 %, partly 60-80 %, not met 0-60 %; the value must be inside', () => {
  it('met, 9 of 10: inside 8.00-10.00, scored 9 and explained with the band', () => {
    expect(one(qual('a', 10, 'met', 9))).toMatchObject({ finding: 'met', findingScore: 9, computed: 9, score: 9, explanation: "finding met (band [80 %, 100 %] = [8.00, 10.00] of 10 points): scorer's value 9" });
  });

  it('partly 7 of 10 (band [6, 8)) and not met 5 of 10 (band [0, 6)) are accepted', () => {
    expect(rowIssues(one(qual('a', 10, 'partly', 7)).table)).toEqual([]);
    expect(rowIssues(one(qual('a', 10, 'not_met', 5)).table)).toEqual([]);
  });

  it('a shared edge belongs to the higher band, as the forms print "100-80%(含80%)、80-60%(含60%)": met 8, partly 6, met 10, not met 0 in; partly 8, not met 6 out', () => {
    for (const [finding, value] of [['met', 8], ['partly', 6], ['met', 10], ['not_met', 0], ['partly', 7.99]] as const) {
      expect([finding, value, rowIssues(one(qual('a', 10, finding, value)).table)]).toEqual([finding, value, []]);
    }
    for (const [finding, value] of [['partly', 8], ['not_met', 6]] as const) {
      expect([finding, value, rowIssues(one(qual('a', 10, finding, value)).table).map((i) => i.code)]).toEqual([finding, value, ['qualitative_outside_band']]);
    }
    expect(rowIssues(one(qual('a', 10, 'partly', 8, { name: '培训质量' })).table)[0]?.message).toBe('「培训质量」: 8 is outside the partly band [6.00, 8.00) of 10 points');
  });

  it('a region may give shared edges to both neighbours: partly 8 and not met 6 are then in', () => {
    const both = rules({ qualitativeBands: { ...RULES.qualitativeBands, sharedEdge: 'both' } });
    for (const [finding, value] of [['met', 8], ['partly', 8], ['partly', 6], ['not_met', 6]] as const) {
      expect([finding, value, rowIssues(one(qual('a', 10, finding, value), both).table)]).toEqual([finding, value, []]);
    }
    expect(one(qual('a', 10, 'partly', 8), both).explanation).toBe("finding partly (band [60 %, 80 %] = [6.00, 8.00] of 10 points): scorer's value 8");
  });

  it('bands scale with the row’s points: partly on a 20-point row is 12-16', () => {
    expect(bandOf('partly', 20, RULES)).toEqual({ finding: 'partly', min: 12, max: 16, maxIncluded: false, fromPercent: 60, toPercent: 80 });
    expect(codes(one(qual('a', 20, 'partly', 16.5)).table)).toContain('qualitative_outside_band');
  });

  it('a value outside its band is an error naming the row, and the value is still shown', () => {
    const row = one(qual('r_quality', 10, 'met', 7.99, { name: '培训质量' }));
    expect(rowIssues(row.table)).toEqual([
      { code: 'qualitative_outside_band', severity: 'error', row: 'r_quality', field: 'findingScore', message: '「培训质量」: 7.99 is outside the met band [8.00, 10.00] of 10 points' },
    ]);
    expect(row).toMatchObject({ score: 7.99, explanation: "finding met (band [80 %, 100 %] = [8.00, 10.00] of 10 points): scorer's value 7.99 is outside the band" });
  });

  it('partly 8.5, not met 6.01 and met 11 are all outside', () => {
    for (const [finding, value] of [['partly', 8.5], ['not_met', 6.01], ['met', 11]] as const) {
      expect(codes(one(qual('a', 10, finding, value)).table)).toContain('qualitative_outside_band');
    }
  });

  it('band edges are parameters: met from 90 %, partly from 50 %', () => {
    const r = rules({ qualitativeBands: { metFrom: 90, partlyFrom: 50, sharedEdge: 'higher' } });
    expect(codes(one(qual('a', 10, 'met', 8.5), r).table)).toContain('qualitative_outside_band');
    expect(rowIssues(one(qual('a', 10, 'partly', 5), r).table)).toEqual([]);
  });

  it('a qualitative row needs a finding and a value: each missing one is an error naming its field', () => {
    expect(rowIssues(one(qual('a', 10, undefined, 9)).table).map((i) => [i.code, i.row, i.field])).toEqual([['qualitative_finding_missing', 'a', 'finding']]);
    const noValue = one(qual('a', 10, 'met', undefined));
    expect(rowIssues(noValue.table).map((i) => [i.code, i.row, i.field])).toEqual([['qualitative_finding_missing', 'a', 'findingScore']]);
    expect(noValue).toMatchObject({ computed: null, score: 0 });
  });
});

describe('docs/domain.md section 4: indicators that do not apply are dropped and the total rescaled to 100', () => {
  const notApplicable = { applicable: false, notApplicableReason: '本年度未开展' };

  it('a 10-point row dropped from 100: the remaining 90 points (execution included) are scaled by 100/90; all met gives 100', () => {
    const result = score({ execution: { budget: 100, executed: 100 }, rows: [gte('a', 1, 1, 80), gte('b', 1, 0, 10, notApplicable)] }, RULES);
    expect(result.issues).toEqual([]);
    expect(result).toMatchObject({ subtotal: 90, maximum: 90, total: 100, scale: { droppedPoints: 10 } });
    expect(result.scale.factor).toBeCloseTo(100 / 90, 12);
    expect(result.explanation[1]).toBe('1 row not applicable (10 points) dropped: 90.00 × 100 ÷ 90 = 100.00');
  });

  it('execution points scale with the rest: execution 9.50 + 80 of 80, with 10 dropped: 89.50 × 100 ÷ 90 = 99.44', () => {
    const result = score({ execution: { budget: 100, executed: 95 }, rows: [gte('a', 1, 1, 80), gte('b', 1, 1, 10, notApplicable)] }, RULES);
    expect(result.total).toBe(99.44);
    expect(result.execution?.rescaled).toEqual({ points: 11.11, score: 10.56 });
  });

  it('the standard table without 覆盖乡镇 (10 points): 86.12 × 100 ÷ 90 = 95.69; each row shows its rescaled points', () => {
    const result = standard({ rows: withRow('r_townships', notApplicable) });
    expect(result).toMatchObject({ subtotal: 86.12, maximum: 90, total: 95.69, grade: 'excellent' });
    expect(rowOf(result, 'r_townships')).toMatchObject({ applicable: false, computed: null, score: null, explanation: 'not applicable (本年度未开展): 10 points dropped, the rest rescaled to 100' });
    expect(rowOf(result, 'r_townships').rescaled).toBeUndefined();
    expect(rowOf(result, 'r_trained').rescaled).toEqual({ points: 22.22, score: 22.22 });
  });

  it('dropped rows still count toward the 100-point weight check (they were part of the table)', () => {
    const result = standard({ rows: withRow('r_townships', notApplicable) });
    expect(codes(result)).not.toContain('weights_not_100');
  });

  it('a region counting dropped rows at full points: 人均培训成本 (9.62) dropped gives 96.50, rescaling gives 96.11', () => {
    const rows = withRow('r_cost', notApplicable);
    expect(standard({ rows }).total).toBe(96.11);
    const full = standard({ rows }, rules({ notApplicable: 'full_points' }));
    expect(full).toMatchObject({ total: 96.5, maximum: 100, scale: { factor: 1, droppedPoints: 10 } });
    expect(rowOf(full, 'r_cost')).toMatchObject({ score: 10, explanation: 'not applicable (本年度未开展): counted at full 10 points' });
  });

  it('dropping a row without a reason is a warning, which does not block', () => {
    const result = standard({ rows: withRow('r_townships', { applicable: false }) });
    expect(result.issues).toEqual([
      { code: 'not_applicable_without_reason', severity: 'warning', row: 'r_townships', field: 'notApplicableReason', message: '「覆盖乡镇」 is marked not applicable without saying why' },
    ]);
    expect(blockingIssues(result)).toEqual([]);
  });

  it('an override on a dropped row is ignored, with a warning', () => {
    const result = standard({ rows: withRow('r_townships', { ...notApplicable, override: { score: 5, reason: 'x' } }) });
    expect(codes(result)).toEqual(['override_on_not_applicable']);
    expect(result.total).toBe(95.69);
  });

  it('nothing left to score: nothing_to_score, total 0', () => {
    const result = score({ rows: [gte('a', 1, 1, 100, notApplicable)] }, RULES);
    expect(codes(result)).toEqual(['nothing_to_score']);
    expect(result.total).toBe(0);
  });
});

describe('docs/domain.md section 4: grades 优 ≥ 90, 良 80-89, 中 60-79, 差 < 60; some provinces use 80/70/60', () => {
  it('default boundaries: 100/90 优, 89.99/80 良, 79.99/60 中, 59.99/0 差', () => {
    const cases: [number, string][] = [[100, 'excellent'], [90, 'excellent'], [89.99, 'good'], [80, 'good'], [79.99, 'fair'], [60, 'fair'], [59.99, 'poor'], [0, 'poor']];
    for (const [total, grade] of cases) expect([total, gradeFor(total, RULES)]).toEqual([total, grade]);
  });

  it('80/70/60 boundaries: 80 优, 79.99/70 良, 69.99/60 中, 59.99 差', () => {
    const cases: [number, string][] = [[80, 'excellent'], [79.99, 'good'], [70, 'good'], [69.99, 'fair'], [60, 'fair'], [59.99, 'poor']];
    for (const [total, grade] of cases) expect([total, gradeFor(total, CUTOFFS_80_70_60)]).toEqual([total, grade]);
  });

  it('the grade is read from the total rounded to 2 decimals: 89.995 is 90.00, 优', () => {
    expect(gradeFor(89.995, RULES)).toBe('excellent');
    expect(gradeFor(89.994, RULES)).toBe('good');
  });

  it('the same table, 89.99 points, is 良 by default and 优 under 80/70/60, with the reason in words', () => {
    const input: ScoringInput = { rows: [gte('a', 100, 89.99, 100)] };
    expect(score(input, RULES)).toMatchObject({ total: 89.99, grade: 'good', gradeLabel: '良' });
    expect(score(input, RULES).explanation[1]).toBe('total 89.99: grade 良 (good), 80 ≤ 89.99 < 90');
    expect(score(input, CUTOFFS_80_70_60)).toMatchObject({ total: 89.99, grade: 'excellent', gradeLabel: '优' });
  });

  it('labels are the region’s', () => {
    expect(score({ rows: [gte('a', 100, 50, 100)] }, rules({ gradeLabels: { excellent: 'A', good: 'B', fair: 'C', poor: 'D' } })).gradeLabel).toBe('D');
  });
});

describe('docs/domain.md section 4: key evaluations use 决策/过程/产出/效益 with output + benefit ≥ 60 % of the weight', () => {
  const sheet = (decision: number, process: number, output: number, benefit: number): { rows: KeyFrameRow[] } => ({
    rows: [
      { id: 'k1', name: '项目立项', part: 'decision', weight: decision },
      { id: 'k2', name: '资金管理', part: 'process', weight: process },
      { id: 'k3', name: '产出数量', part: 'output', weight: output / 2 },
      { id: 'k4', name: '产出质量', part: 'output', weight: output / 2 },
      { id: 'k5', name: '社会效益', part: 'benefit', weight: benefit },
    ],
  });

  it('20 / 20 / 30 / 30: output + benefit exactly 60 %, weights 100: accepted', () => {
    expect(validateKeyFrame(sheet(20, 20, 30, 30))).toEqual({ weights: { decision: 20, process: 20, output: 30, benefit: 30 }, total: 100, outputBenefitShare: 0.6, violations: [] });
  });

  it('20 / 25 / 30 / 25: output + benefit 55 % is refused', () => {
    expect(validateKeyFrame(sheet(20, 25, 30, 25)).violations).toEqual([
      { field: 'outputBenefitShare', message: 'output + benefit carry 55 of 100 points (55.00 %); the rule is at least 60 %' },
    ]);
  });

  it('weights summing to 90 are refused (10 / 20 / 30 / 30, the share itself 67 %)', () => {
    expect(validateKeyFrame(sheet(10, 20, 30, 30)).violations).toEqual([{ field: 'weights', message: 'the weights sum to 90 points, not 100' }]);
  });

  it('the share is a parameter: 70 % refuses 20 / 20 / 30 / 30', () => {
    expect(validateKeyFrame(sheet(20, 20, 30, 30), { keyFrame: { minOutputBenefitShare: 0.7 }, weightTolerance: 0.01 }).violations.map((v) => v.field)).toEqual(['outputBenefitShare']);
  });

  it('a missing part, an unknown part and a bad weight each name their field', () => {
    const rows: KeyFrameRow[] = [
      { id: 'k2', part: 'process', weight: 20 },
      { id: 'k3', name: '产出', part: 'output', weight: 40 },
      { id: 'k4', name: '满意度', part: 'satisfaction' as never, weight: 10 },
      { id: 'k5', name: '效益', part: 'benefit', weight: -30 },
    ];
    expect(validateKeyFrame({ rows }).violations.map((v) => v.field)).toEqual(['rows[2].part', 'rows[3].weight', 'parts.decision', 'parts.benefit', 'weights']);
  });

  it('a key sheet scores with the same engine, parts as categories and no execution row', () => {
    const rows = sheet(20, 20, 30, 30).rows.map((r) => gte(r.id, 100, 90, r.weight, { category: r.part }));
    const result = score({ rows }, RULES);
    expect(result).toMatchObject({ total: 90, grade: 'excellent', execution: null });
    expect(result.categories.map((c) => [c.category, c.points, c.score])).toEqual([['decision', 20, 18], ['process', 20, 18], ['output', 30, 27], ['benefit', 30, 27]]);
  });
});

// ---------- weights, published tables ----------

describe('weights are validated: indicator weights + execution weight = 100 (tolerance 0.01)', () => {
  it('105 points are reported, and the table is still computed from its rows (not scaled)', () => {
    const result = standard({ rows: [...STANDARD_ROWS, gte('r_extra', 1, 1, 5, { name: '额外指标' })] });
    expect(result.issues).toEqual([{ code: 'weights_not_100', severity: 'error', field: 'weight', message: 'indicator weights 95 + execution 10 = 105 points, not 100' }]);
    expect(result).toMatchObject({ total: 101.12, maximum: 105 });
  });

  it('99.99 is within the tolerance, 99.98 is not', () => {
    expect(codes(score({ rows: [gte('a', 1, 1, 99.99)] }, RULES))).toEqual([]);
    expect(codes(score({ rows: [gte('a', 1, 1, 99.98)] }, RULES))).toEqual(['weights_not_100']);
  });

  it('a weight that is not 0..100 points is an error naming the row', () => {
    const result = score({ rows: [gte('a', 1, 1, 110), gte('b', 1, 1, -10, { name: '负权重' })] }, RULES);
    expect(result.issues.filter((i) => i.code === 'weight_invalid').map((i) => [i.row, i.field, i.message])).toEqual([
      ['a', 'weight', '「a」: the weight must be 0 to 100 points'],
      ['b', 'weight', '「负权重」: the weight must be 0 to 100 points'],
    ]);
  });

  it('a row id used twice is an error', () => {
    const result = score({ rows: [gte('a', 1, 1, 50), gte('a', 1, 1, 50)] }, RULES);
    expect(result.issues.map((i) => [i.code, i.field])).toEqual([['duplicate_row', 'rows[1].id']]);
  });
});

describe('a published total is compared with the computed one within 0.01, never used', () => {
  it('96.13 and 96.11 against 96.12: within 0.01, no issue', () => {
    expect(standard({ publishedTotal: 96.13 }).issues).toEqual([]);
    expect(standard({ publishedTotal: 96.11 }).issues).toEqual([]);
  });

  it('96.14 against 96.12: total_mismatch, and the total stays 96.12', () => {
    const result = standard({ publishedTotal: 96.14 });
    expect(result.issues).toEqual([{ code: 'total_mismatch', severity: 'error', field: 'publishedTotal', message: 'the published total 96.14 differs from the computed 96.12 by 0.02 (tolerance 0.01)' }]);
    expect(result.total).toBe(96.12);
  });

  it('a published grade that does not follow from the total is reported', () => {
    expect(standard({ publishedGrade: 'excellent' }).issues).toEqual([]);
    expect(standard({ publishedGrade: 'good' }).issues.map((i) => i.code)).toEqual(['grade_mismatch']);
  });

  it('an inconsistent published table (weights 105, total typed as 100) is computed and every inconsistency shown', () => {
    // As transcribed: 产出 55 + 效益 30 + 满意度 10 + execution 10; the table prints 100 as its total.
    const input: ScoringInput = {
      execution: { budget: 50, executed: 50 },
      rows: [gte('o', '≥10个', '10个', 55, { name: '产出' }), gte('b', '≥90%', '90%', 30, { name: '效益' }), qual('s', 10, 'met', 9.5, { name: '满意度' })],
      publishedTotal: 100,
    };
    const result = score(input, RULES);
    expect(result.total).toBe(104.5);
    expect(codes(result)).toEqual(['weights_not_100', 'total_mismatch']);
    expect(() => scoreStrict(input, RULES)).toThrow(ScoringError);
  });
});

// ---------- overrides ----------

describe('overrides: within the row’s bounds, only with a reason, shown as such', () => {
  const late = { score: 7, reason: 'target met late' };

  it('7 of 10 for a target met late: computed 10, override shown, score 7, explained', () => {
    const row = one(gte('a', 100, 120, 10, { override: late }));
    expect(row).toMatchObject({ computed: 10, override: late, score: 7, explanation: 'actual 120 ≥ target 100: full 10 points; overridden from 10 to 7: target met late' });
    expect(rowIssues(row.table)).toEqual([]);
  });

  it('the total is computed from the overridden score: the standard table with 培训人次 at 15 of 20 is 91.12', () => {
    const result = standard({ rows: withRow('r_trained', { override: { score: 15, reason: '部分培训延期至次年' } }) });
    expect(result.issues).toEqual([]);
    expect(result.total).toBe(91.12);
  });

  it('0 and the full points are inside the bounds', () => {
    expect(rowIssues(one(gte('a', 100, 120, 10, { override: { score: 0, reason: '数据不实' } })).table)).toEqual([]);
    expect(rowIssues(one(gte('a', 100, 80, 10, { override: { score: 10, reason: '口径调整' } })).table)).toEqual([]);
  });

  it('above the row’s points: score_above_weight naming the row', () => {
    const row = one(gte('a', 100, 120, 10, { name: '培训人次', override: { score: 12, reason: '超额完成' } }));
    expect(rowIssues(row.table)).toEqual([{ code: 'score_above_weight', severity: 'error', row: 'a', field: 'override.score', message: '「培训人次」: the score 12 is above the row\'s 10 points' }]);
  });

  it('below 0: override_out_of_bounds', () => {
    expect(rowIssues(one(gte('a', 100, 120, 10, { override: { score: -1, reason: 'x' } })).table).map((i) => i.code)).toEqual(['override_out_of_bounds']);
  });

  it('a qualitative row’s override stays inside the finding’s band: met 7 is out, met 8.5 is in', () => {
    const out = one(qual('q', 10, 'met', 9, { name: '培训质量', override: { score: 7, reason: '复核下调' } }));
    expect(rowIssues(out.table)).toEqual([{ code: 'override_out_of_bounds', severity: 'error', row: 'q', field: 'override.score', message: '「培训质量」: the override 7 is outside the met band [8.00, 10.00]' }]);
    expect(rowIssues(one(qual('q', 10, 'met', 9, { override: { score: 8.5, reason: '复核下调' } })).table)).toEqual([]);
  });

  it('without a reason (missing or blank): override_without_reason, and the explanation says so', () => {
    const row = one(gte('a', 100, 120, 10, { override: { score: 7, reason: '  ' } }));
    expect(rowIssues(row.table).map((i) => [i.code, i.row, i.field])).toEqual([['override_without_reason', 'a', 'override.reason']]);
    expect(row.explanation).toBe('actual 120 ≥ target 100: full 10 points; overridden from 10 to 7 without a reason');
  });

  it('scoreStrict refuses overrides out of bounds or without reason with every blocking issue', () => {
    const input: ScoringInput = { execution: EXECUTION, rows: withRow('r_trained', { override: { score: 25, reason: '' } }) };
    expect(() => scoreStrict(input, RULES)).toThrow(ScoringError);
    try {
      scoreStrict(input, RULES);
    } catch (e) {
      expect((e as ScoringError).issues.map((i) => [i.code, i.row])).toEqual([['override_without_reason', 'r_trained'], ['score_above_weight', 'r_trained']]);
    }
  });

  it('the execution row can be overridden too, within its points', () => {
    const result = standard({ execution: { ...EXECUTION, override: { score: 8, reason: '年底突击支出' } } });
    expect(result.execution).toMatchObject({ computed: 9.5, score: 8, explanation: 'executed 190 of budget 200 (95.00 %): min(190 ÷ 200, 1) × 10 = 9.50; overridden from 9.5 to 8: 年底突击支出' });
    expect(result.total).toBe(94.62);
    expect(codes(standard({ execution: { ...EXECUTION, override: { score: 11, reason: 'x' } } }))).toEqual(['score_above_weight']);
  });

  it('a row that cannot be computed can carry a published score as an override; the bad actual is still reported', () => {
    const row = one(gte('t', '100%', '按时完成', 10, { name: '完成及时率', override: { score: 10, reason: '公开表格得分' } }));
    expect(row).toMatchObject({ computed: null, score: 10, explanation: 'cannot compute: actual "按时完成" is not a number; overridden from no computed score to 10: 公开表格得分' });
    expect(rowIssues(row.table).map((i) => i.code)).toEqual(['actual_not_numeric']);
  });
});

// ---------- values ----------

describe('actual and target values: errors name the row and the field', () => {
  it('a missing actual: actual_missing, 0 points', () => {
    const row = one(gte('a', 100, undefined, 10, { name: '培训人次' }));
    expect(rowIssues(row.table)).toEqual([{ code: 'actual_missing', severity: 'error', row: 'a', field: 'actual', message: '「培训人次」 has no actual value' }]);
    expect(row).toMatchObject({ computed: null, score: 0, explanation: 'cannot compute: no actual value: 0 points' });
  });

  it('an actual of the wrong type (true) or without a number ("按时完成") on a quantitative row: actual_not_numeric', () => {
    expect(rowIssues(one(gte('a', 100, true as never, 10)).table).map((i) => [i.code, i.field, i.message])).toEqual([['actual_not_numeric', 'actual', '「a」: the actual value boolean is not a number; a gte row needs one']]);
    expect(rowIssues(one(gte('a', '100%', '按时完成', 10)).table).map((i) => i.message)).toEqual(['「a」: the actual value "按时完成" is not a number; a gte row needs one']);
  });

  it('a target without a number ("提高") on a quantitative row: target_not_numeric; no target: target_missing', () => {
    expect(rowIssues(one(gte('a', '提高', '95%', 10)).table).map((i) => [i.code, i.field])).toEqual([['target_not_numeric', 'target']]);
    expect(rowIssues(one({ id: 'a', name: 'a', operator: 'gte', actual: 1, weight: 10 }).table).map((i) => i.code)).toEqual(['target_missing']);
  });

  it('an unknown operator is an error naming the row', () => {
    expect(rowIssues(one({ ...gte('a', 1, 1, 10), operator: 'gt' as never }).table).map((i) => [i.code, i.field])).toEqual([['operator_invalid', 'operator']]);
  });

  it('figures with units: "120 人" against "≥100人" is met', () => {
    expect(one(gte('a', '≥100人', '120 人', 10))).toMatchObject({ score: 10, explanation: 'actual 120人 ≥ target 100人: full 10 points' });
  });

  it('different units on target and actual are a warning (compared as written)', () => {
    const row = one(gte('a', '≥1万元', '12000元', 10));
    expect(rowIssues(row.table).map((i) => [i.code, i.severity])).toEqual([['unit_mismatch', 'warning']]);
    expect(row.score).toBe(10);
  });

  it('a target written with the opposite sign of the row’s operator is a warning', () => {
    expect(rowIssues(one(gte('a', '≤5%', '3%', 10)).table).map((i) => [i.code, i.severity, i.field])).toEqual([['operator_mismatch', 'warning', 'operator']]);
  });

  it('an actual written like the target ("≥95%") is no longer taken silently: a warning asks for the value reached', () => {
    const row = one(gte('a', '≥95%', '≥95%', 10));
    expect(rowIssues(row.table).map((i) => [i.code, i.severity, i.field])).toEqual([['actual_repeats_target', 'warning', 'actual']]);
    // Still scored as written (95 of ≥95: met), so nothing blocks; the reviewer sees why.
    expect(row.score).toBe(10);
  });

  it('a measured actual equal to the target ("95%") is not a repeat', () => {
    expect(rowIssues(one(gte('a', '≥95%', '95%', 10)).table)).toEqual([]);
  });
});

// ---------- rounding ----------

describe('rounding: each row to 2 decimals then sum (row, default), or only the total (total)', () => {
  // Three 10-point rows at 1 of 3 (3.333… each) and 70 points met.
  const input: ScoringInput = { rows: [gte('a', 3, 1, 10), gte('b', 3, 1, 10), gte('c', 3, 1, 10), gte('d', 1, 1, 70)] };

  it('row: 3.33 + 3.33 + 3.33 + 70 = 79.99, 中, and the printed rows add up to the total', () => {
    const result = score(input, RULES);
    expect(result.rows.map((r) => r.score)).toEqual([3.33, 3.33, 3.33, 70]);
    expect(result).toMatchObject({ total: 79.99, grade: 'fair' });
  });

  it('total: 10 + 70 = 80.00, 良; rows are still shown to 2 decimals', () => {
    const result = score(input, rules({ rounding: 'total' }));
    expect(result.rows.map((r) => r.score)).toEqual([3.33, 3.33, 3.33, 70]);
    expect(result).toMatchObject({ total: 80, grade: 'good' });
  });

  it('halves round up at the second decimal: 8.005 → 8.01 (no binary-noise 8.00)', () => {
    expect(one(gte('a', 1000, 800.5, 10)).score).toBe(8.01);
  });
});

describe('scoreDecimals: row scores and the total kept to whole points (0), tenths (1) or hundredths (2, default)', () => {
  // 821.5 of ≥1000 on 20 points = 16.43; two 10-point rows at 1 of 3 = 3.333… each; 60 points met.
  // Unrounded: 16.43 + 3.333… + 3.333… + 60 = 83.0967.
  const input: ScoringInput = { rows: [gte('a', 1000, 821.5, 20), gte('b', 3, 1, 10), gte('c', 3, 1, 10), gte('d', 1, 1, 60)] };
  const at = (scoreDecimals: 0 | 1 | 2, rounding: ScoringRules['rounding'] = 'row') => score(input, rules({ scoreDecimals, rounding }));

  it('2 decimals, the default and the old behaviour: 16.43 + 3.33 + 3.33 + 60 = 83.09', () => {
    const result = score(input, RULES);
    expect(result.rows.map((r) => r.score)).toEqual([16.43, 3.33, 3.33, 60]);
    expect(result.total).toBe(83.09);
  });

  it('1 decimal: 16.4 + 3.3 + 3.3 + 60 = 83.0, the sum of the rounded rows', () => {
    const result = at(1);
    expect(result.rows.map((r) => r.score)).toEqual([16.4, 3.3, 3.3, 60]);
    expect(result.total).toBe(83);
  });

  it('whole points: 16 + 3 + 3 + 60 = 82, the sum of the rounded rows (not 83, the unrounded total rounded)', () => {
    const result = at(0);
    expect(result.rows.map((r) => r.score)).toEqual([16, 3, 3, 60]);
    expect(result.total).toBe(82);
  });

  it('whole points with rounding at the total: 83.0967 is kept to 83, the rows shown as 16, 3, 3, 60', () => {
    const result = at(0, 'total');
    expect(result.rows.map((r) => r.score)).toEqual([16, 3, 3, 60]);
    expect(result.total).toBe(83);
  });

  it('the computed score stays at 2 decimals, and the explanation gives the rounded figure', () => {
    expect(rowOf(at(0), 'a')).toMatchObject({ computed: 16.43, score: 16, explanation: 'actual 821.5 of target 1000: 821.5 ÷ 1000 × 20 = 16.43; rounded to whole points: 16' });
    expect(rowOf(at(1), 'a').explanation).toBe('actual 821.5 of target 1000: 821.5 ÷ 1000 × 20 = 16.43; rounded to 1 decimal: 16.4');
  });

  it('the total’s explanation gives the precision and the rounded figures', () => {
    expect(at(0).explanation).toEqual(['subtotal 82 of 100 points (4 indicator rows 82), row scores rounded to whole points before the sum', 'total 82: grade 良 (good), 80 ≤ 82.00 < 90']);
  });

  it('halves round away from zero at the kept precision, without binary noise: 822.5 of 1000 × 20 = 16.45 → 16.5 at 1 decimal', () => {
    expect(one(gte('a', 1000, 822.5, 20), rules({ scoreDecimals: 1 })).score).toBe(16.5);
  });

  it('the execution row is kept at the precision too: 95.5 of 100 × 10 = 9.55 → 9.6 at 1 decimal, 10 in whole points', () => {
    const execution = (scoreDecimals: 0 | 1 | 2) => score({ execution: { budget: 100, executed: 95.5 }, rows: [] }, rules({ scoreDecimals })).execution;
    expect([execution(2)?.score, execution(1)?.score, execution(0)?.score]).toEqual([9.55, 9.6, 10]);
    expect(execution(0)?.explanation).toBe('executed 95.5 of budget 100 (95.50 %): min(95.5 ÷ 100, 1) × 10 = 9.55; rounded to whole points: 10');
  });

  it('an override counts at the precision: 15.5 with a reason counts 16 in whole points, and says so', () => {
    const row = one(gte('a', 1000, 821.5, 20, { override: { score: 15.5, reason: '部分培训未达课时要求' } }), rules({ scoreDecimals: 0 }));
    expect(row.score).toBe(16);
    expect(row.explanation).toBe('actual 821.5 of target 1000: 821.5 ÷ 1000 × 20 = 16.43; overridden from 16.43 to 15.5: 部分培训未达课时要求; rounded to whole points: 16');
  });

  it('the grade is read from the kept total: 89.5 of 100 is 良 at 2 decimals and 90, 优, in whole points', () => {
    const table: ScoringInput = { rows: [gte('a', 100, 89.5, 100)] };
    expect(score(table, RULES)).toMatchObject({ total: 89.5, grade: 'good' });
    expect(score(table, rules({ scoreDecimals: 0 }))).toMatchObject({ total: 90, grade: 'excellent' });
  });
});

// ---------- explanation, purity ----------

describe('the result explains itself and the engine is pure', () => {
  it('explains the total: subtotal, rounding, grade', () => {
    expect(standard().explanation).toEqual([
      'subtotal 96.12 of 100 points (execution 9.50 + 7 indicator rows 86.62), row scores rounded to 2 decimals before the sum',
      'total 96.12: grade 优 (excellent), 96.12 ≥ 90',
    ]);
  });

  it('every row has its explanation with the figures', () => {
    expect(standard().rows.map((r) => r.explanation)).toEqual([
      'actual 1300人次 ≥ target 1200人次: full 20 points',
      'actual 98.5% ≥ target 95%: full 10 points',
      'actual 20个 = target 20个: full 10 points',
      'actual 520元 above target 500元: 500 ÷ 520 × 10 = 9.62',
      'actual 72% of target 80%: 72 ÷ 80 × 20 = 18.00',
      "finding met (band [80 %, 100 %] = [8.00, 10.00] of 10 points): scorer's value 9",
      'actual 93% ≥ target 90%: full 10 points',
    ]);
  });

  it('does not touch its input and gives the same result twice', () => {
    const input = deepFreeze({ execution: { ...EXECUTION }, rows: structuredClone(STANDARD_ROWS), publishedTotal: 96.12 });
    expect(score(input, RULES)).toEqual(score(input, RULES));
  });

  it('refuses invalid rules (they are validated when stored, so this is a programming error)', () => {
    expect(() => score({ rows: [] }, rules({ rounding: 'none' as never }))).toThrow(RangeError);
  });

  it('scoreStrict returns the result when nothing blocks (warnings pass)', () => {
    expect(scoreStrict({ execution: EXECUTION, rows: withRow('r_townships', { applicable: false }) }, RULES).total).toBe(95.69);
  });
});

// ---------- parseFigure ----------

describe('parseFigure: numbers as real tables write them', () => {
  const cases: [string, ReturnType<typeof parseFigure>][] = [
    ['≥100人', { text: '≥100人', value: 100, unit: '人', operator: 'gte' }],
    ['≤5%', { text: '≤5%', value: 5, unit: '%', operator: 'lte' }],
    ['100%', { text: '100%', value: 100, unit: '%' }],
    ['98.50%', { text: '98.50%', value: 98.5, unit: '%' }],
    ['3500公斤', { text: '3500公斤', value: 3500, unit: '公斤' }],
    ['95分', { text: '95分', value: 95, unit: '分' }],
    ['按时完成', { text: '按时完成', note: 'no number' }],
    ['100%（按期）', { text: '100%（按期）', value: 100, unit: '%', note: '按期' }],
    ['═100%', { text: '═100%', value: 100, unit: '%', operator: 'eq' }],
    ['≧735人次', { text: '≧735人次', value: 735, unit: '人次', operator: 'gte' }],
  ];
  for (const [text, expected] of cases) {
    it(`${text}`, () => expect(parseFigure(text)).toEqual(expected));
  }

  it('ASCII and word signs from the published tables: >=, <=, =, 以上, 以下, 不低于, 不超过', () => {
    expect(parseFigure('>=2.61万元')).toEqual({ text: '>=2.61万元', value: 2.61, unit: '万元', operator: 'gte' });
    expect(parseFigure('<=2875元/个')).toEqual({ text: '<=2875元/个', value: 2875, unit: '元/个', operator: 'lte' });
    expect(parseFigure('=300天')).toEqual({ text: '=300天', value: 300, unit: '天', operator: 'eq' });
    expect(parseFigure('95%以上')).toEqual({ text: '95%以上', value: 95, unit: '%', operator: 'gte' });
    expect(parseFigure('5%以下')).toMatchObject({ value: 5, unit: '%', operator: 'lte' });
    expect(parseFigure('不低于90分')).toMatchObject({ value: 90, unit: '分', operator: 'gte' });
    expect(parseFigure('不超过5%')).toMatchObject({ value: 5, unit: '%', operator: 'lte' });
  });

  it('百分比 and full-width ％ read as %; full-width digits and thousands separators are read', () => {
    expect(parseFigure('=100百分比')).toMatchObject({ value: 100, unit: '%', operator: 'eq' });
    expect(parseFigure('９８．５％')).toMatchObject({ value: 98.5, unit: '%' });
    expect(parseFigure('1,200人次')).toMatchObject({ value: 1200, unit: '人次' });
  });

  it('per-unit figures keep their unit: ≥1人/年, ≤28.40/株', () => {
    expect(parseFigure('≥1人/年')).toMatchObject({ value: 1, unit: '人/年', operator: 'gte' });
    expect(parseFigure('≤28.40/株')).toMatchObject({ value: 28.4, unit: '/株', operator: 'lte' });
  });

  it('no value when there is more than one number (a date span) or none; text before a number is kept as a note', () => {
    expect(parseFigure('2023.07-2024.01')).toEqual({ text: '2023.07-2024.01', note: 'more than one number' });
    expect(parseFigure('提高')).toEqual({ text: '提高', note: 'no number' });
    expect(parseFigure('二100百分比')).toEqual({ text: '二100百分比', value: 100, unit: '%', note: 'text before the number: 二' });
  });

  it('digits inside a name or unit are not the figure: PM2.5≤35, 20m2', () => {
    expect(parseFigure('PM2.5≤35')).toMatchObject({ value: 35, operator: 'lte', note: 'text before the number: PM2.5' });
    expect(parseFigure('20m2')).toMatchObject({ value: 20, unit: 'm2' });
  });
});
