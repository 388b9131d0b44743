import { describe, expect, it } from 'vitest';
import { checkTargets, passes, type Finding, type TargetRow, type Targets } from '../../services/declaration/domain/target-check.ts';
import { inputIndicatorReason } from '../../services/declaration/domain/input-indicator.ts';
import { defaultRules } from '../../services/declaration/domain/rules.ts';

const rules = defaultRules('360000', 2026);
const amounts = { annualAmountWan: 500 };

const output: TargetRow = { level1: 'output', level2: 'quantity', name: '培训人次', operator: 'gte', value: 1000, unit: '人次', basis: 'plan' };
const benefit: TargetRow = { level1: 'benefit', level2: 'social_benefit', name: '就业率', operator: 'gte', value: 80, unit: '%', basis: 'history' };
const satisfaction: TargetRow = { level1: 'satisfaction', level2: 'service_satisfaction', name: '学员满意度', operator: 'gte', value: 90, unit: '%', basis: 'industry' };
const cost: TargetRow = { level1: 'cost', level2: 'economic_cost', name: '人均培训成本', operator: 'lte', value: 3000, unit: '元/人', basis: 'plan' };

const targets = (rows: TargetRow[], goal = '全年培训1000人次，带动就业'): Targets => ({ overallGoal: { annual: goal }, rows });
const complete = targets([output, benefit, satisfaction]);
const codes = (findings: Finding[]) => findings.map((f) => f.code);

describe('target check: whole table', () => {
  it('passes a complete, quantitative target with no findings', () => {
    expect(checkTargets(complete, amounts, rules)).toEqual([]);
  });

  it('requires the annual overall goal', () => {
    const findings = checkTargets(targets([output, benefit, satisfaction], '  '), amounts, rules);
    expect(codes(findings)).toEqual(['overall_goal_missing']);
    expect(passes(findings)).toBe(false);
  });

  it('rejects targets without any indicator row, and says only that', () => {
    expect(codes(checkTargets(targets([]), amounts, rules))).toEqual(['indicators_missing']);
  });

  it('names each missing required category', () => {
    const findings = checkTargets(targets([output]), amounts, rules);
    expect(findings.filter((f) => f.code === 'category_missing').map((f) => f.message)).toEqual([
      expect.stringContaining('效益 benefit'),
      expect.stringContaining('满意度 satisfaction'),
    ]);
  });

  it('requires a cost indicator only when the year requires it', () => {
    expect(codes(checkTargets(complete, amounts, { ...rules, costRequired: true }))).toEqual(['category_missing']);
    expect(checkTargets(targets([output, cost, benefit, satisfaction]), amounts, { ...rules, costRequired: true })).toEqual([]);
  });

  it('accepts a quantitative share exactly at the minimum and rejects one just below', () => {
    const qualitative: TargetRow = { level1: 'benefit', level2: 'sustainability', name: '长效机制', operator: 'qualitative', value: '逐步建立' };
    // 2 of 4 quantitative = 0.5
    const half = targets([output, { ...satisfaction }, qualitative, { ...qualitative, name: '社会影响' }]);
    expect(codes(checkTargets(half, amounts, rules))).toEqual([]);
    // 2 of 5 quantitative = 0.4
    const below = targets([...half.rows, { ...qualitative, name: '示范带动' }]);
    const findings = checkTargets(below, amounts, rules);
    expect(codes(findings)).toEqual(['quantitative_share_low']);
    expect(findings[0]?.message).toContain('40 %');
  });
});

