/**
 * How a clerk may write each code of the indicator vocabulary in an import: the code, the
 * Chinese label, the label without its trailing 指标 (`output`, `产出指标`, `产出`), and for
 * operators the usual symbols (`≥ >= ≤ <= = 定性`). Lookups ignore blanks, ASCII case and
 * full-width brackets and symbols. Pure.
 */
import { BASES, INDICATOR_SCOPES, LEVEL1, LEVEL2, OPERATORS, SPENDING_TYPES } from '../../../events/vocabulary.ts';
import { SCORING_RULES } from './indicator.ts';
import { LABELS } from './vocabulary.ts';

export type EnumField = 'level1' | 'level2' | 'operator' | 'basis' | 'scope' | 'scoringRule' | 'spendingTypes';

/** Lookup key: no blanks, ASCII lower case, full-width brackets and symbols folded. */
export function lookupKey(s: string): string {
  return s
    .replace(/\s+/g, '')
    .replace(/（/g, '(')
    .replace(/）/g, ')')
    .replace(/＝/g, '=')
    .replace(/＞/g, '>')
    .replace(/＜/g, '<')
    .toLowerCase();
}

function lookup(codes: readonly string[], labels: Record<string, string>, extra: Record<string, string> = {}): Map<string, string> {
  const map = new Map<string, string>();
  const add = (alias: string, code: string) => map.set(lookupKey(alias), code);
  for (const code of codes) {
    add(code, code);
    const label = labels[code];
    if (label) {
      add(label, code);
      if (label.endsWith('指标')) add(label.slice(0, -2), code);
    }
  }
  for (const [alias, code] of Object.entries(extra)) add(alias, code);
  return map;
}

export const ALIASES: Record<EnumField, Map<string, string>> = {
  level1: lookup(LEVEL1, LABELS.level1),
  level2: lookup(LEVEL2, LABELS.level2),
  operator: lookup(OPERATORS, LABELS.operator, {
    '≥': 'gte', '>=': 'gte', '≧': 'gte', '正向': 'gte', '正向指标': 'gte',
    '≤': 'lte', '<=': 'lte', '≦': 'lte', '反向': 'lte', '反向指标': 'lte',
    '=': 'eq', '==': 'eq', '等于': 'eq',
    '定性指标': 'qualitative',
  }),
  basis: lookup(BASES, LABELS.basis, { 计划: 'plan', 行业: 'industry', 历史: 'history', 其他: 'other' }),
  scope: lookup(INDICATOR_SCOPES, LABELS.scope),
  scoringRule: lookup(SCORING_RULES, {}),
  spendingTypes: lookup(SPENDING_TYPES, LABELS.spendingType, { 项目: 'project', 部门整体: 'department_overall' }),
};

export const NOUN: Record<EnumField, string> = {
  level1: 'a level-1 category',
  level2: 'a level-2 category',
  operator: 'an operator',
  basis: 'a basis of the target value',
  scope: 'a scope',
  scoringRule: 'a scoring rule',
  spendingTypes: 'a spending type',
};

const LABEL_OF: Partial<Record<EnumField, Record<string, string>>> = {
  level1: LABELS.level1,
  level2: LABELS.level2,
  operator: { gte: '≥', lte: '≤', eq: '=', qualitative: '定性' },
  basis: LABELS.basis,
  scope: LABELS.scope,
  spendingTypes: LABELS.spendingType,
};

export function choices(field: EnumField, values: readonly unknown[]): string {
  const labels = LABEL_OF[field];
  return values.map((v) => (labels?.[String(v)] ? `${String(v)} (${labels[String(v)]})` : String(v))).join(', ');
}

export const LIST_SEPARATORS = /[|;；、,，]/;
