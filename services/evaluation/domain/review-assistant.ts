/**
 * The review assistant: reads a self-evaluation table as it is printed (项目支出绩效自评表, any part
 * of it missing) the way a finance reviewer does, and says where the printed scores depart from
 * the rules. The engine scores every row it can from the row's own figures (scoring.ts, no
 * overrides) and compares; the findings are what published tables get wrong (an execution row
 * scored 10 of 10 at 76 % execution, points taken off a met row with no reason, printed totals
 * that are not the sum of the rows, weights that add up to 110, unmet rows without deviation
 * analysis, an indicator score far ahead of execution). Nothing is stored. Pure.
 *
 * Rounding to the precision the table prints is never a finding: a printed score is compared
 * with a tolerance of half its table's last printed digit (a table printing whole points may
 * show 9.8 as 10).
 */
import type { Operator } from '../../../events/vocabulary.ts';
import { parseFigure } from './figures.ts';
import { bandOf } from './qualitative.ts';
import { EPS, isNumber, round2 } from './numbers.ts';
import type { Finding, ScoringRules } from './rules.ts';
import { score } from './scoring.ts';
import type { IndicatorRowInput, ScoringInput } from './scoring-input.ts';

/** A printed table: the cells' text as printed, amounts in 万元. */
export interface PrintedTable {
  budget?: { initialWan?: number; annualWan?: number; executedWan?: number; points?: number; publishedScore?: number };
  rows: readonly PrintedRow[];
  publishedTotal?: number;
  publishedGrade?: string;
}

export interface PrintedRow {
  /** As printed: 产出指标, 效益指标, 满意度指标 (成本指标 where the form has it). */
  level1: string;
  level2?: string;
  name: string;
  /** The target cell as printed: ≥95%, 36000人, 按期完成. */
  target: string;
  actual?: string;
  weight?: number;
  publishedScore?: number;
  /** 偏差原因分析及改进措施 as printed. */
  deviationAnalysis?: string;
}

export const REVIEW_FINDING_CODES = [
  'row_score_above_rule',
  'execution_score_above_rule',
  'deduction_without_shortfall',
  'unmet_without_analysis',
  'actual_repeats_target',
  'total_mismatch',
  'weights_not_100',
  'score_ahead_of_execution',
  'execution_over_100',
  'far_above_target_without_analysis',
] as const;
export type ReviewFindingCode = (typeof REVIEW_FINDING_CODES)[number];

/**
 * error: the printed scores cannot stand (more points than the rules give, sums that do not add
 * up); warning: the table needs a reviewer's question (a deduction or a shortfall without a
 * word, a repeated target, scores ahead of the money).
 */
export type ReviewSeverity = 'error' | 'warning';

const SEVERITY: Record<ReviewFindingCode, ReviewSeverity> = {
  row_score_above_rule: 'error',
  execution_score_above_rule: 'error',
  total_mismatch: 'error',
  weights_not_100: 'error',
  deduction_without_shortfall: 'warning',
  unmet_without_analysis: 'warning',
  actual_repeats_target: 'warning',
  score_ahead_of_execution: 'warning',
  execution_over_100: 'warning',
  far_above_target_without_analysis: 'warning',
};

export interface ReviewFinding {
  code: ReviewFindingCode;
  severity: ReviewSeverity;
  /** 1-based row of the table's indicator rows; absent for the table or the execution row. */
  row?: number;
  rowName?: string;
  /** A sentence a reviewer can act on, with the figures. */
  message: string;
}

/** The engine's reading of one printed row. */
export interface ReviewedRow {
  row: number;
  name: string;
  operator: Operator;
  /** What the rules give from the row's own figures (2 decimals); null where the engine cannot tell alone. */
  engineScore: number | null;
  /** The most the rules allow for the row (its weight, or the top of a qualitative band). */
  allowedMax: number | null;
  publishedScore: number | null;
  /** Whether the row's figures show it met its target; null where they cannot tell. */
  met: boolean | null;
  /** The rule and the figures used. */
  rule: string;
}

export interface ReviewResult {
  rows: ReviewedRow[];
  execution: { rate: number | null; points: number; engineScore: number | null; publishedScore: number | null; rule: string } | null;
  /** How many rows the engine scored by itself. */
  rowsScored: number;
  /** The tolerance printed scores were compared with (half the table's last printed digit). */
  tolerance: number;
  findings: ReviewFinding[];
}

