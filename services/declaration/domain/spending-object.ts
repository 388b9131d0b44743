/**
 * Spending objects (docs/domain.md section 2): a project, a department's overall spending or a
 * transfer payment, with its owner, year, sector and money. Pure: validation of what a unit
 * declares, and the shapes the workflow moves around.
 */
import type { SpendingType } from '../../../events/vocabulary.ts';
import type { ExAnteAssessment } from './ex-ante.ts';
import type { CriterionScores } from './review.ts';
import type { ReviewGrade, RuleViolation } from './rules.ts';
import type { Finding } from './target-check.ts';

export const OBJECT_STATUSES = [
  /** Being written by the unit. */
  'draft',
  /** Passed the automatic check; with the competent department. */
  'department_review',
  /** Passed the department; with finance. */
  'finance_review',
  /** Sent back (failed check, 中 grade, missing ex-ante): the unit fixes and resubmits. */
  'returned',
  /** 差: cannot enter this year's budget. */
  'rejected',
  /** In the project library, with approved targets. */
  'approved',
  /** Finance cancelled it at the results gate (last evaluation 差). */
  'cancelled',
] as const;
export type ObjectStatus = (typeof OBJECT_STATUSES)[number];

/** The unit may change what it declared only while it holds the object. */
export const EDITABLE: readonly ObjectStatus[] = ['draft', 'returned'];

export interface Amounts {
  mediumTermTotalWan?: number;
  annualTotalWan: number;
  fiscalWan: number;
  otherWan: number;
}

export interface ReceivingRegion {
  region: string;
  amountWan: number;
}

/** What a unit declares when it creates an object (scope comes from its token). */
export interface ObjectDeclaration {
  spendingType: SpendingType;
  name: string;
  fiscalYear: number;
  sector: string;
  /** New spending, or the continuation of spending already in the library. */
  lifecycle: 'new' | 'continuing';
  /** A continuing object at the end of its approved period, proposed for another one. */
  proposedForRenewal?: boolean;
  /** Projects and transfer payments run over a period; department overall spending is one year. */
  period?: { startYear: number; endYear: number };
  amounts: Amounts;
  /** The previous year's object this one continues (the results gate reads its evaluation). */
  continues?: string;
  /** Transfer payments: the receiving regions and their shares. */
  receivingRegions?: ReceivingRegion[];
  description?: string;
}

export interface ReviewRecord {
  stage: 'department' | 'finance';
  grade: ReviewGrade;
  /** The four criteria as scored (absent on a grade-only review). */
  criteria?: CriterionScores;
  /** Their weighted 0-100 score, which gave the grade. */
  score?: number;
  comments?: string;
  by: string;
  at: string;
}

export interface RejectionReason {
  code: string;
  message: string;
  row?: number;
  region?: string;
}

export interface Rejection {
  stage: 'check' | 'department_review' | 'finance_review' | 'results_gate';
  outcome: 'returned' | 'rejected';
  reasons: RejectionReason[];
  grade?: ReviewGrade;
  /** A review's weighted score and criteria, when it was scored. */
  score?: number;
  criteria?: CriterionScores;
  at: string;
}

export interface ExAnteRecord extends ExAnteAssessment {
  assessedAt: string;
  assessedBy: string;
  assessorRole: string;
}

/** The results gate: finance's decision on a continuing object whose last evaluation was 差. */
export interface ResultsDecision {
  decision: 'cut' | 'cancel' | 'keep';
  reason: string;
  previousGrade: ReviewGrade;
  /** Orders of the continued object not rectified or rectified late when finance decided (the gate's other reason). */
  unrectified?: number;
  /** For `cut`: the annual amount before the cut. */
  previousAnnualTotalWan?: number;
  decidedAt: string;
  decidedBy: string;
}

/**
 * New money a mid-year revision proposes with its targets (a revision for objective causes adjusts
 * both): this year's amounts and, for a transfer payment, the receiving regions' shares, with why.
 */
export interface AmountChange {
  amounts: Amounts;
  receivingRegions?: ReceivingRegion[];
  reason: string;
}

/** A mid-year revision of approved targets under review; the approved targets stand meanwhile. */
export interface PendingRevision {
  number: number;
  stage: 'department_review' | 'finance_review';
  reason: string;
  /** Set when the revision changes the money too; it takes effect with the targets, on approval. */
  amountChange?: AmountChange;
  reviews: ReviewRecord[];
  submittedAt: string;
  submittedBy: string;
}

export interface SpendingObject extends ObjectDeclaration {
  id: string;
  /** Optimistic-lock counter; every change adds one. */
  version: number;
  region: string;
  department: string;
  unit: string;
  proposedForRenewal: boolean;
  status: ObjectStatus;
  /** How often it was submitted (1 at the first submission). */
  submissions: number;
  /** Approved target version; 0 until first approval. */
  targetVersion: number;
  /** Reviews of the current submission round. */
  reviews: ReviewRecord[];
  lastRejection?: Rejection;
  exAnte?: ExAnteRecord;
  resultsDecision?: ResultsDecision;
  revision?: PendingRevision;
  /** Revisions submitted so far (approved or not). */
  revisions: number;
  /** The rule-parameter version the last submission was checked under. */
  rulesVersion?: number;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  approvedAt?: string;
}

