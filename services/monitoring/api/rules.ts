/** The monitoring rules over HTTP (shared/http/rules-api.ts), and the current rules the other areas assess with. */
import { rulesApi } from '../../../shared/http/rules-api.ts';
import type { Implementations } from '../../../shared/http/api.ts';
import { defaultMonitoringRules, validateMonitoringRules, type MonitoringRules } from '../domain/rules.ts';
import type { rulesRoutes } from '../routes/rules.ts';
import { maintainDashboards } from '../store/dashboard-view.ts';
import { getRules, listRuleVersions, putRules, type StoredRules } from '../store/rules.ts';

/**
 * A new version that moves the key amount changes which objects key windows cover: their
 * dashboard views are rebuilt (O(objects) of the year, once per such change). The execution
 * thresholds need nothing: the views keep raw figures and the figure is computed when read.
 */
async function putRulesAndViews(next: StoredRules, expectedVersion: number): Promise<void> {
  const before = (await getRules(next.rules.region, next.rules.fiscalYear, true))?.rules ?? defaultMonitoringRules(next.rules.region, next.rules.fiscalYear);
  await putRules(next, expectedVersion);
  if (before.keyObjectMinWan !== next.rules.keyObjectMinWan) await maintainDashboards(next.rules.region, next.rules.fiscalYear, true, (w) => w.scope.kind === 'key');
}

const parameters = rulesApi<MonitoringRules>({
  service: 'monitoring',
  get: getRules,
  put: putRulesAndViews,
  list: listRuleVersions,
  defaults: defaultMonitoringRules,
  validate: validateMonitoringRules,
});

/** The rules in force for a region and fiscal year: the stored version, or the documented defaults. */
export const currentRules = parameters.current;

export const rulesApiImplementations: Implementations<typeof rulesRoutes> = parameters.implementations;
