/**
 * Self-evaluations, finance review and key evaluations as records (docs/domain.md sections 2 and 4):
 * a self-evaluation pre-filled from the approved target snapshot and the latest monitoring
 * report, and its rows turned into the scoring engine's input. Pure.
 */
import type { Level1, Level2, Operator } from '../../../events/vocabulary.ts';
import type { Finding, Grade, KeyFramePart, RuleViolation, ScoringRules } from './rules.ts';
import type { ScoreResult } from './score-result.ts';
import { score } from './scoring.ts';
import type { IndicatorRowInput, Override, ScoringInput } from './scoring-input.ts';

export interface ObjectRef {
  id: string;
  spendingType: 'project' | 'department_overall' | 'transfer_payment';
  name: string;
  fiscalYear: number;
  region: string;
  department: string;
  unit: string;
  sector: string;
  /** The previous year's object this one continues (from the approved targets). */
  continues?: string;
}

export interface SelfRow {
  rowId: string;
  name: string;
  level1: Level1;
  level2: Level2;
  operator: Operator;
  /** The approved target as written ("≥5000亩"); the engine reads the number and unit. */
  target?: string;
  weight: number;
  actual?: number | string;
  applicable?: boolean;
  notApplicableReason?: string;
  finding?: Finding;
  findingScore?: number;
  override?: Override;
  deviationAnalysis?: string;
  evidence?: string[];
  indicatorId?: string;
  indicatorRevision?: number;
  unit?: string;
}

export interface ExecutionEntry {
  budgetWan: number;
  executedWan?: number;
  weight: number;
  override?: Override;
}

export interface FinanceReview {
  sampleId?: string;
  by: string;
  at: string;
  execution: ExecutionEntry;
  rows: SelfRow[];
  result: ScoreResult;
  /** Review total − self total. */
  difference: number;
  flagged: boolean;
  comments?: string;
}

export interface SelfEvaluation {
  id: string;
  version: number;
  object: ObjectRef;
  targetVersion: number;
  status: 'draft' | 'submitted' | 'reviewed';
  execution: ExecutionEntry;
  rows: SelfRow[];
  result: ScoreResult;
  /** What pre-filled it. */
  prefilledFrom: { targetVersion: number; monitoringWindow?: string };
  sampleId?: string;
  review?: FinanceReview;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  submittedAt?: string;
  submittedBy?: string;
}

export const selfEvaluationId = (objectId: string) => `sev_${objectId.slice('obj_'.length)}`;
export const objectIdOfSelf = (id: string) => (/^sev_[a-z0-9]{10,40}$/.test(id) ? `obj_${id.slice('sev_'.length)}` : undefined);

const SYMBOL: Record<Operator, string> = { gte: '≥', lte: '≤', eq: '', qualitative: '' };

