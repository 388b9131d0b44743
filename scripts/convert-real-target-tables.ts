/**
 * The eight real published target tables (../shared/data/real-target-tables.json, beside the
 * repository) → request bodies of the declaration API, as the committed test fixture
 * test/fixtures/real-target-tables.json. Tests read the fixture (CI has no ../shared); run this
 * again only when the source or the rules below change:
 *
 *   npx tsx scripts/convert-real-target-tables.ts [input] [output]
 *
 * Each entry carries `object` (body of POST /v1/declaration/objects), `targets` (body of
 * PUT …/objects/{id}/targets) and `conversionNotes`: every choice that is not a plain
 * transcription, so a reviewer can see what was the table and what was the conversion.
 * The tables are converted as published, errors included: the point of the fixture is to see
 * what the automatic check says about real tables, so nothing is corrected that the check
 * should be judging (a missing unit, a misfiled row, an input indicator, a missing goal).
 *
 * Rules:
 * - Level 1: 产出→output, 成本→cost, 效益→benefit, 满意度→satisfaction (labels compared after
 *   dropping "指标" and bracketed remarks such as "(必填硬性指标)").
 * - Level 2: 数量/质量/时效 → quantity/quality/timeliness; 经济/社会/生态/可持续影响 →
 *   economic_benefit/social_benefit/ecological_benefit/sustainability; 经济成本/社会成本/生态环境成本
 *   → the cost codes; (社会公众或)服务对象满意度 → service_satisfaction. A 成本指标 filed under
 *   产出指标 (the pre-2021 form) becomes level 1 cost, level 2 economic_cost: the 2021 tree makes
 *   cost level 1, and none of these rows is about social or ecological cost. Any other
 *   disagreement between the two labels stops the conversion (a ROW_FIXES entry must decide).
 * - Operator: ≥/>=→gte, ≤/<=→lte, =→eq, 定性→qualitative. When the table wrote none (null):
 *   a leading sign in target_text decides; else a written 以上/不低于/不少于 → gte and
 *   以下/以内/不超过 → lte (the text says so; dropping it would make the target exact); else a
 *   bare number → eq; a text value → qualitative. Never a number invented for a text value.
 * - Value: the number for quantitative rows, the published text (target_text) for qualitative ones.
 * - Unit: as published, written the usual way (百分比→%, M→米, and 万→万元 where the table
 *   states its money unit is 万元, so the cost check can compare it). A missing unit stays missing.
 * - Names exactly as published (template placeholders, ★ marks and OCR errors included).
 * - basis from the table's 绩效标准 column (计划标准→plan …); weight where the table has one.
 * - The object: spendingType project; lifecycle continuing unless the source says new; period
 *   the fiscal year unless the source gives an implementation period; amounts in 万元 as
 *   published (per-table choices in TABLES).
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Basis, Level1, Level2, Operator } from '../events/vocabulary.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const defaultInput = join(repoRoot, '..', 'shared', 'data', 'real-target-tables.json');
const defaultOutput = join(repoRoot, 'test', 'fixtures', 'real-target-tables.json');

// ---------------------------------------------------------------------------------------------
// Shapes

interface SourceRow {
  level1: string;
  level2: string;
  name: string;
  operator: string | null;
  value: number | null;
  unit: string | null;
  target_text: string;
  weight?: number;
  standard?: string;
}

interface SourceTable {
  id: string;
  kind: string;
  source_url: string;
  title: string;
  year: number;
  province: string;
  project_name: string;
  amount: number | null;
  amount_published: string | null;
  overall_goal: string | null;
  indicators: SourceRow[];
}

export interface FixtureRow {
  level1: Level1;
  level2: Level2;
  name: string;
  operator: Operator;
  value?: number | string;
  unit?: string;
  basis?: Basis;
  weight?: number;
}

export interface FixtureTable {
  id: string;
  sourceUrl: string;
  title: string;
  province: string;
  publishedYear: number;
  conversionNotes: string[];
  object: {
    spendingType: 'project';
    name: string;
    fiscalYear: number;
    sector: string;
    lifecycle: 'new' | 'continuing';
    period: { startYear: number; endYear: number };
    amounts: { mediumTermTotalWan: number; annualTotalWan: number; fiscalWan: number; otherWan: number };
  };
  targets: { overallGoal: { annual: string }; rows: FixtureRow[] };
}

// ---------------------------------------------------------------------------------------------
// Per-table choices: the tables do not carry these fields, so each is decided here, with why.

interface TableChoice {
  /** A code of seed/sectors.json, and why it fits the table's `kind`. */
  sector: [string, string];
  /** Defaults to continuing (the tables do not say), noted. */
  lifecycle?: ['new' | 'continuing', string];
  /** Defaults to the fiscal year alone, noted. */
  period?: [number, number, string];
  /** Defaults: all of `amount` is fiscal money, medium-term total = annual total. */
  amounts?: [FixtureTable['object']['amounts'], string];
  /** Units written short: 万 is 万元 only where the table says its money unit is 万元. */
  wanIsWanYuan?: string;
  extraNotes?: string[];
}