export interface ReviewParameters {
  /** score_ahead_of_execution: the indicator score ratio may lead the execution ratio by this many percentage points. */
  scoreAheadOfExecutionPoints: number;
}

/** The default lead: 5 points, the issue's figure (half a grade band, as the finance review flag). */
export const DEFAULT_REVIEW_PARAMETERS: ReviewParameters = { scoreAheadOfExecutionPoints: 5 };

const CATEGORY: Record<string, string> = { 产出指标: 'output', 成本指标: 'cost', 效益指标: 'benefit', 满意度指标: 'satisfaction' };

/** Cells compared as a reader would: full-width to ASCII, no spaces, ≧/═ as ≥/=. */
const normalized = (text: string) =>
  text
    .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\s+/g, '')
    .replace(/≧|>=/g, '≥')
    .replace(/≦|<=/g, '≤')
    .replace(/═|==/g, '=');

/** Cells that mean "not applicable" on printed forms. */
const NOT_APPLICABLE = new Set(['/', '—', '-', '无', '不适用', '／']);

/** A row's operator from its target cell: a sign decides, a bare figure is a level to reach, no figure is qualitative. */
export function operatorOfTarget(target: string): Operator {
  const figure = parseFigure(target);
  if (figure.value === undefined) return 'qualitative';
  return figure.operator ?? 'gte';
}

/** Whether a quantitative row's figures reach its target; undefined where a figure is missing. */
function figuresMet(operator: Operator, target: number | undefined, actual: number | undefined): boolean | undefined {
  if (target === undefined || actual === undefined) return undefined;
  if (operator === 'gte') return actual >= target - EPS;
  if (operator === 'lte') return actual <= target + EPS;
  if (operator === 'eq') return Math.abs(actual - target) <= EPS * Math.max(1, Math.abs(target));
  return undefined;
}

/** Decimal places of a printed number (9 → 0, 8.62 → 2). */
const decimals = (n: number) => {
  const text = String(n);
  const dot = text.indexOf('.');
  return dot < 0 ? 0 : text.length - dot - 1;
};

/** Half the last digit the table prints its scores with: 0.5 for whole points, 0.05 for tenths, 0.005 for hundredths. */
export function printedTolerance(table: PrintedTable): number {
  const printed = [table.budget?.publishedScore, table.publishedTotal, ...table.rows.map((r) => r.publishedScore)].filter(isNumber);
  const places = printed.length ? Math.max(...printed.map(decimals)) : 2;
  return 0.5 * 10 ** -Math.min(places, 6);
}

const fmt = (n: number) => String(round2(n));
const pointsText = (n: number) => `${fmt(n)} point${round2(n) === 1 ? '' : 's'}`;
const hasText = (s: string | undefined) => s !== undefined && s.trim() !== '' && !NOT_APPLICABLE.has(s.trim());

/** The printed rows as the engine's input (no overrides); a qualitative row counts as met when its actual repeats its target (有效/有效). */
function engineInput(table: PrintedTable, rules: ScoringRules): { input: ScoringInput; findings: (Finding | undefined)[] } {
  const findings: (Finding | undefined)[] = [];
  const rows: IndicatorRowInput[] = table.rows.map((r, i) => {
    const operator = operatorOfTarget(r.target);
    const applicable = !(r.actual !== undefined && NOT_APPLICABLE.has(r.actual.trim()) && !isNumber(r.publishedScore));
    const finding = operator === 'qualitative' && r.actual !== undefined && hasText(r.actual) && normalized(r.actual) === normalized(r.target) ? 'met' : undefined;
    findings.push(finding);
    const category = CATEGORY[r.level1.trim()];
    return {
      id: `row${i + 1}`,
      name: r.name,
      ...(category ? { category } : {}),
      operator,
      target: r.target,
      ...(r.actual !== undefined ? { actual: r.actual } : {}),
      weight: isNumber(r.weight) ? r.weight : 0,
      ...(applicable ? {} : { applicable: false, notApplicableReason: `actual printed as ${r.actual}` }),
      // The engine needs the scorer's value inside the band; the top of the band is what the rules allow.
      ...(finding ? { finding, findingScore: isNumber(r.weight) ? r.weight : 0 } : {}),
    };
  });
  const b = table.budget;
  const execution = b && isNumber(b.annualWan) && isNumber(b.executedWan) ? { budget: b.annualWan, executed: b.executedWan, weight: isNumber(b.points) ? b.points : rules.executionWeight } : undefined;
  return { input: { rows, ...(execution ? { execution } : {}) }, findings };
}

