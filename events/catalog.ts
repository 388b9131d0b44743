/**
 * The event catalog: every event any service publishes, with its producer, consumers,
 * version and detail schema; each has an example in `events/examples/` (see examples.ts, kept
 * out of this module so consumers do not bundle them). Consumers import schemas only from `events/`.
 * `npm run events:schemas` writes `events/schemas/<Name>.v<version>.json` from here.
 */
import type * as z from 'zod/mini';
import { eventSource, workEventSource } from './sources.ts';
import type { ServiceName } from './services.ts';
import {
  DeclarationSubmittedDetail,
  ExAnteAssessedDetail,
  TargetApprovedDetail,
  TargetRejectedDetail,
  TargetRevisedDetail,
} from './declaration.ts';
import { BudgetAdjustmentRecommendedDetail, EvaluationCompletedDetail, EvaluationSubmittedDetail } from './evaluation.ts';
import { KeyEvaluationRatedDetail } from './evaluation-ratings.ts';
import {
  AccountabilityCaseDecidedDetail,
  AccountabilityCaseOpenedDetail,
  RectificationClosedDetail,
  RectificationOrderedDetail,
  RectificationOverdueDetail,
} from './accountability-cases.ts';
import { DisclosurePublishedDetail, DisclosureWithdrawnDetail } from './accountability-disclosure.ts';
import { SupervisorAlertRaisedDetail } from './accountability-alerts.ts';
import { AssessmentPublishedDetail } from './accountability-assessments.ts';
import { ExecutionBatchQueuedDetail } from './monitoring-ingest.ts';
import { DashboardBuildQueuedDetail } from './monitoring-views.ts';
import {
  DeviationCorrectedDetail,
  FundingPauseRecommendedDetail,
  IdleFundsRecoveryRecommendedDetail,
  MonitoringDeviationDetail,
  MonitoringEscalatedDetail,
  MonitoringReminderSentDetail,
  MonitoringReportedDetail,
} from './monitoring.ts';
import {
  IndicatorImportChunkQueuedDetail,
  IndicatorPublishedDetail,
  IndicatorRetiredDetail,
  IndicatorRevisedDetail,
  TemplatePublishedDetail,
  TemplateRetiredDetail,
} from './indicators.ts';

export interface CatalogEntry {
  readonly name: string;
  readonly version: number;
  readonly producer: ServiceName;
  readonly consumers: readonly ServiceName[];
  readonly description: string;
  readonly detail: z.ZodMiniType;
  /**
   * The producer does not publish it yet (its service is still to be built); consumers are
   * built and tested against the schema and example meanwhile.
   */
  readonly planned?: true;
  /**
   * An internal work item: the producer sends it to its own workers under its work source
   * (`jixiao-work.<service>`), so no other service's subscription sees or names it.
   */
  readonly internal?: true;
}

