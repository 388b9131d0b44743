/** HTTP routes of the monitoring service: request and response schemas, roles. */
import * as z from 'zod/mini';
import { ObjectRefSchema, TargetSnapshotSchema } from '../../events/declaration.ts';
import { CauseCategorySchema, DeviationRowSchema, ExecutionFigureSchema, LightSchema, LikelihoodSchema } from '../../events/monitoring.ts';
import { rulesRouteSpecs } from '../../shared/http/rules-routes.ts';
import { defineRoute } from '../../shared/http/route.ts';
import { listQuery, pageOf } from '../../shared/http/schemas.ts';

const text = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));
const yearParam = z.coerce.number().check(z.int('must be a whole year'), z.minimum(2000), z.maximum(2100));
const wan = z.number().check(z.minimum(0, 'must be 0 or more'), z.maximum(1e10), z.multipleOf(0.000001, 'must be in 万元 with at most 6 decimals (to the fen)'));
const isoDate = z.string().check(z.regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'must be a date YYYY-MM-DD'));

export const WindowIdSchema = z.string().check(z.regex(/^win_[a-z0-9]{10,40}$/, 'must be a window id (win_...)'));
export const ObjectIdSchema = z.string().check(z.regex(/^obj_[a-z0-9]{10,40}$/, 'must be a spending object id (obj_...)'));
export const ReportIdSchema = z.string().check(z.regex(/^rpt_[a-z0-9]{10,40}_[a-z0-9]{10,40}$/, 'must be a report id (rpt_...)'));
const RowIdSchema = z.string().check(z.regex(/^r_[a-z0-9]{4,20}$/, 'must be a row id (r_...) of the approved targets'));
const departmentQuery = z.optional(z.string().check(z.minLength(1), z.maxLength(64)));

const ScopeSchema = z.union([
  z.strictObject({ kind: z.literal('all') }),
  z.strictObject({ kind: z.literal('key'), objectIds: z.optional(z.array(ObjectIdSchema).check(z.maxLength(5000))) }),
]);

export const WindowSchema = z.object({
  id: z.string(),
  version: z.number(),
  region: z.string(),
  fiscalYear: z.number(),
  throughMonth: z.number(),
  label: z.string(),
  dueDate: z.string(),
  scope: z.union([z.object({ kind: z.literal('all') }), z.object({ kind: z.literal('key'), objectIds: z.optional(z.array(z.string())) })]),
  createdAt: z.string(),
  createdBy: z.string(),
});

const IndicatorProgressInputSchema = z.strictObject({
  rowId: RowIdSchema,
  valueToDate: z.optional(z.union([z.number().check(z.minimum(-1e12), z.maximum(1e12)), text(200)])),
  forecast: z.optional(z.union([z.number().check(z.minimum(-1e12), z.maximum(1e12)), text(200)])),
  likelihood: LikelihoodSchema,
  finding: z.optional(z.enum(['met', 'partly', 'not_met'])),
  cause: z.optional(CauseCategorySchema),
  correctiveMeasures: z.optional(text(2000)),
  evidence: z.optional(z.array(text(500)).check(z.maxLength(20))),
});

const reportInputShape = {
  adjustedBudgetWan: z.optional(wan),
  executedWan: wan,
  expectedFullYearWan: wan,
  indicators: z.array(IndicatorProgressInputSchema).check(z.maxLength(400)),
};

export const ReportCreateSchema = z.strictObject({ windowId: WindowIdSchema, objectId: ObjectIdSchema, ...reportInputShape });
export const ReportUpdateSchema = z.strictObject(reportInputShape);

const ReviewSchema = z.object({
  stage: z.enum(['department', 'finance']),
  outcome: z.enum(['pass', 'fail', 'refer_experts', 'refer_intermediary']),
  comments: z.optional(z.string()),
  by: z.string(),
  at: z.string(),
});

export const ReportHeadSchema = z.object({
  id: z.string(),
  version: z.number(),
  revision: z.number(),
  windowId: z.string(),
  windowLabel: z.string(),
  fiscalYear: z.number(),
  throughMonth: z.number(),
  object: ObjectRefSchema,
  targetVersion: z.number(),
  light: LightSchema,
  execution: ExecutionFigureSchema,
  annualBudgetWan: z.number(),
  adjustedBudgetWan: z.optional(z.number()),
  expectedFullYearWan: z.number(),
  deviationCount: z.number(),
  worst: z.array(DeviationRowSchema),
  late: z.boolean(),
  reviews: z.array(ReviewSchema),
  reportedAt: z.string(),
  reportedBy: z.string(),
});

export const ReportSchema = z.object({
  ...ReportHeadSchema.shape,
  indicators: z.array(
    z.object({
      ...IndicatorProgressInputSchema.shape,
      rowId: z.string(),
      name: z.string(),
      light: LightSchema,
      score: z.optional(z.number()),
      detail: z.string(),
    }),
  ),
  deviations: z.array(DeviationRowSchema),
  missingExplanations: z.array(z.object({ rowId: z.string(), name: z.string(), missing: z.array(z.enum(['cause', 'correctiveMeasures'])) })),
});

