/**
 * The self-evaluation scoring engine (DOMAIN.md section 4). Pure: no AWS, no clock.
 *
 * `score(input, rules)` always computes and never throws on bad data: a table transcribed from a
 * published disclosure may be inconsistent (weights over 100, a total that is not the sum of its
 * rows), and the engine must show what the figures give and what is wrong with them. Problems
 * come back as `issues`; those of severity 'error' are the ones an entered evaluation must be
 * refused for (the service answers 4xx with them; `scoreStrict` throws them). Warnings are
 * worth a look but do not block.
 *
 * Totals and grades are always computed from the row scores; a published total or grade is only
 * compared. A row's score is the computed one unless an evaluator overrides it, which is allowed
 * within the row's bounds and only with a reason, and is shown as such.
 *
 * Total, precisely: subtotal = execution score + the scores of the applicable rows; with
 * notApplicable 'rescale' and at least one row dropped, total = subtotal × 100 ÷ (execution
 * points + points of the applicable rows), so the remaining maximum becomes 100; otherwise
 * total = subtotal. With rounding 'row' each row score (execution included) is rounded to 2
 * decimals before the sum; with 'total' only the total is. The grade is read from the rounded total.
 */
import { OPERATORS, SCORING_RULES_BY_OPERATOR, type Operator, type ScoringRule } from '../../../events/vocabulary.ts';
import {
  defaultScoringRules,
  FINDINGS,
  KEY_FRAME_PARTS,
  validateScoringRules,
  type Finding,
  type Grade,
  type KeyFramePart,
  type NegativeVariant,
  type RuleViolation,
  type ScoringRules,
} from './rules.ts';

// ---------- figures ----------

export type FigureOperator = 'gte' | 'lte' | 'eq';

/** A number read from a table cell, with what was written around it. */
export interface Figure {
  /** The cell as given (trimmed). */
  text: string;
  /** Absent when the cell holds no number, or more than one (a range, a date span). */
  value?: number;
  /** What follows the number: 人, %, 公斤, 元/亩 (百分比 and ％ read as %). */
  unit?: string;
  /** A sign written in the cell: ≥ >= 不低于 …以上 → gte; ≤ <= 不超过 …以下 → lte; = → eq. */
  operator?: FigureOperator;
  /** Remarks in brackets, text before the number that is not a sign, or why there is no value. */
  note?: string;
}

// Longest first, so 大于等于 wins over 大于 and 不超过 is never read as 超过. Strict signs (>, 大于)
// read as their inclusive forms: a target is never scored on the boundary difference.
const PREFIXES: [string, FigureOperator][] = (
  [
    ...['≥', '>=', '≧', '⩾', '大于等于', '大于或等于', '不低于', '不少于', '不小于', '至少', '达到', '>', '大于', '高于', '多于', '超过'].map((p) => [p, 'gte'] as const),
    ...['≤', '<=', '≦', '⩽', '小于等于', '小于或等于', '不高于', '不多于', '不大于', '不超过', '至多', '最多', '控制在', '<', '小于', '低于', '少于'].map((p) => [p, 'lte'] as const),
    // ═ (box-drawing) stands for = in tables typed in word processors.
    ...['==', '=', '═', '等于'].map((p) => [p, 'eq'] as const),
  ] as [string, FigureOperator][]
).sort((a, b) => b[0].length - a[0].length);

const SUFFIXES: [string, FigureOperator][] = [
  ['及以上', 'gte'],
  ['以上', 'gte'],
  ['及以下', 'lte'],
  ['以下', 'lte'],
  ['以内', 'lte'],
];

// A digit right after a letter belongs to a name or unit (m2, PM2.5), not to the figure.
const NUMBER = /(?<![A-Za-z\d.])[-+]?\d+(?:\.\d+)?/g;

/**
 * Reads a figure as real tables write it: "≥100人", "≤5%", "98.50%", "3500公斤", "95分",
 * "95%以上", "=100百分比", "<=2875元/个", "100%（按期）". Full-width characters are read as their
 * ASCII forms and thousands separators are dropped. "按时完成" has no value; "2023.07-2024.01"
 * (two numbers) has none either, because picking one would be a guess.
 */
