/** Routes of the monitoring rules (domain/rules.ts): read, store a new version, list versions (shared/http/rules-routes.ts). */
import * as z from 'zod/mini';
import { LightSchema } from '../../../events/monitoring.ts';
import { rulesRouteSpecs } from '../../../shared/http/rules-routes.ts';

const CutoffsSchema = z.strictObject({ redBelow: z.number().check(z.minimum(0), z.maximum(200)), yellowBelow: z.number().check(z.minimum(0), z.maximum(200)) });

export const MonitoringRulesInputSchema = z.strictObject({
  execution: CutoffsSchema,
  indicator: CutoffsSchema,
  /** The light each answer to "will the annual target be completed?" gives a row (确定能 / 有可能 / 完全不可能). */
  likelihoodLights: z.strictObject({ certain: LightSchema, possible: LightSchema, impossible: LightSchema }),
  pause: z.strictObject({ redWindows: z.number().check(z.int(), z.minimum(0), z.maximum(12)), impossibleWithoutMeasures: z.boolean() }),
  /** Recommending recovery of idle funds: from which month, how far behind the time's pace, how much left unspent. */
  idleFunds: z.strictObject({
    enabled: z.boolean(),
    fromMonth: z.number().check(z.int(), z.minimum(1), z.maximum(12)),
    belowTimeShare: z.number().check(z.positive(), z.maximum(1)),
    minIdleShare: z.number().check(z.minimum(0), z.maximum(1)),
  }),
  reminders: z.strictObject({ remindDaysBefore: z.number().check(z.int(), z.minimum(0), z.maximum(60)), graceDays: z.number().check(z.int(), z.minimum(0), z.maximum(60)) }),
  keyObjectMinWan: z.number().check(z.minimum(0)),
});

export const rulesRoutes = rulesRouteSpecs({ service: 'monitoring', name: 'Monitoring', noun: 'monitoring parameters', input: MonitoringRulesInputSchema });
