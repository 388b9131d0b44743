/**
 * The seed's indicator codes and its "3+X" templates.
 */
import type { Level1 } from '../../events/vocabulary.ts';
import type { Draft, SeedIndicator, SeedTemplate } from './shapes.ts';
import type { TargetTable } from './tables.ts';
import { SECTORS, TABLE_SECTOR } from './vocabulary.ts';

const LEVEL1_PREFIX: Record<Level1, string> = { output: 'OUT', cost: 'CST', benefit: 'BEN', satisfaction: 'SAT' };
const LEVEL1_ORDER: Level1[] = ['output', 'cost', 'benefit', 'satisfaction'];

export function withCodes(common: Draft[], individual: Draft[]): SeedIndicator[] {
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

export function templates(indicators: SeedIndicator[], tables: TargetTable[], frameworkSources: { url: string; title: string }[]): SeedTemplate[] {
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
