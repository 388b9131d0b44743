/** The monitoring rules over HTTP (shared/http/rules-api.ts), and the current rules the other areas assess with. */
import { rulesApi } from '../../../shared/http/rules-api.ts';
import type { Implementations } from '../../../shared/http/api.ts';
import { defaultMonitoringRules, validateMonitoringRules, type MonitoringRules } from '../domain/rules.ts';
import type { rulesRoutes } from '../routes/rules.ts';
import { dashboardBuildQueued } from '../events.ts';
import { dashboardBuildPendingWrite } from '../store/dashboard-view.ts';
import { getRules, listRuleVersions, putRules, type StoredRules } from '../store/rules.ts';
import { allWindows } from '../store/windows.ts';
import type { EventContext } from '../../../shared/outbox.ts';

/**
 * A new version that moves the key amount changes which objects key windows cover: their
 * dashboard views are queued for the view builder, in the transaction that stores the version
 * (O(objects) of the year each; until built, they are computed on read). The execution thresholds
 * need nothing: the views keep raw figures and the figure is computed when read.
 */
async function putRulesAndViews(next: StoredRules, expectedVersion: number, events: EventContext): Promise<void> {
  const { region, fiscalYear } = next.rules;
  const before = (await getRules(region, fiscalYear, true))?.rules ?? defaultMonitoringRules(region, fiscalYear);
  if (before.keyObjectMinWan === next.rules.keyObjectMinWan) return putRules(next, expectedVersion);
  const keyWindows = (await allWindows(region, fiscalYear)).filter((w) => w.scope.kind === 'key');
  const at = new Date();
  await putRules(next, expectedVersion, {
    items: keyWindows.map((w) => dashboardBuildPendingWrite(w, at.toISOString(), 'key-amount-changed')),
    events: keyWindows.map((w) => dashboardBuildQueued(w.id, 'key-amount-changed', events, at)),
  });
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
