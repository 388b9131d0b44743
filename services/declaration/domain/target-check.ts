/**
 * The automatic target check (docs/domain.md section 3): run on submit and on demand
 * (`GET …/targets/check`). Each finding tells the unit what to fix; any error keeps the object
 * out of the project library, warnings are for the reviewer. Thresholds come from the
 * region-year rules. Pure.
 */
import { LEVEL2_BY_LEVEL1, type Basis, type Level1, type Level2, type Operator } from '../../../events/vocabulary.ts';
import { amountInWan } from './amounts.ts';
import { inputIndicatorReason, isMoneyUnit } from './input-indicator.ts';
import { requiredCategories, type DeclarationRules } from './rules.ts';

export interface LibraryRef {
  indicatorId: string;
  revision?: number;
  /** Median achieved value of this indicator in past evaluations, when the library knows it. */
  historicalMedian?: number;
  /**
   * Median achieved value per 万元 of the evaluated object's annual amount (in the row's unit),
   * when past evaluations of objects with known amounts give one.
   */
  historicalPerWan?: number;
}

export interface TargetRow {
  level1: Level1;
  level2: Level2;
  name: string;
  operator: Operator;
  /** A number for quantitative rows; graded text (效果明显 …) for qualitative ones. */
  value?: number | string;
  unit?: string;
  basis?: Basis;
  /** Points at evaluation time. */
  weight?: number;
  library?: LibraryRef;
}

export interface Targets {
  overallGoal: { mediumTerm?: string; annual?: string };
  rows: TargetRow[];
}

export interface ObjectAmounts {
  /** This year's total, 万元. */
  annualAmountWan: number;
}

export type Severity = 'error' | 'warning';

export const FINDING_CODES = [
  'overall_goal_missing',
  'indicators_missing',
  'category_missing',
  'level2_mismatch',
  'quantitative_share_low',
  'value_missing',
  'unit_missing',
  'input_indicator',
  'cost_exceeds_amount',
  'weight_missing',
  'weights_sum',
  'far_below_history',
  'regional_targets_missing',
  'cost_not_money',
  'duplicate_indicator',
  'placeholder_name',
  'money_mismatch',
] as const;
export type FindingCode = (typeof FINDING_CODES)[number];

export interface Finding {
  code: FindingCode;
  severity: Severity;
  /** 0-based index into `rows`; absent for findings about the whole table. */
  row?: number;
  message: string;
}

const LEVEL1_LABEL: Record<Level1, string> = { output: '产出 output', cost: '成本 cost', benefit: '效益 benefit', satisfaction: '满意度 satisfaction' };

/** Weights are points with at most a couple of decimals; compare with a tolerance. */
const WEIGHT_EPSILON = 1e-6;

const isQuantitative = (row: TargetRow) => row.operator !== 'qualitative';
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

export function checkTargets(targets: Targets, amounts: ObjectAmounts, rules: DeclarationRules): Finding[] {
  const findings: Finding[] = [];
  const { rows } = targets;

  if (!targets.overallGoal.annual?.trim()) {
    findings.push({
      code: 'overall_goal_missing',
      severity: 'error',
      message: 'write the annual overall goal: what this year\'s money will achieve, in one or two sentences',
    });
  }
  if (rows.length === 0) {
    // No indicators, no budget ([R]); the other table-level checks would only repeat this.
    findings.push({ code: 'indicators_missing', severity: 'error', message: 'add indicator rows: targets without indicators cannot enter the project library' });
    return findings;
  }

  findings.push(...checkTable(rows, rules));
  rows.forEach((row, i) => findings.push(...checkRow(row, i, amounts, rules)));
  findings.push(...checkDuplicates(rows));
  findings.push(...checkMoneyMatch(rows, amounts, rules));
  if (rules.weightsRequired) findings.push(...checkWeights(rows, rules));
  return findings;
}

