/**
 * Execution data: the rows of a treasury or accounting extract (国库支付 / 会计核算), one
 * payment or execution record each, read one at a time from CSV text or a JSON array and checked
 * into a good row or the list of its problems. Pure: no I/O, no AWS.
 *
 * Row format (CSV header names or JSON field names, matched ignoring case in CSV, exactly in JSON):
 *
 * | field         | required | rule                                                                                   |
 * |---------------|----------|----------------------------------------------------------------------------------------|
 * | objectId      | yes      | a declaration spending object id: `obj_` + 10-40 lower-case letters or digits          |
 * | date          | yes      | `YYYY-MM-DD`, a real calendar date inside the batch's fiscal year; its month is what counts |
 * | amountYuan    | yes      | yuan with at most 2 decimals (fen); negative for refunds and corrections; at most 100,000,000.00 in magnitude (a larger payment is split over vouchers; the cap keeps every per-object sum an exact integer in fen) |
 * | voucher       | yes      | the source document (voucher) id, at most 64 characters                                 |
 * | economicClass | no       | economic classification (经济分类科目), at most 32 characters                            |
 *
 * - **CSV**: UTF-8 text (a leading byte-order mark is dropped), RFC 4180 records: fields may be
 *   quoted, `""` is a quote inside a quoted field, commas and line breaks may stand inside quotes,
 *   lines end with CRLF, LF or a lone CR. The first non-blank record is the header; it names
 *   the columns in any order; an unknown or repeated column, or a missing required one, rejects
 *   the file. Cells are trimmed; an empty cell is an absent field. Records whose cells are all
 *   blank are skipped (their lines still count). Amounts are written `1234.56`, `-80`, `+5.5` or
 *   with thousands separators in groups of three (`"1,234.56"`, quoted because of the comma).
 * - **JSON**: an array of objects with the fields above; `amountYuan` is a number or a text in
 *   the CSV form; `economicClass` may be absent, null or empty. Any other field is a problem of
 *   the row.
 * - **Lines**: a CSV row's line is the physical line its record starts on (header = line 1, as a
 *   text editor shows it); a JSON row's line is its 1-based index in the array.
 * - A batch holds at most `MAX_BATCH_ROWS` rows. Rows are not de-duplicated: an extract may
 *   list the same voucher on several lines (split over objects or economic classes).
 *
 * Reading never builds an array of rows: `executionRows` is a generator, so a caller that keeps
 * only counts and the first problems uses memory that does not grow with the batch.
 */
import { csvRecords, CsvSyntaxError } from '../../../shared/pure/csv.ts';

export const EXECUTION_COLUMNS = ['objectId', 'date', 'amountYuan', 'voucher', 'economicClass'] as const;
export type ExecutionColumn = (typeof EXECUTION_COLUMNS)[number];
export const REQUIRED_COLUMNS: readonly ExecutionColumn[] = ['objectId', 'date', 'amountYuan', 'voucher'];

export const MAX_BATCH_ROWS = 100_000;
export const MAX_ABS_AMOUNT_FEN = 10_000_000_000; // 100,000,000.00 yuan
export const MAX_VOUCHER_LENGTH = 64;
export const MAX_ECONOMIC_CLASS_LENGTH = 32;
export const OBJECT_ID_PATTERN = /^obj_[a-z0-9]{10,40}$/;

/** One good row, normalised. */
export interface ExecutionRow {
  line: number;
  objectId: string;
  /** YYYY-MM-DD */
  date: string;
  /** The month that counts, as YYYYMM (202707). */
  month: number;
  /** Integer fen (分): yuan × 100, exact. */
  amountFen: number;
  voucher: string;
  economicClass?: string;
}

export interface RowProblem {
  line: number;
  /** A field name, `row` for a problem of the whole row, `file` for one of the whole batch. */
  field: string;
  reason: string;
}

export type RowOutcome =
  | { kind: 'good'; row: ExecutionRow }
  | { kind: 'bad'; line: number; problems: RowProblem[] }
  /** The batch cannot be read (header, CSV syntax, too many rows, no rows): reading stops. */
  | { kind: 'file'; problems: RowProblem[] };

export type ExecutionInput = { format: 'csv'; content: string } | { format: 'json'; rows: readonly unknown[] };

export interface ReadOptions {
  fiscalYear: number;
}

// ---------------------------------------------------------------------------------------------
// One row

type Raw = Partial<Record<ExecutionColumn, unknown>>;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const PLAIN_AMOUNT = /^([+-]?)(\d+)(?:\.(\d{1,2}))?$/;
const GROUPED_AMOUNT = /^([+-]?)(\d{1,3}(?:,\d{3})+)(?:\.(\d{1,2}))?$/;
const TOO_MANY_DECIMALS = /^[+-]?[\d,]+\.\d{3,}$/;

