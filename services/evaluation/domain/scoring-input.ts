/** What the scoring engine reads: a table's indicator rows and its budget execution row. Pure. */
import type { Operator, ScoringRule } from '../../../events/vocabulary.ts';
import type { Finding, Grade } from './rules.ts';

export interface Override {
  score: number;
  reason: string;
}

export interface IndicatorRowInput {
  id: string;
  name: string;
  /** Level-1 category (output, benefit …) or key-frame part; summed in `categories`. */
  category?: string;
  operator: Operator;
  /** A number, or the cell as written ("≥100人"); quantitative rows need a value. */
  target?: number | string;
  actual?: number | string;
  /** The row's points. */
  weight: number;
  /** Default true. */
  applicable?: boolean;
  notApplicableReason?: string;
  /** Qualitative rows: the scorer's finding and the points picked inside its band. */
  finding?: Finding;
  findingScore?: number;
  /** The library indicator's own rule; for "≤" rows it beats the region's negativeVariant. */
  scoringRule?: ScoringRule;
  override?: Override;
}

export interface ExecutionInput {
  /** Full-year budget (the adjusted one when there is one); any currency unit, the same as executed. */
  budget: number;
  executed: number;
  /** The object's execution points; default rules.executionWeight. */
  weight?: number;
  override?: Override;
}

export interface ScoringInput {
  /** Absent: the table has no execution row (key-evaluation sheets fold it into 过程). */
  execution?: ExecutionInput;
  rows: readonly IndicatorRowInput[];
  /** A published table's total, compared with the computed one (never used as the total). */
  publishedTotal?: number;
  publishedGrade?: Grade;
}
