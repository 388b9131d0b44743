/** Implementations of the rules routes (shared/http/rules-api.ts), and the current rules every check runs under. */
import type { Implementations } from '../../../shared/http/api.ts';
import { rulesApi } from '../../../shared/http/rules-api.ts';
import { defaultRules, validateRules, type DeclarationRules } from '../domain/rules.ts';
import type { rulesRoutes } from '../routes/rules.ts';
import * as store from '../store/rules.ts';

const parameters = rulesApi<DeclarationRules>({
  service: 'declaration',
  get: store.getRules,
  put: store.putRules,
  list: store.listRuleVersions,
  defaults: defaultRules,
  validate: validateRules,
});

/** The rules of a region and year: the stored version, or the documented defaults (version 0). */
export const currentRules = parameters.current;

export const rulesImplementations: Implementations<typeof rulesRoutes> = parameters.implementations;
