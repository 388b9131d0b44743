/** Implementations of the rules routes: the evaluation parameters of a region and year, stored or the defaults. */
import { rulesApi } from '../../../shared/http/rules-api.ts';
import { defaultEvaluationRules, validateEvaluationRules, type EvaluationRules } from '../domain/rules.ts';
import { getRules, listRuleVersions, putRules } from '../store/rules.ts';

const parameters = rulesApi<EvaluationRules>({
  service: 'evaluation',
  get: getRules,
  put: putRules,
  list: listRuleVersions,
  defaults: defaultEvaluationRules,
  validate: validateEvaluationRules,
});

/** The parameters in force for a region and year (version 0: the defaults). */
export const currentRules = parameters.current;

export const rulesImplementations = parameters.implementations;
