/** Chinese labels of the indicator vocabulary (codes in `events/vocabulary.ts`). */
import { BASES, LEVEL1, LEVEL2, LEVEL2_BY_LEVEL1, OPERATORS, SPENDING_TYPES, INDICATOR_SCOPES } from '../../../events/vocabulary.ts';
import { SCORING_RULES } from './indicator.ts';

export const LABELS = {
  level1: { output: '产出指标', cost: '成本指标', benefit: '效益指标', satisfaction: '满意度指标' },
  level2: {
    quantity: '数量指标',
    quality: '质量指标',
    timeliness: '时效指标',
    economic_cost: '经济成本指标',
    social_cost: '社会成本指标',
    ecological_cost: '生态环境成本指标',
    economic_benefit: '经济效益指标',
    social_benefit: '社会效益指标',
    ecological_benefit: '生态效益指标',
    sustainability: '可持续影响指标',
    service_satisfaction: '服务对象满意度指标',
  },
  operator: { gte: '≥（正向指标）', lte: '≤（反向指标）', eq: '＝（等于）', qualitative: '定性' },
  basis: { plan: '计划标准', industry: '行业标准', history: '历史标准', other: '其他标准' },
  spendingType: { project: '项目支出', department_overall: '部门整体支出', transfer_payment: '转移支付' },
  scope: { common: '共性指标', individual: '个性指标' },
  scoringRule: {
    proportional: '达到目标值得满分，未达到按实际值/目标值×分值计分',
    inverse_ratio: '不超过目标值得满分，超过按目标值/实际值×分值计分',
    linear_to_double: '不超过目标值得满分，超过部分线性扣分至目标值2倍时为0',
    exact_or_proportional: '等于目标值得满分，否则按正向指标计分',
    qualitative_bands: '定性：达成80-100%，部分达成60-80%，未达成0-60%',
  },
} as const;

interface VocabularyEntry {
  code: string;
  label: string;
  parent?: string;
}

/** The vocabulary as served by `GET /v1/indicators/vocabulary`. */
export function vocabulary() {
  const entries = <K extends keyof typeof LABELS>(kind: K, codes: readonly (keyof (typeof LABELS)[K])[]) =>
    codes.map((code) => ({ code: String(code), label: String(LABELS[kind][code]) }));
  return {
    level1: entries('level1', LEVEL1),
    level2: LEVEL2.map((code) => ({
      code,
      label: LABELS.level2[code],
      parent: LEVEL1.find((l1) => LEVEL2_BY_LEVEL1[l1].includes(code)) as string,
    })),
    operator: entries('operator', OPERATORS),
    basis: entries('basis', BASES),
    spendingType: entries('spendingType', SPENDING_TYPES),
    scope: entries('scope', INDICATOR_SCOPES),
    scoringRule: entries('scoringRule', SCORING_RULES),
  };
}
