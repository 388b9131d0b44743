/**
 * The execution-data row contract (services/monitoring/domain/execution-rows.ts): CSV and JSON
 * rows read one at a time with their lines, each a good row or every problem it has.
 */
import { describe, expect, it } from 'vitest';
import '../../shared/validation.ts';
import example from '../../events/examples/ExecutionBatchQueued.v1.json' with { type: 'json' };
import { ExecutionBatchQueuedDetail } from '../../events/monitoring-ingest.ts';
import { csvRecords } from '../../shared/pure/csv.ts';
import {
  executionRows,
  MAX_BATCH_ROWS,
  parseAmountFen,
  type ExecutionInput,
  type RowOutcome,
} from '../../services/monitoring/domain/execution-rows.ts';
import { chunkRows, decodeRow, encodeRow } from '../../services/monitoring/store/execution-batches.ts';
import { ExecutionBatchRequestSchema } from '../../services/monitoring/routes/execution-batches.ts';
import { contentHash, newBatchId } from '../../services/monitoring/jobs/submit-batch.ts';

const OBJ = 'obj_0mx3a1b2c3d4e5';
const OBJ2 = 'obj_0mx3a1b2c3d4ff';
const YEAR = { fiscalYear: 2027 };

const read = (input: ExecutionInput): RowOutcome[] => [...executionRows(input, YEAR)];
const csv = (text: string) => read({ format: 'csv', content: text });
const json = (rows: unknown[]) => read({ format: 'json', rows });
const good = (outcomes: RowOutcome[]) => outcomes.flatMap((o) => (o.kind === 'good' ? [o.row] : []));
const bad = (outcomes: RowOutcome[]) => outcomes.flatMap((o) => (o.kind === 'bad' ? o.problems : []));
const file = (outcomes: RowOutcome[]) => outcomes.flatMap((o) => (o.kind === 'file' ? o.problems : []));

const HEADER = 'objectId,date,amountYuan,voucher,economicClass';