function checkTable(rows: TargetRow[], rules: DeclarationRules): Finding[] {
  const findings: Finding[] = [];
  const present = new Set(rows.map((r) => r.level1));
  for (const category of requiredCategories(rules)) {
    if (!present.has(category)) {
      findings.push({ code: 'category_missing', severity: 'error', message: `add at least one ${LEVEL1_LABEL[category]} indicator` });
    }
  }
  const share = rows.filter(isQuantitative).length / rows.length;
  if (share < rules.minQuantitativeShare) {
    findings.push({
      code: 'quantitative_share_low',
      severity: 'error',
      message: `only ${Math.round(share * 100)} % of the indicators are quantitative, at least ${Math.round(rules.minQuantitativeShare * 100)} % are required: turn qualitative rows into measurable ones (a number and a unit)`,
    });
  }
  return findings;
}

function checkRow(row: TargetRow, index: number, amounts: ObjectAmounts, rules: DeclarationRules): Finding[] {
  const findings: Finding[] = [];
  const at = (code: FindingCode, severity: Severity, message: string) => findings.push({ code, severity, row: index, message: `「${row.name}」: ${message}` });

  if (!LEVEL2_BY_LEVEL1[row.level1].includes(row.level2)) {
    at('level2_mismatch', 'error', `${row.level2} is not under ${row.level1}; use one of ${LEVEL2_BY_LEVEL1[row.level1].join(', ')}`);
  }
  if (isQuantitative(row)) {
    if (!isNumber(row.value)) at('value_missing', 'error', 'a quantitative indicator needs a numeric target value; write the number, or make it qualitative');
    if (!row.unit?.trim()) at('unit_missing', 'error', 'add the unit of the value (个, 人次, %, 万元, 天, 公里, 亩 …)');
  } else if (typeof row.value !== 'string' || !row.value.trim()) {
    at('value_missing', 'error', 'a qualitative indicator needs its expected result in words (e.g. 效果明显, 显著提升)');
  }

  const inputReason = inputIndicatorReason(row);
  if (inputReason) {
    at('input_indicator', 'error', `${inputReason}, which is an input, not a result; replace it with what the money delivers (quantity, quality, timeliness of outputs)`);
  }

  if (row.level1 === 'cost' && isNumber(row.value)) {
    const wan = amountInWan(row.value, row.unit);
    if (wan !== undefined && wan > amounts.annualAmountWan) {
      at('cost_exceeds_amount', 'error', `${row.value} ${row.unit} is more than the ${amounts.annualAmountWan} 万元 requested this year; correct the cost or the amount so they match`);
    }
  }

  // Economic cost is money; social and ecological costs may be counted otherwise (亩 of farmland lost).
  if (row.level1 === 'cost' && row.level2 === 'economic_cost' && !inputReason && !(isQuantitative(row) && isMoneyUnit(row.unit))) {
    at('cost_not_money', 'warning', 'an economic cost indicator states what the output costs, in money (元, 万元, 元/人, 元/亩 …); a rate or a description belongs under output or benefit');
  }

  if (PLACEHOLDER.test(row.name) || CATEGORY_LABELS.has(row.name.replace(/\s+/g, ''))) {
    at('placeholder_name', 'warning', 'the name is a form placeholder or a category label, not an indicator; name what is measured');
  }

  // Only positive indicators: for them a low target is the easy way to "meet" it.
  const median = row.library?.historicalMedian;
  if (row.operator === 'gte' && isNumber(row.value) && isNumber(median) && median > 0 && row.value < rules.farBelowHistoryFactor * median) {
    at('far_below_history', 'warning', `target ${row.value} is far below the ${median} usually achieved; raise it or explain why this year is lower`);
  }
  return findings;
}

/** Four significant digits: enough to read a ratio, without binary noise. */
const figure = (n: number) => Number(n.toPrecision(4));

