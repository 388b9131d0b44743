/** Implementation of the review assistant route: scores a printed table under the region's parameters of its year; stores nothing. */
import type { Implementations } from '../../../shared/http/api.ts';
import { DEFAULT_REVIEW_PARAMETERS, reviewTable } from '../domain/review-assistant.ts';
import { printedTableOfSelf } from '../domain/review-of-self.ts';
import type { EvaluationRules } from '../domain/rules.ts';
import { scopedSelf } from './access.ts';
import type { reviewRoutes } from '../routes/review.ts';
import { currentRules } from './rules.ts';

/** The fiscal year in China (UTC+8) now: a table sent without one is read under this year's parameters. */
const currentFiscalYear = () => new Date(Date.now() + 8 * 3_600_000).getUTCFullYear();

export const reviewParameters = (rules: EvaluationRules) => ({ scoreAheadOfExecutionPoints: rules.scoreAheadOfExecutionPoints ?? DEFAULT_REVIEW_PARAMETERS.scoreAheadOfExecutionPoints });

export const reviewApi: Implementations<typeof reviewRoutes> = {
  analyzeSelfEvaluationTable: async ({ body, ctx }) => {
    const year = body.fiscalYear ?? currentFiscalYear();
    const { rules } = await currentRules(ctx.deploymentRegion, year);
    return { body: { fiscalYear: year, ...reviewTable(body, rules, reviewParameters(rules)) } };
  },
  getSelfEvaluationReviewFindings: async ({ params, ctx }) => {
    const self = await scopedSelf(params.id, ctx);
    const { rules } = await currentRules(self.object.region, self.object.fiscalYear);
    return { body: { fiscalYear: self.object.fiscalYear, selfEvaluationId: self.id, objectId: self.object.id, ...reviewTable(printedTableOfSelf(self), rules, reviewParameters(rules)) } };
  },
};
