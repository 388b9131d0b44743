/**
 * The declaration workflow (docs/domain.md section 2): submit → automatic check → competent
 * department review → finance review → project library, plus the mid-year revision flow and
 * the results gate. Pure state transitions: each returns the next object, the history entry
 * that records it, and the outcome the caller turns into events. The caller supplies the
 * check's findings and what it knows about earlier evaluations.
 */
import type { ExAnteRequirement } from './ex-ante.ts';
import type { ReviewGrade } from './rules.ts';
import {
  EDITABLE,
  reasonsFromFindings,
  type ExAnteRecord,
  type ObjectStatus,
  type PendingRevision,
  type Rejection,
  type RejectionReason,
  type ResultsDecision,
  type ReviewRecord,
  type SpendingObject,
} from './spending-object.ts';
import type { Finding } from './target-check.ts';

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
  revision?: number;
  targetVersion?: number;
}

export interface Transition<O = undefined> {
  next: SpendingObject;
  history: HistoryEntry;
  outcome: O;
}

const GRADES_THAT_PASS: readonly ReviewGrade[] = ['excellent', 'good'];

/**
 * Only 优 stands without words: 良 passes "after agreed fixes", which the comments record; 中 and
 * 差 must tell the unit what is wrong.
 */
function requireComments(input: ReviewInput): void {
  if (input.grade === 'excellent' || input.comments?.trim()) return;
  throw new TransitionError(
    input.grade === 'good' ? 'A 良 grade passes after agreed fixes: write them in the comments' : 'A 中 or 差 grade needs comments telling the unit what is wrong',
    'invalid',
    'comments',
  );
}

function entry(object: SpendingObject, next: SpendingObject, actor: WorkflowActor, action: string, extra: Partial<HistoryEntry> = {}): HistoryEntry {
  return { at: next.updatedAt, actor: { sub: actor.sub, role: actor.role }, action, from: object.status, to: next.status, version: next.version, ...extra };
}

