/** Routes of monitoring reports: the pre-filled draft, a unit's report of an object in a window, its corrections and earlier revisions. */
import * as z from 'zod/mini';
import { ObjectRefSchema } from '../../../events/declaration.ts';
import { CauseCategorySchema, DeviationRowSchema, ExecutionFigureSchema, LightSchema, LikelihoodSchema } from '../../../events/monitoring.ts';
import { text } from '../../../shared/pure/fields.ts';
import { defineRoute } from '../../../shared/http/route.ts';
import { listQuery, pageOf } from '../../../shared/http/schemas.ts';
import { ObjectIdSchema, WindowIdSchema } from './windows.ts';

const wan = z.number().check(z.minimum(0, 'must be 0 or more'), z.maximum(1e10), z.multipleOf(0.000001, 'must be in 万元 with at most 6 decimals (to the fen)'));

export const ReportIdSchema = z.string().check(z.regex(/^rpt_[a-z0-9]{10,40}_[a-z0-9]{10,40}$/, 'must be a report id (rpt_...)'));
const RowIdSchema = z.string().check(z.regex(/^r_[a-z0-9]{4,20}$/, 'must be a row id (r_...) of the approved targets'));
/** Narrows a list to one department (finance and supervisors; a department always sees its own). */
export const departmentQuery = z.optional(z.string().check(z.minLength(1), z.maxLength(64)));

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

const readers = ['unit', 'department', 'finance', 'supervisor'] as const;
const tag = 'monitoring';

/** The response of a route answering one report (with its ETag). */
export const reportResponse = (description: string) => ({ status: 200 as const, description: `${description}; ETag header`, schema: ReportSchema });

export const reportRoutes = {
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
    response: reportResponse('The report'),
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
    response: reportResponse('The corrected report'),
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
};
