/** Implementations of the rules routes (shared/http/rules-api.ts): the accountability rules of a region and fiscal year. */
import type { Implementations } from '../../../shared/http/api.ts';
import { rulesApi } from '../../../shared/http/rules-api.ts';
import { defaultAccountabilityRules, validateAccountabilityRules, type AccountabilityRules } from '../domain/rules.ts';
import type { rulesRoutes } from '../routes/rules.ts';
import { getAccountabilityRules, listAccountabilityRuleVersions, putAccountabilityRules } from '../store/rules.ts';

const parameters = rulesApi<AccountabilityRules>({
  service: 'accountability',
  get: getAccountabilityRules,
  put: putAccountabilityRules,
  list: listAccountabilityRuleVersions,
  defaults: defaultAccountabilityRules,
  validate: validateAccountabilityRules,
});

export const rulesImplementations: Implementations<typeof rulesRoutes> = parameters.implementations;
