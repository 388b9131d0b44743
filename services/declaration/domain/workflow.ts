/**
 * The declaration workflow (docs/domain.md section 2): submit → automatic check → competent
 * department review (scored: review.ts) → finance review → project library, plus the mid-year
 * revision flow and the check of the results gate (finance's decision itself: results-gate.ts).
 * Pure state transitions: each returns the next object, the history entry that records it, and
 * the outcome the caller turns into events. The caller supplies the check's findings and what it
 * knows about earlier evaluations.
 */
import type { ExAnteRequirement } from './ex-ante.ts';
import { reviewComments, scoreReview, type ReviewInput, type ScoredReview } from './review.ts';
import type { DeclarationRules, ReviewGrade } from './rules.ts';
import {
  checkAmountChange,
  EDITABLE,
  reasonsFromFindings,
  withAmountChange,
  type AmountChange,
  type ExAnteRecord,
  type ObjectStatus,
  type PendingRevision,
  type Rejection,
  type RejectionReason,
  type ReviewRecord,
  type SpendingObject,
} from './spending-object.ts';
import type { Finding } from './target-check.ts';
import { unrectified, type RectificationSummary } from '../../../shared/pure/rectification-status.ts';

export type TransitionErrorKind = 'state' | 'forbidden' | 'gate' | 'invalid';

export class TransitionError extends Error {
  constructor(
    message: string,
    readonly kind: TransitionErrorKind = 'state',
    readonly field?: string,
  ) {
    super(message);
  }
}

export interface WorkflowActor {
  sub: string;
  role: string;
  department?: string;
  unit?: string;
}

/** One line of an object's history: who moved it, when, from where to where, and why. */
export interface HistoryEntry {
  at: string;
  actor: { sub: string; role: string };
  action: string;
  from?: ObjectStatus;
  to: ObjectStatus;
  /** The object's version after the change. */
  version: number;
  reason?: string;
  grade?: ReviewGrade;
  /** A review's weighted criteria score. */
  score?: number;
  revision?: number;
  targetVersion?: number;
}

export interface Transition<O = undefined> {
  next: SpendingObject;
  history: HistoryEntry;
  outcome: O;
}

const GRADES_THAT_PASS: readonly ReviewGrade[] = ['excellent', 'good'];

/** What the review rules a review reads: the grade labels and how the criteria are scored. */
export interface ReviewContext {
  rules: Pick<DeclarationRules, 'gradeLabels' | 'reviewCriteria'> & Partial<Pick<DeclarationRules, 'resultsGate'>>;
  previousEvaluation?: PreviousEvaluation;
  /** Where the rectification orders of the continued object stand (from accountability's events). */
  previousRectification?: RectificationSummary;
}

/** The reviewer's input scored under the year's rules (domain/review.ts), or an invalid-input refusal naming the field. */
function scored(input: ReviewInput, context: ReviewContext): ScoredReview {
  const result = scoreReview(input, context.rules.reviewCriteria, context.rules.gradeLabels);
  if ('violation' in result) throw new TransitionError(result.violation.message, 'invalid', result.violation.field);
  return result.review;
}

/** The review record, and what the history keeps of it; a grade-only review says it was not scored. */
function recordOf(review: ScoredReview, stage: ReviewRecord['stage'], actor: WorkflowActor, at: string): { record: ReviewRecord; extra: Partial<HistoryEntry>; note: string } {
  const record: ReviewRecord = { stage, ...review, by: actor.sub, at };
  const comments = reviewComments(review);
  const extra = { grade: review.grade, ...(review.score !== undefined ? { score: review.score } : {}), ...(comments ? { reason: comments } : {}) };
  return { record, extra, note: review.score === undefined ? ' (grade only, the four criteria not scored)' : '' };
}

export function entry(object: SpendingObject, next: SpendingObject, actor: WorkflowActor, action: string, extra: Partial<HistoryEntry> = {}): HistoryEntry {
  return { at: next.updatedAt, actor: { sub: actor.sub, role: actor.role }, action, from: object.status, to: next.status, version: next.version, ...extra };
}

export function bump(object: SpendingObject, now: Date, changes: Partial<SpendingObject>): SpendingObject {
  return { ...object, ...changes, version: object.version + 1, updatedAt: now.toISOString() };
}

