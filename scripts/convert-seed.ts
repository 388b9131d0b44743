/**
 * One-off converter: published indicator frameworks and real target tables (../shared/data,
 * beside the repository) → the default provincial library in seed/ (sectors, indicators,
 * "3+X" templates). The seed files are committed and are what the project uses; run this
 * again only when the sources or the rules below change:
 *
 *   npx tsx scripts/convert-seed.ts            # writes seed/*.json
 *   npx tsx scripts/convert-seed.ts --check    # fails if seed/*.json differ from a fresh conversion
 *
 * Every choice that is not a plain transcription (a sector for a table, an operator the
 * table left out, a cleaned name, a dropped row) is made here, in one of the tables below,
 * and recorded in the entry's `source.note`. A source row that no rule covers stops the
 * conversion, so a new source cannot slip in unexamined.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Level1, Level2, Operator } from '../events/vocabulary.ts';
import { rowsFromJson } from '../services/indicators/domain/import-rows.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = join(repoRoot, '..', 'shared', 'data');
const seedDir = join(repoRoot, 'seed');

// ---------------------------------------------------------------------------------------------
// Output shapes (seed/README.md describes them)

export interface SeedSource {
  url: string;
  title: string;
  note?: string;
}

export interface SeedSector {
  code: string;
  label: string;
}

export interface SeedIndicator {
  code: string;
  name: string;
  level1: Level1;
  level2: Level2;
  operator: Operator;
  unit?: string;
  basis?: 'plan';
  explanation?: string;
  scope: 'common' | 'individual';
  sector?: string;
  spendingTypes: ['project'];
  source: SeedSource;
}

export interface SeedTemplate {
  key: string;
  name: string;
  spendingType: 'project';
  sector: string;
  fiscalYear: number;
  description: string;
  indicators: { code: string }[];
  sources: { url: string; title: string }[];
}

// ---------------------------------------------------------------------------------------------
// Sectors: labels follow the function classes of the government revenue and expenditure
// classification (政府收支分类科目); `prefix` starts the codes of the sector's indicators.

const SECTORS: (SeedSector & { prefix: string })[] = [
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
const TABLE_SECTOR: Record<string, { sector: string; why: string }> = {
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

function stripLabel(label: string): string {
  return label.replace(/[(（][^)）]*[)）]/g, '').replace(/指标$/, '').trim();
}

function levels(level1Label: string, level2Label: string): [Level1, Level2] | undefined {
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

// ---------------------------------------------------------------------------------------------
// Common (共性) indicators from the frameworks

interface JournalFramework {
  id: string;
  source_url: string;
  title: string;
  categories: { category: string; indicators: { level1: string; level2: string; name: string }[] }[];
}

interface ScoringFramework {
  id: string;
  source_url: string;
  title: string | null;
  indicators: { level1: string; name: string; weight: number; explanation: string; scoring_standard: string }[];
}

type Draft = Omit<SeedIndicator, 'code'>;

/** A date written as (**月**日前): a deadline, judged met or not, so qualitative. */
const DEADLINE = { operator: 'qualitative' as const, explanation: '目标值写完成时限，如“12月31日前”；按是否按期完成评判（定性）。' };

