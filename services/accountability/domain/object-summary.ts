/**
 * The accountability service's summary of one spending object in one fiscal year, folded from
 * the events of the declaration, monitoring and evaluation services. Assessments (考核) and the
 * People's Congress report aggregate these; nothing here is entered by hand.
 *
 * Amounts are 万元. Grades use the event vocabulary (excellent/good/fair/poor = 优/良/中/差).
 */
import { EVALUATION_KIND_RANK, type EvaluationKind } from '../../../events/evaluation.ts';
import { foldKeyReport, type KeyReport } from './key-reports.ts';
export type Grade = 'excellent' | 'good' | 'fair' | 'poor';
export type Light = 'green' | 'yellow' | 'red';
export type SpendingType = 'project' | 'department_overall' | 'transfer_payment';

export type { EvaluationKind } from '../../../events/evaluation.ts';

export interface EvaluationResult {
  score: number;
  grade: Grade;
  at: string;
  evaluationId?: string;
}

export interface ObjectSummary {
  objectId: string;
  spendingType: SpendingType;
  name: string;
  fiscalYear: number;
  region: string;
  department: string;
  unit: string;
  sector?: string;
  /** The previous year's object this one continues, when the declaration named it. */
  continues?: string;
  declaration: {
    /** DeclarationSubmitted events (first submission and resubmissions). */
    submissions: number;
    /** TargetRejected with outcome `returned` (the unit fixes and resubmits). */
    returned: number;
    /** TargetRejected with outcome `rejected`: the object cannot enter this year's budget. */
    rejected: boolean;
    /** Set once targets are approved (TargetApproved). */
    approvedAt?: string;
    /** Annual total of the approved targets (万元). */
    amountWan?: number;
    targetVersion?: number;
    /** Approved mid-year revisions (TargetRevised). */
    revisions: number;
    exAnteConclusion?: 'support' | 'support_after_adjustment' | 'not_supported';
  };
  monitoring: {
    /** MonitoringReported events. */
    reports: number;
    lastLight?: Light;
    lastWindowLabel?: string;
    /**
     * Windows with a deviation (MonitoringDeviation; a corrected report that deviates again in the
     * same window is the same deviation, so windows are counted, not events), and how many were red.
     */
    deviations: number;
    redDeviations: number;
    /** Deviations cleared (DeviationCorrected), counted by the window that raised them. */
    corrected: number;
    reminders: number;
    escalations: number;
    fundingPauseRecommended: boolean;
    /** Window id → the worst light of its deviation (the basis of `deviations` and `redDeviations`). */
    deviationWindows?: Record<string, 'yellow' | 'red'>;
    /** Window ids whose deviation was corrected (the basis of `corrected`). */
    correctedWindows?: string[];
    /** Order of the report behind `lastLight`: the latest window (by month), then the latest revision. */
    lastThroughMonth?: number;
    lastRevision?: number;
  };
  evaluation: {
    self?: EvaluationResult;
    financeReview?: EvaluationResult;
    key?: EvaluationResult;
    /** The grade that counts: key over finance review over self. */
    finalGrade?: Grade;
    finalScore?: number;
  };
  /**
   * The object's key evaluation reports with the People's Congress ratings of each
   * (key-reports.ts); absent until the first EvaluationCompleted (key) or KeyEvaluationRated.
   */
  keyReports?: KeyReport[];
  application?: {
    recommendation: 'priority' | 'maintain' | 'improve' | 'cut' | 'cancel';
    currentAmountWan: number;
    proposedAmountWan: number;
    proposedAdjustment: number;
    /** Which evaluation the recommendation came from (the one that counts, as for the grade) and when. */
    kind?: EvaluationKind;
    at?: string;
  };
  /** occurredAt of the latest event folded in. */
  updatedAt: string;
}

// ---------- the fold ----------

/** The event as the fold sees it: its type, meta and (already schema-checked) data. */
export interface FoldableEvent {
  detailType: string;
  meta: { eventId: string; occurredAt: string };
  data: unknown;
}

/** Event types the fold reads; every other type leaves a summary as it is. */
export const FOLDED_EVENT_TYPES = [
  'DeclarationSubmitted',
  'TargetRejected',
  'TargetApproved',
  'TargetRevised',
  'ExAnteAssessed',
  'MonitoringReported',
  'MonitoringDeviation',
  'DeviationCorrected',
  'FundingPauseRecommended',
  'MonitoringReminderSent',
  'MonitoringEscalated',
  'EvaluationCompleted',
  'BudgetAdjustmentRecommended',
  'KeyEvaluationRated',
] as const;