export function requireEditable(object: SpendingObject, what: string): void {
  if (!EDITABLE.includes(object.status)) {
    throw new TransitionError(`${what} only while the object is a draft or returned for revision; it is ${object.status}`);
  }
}

// ---------- submit ----------

/** The results of the earlier evaluation this object continues from, as the results gate sees them. */
export interface PreviousEvaluation {
  evaluationId: string;
  objectId: string;
  fiscalYear: number;
  grade: ReviewGrade;
  totalScore: number;
}

/**
 * Why finance must decide (cut, cancel, keep) before the object can be approved, or undefined:
 * the object continues one whose last evaluation was graded 差, or (with
 * `resultsGate.unrectifiedNeedsDecision`) one with rectification orders not rectified or
 * rectified late (财预〔2020〕10号: not rectifying reaches the budget).
 */
export function resultsDecisionReason(
  object: SpendingObject,
  previous: PreviousEvaluation | undefined,
  rectification?: RectificationSummary,
  gate: DeclarationRules['resultsGate'] = { unrectifiedNeedsDecision: true },
): string | undefined {
  if (object.lifecycle !== 'continuing' || !previous) return undefined;
  if (object.resultsDecision !== undefined && object.resultsDecision.decision !== 'cancel') return undefined;
  if (previous.grade === 'poor') return `its last evaluation (${previous.fiscalYear}) was graded 差`;
  const open = rectification ? unrectified(rectification) : 0;
  if (gate.unrectifiedNeedsDecision && open > 0) {
    return `the object it continues has ${rectification?.overdue ?? 0} rectification order(s) not rectified and ${rectification?.closedLate ?? 0} rectified late`;
  }
  return undefined;
}

/** Whether finance must decide (cut, cancel, keep) before the object can be approved. */
export function resultsDecisionNeeded(object: SpendingObject, previous: PreviousEvaluation | undefined, rectification?: RectificationSummary, gate?: DeclarationRules['resultsGate']): boolean {
  return resultsDecisionReason(object, previous, rectification, gate) !== undefined;
}

export interface SubmitInput {
  /** Findings of the automatic check (transfer payments: regional findings carry their region). */
  findings: readonly (Finding & { region?: string })[];
  exAnteRequirement: ExAnteRequirement;
  hasTargets: boolean;
  rulesVersion: number;
}

export type SubmitOutcome = { kind: 'accepted'; warnings: Finding[] } | { kind: 'returned'; rejection: Rejection };

/** Every reason the ex-ante assessment keeps the object out, if any. */
export function exAnteReasons(object: SpendingObject, requirement: ExAnteRequirement, exAnte: ExAnteRecord | undefined): RejectionReason[] {
  if (!exAnte) {
    return requirement.required
      ? [{ code: 'ex_ante_missing', message: `an ex-ante assessment is required (${requirement.reason}); ask the competent department or finance to assess it` }]
      : [];
  }
  const reasons: RejectionReason[] = [];
  if (requirement.required && exAnte.conclusion === 'not_supported') {
    reasons.push({ code: 'ex_ante_not_supported', message: `the ex-ante assessment did not support it (score ${exAnte.total}); it cannot enter the library unless reassessed` });
  }
  if (object.amounts.annualTotalWan > exAnte.recommendedCeilingWan + 1e-6) {
    reasons.push({
      code: 'ex_ante_ceiling_exceeded',
      message: `the annual amount ${object.amounts.annualTotalWan} 万元 exceeds the ${exAnte.recommendedCeilingWan} 万元 ceiling the ex-ante assessment recommends; lower it`,
    });
  }
  return reasons;
}