const TABLES: Record<string, TableChoice> = {
  'hn-yueyang-county-2022-gaobiaozhun-nongtian': {
    sector: ['agriculture', '高标准农田建设 is farmland infrastructure (农业农村)'],
    amounts: [
      { mediumTermTotalWan: 854, annualTotalWan: 854, fiscalWan: 854, otherWan: 0 },
      'amounts: 854 万元, all 财政拨款 (the 其他资金 cell is empty; the 财政拨款 cell repeats "854万" twice, read once); no medium-term total published, the annual one is used',
    ],
  },
  'he-ningjin-2019-gaozhong-zhuxuejin': {
    sector: ['education', '高中助学金 is student aid (教育)'],
    amounts: [
      { mediumTermTotalWan: 0, annualTotalWan: 0, fiscalWan: 0, otherWan: 0 },
      'amounts: the table publishes no amount (amount and amount_published are null, it is an evaluation table of final accounts) and nothing in it gives one (2100 students × an aid standard would be a guess), so all amounts are 0: the cost check has no real amount to compare with',
    ],
    extraNotes: [
      'published 2020-12-02 with the final accounts (决算信息): it is a 绩效评价指标表 listing target values and points; publishedYear and fiscalYear are the table\'s year, 2019',
    ],
  },
  'hn-nanyue-2018-fupin-lvyou-jichusheshi': {
    sector: ['rural_revitalization', '市级专项扶贫资金 for poverty-area tourism infrastructure; poverty-alleviation funds are now rural-revitalization funds (as in seed/)'],
    extraNotes: [
      'names keep the template placeholders (( ≥**个 ), (≥**%), ≥**人) and the * mark as published; 「*贫困地区旅游基础设施建设质量达标率100%」 says 100% in its name while its target is ≥98%, as published',
    ],
    amounts: [
      { mediumTermTotalWan: 10, annualTotalWan: 10, fiscalWan: 10, otherWan: 0 },
      'amounts: 年度资金总额 10 万元, 财政拨款 10, 其他资金 0; no medium-term total published, the annual one is used',
    ],
  },
  'nx-tongxin-xiamaguan-2023-putao': {
    sector: ['agriculture', '设施农业 grape planting subsidy (农业农村); the money is 衔接推进乡村振兴 transfer funds, but the object is the planting project'],
    amounts: [
      { mediumTermTotalWan: 50, annualTotalWan: 50, fiscalWan: 50, otherWan: 0 },
      'amounts: 50 万元 of central transfer funds (宁财(农)指标[2022]605号), fiscal money; declared as a project of the town, not as a transfer-payment object, because the table is the town\'s project target',
    ],
  },
  'nx-shizuishan-cdc-2020-yimiao': {
    sector: ['health', '疾病预防控制: vaccines and methadone (卫生健康)'],
    amounts: [
      { mediumTermTotalWan: 300, annualTotalWan: 300, fiscalWan: 300, otherWan: 0 },
      'amounts: 绩效金额 3000000 元 = 300 万元 (the text also says 财政拨款资金300万元), all fiscal; no medium-term total published, the annual one is used',
    ],
  },
  'sc-jingyan-mata-2023-cunzuganbu-baochou': {
    sector: ['rural_revitalization', '村组干部报酬 is paid from 农村综合改革—对村民委员会和村党支部的补助, village organisation building (as in seed/)'],
    amounts: [
      { mediumTermTotalWan: 330.984, annualTotalWan: 330.984, fiscalWan: 330.984, otherWan: 0 },
      'amounts: 预算数 3,309,840.00 元 = 330.984 万元; a department budget item, so all fiscal; no medium-term total published, the annual one is used',
    ],
    extraNotes: ['weights as published: they sum to 90 because the Sichuan form scores budget execution separately with 10 points (rules: weightsRequired, reservedWeight 10)'],
  },
  'gs-jiayuguan-museum-2023-mianfei-kaifang': {
    sector: ['culture', '文化事业发展专项资金 for museum free opening (文化旅游体育)'],
    lifecycle: ['new', 'lifecycle new: the source says 项目类型 新增项目'],
    period: [2023, 2023, 'period 2023: 实施期 2023-01-01 至 2023-12-31'],
    amounts: [
      { mediumTermTotalWan: 20, annualTotalWan: 20, fiscalWan: 20, otherWan: 0 },
      'amounts: 预算申报数 20 万元, published in the provincial form\'s 其他资金 column (中央补助 0, 省级财政 0), but 资金性质 is 一般公共预算: it is city fiscal money, so fiscalWan 20, otherWan 0',
    ],
  },
  'hn-xiangtan-huanwei-2023-wupaoche': {
    sector: ['urban_management', '城市环境卫生 (城乡社区支出—城乡社区环境卫生), a purchased service'],
    period: [2023, 2024, 'period 2023-2024: 项目支出实施期 2023.07-2024.01'],
    amounts: [
      { mediumTermTotalWan: 250, annualTotalWan: 250, fiscalWan: 250, otherWan: 0 },
      'amounts: 年度本级预算金额 250 万元, 上级资金 0; the implementation-period target equals the annual one (source note), so the medium-term total is the same 250',
    ],
    wanIsWanYuan: 'the table states 单位:万元',
  },
};

