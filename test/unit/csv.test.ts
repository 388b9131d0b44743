/** The one CSV reader and writer (shared/pure/csv.ts): records with their physical lines, syntax errors, the formula guard. */
import { describe, expect, it } from 'vitest';
import { csvRecords, CsvSyntaxError, decodeCsv, defuseFormula, parseCsv, restoreFormulaText, toCsv } from '../../shared/pure/csv.ts';

describe('csvRecords', () => {
  it('yields records lazily, one at a time, with the line each starts on', () => {
    const records = csvRecords('a,b\n"two\nlines",x\n"unterminated');
    expect(records.next().value).toEqual({ line: 1, cells: ['a', 'b'] });
    expect(records.next().value).toEqual({ line: 2, cells: ['two\nlines', 'x'] });
    expect(() => records.next()).toThrow(CsvSyntaxError);
  });

  it('drops a byte-order mark, skips all-blank records and yields the header like any record', () => {
    expect([...csvRecords('\uFEFF\n h ,x\r\n,,\r1,2')]).toEqual([
      { line: 2, cells: [' h ', 'x'] },
      { line: 4, cells: ['1', '2'] },
    ]);
  });

  it('counts a lone CR inside a quoted field as a line break', () => {
    expect([...csvRecords('"a\rb",c\nd,e')].map((r) => r.line)).toEqual([1, 3]);
  });

  it('yields nothing for an empty text', () => {
    expect([...csvRecords('')]).toEqual([]);
  });
});

describe('CsvSyntaxError', () => {
  it('names the line in its message and keeps the reason without it', () => {
    const error = (() => {
      try {
        parseCsv('a,b\n1,"open');
      } catch (e) {
        return e as CsvSyntaxError;
      }
      throw new Error('expected a CsvSyntaxError');
    })();
    expect(error).toBeInstanceOf(CsvSyntaxError);
    expect(error.line).toBe(2);
    expect(error.reason).toBe('a quoted field is not closed (a " is missing)');
    expect(error.message).toBe('line 2: a quoted field is not closed (a " is missing)');
  });

  it('says what to do about text after a closing quote', () => {
    expect(() => parseCsv('"x"y')).toThrow(expect.objectContaining({ line: 1, reason: 'unexpected text after a closing quote; a quote inside a field is written ""' }));
  });
});

describe('parseCsv', () => {
  it('strips a UTF-8 byte-order mark from the first header name', () => {
    expect(parseCsv('\uFEFFcode,name\nA,培训\n').header).toEqual(['code', 'name']);
  });

  it('reads a quoted field with an escaped quote', () => {
    expect(parseCsv('a,b\n"say ""hi""",x\n').rows[0]?.cells).toEqual(['say "hi"', 'x']);
  });

  it('keeps commas inside a quoted field', () => {
    expect(parseCsv('a,b\n"1,2,3",x\n').rows[0]?.cells).toEqual(['1,2,3', 'x']);
  });

  it('keeps a line break inside a quoted field and numbers the next record by its physical line', () => {
    const { rows } = parseCsv('a,b\n"line one\nline two",x\nnext,y\n');
    expect(rows).toEqual([
      { line: 2, cells: ['line one\nline two', 'x'] },
      { line: 4, cells: ['next', 'y'] },
    ]);
  });

  it('reads CRLF line ends like LF', () => {
    expect(parseCsv('a,b\r\n1,2\r\n3,4\r\n')).toEqual(parseCsv('a,b\n1,2\n3,4\n'));
  });

  it('skips empty lines and all-empty rows but keeps counting their lines', () => {
    const { rows } = parseCsv('a,b\n\n1,2\n,\n\n3,4');
    expect(rows).toEqual([
      { line: 3, cells: ['1', '2'] },
      { line: 6, cells: ['3', '4'] },
    ]);
  });

  it('keeps a trailing empty field', () => {
    expect(parseCsv('a,b\n1,').rows[0]?.cells).toEqual(['1', '']);
  });

  it('reports an unterminated quote with the line where the field starts', () => {
    const attempt = () => parseCsv('a,b\n1,2\n"open,3\n4,5\n');
    expect(attempt).toThrow(CsvSyntaxError);
    expect(attempt).toThrow(expect.objectContaining({ line: 3 }));
  });

  it('refuses text after a closing quote', () => {
    expect(() => parseCsv('a,b\n"x"y,2\n')).toThrow(expect.objectContaining({ line: 2 }));
  });

  it('returns no header for an empty file', () => {
    expect(parseCsv('')).toEqual({ header: [], headerLine: 1, rows: [] });
  });
});

describe('toCsv', () => {
  it('starts with a byte-order mark and ends every line with CRLF', () => {
    expect(toCsv(['a', 'b'], [['1', 2]])).toBe('\uFEFFa,b\r\n1,2\r\n');
  });

  it('quotes only the fields that need it', () => {
    expect(toCsv(['a'], [['x,y'], ['say "hi"'], ['two\nlines'], [' padded'], ['plain'], [undefined]])).toBe(
      '\uFEFFa\r\n"x,y"\r\n"say ""hi"""\r\n"two\nlines"\r\n" padded"\r\nplain\r\n\r\n',
    );
  });

  it('writes what parseCsv reads back unchanged', () => {
    const rows = [
      ['指标名称, 含逗号', '"引号"', '第一行\r\n第二行'],
      ['≥', '', '100%'],
    ];
    const parsed = parseCsv(toCsv(['a', 'b', 'c'], rows));
    expect(parsed.header).toEqual(['a', 'b', 'c']);
    expect(parsed.rows.map((r) => r.cells)).toEqual(rows);
  });
});

describe('the formula guard', () => {
  it.each(['=SUM(A1)', '+1', '-1', '@cmd', '\tx', '\rx'])('defuses %j with a leading apostrophe and restores it', (text) => {
    expect(defuseFormula(text)).toBe(`'${text}`);
    expect(restoreFormulaText(defuseFormula(text))).toBe(text);
  });

  it('leaves other text alone, and an apostrophe that guards nothing', () => {
    expect(defuseFormula('培训人次')).toBe('培训人次');
    expect(defuseFormula(" =x")).toBe(' =x');
    expect(restoreFormulaText("'abc")).toBe("'abc");
  });

  it('is applied by toCsv to text cells, before quoting, and never to numbers or the header', () => {
    expect(toCsv(['=h'], [['=1,2'], [-5], ['-5'], [true]])).toBe(`\uFEFF=h\r\n"'=1,2"\r\n-5\r\n'-5\r\ntrue\r\n`);
  });
});

describe('decodeCsv', () => {
  it('decodes UTF-8 bytes', () => {
    expect(decodeCsv(new TextEncoder().encode('名称,单位'))).toBe('名称,单位');
  });

  it('decodes a GBK file saved by a Chinese spreadsheet program', () => {
    // "中文" in GBK/GB18030
    expect(decodeCsv(Uint8Array.from([0xd6, 0xd0, 0xce, 0xc4]))).toBe('中文');
  });
});