export function submit(object: SpendingObject, input: SubmitInput, exAnte: ExAnteRecord | undefined, actor: WorkflowActor, now: Date): Transition<SubmitOutcome> {
  requireEditable(object, 'Targets can be submitted');
  if (!input.hasTargets) throw new TransitionError('Write the targets first (PUT …/targets): no targets, no budget', 'invalid', 'targets');
  const reasons = [...reasonsFromFindings(input.findings), ...exAnteReasons(object, input.exAnteRequirement, exAnte)];
  const submissions = object.submissions + 1;
  if (reasons.length > 0) {
    const rejection: Rejection = { stage: 'check', outcome: 'returned', reasons, at: now.toISOString() };
    const next = bump(object, now, { status: 'returned', submissions, reviews: [], lastRejection: rejection, rulesVersion: input.rulesVersion });
    return {
      next,
      history: entry(object, next, actor, 'submitted and returned by the automatic check', { reason: reasons.map((r) => r.message).join('; ') }),
      outcome: { kind: 'returned', rejection },
    };
  }
  const { lastRejection: _cleared, ...rest } = object;
  const next = bump(rest as SpendingObject, now, { status: 'department_review', submissions, reviews: [], rulesVersion: input.rulesVersion });
  return {
    next,
    history: entry(object, next, actor, 'submitted'),
    outcome: { kind: 'accepted', warnings: input.findings.filter((f) => f.severity === 'warning') },
  };
}

// ---------- reviews ----------

export type ReviewOutcome =
  | { kind: 'forwarded' }
  | { kind: 'approved'; targetVersion: number }
  | { kind: 'returned' | 'rejected'; rejection: Rejection }
  | { kind: 'revision_forwarded' }
  | { kind: 'revision_approved'; targetVersion: number; revision: PendingRevision }
  | { kind: 'revision_returned' | 'revision_rejected'; rejection: Rejection; revision: PendingRevision };

/** Which role reviews at which stage, and whether this actor may review this object at all. */
function checkReviewer(stage: 'department_review' | 'finance_review', object: SpendingObject, actor: WorkflowActor): 'department' | 'finance' {
  if (stage === 'department_review') {
    if (actor.role !== 'department') throw new TransitionError('The competent department reviews first; finance reviews after it', 'forbidden');
    if (actor.department !== object.department) throw new TransitionError(`Only department ${object.department} reviews this object`, 'forbidden');
    return 'department';
  }
  if (actor.role !== 'finance') throw new TransitionError('The department review is done; finance reviews now', 'forbidden');
  return 'finance';
}

/** The rejection a 中 or 差 review makes: the grade, the score and every comment, for the unit. */
function reviewRejection(record: ReviewRecord, label: string, outcome: Rejection['outcome']): Rejection {
  const who = record.stage === 'department' ? 'the competent department' : 'finance';
  const comments = reviewComments(record);
  const scoreText = record.score !== undefined ? ` (score ${record.score})` : '';
  return {
    stage: record.stage === 'department' ? 'department_review' : 'finance_review',
    outcome,
    reasons: [{ code: 'review_grade', message: `graded ${label}${scoreText} by ${who}${comments ? `: ${comments}` : ''}` }],
    grade: record.grade,
    ...(record.score !== undefined ? { score: record.score } : {}),
    ...(record.criteria ? { criteria: record.criteria } : {}),
    at: record.at,
  };
}

export function review(object: SpendingObject, input: ReviewInput, actor: WorkflowActor, now: Date, context: ReviewContext): Transition<ReviewOutcome> {
  if (object.revision) return reviewRevision(object, object.revision, input, actor, now, context);
  if (object.status !== 'department_review' && object.status !== 'finance_review') {
    throw new TransitionError(`Nothing to review: the object is ${object.status}`);
  }
  const stage = checkReviewer(object.status, object, actor);
  const at = now.toISOString();
  const { record, extra, note } = recordOf(scored(input, context), stage, actor, at);
  const reviews = [...object.reviews, record];

  if (GRADES_THAT_PASS.includes(record.grade)) {
    if (stage === 'department') {
      const next = bump(object, now, { status: 'finance_review', reviews });
      return { next, history: entry(object, next, actor, `passed department review${note}`, extra), outcome: { kind: 'forwarded' } };
    }
    const gateReason = resultsDecisionReason(object, context.previousEvaluation, context.previousRectification, context.rules.resultsGate);
    if (gateReason) {
      const because = gateReason.charAt(0).toUpperCase() + gateReason.slice(1);
      throw new TransitionError(`${because}: record the results decision (cut, cancel, or keep with a reason) before approving`, 'gate');
    }
    const targetVersion = object.targetVersion + 1;
    const next = bump(object, now, { status: 'approved', reviews, targetVersion, approvedAt: at });
    return { next, history: entry(object, next, actor, `approved into the project library${note}`, { ...extra, targetVersion }), outcome: { kind: 'approved', targetVersion } };
  }

  const outcome = record.grade === 'poor' ? 'rejected' : 'returned';
  const rejection = reviewRejection(record, context.rules.gradeLabels[record.grade], outcome);
  const next = bump(object, now, { status: outcome, reviews, lastRejection: rejection });
  return {
    next,
    history: entry(object, next, actor, `${outcome === 'rejected' ? 'rejected' : 'returned for revision'}${note}`, extra),
    outcome: { kind: outcome, rejection },
  };
}

