/**
 * The accountability service's summary of one spending object in one fiscal year, folded from
 * the events of the declaration, monitoring and evaluation services. Assessments (考核) and the
 * People's Congress report aggregate these; nothing here is entered by hand.
 *
 * Amounts are 万元. Grades use the event vocabulary (excellent/good/fair/poor = 优/良/中/差).
 */
export type Grade = 'excellent' | 'good' | 'fair' | 'poor';
export type Light = 'green' | 'yellow' | 'red';
export type SpendingType = 'project' | 'department_overall' | 'transfer_payment';

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
    /** MonitoringDeviation events, and how many were red. */
    deviations: number;
    redDeviations: number;
    /** DeviationCorrected events. */
    corrected: number;
    reminders: number;
    escalations: number;
    fundingPauseRecommended: boolean;
  };
  evaluation: {
    self?: { score: number; grade: Grade; at: string };
    financeReview?: { score: number; grade: Grade; at: string };
    key?: { score: number; grade: Grade; at: string };
    /** The grade that counts: key over finance review over self. */
    finalGrade?: Grade;
    finalScore?: number;
  };
  application?: {
    recommendation: 'priority' | 'maintain' | 'improve' | 'cut' | 'cancel';
    currentAmountWan: number;
    proposedAmountWan: number;
    proposedAdjustment: number;
  };
  /** occurredAt of the latest event folded in. */
  updatedAt: string;
}