export function parseFigure(text: string): Figure {
  const given = text.trim();
  let s = given
    .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\u3000/g, ' ');
  const notes: string[] = [];
  s = s.replace(/\(([^()]*)\)/g, (_, inner: string) => {
    if (inner.trim()) notes.push(inner.trim());
    return '';
  });
  s = s.replace(/(\d),(?=\d{3}(?!\d))/g, '$1').trim();

  let operator: FigureOperator | undefined;
  const prefix = PREFIXES.find(([p]) => s.startsWith(p));
  if (prefix) {
    operator = prefix[1];
    s = s.slice(prefix[0].length).trim();
  }

  const figure: Figure = { text: given };
  const numbers = [...s.matchAll(NUMBER)];
  if (numbers.length !== 1) {
    notes.push(numbers.length === 0 ? 'no number' : 'more than one number');
  } else {
    const match = numbers[0] as RegExpMatchArray;
    const index = match.index ?? 0;
    let before = s.slice(0, index).trim();
    let after = s.slice(index + match[0].length).trim();
    // A sign may follow words the cell repeats ("PM2.5浓度≤35").
    const inner = PREFIXES.find(([p]) => before.endsWith(p));
    if (inner && !operator) {
      operator = inner[1];
      before = before.slice(0, -inner[0].length).trim();
    }
    if (before) notes.unshift(`text before the number: ${before}`);
    const suffix = SUFFIXES.find(([p]) => after.endsWith(p));
    if (suffix) {
      operator ??= suffix[1];
      after = after.slice(0, -suffix[0].length).trim();
    }
    figure.value = Number(match[0]);
    const unit = normalizeUnit(after);
    if (unit) figure.unit = unit;
  }
  if (operator) figure.operator = operator;
  if (notes.length) figure.note = notes.join('; ');
  return figure;
}

const normalizeUnit = (unit: string): string => unit.replace(/\s+/g, '').replace(/^百分比$/, '%');

// ---------- input ----------

export interface Override {
  score: number;
  reason: string;
}

export interface IndicatorRowInput {
  id: string;
  name: string;
  /** Level-1 category (output, benefit …) or key-frame part; summed in `categories`. */
  category?: string;
  operator: Operator;
  /** A number, or the cell as written ("≥100人"); quantitative rows need a value. */
  target?: number | string;
  actual?: number | string;
  /** The row's points. */
  weight: number;
  /** Default true. */
  applicable?: boolean;
  notApplicableReason?: string;
  /** Qualitative rows: the scorer's finding and the points picked inside its band. */
  finding?: Finding;
  findingScore?: number;
  /** The library indicator's own rule; for "≤" rows it beats the region's negativeVariant. */
  scoringRule?: ScoringRule;
  override?: Override;
}

export interface ExecutionInput {
  /** Full-year budget (the adjusted one when there is one); any currency unit, the same as executed. */
  budget: number;
  executed: number;
  /** The object's execution points; default rules.executionWeight. */
  weight?: number;
  override?: Override;
}

export interface ScoringInput {
  /** Absent: the table has no execution row (key-evaluation sheets fold it into 过程). */
  execution?: ExecutionInput;
  rows: readonly IndicatorRowInput[];
  /** A published table's total, compared with the computed one (never used as the total). */
  publishedTotal?: number;
  publishedGrade?: Grade;
}

// ---------- output ----------

export const ISSUE_CODES = [
  'weights_not_100',
  'weight_invalid',
  'duplicate_row',
  'operator_invalid',
  'scoring_rule_mismatch',
  'target_missing',
  'target_not_numeric',
  'actual_missing',
  'actual_not_numeric',
  'budget_invalid',
  'qualitative_finding_missing',
  'qualitative_outside_band',
  'override_without_reason',
  'override_out_of_bounds',
  'score_above_weight',
  'nothing_to_score',
  'total_mismatch',
  'grade_mismatch',
  'unit_mismatch',
  'operator_mismatch',
  'not_applicable_without_reason',
  'override_on_not_applicable',
] as const;
export type IssueCode = (typeof ISSUE_CODES)[number];

/** Warnings do not block an entered evaluation; everything else does. */
const WARNINGS: ReadonlySet<IssueCode> = new Set(['unit_mismatch', 'operator_mismatch', 'not_applicable_without_reason', 'override_on_not_applicable']);

export interface ScoringIssue {
  code: IssueCode;
  severity: 'error' | 'warning';
  /** The row id, or 'execution'; absent for issues of the table as a whole. */
  row?: string;
  /** The field of the row (or of the input) at fault. */
  field?: string;
  message: string;
}

export interface RowResult {
  id: string;
  name: string;
  category?: string;
  operator: Operator;
  points: number;
  applicable: boolean;
  target?: Figure;
  actual?: Figure;
  finding?: Finding;
  findingScore?: number;
  /** What the rules give (rounded to 2 decimals); null when it cannot be computed or the row does not apply. */
  computed: number | null;
  override?: Override;
  /** What counts: the override, else the computed score (0 when neither exists). Null for a dropped row. */
  score: number | null;
  /** Display only, when dropped rows made the table rescale: points and score × the scale factor. */
  rescaled?: { points: number; score: number };
  /** Why the row got its score, with the figures. */
  explanation: string;
}

