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

/** CSV lines per response: the default keeps a county's whole window in one file; a province's pages (Link rel="next"). */
export const CSV_DEFAULT_LINES = 1000;
export const CSV_MAX_LINES = 5000;

export const dashboardRoutes = {
  dashboard: defineRoute({
    operationId: 'getMonitoringDashboard',
    tag: 'monitoring',
    method: 'GET',
    path: '/v1/monitoring/dashboards/windows/{id}',
    summary:
      'A window at a glance: counts by light, execution against time progress, the worst deviations, by department; format=csv gives one line per object, `limit` lines at a time (default 1000, at most 5000), the next page at the `Link` header\'s rel="next". Read from a maintained view: O(departments) whatever the number of objects',
    auth: 'jwt',
    roles: ['department', 'finance', 'supervisor'],
    params: z.strictObject({ id: WindowIdSchema }),
    query: z.strictObject({
      department: departmentQuery,
      format: z.optional(z.enum(['json', 'csv'])),
      /** CSV only: lines in this response. */
      limit: z.optional(z.coerce.number().check(z.int('must be a whole number'), z.minimum(1), z.maximum(CSV_MAX_LINES))),
      /** CSV only: where the previous response's lines stopped (from its Link rel="next"). */
      cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(2048))),
    }),
    response: { status: 200, description: 'The dashboard (or text/csv)', schema: DashboardSchema },
    problems: [404],
  }),
};