describe('target check: rows', () => {
  it('requires a number and a unit on every quantitative row, pointing at the row', () => {
    const findings = checkTargets(targets([output, { ...benefit, value: '较大提升', unit: ' ' }, satisfaction]), amounts, rules);
    expect(findings.map((f) => [f.code, f.row])).toEqual([
      ['value_missing', 1],
      ['unit_missing', 1],
    ]);
    expect(findings[1]?.message).toContain('「就业率」');
  });

  it('requires the expected result in words on a qualitative row', () => {
    const qualitative: TargetRow = { level1: 'benefit', level2: 'sustainability', name: '长效机制', operator: 'qualitative', value: '' };
    expect(codes(checkTargets(targets([output, benefit, satisfaction, qualitative]), amounts, rules))).toEqual(['value_missing']);
    expect(checkTargets(targets([output, benefit, satisfaction, { ...qualitative, value: '逐步建立' }]), amounts, rules)).toEqual([]);
  });

  it('rejects a level-2 category from another level-1 category', () => {
    expect(codes(checkTargets(targets([{ ...output, level2: 'social_benefit' }, benefit, satisfaction]), amounts, rules))).toEqual(['level2_mismatch']);
  });

  it('rejects spending rates as input indicators wherever they are put', () => {
    for (const name of ['资金支出率', '预算执行率', '资金到位率', '支出进度', '资金拨付率']) {
      const row: TargetRow = { level1: 'output', level2: 'timeliness', name, operator: 'gte', value: 100, unit: '%' };
      const findings = checkTargets(targets([output, benefit, satisfaction, row]), amounts, rules);
      expect(findings.map((f) => [f.code, f.row]), name).toEqual([['input_indicator', 3]]);
    }
  });

  it('rejects money counted as an output quantity', () => {
    const row: TargetRow = { level1: 'output', level2: 'quantity', name: '项目资金投入', operator: 'gte', value: 500, unit: '万元' };
    expect(codes(checkTargets(targets([output, benefit, satisfaction, row]), amounts, rules))).toEqual(['input_indicator']);
  });

  it('leaves real outputs and cost rows alone', () => {
    expect(inputIndicatorReason({ level1: 'output', level2: 'quality', name: '设施使用率', unit: '%' })).toBeUndefined();
    expect(inputIndicatorReason({ level1: 'output', level2: 'quantity', name: '新建道路', unit: '公里' })).toBeUndefined();
    expect(inputIndicatorReason({ level1: 'benefit', level2: 'economic_benefit', name: '带动农户增收', unit: '万元' })).toBeUndefined();
    expect(inputIndicatorReason({ level1: 'cost', level2: 'economic_cost', name: '资金支出总额', unit: '万元' })).toBeUndefined();
  });

  it('accepts a cost row equal to the annual amount and rejects one above it, in 元, 万元 or 亿元', () => {
    const total: TargetRow = { level1: 'cost', level2: 'economic_cost', name: '项目总成本', operator: 'lte', value: 500, unit: '万元' };
    expect(checkTargets(targets([output, total, benefit, satisfaction]), amounts, rules)).toEqual([]);
    for (const over of [{ value: 500.01, unit: '万元' }, { value: 5_000_001, unit: '元' }, { value: 0.06, unit: '亿元' }]) {
      const findings = checkTargets(targets([output, { ...total, ...over }, benefit, satisfaction]), amounts, rules);
      expect(findings.map((f) => [f.code, f.row]), over.unit).toEqual([['cost_exceeds_amount', 1]]);
    }
  });

  it('does not compare per-unit costs with the amount', () => {
    expect(checkTargets(targets([output, { ...cost, value: 1_000_000 }, benefit, satisfaction]), amounts, rules)).toEqual([]);
  });
});

describe('target check: weights', () => {
  const weighted = (w: (number | undefined)[]) => targets([output, benefit, satisfaction].map((r, i) => ({ ...r, weight: w[i] })));
  const required = { ...rules, weightsRequired: true };

  it('ignores weights when the year does not require them', () => {
    expect(checkTargets(weighted([10, 10, undefined]), amounts, rules)).toEqual([]);
  });

  it('accepts weights that sum to 100, decimals included', () => {
    expect(checkTargets(weighted([50.1, 39.9, 10]), amounts, required)).toEqual([]);
  });

  it('rejects weights that do not sum to 100', () => {
    const findings = checkTargets(weighted([50, 30, 10]), amounts, required);
    expect(codes(findings)).toEqual(['weights_sum']);
    expect(findings[0]?.message).toContain('90');
  });

  it('names every row without a weight', () => {
    expect(checkTargets(weighted([60, undefined, 0]), amounts, required).map((f) => [f.code, f.row])).toEqual([
      ['weight_missing', 1],
      ['weight_missing', 2],
      ['weights_sum', undefined],
    ]);
  });

  it('leaves the reserved points out of the rows (budget execution scored separately)', () => {
    expect(checkTargets(weighted([50, 30, 10]), amounts, { ...required, reservedWeight: 10 })).toEqual([]);
  });
});