export interface ExecutionResult {
  budget: number;
  executed: number;
  /** executed ÷ budget, uncapped (1.2 = 120 %); null without a positive budget. */
  rate: number | null;
  points: number;
  computed: number | null;
  override?: Override;
  score: number;
  /** Display only, as for rows. */
  rescaled?: { points: number; score: number };
  explanation: string;
}

export interface ScoreResult {
  /** 0-100 (above only when overrides exceed their rows, which is reported), 2 decimals. */
  total: number;
  grade: Grade;
  gradeLabel: string;
  /** Execution score + applicable row scores (+ full points of dropped rows under 'full_points'), 2 decimals. */
  subtotal: number;
  /** The points the subtotal is out of. */
  maximum: number;
  scale: { factor: number; droppedPoints: number };
  execution: ExecutionResult | null;
  rows: RowResult[];
  /** Applicable points and scores per row category, in first-seen order (unscaled). */
  categories: { category: string; points: number; score: number }[];
  issues: ScoringIssue[];
  /** How the total and grade follow from the rows. */
  explanation: string[];
}

// ---------- numbers ----------

/** Half away from zero at 2 decimals; toPrecision clears binary noise (8.005 × 100 = 800.4999…). */
export function round2(n: number): number {
  const r = Math.sign(n) * Math.round(Number((Math.abs(n) * 100).toPrecision(12))) / 100;
  return r === 0 ? 0 : r;
}
const EPS = 1e-9;
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
/** A figure as people write it: no trailing zeros, at most 4 decimals. */
const num = (n: number) => String(Number(n.toFixed(4)));
/** A computed score: always 2 decimals. */
const pts = (n: number) => round2(n).toFixed(2);
const withUnit = (f: Figure, value: number) => `${num(value)}${f.unit ?? ''}`;

// ---------- grades and bands ----------

export function gradeFor(total: number, rules: Pick<ScoringRules, 'gradeCutoffs'>): Grade {
  const t = round2(total);
  if (t >= rules.gradeCutoffs.excellent) return 'excellent';
  if (t >= rules.gradeCutoffs.good) return 'good';
  if (t >= rules.gradeCutoffs.fair) return 'fair';
  return 'poor';
}

export interface Band {
  finding: Finding;
  /** In points of the row; min is always inside the band. */
  min: number;
  max: number;
  /** False when the upper edge belongs to the next band up (sharedEdge 'higher'; met always keeps 100 %). */
  maxIncluded: boolean;
  fromPercent: number;
  toPercent: number;
}

/** The band of a finding in points of a row. */
export function bandOf(finding: Finding, points: number, rules: Pick<ScoringRules, 'qualitativeBands'>): Band {
  const { metFrom, partlyFrom, sharedEdge } = rules.qualitativeBands;
  const [from, to] = finding === 'met' ? [metFrom, 100] : finding === 'partly' ? [partlyFrom, metFrom] : [0, partlyFrom];
  return { finding, min: (points * from) / 100, max: (points * to) / 100, maxIncluded: finding === 'met' || sharedEdge === 'both', fromPercent: from, toPercent: to };
}

export const inBand = (value: number, band: Band): boolean => value >= band.min - EPS && (band.maxIncluded ? value <= band.max + EPS : value < band.max - EPS);

/** "[6.00, 8.00)" — brackets say which ends are inside. */
const interval = (min: string, max: string, maxIncluded: boolean) => `[${min}, ${max}${maxIncluded ? ']' : ')'}`;
const bandPoints = (b: Band) => interval(pts(b.min), pts(b.max), b.maxIncluded);

// ---------- the engine ----------

type AddIssue = (code: IssueCode, message: string, row?: string, field?: string) => void;

interface Computed {
  /** Unrounded; null when it cannot be computed. */
  value: number | null;
  explanation: string;
}

function toFigure(value: unknown): Figure | undefined | 'wrong_type' {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? { text: String(value), value } : 'wrong_type';
  if (typeof value === 'string') return value.trim() ? parseFigure(value) : undefined;
  return 'wrong_type';
}

/** "≥" scoring; `lead` opens the sentence ("actual 80人 of target 100人" or, for a missed "=" row, its own words). */
function positive(a: number, t: number, p: number, A: string, T: string, lead?: string): Computed {
  if (a >= t) return { value: p, explanation: `${lead ? `${lead}: ${A} ≥ ${T}` : `actual ${A} ≥ target ${T}`}: full ${num(p)} points` };
  const open = lead ?? `actual ${A} of target ${T}`;
  if (t <= 0) return { value: 0, explanation: `${open}: no proportion of a target of 0 or less, 0 points` };
  const value = Math.max(0, a / t) * p;
  return { value, explanation: `${open}: ${a < 0 ? 'below 0, 0 points' : `${num(a)} ÷ ${num(t)} × ${num(p)} = ${pts(value)}`}` };
}

