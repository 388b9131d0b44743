/**
 * The one CSV reader and writer of the code base: CSV as finance clerks exchange it with
 * spreadsheet programs (Excel, WPS). RFC 4180 records (quoted fields, "" for a quote, commas
 * and line breaks inside quotes, CRLF, LF or a lone CR), a UTF-8 byte-order mark so Chinese
 * text opens correctly, and the physical line of each record so every error can name the line
 * a clerk sees in a text editor. Cells a spreadsheet would run as a formula are written with a
 * leading apostrophe (CSV injection).
 *
 * Hand-written rather than a library: csv-parse + csv-stringify add ~41 KB minified to an API
 * bundle, papaparse ~22 KB; d3-dsv (~2.5 KB) neither reports line numbers nor refuses an
 * unterminated quote. This is about 2 KB and does exactly what the import contracts need.
 *
 * Pure: no I/O, no clock; domain/ code may import it.
 */

const BOM = '\uFEFF';

// ---------- reading ----------

export class CsvSyntaxError extends Error {
  /** 1-based physical line where the faulty field starts. */
  readonly line: number;
  /** What is wrong, without the line (for answers that report the line in a field of their own). */
  readonly reason: string;

  constructor(line: number, reason: string) {
    super(`line ${line}: ${reason}`);
    this.name = 'CsvSyntaxError';
    this.line = line;
    this.reason = reason;
  }
}

export interface CsvRecord {
  /** 1-based physical line where the record starts (the first record is line 1). */
  line: number;
  cells: string[];
}

/**
 * RFC 4180 records of a CSV text, yielded one by one (the text is not copied or split up
 * front, so a caller that keeps only counts uses memory that does not grow with the file).
 * A leading byte-order mark is dropped. Records whose cells are all blank (an empty line, or
 * `,,,` as spreadsheets leave below the data) are skipped; their lines still count. Throws
 * CsvSyntaxError for an unterminated quote or for text after a closing quote (`"abc"x`),
 * either of which would otherwise swallow or mangle data silently.
 */
export function* csvRecords(text: string): Generator<CsvRecord> {
  const n = text.length;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  while (i < n) {
    const recordLine = line;
    const cells: string[] = [];
    for (;;) {
      let cell: string;
      if (text.charCodeAt(i) === 34 /* " */) {
        // Quoted field: runs to the next quote that is not doubled.
        const fieldLine = line;
        cell = '';
        i++;
        for (;;) {
          const close = text.indexOf('"', i);
          if (close < 0) throw new CsvSyntaxError(fieldLine, 'a quoted field is not closed (a " is missing)');
          const part = text.slice(i, close);
          line += lineBreaks(part);
          cell += part;
          if (text.charCodeAt(close + 1) === 34) {
            cell += '"';
            i = close + 2;
            continue;
          }
          i = close + 1;
          break;
        }
        // Only blanks may follow a closing quote before the separator.
        while (text[i] === ' ' || text[i] === '\t') i++;
        if (i < n && text[i] !== ',' && text[i] !== '\r' && text[i] !== '\n') {
          throw new CsvSyntaxError(line, 'unexpected text after a closing quote; a quote inside a field is written ""');
        }
      } else {
        const start = i;
        while (i < n) {
          const c = text.charCodeAt(i);
          if (c === 44 /* , */ || c === 13 /* \r */ || c === 10 /* \n */) break;
          i++;
        }
        cell = text.slice(start, i);
      }
      cells.push(cell);
      if (i >= n) break;
      if (text.charCodeAt(i) === 44) {
        i++;
        // A separator at the very end of the text still ends a last, empty field.
        if (i >= n) {
          cells.push('');
          break;
        }
        continue;
      }
      // \r\n, \n or a lone \r (old Mac files) ends the record.
      i += text.charCodeAt(i) === 13 && text.charCodeAt(i + 1) === 10 ? 2 : 1;
      line++;
      break;
    }
    if (cells.some((c) => c.trim() !== '')) yield { line: recordLine, cells };
  }
}

/** Line breaks in a stretch of text: \r\n, \n and a lone \r each count once. */
function lineBreaks(text: string): number {
  let count = 0;
  for (let j = 0; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === 10 || (c === 13 && text.charCodeAt(j + 1) !== 10)) count++;
  }
  return count;
}

export interface ParsedCsv {
  /** The first record's cells, trimmed; empty for a file without records. */
  header: string[];
  /** Physical line of the header: 1 unless the file starts with blank lines. */
  headerLine: number;
  rows: CsvRecord[];
}

/**
 * A whole CSV text at once (`csvRecords` collected): the first non-blank record is the header.
 * Throws CsvSyntaxError as `csvRecords` does.
 */
export function parseCsv(text: string): ParsedCsv {
  const [header, ...rows] = csvRecords(text);
  return { header: header ? header.cells.map((h) => h.trim()) : [], headerLine: header?.line ?? 1, rows };
}

/**
 * Decodes an uploaded file's bytes. UTF-8 (with or without BOM) is what `toCsv` writes and
 * what "CSV UTF-8" in Excel saves; a plain "CSV" saved by Excel or WPS on Chinese Windows is
 * GB18030 (GBK), so bytes that are not valid UTF-8 are read as GB18030.
 */
export function decodeCsv(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

// ---------- the formula guard ----------

/**
 * Text a spreadsheet would run as a formula: =, +, -, @, tab or CR at the start (CSV
 * injection). `toCsv` writes such a text cell with a leading apostrophe, which spreadsheets
 * show as text; `restoreFormulaText` removes that apostrophe again, so an exported file
 * imports back unchanged. Numbers are never touched: -5 is a number, not a formula.
 */
export const FORMULA_START = /^[=+\-@\t\r]/;

export function defuseFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

export function restoreFormulaText(text: string): string {
  return text.startsWith("'") && FORMULA_START.test(text.slice(1)) ? text.slice(1) : text;
}

// ---------- writing ----------

export type CsvCell = string | number | boolean | undefined;

function quote(text: string): string {
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

function field(cell: CsvCell): string {
  if (cell === undefined) return '';
  return quote(typeof cell === 'string' ? defuseFormula(cell) : String(cell));
}

/**
 * Writes CSV: UTF-8 BOM first (so Excel and WPS read UTF-8, not the system code page), CRLF
 * line ends, text cells defused (`defuseFormula`), a field quoted only when it has to be
 * (quote, comma, line break, or leading/trailing blanks that a spreadsheet would otherwise
 * trim). The header is written as given.
 */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  const lines = [header.map(quote), ...rows.map((cells) => cells.map(field))].map((cells) => cells.join(','));
  return `${BOM}${lines.join('\r\n')}\r\n`;
}
