/**
 * Rows of the benchmark report, shared by every bench in `test/bench/`.
 *
 * A bench measures and returns `Row`s built with `row()`; it never decides pass or fail on its
 * own. `row()` checks the figure against its budget (an upper limit on the value, on the ratio
 * to a baseline measured in the same run, or both) and records the outcome, so `npm run bench`
 * prints every figure beside its budget and a clear mark. Budgets are a report, never a test:
 * the bench exits 0 when a budget is exceeded.
 *
 * Units: sizes are bytes and printed in KB of 1024 bytes; memory is bytes printed in MB of
 * 1024 × 1024 bytes; times are milliseconds; DynamoDB capacity is read or write capacity units
 * (RCU, WCU; a half RCU is an eventually consistent read of up to 4 KB).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export type Unit = 'bytes' | 'ms' | 'count' | 'rcu' | 'wcu';

/** Upper limits; a row may have one, both or none (a figure shown for information). */
export interface Budget {
  /** The value must be at most this (in the row's unit). */
  readonly max?: number;
  /** value / baseline must be at most this. */
  readonly maxRatio?: number;
}

/** One limit of a budget, checked. */
export interface Check {
  readonly kind: 'max' | 'maxRatio';
  readonly limit: number;
  readonly actual: number;
  readonly met: boolean;
}

export interface Row {
  /** The bench that produced the row (`bundles`, `cold`, `runtime`, ...). */
  readonly bench: string;
  /** What was measured, e.g. `indicators.api bundle`. */
  readonly name: string;
  readonly value: number;
  readonly unit: Unit;
  /** The same figure for the baseline, measured in the same run. */
  readonly baseline?: number;
  /** value / baseline. */
  readonly ratio?: number;
  readonly budget?: Budget;
  /** Every limit of the budget, checked. Empty for a figure without a budget. */
  readonly checks: readonly Check[];
  /** All limits met; undefined when the row has no budget. */
  readonly met?: boolean;
  /** Anything a reader needs to interpret the row (the baseline's make-up, sample count, ...). */
  readonly note?: string;
}

export interface RowInput {
  readonly bench: string;
  readonly name: string;
  readonly value: number;
  readonly unit: Unit;
  readonly baseline?: number;
  readonly budget?: Budget;
  readonly note?: string;
}

/** Builds a row: the ratio (when there is a baseline) and the budget checks. */
export function row(input: RowInput): Row {
  const ratio = input.baseline !== undefined && input.baseline > 0 ? input.value / input.baseline : undefined;
  const checks: Check[] = [];
  if (input.budget?.max !== undefined) {
    checks.push({ kind: 'max', limit: input.budget.max, actual: input.value, met: input.value <= input.budget.max });
  }
  if (input.budget?.maxRatio !== undefined) {
    // A ratio budget without a usable baseline cannot be met: say so instead of passing silently.
    const actual = ratio ?? Number.NaN;
    checks.push({ kind: 'maxRatio', limit: input.budget.maxRatio, actual, met: actual <= input.budget.maxRatio });
  }
  return {
    ...input,
    ...(ratio !== undefined ? { ratio } : {}),
    checks,
    ...(checks.length > 0 ? { met: checks.every((c) => c.met) } : {}),
  };
}

/** A bench that could not produce its rows: reported, counted as unmet budgets, never thrown. */
export interface Failure {
  readonly bench: string;
  readonly message: string;
  /** How many budgets the bench would have checked (counted as not met). */
  readonly budgets: number;
}

export const KB = 1024;
export const MB = 1024 * 1024;

