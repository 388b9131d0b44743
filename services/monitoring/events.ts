/** Builds the monitoring service's outbox events. */
import type { DeviationCorrected, FundingPauseRecommended, IdleFundsRecoveryRecommended, MonitoringDeviation, MonitoringReminderSent, MonitoringReported } from '../../events/monitoring.ts';
import type { ExecutionBatchQueued } from '../../events/monitoring-ingest.ts';
import type { DashboardBuildQueued } from '../../events/monitoring-views.ts';
import type { SpendingType } from '../../events/vocabulary.ts';
import { newEvent, subjectEvent, type EventContext, type OutboxEvent } from '../../shared/outbox.ts';
import type { Outcome } from './domain/deviation.ts';
import type { ObjectRef, Report, Window } from './domain/report.ts';

export type { EventContext };

const event = <D>(detailType: string, object: { spendingType: SpendingType; id: string }, data: D, ctx: EventContext): OutboxEvent<D> =>
  subjectEvent(detailType, { type: object.spendingType, id: object.id }, data, ctx);

export const windowRef = (w: Window) => ({ id: w.id, fiscalYear: w.fiscalYear, throughMonth: w.throughMonth, label: w.label, dueDate: w.dueDate });

/** MonitoringReported always; then what the report changed for the object. */
export function reportEvents(report: Report, window: Window, outcome: Outcome, ctx: EventContext): OutboxEvent[] {
  const at = report.reportedAt;
  const events: OutboxEvent[] = [
    event<MonitoringReported['data']>(
      'MonitoringReported',
      report.object,
      {
        reportId: report.id,
        object: report.object,
        window: windowRef(window),
        targetVersion: report.targetVersion,
        execution: report.execution,
        expectedFullYearWan: report.expectedFullYearWan,
        light: report.light,
        indicators: report.indicators.map((i) => ({
          rowId: i.rowId,
          name: i.name,
          ...(i.valueToDate !== undefined ? { valueToDate: i.valueToDate } : {}),
          ...(i.forecast !== undefined ? { forecast: i.forecast } : {}),
          likelihood: i.likelihood,
          light: i.light,
        })),
        revision: report.revision,
        reportedAt: at,
        reportedBy: report.reportedBy,
      },
      ctx,
    ),
  ];
  if (outcome.deviation) {
    events.push(
      event<MonitoringDeviation['data']>('MonitoringDeviation', report.object, { reportId: report.id, object: report.object, window: windowRef(window), light: outcome.deviation.light, rows: outcome.deviation.rows, detectedAt: at }, ctx),
    );
  }
  if (outcome.corrected) {
    events.push(
      event<DeviationCorrected['data']>(
        'DeviationCorrected',
        report.object,
        { reportId: report.id, object: report.object, window: windowRef(window), raisedInWindow: outcome.corrected.raisedInWindow, previousLight: outcome.corrected.previousLight, correctedAt: at },
        ctx,
      ),
    );
  }
  if (outcome.pause) {
    events.push(
      event<FundingPauseRecommended['data']>(
        'FundingPauseRecommended',
        report.object,
        {
          reportId: report.id,
          object: report.object,
          window: windowRef(window),
          rule: outcome.pause.rule,
          reason: outcome.pause.reason,
          ...(outcome.pause.redWindows !== undefined ? { redWindows: outcome.pause.redWindows } : {}),
          rows: outcome.pause.rows,
          recommendedAt: at,
        },
        ctx,
      ),
    );
  }
  if (outcome.idleFunds) {
    const idle = outcome.idleFunds;
    events.push(
      event<IdleFundsRecoveryRecommended['data']>(
        'IdleFundsRecoveryRecommended',
        report.object,
        {
          reportId: report.id,
          object: report.object,
          window: windowRef(window),
          budgetWan: idle.budgetWan,
          executedWan: idle.executedWan,
          expectedFullYearWan: idle.expectedFullYearWan,
          idleWan: idle.idleWan,
          executionRate: idle.executionRate,
          timeShare: idle.timeShare,
          reason: idle.reason,
          recommendedAt: at,
        },
        ctx,
      ),
    );
  }
  return events;
}

export function reportDue(stage: 'MonitoringReminderSent' | 'MonitoringEscalated', object: ObjectRef, window: Window, daysOverdue: number, ctx: EventContext & { now: Date }): OutboxEvent {
  const recipients: MonitoringReminderSent['data']['recipients'] =
    stage === 'MonitoringReminderSent'
      ? [{ role: 'unit', department: object.department, unit: object.unit }]
      : [
          { role: 'department', department: object.department },
          { role: 'finance' },
        ];
  return event<MonitoringReminderSent['data']>(stage, object, { object, window: windowRef(window), recipients, daysOverdue, sentAt: ctx.now.toISOString() }, ctx);
}

/** Internal: a queued execution batch for the service's own ingester (jobs/ingest-batch.ts); subject `import`, like an indicator import's chunks. */
export function executionBatchQueued(batch: { batchId: string; chunks: number }, ctx: EventContext, at: Date): OutboxEvent {
  return newEvent<ExecutionBatchQueued['data']>({
    detailType: 'ExecutionBatchQueued',
    version: 1,
    work: true,
    subject: { type: 'import', id: batch.batchId },
    actor: ctx.actor,
    region: ctx.region,
    correlationId: ctx.correlationId,
    now: at,
    data: { batchId: batch.batchId, chunks: batch.chunks },
  });
}

/** Internal: a window's dashboard view to be built by the service's view builder (jobs/views.ts); marked pending in the same transaction. */
export function dashboardBuildQueued(windowId: string, reason: DashboardBuildQueued['data']['reason'], ctx: EventContext, at: Date): OutboxEvent {
  return newEvent<DashboardBuildQueued['data']>({
    detailType: 'DashboardBuildQueued',
    version: 1,
    work: true,
    subject: { type: 'monitoring_window', id: windowId },
    actor: ctx.actor,
    region: ctx.region,
    correlationId: ctx.correlationId,
    now: at,
    data: { windowId, reason },
  });
}