export function reviewTable(table: PrintedTable, rules: ScoringRules, parameters: ReviewParameters = DEFAULT_REVIEW_PARAMETERS): ReviewResult {
  const tol = printedTolerance(table);
  const out: ReviewFinding[] = [];
  const add = (code: ReviewFindingCode, message: string, row?: { index: number; name: string }) =>
    out.push({ code, severity: SEVERITY[code], ...(row ? { row: row.index + 1, rowName: row.name } : {}), message });

  const { input, findings } = engineInput(table, rules);
  const engine = score(input, rules);

  const rows: ReviewedRow[] = table.rows.map((printed, index) => {
    const result = engine.rows[index];
    const weight = isNumber(printed.weight) ? printed.weight : null;
    const published = isNumber(printed.publishedScore) ? printed.publishedScore : null;
    const where = { index, name: printed.name };
    const operator = input.rows[index]?.operator ?? 'qualitative';
    let engineScore: number | null = null;
    let allowedMax: number | null = weight;
    let met: boolean | null = null;
    let rule = result?.explanation ?? '';
    if (weight === null) {
      rule = 'no weight printed: the row cannot be scored';
    } else if (result && !result.applicable) {
      rule = `not applicable (actual printed as ${printed.actual ?? ''})`;
    } else if (operator === 'qualitative') {
      if (findings[index] === 'met') {
        const band = bandOf('met', weight, rules);
        allowedMax = band.max;
        met = true;
        rule = `qualitative, the actual repeats the target: met, ${fmt(band.min)} to ${fmt(band.max)} points (the scorer picks inside the band)`;
      } else {
        rule = 'qualitative: the figures alone do not say whether it was met';
      }
    } else if (result && result.computed !== null) {
      engineScore = result.computed;
      met = figuresMet(operator, result.target?.value, result.actual?.value) ?? engineScore >= weight - EPS;
    }

    // actual_repeats_target: an actual written with the target's sign ("≥95%") is the target
    // again, not a value reached. A bare equal value ("100%" of "100%") can be measured exactly.
    if (operator !== 'qualitative' && printed.actual !== undefined && hasText(printed.actual)) {
      if (parseFigure(printed.actual).operator !== undefined) {
        add('actual_repeats_target', `「${printed.name}」: the actual cell "${printed.actual}" repeats the target "${printed.target}" instead of a measured value; ask for the value reached`, where);
      }
    }

    if (published !== null && allowedMax !== null) {
      const ceiling = engineScore ?? allowedMax;
      if (published > ceiling + tol + EPS) {
        add(
          'row_score_above_rule',
          engineScore !== null
            ? `「${printed.name}」: scored ${fmt(published)}, but the rules give ${fmt(engineScore)} of ${fmt(weight as number)} (${rule})`
            : `「${printed.name}」: scored ${fmt(published)}, above the ${fmt(ceiling)} the row's weight allows`,
          where,
        );
      }
    }
    const analysed = hasText(printed.deviationAnalysis);
    if (met === true && published !== null && !analysed) {
      const floor = engineScore ?? bandOf('met', weight as number, rules).min;
      if (published < floor - tol - EPS) {
        add('deduction_without_shortfall', `「${printed.name}」: the figures show the target met (${printed.target} → ${printed.actual ?? ''}), yet ${pointsText(floor - published)} were taken off (${fmt(published)} of ${fmt(weight as number)}) with no reason given`, where);
      }
    }
    // A result far above its target (the engine's too-low-target rule) needs its reason (财预〔2020〕10号).
    const farAbove = engine.issues.some((i) => i.code === 'target_set_too_low' && i.row === `row${index + 1}`);
    if (farAbove && !analysed) {
      add('far_above_target_without_analysis', `「${printed.name}」: ${printed.actual ?? ''} is far above the target ${printed.target}; say why (was the target set too low?), as 财预〔2020〕10号 asks`, where);
    }
    const unmet = met === false || (operator === 'qualitative' && met === null && printed.actual !== undefined && hasText(printed.actual) && published !== null && weight !== null && published < weight - tol - EPS);
    if (unmet && !analysed) {
      add('unmet_without_analysis', `「${printed.name}」: the target ${printed.target} was not reached (${printed.actual ?? 'no actual'}), and no deviation analysis is given`, where);
    }
    return { row: index + 1, name: printed.name, operator, engineScore, allowedMax, publishedScore: published, met, rule };
  });

  // Execution.
  const b = table.budget;
  let execution: ReviewResult['execution'] = null;
  if (b) {
    const points = isNumber(b.points) ? b.points : rules.executionWeight;
    const published = isNumber(b.publishedScore) ? b.publishedScore : null;
    const e = engine.execution;
    const rate = e?.rate ?? null;
    const engineScore = e?.computed ?? null;
    execution = { rate, points, engineScore, publishedScore: published, rule: e?.explanation ?? 'no full-year budget and executed amount printed: execution cannot be scored' };
    if (published !== null && engineScore !== null && published > engineScore + tol + EPS) {
      add('execution_score_above_rule', `budget execution scored ${fmt(published)} of ${fmt(points)}, but an execution rate of ${fmt((rate ?? 0) * 100)} % gives ${fmt(engineScore)} (min(rate, 1) × ${fmt(points)})`);
    }
    if (rate !== null && rate > 1 + EPS) {
      add('execution_over_100', `executed ${fmt(b.executedWan as number)} 万元 of a full-year budget of ${fmt(b.annualWan as number)} 万元 (${fmt(rate * 100)} %): more than the budget was spent; ask for the adjustment or the other funds`);
    }
  }

  // The table's sums.
  const weights = [...(b && isNumber(b.points) ? [b.points] : []), ...table.rows.map((r) => r.weight)];
  if (table.rows.every((r) => isNumber(r.weight)) && b && isNumber(b.points)) {
    const sum = weights.reduce<number>((s, w) => s + (w as number), 0);
    if (Math.abs(sum - 100) > rules.weightTolerance + EPS) {
      add('weights_not_100', `the weights add up to ${fmt(sum)} (execution ${fmt(b.points)} + indicators ${fmt(sum - b.points)}), not 100`);
    }
  }
  if (isNumber(table.publishedTotal)) {
    const parts = [b?.publishedScore, ...table.rows.filter((r) => !(r.actual && NOT_APPLICABLE.has(r.actual.trim()) && !isNumber(r.publishedScore))).map((r) => r.publishedScore)];
    if (parts.every(isNumber)) {
      const sum = (parts as number[]).reduce((s, n) => s + n, 0);
      // The total of printed parts, compared at the table's own precision.
      if (Math.abs(round2(sum) - table.publishedTotal) > tol + EPS) {
        add('total_mismatch', `the printed total ${fmt(table.publishedTotal)} is not the sum of the printed scores (${b?.publishedScore !== undefined ? `execution ${fmt(b.publishedScore)} + ` : ''}indicators ${fmt(sum - (b?.publishedScore ?? 0))} = ${fmt(sum)})`);
      }
    }
  }

  // Indicator score against execution.
  const scored = table.rows.filter((r) => isNumber(r.weight) && r.weight > 0 && isNumber(r.publishedScore));
  const rowWeight = scored.reduce((s, r) => s + (r.weight as number), 0);
  const executionRate = engine.execution?.rate;
  if (rowWeight > 0 && isNumber(executionRate)) {
    const indicatorRatio = scored.reduce((s, r) => s + (r.publishedScore as number), 0) / rowWeight;
    const executionRatio = Math.min(executionRate, 1);
    const lead = (indicatorRatio - executionRatio) * 100;
    if (lead > parameters.scoreAheadOfExecutionPoints + EPS) {
      add(
        'score_ahead_of_execution',
        `the indicators scored ${fmt(indicatorRatio * 100)} % of their points while ${fmt(executionRatio * 100)} % of the budget was executed: ${fmt(lead)} points ahead (more than ${fmt(parameters.scoreAheadOfExecutionPoints)}); ask how the outputs were reached with the money unspent`,
      );
    }
  }

  return { rows, execution, rowsScored: rows.filter((r) => r.engineScore !== null).length, tolerance: tol, findings: out };
}

/** Severity order for a review sample drawn by risk: errors first, then warnings, then none. */
export function riskRank(findings: readonly Pick<ReviewFinding, 'severity'>[]): number {
  if (findings.some((f) => f.severity === 'error')) return 0;
  if (findings.some((f) => f.severity === 'warning')) return 1;
  return 2;
}