interface SnapshotRow {
  rowId: string;
  name: string;
  level1: Level1;
  level2: Level2;
  operator: Operator;
  value?: number | string;
  unit?: string;
  weight?: number;
  indicatorId?: string;
  indicatorRevision?: number;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/**
 * Row weights: the approved ones when every row has one and they make 100 with the execution
 * points; otherwise the region's category weights shared evenly among each category's rows
 * (cost rows count under output when cost has no points of its own; categories without rows
 * give their points to the others in proportion). Rounded to 2 decimals, the last row of each
 * category absorbing the rounding, so the total is exactly 100.
 */
export function prefillWeights(rows: readonly SnapshotRow[], params: Pick<ScoringRules, 'executionWeight' | 'categoryWeights'>): number[] {
  const rowPoints = 100 - params.executionWeight;
  const given = rows.map((r) => r.weight);
  if (given.every((w): w is number => typeof w === 'number') && Math.abs(given.reduce((a, b) => a + b, 0) - rowPoints) < 0.01) return given;

  const categoryOf = (r: SnapshotRow): Level1 => (r.level1 === 'cost' && params.categoryWeights.cost === 0 ? 'output' : r.level1);
  const present = [...new Set(rows.map(categoryOf))];
  const presentPoints = present.reduce((sum, c) => sum + params.categoryWeights[c], 0);
  const weights = new Array<number>(rows.length).fill(0);
  let assigned = 0;
  present.forEach((category, ci) => {
    const indexes = rows.flatMap((r, i) => (categoryOf(r) === category ? [i] : []));
    const share = presentPoints > 0 ? (params.categoryWeights[category] / presentPoints) * rowPoints : rowPoints / present.length;
    const categoryPoints = ci === present.length - 1 ? round2(rowPoints - assigned) : round2(share);
    let inCategory = 0;
    indexes.forEach((rowIndex, k) => {
      const w = k === indexes.length - 1 ? round2(categoryPoints - inCategory) : round2(categoryPoints / indexes.length);
      weights[rowIndex] = w;
      inCategory = round2(inCategory + w);
    });
    assigned = round2(assigned + categoryPoints);
  });
  return weights;
}

export interface MonitoringFacts {
  windowLabel: string;
  executedWan: number;
  values: Map<string, number | string>;
}

export function prefillRows(rows: readonly SnapshotRow[], monitoring: MonitoringFacts | undefined, params: Pick<ScoringRules, 'executionWeight' | 'categoryWeights'>): SelfRow[] {
  const weights = prefillWeights(rows, params);
  return rows.map((r, i) => {
    const actual = monitoring?.values.get(r.rowId);
    return {
      rowId: r.rowId,
      name: r.name,
      level1: r.level1,
      level2: r.level2,
      operator: r.operator,
      ...(r.value !== undefined ? { target: `${SYMBOL[r.operator]}${r.value}${r.unit ?? ''}` } : {}),
      ...(r.unit ? { unit: r.unit } : {}),
      weight: weights[i] as number,
      ...(actual !== undefined ? { actual } : {}),
      ...(r.indicatorId ? { indicatorId: r.indicatorId } : {}),
      ...(r.indicatorRevision ? { indicatorRevision: r.indicatorRevision } : {}),
    };
  });
}

/** The engine's input from the record's rows (a number without its unit gets the target's unit). */
export function scoringInput(execution: ExecutionEntry, rows: readonly SelfRow[]): ScoringInput {
  return {
    execution: { budget: execution.budgetWan, executed: execution.executedWan ?? Number.NaN, weight: execution.weight, ...(execution.override ? { override: execution.override } : {}) },
    rows: rows.map(
      (r): IndicatorRowInput => ({
        id: r.rowId,
        name: r.name,
        category: r.level1,
        operator: r.operator,
        ...(r.target !== undefined ? { target: r.target } : {}),
        ...(r.actual !== undefined ? { actual: typeof r.actual === 'number' && r.unit ? `${r.actual}${r.unit}` : r.actual } : {}),
        weight: r.weight,
        ...(r.applicable === false ? { applicable: false } : {}),
        ...(r.notApplicableReason ? { notApplicableReason: r.notApplicableReason } : {}),
        ...(r.finding ? { finding: r.finding } : {}),
        ...(r.findingScore !== undefined ? { findingScore: r.findingScore } : {}),
        ...(r.override ? { override: r.override } : {}),
      }),
    ),
  };
}

/**
 * Scores a self-evaluation (or a finance review of one). Until the executed amount is known (no
 * monitoring report, nothing entered) the engine gets NaN and reports budget_invalid on
 * execution.executed; the result then shows executed 0 with rate and computed null, because a
 * NaN can be neither stored (DynamoDB refuses it) nor sent as a number (JSON turns it into null).
 */
export function scoreSelf(execution: ExecutionEntry, rows: readonly SelfRow[], params: ScoringRules): ScoreResult {
  const result = score(scoringInput(execution, rows), params);
  if (result.execution && !Number.isFinite(result.execution.executed)) result.execution.executed = 0;
  return result;
}

/** What the unit (or the reviewer) may change in a row; names, targets and categories are the approved ones. */
export interface RowEntry {
  rowId: string;
  actual?: number | string;
  applicable?: boolean;
  notApplicableReason?: string;
  finding?: Finding;
  findingScore?: number;
  override?: Override | null;
  weight?: number;
  deviationAnalysis?: string;
  evidence?: string[];
}

export function applyEntries(rows: readonly SelfRow[], entries: readonly RowEntry[], prefix: string): { rows: SelfRow[]; violations: RuleViolation[] } {
  // Several entries may name the same row (an actual value in one, an override in the next):
  // they are applied in order, each changing only the fields it gives.
  const byId = new Map<string, RowEntry[]>();
  const violations: RuleViolation[] = [];
  const known = new Set(rows.map((r) => r.rowId));
  entries.forEach((e, i) => {
    if (!known.has(e.rowId)) violations.push({ field: `${prefix}[${i}].rowId`, message: `${e.rowId} is not a row of this evaluation` });
    else byId.set(e.rowId, [...(byId.get(e.rowId) ?? []), e]);
  });
  const next = rows.map((row) =>
    (byId.get(row.rowId) ?? []).reduce<SelfRow>((current, entry) => {
      const { rowId: _id, override, ...changes } = entry;
      const merged: SelfRow = { ...current, ...changes };
      if (override === null) delete merged.override;
      else if (override) merged.override = override;
      return merged;
    }, row),
  );
  return { rows: next, violations };
}

export interface ReviewSample {
  id: string;
  region: string;
  fiscalYear: number;
  seed: string;
  size: number;
  /** 'amount': at random weighted by amount; 'risk': the review assistant's error findings first (sampling.ts drawByRisk). */
  by?: 'amount' | 'risk';
  /** Self-evaluations that could be drawn (submitted, not yet reviewed), with their amounts. */
  population: number;
  /** `risk`: the worst severity of the review assistant's findings, on samples drawn by risk. */
  drawn: { objectId: string; selfEvaluationId: string; amountWan: number; risk?: 'error' | 'warning' | 'none' }[];
  createdAt: string;
  createdBy: string;
}

export interface KeyRow {
  id: string;
  part: KeyFramePart;
  name: string;
  weight: number;
  score: number;
  explanation?: string;
}

export interface KeyEvaluation {
  id: string;
  version: number;
  object: ObjectRef;
  evaluatorType: 'finance' | 'third_party' | 'expert_panel' | 'department';
  evaluator: string;
  rows: KeyRow[];
  total: number;
  grade: Grade;
  problems: string[];
  recommendations: string[];
  rectificationDueDate?: string;
  feedback?: { text: string; by: string; at: string };
  createdAt: string;
  createdBy: string;
  updatedAt: string;
}