function bump(object: SpendingObject, now: Date, changes: Partial<SpendingObject>): SpendingObject {
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

/** Whether finance must decide (cut, cancel, keep) before the object can be approved. */
export function resultsDecisionNeeded(object: SpendingObject, previous: PreviousEvaluation | undefined): boolean {
  if (object.lifecycle !== 'continuing' || !previous || previous.grade !== 'poor') return false;
  return object.resultsDecision === undefined || object.resultsDecision.decision === 'cancel';
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

export interface ReviewInput {
  grade: ReviewGrade;
  comments?: string;
}

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

function gradeReason(stage: 'department' | 'finance', grade: ReviewGrade, label: string, comments: string | undefined): RejectionReason {
  const who = stage === 'department' ? 'the competent department' : 'finance';
  return { code: 'review_grade', message: `graded ${label} by ${who}${comments ? `: ${comments}` : ''}` };
}

export function review(
  object: SpendingObject,
  input: ReviewInput,
  actor: WorkflowActor,
  now: Date,
  context: { gradeLabel: string; previousEvaluation?: PreviousEvaluation },
): Transition<ReviewOutcome> {
  if (object.revision) return reviewRevision(object, object.revision, input, actor, now, context.gradeLabel);
  if (object.status !== 'department_review' && object.status !== 'finance_review') {
    throw new TransitionError(`Nothing to review: the object is ${object.status}`);
  }
  const stage = checkReviewer(object.status, object, actor);
  requireComments(input);
  const at = now.toISOString();
  const record: ReviewRecord = { stage, grade: input.grade, ...(input.comments?.trim() ? { comments: input.comments.trim() } : {}), by: actor.sub, at };
  const reviews = [...object.reviews, record];
  const historyExtra = { grade: input.grade, ...(record.comments ? { reason: record.comments } : {}) };

  if (GRADES_THAT_PASS.includes(input.grade)) {
    if (stage === 'department') {
      const next = bump(object, now, { status: 'finance_review', reviews });
      return { next, history: entry(object, next, actor, 'passed department review', historyExtra), outcome: { kind: 'forwarded' } };
    }
    if (resultsDecisionNeeded(object, context.previousEvaluation)) {
      throw new TransitionError(
        `Its last evaluation (${context.previousEvaluation?.fiscalYear}) was graded 差: record the results decision (cut, cancel, or keep with a reason) before approving`,
        'gate',
      );
    }
    const targetVersion = object.targetVersion + 1;
    const next = bump(object, now, { status: 'approved', reviews, targetVersion, approvedAt: at });
    return { next, history: entry(object, next, actor, 'approved into the project library', { ...historyExtra, targetVersion }), outcome: { kind: 'approved', targetVersion } };
  }

  const outcome = input.grade === 'poor' ? 'rejected' : 'returned';
  const rejection: Rejection = {
    stage: stage === 'department' ? 'department_review' : 'finance_review',
    outcome,
    reasons: [gradeReason(stage, input.grade, context.gradeLabel, record.comments)],
    grade: input.grade,
    at,
  };
  const next = bump(object, now, { status: outcome, reviews, lastRejection: rejection });
  return {
    next,
    history: entry(object, next, actor, outcome === 'rejected' ? 'rejected' : 'returned for revision', historyExtra),
    outcome: { kind: outcome, rejection },
  };
}

// ---------- mid-year revision ----------

export function submitRevision(object: SpendingObject, findings: readonly Finding[], reason: string, actor: WorkflowActor, now: Date): Transition<PendingRevision> {
  if (object.status !== 'approved') throw new TransitionError(`Only approved targets are revised mid-year; the object is ${object.status}`);
  if (object.revision) throw new TransitionError(`Revision ${object.revision.number} is still under review`);
  if (!reason.trim()) throw new TransitionError('A revision needs its reason', 'invalid', 'reason');
  const errors = findings.filter((f) => f.severity === 'error');
  if (errors.length > 0) throw new TransitionError(`The revised targets fail the automatic check (${errors.length} finding(s))`, 'invalid', 'targets');
  const revision: PendingRevision = { number: object.revisions + 1, stage: 'department_review', reason: reason.trim(), reviews: [], submittedAt: now.toISOString(), submittedBy: actor.sub };
  const next = bump(object, now, { revision, revisions: revision.number });
  return { next, history: entry(object, next, actor, 'submitted a mid-year revision', { reason: revision.reason, revision: revision.number }), outcome: revision };
}

function reviewRevision(object: SpendingObject, revision: PendingRevision, input: ReviewInput, actor: WorkflowActor, now: Date, gradeLabel: string): Transition<ReviewOutcome> {
  const stage = checkReviewer(revision.stage, object, actor);
  requireComments(input);
  const at = now.toISOString();
  const record: ReviewRecord = { stage, grade: input.grade, ...(input.comments?.trim() ? { comments: input.comments.trim() } : {}), by: actor.sub, at };
  const reviewed: PendingRevision = { ...revision, reviews: [...revision.reviews, record] };
  const extra = { grade: input.grade, revision: revision.number, ...(record.comments ? { reason: record.comments } : {}) };

  if (GRADES_THAT_PASS.includes(input.grade)) {
    if (stage === 'department') {
      const next = bump(object, now, { revision: { ...reviewed, stage: 'finance_review' } });
      return { next, history: entry(object, next, actor, 'revision passed department review', extra), outcome: { kind: 'revision_forwarded' } };
    }
    const targetVersion = object.targetVersion + 1;
    const { revision: _done, ...rest } = object;
    const next = bump(rest as SpendingObject, now, { targetVersion });
    return {
      next,
      history: entry(object, next, actor, 'revision approved', { ...extra, targetVersion }),
      outcome: { kind: 'revision_approved', targetVersion, revision: reviewed },
    };
  }
  const outcome = input.grade === 'poor' ? 'rejected' : 'returned';
  const rejection: Rejection = {
    stage: stage === 'department' ? 'department_review' : 'finance_review',
    outcome,
    reasons: [gradeReason(stage, input.grade, gradeLabel, record.comments)],
    grade: input.grade,
    at,
  };
  const { revision: _dropped, ...rest } = object;
  const next = bump(rest as SpendingObject, now, {});
  return {
    next,
    history: entry(object, next, actor, outcome === 'rejected' ? 'revision rejected' : 'revision returned', extra),
    outcome: { kind: outcome === 'rejected' ? 'revision_rejected' : 'revision_returned', rejection, revision: reviewed },
  };
}

// ---------- results gate ----------

export interface ResultsDecisionInput {
  decision: 'cut' | 'cancel' | 'keep';
  reason: string;
  /** For `cut`: the new annual total, 万元, below the current one; the cut comes off fiscal funds. */
  annualTotalWan?: number;
}

export function decideResults(
  object: SpendingObject,
  input: ResultsDecisionInput,
  previous: PreviousEvaluation | undefined,
  actor: WorkflowActor,
  now: Date,
): Transition<{ cancelled: boolean; rejection?: Rejection }> {
  if (!previous || previous.grade !== 'poor' || object.lifecycle !== 'continuing') {
    throw new TransitionError('No results decision is needed: the object does not continue one whose last evaluation was graded 差', 'state');
  }
  if (['approved', 'rejected', 'cancelled'].includes(object.status)) throw new TransitionError(`The object is already ${object.status}`);
  if (object.resultsDecision) {
    // One decision per object: a second one would rewrite what the first recorded (a keep after a cut).
    throw new TransitionError(`Finance already decided (${object.resultsDecision.decision}, ${object.resultsDecision.decidedAt}); the decision stands`);
  }
  if (!input.reason.trim()) throw new TransitionError('A results decision needs its reason', 'invalid', 'reason');

  const decision: ResultsDecision = {
    decision: input.decision,
    reason: input.reason.trim(),
    previousGrade: previous.grade,
    decidedAt: now.toISOString(),
    decidedBy: actor.sub,
  };
  let amounts = object.amounts;
  if (input.decision === 'cut') {
    if (object.spendingType === 'transfer_payment') {
      // One new total cannot say how the receiving regions' shares (and their targets) shrink.
      throw new TransitionError(
        'A transfer payment cannot be cut with one new total: grade it 中 with the new regional amounts in the comments, then keep it once the unit resubmits, or cancel it',
        'invalid',
        'decision',
      );
    }
    const target = input.annualTotalWan;
    if (target === undefined) throw new TransitionError('A cut needs the new annual total (annualTotalWan)', 'invalid', 'annualTotalWan');
    if (target >= object.amounts.annualTotalWan) {
      throw new TransitionError(`A cut must lower the annual total below ${object.amounts.annualTotalWan} 万元`, 'invalid', 'annualTotalWan');
    }
    const cut = object.amounts.annualTotalWan - target;
    if (cut > object.amounts.fiscalWan + 1e-6) {
      throw new TransitionError(`The cut of ${cut} 万元 exceeds the fiscal funds (${object.amounts.fiscalWan} 万元)`, 'invalid', 'annualTotalWan');
    }
    decision.previousAnnualTotalWan = object.amounts.annualTotalWan;
    amounts = { ...object.amounts, annualTotalWan: target, fiscalWan: Math.round((object.amounts.fiscalWan - cut) * 1e6) / 1e6 };
  }
  const summary = `results decision: ${input.decision} (last evaluation ${previous.fiscalYear} graded 差, score ${previous.totalScore})`;
  if (input.decision === 'cancel') {
    const rejection: Rejection = {
      stage: 'results_gate',
      outcome: 'rejected',
      reasons: [{ code: 'results_gate', message: `cancelled by finance: the ${previous.fiscalYear} evaluation was graded 差; ${decision.reason}` }],
      at: decision.decidedAt,
    };
    const next = bump(object, now, { status: 'cancelled', resultsDecision: decision, lastRejection: rejection });
    return { next, history: entry(object, next, actor, summary, { reason: decision.reason }), outcome: { cancelled: true, rejection } };
  }
  if (input.decision === 'cut' && (object.status === 'department_review' || object.status === 'finance_review')) {
    // Less money, same targets would approve outputs nobody pays for: the unit adjusts them to the new amount.
    const rejection: Rejection = {
      stage: 'results_gate',
      outcome: 'returned',
      reasons: [
        {
          code: 'results_gate',
          message: `finance cut the annual amount from ${decision.previousAnnualTotalWan} to ${amounts.annualTotalWan} 万元 (the ${previous.fiscalYear} evaluation was graded 差: ${decision.reason}); adjust the targets to the new amount and resubmit`,
        },
      ],
      at: decision.decidedAt,
    };
    const next = bump(object, now, { status: 'returned', resultsDecision: decision, amounts, reviews: [], lastRejection: rejection });
    return { next, history: entry(object, next, actor, summary, { reason: decision.reason }), outcome: { cancelled: false, rejection } };
  }
  const next = bump(object, now, { resultsDecision: decision, amounts });
  return { next, history: entry(object, next, actor, summary, { reason: decision.reason }), outcome: { cancelled: false } };
}

/**
 * What a unit may no longer change once finance decided at the results gate: not the link to the
 * evaluated predecessor or the lifecycle (that would sidestep the gate), and not an amount above a cut.
 */
export function changesAfterDecision(object: SpendingObject, changes: { lifecycle?: string; continues?: string; annualTotalWan?: number }): { field: string; message: string }[] {
  const decision = object.resultsDecision;
  if (!decision) return [];
  const violations: { field: string; message: string }[] = [];
  if (changes.lifecycle !== undefined && changes.lifecycle !== object.lifecycle) violations.push({ field: 'lifecycle', message: `finance decided on this object at the results gate (${decision.decision}); its lifecycle stays ${object.lifecycle}` });
  if (changes.continues !== undefined && changes.continues !== object.continues) violations.push({ field: 'continues', message: `finance decided on this object at the results gate (${decision.decision}); it stays linked to ${object.continues}` });
  if (decision.decision === 'cut' && changes.annualTotalWan !== undefined && changes.annualTotalWan > object.amounts.annualTotalWan + 1e-9) {
    violations.push({ field: 'amounts.annualTotalWan', message: `finance cut the annual amount to ${object.amounts.annualTotalWan} 万元; it cannot go back up` });
  }
  return violations;
}