describe('target check: history', () => {
  const withHistory = (value: number, median: number, operator: TargetRow['operator'] = 'gte') =>
    targets([{ ...output, operator, value, library: { indicatorId: 'ind_1', historicalMedian: median } }, benefit, satisfaction]);

  it('warns when a positive target is below 0.8 × the historical median, without failing the check', () => {
    const findings = checkTargets(withHistory(799, 1000), amounts, rules);
    expect(findings.map((f) => [f.code, f.severity, f.row])).toEqual([['far_below_history', 'warning', 0]]);
    expect(passes(findings)).toBe(true);
  });

  it('does not warn at exactly 0.8 × the median', () => {
    expect(checkTargets(withHistory(800, 1000), amounts, rules)).toEqual([]);
  });

  it('does not warn on negative indicators or without a known median', () => {
    expect(checkTargets(withHistory(100, 1000, 'lte'), amounts, rules)).toEqual([]);
    expect(checkTargets(targets([{ ...output, library: { indicatorId: 'ind_1' } }, benefit, satisfaction]), amounts, rules)).toEqual([]);
  });

  it('uses the region-year factor', () => {
    expect(checkTargets(withHistory(850, 1000), amounts, { ...rules, farBelowHistoryFactor: 0.9 })).toHaveLength(1);
  });
});

describe('passes', () => {
  it('is true with no findings or only warnings, false with any error', () => {
    expect(passes([])).toBe(true);
    expect(passes([{ code: 'far_below_history', severity: 'warning', message: '' }])).toBe(true);
    expect(passes([{ code: 'far_below_history', severity: 'warning', message: '' }, { code: 'unit_missing', severity: 'error', message: '' }])).toBe(false);
  });
});

describe('target check: reviewer warnings', () => {
  it('flags a spending rate filed as a cost (资金使用效率 %) as an input, but not a cost counted in money', () => {
    const rate: TargetRow = { level1: 'cost', level2: 'economic_cost', name: '资金使用效率', operator: 'eq', value: 100, unit: '%' };
    expect(inputIndicatorReason(rate)).toBe('measures how fast money is spent');
    expect(inputIndicatorReason(cost)).toBeUndefined();
  });

  it('warns when an economic cost is not money, without keeping the targets out', () => {
    const rate: TargetRow = { level1: 'cost', level2: 'economic_cost', name: '采购合规率', operator: 'eq', value: 100, unit: '%' };
    const findings = checkTargets(targets([output, benefit, satisfaction, rate]), amounts, rules);
    expect(findings).toEqual([expect.objectContaining({ code: 'cost_not_money', severity: 'warning', row: 3 })]);
    expect(passes(findings)).toBe(true);
  });

  it('accepts social and ecological costs in other units (亩 of farmland taken)', () => {
    const land: TargetRow = { level1: 'cost', level2: 'ecological_cost', name: '占用耕地面积', operator: 'lte', value: 20, unit: '亩' };
    expect(checkTargets(targets([output, benefit, satisfaction, land]), amounts, rules)).toEqual([]);
  });

  it('warns about the same indicator twice, pointing at the repeat', () => {
    const again: TargetRow = { ...output, level1: 'benefit', level2: 'social_benefit' };
    const findings = checkTargets(targets([output, benefit, satisfaction, again]), amounts, rules);
    expect(findings).toEqual([expect.objectContaining({ code: 'duplicate_indicator', severity: 'warning', row: 3, message: expect.stringContaining('row 1') })]);
  });

  it('warns about names that are form placeholders or category labels', () => {
    const placeholder: TargetRow = { ...output, name: '培训人次(≥**人次)' };
    const label: TargetRow = { level1: 'benefit', level2: 'sustainability', name: '可持续影响指标', operator: 'qualitative', value: '持续发展' };
    const findings = checkTargets(targets([placeholder, benefit, satisfaction, label]), amounts, rules);
    expect(findings.map((f) => [f.code, f.severity, f.row])).toEqual([
      ['placeholder_name', 'warning', 0],
      ['placeholder_name', 'warning', 3],
    ]);
  });
});