export const ReportDraftSchema = z.object({
  windowId: z.string(),
  objectId: z.string(),
  targetVersion: z.number(),
  annualBudgetWan: z.number(),
  /** From ingested treasury data, when there is any. */
  executedWan: z.optional(z.number()),
  executedSource: z.enum(['treasury', 'none']),
  rows: z.array(z.object({ rowId: z.string(), name: z.string(), level1: z.string(), operator: z.string(), target: z.optional(z.union([z.number(), z.string()])), unit: z.optional(z.string()) })),
  /** The last report of this object, if any (its values to start from). */
  previous: z.optional(ReportSchema),
});

const LightCountsSchema = z.object({ green: z.number(), yellow: z.number(), red: z.number(), unreported: z.number() });
const TotalsShape = {
  objects: z.number(),
  reported: z.number(),
  late: z.number(),
  lights: LightCountsSchema,
  budgetWan: z.number(),
  executedWan: z.number(),
  execution: z.object({ rate: z.number(), timeProgress: z.number(), score: z.number(), light: LightSchema }),
};

export const DashboardSchema = z.object({
  window: z.object({ id: z.string(), label: z.string(), fiscalYear: z.number(), throughMonth: z.number(), dueDate: z.string() }),
  department: z.optional(z.string()),
  ...TotalsShape,
  byDepartment: z.array(z.object({ department: z.string(), ...TotalsShape })),
  worst: z.array(
    z.object({ objectId: z.string(), name: z.string(), department: z.string(), unit: z.string(), light: LightSchema, kind: z.string(), row: z.string(), detail: z.string(), score: z.optional(z.number()) }),
  ),
});

const CutoffsSchema = z.strictObject({ redBelow: z.number().check(z.minimum(0), z.maximum(200)), yellowBelow: z.number().check(z.minimum(0), z.maximum(200)) });
export const MonitoringRulesInputSchema = z.strictObject({
  execution: CutoffsSchema,
  indicator: CutoffsSchema,
  pause: z.strictObject({ redWindows: z.number().check(z.int(), z.minimum(0), z.maximum(12)), impossibleWithoutMeasures: z.boolean() }),
  reminders: z.strictObject({ remindDaysBefore: z.number().check(z.int(), z.minimum(0), z.maximum(60)), graceDays: z.number().check(z.int(), z.minimum(0), z.maximum(60)) }),
  keyObjectMinWan: z.number().check(z.minimum(0)),
});

const readers = ['unit', 'department', 'finance', 'supervisor'] as const;
const tag = 'monitoring';
const reportReply = (description: string) => ({ status: 200 as const, description: `${description}; ETag header`, schema: ReportSchema });

