/** Every route of the evaluation service bound to its implementation, for handlers/api.ts. */
import type { Implementations } from '../../../shared/http/api.ts';
import type { routes } from '../routes/index.ts';
import { coverageApi } from './coverage.ts';
import { financeReviewApi } from './finance-review.ts';
import { keyEvaluationsApi } from './key-evaluations.ts';
import { reviewApi } from './review.ts';
import { rulesImplementations } from './rules.ts';
import { selfEvaluationsApi } from './self-evaluations.ts';
import { viewsApi } from './views.ts';

export const implementations: Implementations<typeof routes> = {
  ...selfEvaluationsApi,
  ...financeReviewApi,
  ...reviewApi,
  ...coverageApi,
  ...keyEvaluationsApi,
  ...rulesImplementations,
  ...viewsApi,
};