// ---------- mid-year revision ----------

/**
 * Opens a mid-year revision of approved targets, with its reason and, when the money changes with
 * them, the new amounts (checked as at declaration; `findings` are the revised targets' check
 * against the new amounts). Nothing changes on the object until finance approves.
 */
export function submitRevision(object: SpendingObject, findings: readonly Finding[], reason: string, actor: WorkflowActor, now: Date, amountChange?: AmountChange): Transition<PendingRevision> {
  if (object.status !== 'approved') throw new TransitionError(`Only approved targets are revised mid-year; the object is ${object.status}`);
  if (object.revision) throw new TransitionError(`Revision ${object.revision.number} is still under review`);
  if (!reason.trim()) throw new TransitionError('A revision needs its reason', 'invalid', 'reason');
  const wrong = amountChange ? checkAmountChange(object, amountChange)[0] : undefined;
  if (wrong) throw new TransitionError(wrong.message, 'invalid', `amountChange.${wrong.field}`);
  const errors = findings.filter((f) => f.severity === 'error');
  if (errors.length > 0) throw new TransitionError(`The revised targets fail the automatic check (${errors.length} finding(s))`, 'invalid', 'targets');
  const change = amountChange && { ...amountChange, reason: amountChange.reason.trim() };
  const revision: PendingRevision = {
    number: object.revisions + 1,
    stage: 'department_review',
    reason: reason.trim(),
    ...(change ? { amountChange: change } : {}),
    reviews: [],
    submittedAt: now.toISOString(),
    submittedBy: actor.sub,
  };
  const money = change ? `; annual amount ${object.amounts.annualTotalWan} → ${change.amounts.annualTotalWan} 万元: ${change.reason}` : '';
  const next = bump(object, now, { revision, revisions: revision.number });
  return { next, history: entry(object, next, actor, 'submitted a mid-year revision', { reason: `${revision.reason}${money}`, revision: revision.number }), outcome: revision };
}

function reviewRevision(object: SpendingObject, revision: PendingRevision, input: ReviewInput, actor: WorkflowActor, now: Date, context: ReviewContext): Transition<ReviewOutcome> {
  const stage = checkReviewer(revision.stage, object, actor);
  const { record, extra: recorded, note } = recordOf(scored(input, context), stage, actor, now.toISOString());
  const reviewed: PendingRevision = { ...revision, reviews: [...revision.reviews, record] };
  const extra = { ...recorded, revision: revision.number };

  if (GRADES_THAT_PASS.includes(record.grade)) {
    if (stage === 'department') {
      const next = bump(object, now, { revision: { ...reviewed, stage: 'finance_review' } });
      return { next, history: entry(object, next, actor, `revision passed department review${note}`, extra), outcome: { kind: 'revision_forwarded' } };
    }
    const targetVersion = object.targetVersion + 1;
    const { revision: _done, ...rest } = object;
    // The revised money takes effect with the revised targets.
    const next = bump(withAmountChange(rest as SpendingObject, revision.amountChange), now, { targetVersion });
    return {
      next,
      history: entry(object, next, actor, `revision approved${note}`, { ...extra, targetVersion }),
      outcome: { kind: 'revision_approved', targetVersion, revision: reviewed },
    };
  }
  const outcome = record.grade === 'poor' ? 'rejected' : 'returned';
  const rejection = reviewRejection(record, context.rules.gradeLabels[record.grade], outcome);
  const { revision: _dropped, ...rest } = object;
  const next = bump(rest as SpendingObject, now, {});
  return {
    next,
    history: entry(object, next, actor, `${outcome === 'rejected' ? 'revision rejected' : 'revision returned'}${note}`, extra),
    outcome: { kind: outcome === 'rejected' ? 'revision_rejected' : 'revision_returned', rejection, revision: reviewed },
  };
}