interface EventObject {
  id: string;
  spendingType?: SpendingType;
  type?: SpendingType;
  name: string;
  fiscalYear: number;
  region: string;
  department: string;
  unit: string;
  sector?: string;
  continues?: string;
}

/** Where an event carries its object: `data.object`, or the approved snapshot's object. */
export function objectOfEvent(data: unknown): EventObject | undefined {
  const d = data as { object?: EventObject; snapshot?: { object?: EventObject } } | undefined;
  const o = d?.object ?? d?.snapshot?.object;
  return o && typeof o.id === 'string' && typeof o.fiscalYear === 'number' ? o : undefined;
}

const KIND_FIELD = { self: 'self', finance_review: 'financeReview', key: 'key' } as const;

function emptySummary(o: EventObject, at: string): ObjectSummary {
  return {
    objectId: o.id,
    spendingType: (o.spendingType ?? o.type) as SpendingType,
    name: o.name,
    fiscalYear: o.fiscalYear,
    region: o.region,
    department: o.department,
    unit: o.unit,
    ...(o.sector ? { sector: o.sector } : {}),
    ...(o.continues ? { continues: o.continues } : {}),
    declaration: { submissions: 0, returned: 0, rejected: false, revisions: 0 },
    monitoring: { reports: 0, deviations: 0, redDeviations: 0, corrected: 0, reminders: 0, escalations: 0, fundingPauseRecommended: false },
    evaluation: {},
    updatedAt: at,
  };
}

const laterOf = (a: string, b: string) => (Date.parse(a) >= Date.parse(b) ? a : b);

/**
 * Folds one event into the summary of its object. Pure; the result does not depend on the
 * order events arrive in (counters add up, "latest" facts compare their own timestamps,
 * window months or target versions rather than arrival order). Redelivery is the caller's
 * concern (summaries.ts keeps the folded event ids). Returns `current` unchanged for events
 * the fold does not read; undefined when there is nothing yet and the event names no object.
 */