export const catalog = [
  {
    name: 'IndicatorPublished',
    version: 1,
    producer: 'indicators',
    consumers: ['accountability', 'declaration', 'indicators'],
    description: 'A library indicator was published (or re-published downward to a lower region) and can be used in new performance targets.',
    detail: IndicatorPublishedDetail,
  },
  {
    name: 'IndicatorRevised',
    version: 1,
    producer: 'indicators',
    consumers: ['accountability', 'declaration', 'indicators'],
    description: 'A published indicator got a new revision ("dynamic adjustment"), with the reason; earlier revisions stay readable.',
    detail: IndicatorRevisedDetail,
  },
  {
    name: 'IndicatorRetired',
    version: 1,
    producer: 'indicators',
    consumers: ['accountability', 'declaration', 'indicators'],
    description: 'An indicator was retired: readable for history, not usable in new targets.',
    detail: IndicatorRetiredDetail,
  },
  {
    name: 'TemplatePublished',
    version: 1,
    producer: 'indicators',
    consumers: ['accountability', 'indicators'],
    description: 'A "3+X" template (recommended indicators for a spending type, sector and year) was published or revised.',
    detail: TemplatePublishedDetail,
  },
  {
    name: 'TemplateRetired',
    version: 1,
    producer: 'indicators',
    consumers: ['accountability', 'indicators'],
    description: 'A 3+X template was retired: no longer recommended; readable for history.',
    detail: TemplateRetiredDetail,
  },
  {
    name: 'IndicatorImportChunkQueued',
    version: 1,
    internal: true,
    producer: 'indicators',
    consumers: ['indicators'],
    description: 'Internal: a chunk of a large indicator import was queued for the importer (progress at GET /v1/indicators/imports/{jobId}).',
    detail: IndicatorImportChunkQueuedDetail,
  },
  {
    name: 'EvaluationCompleted',
    version: 1,
    producer: 'evaluation',
    consumers: ['indicators', 'declaration', 'accountability'],
    description: 'An evaluation of a spending object was completed with its score, grade and per-indicator results.',
    detail: EvaluationCompletedDetail,
  },
  {
    name: 'ExAnteAssessed',
    version: 1,
    producer: 'declaration',
    consumers: ['accountability'],
    description: 'An ex-ante assessment of a spending object was recorded: five dimension scores, total, conclusion (with any finance override) and recommended ceiling.',
    detail: ExAnteAssessedDetail,
  },
  {
    name: 'DeclarationSubmitted',
    version: 1,
    producer: 'declaration',
    consumers: ['accountability'],
    description: "A unit's targets passed the automatic check and went to the competent department for review; warnings are for the reviewers.",
    detail: DeclarationSubmittedDetail,
  },
  {
    name: 'TargetRejected',
    version: 1,
    producer: 'declaration',
    consumers: ['accountability'],
    description: 'Targets were kept out of the project library (failed check, missing or unsupportive ex-ante assessment, 中 or 差 grade, cancelled at the results gate), with every reason.',
    detail: TargetRejectedDetail,
  },
  {
    name: 'TargetApproved',
    version: 1,
    producer: 'declaration',
    consumers: ['monitoring', 'evaluation', 'accountability'],
    description: 'Finance approved the targets: the object is in the project library; the event carries the full approved snapshot, the baseline for monitoring and evaluation.',
    detail: TargetApprovedDetail,
  },
  {
    name: 'TargetRevised',
    version: 1,
    producer: 'declaration',
    consumers: ['monitoring', 'evaluation', 'accountability'],
    description: 'A mid-year revision of approved targets was approved; the event carries the new snapshot (every version is kept).',
    detail: TargetRevisedDetail,
  },
  {
    name: 'MonitoringReported',
    version: 1,
    producer: 'monitoring',
    // monitoring itself: a report moves its object in the window's dashboard view (jobs/views.ts).
    consumers: ['evaluation', 'accountability', 'monitoring'],
    description: "A unit reported an object's execution and target progress for a monitoring window (or corrected its report); carries the computed lights.",
    detail: MonitoringReportedDetail,
  },
  {
    name: 'MonitoringDeviation',
    version: 1,
    producer: 'monitoring',
    consumers: ['accountability'],
    description: 'A report left an object yellow or red: the rows that caused it (execution and/or indicators), each with its severity, cause and corrective measures.',
    detail: MonitoringDeviationDetail,
  },
  {
    name: 'DeviationCorrected',
    version: 1,
    producer: 'monitoring',
    consumers: ['accountability'],
    description: 'A later report (or a correction) cleared an open deviation: the object is green again.',
    detail: DeviationCorrectedDetail,
  },
  {
    name: 'FundingPauseRecommended',
    version: 1,
    producer: 'monitoring',
    consumers: ['accountability'],
    description: 'Funding of an object should be paused: red across consecutive windows, or a target the unit cannot complete without corrective measures (rules are parameters).',
    detail: FundingPauseRecommendedDetail,
  },
  {
    name: 'IdleFundsRecoveryRecommended',
    version: 1,
    producer: 'monitoring',
    consumers: ['accountability'],
    description: "Idle funds of an object should be recovered or reallocated: execution far behind the year's time progress and the unit's own forecast leaves part of the budget unspent (rules idleFunds).",
    detail: IdleFundsRecoveryRecommendedDetail,
  },
  {
    name: 'MonitoringReminderSent',
    version: 1,
    producer: 'monitoring',
    consumers: ['accountability'],
    description: 'A unit was reminded that the monitoring report of one of its objects is due (or overdue).',
    detail: MonitoringReminderSentDetail,
  },
  {
    name: 'MonitoringEscalated',
    version: 1,
    producer: 'monitoring',
    consumers: ['accountability'],
    description: "A monitoring report is missing past the grace period: escalated to the object's department and to finance.",
    detail: MonitoringEscalatedDetail,
  },
  {
    name: 'ExecutionBatchQueued',
    version: 1,
    internal: true,
    producer: 'monitoring',
    consumers: ['monitoring'],
    description: 'Internal: a treasury execution batch was accepted and queued for the ingester (progress at GET /v1/monitoring/execution-batches/{batchId}).',
    detail: ExecutionBatchQueuedDetail,
  },
  {
    name: 'DashboardBuildQueued',
    version: 1,
    internal: true,
    producer: 'monitoring',
    consumers: ['monitoring'],
    description: "Internal: a window's dashboard view is to be built from its sources (window opened, key amount moved); until built, the dashboard is computed from the sources.",
    detail: DashboardBuildQueuedDetail,
  },
  {
    name: 'EvaluationSubmitted',
    version: 1,
    producer: 'evaluation',
    // evaluation itself: a submission moves its object in the coverage view (jobs/views.ts).
    consumers: ['accountability', 'evaluation'],
    description: "A unit submitted an object's self-evaluation with its computed total and grade (overrides counted).",
    detail: EvaluationSubmittedDetail,
  },
  {
    name: 'BudgetAdjustmentRecommended',
    version: 1,
    producer: 'evaluation',
    consumers: ['accountability'],
    description: "What an evaluation's grade means for next year's budget: priority, maintain, improve, cut or cancel, with the proposed amount.",
    detail: BudgetAdjustmentRecommendedDetail,
  },
  {
    name: 'KeyEvaluationRated',
    version: 1,
    producer: 'evaluation',
    consumers: ['accountability'],
    description:
      "The People's Congress rated a key evaluation report (满意度测评): satisfied 满意, basically_satisfied 基本满意 or dissatisfied 不满意 (with comments), optional remarks on 决策 / 过程 / 产出 / 效益, the rater and when. One rating per rater and evaluation: a later one by the same rater replaces theirs.",
    detail: KeyEvaluationRatedDetail,
  },
  {
    name: 'SupervisorAlertRaised',
    version: 1,
    producer: 'accountability',
    consumers: ['accountability'],
    description: "An alert was filed in a supervisor's inbox (one per matching subscription and event): severity, title, the triggering event and its object; delivered to the subscription's webhook (signed) and, in AWS, to the region's SNS alert topic. Never carries the webhook URL or secret.",
    detail: SupervisorAlertRaisedDetail,
  },
  {
    name: 'AssessmentPublished',
    version: 1,
    producer: 'accountability',
    consumers: ['accountability'],
    description: "Finance published the assessment (考核) of a budget department or a lower-level finance department for a fiscal year: the frozen indicator sheet (each indicator computed from the events or entered with a reason), total, grade and rank among that year's published assessments of the same assessee type.",
    detail: AssessmentPublishedDetail,
  },
  {
    name: 'DisclosurePublished',
    version: 1,
    producer: 'accountability',
    consumers: ['accountability'],
    description: "Finance made a record public (an object's approved targets, its self-evaluation result, its key evaluation, or a published assessment): readable without a token at /v1/accountability/public/disclosures.",
    detail: DisclosurePublishedDetail,
  },
  {
    name: 'DisclosureWithdrawn',
    version: 1,
    producer: 'accountability',
    consumers: ['accountability'],
    description: 'Finance withdrew a disclosure, with the reason: it left the public view at once; the disclosure record stays for audit.',
    detail: DisclosureWithdrawnDetail,
  },
  {
    name: 'AccountabilityCaseOpened',
    version: 1,
    producer: 'accountability',
    consumers: ['accountability'],
    description: 'An accountability case (问责) was opened: by rule (an object graded 差 years running through its `continues` chain; execution red for windows running without correction), with what the rule saw, or by a supervisor or finance by hand.',
    detail: AccountabilityCaseOpenedDetail,
  },
  {
    name: 'AccountabilityCaseDecided',
    version: 1,
    producer: 'accountability',
    consumers: ['accountability'],
    description: 'Finance decided an accountability case: the outcome (no action, 约谈, 通报批评, 收回资金, 扣减预算, 移送纪检监察) with its reasons.',
    detail: AccountabilityCaseDecidedDetail,
  },
  {
    name: 'RectificationOrdered',
    version: 1,
    producer: 'accountability',
    consumers: ['accountability', 'declaration', 'evaluation'],
    description: 'A rectification order (整改) was made: from a red deviation or an evaluation grade by rule, or from an audit finding or by hand; its owner, issue and deadline.',
    detail: RectificationOrderedDetail,
  },
  {
    name: 'RectificationOverdue',
    version: 1,
    producer: 'accountability',
    consumers: ['accountability', 'declaration', 'evaluation'],
    description: "A rectification order is past its deadline without evidence: escalated to the owner department and finance, then again every few days (the region's parameter) while it stays open.",
    detail: RectificationOverdueDetail,
  },
  {
    name: 'RectificationClosed',
    version: 1,
    producer: 'accountability',
    consumers: ['accountability', 'declaration', 'evaluation'],
    description: "Finance accepted a rectification order's evidence and closed it; whether the evidence came in by the deadline.",
    detail: RectificationClosedDetail,
  },
] as const satisfies readonly CatalogEntry[];

export function catalogEntry(name: string): CatalogEntry | undefined {
  return catalog.find((entry) => entry.name === name);
}

/** The EventBridge `source` an event of the catalog goes out under (see sources.ts). */
export function sourceOf(entry: Pick<CatalogEntry, 'producer' | 'internal'>): string {
  return entry.internal ? workEventSource(entry.producer) : eventSource(entry.producer);
}