function negative(a: number, t: number, p: number, A: string, T: string, variant: NegativeVariant): Computed {
  if (a <= t) return { value: p, explanation: `actual ${A} ≤ target ${T}: full ${num(p)} points` };
  if (variant === 'ratio') {
    if (t <= 0) return { value: 0, explanation: `actual ${A} above target ${T}: target ÷ actual gives nothing at a target of 0 or less, 0 points` };
    const value = (t / a) * p;
    return { value, explanation: `actual ${A} above target ${T}: ${num(t)} ÷ ${num(a)} × ${num(p)} = ${pts(value)}` };
  }
  const zeroAt = 2 * t;
  if (a >= zeroAt) return { value: 0, explanation: `actual ${A} at or above 2 × target ${T} = ${num(zeroAt)}: 0 points` };
  const value = ((zeroAt - a) / t) * p;
  return { value, explanation: `actual ${A} above target ${T}: linear fall to 0 at ${num(zeroAt)} (2 × target): (${num(zeroAt)} − ${num(a)}) ÷ ${num(t)} × ${num(p)} = ${pts(value)}` };
}

function exact(a: number, t: number, p: number, A: string, T: string, rules: ScoringRules): Computed {
  if (Math.abs(a - t) <= EPS * Math.max(1, Math.abs(t))) return { value: p, explanation: `actual ${A} = target ${T}: full ${num(p)} points` };
  const lead = `actual ${A} ≠ target ${T}`;
  switch (rules.exactFallback) {
    case 'positive':
      return positive(a, t, p, A, T, `${lead}, scored as positive`);
    case 'deviation': {
      if (t === 0) return { value: 0, explanation: `${lead}: no deviation ratio from a target of 0, 0 points` };
      const value = Math.max(0, 1 - Math.abs(a - t) / Math.abs(t)) * p;
      return { value, explanation: `${lead}, scored by deviation: (1 − |${num(a)} − ${num(t)}| ÷ ${num(Math.abs(t))}) × ${num(p)} = ${pts(value)}` };
    }
    case 'none':
      return { value: 0, explanation: `${lead}: 0 points (all or nothing)` };
  }
}

function negativeVariantOf(row: IndicatorRowInput, rules: ScoringRules): NegativeVariant {
  if (row.scoringRule === 'inverse_ratio') return 'ratio';
  if (row.scoringRule === 'linear_to_double') return 'linear';
  return rules.negativeVariant;
}

function computeQuantitative(row: IndicatorRowInput, result: RowResult, rules: ScoringRules, add: AddIssue): Computed {
  const target = toFigure(row.target);
  const actual = toFigure(row.actual);
  if (target && target !== 'wrong_type') result.target = target;
  if (actual && actual !== 'wrong_type') result.actual = actual;

  const problems: string[] = [];
  if (target === undefined) {
    add('target_missing', `「${row.name}」 has no target value`, row.id, 'target');
    problems.push('no target');
  } else if (target === 'wrong_type' || target.value === undefined) {
    const shown = target === 'wrong_type' ? typeof row.target : `"${target.text}"`;
    add('target_not_numeric', `「${row.name}」: the target ${shown} is not a number; a ${row.operator} row needs one`, row.id, 'target');
    problems.push(`target ${shown} is not a number`);
  }
  if (actual === undefined) {
    add('actual_missing', `「${row.name}」 has no actual value`, row.id, 'actual');
    problems.push('no actual value');
  } else if (actual === 'wrong_type' || actual.value === undefined) {
    const shown = actual === 'wrong_type' ? typeof row.actual : `"${actual.text}"`;
    add('actual_not_numeric', `「${row.name}」: the actual value ${shown} is not a number; a ${row.operator} row needs one`, row.id, 'actual');
    problems.push(`actual ${shown} is not a number`);
  }
  if (problems.length) return { value: null, explanation: `cannot compute: ${problems.join(', ')}` };

  const t = target as Figure & { value: number };
  const a = actual as Figure & { value: number };
  if (t.unit && a.unit && t.unit.toLowerCase() !== a.unit.toLowerCase()) {
    add('unit_mismatch', `「${row.name}」: the target is in ${t.unit} and the actual in ${a.unit}; the figures are compared as written`, row.id, 'actual');
  }
  const opposite = { gte: 'lte', lte: 'gte' } as Partial<Record<Operator, FigureOperator>>;
  if (t.operator && opposite[row.operator] === t.operator) {
    add('operator_mismatch', `「${row.name}」: the row is scored as ${row.operator} but its target is written "${t.text}"`, row.id, 'operator');
  }

  const p = result.points;
  const A = withUnit(a, a.value);
  const T = withUnit(t, t.value);
  if (row.operator === 'gte') return positive(a.value, t.value, p, A, T);
  if (row.operator === 'lte') return negative(a.value, t.value, p, A, T, negativeVariantOf(row, rules));
  return exact(a.value, t.value, p, A, T, rules);
}

