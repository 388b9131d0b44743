/** What the scoring engine answers: each row's score and why, the execution score, the total and grade. Pure. */
import type { Operator } from '../../../events/vocabulary.ts';
import type { Figure } from './figures.ts';
import type { Finding, Grade } from './rules.ts';
import type { Override } from './scoring-input.ts';
import type { ScoringIssue } from './scoring-issues.ts';

export interface RowResult {
  id: string;
  name: string;
  category?: string;
  operator: Operator;
  points: number;
  applicable: boolean;
  target?: Figure;
  actual?: Figure;
  finding?: Finding;
  findingScore?: number;
  /** What the rules give (rounded to 2 decimals); null when it cannot be computed or the row does not apply. */
  computed: number | null;
  override?: Override;
  /** What counts: the override, else the computed score (0 when neither exists). Null for a dropped row. */
  score: number | null;
  /** Display only, when dropped rows made the table rescale: points and score × the scale factor. */
  rescaled?: { points: number; score: number };
  /** Why the row got its score, with the figures. */
  explanation: string;
}

export interface ExecutionResult {
  budget: number;
  executed: number;
  /** executed ÷ budget, uncapped (1.2 = 120 %); null without a positive budget. */
  rate: number | null;
  points: number;
  computed: number | null;
  override?: Override;
  score: number;
  /** Display only, as for rows. */
  rescaled?: { points: number; score: number };
  explanation: string;
}

export interface ScoreResult {
  /** 0-100 (above only when overrides exceed their rows, which is reported), 2 decimals. */
  total: number;
  grade: Grade;
  gradeLabel: string;
  /** Execution score + applicable row scores (+ full points of dropped rows under 'full_points'), 2 decimals. */
  subtotal: number;
  /** The points the subtotal is out of. */
  maximum: number;
  scale: { factor: number; droppedPoints: number };
  execution: ExecutionResult | null;
  rows: RowResult[];
  /** Applicable points and scores per row category, in first-seen order (unscaled). */
  categories: { category: string; points: number; score: number }[];
  issues: ScoringIssue[];
  /** How the total and grade follow from the rows. */
  explanation: string[];
}

/** A score as computed from the figures, before any override. */
export interface Computed {
  /** Unrounded; null when it cannot be computed. */
  value: number | null;
  explanation: string;
}
