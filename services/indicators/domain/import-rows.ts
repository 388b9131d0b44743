/**
 * The indicator import contract: rows of a CSV file or JSON array → drafts, or a list of
 * every problem of every row (line, field, reason), so a clerk fixes a file in one pass.
 *
 * Columns (CSV header names, or JSON field names; order free, header matched ignoring case):
 *   code, name, level1, level2, operator, unit, basis, explanation, dataSource, scoringRule,
 *   scope, sector, spendingTypes
 * plus id, revision, status, region, which `indicatorsToCsv` (domain/export.ts) writes and an import ignores
 * (so an exported file imports back as it is). Any other column is refused.
 *
 * Enumerations accept the code or the Chinese label, with or without the trailing 指标
 * (`output`, `产出指标`, `产出`); operators also `≥ >= ≤ <= = 定性` (domain/aliases.ts);
 * spendingTypes lists several in one cell separated by `| ; 、 ,`. An empty cell is an absent
 * field. A text the export defused with a leading apostrophe (`'=...`) is read without it.
 *
 * A row is valid when it passes the API's draft schema (`IndicatorDraftSchema`), the
 * cross-field rules (`checkContent`), and its code is not used by another row of the file.
 * Line numbers: the CSV record's first physical line (header = 1); a JSON item's 1-based
 * index in the array.
 */
import type * as z from 'zod/mini';
import { CsvSyntaxError, parseCsv, restoreFormulaText } from '../../../shared/pure/csv.ts';
import { ALIASES, choices, lookupKey, LIST_SEPARATORS, NOUN, type EnumField } from './aliases.ts';
import { IndicatorDraftSchema } from './draft-schema.ts';
import { checkContent, type IndicatorContent, type IndicatorDraftInput } from './indicator.ts';

export const MAX_IMPORT_ROWS = 20_000;

export const IMPORT_COLUMNS = [
  'code',
  'name',
  'level1',
  'level2',
  'operator',
  'unit',
  'basis',
  'explanation',
  'dataSource',
  'scoringRule',
  'scope',
  'sector',
  'spendingTypes',
] as const;
export type ImportColumn = (typeof IMPORT_COLUMNS)[number];

/** Written by the export, ignored by the import. */
export const EXPORT_ONLY_COLUMNS = ['id', 'revision', 'status', 'region'] as const;
export const EXPORT_COLUMNS = [...IMPORT_COLUMNS, ...EXPORT_ONLY_COLUMNS] as const;

const REQUIRED_COLUMNS: readonly ImportColumn[] = ['name', 'level1', 'level2', 'operator', 'scope', 'spendingTypes'];

export interface ValidRow {
  line: number;
  draft: IndicatorDraftInput;
}

export interface RowProblem {
  line: number;
  /** A column name, or `file` / `row` for problems of the file or of a whole row. */
  field: string;
  reason: string;
}

export interface ImportRows {
  valid: ValidRow[];
  invalid: RowProblem[];
}

export interface ImportOptions {
  /**
   * The region's sectors. When given, a sector cell may hold the label (教育) as well as the
   * code; whether the sector exists is still the caller's check.
   */
  sectors?: readonly { code: string; label: string }[];
}

// ---------------------------------------------------------------------------------------------
// Schema

/** The API's draft schema, exactly: an import accepts what `POST /v1/indicators` accepts. */
const RowSchema = IndicatorDraftSchema;

// ---------------------------------------------------------------------------------------------
// One row

type Raw = Record<string, unknown>;

type SectorAliases = Map<string, string>;

function sectorAliases(options: ImportOptions): SectorAliases {
  const map: SectorAliases = new Map();
  for (const { code, label } of options.sectors ?? []) {
    map.set(lookupKey(code), code);
    map.set(lookupKey(label), code);
  }
  return map;
}

/** Cells → the object the schema sees: trimmed, empty → absent, labels → codes. */
function normalise(raw: Raw, sectors: SectorAliases): Raw {
  const out: Raw = {};
  for (const column of IMPORT_COLUMNS) {
    let value = raw[column];
    if (typeof value === 'string') value = restoreFormulaText(value.trim());
    if (value === undefined || value === null || value === '') continue;
    if (column === 'spendingTypes') {
      const parts = typeof value === 'string' ? value.split(LIST_SEPARATORS).map((p) => p.trim()).filter((p) => p !== '') : value;
      if (Array.isArray(parts)) {
        if (parts.length === 0) continue;
        value = parts.map((p) => (typeof p === 'string' ? (ALIASES.spendingTypes.get(lookupKey(p)) ?? p.trim()) : p));
      }
    } else if (column in ALIASES && typeof value === 'string') {
      value = ALIASES[column as EnumField].get(lookupKey(value)) ?? value;
    } else if (column === 'sector' && typeof value === 'string') {
      value = sectors.get(lookupKey(value)) ?? value;
    }
    out[column] = value;
  }
  return out;
}