function computeQualitative(row: IndicatorRowInput, result: RowResult, rules: ScoringRules, add: AddIssue): Computed {
  if (typeof row.target === 'string' && row.target.trim()) result.target = { text: row.target.trim() };
  if (typeof row.actual === 'string' && row.actual.trim()) result.actual = { text: row.actual.trim() };
  if (!(FINDINGS as readonly unknown[]).includes(row.finding)) {
    add('qualitative_finding_missing', `「${row.name}」 is qualitative and needs a finding (${FINDINGS.join(', ')})`, row.id, 'finding');
    return { value: null, explanation: 'cannot compute: no finding' };
  }
  const finding = row.finding as Finding;
  result.finding = finding;
  const band = bandOf(finding, result.points, rules);
  const bandText = `band ${interval(`${num(band.fromPercent)} %`, `${num(band.toPercent)} %`, band.maxIncluded)} = ${bandPoints(band)} of ${num(result.points)} points`;
  const lead = `finding ${finding.replace('_', ' ')} (${bandText})`;
  if (!isNumber(row.findingScore)) {
    add('qualitative_finding_missing', `「${row.name}」: the finding ${finding} needs the points picked inside its band ${bandPoints(band)}`, row.id, 'findingScore');
    return { value: null, explanation: `${lead}: no value picked` };
  }
  result.findingScore = row.findingScore;
  if (!inBand(row.findingScore, band)) {
    add('qualitative_outside_band', `「${row.name}」: ${num(row.findingScore)} is outside the ${finding} band ${bandPoints(band)} of ${num(result.points)} points`, row.id, 'findingScore');
    return { value: row.findingScore, explanation: `${lead}: scorer's value ${num(row.findingScore)} is outside the band` };
  }
  return { value: row.findingScore, explanation: `${lead}: scorer's value ${num(row.findingScore)}` };
}

/** Checks an override and returns the score it sets (undefined when it cannot be applied at all). */
function applyOverride(
  override: Override,
  ctx: { id: string; name: string; points: number; computed: number | null; band?: Band },
  add: AddIssue,
): { score: number; text: string } | undefined {
  if (!isNumber(override.score)) {
    add('override_out_of_bounds', `${ctx.name}: the override must be a number of points`, ctx.id, 'override.score');
    return undefined;
  }
  const s = override.score;
  const reason = typeof override.reason === 'string' ? override.reason.trim() : '';
  if (!reason) add('override_without_reason', `${ctx.name}: an override of the computed score needs a reason`, ctx.id, 'override.reason');
  if (s > ctx.points + EPS) add('score_above_weight', `${ctx.name}: the score ${num(s)} is above the row's ${num(ctx.points)} points`, ctx.id, 'override.score');
  else if (s < -EPS) add('override_out_of_bounds', `${ctx.name}: the override ${num(s)} is below 0`, ctx.id, 'override.score');
  else if (ctx.band && !inBand(s, ctx.band)) {
    add('override_out_of_bounds', `${ctx.name}: the override ${num(s)} is outside the ${ctx.band.finding} band ${bandPoints(ctx.band)}`, ctx.id, 'override.score');
  }
  const from = ctx.computed === null ? 'no computed score' : num(ctx.computed);
  return { score: s, text: `overridden from ${from} to ${num(s)}${reason ? `: ${reason}` : ' without a reason'}` };
}