const isAmount = (n: unknown): n is number => typeof n === 'number' && Number.isFinite(n) && n >= 0;

/** Amounts are to the fen (0.000001 万元); sums of binary floats are equal within half a fen. */
const sameAmount = (a: number, b: number) => Math.abs(a - b) < 5e-7;

/** Checks what cannot be expressed in the request schema: money adds up, periods make sense. */
export function checkDeclaration(d: ObjectDeclaration, region: string): RuleViolation[] {
  const violations: RuleViolation[] = [];
  const add = (field: string, message: string) => violations.push({ field, message });
  const { amounts } = d;

  for (const key of ['annualTotalWan', 'fiscalWan', 'otherWan'] as const) {
    if (!isAmount(amounts[key])) add(`amounts.${key}`, 'must be an amount in 万元, 0 or more');
  }
  if (violations.length === 0 && !sameAmount(amounts.fiscalWan + amounts.otherWan, amounts.annualTotalWan)) {
    add('amounts.annualTotalWan', `must equal fiscal funds + other funds (${amounts.fiscalWan} + ${amounts.otherWan} 万元)`);
  }
  if (amounts.mediumTermTotalWan !== undefined) {
    if (!isAmount(amounts.mediumTermTotalWan)) add('amounts.mediumTermTotalWan', 'must be an amount in 万元, 0 or more');
    else if (amounts.mediumTermTotalWan + 1e-6 < amounts.annualTotalWan) {
      add('amounts.mediumTermTotalWan', `cannot be below this year's total (${amounts.annualTotalWan} 万元)`);
    }
  }

  if (d.spendingType === 'department_overall') {
    if (d.period && (d.period.startYear !== d.fiscalYear || d.period.endYear !== d.fiscalYear)) {
      add('period', 'department overall spending covers its fiscal year only');
    }
  } else {
    if (!d.period) add('period', 'give the period the spending runs over (startYear, endYear)');
    else {
      if (d.period.endYear < d.period.startYear) add('period.endYear', 'cannot be before startYear');
      if (d.fiscalYear < d.period.startYear || d.fiscalYear > d.period.endYear) {
        add('fiscalYear', `must lie within the period ${d.period.startYear}-${d.period.endYear}`);
      }
    }
  }

  if (d.lifecycle === 'new') {
    if (d.continues) add('continues', 'a new object continues nothing; declare it as continuing');
    if (d.proposedForRenewal) add('proposedForRenewal', 'only a continuing object can be proposed for renewal');
  }

  if (d.spendingType === 'transfer_payment') {
    const receiving = d.receivingRegions ?? [];
    if (receiving.length === 0) add('receivingRegions', 'list the receiving regions and their amounts (万元)');
    const seen = new Set<string>();
    let sum = 0;
    receiving.forEach((r, i) => {
      if (r.region === region) add(`receivingRegions[${i}].region`, 'a region does not transfer to itself');
      if (seen.has(r.region)) add(`receivingRegions[${i}].region`, `lists ${r.region} twice`);
      seen.add(r.region);
      if (!isAmount(r.amountWan)) add(`receivingRegions[${i}].amountWan`, 'must be an amount in 万元, 0 or more');
      else sum += r.amountWan;
    });
    if (receiving.length > 0 && !sameAmount(sum, amounts.annualTotalWan)) {
      add('receivingRegions', `the regional amounts add up to ${Math.round(sum * 10000) / 10000} 万元, they must add up to the annual total ${amounts.annualTotalWan} 万元`);
    }
  } else if (d.receivingRegions?.length) {
    add('receivingRegions', 'only transfer payments have receiving regions');
  }
  return violations;
}

/** The object as it would be with the revised money: what the revised targets are checked against. */
export function withAmountChange(object: SpendingObject, change: AmountChange | undefined): SpendingObject {
  if (!change) return object;
  return { ...object, amounts: change.amounts, ...(change.receivingRegions ? { receivingRegions: change.receivingRegions } : {}) };
}

/**
 * What is wrong with a revision's new money, fields relative to the change: it needs its reason,
 * the amounts add up as at declaration, and a transfer payment's shares (the new ones, or the
 * current ones when it sends none) add up to the new total.
 */
export function checkAmountChange(object: SpendingObject, change: AmountChange): RuleViolation[] {
  const violations: RuleViolation[] = [];
  if (!change.reason.trim()) violations.push({ field: 'reason', message: 'say why the money changes (the objective cause, the decision that adjusts it)' });
  const revised = withAmountChange(object, change);
  for (const v of checkDeclaration(revised, object.region)) {
    // The period and the lifecycle are not part of the change; only what the change carries can be wrong.
    if (v.field.startsWith('amounts') || v.field.startsWith('receivingRegions')) violations.push(v);
  }
  return violations;
}

/** The warnings of a check become the reviewers' notes; errors the unit's to-do list. */
export function reasonsFromFindings(findings: readonly (Finding & { region?: string })[]): RejectionReason[] {
  return findings
    .filter((f) => f.severity === 'error')
    .map((f) => ({ code: f.code, message: f.message, ...(f.row !== undefined ? { row: f.row } : {}), ...(f.region ? { region: f.region } : {}) }));
}