function describe(value: unknown): string {
  return typeof value === 'string' ? `"${value}"` : JSON.stringify(value);
}

/** One zod issue in words a clerk understands; the field is reported separately. */
function reasonOf(issue: z.core.$ZodIssue, row: Raw): string {
  const field = String(issue.path[0] ?? '');
  const value = issue.path.reduce<unknown>((v, p) => (v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[p] : undefined), row);
  if (value === undefined) return 'is required but empty';
  switch (issue.code) {
    case 'invalid_value': {
      const noun = field in NOUN ? NOUN[field as EnumField] : 'an allowed value';
      return `${describe(value)} is not ${noun}; use one of ${choices(field as EnumField, issue.values)}`;
    }
    case 'too_small':
      if (issue.origin === 'array') return `needs at least ${String(issue.minimum)} value(s)`;
      return 'is required but empty';
    case 'too_big':
      if (issue.origin === 'array') return `lists more than ${String(issue.maximum)} values`;
      if (issue.origin === 'string') return `is ${String(value).length} characters long; at most ${String(issue.maximum)} are allowed`;
      return `is too large (at most ${String(issue.maximum)})`;
    case 'invalid_format':
      if (field === 'code') return `${describe(value)} is not a valid code: use 1-64 letters, digits, _ . - (for example AG-001)`;
      if (field === 'sector') return `${describe(value)} is not a known sector; use a sector code such as education, or its label as listed in the sectors`;
      return `${describe(value)} ${issue.message}`;
    case 'invalid_type':
      return `${describe(value)} must be ${issue.expected === 'array' ? 'a list' : issue.expected === 'string' ? 'text' : issue.expected}`;
    default:
      return issue.message;
  }
}

/**
 * Which draft fields each `checkContent` rule reads: a rule is reported only when none of
 * them already failed the schema (otherwise it would judge a placeholder). Rules not listed
 * here are reported only for rows that passed the schema entirely.
 */
const RULE_INPUTS: Record<string, readonly string[]> = {
  level2: ['level1', 'level2'],
  unit: ['operator', 'unit'],
  spendingTypes: ['spendingTypes'],
  scoringRule: ['operator', 'scoringRule'],
  sector: ['scope', 'sector'],
};

/** Stand-ins for fields that failed the schema, so the other rules can still run. */
const PLACEHOLDER: Partial<Record<keyof IndicatorContent, unknown>> = {
  name: '-',
  level1: 'output',
  level2: 'quantity',
  operator: 'gte',
  unit: '-',
  scope: 'common',
  sector: '-',
  spendingTypes: ['project'],
};

function checkRow(line: number, raw: Raw, sectors: SectorAliases, problems: RowProblem[]): IndicatorDraftInput | undefined {
  const row = normalise(raw, sectors);
  const parsed = RowSchema.safeParse(row);
  const before = problems.length;
  const failed = new Set<string>();
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      if (issue.code === 'unrecognized_keys') continue; // columns are checked by the callers
      const field = String(issue.path[0] ?? 'row');
      failed.add(field);
      problems.push({ line, field, reason: reasonOf(issue, row) });
    }
  }
  const candidate: Raw = { ...row, ...(parsed.success ? parsed.data : {}) };
  for (const field of failed) {
    if (field in PLACEHOLDER) candidate[field] = PLACEHOLDER[field as keyof IndicatorContent];
    else delete candidate[field];
  }
  for (const violation of checkContent(candidate as unknown as IndicatorContent)) {
    const inputs = RULE_INPUTS[violation.field];
    const judged = inputs ? inputs.every((f) => !failed.has(f)) : failed.size === 0;
    if (judged) problems.push({ line, field: violation.field, reason: violation.message });
  }
  return parsed.success && problems.length === before ? (parsed.data as IndicatorDraftInput) : undefined;
}

// ---------------------------------------------------------------------------------------------
// Files

interface Collected {
  line: number;
  code?: string;
  draft?: IndicatorDraftInput;
}

function tooMany(count: number, line: number): ImportRows {
  return {
    valid: [],
    invalid: [
      {
        line,
        field: 'file',
        reason: `has ${count.toLocaleString('en-US')} rows; at most ${MAX_IMPORT_ROWS.toLocaleString('en-US')} rows per file, split it into several files`,
      },
    ],
  };
}

