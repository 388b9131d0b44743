/** Routes of the People's Congress report (人大报告): JSON and a printable HTML page. */
import * as z from 'zod/mini';
import { ShownRatingSchema } from '../../../events/evaluation-ratings.ts';
import { fiscalYearParam } from '../../../shared/pure/fields.ts';
import { defineRoute } from '../../../shared/http/route.ts';

const tag = 'accountability-reports';
const counts = z.record(z.string(), z.number());
const group = { objects: z.number(), approved: z.number(), amountWan: z.number() };
const grades = z.object({ excellent: z.number(), good: z.number(), fair: z.number(), poor: z.number() });

export const CongressReportSchema = z.object({
  region: z.string(),
  fiscalYear: z.number(),
  generatedAt: z.string(),
  targets: z.object({
    ...group,
    rejected: z.number(),
    revised: z.number(),
    byType: z.array(z.object({ type: z.string(), ...group })),
    byDepartment: z.array(z.object({ department: z.string(), ...group })),
  }),
  monitoring: z.object({
    reports: z.number(),
    objectsReported: z.number(),
    lights: z.object({ green: z.number(), yellow: z.number(), red: z.number() }),
    deviations: z.number(),
    redDeviations: z.number(),
    corrected: z.number(),
    fundingPauses: z.number(),
    reminders: z.number(),
    escalations: z.number(),
  }),
  evaluation: z.object({
    evaluated: z.number(),
    notEvaluated: z.number(),
    grades,
    byType: z.array(z.object({ type: z.string(), evaluated: z.number(), grades })),
    byBasis: z.object({ key: z.number(), financeReview: z.number(), self: z.number() }),
    averageScore: z.nullable(z.number()),
  }),
  application: z.object({ recommendations: z.number(), byRecommendation: counts, currentAmountWan: z.number(), proposedAmountWan: z.number(), changeWan: z.number() }),
  rectifications: z.object({ total: z.number(), closed: z.number(), closedOnTime: z.number(), open: z.number(), overdue: z.number(), bySource: counts }),
  cases: z.object({ total: z.number(), open: z.number(), decided: z.number(), closed: z.number(), byRule: counts }),
  keyEvaluations: z.object({
    reports: z.array(
      z.object({
        evaluationId: z.string(),
        objectId: z.string(),
        objectName: z.string(),
        spendingType: z.string(),
        department: z.string(),
        unit: z.string(),
        score: z.number(),
        grade: z.string(),
        gradeLabel: z.string(),
        evaluatedAt: z.string(),
        ratings: z.array(ShownRatingSchema),
      }),
    ),
    /** Ratings are counted one per rater and report; notRated counts reports without any. */
    tally: z.object({
      reports: z.number(),
      rated: z.number(),
      notRated: z.number(),
      ratings: z.number(),
      bySatisfaction: z.object({ satisfied: z.number(), basically_satisfied: z.number(), dissatisfied: z.number() }),
    }),
  }),
});

export const reportRoutes = {
  getCongressReport: defineRoute({
    operationId: 'getCongressReport',
    tag,
    method: 'GET',
    path: '/v1/accountability/reports/congress/{year}',
    summary:
      "The People's Congress report of the region for a fiscal year: targets (by type and department), monitoring, evaluation grades, results applied, rectifications and cases (amounts 万元), and the key evaluation reports with the People's Congress ratings of each (满意 / 基本满意 / 不满意) and their tally",
    auth: 'jwt',
    roles: ['finance', 'supervisor'],
    params: z.strictObject({ year: fiscalYearParam() }),
    response: { status: 200, description: 'The report', schema: CongressReportSchema },
  }),
  getCongressReportHtml: defineRoute({
    operationId: 'getCongressReportHtml',
    tag,
    method: 'GET',
    path: '/v1/accountability/reports/congress/{year}/html',
    summary: "The same report as a self-contained printable HTML page (zh-CN, inline SVG charts, no scripts or external resources)",
    auth: 'jwt',
    roles: ['finance', 'supervisor'],
    params: z.strictObject({ year: fiscalYearParam() }),
    response: { status: 200, description: 'text/html; charset=utf-8' },
  }),
};