export function foldEvent(current: ObjectSummary | undefined, event: FoldableEvent): ObjectSummary | undefined {
  if (!(FOLDED_EVENT_TYPES as readonly string[]).includes(event.detailType)) return current;
  const o = objectOfEvent(event.data);
  if (!o) return current;
  if (current && current.objectId !== o.id) return current;
  const base = current ?? emptySummary(o, event.meta.occurredAt);
  const s: ObjectSummary = structuredClone(base);
  // Object facts: fill what an earlier event did not carry (EvaluationCompleted has no sector).
  if (!s.sector && o.sector) s.sector = o.sector;
  if (!s.continues && o.continues) s.continues = o.continues;
  s.updatedAt = laterOf(s.updatedAt, event.meta.occurredAt);
  const data = event.data as Record<string, any>;

  switch (event.detailType) {
    case 'DeclarationSubmitted':
      s.declaration.submissions += 1;
      break;
    case 'TargetRejected':
      // A turned-down mid-year revision leaves the approved targets standing: not a return of the object.
      if (data.revision !== undefined) break;
      if (data.outcome === 'returned') s.declaration.returned += 1;
      else if (data.outcome === 'rejected') s.declaration.rejected = true;
      break;
    case 'TargetApproved':
    case 'TargetRevised': {
      const snap = data.snapshot as { targetVersion: number; approvedAt: string; amounts: { annualTotalWan: number }; exAnte?: { conclusion: ObjectSummary['declaration']['exAnteConclusion'] } };
      if (event.detailType === 'TargetRevised') s.declaration.revisions += 1;
      // approvedAt: the first approval (version 1 when it arrives; the earliest seen otherwise).
      const firstApproval = event.detailType === 'TargetApproved' ? snap.approvedAt : undefined;
      if (firstApproval && (!s.declaration.approvedAt || Date.parse(firstApproval) < Date.parse(s.declaration.approvedAt))) s.declaration.approvedAt = firstApproval;
      if (!s.declaration.approvedAt && event.detailType === 'TargetRevised') s.declaration.approvedAt = snap.approvedAt;
      if (s.declaration.targetVersion === undefined || snap.targetVersion >= s.declaration.targetVersion) {
        s.declaration.targetVersion = snap.targetVersion;
        s.declaration.amountWan = snap.amounts.annualTotalWan;
        if (snap.exAnte?.conclusion && !s.declaration.exAnteConclusion) s.declaration.exAnteConclusion = snap.exAnte.conclusion;
      }
      break;
    }
    case 'ExAnteAssessed':
      // The assessment itself is newer than whatever a snapshot copied.
      s.declaration.exAnteConclusion = data.conclusion;
      break;
    case 'MonitoringReported': {
      s.monitoring.reports += 1;
      const month = data.window.throughMonth as number;
      const revision = data.revision as number;
      const lastMonth = s.monitoring.lastThroughMonth ?? 0;
      if (month > lastMonth || (month === lastMonth && revision >= (s.monitoring.lastRevision ?? 0))) {
        s.monitoring.lastThroughMonth = month;
        s.monitoring.lastRevision = revision;
        s.monitoring.lastLight = data.light;
        s.monitoring.lastWindowLabel = data.window.label;
      }
      break;
    }
    case 'MonitoringDeviation': {
      const windows = { ...(s.monitoring.deviationWindows ?? {}) };
      const before = windows[data.window.id];
      windows[data.window.id] = before === 'red' || data.light === 'red' ? 'red' : 'yellow';
      s.monitoring.deviationWindows = windows;
      s.monitoring.deviations = Object.keys(windows).length;
      s.monitoring.redDeviations = Object.values(windows).filter((l) => l === 'red').length;
      break;
    }
    case 'DeviationCorrected': {
      const corrected = new Set(s.monitoring.correctedWindows ?? []);
      corrected.add(data.raisedInWindow);
      s.monitoring.correctedWindows = [...corrected].sort();
      s.monitoring.corrected = corrected.size;
      break;
    }
    case 'FundingPauseRecommended':
      s.monitoring.fundingPauseRecommended = true;
      break;
    case 'MonitoringReminderSent':
      s.monitoring.reminders += 1;
      break;
    case 'MonitoringEscalated':
      s.monitoring.escalations += 1;
      break;
    case 'EvaluationCompleted': {
      const kind = data.kind as EvaluationKind;
      const field = KIND_FIELD[kind];
      const result: EvaluationResult = { score: data.totalScore, grade: data.grade, at: data.completedAt, evaluationId: data.evaluationId };
      const before = s.evaluation[field];
      if (!before || Date.parse(result.at) >= Date.parse(before.at)) s.evaluation[field] = result;
      const counting = s.evaluation.key ?? s.evaluation.financeReview ?? s.evaluation.self;
      if (counting) {
        s.evaluation.finalGrade = counting.grade;
        s.evaluation.finalScore = counting.score;
      }
      if (kind === 'key') s.keyReports = foldKeyReport(s.keyReports, { evaluationId: data.evaluationId, score: data.totalScore, grade: data.grade, evaluatedAt: data.completedAt });
      break;
    }
    case 'KeyEvaluationRated': {
      const rating = {
        satisfaction: data.satisfaction,
        ...(data.comments ? { comments: data.comments } : {}),
        ...(data.remarks ? { remarks: data.remarks } : {}),
        ratedBy: data.ratedBy,
        ratedAt: data.ratedAt,
      };
      s.keyReports = foldKeyReport(s.keyReports, { evaluationId: data.evaluationId, score: data.totalScore, grade: data.grade, evaluatedAt: data.evaluatedAt }, rating);
      break;
    }
    case 'BudgetAdjustmentRecommended': {
      const kind = data.kind as EvaluationKind;
      const before = s.application;
      const beforeRank = before?.kind ? EVALUATION_KIND_RANK[before.kind] : -1;
      const replaces = !before || EVALUATION_KIND_RANK[kind] > beforeRank || (EVALUATION_KIND_RANK[kind] === beforeRank && Date.parse(data.recommendedAt) >= Date.parse(before.at ?? '1970-01-01T00:00:00Z'));
      if (replaces) {
        s.application = {
          recommendation: data.recommendation,
          currentAmountWan: data.currentAmountWan,
          proposedAmountWan: data.proposedAmountWan,
          proposedAdjustment: data.proposedAdjustment,
          kind,
          at: data.recommendedAt,
        };
      }
      break;
    }
  }
  return s;
}
