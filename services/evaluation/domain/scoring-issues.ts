/**
 * What is wrong with a scored table: every issue has a code, a severity and the row and field at
 * fault. Errors refuse an entered evaluation; warnings are worth a look but do not block. Pure.
 */

export const ISSUE_CODES = [
  'weights_not_100',
  'weight_invalid',
  'duplicate_row',
  'operator_invalid',
  'scoring_rule_mismatch',
  'target_missing',
  'target_not_numeric',
  'actual_missing',
  'actual_not_numeric',
  'budget_invalid',
  'qualitative_finding_missing',
  'qualitative_outside_band',
  'override_without_reason',
  'override_out_of_bounds',
  'score_above_weight',
  'nothing_to_score',
  'total_mismatch',
  'grade_mismatch',
  'unit_mismatch',
  'operator_mismatch',
  'not_applicable_without_reason',
  'override_on_not_applicable',
  'actual_repeats_target',
  'target_set_too_low',
] as const;
export type IssueCode = (typeof ISSUE_CODES)[number];

/** Warnings do not block an entered evaluation; everything else does. */
const WARNINGS: ReadonlySet<IssueCode> = new Set(['unit_mismatch', 'operator_mismatch', 'not_applicable_without_reason', 'override_on_not_applicable', 'actual_repeats_target', 'target_set_too_low']);

export interface ScoringIssue {
  code: IssueCode;
  severity: 'error' | 'warning';
  /** The row id, or 'execution'; absent for issues of the table as a whole. */
  row?: string;
  /** The field of the row (or of the input) at fault. */
  field?: string;
  message: string;
}

/** Records an issue found while scoring. */
export type AddIssue = (code: IssueCode, message: string, row?: string, field?: string) => void;

export const severityOf = (code: IssueCode): ScoringIssue['severity'] => (WARNINGS.has(code) ? 'warning' : 'error');

/** The issues an entered evaluation is refused for. */
export const blockingIssues = (result: { issues: readonly ScoringIssue[] }): ScoringIssue[] => result.issues.filter((i) => i.severity === 'error');
