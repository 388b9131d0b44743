/** Routes of monitoring dashboards: a window at a glance, as JSON or one CSV line per object. */
import * as z from 'zod/mini';
import { LightSchema } from '../../../events/monitoring.ts';
import { defineRoute } from '../../../shared/http/route.ts';
import { departmentQuery } from './reports.ts';
import { WindowIdSchema } from './windows.ts';

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

export const dashboardRoutes = {
  dashboard: defineRoute({
    operationId: 'getMonitoringDashboard',
    tag: 'monitoring',
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
};