/** Corrections of single rows, keyed `<table id>#<name as published>`; each says why. */
interface RowFix {
  level?: [Level1, Level2];
  operator?: Operator;
  why: string;
}

const ROW_FIXES: Record<string, RowFix> = {
  'he-ningjin-2019-gaozhong-zhuxuejin#规章制度建立与否': {
    level: ['output', 'quality'],
    operator: 'qualitative',
    why: 'filed as 项目年度绩效目标(定量指标)/制度指标, which is not in the 2021 tree; kept (it carries 20 of the 100 points) as output/quality, where a management-system item usually goes, qualitative because 建立与否 is yes/no; its target value is empty in the table and stays empty',
  },
  'he-ningjin-2019-gaozhong-zhuxuejin#资助对象满意度': {
    why: 'kept where the table files it, under 产出/质量指标 (output/quality), although it is a satisfaction indicator: moving it is a fix the unit has to make, and the check should see the table as it is',
  },
  'nx-tongxin-xiamaguan-2023-putao#作物种植补助标准,黄金蜜(葡萄)补助成本(≤**元/株)': {
    why: 'target_text "≤28.40/株" lacks 元; the unit column already says 元/株, used as it is',
  },
  'nx-shizuishan-cdc-2020-yimiao#满足海洛因成瘾患者维持治疗需求': {
    why: 'appears twice, under 产出/数量指标 and under 效益/社会效益指标, both with 100%; both rows kept as published',
  },
  'sc-jingyan-mata-2023-cunzuganbu-baochou#村组干部230人': {
    why: 'name (with its number) and unit 个 kept as published, although the value counts people',
  },
  'gs-jiayuguan-museum-2023-mianfei-kaifang#资金使用效率': {
    why: 'target "二100百分比" is OCR text, "二" most likely a misread "="; with no readable sign the bare number rule gives eq',
  },
  'gs-jiayuguan-museum-2023-mianfei-kaifang#为当地提供就业LJUI,冈位': {
    why: 'name kept as stored, OCR error included (the source note reads it as 为当地提供就业岗位)',
  },
  'hn-xiangtan-huanwei-2023-wupaoche#控制在预算成本内': {
    operator: 'lte',
    why: 'no sign in "250万", but the name says "keep within the budgeted cost": an upper bound, lte',
  },
};

// ---------------------------------------------------------------------------------------------
// Labels and operators

const LEVEL1_OF: Record<string, Level1> = { 产出: 'output', 成本: 'cost', 效益: 'benefit', 满意度: 'satisfaction' };