function fromJournal(framework: JournalFramework): Draft[] {
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
 * input indicators in a target (DOMAIN.md section 3). 9.社会效益 lists farm-specific
 * effects without a measure and is left out.
 */
function fromScoringTable(framework: ScoringFramework): Draft[] {
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

// ---------------------------------------------------------------------------------------------
// Individual (个性) indicators from the real target tables

interface TableRow {
  level1: string;
  level2: string;
  name: string;
  operator: string | null;
  value: number | null;
  unit: string | null;
  target_text: string;
  explanation?: string;
  standard?: string;
}

interface TargetTable {
  id: string;
  kind: string;
  source_url: string;
  title: string;
  year: number;
  province: string;
  department: string;
  project_name: string;
  indicators: TableRow[];
}

/** Corrections of single rows, keyed `<table id>#<name as published>`. */
interface RowFix {
  drop?: string;
  name?: string;
  level?: [Level1, Level2];
  unit?: string;
  operator?: Operator;
  why?: string;
}

const ROW_FIXES: Record<string, RowFix> = {
  'he-ningjin-2019-gaozhong-zhuxuejin#规章制度建立与否': { drop: '管理制度类（原表一级“项目年度绩效目标(定量指标)”/二级“制度指标”），不属产出/成本/效益/满意度，且目标值为空' },
  'he-ningjin-2019-gaozhong-zhuxuejin#资金支出率': { drop: '资金支出率是投入（预算执行）指标，不作产出指标（DOMAIN.md 第3节）' },
  'he-ningjin-2019-gaozhong-zhuxuejin#享受资助人数': { unit: '人', why: '原表无单位，按名称“人数”补“人”' },
  'he-ningjin-2019-gaozhong-zhuxuejin#资助对象满意度': { level: ['satisfaction', 'service_satisfaction'], why: '原表置于产出/质量指标下，按性质列为满意度指标' },
  'nx-tongxin-xiamaguan-2023-putao#种植作物成活率(≥**%)': { unit: '%', why: '原文“>=85”无单位，按名称“成活率”补“%”' },
  'nx-tongxin-xiamaguan-2023-putao#可持续影响指标': { drop: '三级指标名称只是二级类别名（原文“持续发展”），不构成可用的指标' },
  'nx-shizuishan-cdc-2020-yimiao#满足海洛因成瘾患者维持治疗需求': { why: '原表在数量指标与社会效益指标下各列一次，此处只收第一处' },
  'sc-jingyan-mata-2023-cunzuganbu-baochou#村组干部230人': { name: '村组干部人数', unit: '人', why: '名称中的人数移入指标值；原表单位“个”按人数改为“人”' },
  'gs-jiayuguan-museum-2023-mianfei-kaifang#为当地提供就业LJUI,冈位': { name: '为当地提供就业岗位', why: '纠正OCR错字（原表说明：疑为“为当地提供就业岗位”）' },
  'gs-jiayuguan-museum-2023-mianfei-kaifang#资金使用效率': { operator: 'eq', why: '原文“二100百分比”为OCR误识，同表其他定量指标均为“=”，按“=”处理' },
  'hn-xiangtan-huanwei-2023-wupaoche#控制在预算成本内': { operator: 'lte', why: '原文无比较符号；“控制在……内”是上限，按反向（≤）' },
  'hn-xiangtan-huanwei-2023-wupaoche#服务周期': { operator: 'qualitative', why: '目标值为期间“2023.07-2024.01”，按是否在期内完成评判（定性）' },
};

const OPERATOR_OF: Record<string, Operator> = { '≥': 'gte', '>=': 'gte', '≤': 'lte', '<=': 'lte', '=': 'eq', 定性: 'qualitative' };
const SYMBOL: Record<Operator, string> = { gte: '≥', lte: '≤', eq: '=', qualitative: '' };
const UNIT_OF: Record<string, string> = { 百分比: '%', M: '米', 万: '万元' };

/**
 * The operator when the table wrote none: a written 以上/不低于/不少于 → ≥, 以下/以内/不超过
 * → ≤; a benefit or satisfaction value → ≥ (more is the aim); otherwise = (a count or a
 * standard to meet exactly). A row without any value is qualitative.
 */
function inferOperator(row: TableRow, level1: Level1): { operator: Operator; why: string } {
  if (row.operator) {
    const op = OPERATOR_OF[row.operator];
    if (!op) throw new Error(`unknown operator ${row.operator} (${row.name})`);
    return { operator: op, why: '' };
  }
  if (row.value === null) return { operator: 'qualitative', why: '原文无指标值，按定性' };
  if (/以上|不低于|不少于/.test(row.target_text)) return { operator: 'gte', why: `原文“${row.target_text}”，按正向（≥）` };
  if (/以下|以内|不超过|不高于/.test(row.target_text)) return { operator: 'lte', why: `原文“${row.target_text}”，按反向（≤）` };
  if (level1 === 'benefit' || level1 === 'satisfaction') return { operator: 'gte', why: '原文无比较符号；效益、满意度指标按正向（≥）' };
  return { operator: 'eq', why: '原文无比较符号，按“=”' };
}

function fromTable(table: TargetTable, used: Set<string>): { drafts: Draft[]; dropped: string[] } {
  const place = TABLE_SECTOR[table.id];
  if (!place) throw new Error(`table ${table.id} (${table.kind}) has no sector in TABLE_SECTOR`);
  const drafts: Draft[] = [];
  const dropped: string[] = [];
  for (const row of table.indicators) {
    const fix = ROW_FIXES[`${table.id}#${row.name}`] ?? {};
    if (fix.drop) {
      dropped.push(`${table.id}: ${row.name} — ${fix.drop}`);
      continue;
    }
    const lv = fix.level ?? levels(row.level1, row.level2);
    if (!lv) throw new Error(`${table.id}: no level mapping for ${row.level1}/${row.level2} (${row.name}); add a ROW_FIXES entry`);
    const name = fix.name ?? cleanName(row.name);
    const key = `${place.sector}#${name}`;
    if (used.has(key)) {
      dropped.push(`${table.id}: ${row.name} — 同一行业已有同名指标`);
      continue;
    }
    used.add(key);
    const inferred = fix.operator ? { operator: fix.operator, why: '' } : inferOperator(row, lv[0]);
    const operator = inferred.operator;
    const rawUnit = fix.unit ?? row.unit ?? undefined;
    const unit = operator === 'qualitative' ? undefined : rawUnit && (UNIT_OF[rawUnit] ?? rawUnit);
    if (operator !== 'qualitative' && !unit) throw new Error(`${table.id}: ${row.name} is quantitative but has no unit; add a ROW_FIXES entry`);
    const target = operator === 'qualitative' ? row.target_text : `${SYMBOL[operator]}${row.value}${unit}`;
    const explanation = [
      `参考目标值：${target}（${table.province}${table.department.replace(/^[\d-]+/, '')}“${table.project_name}”，${table.year}年度）。`,
      row.explanation && !/^达到(目标|预计)值$/.test(row.explanation) ? `原表指标说明：${row.explanation}。` : '',
    ].join('');
    const notes = [
      `原表：${row.level1}/${row.level2}/${row.name}，指标值“${row.target_text}”`,
      `行业：${place.why}`,
      name !== row.name ? `名称由“${row.name}”整理` : '',
      unit && rawUnit !== unit ? `单位“${rawUnit}”记为“${unit}”` : '',
      inferred.why,
      fix.why ?? '',
      stripLabel(row.level2) === '成本' && lv[0] === 'cost' ? '原表“成本指标”在产出指标下，按2021年起的指标体系列为一级“成本指标”/二级“经济成本指标”' : '',
    ].filter((n) => n !== '');
    drafts.push({
      name,
      level1: lv[0],
      level2: lv[1],
      operator,
      ...(unit ? { unit } : {}),
      basis: 'plan',
      explanation,
      scope: 'individual',
      sector: place.sector,
      spendingTypes: ['project'],
      source: { url: table.source_url, title: table.title, note: notes.join('；') },
    });
  }
  return { drafts, dropped };
}

// ---------------------------------------------------------------------------------------------
// Codes and templates

const LEVEL1_PREFIX: Record<Level1, string> = { output: 'OUT', cost: 'CST', benefit: 'BEN', satisfaction: 'SAT' };
const LEVEL1_ORDER: Level1[] = ['output', 'cost', 'benefit', 'satisfaction'];

function withCodes(common: Draft[], individual: Draft[]): SeedIndicator[] {
  const out: SeedIndicator[] = [];
  for (const level1 of LEVEL1_ORDER) {
    common
      .filter((d) => d.level1 === level1)
      .forEach((d, i) => out.push(ordered({ ...d, code: `CM-${LEVEL1_PREFIX[level1]}-${String(i + 1).padStart(3, '0')}` })));
  }
  for (const sector of SECTORS) {
    individual
      .filter((d) => d.sector === sector.code)
      .forEach((d, i) => out.push(ordered({ ...d, code: `${sector.prefix}-${String(i + 1).padStart(3, '0')}` })));
  }
  return out;
}

/** Field order of the JSON files, for readable diffs. */
function ordered(ind: SeedIndicator): SeedIndicator {
  const { code, name, level1, level2, operator, unit, basis, explanation, scope, sector, spendingTypes, source } = ind;
  return {
    code,
    name,
    level1,
    level2,
    operator,
    ...(unit ? { unit } : {}),
    ...(basis ? { basis } : {}),
    ...(explanation ? { explanation } : {}),
    scope,
    ...(sector ? { sector } : {}),
    spendingTypes,
    source,
  };
}

/** The common core every template starts from: one or two per level-1 category. */
const TEMPLATE_COMMON_NAMES = ['计划建设内容完成率', '按时完成率', '政府采购节支率', '公共服务水平提升情况', '使用人员满意度'];

function templates(indicators: SeedIndicator[], tables: TargetTable[], frameworkSources: { url: string; title: string }[]): SeedTemplate[] {
  const core = TEMPLATE_COMMON_NAMES.map((name) => {
    const found = indicators.find((i) => i.scope === 'common' && i.name === name);
    if (!found) throw new Error(`template core: no common indicator ${name}`);
    return found;
  });
  const out: SeedTemplate[] = [];
  for (const sector of SECTORS) {
    const own = indicators.filter((i) => i.sector === sector.code);
    if (own.length === 0) continue;
    const sourceTables = tables.filter((t) => TABLE_SECTOR[t.id]?.sector === sector.code);
    const coreSources = frameworkSources.filter((f) => core.some((c) => c.source.url === f.url));
    out.push({
      key: `${sector.code.replace(/_/g, '-')}-project-2026`,
      name: `${sector.label}项目支出绩效指标模板（2026年度）`,
      spendingType: 'project',
      sector: sector.code,
      fiscalYear: 2026,
      description:
        `“3+X”项目支出指标模板：共性指标（产出、成本、效益、满意度各类）+ ${sector.label}行业个性指标。` +
        `个性指标取自已公开的绩效目标表：${sourceTables.map((t) => `《${t.title}》`).join('、')}；申报时按项目实际删减、补充并填写指标值。`,
      indicators: [...core, ...own].map((i) => ({ code: i.code })),
      sources: [...coreSources, ...sourceTables.map((t) => ({ url: t.source_url, title: t.title }))],
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

export function convert(commonFile: { frameworks: ({ id: string } & Record<string, unknown>)[] }, tables: TargetTable[]) {
  const journal = commonFile.frameworks.find((f) => f.id === 'common-indicator-library-example-journal') as unknown as JournalFramework | undefined;
  const scoring = commonFile.frameworks.find((f) => f.id === 'scoring-table-fsou-167082') as unknown as ScoringFramework | undefined;
  if (!journal || !scoring) throw new Error('common-indicators.json: expected the journal library and the scoring table');
  // The 2013-style framework (common-framework-2013-style-daumloan) holds only its 投入
  // part (立项, 资金落实): evaluation items about inputs, not target indicators. Not used.

  const common = [...fromScoringTable(scoring), ...fromJournal(journal)];
  const used = new Set<string>();
  const dropped: string[] = [];
  const individual: Draft[] = [];
  for (const table of tables) {
    const result = fromTable(table, used);
    individual.push(...result.drafts);
    dropped.push(...result.dropped);
  }
  const indicators = withCodes(common, individual);
  const frameworkSources = [scoring, journal].map((f) => ({ url: f.source_url, title: f.title ?? '项目绩效评价指标表' }));
  return {
    sectors: SECTORS.map(({ code, label }) => ({ code, label })),
    indicators,
    templates: templates(indicators, tables, frameworkSources),
    dropped,
  };
}

function main(): void {
  const check = process.argv.includes('--check');
  const commonFile = JSON.parse(readFileSync(join(dataDir, 'common-indicators.json'), 'utf8'));
  const tables = JSON.parse(readFileSync(join(dataDir, 'real-target-tables.json'), 'utf8')) as TargetTable[];
  const result = convert(commonFile, tables);

  // Every entry must import as it is (the seed CLI sends it without `source`).
  const check_ = rowsFromJson(result.indicators.map(({ source: _s, ...draft }) => draft));
  if (check_.invalid.length) throw new Error(`seed rows fail the import contract:\n${JSON.stringify(check_.invalid, null, 2)}`);

  const files: Record<string, unknown> = {
    'sectors.json': result.sectors,
    'indicators.json': result.indicators,
    'templates.json': result.templates,
  };
  mkdirSync(seedDir, { recursive: true });
  let stale = false;
  for (const [file, content] of Object.entries(files)) {
    const text = `${JSON.stringify(content, null, 2)}\n`;
    const path = join(seedDir, file);
    if (check) {
      let current = '';
      try {
        current = readFileSync(path, 'utf8');
      } catch {
        /* missing counts as stale */
      }
      if (current !== text) {
        stale = true;
        console.error(`seed/${file} differs from a fresh conversion`);
      }
    } else writeFileSync(path, text, 'utf8');
  }
  const common = result.indicators.filter((i) => i.scope === 'common').length;
  console.log(
    `${check ? 'checked' : 'wrote'} seed/: ${result.sectors.length} sectors, ${result.indicators.length} indicators (${common} common, ${result.indicators.length - common} individual), ${result.templates.length} templates`,
  );
  console.log(`dropped ${result.dropped.length} source rows:\n  ${result.dropped.join('\n  ')}`);
  if (stale) process.exitCode = 1;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
