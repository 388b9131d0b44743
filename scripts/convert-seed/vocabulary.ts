/**
 * What the seed conversion maps the sources' words to: sectors (and the sector of each real
 * target table), level labels, cleaned indicator names.
 */
import type { Level1, Level2 } from '../../events/vocabulary.ts';
import type { SeedSector } from './shapes.ts';

// Sectors: labels follow the function classes of the government revenue and expenditure
// classification (政府收支分类科目); `prefix` starts the codes of the sector's indicators.

export const SECTORS: (SeedSector & { prefix: string })[] = [
  { code: 'general_administration', label: '一般公共服务', prefix: 'GA' },
  { code: 'education', label: '教育', prefix: 'ED' },
  { code: 'science', label: '科学技术', prefix: 'SC' },
  { code: 'culture', label: '文化旅游体育', prefix: 'CU' },
  { code: 'social_security', label: '社会保障和就业', prefix: 'SS' },
  { code: 'health', label: '卫生健康', prefix: 'HE' },
  { code: 'environment', label: '生态环境', prefix: 'EN' },
  { code: 'urban_management', label: '城乡社区', prefix: 'UM' },
  { code: 'agriculture', label: '农业农村', prefix: 'AG' },
  { code: 'rural_revitalization', label: '乡村振兴', prefix: 'RR' },
  { code: 'transport', label: '交通运输', prefix: 'TR' },
];

/** Which sector each real target table files under, and why (its `kind` field). */
export const TABLE_SECTOR: Record<string, { sector: string; why: string }> = {
  'hn-yueyang-county-2022-gaobiaozhun-nongtian': { sector: 'agriculture', why: '类别“农业/基础设施”：高标准农田建设属农业农村' },
  'he-ningjin-2019-gaozhong-zhuxuejin': { sector: 'education', why: '类别“教育/学生资助补贴”' },
  'hn-nanyue-2018-fupin-lvyou-jichusheshi': { sector: 'rural_revitalization', why: '类别“扶贫/旅游基础设施”：专项扶贫资金已衔接为乡村振兴资金' },
  'nx-tongxin-xiamaguan-2023-putao': { sector: 'agriculture', why: '类别“农业产业补贴”：种植补助属农业农村（资金来源为衔接推进乡村振兴补助资金）' },
  'nx-shizuishan-cdc-2020-yimiao': { sector: 'health', why: '类别“卫生健康（疾病预防控制）”' },
  'sc-jingyan-mata-2023-cunzuganbu-baochou': {
    sector: 'rural_revitalization',
    why: '类别“乡镇/人员补助”：村组干部报酬列农林水支出—农村综合改革—对村民委员会和村党支部的补助，属村级组织建设（组织振兴）',
  },
  'gs-jiayuguan-museum-2023-mianfei-kaifang': { sector: 'culture', why: '类别“文化（文化事业发展专项资金）”' },
  'hn-xiangtan-huanwei-2023-wupaoche': { sector: 'urban_management', why: '类别“环境卫生/政府购买服务”：城市环境卫生列城乡社区支出—城乡社区环境卫生' },
};

// ---------------------------------------------------------------------------------------------
// Level labels as written in the sources → codes. Suffixes like (必填硬性指标) are removed first.

const LEVEL1_OF: Record<string, Level1> = { 产出: 'output', 成本: 'cost', 效益: 'benefit', 效果: 'benefit', 满意度: 'satisfaction' };

const LEVEL2_OF: Record<string, [Level1, Level2]> = {
  数量: ['output', 'quantity'],
  质量: ['output', 'quality'],
  时效: ['output', 'timeliness'],
  // Older forms keep cost under output; since 2021 it is a level-1 category of its own.
  成本: ['cost', 'economic_cost'],
  经济成本: ['cost', 'economic_cost'],
  社会成本: ['cost', 'social_cost'],
  生态环境成本: ['cost', 'ecological_cost'],
  经济效益: ['benefit', 'economic_benefit'],
  社会效益: ['benefit', 'social_benefit'],
  生态效益: ['benefit', 'ecological_benefit'],
  可持续影响: ['benefit', 'sustainability'],
  满意度: ['satisfaction', 'service_satisfaction'],
  服务对象满意度: ['satisfaction', 'service_satisfaction'],
  社会公众或服务对象满意度: ['satisfaction', 'service_satisfaction'],
};

export function stripLabel(label: string): string {
  return label.replace(/[(（][^)）]*[)）]/g, '').replace(/指标$/, '').trim();
}

export function levels(level1Label: string, level2Label: string): [Level1, Level2] | undefined {
  const l1 = LEVEL1_OF[stripLabel(level1Label)];
  const l2 = LEVEL2_OF[stripLabel(level2Label)];
  if (!l1 || !l2) return undefined;
  // A level-2 label decides: 成本 under 产出 → cost; 满意度 under 效果 → satisfaction.
  return l2;
}

// ---------------------------------------------------------------------------------------------
// Names

/**
 * Removes what belongs to a form, not to the indicator: leading numbering (1. 1、 (1)),
 * the marks ★ and * some tables put before key indicators, template placeholders such as
 * (≥**%) or ≥**人, a bare ** (with a following 的), and a value or % glued to the end.
 */
export function cleanName(original: string): string {
  return original
    .trim()
    .replace(/^(?:\d+[.、．]|[(（]\d+[)）])\s*/, '')
    .replace(/^[★☆*]+/, '')
    .replace(/[(（]\s*[≥≤><=]*\s*\*\*[^)）]*[)）]/g, '')
    .replace(/[≥≤><=]+\*\*\S*$/, '')
    .replace(/\*\*的?/g, '')
    .replace(/\d*(?:\.\d+)?%$/, '')
    .replace(/\s+/g, ' ')
    .trim();
}
