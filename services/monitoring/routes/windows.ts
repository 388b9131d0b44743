/** Routes of monitoring windows: a round of monitoring for a fiscal year, cumulative January to throughMonth. */
import * as z from 'zod/mini';
import { fiscalYear, fiscalYearParam, prefixedId } from '../../../shared/pure/fields.ts';
import { defineRoute } from '../../../shared/http/route.ts';
import { listQuery, pageOf } from '../../../shared/http/schemas.ts';

const isoDate = z.string().check(z.regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'must be a date YYYY-MM-DD'));

export const WindowIdSchema = prefixedId('win', 'a window id');
/** A spending object id; windows name them in their scope, reports and dashboards by them. */
export const ObjectIdSchema = prefixedId('obj', 'a spending object id');

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

const readers = ['unit', 'department', 'finance', 'supervisor'] as const;
const tag = 'monitoring';

export const windowRoutes = {
  createWindow: defineRoute({
    operationId: 'createMonitoringWindow',
    tag,
    method: 'POST',
    path: '/v1/monitoring/windows',
    summary: 'Open a monitoring round for a fiscal year: cumulative January to throughMonth ("1~N月"), a due date, all objects or key ones',
    auth: 'jwt',
    roles: ['finance'],
    body: z.strictObject({ fiscalYear: fiscalYear(), throughMonth: z.number().check(z.int(), z.minimum(1), z.maximum(12)), dueDate: isoDate, scope: ScopeSchema }),
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
    query: z.strictObject({ ...listQuery.shape, year: fiscalYearParam() }),
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
};
