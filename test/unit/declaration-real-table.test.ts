/**
 * A real declaration table (岳阳县2022年高标准农田建设项目, 854 万元; from
 * shared/data/real-target-tables.json) converted to the targets shape and checked.
 * Conversion choices: the table's 产出/成本指标 row goes to level-1 cost (older forms kept cost
 * under output; the 2021 tree makes it level 1); a value written without a sign (operator null)
 * becomes `eq`; the single overall goal is the annual one; the table has no weights.
 */
import { describe, expect, it } from 'vitest';
import { checkTargets, passes, type TargetRow, type Targets } from '../../services/declaration/domain/target-check.ts';
import { defaultRules } from '../../services/declaration/domain/rules.ts';

const rows: TargetRow[] = [
  { level1: 'output', level2: 'quantity', name: '脱贫村村内道路硬化里程', operator: 'gte', value: 100, unit: '公里' },
  { level1: 'output', level2: 'quantity', name: '脱贫户供水设施数量', operator: 'gte', value: 20, unit: '座' },
  { level1: 'output', level2: 'quality', name: '项目(工程)验收合格率', operator: 'eq', value: 100, unit: '%' },
  { level1: 'output', level2: 'timeliness', name: '项目(工程)完成及时率', operator: 'gte', value: 100, unit: '%' },
  { level1: 'cost', level2: 'economic_cost', name: '财政资金补助', operator: 'eq', value: 1600, unit: '元/亩' },
  { level1: 'benefit', level2: 'economic_benefit', name: '年增粮食', operator: 'eq', value: 3500, unit: '公斤' },
  { level1: 'benefit', level2: 'social_benefit', name: '受益脱贫(监测)人口数', operator: 'gte', value: 500, unit: '人' },
  { level1: 'benefit', level2: 'social_benefit', name: '解决脱贫(监测)饮水安全问题人数', operator: 'gte', value: 1000, unit: '人' },
  { level1: 'benefit', level2: 'ecological_benefit', name: '新增和改善灌溉达标面积', operator: 'gte', value: 500, unit: '亩' },
  { level1: 'benefit', level2: 'ecological_benefit', name: '新增和改善排水达标面积', operator: 'gte', value: 200, unit: '亩' },
  { level1: 'benefit', level2: 'sustainability', name: '工程设计使用年限', operator: 'gte', value: 20, unit: '年' },
  { level1: 'satisfaction', level2: 'service_satisfaction', name: '受益脱贫(监测)户满意度', operator: 'gte', value: 95, unit: '%' },
];
const yueyang: Targets = { overallGoal: { annual: '完成项目主体工程70%' }, rows };
const amounts = { annualAmountWan: 854 };
const rules = defaultRules('430621', 2022);

describe('real table: 岳阳县2022年高标准农田建设项目', () => {
  it('passes under the default rules: output, benefit and satisfaction present, all 12 rows quantitative with units', () => {
    expect(checkTargets(yueyang, amounts, rules)).toEqual([]);
  });

  it('still passes when the year requires cost: 财政资金补助 1600 元/亩 is a per-mu cost, not compared with the 854 万元', () => {
    expect(checkTargets(yueyang, amounts, { ...rules, costRequired: true })).toEqual([]);
  });

  it('does not mistake 工程设计使用年限 for a spending rate', () => {
    expect(checkTargets(yueyang, amounts, rules).filter((f) => f.code === 'input_indicator')).toEqual([]);
  });

  it('fails when the year requires weights: every row lacks one and they sum to 0', () => {
    const findings = checkTargets(yueyang, amounts, { ...rules, weightsRequired: true });
    expect(passes(findings)).toBe(false);
    expect(findings.filter((f) => f.code === 'weight_missing').map((f) => f.row)).toEqual([...rows.keys()]);
    expect(findings.filter((f) => f.code === 'weights_sum')).toEqual([expect.objectContaining({ severity: 'error', message: expect.stringContaining('add up to 0') })]);
    expect(findings).toHaveLength(13);
  });

  it('fails the way a reviewer would if the satisfaction row were dropped', () => {
    const findings = checkTargets({ ...yueyang, rows: rows.filter((r) => r.level1 !== 'satisfaction') }, amounts, rules);
    expect(findings).toEqual([expect.objectContaining({ code: 'category_missing', severity: 'error', message: expect.stringContaining('满意度') })]);
  });
});