function scoreRow(row: IndicatorRowInput, rules: ScoringRules, add: AddIssue, keep: (n: number) => number): RowResult & { exact: number | null } {
  const label = `「${row.name}」`;
  let points = row.weight;
  if (!isNumber(points) || points < 0 || points > 100) {
    add('weight_invalid', `${label}: the weight must be 0 to 100 points`, row.id, 'weight');
    points = 0;
  }
  const result: RowResult = {
    id: row.id,
    name: row.name,
    ...(row.category !== undefined ? { category: row.category } : {}),
    operator: row.operator,
    points,
    applicable: row.applicable !== false,
    computed: null,
    score: null,
    explanation: '',
  };

  if (!result.applicable) {
    const reason = row.notApplicableReason?.trim();
    if (!reason) add('not_applicable_without_reason', `${label} is marked not applicable without saying why`, row.id, 'notApplicableReason');
    if (row.override) add('override_on_not_applicable', `${label} does not apply; its override is ignored`, row.id, 'override');
    const why = `not applicable${reason ? ` (${reason})` : ''}`;
    if (rules.notApplicable === 'full_points') {
      result.score = points;
      result.explanation = `${why}: counted at full ${num(points)} points`;
      return { ...result, exact: points };
    }
    result.explanation = `${why}: ${num(points)} points dropped, the rest rescaled to 100`;
    return { ...result, exact: null };
  }

  let computed: Computed;
  if (!(OPERATORS as readonly unknown[]).includes(row.operator)) {
    add('operator_invalid', `${label}: the operator must be one of ${OPERATORS.join(', ')}`, row.id, 'operator');
    computed = { value: null, explanation: 'cannot compute: unknown operator' };
  } else {
    if (row.scoringRule !== undefined && !SCORING_RULES_BY_OPERATOR[row.operator].includes(row.scoringRule)) {
      add('scoring_rule_mismatch', `${label}: ${String(row.scoringRule)} does not score a ${row.operator} row; use ${SCORING_RULES_BY_OPERATOR[row.operator].join(' or ')}`, row.id, 'scoringRule');
    }
    computed = row.operator === 'qualitative' ? computeQualitative(row, result, rules, add) : computeQuantitative(row, result, rules, add);
  }

  result.computed = computed.value === null ? null : round2(computed.value);
  let exactScore = computed.value === null ? 0 : keep(computed.value);
  let explanation = computed.explanation;
  if (row.override) {
    const band = row.operator === 'qualitative' && result.finding ? bandOf(result.finding, points, rules) : undefined;
    const applied = applyOverride(row.override, { id: row.id, name: label, points, computed: result.computed, ...(band ? { band } : {}) }, add);
    if (applied) {
      result.override = { score: applied.score, reason: row.override.reason };
      exactScore = keep(applied.score);
      explanation = `${explanation}; ${applied.text}`;
    }
  } else if (computed.value === null) {
    explanation = `${explanation}: 0 points`;
  }
  result.score = round2(exactScore);
  result.explanation = explanation;
  return { ...result, exact: exactScore };
}

function scoreExecution(input: ExecutionInput, rules: ScoringRules, add: AddIssue, keep: (n: number) => number): ExecutionResult & { exact: number } {
  let points = input.weight ?? rules.executionWeight;
  if (!isNumber(points) || points < 0 || points > 100) {
    add('weight_invalid', 'budget execution: the weight must be 0 to 100 points', 'execution', 'execution.weight');
    points = 0;
  }
  const { budget, executed } = input;
  let computed: Computed;
  let rate: number | null = null;
  if (!isNumber(budget) || budget <= 0) {
    add('budget_invalid', 'budget execution: the full-year budget must be a positive amount', 'execution', 'execution.budget');
    computed = { value: null, explanation: 'cannot compute: no positive full-year budget' };
  } else if (!isNumber(executed) || executed < 0) {
    add('budget_invalid', 'budget execution: the executed amount must be 0 or more', 'execution', 'execution.executed');
    computed = { value: null, explanation: 'cannot compute: no executed amount' };
  } else {
    rate = executed / budget;
    const lead = `executed ${num(executed)} of budget ${num(budget)} (${(rate * 100).toFixed(2)} %)`;
    computed =
      rate >= 1
        ? { value: points, explanation: `${lead}: rate capped at 100 %, full ${num(points)} points` }
        : { value: rate * points, explanation: `${lead}: min(${num(executed)} ÷ ${num(budget)}, 1) × ${num(points)} = ${pts(rate * points)}` };
  }
  const result: ExecutionResult = {
    budget,
    executed,
    rate: rate === null ? null : Number(rate.toFixed(6)),
    points,
    computed: computed.value === null ? null : round2(computed.value),
    score: 0,
    explanation: computed.explanation,
  };
  let exactScore = computed.value === null ? 0 : keep(computed.value);
  if (input.override) {
    const applied = applyOverride(input.override, { id: 'execution', name: 'budget execution', points, computed: result.computed }, add);
    if (applied) {
      result.override = { score: applied.score, reason: input.override.reason };
      exactScore = keep(applied.score);
      result.explanation = `${result.explanation}; ${applied.text}`;
    }
  } else if (computed.value === null) {
    result.explanation = `${result.explanation}: 0 points`;
  }
  result.score = round2(exactScore);
  return { ...result, exact: exactScore };
}

const strip = <T extends { exact: unknown }>({ exact: _exact, ...rest }: T): Omit<T, 'exact'> => rest;

/**
 * Scores a self-evaluation table under a region's rules. Never throws on the table's data (see
 * the file comment); throws a RangeError only when the rules themselves are invalid, which
 * validateScoringRules refuses when they are stored.
 */
