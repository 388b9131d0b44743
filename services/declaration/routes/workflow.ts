/** Routes of the declaration workflow: submit (the automatic check and the ex-ante gate), then the department's and finance's reviews. */
import * as z from 'zod/mini';
import { ReviewGradeSchema } from '../../../events/declaration.ts';
import { text } from '../../../shared/pure/fields.ts';
import { defineRoute } from '../../../shared/http/route.ts';
import { ObjectIdParams, objectResponse, tag } from './objects.ts';

const CriterionInputSchema = z.strictObject({ score: z.number().check(z.minimum(0), z.maximum(100)), comments: z.optional(text(2000)) });

/** The four review criteria, each scored 0-100 with optional comments. */
const ReviewCriteriaInputSchema = z.strictObject({
  completeness: CriterionInputSchema,
  relevance: CriterionInputSchema,
  appropriateness: CriterionInputSchema,
  feasibility: CriterionInputSchema,
});

export const workflowRoutes = {
  submit: defineRoute({
    operationId: 'submitDeclaration',
    tag,
    method: 'POST',
    path: '/v1/declaration/objects/{id}/submit',
    summary:
      'Submit the targets: the automatic check and the ex-ante gate run; passing goes to the competent department (DeclarationSubmitted), failing returns it to the unit with every reason (TargetRejected)',
    auth: 'jwt',
    roles: ['unit'],
    params: ObjectIdParams,
    requiresIfMatch: true,
    response: objectResponse('The object: department_review, or returned with lastRejection.reasons'),
    problems: [404],
  }),
  review: defineRoute({
    operationId: 'reviewDeclaration',
    tag,
    method: 'POST',
    path: '/v1/declaration/objects/{id}/reviews',
    summary:
      "Review the targets under review (the department first, then finance): score the four criteria 完整性, 相关性, 适当性, 可行性 (0-100 each, with comments); their weighted score under the year's rules gives the grade (a grade sent with them must agree). 优/良 pass, 中 returns them for revision, 差 rejects; finance passing approves (TargetApproved) — or, for a mid-year revision, TargetRevised. A grade without scores is still taken unless the year's rules require scores (reviewCriteria.scoresRequired), and is recorded unscored",
    auth: 'jwt',
    roles: ['department', 'finance'],
    params: ObjectIdParams,
    body: z.strictObject({ grade: z.optional(ReviewGradeSchema), criteria: z.optional(ReviewCriteriaInputSchema), comments: z.optional(text(2000)) }),
    requiresIfMatch: true,
    response: objectResponse('The object after the review'),
    problems: [404],
    problemDescriptions: { 409: 'Not under review, or the results gate needs a finance decision first, or someone else reviewed at the same time' },
  }),
};