describe('CSV rows', () => {
  it('reads good rows with their physical lines, months and amounts in fen', () => {
    const rows = good(csv(`${HEADER}\n${OBJ},2027-07-15,1234.56,PZ-001,30201\n${OBJ2},2027-08-01,-80,PZ-002,\n`));
    expect(rows).toEqual([
      { line: 2, objectId: OBJ, date: '2027-07-15', month: 202707, amountFen: 123456, voucher: 'PZ-001', economicClass: '30201' },
      { line: 3, objectId: OBJ2, date: '2027-08-01', month: 202708, amountFen: -8000, voucher: 'PZ-002' },
    ]);
  });

  it('matches header names ignoring case and order; economicClass may be left out', () => {
    const rows = good(csv(`VOUCHER,AmountYuan,objectid,Date\nPZ-9,10.5,${OBJ},2027-01-31\n`));
    expect(rows).toEqual([{ line: 2, objectId: OBJ, date: '2027-01-31', month: 202701, amountFen: 1050, voucher: 'PZ-9' }]);
  });

  it('drops a UTF-8 byte-order mark and reads CRLF line ends', () => {
    const rows = good(csv(`\uFEFF${HEADER}\r\n${OBJ},2027-03-02,1.00,PZ-1,\r\n${OBJ},2027-03-03,2.00,PZ-2,\r\n`));
    expect(rows.map((r) => [r.line, r.amountFen])).toEqual([
      [2, 100],
      [3, 200],
    ]);
  });

  it('reads quoted fields: commas, doubled quotes and line breaks inside, and counts the lines they span', () => {
    const text = `${HEADER}\r\n${OBJ},2027-05-01,"1,234.50","PZ ""A"", 第1号",30201\r\n${OBJ},2027-05-02,3,"PZ\r\nsecond line",\r\n${OBJ},2027-05-03,4,PZ-3,\r\n`;
    const rows = good(csv(text));
    expect(rows.map((r) => [r.line, r.voucher, r.amountFen])).toEqual([
      [2, 'PZ "A", 第1号', 123450],
      [3, 'PZ\r\nsecond line', 300],
      [5, 'PZ-3', 400],
    ]);
  });

  it('skips blank lines and all-blank records but counts their lines', () => {
    const outcomes = csv(`\n${HEADER}\n\n${OBJ},2027-02-28,5,PZ-1,\n,,,,\n${OBJ},2027-02-27,6,PZ-2,\n`);
    expect(good(outcomes).map((r) => r.line)).toEqual([4, 6]);
  });

  it('reports bad dates: not YYYY-MM-DD, not a calendar date, outside the fiscal year', () => {
    const problems = bad(
      csv(`${HEADER}\n${OBJ},2027/07/15,1,PZ-1,\n${OBJ},2027-02-30,1,PZ-2,\n${OBJ},2027-13-01,1,PZ-3,\n${OBJ},2026-12-31,1,PZ-4,\n${OBJ},2028-01-01,1,PZ-5,\n${OBJ},2028-02-29,1,PZ-6,\n`),
    );
    expect(problems).toEqual([
      { line: 2, field: 'date', reason: '"2027/07/15" is not a date in the form YYYY-MM-DD' },
      { line: 3, field: 'date', reason: '"2027-02-30" is not a calendar date' },
      { line: 4, field: 'date', reason: '"2027-13-01" is not a calendar date' },
      { line: 5, field: 'date', reason: '2026-12-31 is outside fiscal year 2027' },
      { line: 6, field: 'date', reason: '2028-01-01 is outside fiscal year 2027' },
      { line: 7, field: 'date', reason: '2028-02-29 is outside fiscal year 2027' },
    ]);
  });

  it('refuses amounts with 3 decimals and text that is not an amount; accepts signs and grouped thousands', () => {
    const outcomes = csv(`${HEADER}\n${OBJ},2027-04-01,12.345,PZ-1,\n${OBJ},2027-04-01,abc,PZ-2,\n${OBJ},2027-04-01,"1,23.00",PZ-3,\n${OBJ},2027-04-01,+5.5,PZ-4,\n${OBJ},2027-04-01,"-12,345,678.9",PZ-5,\n`);
    expect(bad(outcomes)).toEqual([
      { line: 2, field: 'amountYuan', reason: '"12.345" has more than 2 decimals; amounts are in yuan to the fen (for example 1234.56)' },
      { line: 3, field: 'amountYuan', reason: '"abc" is not an amount in yuan; write it like 1234.56 or -80.00' },
      { line: 4, field: 'amountYuan', reason: '"1,23.00" is not an amount in yuan; write it like 1234.56 or -80.00' },
    ]);
    expect(good(outcomes).map((r) => r.amountFen)).toEqual([550, -1_234_567_890]);
  });

  it('reports a missing voucher, and a voucher or economic class that is too long', () => {
    const problems = bad(csv(`${HEADER}\n${OBJ},2027-06-01,1,,30201\n${OBJ},2027-06-01,1,  ,\n${OBJ},2027-06-01,1,${'V'.repeat(65)},\n${OBJ},2027-06-01,1,PZ,${'9'.repeat(33)}\n`));
    expect(problems).toEqual([
      { line: 2, field: 'voucher', reason: 'is required but empty' },
      { line: 3, field: 'voucher', reason: 'is required but empty' },
      { line: 4, field: 'voucher', reason: 'is 65 characters long; at most 64 are allowed' },
      { line: 5, field: 'economicClass', reason: 'is 33 characters long; at most 32 are allowed' },
    ]);
  });

  it('reports every problem of a row, each with the row’s line, and a row with more cells than columns', () => {
    const problems = bad(csv(`${HEADER}\nOBJ-1,2027-6-1,,,\n${OBJ},2027-06-01,1,PZ,30201,extra\n`));
    expect(problems).toEqual([
      { line: 2, field: 'objectId', reason: '"OBJ-1" is not a spending object id: obj_ followed by 10-40 lower-case letters or digits' },
      { line: 2, field: 'date', reason: '"2027-6-1" is not a date in the form YYYY-MM-DD' },
      { line: 2, field: 'amountYuan', reason: 'is required but empty' },
      { line: 2, field: 'voucher', reason: 'is required but empty' },
      { line: 3, field: 'row', reason: 'has 6 cells but the header names 5 columns (a value containing a comma must be in double quotes)' },
    ]);
  });

  it('refuses a header with an unknown, a repeated or a missing column as a whole', () => {
    expect(file(csv(`objectId,date,amount,voucher,voucher\n${OBJ},2027-01-01,1,PZ,PZ\n`))).toEqual([
      { line: 1, field: 'amount', reason: '"amount" is not a known column; the columns are objectId, date, amountYuan, voucher, economicClass' },
      { line: 1, field: 'voucher', reason: 'the column appears twice in the header' },
      { line: 1, field: 'amountYuan', reason: 'the column is missing from the header; every row needs it' },
    ]);
  });

  it('refuses an unterminated quote at the line where the field starts, after the rows before it', () => {
    const outcomes = csv(`${HEADER}\n${OBJ},2027-01-01,1,PZ-1,\n${OBJ},2027-01-02,1,"PZ-2,\n${OBJ},2027-01-03,1,PZ-3,\n`);
    expect(outcomes[0]?.kind).toBe('good');
    expect(file(outcomes)).toEqual([{ line: 3, field: 'file', reason: 'a quoted field is not closed (a " is missing)' }]);
  });

  it('refuses an empty file and a header without rows', () => {
    expect(file(csv('\r\n\r\n'))).toEqual([{ line: 1, field: 'file', reason: expect.stringContaining('the file is empty') }]);
    expect(file(csv(`${HEADER}\r\n`))).toEqual([{ line: 2, field: 'file', reason: 'the file has a header but no rows' }]);
  });

  it('yields records lazily, one at a time', () => {
    const records = csvRecords(`a,b\n1,2\n"unterminated`);
    expect(records.next().value).toEqual({ line: 1, cells: ['a', 'b'] });
    expect(records.next().value).toEqual({ line: 2, cells: ['1', '2'] });
    expect(() => records.next()).toThrow('a quoted field is not closed');
  });
});

