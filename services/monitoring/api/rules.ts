/** The monitoring rules over HTTP (shared/http/rules-api.ts), and the current rules the other areas assess with. */
import { rulesApi } from '../../../shared/http/rules-api.ts';
import type { Implementations } from '../../../shared/http/api.ts';
import { defaultMonitoringRules, validateMonitoringRules, type MonitoringRules } from '../domain/rules.ts';
import type { rulesRoutes } from '../routes/rules.ts';
import { getRules, listRuleVersions, putRules } from '../store/rules.ts';

const parameters = rulesApi<MonitoringRules>({
  service: 'monitoring',
  get: getRules,
  put: putRules,
  list: listRuleVersions,
  defaults: defaultMonitoringRules,
  validate: validateMonitoringRules,
});

/** The rules in force for a region and fiscal year: the stored version, or the documented defaults. */
export const currentRules = parameters.current;

export const rulesApiImplementations: Implementations<typeof rulesRoutes> = parameters.implementations;