const describe = (value: unknown) => (typeof value === 'string' ? `"${value}"` : JSON.stringify(value));

const daysIn = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** Amount text or number → integer fen, or the reason it is not an amount. */
export function parseAmountFen(value: unknown): number | string {
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return `${describe(value)} is not an amount`;
    text = String(value);
  } else if (typeof value === 'string') {
    text = value.trim();
  } else {
    return `${describe(value)} must be a number of yuan (or a text such as "1234.56")`;
  }
  const match = PLAIN_AMOUNT.exec(text) ?? GROUPED_AMOUNT.exec(text);
  if (!match) {
    if (TOO_MANY_DECIMALS.test(text)) return `${describe(value)} has more than 2 decimals; amounts are in yuan to the fen (for example 1234.56)`;
    return `${describe(value)} is not an amount in yuan; write it like 1234.56 or -80.00`;
  }
  const [, sign, whole = '0', fraction = ''] = match;
  const digits = whole.replaceAll(',', '').replace(/^0+(?=\d)/, '');
  if (digits.length > 9) return `${describe(value)} is larger than one row may be (100,000,000.00 yuan); split it over several vouchers`;
  const fen = Number(digits) * 100 + Number(fraction.padEnd(2, '0'));
  if (fen > MAX_ABS_AMOUNT_FEN) return `${describe(value)} is larger than one row may be (100,000,000.00 yuan); split it over several vouchers`;
  return sign === '-' && fen !== 0 ? -fen : fen;
}