/**
 * "Matched to the money" against history (docs/domain.md section 3): an output quantity from the
 * library, whose past evaluations show how much of it a 万元 bought, is compared with what this
 * amount promises. Cost rows are checked against the amount itself (cost_exceeds_amount); this
 * catches the object whose outputs are far too few for its money (5 亿元 for 100 trainees).
 * The amount pays for every output together and cannot be split among them, so the rows are
 * flagged only when none of the comparable ones keeps within `moneyMatch.maxDeviationRatio`:
 * one output in line with history shows where the money goes.
 */
function checkMoneyMatch(rows: TargetRow[], amounts: ObjectAmounts, rules: DeclarationRules): Finding[] {
  const amount = amounts.annualAmountWan;
  if (!(amount > 0)) return [];
  const compared = rows.flatMap((row, index) => {
    const historical = row.library?.historicalPerWan;
    const promises = row.level1 === 'output' && row.level2 === 'quantity' && (row.operator === 'gte' || row.operator === 'eq');
    if (!promises || !isNumber(row.value) || row.value <= 0 || !isNumber(historical) || historical <= 0) return [];
    // Money per unit of output, this object's and the history's: how many times more this one pays.
    return [{ row, index, value: row.value, historical, times: historical / (row.value / amount) }];
  });
  const { maxDeviationRatio, severity } = rules.moneyMatch;
  if (compared.length === 0 || compared.some((c) => c.times <= maxDeviationRatio)) return [];
  return compared.map(({ row, index, value, historical, times }) => {
    const unit = row.unit ?? '';
    return {
      code: 'money_mismatch' as const,
      severity,
      row: index,
      message: `「${row.name}」: ${value} ${unit} for ${amount} 万元 is ${figure(amount / value)} 万元 per ${unit}, ${figure(times)} times the ${figure(1 / historical)} 万元 per ${unit} past evaluations achieved (${figure(historical)} ${unit} per 万元); the targets do not match the money: raise the output, lower the amount, or explain the cost`,
    };
  });
}

/** Placeholders left from the form template: ** / ＊＊ / XX / ×× where a number or name belongs. */
const PLACEHOLDER = /\*\*|＊＊|XX|××/;

/** Level-2 category labels as the forms print them; a row named only by one measures nothing. */
const CATEGORY_LABELS = new Set([
  '数量指标', '质量指标', '时效指标', '成本指标', '经济成本指标', '社会成本指标', '生态环境成本指标',
  '效益指标', '经济效益指标', '社会效益指标', '生态效益指标', '可持续影响指标', '满意度指标', '服务对象满意度指标',
]);

/** The same indicator twice (e.g. under output and again under benefit) counts one result twice. */
function checkDuplicates(rows: TargetRow[]): Finding[] {
  const first = new Map<string, number>();
  const findings: Finding[] = [];
  rows.forEach((row, i) => {
    const key = row.name.replace(/\s+/g, '');
    const earlier = first.get(key);
    if (earlier === undefined) first.set(key, i);
    else findings.push({ code: 'duplicate_indicator', severity: 'warning', row: i, message: `「${row.name}」: the same indicator is already row ${earlier + 1}; keep it once, under the category it measures` });
  });
  return findings;
}

function checkWeights(rows: TargetRow[], rules: DeclarationRules): Finding[] {
  const findings: Finding[] = [];
  const expected = 100 - rules.reservedWeight;
  let sum = 0;
  rows.forEach((row, i) => {
    if (!isNumber(row.weight) || row.weight <= 0) {
      findings.push({ code: 'weight_missing', severity: 'error', row: i, message: `「${row.name}」: give the indicator a weight in points (above 0)` });
    } else {
      sum += row.weight;
    }
  });
  if (Math.abs(sum - expected) > WEIGHT_EPSILON) {
    findings.push({
      code: 'weights_sum',
      severity: 'error',
      message: `weights add up to ${Math.round(sum * 100) / 100}, they must add up to ${expected}; adjust them`,
    });
  }
  return findings;
}

/** The check passes when nothing is an error; warnings go to the reviewer. */
export function passes(findings: readonly Finding[]): boolean {
  return findings.every((f) => f.severity !== 'error');
}
