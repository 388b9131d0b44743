/** Every route of the evaluation service, in the order the API documents them. */
import { coverageRoutes } from './coverage.ts';
import { financeReviewRoutes } from './finance-review.ts';
import { keyEvaluationRoutes } from './key-evaluations.ts';
import { reviewRoutes } from './review.ts';
import { rulesRoutes } from './rules.ts';
import { selfEvaluationRoutes } from './self-evaluations.ts';
import { viewRoutes } from './views.ts';

export const routes = {
  ...selfEvaluationRoutes,
  ...financeReviewRoutes,
  ...reviewRoutes,
  ...coverageRoutes,
  ...keyEvaluationRoutes,
  ...rulesRoutes,
  ...viewRoutes,
};
