/** Audit findings read from a batch (services/accountability/domain/audit-findings.ts): every bad line named by its line and field. */
import { describe, expect, it } from 'vitest';
import { findingsFromCsv, findingsFromJson } from '../../services/accountability/domain/audit-findings.ts';

const TODAY = '2027-03-01';
const HEADER = '审计报告文号,项目编号,部门编码,单位编码,发现问题,整改要求,整改期限';

describe('findingsFromCsv', () => {
  it('reads a finding per line under a header of Chinese labels', () => {
    const read = findingsFromCsv(`${HEADER}\n赣审财〔2027〕3号-1,obj_0123456789abcdef,,,项目资金闲置12个月,盘活或收回,2027-06-30\n赣审财〔2027〕3号-2,,D-EDU,U-EDU-01,绩效目标未细化,,\n`, TODAY);
    expect(read.problems).toEqual([]);
    expect(read.lines).toEqual([
      { line: 2, reference: '赣审财〔2027〕3号-1', objectId: 'obj_0123456789abcdef', issue: '项目资金闲置12个月', requirement: '盘活或收回', deadline: '2027-06-30' },
      { line: 3, reference: '赣审财〔2027〕3号-2', department: 'D-EDU', unit: 'U-EDU-01', issue: '绩效目标未细化' },
    ]);
  });
  it('names every bad line with its physical line number and field', () => {
    const text = `${HEADER}\n赣审-1,,,,缺少对象与部门,,\n\n赣审-3,obj_BAD,,,对象编号不对,,2027-02-30\n,,D-EDU,,,,2026-12-31\n`;
    expect(findingsFromCsv(text, TODAY).problems).toEqual([
      { line: 2, field: 'department', reason: 'name the spending object (objectId) or the owner department' },
      { line: 4, field: 'objectId', reason: 'obj_BAD is not a spending object id (obj_...)' },
      { line: 4, field: 'deadline', reason: '2027-02-30 is not a date YYYY-MM-DD' },
      { line: 5, field: 'reference', reason: 'name the audit report and item (审计报告文号)' },
      { line: 5, field: 'issue', reason: 'state the finding (发现问题)' },
      { line: 5, field: 'deadline', reason: 'must be today (2027-03-01, China Standard Time) or later' },
    ]);
  });
  it('refuses a header without a required column, or with an unknown one, at line 1', () => {
    expect(findingsFromCsv('reference,部门编码,备注\nx,D,y\n', TODAY).problems.map((p) => [p.line, p.field])).toEqual([
      [1, '备注'],
      [1, 'issue'],
    ]);
  });
  it('reports an unterminated quote with its line', () => {
    expect(findingsFromCsv(`${HEADER}\n"赣审-1,,D,,问题,,\n`, TODAY).problems).toMatchObject([{ line: 2, field: 'csv' }]);
  });
  it('refuses a file with a header and no finding', () => {
    expect(findingsFromCsv(`${HEADER}\n`, TODAY).problems).toEqual([{ line: 2, field: 'csv', reason: 'no finding under the header' }]);
  });
});

describe('findingsFromJson', () => {
  it('numbers findings from 1 and names unknown fields', () => {
    const read = findingsFromJson([{ reference: 'a', department: 'D-1', issue: '问题' }, { reference: 'b', department: 'D-1', issue: '问题', amount: 5 }, 'x'], TODAY);
    expect(read.lines.map((l) => l.line)).toEqual([1]);
    expect(read.problems.map((p) => [p.line, p.field])).toEqual([
      [2, 'amount'],
      [3, 'finding'],
    ]);
  });
});
