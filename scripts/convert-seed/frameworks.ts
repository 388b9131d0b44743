/**
 * The common (共性) indicators of the seed, converted from the published indicator frameworks.
 */
import type { Draft, SeedSource } from './shapes.ts';
import { cleanName, levels, stripLabel } from './vocabulary.ts';

export interface JournalFramework {
  id: string;
  source_url: string;
  title: string;
  categories: { category: string; indicators: { level1: string; level2: string; name: string }[] }[];
}

export interface ScoringFramework {
  id: string;
  source_url: string;
  title: string | null;
  indicators: { level1: string; name: string; weight: number; explanation: string; scoring_standard: string }[];
}

/** A date written as (**月**日前): a deadline, judged met or not, so qualitative. */
const DEADLINE = { operator: 'qualitative' as const, explanation: '目标值写完成时限，如“12月31日前”；按是否按期完成评判（定性）。' };

export function fromJournal(framework: JournalFramework): Draft[] {
  const out: Draft[] = [];
  for (const { category, indicators } of framework.categories) {
    for (const row of indicators) {
      const lv = levels(row.level1, row.level2);
      if (!lv) throw new Error(`${framework.id}: no level mapping for ${row.level1}/${row.level2} (${row.name})`);
      const notes: string[] = [`原表：${category}，${row.level1}/${row.level2}/${row.name}`];
      if (stripLabel(row.level2) === '成本') notes.push('原表“成本指标”在产出指标下，按2021年起的指标体系列为一级“成本指标”/二级“经济成本指标”');
      if (stripLabel(row.level1) === '效果') notes.push('“效果指标”即现行的“效益指标”');
      const paren = /^(.*?)[(（]([^()（）]*)[)）]$/.exec(row.name);
      const base = cleanName(paren ? (paren[1] as string) : row.name);
      const inner = paren?.[2];
      let draft: Omit<Draft, 'source'>;
      const common = { name: base, level1: lv[0], level2: lv[1], scope: 'common' as const, spendingTypes: ['project'] as ['project'] };
      const applies = `适用：${category}（通用共性指标库示例）。`;
      if (inner?.includes('**') || (!inner && /完成时间$/.test(base))) {
        draft = { ...common, operator: DEADLINE.operator, explanation: `${applies}${DEADLINE.explanation}` };
        notes.push('完成时间类指标按定性处理（目标为日期）');
      } else if (!inner) {
        draft = { ...common, operator: 'qualitative', explanation: `${applies}按“明显提升/有所提升/未提升”等分档评判（定性）。` };
        notes.push('原表无计量单位，按定性指标处理');
      } else {
        const costLike = lv[0] === 'cost' && /成本/.test(base);
        draft = { ...common, operator: costLike ? 'lte' : 'gte', unit: inner, explanation: applies };
        notes.push(costLike ? '成本类指标按反向（≤）' : '按正向（≥）指标处理');
      }
      if (base !== row.name) notes.push(`名称由“${row.name}”整理`);
      out.push({ ...draft, source: { url: framework.source_url, title: framework.title, note: notes.join('；') } });
    }
  }
  return out;
}

/**
 * The scoring table's items that are output or benefit indicators. Its other items are
 * management and funding items (前期工作, 组织, 档案, 资金落实, 实际支出, 财务制度): no
 * input indicators in a target (docs/domain.md section 3). 9.社会效益 lists farm-specific
 * effects without a measure and is left out.
 */
export function fromScoringTable(framework: ScoringFramework): Draft[] {
  const title = framework.title ?? '项目绩效评价指标表（评价内容/评价指标/指标说明/评分标准，合计100分）';
  const item = (name: string) => {
    const found = framework.indicators.find((i) => cleanName(i.name) === name);
    if (!found) throw new Error(`${framework.id}: no item ${name}`);
    return found;
  };
  const build = item('建设内容完成量');
  const economic = item('经济效益');
  const common = { scope: 'common' as const, spendingTypes: ['project'] as ['project'] };
  const src = (original: typeof build, note: string): SeedSource => ({
    url: framework.source_url,
    title,
    note: `原表：${original.level1} ${original.name}（${original.weight}分）；${note}`,
  });
  return [
    {
      ...common,
      name: '计划建设内容完成率',
      level1: 'output',
      level2: 'quantity',
      operator: 'gte',
      unit: '%',
      explanation: `${build.explanation}评分标准（原文）：${build.scoring_standard}`,
      source: src(build, '评分标准按完成百分比计分，故以完成率（%）表述'),
    },
    {
      ...common,
      name: '项目单位年新增销售收入',
      level1: 'benefit',
      level2: 'economic_benefit',
      operator: 'gte',
      unit: '万元',
      explanation: `${economic.explanation}评分标准：${economic.scoring_standard}。`,
      source: src(economic, '指标说明中的“年新增销售收入”单列为一项'),
    },
    {
      ...common,
      name: '项目单位年新增利税',
      level1: 'benefit',
      level2: 'economic_benefit',
      operator: 'gte',
      unit: '万元',
      explanation: `${economic.explanation}评分标准：${economic.scoring_standard}。`,
      source: src(economic, '指标说明中的“利税”单列为一项'),
    },
  ];
}
