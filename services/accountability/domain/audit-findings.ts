/**
 * Audit findings filed in a batch (审计发现问题清单): each line becomes a rectification order
 * (source `audit`) about a spending object or an owner department. This file reads and checks
 * the lines, CSV or JSON, and names every bad one by its line and field; nothing about the
 * table. Pure.
 *
 * CSV: a header row naming the columns (any order, Chinese or English names), then one finding
 * per line. JSON: one object per finding, line = its position (1-based).
 */
import { csvRecords, CsvSyntaxError } from '../../../shared/pure/csv.ts';
import { isCalendarDate } from './rectification.ts';

/** The columns of a finding; `reference` (the audit report and item, 审计报告文号及条目) and `issue` are required. */
export const AUDIT_FINDING_COLUMNS = ['reference', 'objectId', 'department', 'unit', 'issue', 'requirement', 'deadline'] as const;
type Column = (typeof AUDIT_FINDING_COLUMNS)[number];

/** Header names accepted for each column: the English field name or the label audit offices print. */
const HEADER_NAMES: Record<Column, readonly string[]> = {
  reference: ['reference', '审计报告文号', '文号', '审计依据'],
  objectId: ['objectId', '项目编号', '对象编号'],
  department: ['department', '部门编码', '主管部门编码'],
  unit: ['unit', '单位编码'],
  issue: ['issue', '发现问题', '问题'],
  requirement: ['requirement', '整改要求'],
  deadline: ['deadline', '整改期限'],
};

const MAX_LENGTH: Record<Column, number> = { reference: 200, objectId: 60, department: 64, unit: 64, issue: 2000, requirement: 2000, deadline: 10 };

export interface AuditFindingLine {
  /** CSV: the physical line in the file; JSON: the finding's position, from 1. */
  line: number;
  reference: string;
  objectId?: string;
  department?: string;
  unit?: string;
  issue: string;
  requirement?: string;
  deadline?: string;
}

export interface LineProblem {
  line: number;
  field: string;
  reason: string;
}

export interface ReadFindings {
  lines: AuditFindingLine[];
  problems: LineProblem[];
}

const CODE = /^[A-Za-z0-9_-]{1,64}$/;
const OBJECT_ID = /^obj_[a-z0-9]{10,40}$/;
const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** One finding's cells, checked; `today` (YYYY-MM-DD, China Standard Time) bounds the deadline. */
export function checkFinding(cells: Partial<Record<Column, unknown>>, line: number, today: string): AuditFindingLine | LineProblem[] {
  const problems: LineProblem[] = [];
  const out: Partial<AuditFindingLine> = { line };
  for (const column of AUDIT_FINDING_COLUMNS) {
    const raw = cells[column];
    if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '')) continue;
    if (typeof raw !== 'string') {
      problems.push({ line, field: column, reason: 'must be text' });
      continue;
    }
    const value = raw.trim();
    if (value.length > MAX_LENGTH[column]) problems.push({ line, field: column, reason: `at most ${MAX_LENGTH[column]} characters` });
    else out[column] = value;
  }
  if (!out.reference && !problems.some((p) => p.field === 'reference')) problems.push({ line, field: 'reference', reason: 'name the audit report and item (审计报告文号)' });
  if (!out.issue && !problems.some((p) => p.field === 'issue')) problems.push({ line, field: 'issue', reason: 'state the finding (发现问题)' });
  if (out.objectId && !OBJECT_ID.test(out.objectId)) problems.push({ line, field: 'objectId', reason: `${out.objectId} is not a spending object id (obj_...)` });
  if (out.department && !CODE.test(out.department)) problems.push({ line, field: 'department', reason: 'must be a department code' });
  if (out.unit && !CODE.test(out.unit)) problems.push({ line, field: 'unit', reason: 'must be a unit code' });
  if (!out.objectId && !out.department && !problems.some((p) => p.field === 'objectId' || p.field === 'department')) {
    problems.push({ line, field: 'department', reason: 'name the spending object (objectId) or the owner department' });
  }
  if (out.unit && !out.department && !out.objectId) problems.push({ line, field: 'unit', reason: 'a unit needs its department' });
  if (out.deadline) {
    if (!DATE.test(out.deadline) || !isCalendarDate(out.deadline)) problems.push({ line, field: 'deadline', reason: `${out.deadline} is not a date YYYY-MM-DD` });
    else if (out.deadline < today) problems.push({ line, field: 'deadline', reason: `must be today (${today}, China Standard Time) or later` });
  }
  return problems.length ? problems : (out as AuditFindingLine);
}

/** Findings as JSON objects; unknown fields are named. */
export function findingsFromJson(rows: readonly unknown[], today: string): ReadFindings {
  const out: ReadFindings = { lines: [], problems: [] };
  rows.forEach((row, i) => {
    const line = i + 1;
    if (!row || typeof row !== 'object' || Array.isArray(row)) {
      out.problems.push({ line, field: 'finding', reason: 'must be an object' });
      return;
    }
    const unknown = Object.keys(row).filter((k) => !(AUDIT_FINDING_COLUMNS as readonly string[]).includes(k));
    for (const k of unknown) out.problems.push({ line, field: k, reason: `unknown field; the fields are ${AUDIT_FINDING_COLUMNS.join(', ')}` });
    const checked = checkFinding(row as Partial<Record<Column, unknown>>, line, today);
    if (Array.isArray(checked)) out.problems.push(...checked);
    else if (!unknown.length) out.lines.push(checked);
  });
  return out;
}

/** Findings as a CSV text with a header row; a header naming no known column, or missing a required one, is a problem of line 1. */
export function findingsFromCsv(text: string, today: string): ReadFindings {
  const out: ReadFindings = { lines: [], problems: [] };
  let columns: (Column | undefined)[] | undefined;
  let headerLine = 1;
  try {
    for (const record of csvRecords(text)) {
      if (!columns) {
        headerLine = record.line;
        columns = record.cells.map((h) => AUDIT_FINDING_COLUMNS.find((c) => HEADER_NAMES[c].includes(h.trim())));
        record.cells.forEach((h, i) => {
          if (columns?.[i] === undefined) out.problems.push({ line: record.line, field: h.trim() || `column ${i + 1}`, reason: `unknown column; the columns are ${AUDIT_FINDING_COLUMNS.join(', ')} (or their Chinese labels)` });
        });
        for (const required of ['reference', 'issue'] as const) {
          if (!columns.includes(required)) out.problems.push({ line: record.line, field: required, reason: 'the header has no such column' });
        }
        if (out.problems.length) return out;
        continue;
      }
      const cells: Partial<Record<Column, string>> = {};
      record.cells.forEach((value, i) => {
        const column = columns?.[i];
        if (column) cells[column] = value;
      });
      if (record.cells.length > columns.length) out.problems.push({ line: record.line, field: `column ${columns.length + 1}`, reason: `${record.cells.length} cells under a header of ${columns.length}` });
      const checked = checkFinding(cells, record.line, today);
      if (Array.isArray(checked)) out.problems.push(...checked);
      else out.lines.push(checked);
    }
  } catch (error) {
    if (!(error instanceof CsvSyntaxError)) throw error;
    out.problems.push({ line: error.line, field: 'csv', reason: error.reason });
    return out;
  }
  if (!columns) out.problems.push({ line: headerLine, field: 'csv', reason: 'the file is empty: a header row and at least one finding' });
  else if (!out.lines.length && !out.problems.length) out.problems.push({ line: headerLine + 1, field: 'csv', reason: 'no finding under the header' });
  return out;
}