/** Checks one row's fields; returns the good row or pushes its problems. */
export function checkRow(line: number, raw: Raw, options: ReadOptions, problems: RowProblem[]): ExecutionRow | undefined {
  const before = problems.length;
  const problem = (field: string, reason: string) => problems.push({ line, field, reason });
  const text = (field: ExecutionColumn): string | undefined => {
    const value = raw[field];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') {
      problem(field, `${describe(value)} must be text`);
      return undefined;
    }
    const trimmed = value.trim();
    return trimmed === '' ? undefined : trimmed;
  };

  const objectId = text('objectId');
  if (objectId === undefined) {
    if (raw.objectId === undefined || raw.objectId === null || String(raw.objectId).trim() === '') problem('objectId', 'is required but empty');
  } else if (!OBJECT_ID_PATTERN.test(objectId)) {
    problem('objectId', `${describe(objectId)} is not a spending object id: obj_ followed by 10-40 lower-case letters or digits`);
  }

  let month = 0;
  const date = text('date');
  if (date === undefined) {
    if (raw.date === undefined || raw.date === null || String(raw.date).trim() === '') problem('date', 'is required but empty');
  } else {
    const match = DATE.exec(date);
    if (!match) {
      problem('date', `${describe(date)} is not a date in the form YYYY-MM-DD`);
    } else {
      const [year, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
      if (m < 1 || m > 12 || d < 1 || d > daysIn(year, m)) problem('date', `${describe(date)} is not a calendar date`);
      else if (year !== options.fiscalYear) problem('date', `${date} is outside fiscal year ${options.fiscalYear}`);
      else month = year * 100 + m;
    }
  }

  let amountFen = 0;
  const amount = raw.amountYuan;
  if (amount === undefined || amount === null || (typeof amount === 'string' && amount.trim() === '')) {
    problem('amountYuan', 'is required but empty');
  } else {
    const parsed = parseAmountFen(amount);
    if (typeof parsed === 'string') problem('amountYuan', parsed);
    else amountFen = parsed;
  }

  const voucher = text('voucher');
  if (voucher === undefined) {
    if (raw.voucher === undefined || raw.voucher === null || String(raw.voucher).trim() === '') problem('voucher', 'is required but empty');
  } else if (voucher.length > MAX_VOUCHER_LENGTH) {
    problem('voucher', `is ${voucher.length} characters long; at most ${MAX_VOUCHER_LENGTH} are allowed`);
  }

  const economicClass = text('economicClass');
  if (economicClass !== undefined && economicClass.length > MAX_ECONOMIC_CLASS_LENGTH) {
    problem('economicClass', `is ${economicClass.length} characters long; at most ${MAX_ECONOMIC_CLASS_LENGTH} are allowed`);
  }

  if (problems.length > before) return undefined;
  return {
    line,
    objectId: objectId as string,
    date: date as string,
    month,
    amountFen,
    voucher: voucher as string,
    ...(economicClass !== undefined ? { economicClass } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Batches

const COLUMN_BY_KEY = new Map<string, ExecutionColumn>(EXECUTION_COLUMNS.map((c) => [c.toLowerCase(), c]));
const FIELDS = EXECUTION_COLUMNS.join(', ');

function tooMany(line: number): RowOutcome {
  return {
    kind: 'file',
    problems: [{ line, field: 'file', reason: `has more than ${MAX_BATCH_ROWS.toLocaleString('en-US')} rows; split the extract into several batches` }],
  };
}

function outcome(line: number, row: ExecutionRow | undefined, problems: RowProblem[]): RowOutcome {
  return row && problems.length === 0 ? { kind: 'good', row } : { kind: 'bad', line, problems };
}

function* csvRows(content: string, options: ReadOptions): Generator<RowOutcome> {
  const records = csvRecords(content);
  let columns: (ExecutionColumn | undefined)[] | undefined;
  let headerLine = 1;
  let count = 0;
  try {
    for (const { line, cells } of records) {
      if (!columns) {
        headerLine = line;
        const headerProblems: RowProblem[] = [];
        const seen: (ExecutionColumn | undefined)[] = [];
        cells.forEach((cell, index) => {
          const name = cell.trim();
          const column = COLUMN_BY_KEY.get(name.toLowerCase());
          if (!column) {
            headerProblems.push({
              line,
              field: name || `column ${index + 1}`,
              reason: `${name ? `"${name}"` : `column ${index + 1} has no name and`} is not a known column; the columns are ${FIELDS}`,
            });
          } else if (seen.includes(column)) {
            headerProblems.push({ line, field: column, reason: 'the column appears twice in the header' });
          }
          seen.push(column);
        });
        for (const column of REQUIRED_COLUMNS) {
          if (!seen.includes(column)) headerProblems.push({ line, field: column, reason: 'the column is missing from the header; every row needs it' });
        }
        if (headerProblems.length) {
          yield { kind: 'file', problems: headerProblems };
          return;
        }
        columns = seen;
        continue;
      }
      if (++count > MAX_BATCH_ROWS) {
        yield tooMany(line);
        return;
      }
      const problems: RowProblem[] = [];
      if (cells.length > columns.length && cells.slice(columns.length).some((c) => c.trim() !== '')) {
        problems.push({
          line,
          field: 'row',
          reason: `has ${cells.length} cells but the header names ${columns.length} columns (a value containing a comma must be in double quotes)`,
        });
      }
      const raw: Raw = {};
      for (let c = 0; c < columns.length; c++) {
        const column = columns[c];
        if (column) raw[column] = cells[c] ?? '';
      }
      const row = checkRow(line, raw, options, problems);
      yield outcome(line, row, problems);
    }
  } catch (error) {
    if (error instanceof CsvSyntaxError) {
      yield { kind: 'file', problems: [{ line: error.line, field: 'file', reason: error.reason }] };
      return;
    }
    throw error;
  }
  if (!columns) {
    yield { kind: 'file', problems: [{ line: 1, field: 'file', reason: `the file is empty; its first line must name the columns (${FIELDS})` }] };
  } else if (count === 0) {
    yield { kind: 'file', problems: [{ line: headerLine + 1, field: 'file', reason: 'the file has a header but no rows' }] };
  }
}

function* jsonRows(items: readonly unknown[], options: ReadOptions): Generator<RowOutcome> {
  if (items.length === 0) {
    yield { kind: 'file', problems: [{ line: 1, field: 'file', reason: 'rows is empty' }] };
    return;
  }
  for (let index = 0; index < items.length; index++) {
    const line = index + 1;
    if (line > MAX_BATCH_ROWS) {
      yield tooMany(line);
      return;
    }
    const item = items[index];
    if (!item || typeof item !== 'object' || Array.isArray(item)) {
      yield { kind: 'bad', line, problems: [{ line, field: 'row', reason: `must be an object with the fields ${FIELDS}` }] };
      continue;
    }
    const problems: RowProblem[] = [];
    for (const field of Object.keys(item)) {
      if (!(EXECUTION_COLUMNS as readonly string[]).includes(field)) problems.push({ line, field, reason: `is not a known field; the fields are ${FIELDS}` });
    }
    const row = checkRow(line, item as Raw, options, problems);
    yield outcome(line, row, problems);
  }
}

/**
 * Every row of a batch, in order, as a good row or its problems. A `file` outcome (unreadable
 * header, CSV syntax error, too many rows, no rows) ends the iteration.
 */
export function executionRows(input: ExecutionInput, options: ReadOptions): Generator<RowOutcome> {
  return input.format === 'csv' ? csvRows(input.content, options) : jsonRows(input.rows, options);
}

/** Only the good rows (for a second pass over a batch already checked). */
export function* goodRows(input: ExecutionInput, options: ReadOptions): Generator<ExecutionRow> {
  for (const result of executionRows(input, options)) if (result.kind === 'good') yield result.row;
}

/** `m202707`: the attribute of a month's total. */
export const monthAttribute = (month: number) => `m${month}`;

/** fen → 万元 (1 万元 = 10,000 yuan = 1,000,000 fen). */
export const fenToWan = (fen: number) => fen / 1_000_000;