const LEVEL2_OF: Record<string, [Level1, Level2]> = {
  数量: ['output', 'quantity'],
  质量: ['output', 'quality'],
  时效: ['output', 'timeliness'],
  成本: ['cost', 'economic_cost'],
  经济成本: ['cost', 'economic_cost'],
  社会成本: ['cost', 'social_cost'],
  生态环境成本: ['cost', 'ecological_cost'],
  经济效益: ['benefit', 'economic_benefit'],
  社会效益: ['benefit', 'social_benefit'],
  生态效益: ['benefit', 'ecological_benefit'],
  可持续影响: ['benefit', 'sustainability'],
  服务对象满意度: ['satisfaction', 'service_satisfaction'],
  社会公众或服务对象满意度: ['satisfaction', 'service_satisfaction'],
};

const stripLabel = (label: string) => label.replace(/[(（][^)）]*[)）]/g, '').replace(/指标$/, '').trim();

const OPERATOR_OF: Record<string, Operator> = { '≥': 'gte', '>=': 'gte', '≤': 'lte', '<=': 'lte', '=': 'eq', '＝': 'eq', 定性: 'qualitative' };
const LEADING_SIGN = /^\s*(>=|<=|≥|≤|=|＝)/;
const UNIT_OF: Record<string, string> = { 百分比: '%', M: '米' };
const BASIS_OF: Record<string, Basis> = { 计划标准: 'plan', 行业标准: 'industry', 历史标准: 'history', 其他标准: 'other' };

function levelsOf(table: SourceTable, row: SourceRow, fix: RowFix | undefined): { level: [Level1, Level2]; note?: string } {
  if (fix?.level) return { level: fix.level };
  const l1 = LEVEL1_OF[stripLabel(row.level1)];
  const l2 = LEVEL2_OF[stripLabel(row.level2)];
  if (!l1 || !l2) throw new Error(`${table.id}: no level mapping for ${row.level1}/${row.level2} (${row.name}); add a ROW_FIXES entry`);
  if (l1 === 'output' && l2[0] === 'cost') return { level: l2, note: '成本指标 filed under 产出指标 (pre-2021 form) → level1 cost, level2 economic_cost (2021 tree)' };
  if (l1 !== l2[0]) throw new Error(`${table.id}: ${row.level1}/${row.level2} disagree (${row.name}); add a ROW_FIXES entry`);
  return { level: l2 };
}

function operatorOf(table: SourceTable, row: SourceRow): { operator: Operator; note?: string } {
  if (row.operator !== null) {
    const op = OPERATOR_OF[row.operator];
    if (!op) throw new Error(`${table.id}: unknown operator ${row.operator} (${row.name})`);
    return { operator: op };
  }
  const sign = LEADING_SIGN.exec(row.target_text)?.[1];
  if (sign) return { operator: OPERATOR_OF[sign] as Operator, note: `operator null, target_text starts with "${sign}" → ${OPERATOR_OF[sign]}` };
  if (row.value !== null) {
    if (/以上|不低于|不少于/.test(row.target_text)) return { operator: 'gte', note: 'operator null, target_text says 以上/不低于/不少于 → gte' };
    if (/以下|以内|不超过/.test(row.target_text)) return { operator: 'lte', note: 'operator null, target_text says 以下/以内/不超过 → lte' };
    return { operator: 'eq', note: 'operator null with a bare number → eq' };
  }
  return { operator: 'qualitative', note: 'operator null with a text value → qualitative, the text as the value' };
}

// ---------------------------------------------------------------------------------------------

