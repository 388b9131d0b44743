/**
 * The results gate (docs/domain.md section 2, "Application"): finance's decision on a continuing
 * object whose last evaluation was graded 差 (cut, cancel, or keep with a reason), and what the
 * unit may no longer change once it is made. Whether a decision is needed before approval is the
 * workflow's check (workflow.ts `resultsDecisionNeeded`). Pure state transitions.
 */
import type { ResultsDecision, Rejection, SpendingObject } from './spending-object.ts';
import { unrectified, type RectificationSummary } from '../../../shared/pure/rectification-status.ts';
import type { DeclarationRules } from './rules.ts';
import { bump, entry, resultsDecisionReason, TransitionError, type PreviousEvaluation, type Transition, type WorkflowActor } from './workflow.ts';

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
  rectification?: RectificationSummary,
  gate?: DeclarationRules['resultsGate'],
): Transition<{ cancelled: boolean; rejection?: Rejection }> {
  const why = object.resultsDecision ? undefined : resultsDecisionReason(object, previous, rectification, gate);
  if (!object.resultsDecision && (!previous || !why)) {
    throw new TransitionError('No results decision is needed: the object does not continue one whose last evaluation was graded 差 or whose rectification orders are not rectified', 'state');
  }
  if (['approved', 'rejected', 'cancelled'].includes(object.status)) throw new TransitionError(`The object is already ${object.status}`);
  if (object.resultsDecision) {
    // One decision per object: a second one would rewrite what the first recorded (a keep after a cut).
    throw new TransitionError(`Finance already decided (${object.resultsDecision.decision}, ${object.resultsDecision.decidedAt}); the decision stands`);
  }
  if (!input.reason.trim()) throw new TransitionError('A results decision needs its reason', 'invalid', 'reason');

  const open = rectification ? unrectified(rectification) : 0;
  const decision: ResultsDecision = {
    decision: input.decision,
    reason: input.reason.trim(),
    previousGrade: (previous as PreviousEvaluation).grade,
    ...(open > 0 ? { unrectified: open } : {}),
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
  const last = previous as PreviousEvaluation;
  // Graded 差: the wording of before; otherwise the unrectified orders are why.
  const poor = last.grade === 'poor';
  const summary = `results decision: ${input.decision} (${poor ? `last evaluation ${last.fiscalYear} graded 差` : why}, score ${last.totalScore})`;
  const because = poor ? `the ${last.fiscalYear} evaluation was graded 差` : (why ?? '');
  if (input.decision === 'cancel') {
    const rejection: Rejection = {
      stage: 'results_gate',
      outcome: 'rejected',
      reasons: [{ code: 'results_gate', message: `cancelled by finance: ${because}; ${decision.reason}` }],
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
          message: `finance cut the annual amount from ${decision.previousAnnualTotalWan} to ${amounts.annualTotalWan} 万元 (${because}: ${decision.reason}); adjust the targets to the new amount and resubmit`,
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