export const routes = {
  createWindow: defineRoute({
    operationId: 'createMonitoringWindow',
    tag,
    method: 'POST',
    path: '/v1/monitoring/windows',
    summary: 'Open a monitoring round for a fiscal year: cumulative January to throughMonth ("1~N月"), a due date, all objects or key ones',
    auth: 'jwt',
    roles: ['finance'],
    body: z.strictObject({ fiscalYear: z.number().check(z.int(), z.minimum(2000), z.maximum(2100)), throughMonth: z.number().check(z.int(), z.minimum(1), z.maximum(12)), dueDate: isoDate, scope: ScopeSchema }),
    idempotent: true,
    response: { status: 201, description: 'The window', schema: WindowSchema },
    problems: [409],
  }),
  listWindows: defineRoute({
    operationId: 'listMonitoringWindows',
    tag,
    method: 'GET',
    path: '/v1/monitoring/windows',
    summary: 'Monitoring windows of a fiscal year, earliest first',
    auth: 'jwt',
    roles: readers,
    query: z.strictObject({ ...listQuery.shape, year: yearParam }),
    response: { status: 200, description: 'One page', schema: pageOf(WindowSchema) },
  }),
  getWindow: defineRoute({
    operationId: 'getMonitoringWindow',
    tag,
    method: 'GET',
    path: '/v1/monitoring/windows/{id}',
    summary: 'One monitoring window',
    auth: 'jwt',
    roles: readers,
    params: z.strictObject({ id: WindowIdSchema }),
    response: { status: 200, description: 'The window', schema: WindowSchema },
    problems: [404],
  }),
  reportDraft: defineRoute({
    operationId: 'getMonitoringReportDraft',
    tag,
    method: 'GET',
    path: '/v1/monitoring/report-drafts',
    summary: "A report form pre-filled for an object and window: budget and rows from the approved targets, executed to date from the treasury's data, the last report's values",
    auth: 'jwt',
    roles: readers,
    query: z.strictObject({ windowId: WindowIdSchema, objectId: ObjectIdSchema }),
    response: { status: 200, description: 'The draft', schema: ReportDraftSchema },
    problems: [404],
  }),
  createReport: defineRoute({
    operationId: 'createMonitoringReport',
    tag,
    method: 'POST',
    path: '/v1/monitoring/reports',
    summary:
      "A unit's report for one of its objects in a window: execution and every target row; lights are computed, deviations emit MonitoringDeviation, a report that clears one DeviationCorrected, persisting red FundingPauseRecommended",
    auth: 'jwt',
    roles: ['unit'],
    body: ReportCreateSchema,
    idempotent: true,
    response: { status: 201, description: 'The report with its lights; ETag header', schema: ReportSchema },
    problems: [404, 409],
    problemDescriptions: { 409: 'A report for this object and window exists (correct it with PUT), or a later window already has one' },
  }),
  listReports: defineRoute({
    operationId: 'listMonitoringReports',
    tag,
    method: 'GET',
    path: '/v1/monitoring/reports',
    summary: 'Reports of a window the caller may see, by owner; filter by light',
    auth: 'jwt',
    roles: readers,
    query: z.strictObject({ ...listQuery.shape, windowId: WindowIdSchema, light: z.optional(LightSchema), department: departmentQuery }),
    response: { status: 200, description: 'One page of report heads', schema: pageOf(ReportHeadSchema) },
  }),
  getReport: defineRoute({
    operationId: 'getMonitoringReport',
    tag,
    method: 'GET',
    path: '/v1/monitoring/reports/{id}',
    summary: 'A report with every row, its light and why',
    auth: 'jwt',
    roles: readers,
    params: z.strictObject({ id: ReportIdSchema }),
    response: reportReply('The report'),
    problems: [404],
  }),
  updateReport: defineRoute({
    operationId: 'correctMonitoringReport',
    tag,
    method: 'PUT',
    path: '/v1/monitoring/reports/{id}',
    summary: 'Correct a report within its window (a new revision; the earlier one is kept); lights and events as for a new report',
    auth: 'jwt',
    roles: ['unit'],
    params: z.strictObject({ id: ReportIdSchema }),
    body: ReportUpdateSchema,
    requiresIfMatch: true,
    response: reportReply('The corrected report'),
    problems: [404, 409],
  }),
  listReportRevisions: defineRoute({
    operationId: 'listMonitoringReportRevisions',
    tag,
    method: 'GET',
    path: '/v1/monitoring/reports/{id}/revisions',
    summary: 'Earlier revisions of a report, as they were',
    auth: 'jwt',
    roles: readers,
    params: z.strictObject({ id: ReportIdSchema }),
    query: listQuery,
    response: { status: 200, description: 'One page, oldest first', schema: pageOf(ReportSchema) },
    problems: [404],
  }),
  reviewReport: defineRoute({
    operationId: 'reviewMonitoringReport',
    tag,
    method: 'POST',
    path: '/v1/monitoring/reports/{id}/reviews',
    summary: "Review a report: the object's department or finance; pass, fail, refer to experts or refer to an intermediary, with comments",
    auth: 'jwt',
    roles: ['department', 'finance'],
    params: z.strictObject({ id: ReportIdSchema }),
    body: z.strictObject({ outcome: z.enum(['pass', 'fail', 'refer_experts', 'refer_intermediary']), comments: z.optional(text(2000)) }),
    requiresIfMatch: true,
    response: reportReply('The report with the review'),
    problems: [404],
  }),
  objectMonitoring: defineRoute({
    operationId: 'getObjectMonitoring',
    tag,
    method: 'GET',
    path: '/v1/monitoring/objects/{id}',
    summary: "An object's baseline (approved targets), its reports by window and its running state (open deviation, red windows)",
    auth: 'jwt',
    roles: readers,
    params: z.strictObject({ id: ObjectIdSchema }),
    response: {
      status: 200,
      description: 'Baseline, state and reports',
      schema: z.object({
        baseline: TargetSnapshotSchema,
        state: z.object({
          lastWindowId: z.optional(z.string()),
          lastLight: z.optional(LightSchema),
          redWindows: z.number(),
          open: z.optional(z.object({ windowId: z.string(), light: z.enum(['yellow', 'red']) })),
        }),
        reports: z.array(ReportHeadSchema),
      }),
    },
    problems: [404],
  }),
  dashboard: defineRoute({
    operationId: 'getMonitoringDashboard',
    tag,
    method: 'GET',
    path: '/v1/monitoring/dashboards/windows/{id}',
    summary: 'A window at a glance: counts by light, execution against time progress, the worst deviations, by department; format=csv gives one line per object',
    auth: 'jwt',
    roles: ['department', 'finance', 'supervisor'],
    params: z.strictObject({ id: WindowIdSchema }),
    query: z.strictObject({ department: departmentQuery, format: z.optional(z.enum(['json', 'csv'])) }),
    response: { status: 200, description: 'The dashboard (or text/csv)', schema: DashboardSchema },
    problems: [404],
  }),
  ...rulesRouteSpecs({ service: 'monitoring', name: 'Monitoring', noun: 'monitoring parameters', input: MonitoringRulesInputSchema }),
};
