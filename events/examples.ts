/** One example detail per catalog event (contract tests and docs; not bundled into functions). */
import exAnteAssessedExample from './examples/ExAnteAssessed.v1.json' with { type: 'json' };
import declarationSubmittedExample from './examples/DeclarationSubmitted.v1.json' with { type: 'json' };
import targetRejectedExample from './examples/TargetRejected.v1.json' with { type: 'json' };
import targetApprovedExample from './examples/TargetApproved.v1.json' with { type: 'json' };
import targetRevisedExample from './examples/TargetRevised.v1.json' with { type: 'json' };
import monitoringReportedExample from './examples/MonitoringReported.v1.json' with { type: 'json' };
import monitoringDeviationExample from './examples/MonitoringDeviation.v1.json' with { type: 'json' };
import deviationCorrectedExample from './examples/DeviationCorrected.v1.json' with { type: 'json' };
import fundingPauseRecommendedExample from './examples/FundingPauseRecommended.v1.json' with { type: 'json' };
import idleFundsRecoveryRecommendedExample from './examples/IdleFundsRecoveryRecommended.v1.json' with { type: 'json' };
import monitoringReminderSentExample from './examples/MonitoringReminderSent.v1.json' with { type: 'json' };
import monitoringEscalatedExample from './examples/MonitoringEscalated.v1.json' with { type: 'json' };
import evaluationSubmittedExample from './examples/EvaluationSubmitted.v1.json' with { type: 'json' };
import budgetAdjustmentRecommendedExample from './examples/BudgetAdjustmentRecommended.v1.json' with { type: 'json' };
import keyEvaluationRatedExample from './examples/KeyEvaluationRated.v1.json' with { type: 'json' };
import executionBatchQueuedExample from './examples/ExecutionBatchQueued.v1.json' with { type: 'json' };
import dashboardBuildQueuedExample from './examples/DashboardBuildQueued.v1.json' with { type: 'json' };
import evaluationCompletedExample from './examples/EvaluationCompleted.v1.json' with { type: 'json' };
import indicatorPublishedExample from './examples/IndicatorPublished.v1.json' with { type: 'json' };
import indicatorRetiredExample from './examples/IndicatorRetired.v1.json' with { type: 'json' };
import indicatorRevisedExample from './examples/IndicatorRevised.v1.json' with { type: 'json' };
import templatePublishedExample from './examples/TemplatePublished.v1.json' with { type: 'json' };
import templateRetiredExample from './examples/TemplateRetired.v1.json' with { type: 'json' };
import importChunkQueuedExample from './examples/IndicatorImportChunkQueued.v1.json' with { type: 'json' };
import accountabilityCaseOpenedExample from './examples/AccountabilityCaseOpened.v1.json' with { type: 'json' };
import accountabilityCaseDecidedExample from './examples/AccountabilityCaseDecided.v1.json' with { type: 'json' };
import rectificationOrderedExample from './examples/RectificationOrdered.v1.json' with { type: 'json' };
import rectificationOverdueExample from './examples/RectificationOverdue.v1.json' with { type: 'json' };
import rectificationClosedExample from './examples/RectificationClosed.v1.json' with { type: 'json' };
import disclosurePublishedExample from './examples/DisclosurePublished.v1.json' with { type: 'json' };
import disclosureWithdrawnExample from './examples/DisclosureWithdrawn.v1.json' with { type: 'json' };
import supervisorAlertRaisedExample from './examples/SupervisorAlertRaised.v1.json' with { type: 'json' };
import assessmentPublishedExample from './examples/AssessmentPublished.v1.json' with { type: 'json' };

export const examples: Readonly<Record<string, unknown>> = {
  AssessmentPublished: assessmentPublishedExample,
  EvaluationCompleted: evaluationCompletedExample,
  EvaluationSubmitted: evaluationSubmittedExample,
  BudgetAdjustmentRecommended: budgetAdjustmentRecommendedExample,
  KeyEvaluationRated: keyEvaluationRatedExample,
  ExecutionBatchQueued: executionBatchQueuedExample,
  DashboardBuildQueued: dashboardBuildQueuedExample,
  MonitoringReported: monitoringReportedExample,
  MonitoringDeviation: monitoringDeviationExample,
  DeviationCorrected: deviationCorrectedExample,
  FundingPauseRecommended: fundingPauseRecommendedExample,
  IdleFundsRecoveryRecommended: idleFundsRecoveryRecommendedExample,
  MonitoringReminderSent: monitoringReminderSentExample,
  MonitoringEscalated: monitoringEscalatedExample,
  ExAnteAssessed: exAnteAssessedExample,
  DeclarationSubmitted: declarationSubmittedExample,
  TargetRejected: targetRejectedExample,
  TargetApproved: targetApprovedExample,
  TargetRevised: targetRevisedExample,
  IndicatorPublished: indicatorPublishedExample,
  IndicatorRetired: indicatorRetiredExample,
  IndicatorRevised: indicatorRevisedExample,
  TemplatePublished: templatePublishedExample,
  TemplateRetired: templateRetiredExample,
  IndicatorImportChunkQueued: importChunkQueuedExample,
  AccountabilityCaseOpened: accountabilityCaseOpenedExample,
  AccountabilityCaseDecided: accountabilityCaseDecidedExample,
  RectificationOrdered: rectificationOrderedExample,
  RectificationOverdue: rectificationOverdueExample,
  RectificationClosed: rectificationClosedExample,
  DisclosurePublished: disclosurePublishedExample,
  DisclosureWithdrawn: disclosureWithdrawnExample,
  SupervisorAlertRaised: supervisorAlertRaisedExample,
};
