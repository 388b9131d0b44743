/**
 * The individual (个性) indicators of the seed, converted from the real target tables.
 */
import type { Level1, Level2, Operator } from '../../events/vocabulary.ts';
import type { Draft } from './shapes.ts';
import { cleanName, levels, stripLabel, TABLE_SECTOR } from './vocabulary.ts';

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

export interface TargetTable {
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
  'he-ningjin-2019-gaozhong-zhuxuejin#资金支出率': { drop: '资金支出率是投入（预算执行）指标，不作产出指标（docs/domain.md 第3节）' },
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

export function fromTable(table: TargetTable, used: Set<string>): { drafts: Draft[]; dropped: string[] } {
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
