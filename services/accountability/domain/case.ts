/**
 * Accountability cases (问责): opened by a trigger (domain/case-triggers.ts: red deviation
 * uncorrected for N windows, 差 N years running) or by hand by a supervisor or finance; entries (notes, evidence)
 * while open; a decision with its outcome and reasons; closed (after a decision, or directly with
 * reasons when there is nothing to decide, e.g. the facts do not hold).
 *
 *   open ──decision──▶ decided ──close──▶ closed
 *   open ─────────────close (reasons)───▶ closed
 *
 * Every step is a chained entry (domain/chain.ts); the case record keeps the head of the chain.
 * Pure.
 */
import { createHash } from 'node:crypto';
import type { ChainActor } from './chain.ts';

export const CASE_STATUSES = ['open', 'decided', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const CASE_ENTRY_TYPES = ['opened', 'note', 'evidence', 'decision', 'closed'] as const;
export type CaseEntryType = (typeof CASE_ENTRY_TYPES)[number];

/** Which trigger opened a case, stored as its `rule` (`manual`: a supervisor or finance by hand). */
export const CASE_TRIGGERS = ['poor_grade_years', 'red_windows_uncorrected', 'manual'] as const;
export type CaseTrigger = (typeof CASE_TRIGGERS)[number];

/**
 * Outcomes of a decision: no action (the facts do not justify one), 约谈 (admonition talk),
 * 通报批评 (public criticism), 收回资金 (fund recovery), 扣减预算 (budget cut), 移送纪检监察
 * (referral to the discipline inspection and supervision organs).
 */
export const CASE_OUTCOMES = ['no_action', 'admonition', 'criticism', 'fund_recovery', 'budget_cut', 'referral'] as const;
export type CaseOutcome = (typeof CASE_OUTCOMES)[number];

export const OUTCOME_LABELS: Record<CaseOutcome, string> = {
  no_action: '不予问责',
  admonition: '约谈',
  criticism: '通报批评',
  fund_recovery: '收回资金',
  budget_cut: '扣减预算',
  referral: '移送纪检监察',
};

export interface CaseObject {
  id: string;
  type: 'project' | 'department_overall' | 'transfer_payment';
  name: string;
  fiscalYear: number;
  region: string;
  department: string;
  unit: string;
  continues?: string;
}

/** What a trigger saw when it opened the case. */
export interface CaseBasis {
  /** poor_grade_years: the object and its predecessors, newest first, each graded 差. */
  years?: { objectId: string; fiscalYear: number; grade: string }[];
  /** red_windows_uncorrected: the consecutive red windows, oldest first. */
  windows?: { windowId: string; label: string; throughMonth: number }[];
  /** The version of the year's rules the trigger ran under (0: defaults). */
  paramsVersion?: number;
  /** The event that completed the trigger's condition. */
  eventId?: string;
}

export interface CaseDecision {
  outcome: CaseOutcome;
  reasons: string[];
  /** fund_recovery and budget_cut: the amount (万元). */
  amountWan?: number;
  /** referral: the organ referred to. */
  referredTo?: string;
  decidedAt: string;
  decidedBy: string;
}

export interface AccountabilityCase {
  id: string;
  /** +1 per entry; the ETag. */
  version: number;
  region: string;
  fiscalYear: number;
  rule: CaseTrigger;
  /** What the case is about: the object's name, or the free subject given by hand. */
  subject: string;
  object?: CaseObject;
  /** The department concerned (the object's, or given by hand). */
  department?: string;
  reason: string;
  basis?: CaseBasis;
  status: CaseStatus;
  openedAt: string;
  openedBy: string;
  decision?: CaseDecision;
  closedAt?: string;
  closedBy?: string;
  closeReasons?: string[];
  updatedAt: string;
  /** The chain head: the last entry's seq and hash. */
  lastSeq: number;
  lastHash: string;
}

export type CaseAction = 'open' | 'note' | 'evidence' | 'decide' | 'close' | 'read';

/** Who may do what with cases: supervisors and finance open, annotate and read; finance decides and closes. */
export function mayAct(role: string, action: CaseAction): boolean {
  switch (action) {
    case 'open':
    case 'note':
    case 'evidence':
    case 'read':
      return role === 'finance' || role === 'supervisor';
    case 'decide':
    case 'close':
      return role === 'finance';
  }
}

export interface Violation {
  field: string;
  message: string;
}

export interface DecisionInput {
  outcome: CaseOutcome;
  reasons: string[];
  amountWan?: number;
  referredTo?: string;
}

const blank = (s: unknown) => typeof s !== 'string' || s.trim() === '';

/** The checks a decision must pass; fields are relative to the request body. */
export function decisionViolations(c: Pick<AccountabilityCase, 'status'>, d: DecisionInput): { state?: string; violations: Violation[] } {
  if (c.status !== 'open') return { state: `The case is ${c.status}; only an open case is decided`, violations: [] };
  const violations: Violation[] = [];
  if (!(CASE_OUTCOMES as readonly string[]).includes(d.outcome)) violations.push({ field: 'outcome', message: `must be one of ${CASE_OUTCOMES.join(', ')}` });
  if (!Array.isArray(d.reasons) || d.reasons.length === 0 || d.reasons.some(blank)) violations.push({ field: 'reasons', message: 'every decision states its reasons (at least one, none blank)' });
  if (d.outcome === 'fund_recovery' || d.outcome === 'budget_cut') {
    if (typeof d.amountWan !== 'number' || !(d.amountWan > 0)) violations.push({ field: 'amountWan', message: `${OUTCOME_LABELS[d.outcome]} needs the amount in 万元 (more than 0)` });
  } else if (d.amountWan !== undefined) violations.push({ field: 'amountWan', message: `only fund_recovery and budget_cut carry an amount, not ${d.outcome}` });
  if (d.outcome === 'referral') {
    if (blank(d.referredTo)) violations.push({ field: 'referredTo', message: 'a referral names the organ it goes to (e.g. 市纪委监委)' });
  } else if (d.referredTo !== undefined) violations.push({ field: 'referredTo', message: `only a referral names an organ, not ${d.outcome}` });
  return { violations };
}

export function decide(c: AccountabilityCase, d: DecisionInput, actor: ChainActor, at: string): AccountabilityCase {
  return {
    ...c,
    status: 'decided',
    decision: {
      outcome: d.outcome,
      reasons: d.reasons.map((r) => r.trim()),
      ...(d.amountWan !== undefined ? { amountWan: d.amountWan } : {}),
      ...(d.referredTo !== undefined ? { referredTo: d.referredTo.trim() } : {}),
      decidedAt: at,
      decidedBy: actor.sub,
    },
    updatedAt: at,
  };
}

/** Closing: after a decision, or straight from open with the reasons why nothing is decided. */
export function closeViolations(c: Pick<AccountabilityCase, 'status'>, reasons: string[] | undefined): { state?: string; violations: Violation[] } {
  if (c.status === 'closed') return { state: 'The case is already closed', violations: [] };
  if (c.status === 'open' && (!reasons || reasons.length === 0 || reasons.some(blank))) {
    return { violations: [{ field: 'reasons', message: 'closing a case without a decision needs the reasons (e.g. the facts do not hold)' }] };
  }
  if (reasons?.some(blank)) return { violations: [{ field: 'reasons', message: 'no reason may be blank' }] };
  return { violations: [] };
}

export function close(c: AccountabilityCase, reasons: string[] | undefined, actor: ChainActor, at: string): AccountabilityCase {
  return { ...c, status: 'closed', closedAt: at, closedBy: actor.sub, ...(reasons?.length ? { closeReasons: reasons.map((r) => r.trim()) } : {}), updatedAt: at };
}

/** Notes and evidence are added while the case is not closed. */
export function entryViolation(c: Pick<AccountabilityCase, 'status'>): string | undefined {
  return c.status === 'closed' ? 'The case is closed; its record can no longer be added to' : undefined;
}

/** The case a trigger opens about an object: one per (trigger, object), so a redelivered event cannot open a second. */
export function triggeredCaseId(trigger: Exclude<CaseTrigger, 'manual'>, objectId: string): string {
  return `case_${createHash('sha256').update(`${trigger}#${objectId}`).digest('hex').slice(0, 24)}`;
}