export function formatValue(value: number, unit: Unit): string {
  if (!Number.isFinite(value)) return 'n/a';
  switch (unit) {
    case 'bytes':
      return value >= MB ? `${(value / MB).toFixed(1)} MB` : `${(value / KB).toFixed(1)} KB`;
    case 'ms':
      return value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${value.toFixed(value < 100 ? 1 : 0)} ms`;
    case 'count':
      return String(Math.round(value));
    case 'rcu':
    case 'wcu':
      return `${Number.isInteger(value) ? value : value.toFixed(1)} ${unit.toUpperCase()}`;
  }
}

function formatLimit(check: Check, unit: Unit): string {
  if (check.kind === 'maxRatio') return `ratio ≤ ${check.limit.toFixed(2)}`;
  if (unit === 'ms' && check.limit >= 1000 && check.limit % 1000 === 0) return `≤ ${check.limit / 1000} s`;
  if (unit === 'bytes' && check.limit % MB === 0) return `≤ ${check.limit / MB} MB`;
  if (unit === 'bytes' && check.limit % KB === 0) return `≤ ${check.limit / KB} KB`;
  return `≤ ${formatValue(check.limit, unit)}`;
}

/** Two decimals, or three where two would print a ratio over its limit as equal to it (1.1004 → 1.100). */
export function formatRatio(r: Row): string {
  if (r.ratio === undefined) return '—';
  if (!Number.isFinite(r.ratio)) return 'n/a';
  const limit = r.checks.find((c) => c.kind === 'maxRatio')?.limit;
  const short = r.ratio.toFixed(2);
  return limit !== undefined && r.ratio > limit && Number(short) <= limit ? r.ratio.toFixed(3) : short;
}

export function formatBudget(r: Row): string {
  return r.checks.length === 0 ? '—' : r.checks.map((c) => formatLimit(c, r.unit)).join(', ');
}

export function formatMark(r: Row): string {
  if (r.met === undefined) return '· info';
  if (r.met) return '✓ under';
  const over = r.checks.filter((c) => !c.met).map((c) => (c.kind === 'maxRatio' ? 'ratio' : 'value'));
  return `✗ OVER (${over.join(', ')})`;
}

/** Column widths by code points, which is good enough for the ASCII and symbols used here. */
function width(text: string): number {
  return [...text].length;
}

function pad(text: string, size: number, align: 'left' | 'right'): string {
  const fill = ' '.repeat(Math.max(0, size - width(text)));
  return align === 'left' ? text + fill : fill + text;
}

export function renderTable(rows: readonly Row[]): string {
  const header = ['figure', 'value', 'baseline', 'ratio', 'budget', 'mark'];
  const align: ('left' | 'right')[] = ['left', 'right', 'right', 'right', 'left', 'left'];
  const body = rows.map((r) => [
    r.name,
    formatValue(r.value, r.unit),
    r.baseline === undefined ? '—' : formatValue(r.baseline, r.unit),
    r.ratio === undefined ? '—' : formatRatio(r),
    formatBudget(r),
    formatMark(r),
  ]);
  const widths = header.map((h, i) => Math.max(width(h), ...body.map((cells) => width(cells[i] ?? ''))));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => pad(cell, widths[i] ?? 0, align[i] ?? 'left'))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

export interface Summary {
  readonly met: number;
  readonly total: number;
}

/** Every limit of every budget counts once; a failed bench counts its budgets as not met. */
export function summarize(rows: readonly Row[], failures: readonly Failure[] = []): Summary {
  const checks = rows.flatMap((r) => r.checks);
  return {
    met: checks.filter((c) => c.met).length,
    total: checks.length + failures.reduce((n, f) => n + f.budgets, 0),
  };
}

export interface Section {
  readonly bench: string;
  readonly title: string;
  /** Lines printed under the table: how figures were measured, baselines, warnings. */
  readonly notes: readonly string[];
}

export function renderReport(sections: readonly Section[], rows: readonly Row[], failures: readonly Failure[]): string {
  const out: string[] = [];
  for (const section of sections) {
    const sectionRows = rows.filter((r) => r.bench === section.bench);
    const failed = failures.filter((f) => f.bench === section.bench);
    out.push('', `== ${section.title} ==`, '');
    if (sectionRows.length > 0) out.push(renderTable(sectionRows));
    for (const failure of failed) out.push(`✗ FAILED: ${failure.message} (${failure.budgets} budget(s) counted as not met)`);
    if (section.notes.length > 0) out.push('', ...section.notes.map((n) => `  ${n}`));
  }
  const summary = summarize(rows, failures);
  out.push('', `${summary.met} of ${summary.total} budgets met`);
  return out.join('\n');
}

export interface ResultsFile {
  readonly generatedAt: string;
  readonly node: string;
  readonly platform: string;
  readonly cpus: number;
  readonly parts: readonly string[];
  readonly summary: Summary;
  readonly rows: readonly Row[];
  readonly failures: readonly Failure[];
  readonly notes: Readonly<Record<string, readonly string[]>>;
  /** Per-bench raw data (samples, metafile-derived client lists, process breakdowns). */
  readonly details: Readonly<Record<string, unknown>>;
}

export function writeResults(path: string, results: ResultsFile): void {
  mkdirSync(dirname(path), { recursive: true });
  // NaN (a ratio without a baseline) is not JSON: write null instead.
  writeFileSync(path, `${JSON.stringify(results, (_key, value: unknown) => (typeof value === 'number' && !Number.isFinite(value) ? null : value), 2)}\n`);
}
