/**
 * Implementations of the review assistant routes: a printed table, or stored self-evaluations,
 * read under the region's parameters of their year; nothing is stored.
 */
import type { Implementations } from '../../../shared/http/api.ts';
import { ownerPrefixFor } from '../../../shared/http/auth.ts';
import { pageSize } from '../../../shared/http/schemas.ts';
import { DEFAULT_REVIEW_PARAMETERS, reviewTable, riskRank } from '../domain/review-assistant.ts';
import { printedTableOfSelf } from '../domain/review-of-self.ts';
import type { EvaluationRules } from '../domain/rules.ts';
import { scopedSelf } from './access.ts';
import type { reviewRoutes } from '../routes/review.ts';
import { listSelfEvaluations } from '../store/self-evaluations.ts';
import { currentRules } from './rules.ts';

const RISK = ['error', 'warning', 'none'] as const;

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
  },  listReviewFindings: async ({ query, ctx }) => {
    const prefix = ownerPrefixFor(ctx.actor, query.department);
    const page = await listSelfEvaluations(ctx.deploymentRegion, query.year, prefix, pageSize(query.limit), query.cursor);
    const { rules } = await currentRules(ctx.deploymentRegion, query.year);
    const parameters = reviewParameters(rules);
    const items = page.items.flatMap((self) => {
      if (self.status === 'draft') return [];
      const { findings } = reviewTable(printedTableOfSelf(self), rules, parameters);
      const rank = riskRank(findings);
      if (query.risk && rank > RISK.indexOf(query.risk)) return [];
      const risk = RISK[rank] ?? 'none';
      const { id, name, spendingType, department, unit } = self.object;
      return [
        {
          selfEvaluationId: self.id,
          status: self.status,
          object: { id, name, spendingType, department, unit },
          budgetWan: self.execution.budgetWan,
          risk,
          errors: findings.filter((f) => f.severity === 'error').length,
          warnings: findings.filter((f) => f.severity === 'warning').length,
          findings,
        },
      ];
    });
    return { body: { items, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) } };
  },
};
