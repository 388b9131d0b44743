/**
 * Figures as tables write them: a number with its unit, a sign (≥, 不低于, 以上 …) and remarks,
 * read from a target or actual cell so the scoring engine can compare them. Pure.
 */

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

/** A cell value as a figure: undefined when empty, 'wrong_type' when neither a number nor text. */
export function toFigure(value: unknown): Figure | undefined | 'wrong_type' {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? { text: String(value), value } : 'wrong_type';
  if (typeof value === 'string') return value.trim() ? parseFigure(value) : undefined;
  return 'wrong_type';
}