export function score(input: ScoringInput, rules: ScoringRules): ScoreResult {
  const invalid = validateScoringRules(rules);
  if (invalid.length) throw new RangeError(`invalid scoring rules: ${invalid.map((v) => `${v.field} ${v.message}`).join('; ')}`);

  const issues: ScoringIssue[] = [];
  const add: AddIssue = (code, message, row, field) =>
    issues.push({ code, severity: WARNINGS.has(code) ? 'warning' : 'error', ...(row !== undefined ? { row } : {}), ...(field !== undefined ? { field } : {}), message });
  const keep = rules.rounding === 'row' ? round2 : (n: number) => n;

  const execution = input.execution ? scoreExecution(input.execution, rules, add, keep) : null;

  const seen = new Set<string>();
  const rows = input.rows.map((row, i) => {
    if (seen.has(row.id)) add('duplicate_row', `「${row.name}」: row id ${row.id} is used twice`, row.id, `rows[${i}].id`);
    seen.add(row.id);
    return scoreRow(row, rules, add, keep);
  });

  // Weights: every row, dropped ones included, was part of the 100-point table.
  const executionPoints = execution?.points ?? 0;
  const rowPoints = rows.reduce((s, r) => s + r.points, 0);
  const declared = executionPoints + rowPoints;
  if (Math.abs(declared - 100) > rules.weightTolerance + EPS) {
    add('weights_not_100', `indicator weights ${num(rowPoints)} + execution ${num(executionPoints)} = ${num(declared)} points, not 100`, undefined, 'weight');
  }

  const applicable = rows.filter((r) => r.applicable);
  const dropped = rows.filter((r) => !r.applicable);
  const droppedPoints = dropped.reduce((s, r) => s + r.points, 0);
  const rescale = rules.notApplicable === 'rescale' && dropped.length > 0;
  const remaining = executionPoints + applicable.reduce((s, r) => s + r.points, 0);
  const maximum = rescale ? remaining : declared;
  const subtotal = (execution?.exact ?? 0) + rows.reduce((s, r) => s + (r.exact ?? 0), 0);

  let factor = 1;
  if (rescale) {
    if (remaining > 0) factor = 100 / remaining;
    else factor = 0;
  }
  if (maximum <= 0) add('nothing_to_score', 'no row carries points: nothing to score', undefined, 'rows');
  const total = round2(subtotal * factor);
  const grade = gradeFor(total, rules);

  const results: RowResult[] = rows.map((r) => {
    const out = strip(r);
    if (rescale && r.applicable && factor > 0) out.rescaled = { points: round2(r.points * factor), score: round2((r.exact ?? 0) * factor) };
    return out;
  });

  const categories: ScoreResult['categories'] = [];
  for (const r of applicable) {
    if (r.category === undefined) continue;
    let entry = categories.find((c) => c.category === r.category);
    if (!entry) categories.push((entry = { category: r.category, points: 0, score: 0 }));
    entry.points += r.points;
    entry.score += r.exact ?? 0;
  }
  for (const c of categories) {
    c.points = round2(c.points);
    c.score = round2(c.score);
  }

  const explanation: string[] = [];
  const parts = [...(execution ? [`execution ${pts(execution.exact)}`] : []), `${applicable.length} indicator row${applicable.length === 1 ? '' : 's'} ${pts(applicable.reduce((s, r) => s + (r.exact ?? 0), 0))}`];
  explanation.push(`subtotal ${pts(subtotal)} of ${num(maximum)} points (${parts.join(' + ')})${rules.rounding === 'row' ? ', row scores rounded to 2 decimals before the sum' : ', rounded only at the total'}`);
  if (rescale) {
    explanation.push(`${dropped.length} row${dropped.length === 1 ? '' : 's'} not applicable (${num(droppedPoints)} points) dropped: ${pts(subtotal)} × 100 ÷ ${num(remaining)} = ${pts(total)}`);
  } else if (dropped.length) {
    explanation.push(`${dropped.length} row${dropped.length === 1 ? '' : 's'} not applicable counted at full points (${num(droppedPoints)})`);
  }
  explanation.push(`total ${pts(total)}: grade ${rules.gradeLabels[grade]} (${grade}), ${gradeReason(total, grade, rules)}`);

  if (input.publishedTotal !== undefined) {
    if (!isNumber(input.publishedTotal)) add('total_mismatch', 'the published total is not a number', undefined, 'publishedTotal');
    else {
      const diff = Math.abs(input.publishedTotal - total);
      if (diff > rules.totalTolerance + EPS) {
        add('total_mismatch', `the published total ${num(input.publishedTotal)} differs from the computed ${pts(total)} by ${pts(diff)} (tolerance ${num(rules.totalTolerance)})`, undefined, 'publishedTotal');
      }
    }
  }
  if (input.publishedGrade !== undefined && input.publishedGrade !== grade) {
    add('grade_mismatch', `the published grade ${rules.gradeLabels[input.publishedGrade] ?? input.publishedGrade} differs from the computed ${rules.gradeLabels[grade]} (${grade}) for ${pts(total)}`, undefined, 'publishedGrade');
  }

  return {
    total,
    grade,
    gradeLabel: rules.gradeLabels[grade],
    subtotal: round2(subtotal),
    maximum: round2(maximum),
    scale: { factor, droppedPoints: round2(droppedPoints) },
    execution: execution ? { ...strip(execution), ...(rescale && factor > 0 ? { rescaled: { points: round2(execution.points * factor), score: round2(execution.exact * factor) } } : {}) } : null,
    rows: results,
    categories,
    issues,
    explanation,
  };
}