describe('target check: matched to the money against history', () => {
  /** 培训人数 from the library, whose past evaluations achieved `perWan` trainees per 万元 of their object's amount. */
  const trainees = (value: number, perWan: number | undefined): TargetRow => ({
    level1: 'output',
    level2: 'quantity',
    name: '培训人数',
    operator: 'gte',
    value,
    unit: '人',
    library: { indicatorId: 'ind_trainees00', ...(perWan !== undefined ? { historicalPerWan: perWan } : {}) },
  });
  const mismatches = (findings: Finding[]) => findings.filter((f) => f.code === 'money_mismatch');

  it('flags the 5 亿元 object whose whole output is 100 trainees, where history bought 2 trainees per 万元 (0.5 万元 each)', () => {
    // 50,000 万元 ÷ 100 人 = 500 万元 per trainee; history 1 ÷ 2 = 0.5 万元 per trainee; 500 ÷ 0.5 = 1000 times.
    const findings = checkTargets(targets([trainees(100, 2), benefit, satisfaction]), { annualAmountWan: 50_000 }, rules);
    expect(findings).toEqual([{ code: 'money_mismatch', severity: 'warning', row: 0, message: expect.stringContaining('500 万元 per 人, 1000 times the 0.5 万元 per 人') }]);
  });

  it('no longer lets that object through on the cost rows alone: its only cost row is within the amount, and with severity error the check fails', () => {
    const cheapCost: TargetRow = { ...cost, name: '培训总成本', value: 50_000, unit: '万元' };
    const table = targets([trainees(100, 2), cheapCost, benefit, satisfaction]);
    const findings = checkTargets(table, { annualAmountWan: 50_000 }, { ...rules, moneyMatch: { ...rules.moneyMatch, severity: 'error' } });
    expect(findings.map((f) => [f.code, f.severity])).toEqual([['money_mismatch', 'error']]);
    expect(passes(findings)).toBe(false);
  });

  it('leaves money per unit at the default ratio (2 times history) alone and flags it once the region lowers the ratio', () => {
    // 500 万元 for 500 人 = 1 万元 each; history 2 per 万元 = 0.5 万元 each: exactly 2 times.
    const table = targets([trainees(500, 2), benefit, satisfaction]);
    expect(mismatches(checkTargets(table, amounts, rules))).toEqual([]);
    const stricter = { ...rules, moneyMatch: { ...rules.moneyMatch, maxDeviationRatio: 1.5 } };
    expect(mismatches(checkTargets(table, amounts, stricter)).map((f) => f.row)).toEqual([0]);
  });

  it('flags just above the ratio: 2.5 times the historical money per unit', () => {
    // 500 万元 for 400 人 = 1.25 万元 each, 2.5 times 0.5.
    const findings = mismatches(checkTargets(targets([trainees(400, 2), benefit, satisfaction]), amounts, rules));
    expect(findings.map((f) => f.message)).toEqual([expect.stringContaining('1.25 万元 per 人, 2.5 times')]);
  });

  it('does not flag when another output with a history is in line with the money: the amount cannot be split among outputs', () => {
    const hectares: TargetRow = { level1: 'output', level2: 'quantity', name: '新建高标准农田面积', operator: 'gte', value: 5000, unit: '亩', library: { indicatorId: 'ind_farmland0', historicalPerWan: 10 } };
    // 培训人数 alone: 1000 times history; 农田 5000 亩 for 500 万元 = 10 亩 per 万元, as history.
    expect(mismatches(checkTargets(targets([trainees(1, 2), hectares, benefit, satisfaction]), amounts, rules))).toEqual([]);
  });

  it('flags every output with a history when all of them are far from it', () => {
    const hectares: TargetRow = { level1: 'output', level2: 'quantity', name: '新建高标准农田面积', operator: 'gte', value: 100, unit: '亩', library: { indicatorId: 'ind_farmland0', historicalPerWan: 10 } };
    expect(mismatches(checkTargets(targets([trainees(1, 2), hectares, benefit, satisfaction]), amounts, rules)).map((f) => f.row)).toEqual([0, 1]);
  });

  it('compares nothing without a history per 万元, or for rows that are not output quantities', () => {
    expect(mismatches(checkTargets(targets([trainees(1, undefined), benefit, satisfaction]), amounts, rules))).toEqual([]);
    const employed: TargetRow = { ...benefit, name: '就业人数', unit: '人', value: 1, library: { indicatorId: 'ind_employed0', historicalPerWan: 2 } };
    expect(mismatches(checkTargets(targets([output, employed, satisfaction]), amounts, rules))).toEqual([]);
  });

  it('compares nothing on an object without money', () => {
    expect(mismatches(checkTargets(targets([trainees(1, 2), benefit, satisfaction]), { annualAmountWan: 0 }, rules))).toEqual([]);
  });
});
