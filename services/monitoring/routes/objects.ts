/** Routes of an object's monitoring: its baseline (approved targets), running state and reports by window. */
import * as z from 'zod/mini';
import { TargetSnapshotSchema } from '../../../events/declaration.ts';
import { LightSchema } from '../../../events/monitoring.ts';
import { defineRoute } from '../../../shared/http/route.ts';
import { ReportHeadSchema } from './reports.ts';
import { ObjectIdSchema } from './windows.ts';

export const objectRoutes = {
  objectMonitoring: defineRoute({
    operationId: 'getObjectMonitoring',
    tag: 'monitoring',
    method: 'GET',
    path: '/v1/monitoring/objects/{id}',
    summary: "An object's baseline (approved targets), its reports by window and its running state (open deviation, red windows)",
    auth: 'jwt',
    roles: ['unit', 'department', 'finance', 'supervisor'],
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
};