function gradeReason(total: number, grade: Grade, rules: Pick<ScoringRules, 'gradeCutoffs'>): string {
  const { excellent, good, fair } = rules.gradeCutoffs;
  const t = pts(total);
  if (grade === 'excellent') return `${t} ≥ ${num(excellent)}`;
  if (grade === 'good') return `${num(good)} ≤ ${t} < ${num(excellent)}`;
  if (grade === 'fair') return `${num(fair)} ≤ ${t} < ${num(good)}`;
  return `${t} < ${num(fair)}`;
}

/** The issues an entered evaluation is refused for. */
export const blockingIssues = (result: Pick<ScoreResult, 'issues'>): ScoringIssue[] => result.issues.filter((i) => i.severity === 'error');

export class ScoringError extends Error {
  constructor(readonly issues: ScoringIssue[]) {
    super(issues.map((i) => i.message).join('; '));
    this.name = 'ScoringError';
  }
}

/** `score` for entered evaluations: throws a ScoringError carrying every blocking issue. */
export function scoreStrict(input: ScoringInput, rules: ScoringRules): ScoreResult {
  const result = score(input, rules);
  const blocking = blockingIssues(result);
  if (blocking.length) throw new ScoringError(blocking);
  return result;
}

// ---------- key-evaluation frame ----------

export interface KeyFrameRow {
  id: string;
  name?: string;
  part: KeyFramePart;
  weight: number;
}

export interface KeyFrameSheet {
  rows: readonly KeyFrameRow[];
}

export interface KeyFrameCheck {
  weights: Record<KeyFramePart, number>;
  total: number;
  /** (output + benefit) ÷ total weight, 0..1. */
  outputBenefitShare: number;
  violations: RuleViolation[];
}

const KEY_DEFAULTS = (() => {
  const d = defaultScoringRules('000000', 2000);
  return { keyFrame: d.keyFrame, weightTolerance: d.weightTolerance };
})();

/**
 * Checks a key-evaluation indicator sheet against the 决策 / 过程 / 产出 / 效益 frame: every row in
 * one of the four parts with 0-100 points, every part present, weights summing to 100, and
 * output + benefit carrying at least the rule's share of the weight (default 60 %).
 */
export function validateKeyFrame(sheet: KeyFrameSheet, rules: Pick<ScoringRules, 'keyFrame' | 'weightTolerance'> = KEY_DEFAULTS): KeyFrameCheck {
  const violations: RuleViolation[] = [];
  const add = (field: string, message: string) => violations.push({ field, message });
  const weights = Object.fromEntries(KEY_FRAME_PARTS.map((p) => [p, 0])) as Record<KeyFramePart, number>;
  const present = new Set<KeyFramePart>();

  sheet.rows.forEach((row, i) => {
    const label = row.name ? `「${row.name}」` : `row ${row.id}`;
    const validPart = (KEY_FRAME_PARTS as readonly unknown[]).includes(row.part);
    if (!validPart) add(`rows[${i}].part`, `${label}: ${String(row.part)} is not a part of the frame; use ${KEY_FRAME_PARTS.join(', ')}`);
    if (!isNumber(row.weight) || row.weight < 0 || row.weight > 100) add(`rows[${i}].weight`, `${label}: the weight must be 0 to 100 points`);
    else if (validPart) {
      weights[row.part] += row.weight;
      present.add(row.part);
    }
  });
  for (const part of KEY_FRAME_PARTS) {
    weights[part] = round2(weights[part]);
    if (!present.has(part)) add(`parts.${part}`, `the frame needs ${part} indicators (决策 / 过程 / 产出 / 效益)`);
  }
  const total = round2(KEY_FRAME_PARTS.reduce((s, p) => s + weights[p], 0));
  if (Math.abs(total - 100) > rules.weightTolerance + EPS) add('weights', `the weights sum to ${num(total)} points, not 100`);
  const outputBenefit = weights.output + weights.benefit;
  const outputBenefitShare = total > 0 ? outputBenefit / total : 0;
  const min = rules.keyFrame.minOutputBenefitShare;
  if (outputBenefitShare < min - EPS) {
    add('outputBenefitShare', `output + benefit carry ${num(outputBenefit)} of ${num(total)} points (${(outputBenefitShare * 100).toFixed(2)} %); the rule is at least ${num(min * 100)} %`);
  }
  return { weights, total, outputBenefitShare, violations };
}
