/**
 * Events of the monitoring service ("双监控": budget execution and target achievement together).
 */
import * as z from 'zod/mini';
import { ObjectRefSchema } from './declaration.ts';
import { eventDetail } from './envelope.ts';

const timestamp = z.iso.datetime({ offset: true });

export const LightSchema = z.enum(['green', 'yellow', 'red']);
export const LikelihoodSchema = z.enum(['certain', 'possible', 'impossible']);
export const CauseCategorySchema = z.enum(['funding', 'rules', 'staffing', 'equipment', 'other']);

/** A monitoring round: cumulative from January through `throughMonth` ("1~N月"). */
export const WindowRefSchema = z.object({
  id: z.string(),
  fiscalYear: z.number().check(z.int()),
  throughMonth: z.number().check(z.int(), z.minimum(1), z.maximum(12)),
  label: z.string(),
  dueDate: z.string(),
});

/** One row that made an object deviate: the execution rate, or an indicator. */
export const DeviationRowSchema = z.object({
  kind: z.enum(['execution', 'indicator']),
  /** The indicator's row id in the approved targets (indicator rows only). */
  rowId: z.optional(z.string()),
  name: z.string(),
  light: LightSchema,
  /** `major` for red, `minor` for yellow. */
  severity: z.enum(['major', 'minor']),
  /** Why, in words, with the figures (e.g. "30 % executed against 58 % of the year"). */
  detail: z.string(),
  score: z.optional(z.number()),
  likelihood: z.optional(LikelihoodSchema),
  cause: z.optional(CauseCategorySchema),
  correctiveMeasures: z.optional(z.string()),
});

export const ExecutionFigureSchema = z.object({
  budgetWan: z.number(),
  executedWan: z.number(),
  /** executed ÷ budget, 0..1+ */
  rate: z.number(),
  /** months elapsed ÷ 12 */
  timeProgress: z.number(),
  /** rate ÷ timeProgress × 100: the figure the execution light is read from. */
  score: z.number(),
  light: LightSchema,
});

export const MonitoringReportedData = z.object({
  reportId: z.string(),
  object: ObjectRefSchema,
  window: WindowRefSchema,
  targetVersion: z.number().check(z.int(), z.positive()),
  execution: ExecutionFigureSchema,
  expectedFullYearWan: z.number(),
  light: LightSchema,
  indicators: z.array(
    z.object({
      rowId: z.string(),
      name: z.string(),
      valueToDate: z.optional(z.union([z.number(), z.string()])),
      forecast: z.optional(z.union([z.number(), z.string()])),
      likelihood: LikelihoodSchema,
      light: LightSchema,
    }),
  ),
  /** 1 for the first report of this object in this window, +1 per correction. */
  revision: z.number().check(z.int(), z.positive()),
  reportedAt: timestamp,
  reportedBy: z.string(),
});
export const MonitoringReportedDetail = eventDetail(MonitoringReportedData);
export type MonitoringReported = z.infer<typeof MonitoringReportedDetail>;

export const MonitoringDeviationData = z.object({
  reportId: z.string(),
  object: ObjectRefSchema,
  window: WindowRefSchema,
  light: z.enum(['yellow', 'red']),
  rows: z.array(DeviationRowSchema).check(z.minLength(1)),
  detectedAt: timestamp,
});
export const MonitoringDeviationDetail = eventDetail(MonitoringDeviationData);
export type MonitoringDeviation = z.infer<typeof MonitoringDeviationDetail>;

export const DeviationCorrectedData = z.object({
  reportId: z.string(),
  object: ObjectRefSchema,
  window: WindowRefSchema,
  /** The window whose report raised the deviation now cleared. */
  raisedInWindow: z.string(),
  previousLight: z.enum(['yellow', 'red']),
  correctedAt: timestamp,
});
export const DeviationCorrectedDetail = eventDetail(DeviationCorrectedData);
export type DeviationCorrected = z.infer<typeof DeviationCorrectedDetail>;

export const FundingPauseRecommendedData = z.object({
  reportId: z.string(),
  object: ObjectRefSchema,
  window: WindowRefSchema,
  /** Which rule fired. */
  rule: z.enum(['red_persisting', 'impossible_without_measures']),
  reason: z.string(),
  /** Consecutive windows the object has been red (red_persisting). */
  redWindows: z.optional(z.number()),
  rows: z.array(DeviationRowSchema),
  recommendedAt: timestamp,
});
export const FundingPauseRecommendedDetail = eventDetail(FundingPauseRecommendedData);
export type FundingPauseRecommended = z.infer<typeof FundingPauseRecommendedDetail>;

/**
 * Execution far behind the year's time progress and the unit's own forecast leaving money
 * unspent: recover or reallocate the idle funds (财预〔2019〕136号; rules `idleFunds`). At most
 * once per object and window.
 */
export const IdleFundsRecoveryRecommendedData = z.object({
  reportId: z.string(),
  object: ObjectRefSchema,
  window: WindowRefSchema,
  /** The budget the report was measured against (adjusted where the report gives one), 万元. */
  budgetWan: z.number(),
  executedWan: z.number(),
  expectedFullYearWan: z.number(),
  /** Budget − the larger of executed and expected full-year execution, 万元. */
  idleWan: z.number(),
  /** executed ÷ budget. */
  executionRate: z.number(),
  /** Months through ÷ 12. */
  timeShare: z.number(),
  reason: z.string(),
  recommendedAt: timestamp,
});
export const IdleFundsRecoveryRecommendedDetail = eventDetail(IdleFundsRecoveryRecommendedData);
export type IdleFundsRecoveryRecommended = z.infer<typeof IdleFundsRecoveryRecommendedDetail>;

/** Who a reminder or escalation goes to. */
export const RecipientSchema = z.object({ role: z.enum(['unit', 'department', 'finance']), department: z.optional(z.string()), unit: z.optional(z.string()) });

/** An object in a window's scope without a report: a reminder to its unit, or past the grace period an escalation. */
export const MonitoringReportDueData = z.object({
  object: ObjectRefSchema,
  window: WindowRefSchema,
  recipients: z.array(RecipientSchema).check(z.minLength(1)),
  /** Negative while the due date is still ahead. */
  daysOverdue: z.number(),
  sentAt: timestamp,
});
export const MonitoringReminderSentDetail = eventDetail(MonitoringReportDueData);
export type MonitoringReminderSent = z.infer<typeof MonitoringReminderSentDetail>;
export const MonitoringEscalatedDetail = eventDetail(MonitoringReportDueData);