function convertRows(table: SourceTable, choice: TableChoice): { rows: FixtureRow[]; notes: string[] } {
  // Notes that apply to several rows are written once, with the rows they apply to.
  const grouped = new Map<string, string[]>();
  const group = (note: string, name: string) => grouped.set(note, [...(grouped.get(note) ?? []), name]);
  const single = new Set<string>(); // a fix keyed by a name that appears twice is noted once

  const rows = table.indicators.map((row) => {
    const fix = ROW_FIXES[`${table.id}#${row.name}`];
    const { level, note: levelNote } = levelsOf(table, row, fix);
    if (levelNote) group(levelNote, row.name);
    const inferred = fix?.operator ? { operator: fix.operator } : operatorOf(table, row);
    if ('note' in inferred && inferred.note) group(inferred.note, row.name);
    if (fix) single.add(`「${row.name}」: ${fix.operator ? `${fix.operator}; ` : ''}${fix.why}`);
    const { operator } = inferred;

    const out: FixtureRow = { level1: level[0], level2: level[1], name: row.name, operator };
    if (operator === 'qualitative') {
      if (row.target_text.trim()) out.value = row.target_text;
    } else {
      if (row.value === null) throw new Error(`${table.id}: ${row.name} is quantitative without a number; add a ROW_FIXES entry`);
      out.value = row.value;
      if (row.unit === null) {
        group('no unit in the table: left without one', row.name);
      } else if (row.unit === '万') {
        if (!choice.wanIsWanYuan) throw new Error(`${table.id}: ${row.name} has unit 万; say in TABLES whether it means 万元`);
        out.unit = '万元';
        group(`unit 万 → 万元 (${choice.wanIsWanYuan})`, row.name);
      } else {
        out.unit = UNIT_OF[row.unit] ?? row.unit;
        if (out.unit !== row.unit) group(`unit ${row.unit} → ${out.unit}`, row.name);
      }
    }
    if (row.standard !== undefined) {
      const basis = BASIS_OF[row.standard];
      if (!basis) throw new Error(`${table.id}: unknown standard ${row.standard} (${row.name})`);
      out.basis = basis;
    }
    if (row.weight !== undefined) out.weight = row.weight;
    return out;
  });

  const all = table.indicators.length;
  const notes = [...grouped].map(([note, names]) => (names.length === all && all > 1 ? `${note}: all ${all} rows` : `${note}: ${names.map((n) => `「${n}」`).join('')}`));
  if (table.indicators.some((r) => r.standard !== undefined)) notes.push('basis from the 绩效标准 column (计划标准 → plan)');
  if (table.indicators.some((r) => r.weight !== undefined)) notes.push('weights (分值/权重) kept on the rows as published');
  return { rows, notes: [...notes, ...single] };
}

export function convertTable(table: SourceTable): FixtureTable {
  const choice = TABLES[table.id];
  if (!choice) throw new Error(`table ${table.id} (${table.kind}) has no entry in TABLES`);
  const notes: string[] = [`sector ${choice.sector[0]}: ${choice.sector[1]}`];

  const lifecycle = choice.lifecycle ?? ['continuing', 'lifecycle continuing: the table does not say whether the project is new'];
  notes.push(lifecycle[1]);
  const period = choice.period ?? [table.year, table.year, `period ${table.year}: no implementation period published, the fiscal year is used`];
  notes.push(period[2]);

  if (!choice.amounts) throw new Error(`${table.id}: say in TABLES how its amount (${table.amount_published}) is split`);
  const [amounts, amountsWhy] = choice.amounts;
  if (table.amount !== null && amounts.annualTotalWan !== table.amount) throw new Error(`${table.id}: annual total ${amounts.annualTotalWan} ≠ published ${table.amount}`);
  if (amounts.fiscalWan + amounts.otherWan !== amounts.annualTotalWan) throw new Error(`${table.id}: fiscal + other ≠ annual total`);
  notes.push(amountsWhy);

  const goal = table.overall_goal?.trim();
  notes.push(goal ? 'overall goal: the table has one (年度总体目标), used as the annual goal' : 'overall goal: none in the table, sent as an empty annual goal ("")');

  const { rows, notes: rowNotes } = convertRows(table, choice);
  notes.push(...rowNotes, ...(choice.extraNotes ?? []));

  return {
    id: table.id,
    sourceUrl: table.source_url,
    title: table.title,
    province: table.province,
    publishedYear: table.year,
    conversionNotes: notes,
    object: {
      spendingType: 'project',
      name: table.project_name,
      fiscalYear: table.year,
      sector: choice.sector[0],
      lifecycle: lifecycle[0],
      period: { startYear: period[0], endYear: period[1] },
      amounts,
    },
    targets: { overallGoal: { annual: goal ?? '' }, rows },
  };
}

function main(): void {
  const [input = defaultInput, output = defaultOutput] = process.argv.slice(2);
  const tables = JSON.parse(readFileSync(resolve(input), 'utf8')) as SourceTable[];
  const fixtures = tables.map(convertTable);
  mkdirSync(dirname(resolve(output)), { recursive: true });
  writeFileSync(resolve(output), `${JSON.stringify(fixtures, null, 2)}\n`, 'utf8');
  console.log(`wrote ${output}: ${fixtures.length} tables, ${fixtures.reduce((n, t) => n + t.targets.rows.length, 0)} rows`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