/** Duplicate codes (every line reported), then problems in line and column order. */
function finish(collected: Collected[], problems: RowProblem[]): ImportRows {
  const linesByCode = new Map<string, number[]>();
  for (const row of collected) {
    if (row.code) linesByCode.set(row.code, [...(linesByCode.get(row.code) ?? []), row.line]);
  }
  const duplicated = new Set<number>();
  for (const [code, lines] of linesByCode) {
    if (lines.length < 2) continue;
    for (const line of lines) {
      duplicated.add(line);
      const others = lines.filter((l) => l !== line);
      problems.push({
        line,
        field: 'code',
        reason: `code "${code}" is also used on line${others.length > 1 ? 's' : ''} ${others.join(', ')}; each code may appear only once in a file`,
      });
    }
  }
  const order = (field: string) => {
    const i = (EXPORT_COLUMNS as readonly string[]).indexOf(field);
    return i < 0 ? -1 : i;
  };
  problems.sort((a, b) => a.line - b.line || order(a.field) - order(b.field));
  const valid = collected.filter((r) => r.draft && !duplicated.has(r.line)).map((r) => ({ line: r.line, draft: r.draft as IndicatorDraftInput }));
  return { valid, invalid: problems };
}

function codeOf(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

const COLUMN_BY_KEY = new Map<string, string>(EXPORT_COLUMNS.map((c) => [c.toLowerCase(), c]));

export function rowsFromCsv(text: string, options: ImportOptions = {}): ImportRows {
  let parsed;
  try {
    parsed = parseCsv(text);
  } catch (error) {
    if (error instanceof CsvSyntaxError) {
      return { valid: [], invalid: [{ line: error.line, field: 'file', reason: error.reason }] };
    }
    throw error;
  }
  const { header, rows } = parsed;
  if (header.length === 0) {
    return { valid: [], invalid: [{ line: 1, field: 'file', reason: `the file is empty; its first line must name the columns (${IMPORT_COLUMNS.join(', ')})` }] };
  }
  if (rows.length > MAX_IMPORT_ROWS) return tooMany(rows.length, (rows[MAX_IMPORT_ROWS] as { line: number }).line);

  const headerLine = parsed.headerLine;
  const headerProblems: RowProblem[] = [];
  const columns: (string | undefined)[] = [];
  header.forEach((name, index) => {
    const column = COLUMN_BY_KEY.get(name.toLowerCase());
    if (!column) {
      headerProblems.push({
        line: headerLine,
        field: name || `column ${index + 1}`,
        reason: `${name ? `"${name}"` : `column ${index + 1} has no name and`} is not a known column; the columns are ${IMPORT_COLUMNS.join(', ')}`,
      });
    } else if (columns.includes(column)) {
      headerProblems.push({ line: headerLine, field: column, reason: 'the column appears twice in the header' });
    }
    columns.push(column);
  });
  for (const column of REQUIRED_COLUMNS) {
    if (!columns.includes(column)) headerProblems.push({ line: headerLine, field: column, reason: 'the column is missing from the header; every row needs it' });
  }
  if (headerProblems.length > 0) return { valid: [], invalid: headerProblems };

  const sectors = sectorAliases(options);
  const problems: RowProblem[] = [];
  const collected: Collected[] = [];
  for (const { line, cells } of rows) {
    const extra = cells.slice(columns.length).filter((c) => c.trim() !== '').length;
    if (extra > 0) {
      problems.push({
        line,
        field: 'row',
        reason: `has ${cells.length} cells but the header names ${columns.length} columns (a value containing a comma must be in double quotes)`,
      });
    }
    const raw: Raw = {};
    columns.forEach((column, i) => {
      if (column && (IMPORT_COLUMNS as readonly string[]).includes(column)) raw[column] = cells[i] ?? '';
    });
    const draft = checkRow(line, raw, sectors, problems);
    collected.push({ line, code: codeOf(raw.code), ...(draft && extra === 0 ? { draft } : {}) });
  }
  return finish(collected, problems);
}

export function rowsFromJson(items: unknown[], options: ImportOptions = {}): ImportRows {
  if (items.length > MAX_IMPORT_ROWS) return tooMany(items.length, MAX_IMPORT_ROWS + 1);
  const sectors = sectorAliases(options);
  const problems: RowProblem[] = [];
  const collected: Collected[] = [];
  items.forEach((item, index) => {
    const line = index + 1;
    if (!item || typeof item !== 'object' || Array.isArray(item)) {
      problems.push({ line, field: 'row', reason: 'must be an object with the indicator fields (name, level1, ...)' });
      collected.push({ line });
      return;
    }
    const raw = item as Raw;
    for (const field of Object.keys(raw)) {
      if (!(EXPORT_COLUMNS as readonly string[]).includes(field)) {
        problems.push({ line, field, reason: `is not a known field; the fields are ${IMPORT_COLUMNS.join(', ')}` });
      }
    }
    const known = Object.keys(raw).every((f) => (EXPORT_COLUMNS as readonly string[]).includes(f));
    const draft = checkRow(line, raw, sectors, problems);
    collected.push({ line, code: codeOf(raw.code), ...(draft && known ? { draft } : {}) });
  });
  return finish(collected, problems);
}