describe('JSON rows', () => {
  const row = { objectId: OBJ, date: '2027-09-30', amountYuan: 1234.56, voucher: 'PZ-1' };

  it('reads good rows with their 1-based index as line; amounts as numbers or decimal text', () => {
    const rows = good(json([row, { ...row, amountYuan: '-0.5', economicClass: '30201' }, { ...row, amountYuan: 0.29, economicClass: null }]));
    expect(rows.map((r) => [r.line, r.amountFen, r.economicClass])).toEqual([
      [1, 123456, undefined],
      [2, -50, '30201'],
      [3, 29, undefined],
    ]);
  });

  it('reports rows that are not objects, unknown fields and wrong types', () => {
    const problems = bad(json([row, 'x', { ...row, payee: '某公司' }, { ...row, amountYuan: 0.1 + 0.2 }, { ...row, amountYuan: true, voucher: 12 }]));
    expect(problems).toEqual([
      { line: 2, field: 'row', reason: 'must be an object with the fields objectId, date, amountYuan, voucher, economicClass' },
      { line: 3, field: 'payee', reason: 'is not a known field; the fields are objectId, date, amountYuan, voucher, economicClass' },
      { line: 4, field: 'amountYuan', reason: '0.30000000000000004 has more than 2 decimals; amounts are in yuan to the fen (for example 1234.56)' },
      { line: 5, field: 'amountYuan', reason: 'true must be a number of yuan (or a text such as "1234.56")' },
      { line: 5, field: 'voucher', reason: '12 must be text' },
    ]);
  });

  it(`refuses a batch of more than ${MAX_BATCH_ROWS} rows`, () => {
    const outcomes = json(Array.from({ length: MAX_BATCH_ROWS + 1 }, () => row));
    expect(file(outcomes)).toEqual([{ line: MAX_BATCH_ROWS + 1, field: 'file', reason: 'has more than 100,000 rows; split the extract into several batches' }]);
  });
});

describe('amounts', () => {
  it('are exact in fen', () => {
    expect([parseAmountFen('0.29'), parseAmountFen(1234.56), parseAmountFen('-80'), parseAmountFen('-0.00'), parseAmountFen('100000000.00'), parseAmountFen(99999999.99)]).toEqual([
      29, 123456, -8000, 0, 10_000_000_000, 9_999_999_999,
    ]);
  });

  it('are at most 100,000,000.00 yuan per row', () => {
    expect(parseAmountFen('100000000.01')).toMatch(/larger than one row may be/);
    expect(parseAmountFen('-1,000,000,000')).toMatch(/larger than one row may be/);
  });
});

describe('chunk encoding', () => {
  it('round-trips rows whose texts hold line breaks, quotes and Chinese, one line each', () => {
    const rows = [
      { line: 2, objectId: OBJ, date: '2027-07-15', month: 202707, amountFen: -123456, voucher: '凭证\n"1"', economicClass: '30201' },
      { line: 9, objectId: OBJ2, date: '2027-12-31', month: 202712, amountFen: 1, voucher: 'PZ' },
    ];
    const text = rows.map((r) => `${encodeRow(r)}\n`).join('');
    expect(text.split('\n')).toHaveLength(3);
    expect([...chunkRows(text)]).toEqual(rows);
    expect(decodeRow(encodeRow(rows[1] as (typeof rows)[number]))).toEqual(rows[1]);
  });
});

describe('requests', () => {
  it('hash the year, format and content: a re-sent batch matches, a changed one does not', () => {
    const base = { sourceBatchId: 'GK-2027-0801', fiscalYear: 2027, format: 'csv' as const, content: `${HEADER}\n${OBJ},2027-07-15,1,PZ,\n` };
    expect(contentHash({ ...base })).toBe(contentHash(base));
    expect(contentHash({ ...base, fiscalYear: 2028 })).not.toBe(contentHash(base));
    expect(contentHash({ ...base, content: `${base.content} ` })).not.toBe(contentHash(base));
    expect(contentHash({ ...base, sourceBatchId: 'other' })).toBe(contentHash(base));
  });

  it('validate the envelope: format, source batch id, fiscal year', () => {
    expect(ExecutionBatchRequestSchema.safeParse({ format: 'json', sourceBatchId: 'GK/2027/08-01', fiscalYear: 2027, rows: [{}] }).success).toBe(true);
    expect(ExecutionBatchRequestSchema.safeParse({ format: 'csv', sourceBatchId: 'GK 1', fiscalYear: 2027, content: 'x' }).success).toBe(false);
    expect(ExecutionBatchRequestSchema.safeParse({ format: 'csv', sourceBatchId: 'GK1', fiscalYear: 2027.5, content: 'x' }).success).toBe(false);
    expect(ExecutionBatchRequestSchema.safeParse({ format: 'xlsx', sourceBatchId: 'GK1', fiscalYear: 2027, content: 'x' }).success).toBe(false);
  });

  it('get batch ids the route accepts', () => {
    expect(newBatchId(new Date('2027-08-03T02:15:00Z'))).toMatch(/^exb_[a-z0-9]{10,40}$/);
  });

  it('queue an event whose example parses with its schema', () => {
    expect(ExecutionBatchQueuedDetail.safeParse(example).success).toBe(true);
  });
});
