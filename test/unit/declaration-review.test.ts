/**
 * The target review's four criteria (完整性, 相关性, 适当性, 可行性): scores, the weighted score and
 * the grade it gives under the region-year weights and cut-offs, and how a scored review moves
 * the workflow. Expected figures are worked out beside each case.
 */
import { describe, expect, it } from 'vitest';
import { departmentActor, financeActor, spendingObject, unitActor } from '../support/spending-object.ts';
import { gradeOfScore, reviewComments, scoreReview, weightedScore, type CriterionScores, type ReviewInput, type ReviewScoring } from '../../services/declaration/domain/review.ts';
import { defaultRules, type ReviewCriteriaRules } from '../../services/declaration/domain/rules.ts';
import type { SpendingObject } from '../../services/declaration/domain/spending-object.ts';
import { review, submitRevision, TransitionError, type WorkflowActor } from '../../services/declaration/domain/workflow.ts';

const rules = defaultRules('360000', 2026);
const criteriaRules = rules.reviewCriteria;
const labels = rules.gradeLabels;

/** 完整性 95, 相关性 90, 适当性 85, 可行性 80: equal weights give (95 + 90 + 85 + 80) ÷ 4 = 87.5, 良. */
const scores = (c = 95, r = 90, a = 85, f = 80): CriterionScores => ({
  completeness: { score: c },
  relevance: { score: r },
  appropriateness: { score: a },
  feasibility: { score: f },
});

const reviewOf = (result: ReviewScoring) => {
  if ('violation' in result) throw new Error(`unexpected violation ${JSON.stringify(result.violation)}`);
  return result.review;
};
const violationOf = (result: ReviewScoring) => {
  if (!('violation' in result)) throw new Error('expected a violation');
  return result.violation;
};
const score = (input: ReviewInput, with_: ReviewCriteriaRules = criteriaRules) => scoreReview(input, with_, labels);

describe('review criteria: the weighted score', () => {
  it('weights the four criteria equally by default: 95, 90, 85, 80 give 87.5', () => {
    expect(weightedScore(scores(), criteriaRules.weights)).toBe(87.5);
  });

  it("follows the region's weights: 40/40/10/10 turn the same scores into 0.4×95 + 0.4×90 + 0.1×85 + 0.1×80 = 90.5", () => {
    expect(weightedScore(scores(), { completeness: 40, relevance: 40, appropriateness: 10, feasibility: 10 })).toBe(90.5);
  });

  it('rounds to two decimals: (33.33 × 91 + 33.33 × 92 + 33.34 × 93) ÷ 100 = 92.0001 is kept as 92', () => {
    expect(weightedScore(scores(91, 92, 93, 0), { completeness: 33.33, relevance: 33.33, appropriateness: 33.34, feasibility: 0 })).toBe(92);
  });
});

describe('review criteria: the grade from the score', () => {
  const cutoffs = criteriaRules.gradeCutoffs;
  it('takes each cut-off as an inclusive lower bound: 90 优, 80 良, 60 中', () => {
    expect([90, 80, 60].map((s) => gradeOfScore(s, cutoffs))).toEqual(['excellent', 'good', 'fair']);
  });

  it('grades just below a cut-off into the band below: 89.99 良, 79.99 中, 59.99 差', () => {
    expect([89.99, 79.99, 59.99].map((s) => gradeOfScore(s, cutoffs))).toEqual(['good', 'fair', 'poor']);
  });

  it("follows the region's cut-offs: 87.5 is 良 at 90/80/60 and 优 at 85/70/60", () => {
    const input = { criteria: scores(), comments: '按意见细化' };
    expect(reviewOf(score(input)).grade).toBe('good');
    expect(reviewOf(score(input, { ...criteriaRules, gradeCutoffs: { excellent: 85, good: 70, fair: 60 } })).grade).toBe('excellent');
  });

  it('lets the weights change the grade: the same scores are 良 equally weighted and 优 at 40/40/10/10 (90.5)', () => {
    const weighted = { ...criteriaRules, weights: { completeness: 40, relevance: 40, appropriateness: 10, feasibility: 10 } };
    expect(reviewOf(score({ criteria: scores(), comments: '按意见细化' })).grade).toBe('good');
    expect(reviewOf(score({ criteria: scores() }, weighted))).toMatchObject({ grade: 'excellent', score: 90.5 });
  });
});

describe('review criteria: what a review records', () => {
  it('records the four criteria, their score and the grade they give when no grade is sent', () => {
    expect(reviewOf(score({ criteria: scores(), comments: '按意见细化' }))).toEqual({ grade: 'good', criteria: scores(), score: 87.5, comments: '按意见细化' });
  });

  it('accepts a grade that agrees with the score', () => {
    expect(reviewOf(score({ grade: 'good', criteria: scores(), comments: '按意见细化' })).grade).toBe('good');
  });

  it('refuses a grade that disagrees with the score, on field grade, saying which grade the score gives', () => {
    const v = violationOf(score({ grade: 'excellent', criteria: scores() }));
    expect(v.field).toBe('grade');
    expect(v.message).toContain('87.5');
    expect(v.message).toContain('良');
  });

  it('refuses a criterion score outside 0-100, naming the criterion', () => {
    expect(violationOf(score({ criteria: { ...scores(), feasibility: { score: 101 } } })).field).toBe('criteria.feasibility.score');
  });

  it("keeps each criterion's comments, trimmed, and drops blank ones", () => {
    const criteria = { ...scores(), appropriateness: { score: 85, comments: '  成本测算依据不足 ' }, feasibility: { score: 80, comments: '  ' } };
    expect(reviewOf(score({ criteria, comments: '按意见细化' })).criteria).toEqual({ ...scores(), appropriateness: { score: 85, comments: '成本测算依据不足' } });
  });

  it("counts a criterion's comments as the comments a 中 needs, and refuses a 中 without any comments", () => {
    const fair = scores(70, 70, 60, 70); // 67.5: 中
    expect(violationOf(score({ criteria: fair })).field).toBe('comments');
    const commented = { ...fair, appropriateness: { score: 60, comments: '产出与资金不匹配' } };
    expect(reviewOf(score({ criteria: commented }))).toMatchObject({ grade: 'fair', score: 67.5 });
  });

  it('puts the general comments and each commented criterion with its score in one line', () => {
    const scored = reviewOf(score({ criteria: { ...scores(70, 70, 60, 70), appropriateness: { score: 60, comments: '产出与资金不匹配' } }, comments: '请修改' }));
    expect(reviewComments(scored)).toBe('请修改; 适当性 60: 产出与资金不匹配');
  });
});

describe('review criteria: reviews with a grade only', () => {
  it('takes a grade without scores while the rules do not require them, recorded without criteria or score', () => {
    expect(reviewOf(score({ grade: 'excellent' }))).toEqual({ grade: 'excellent' });
  });

  it('refuses a grade without scores once the rules require them, on field criteria', () => {
    expect(violationOf(score({ grade: 'excellent' }, { ...criteriaRules, scoresRequired: true })).field).toBe('criteria');
  });

  it('refuses a review with neither grade nor scores, on field grade', () => {
    expect(violationOf(score({ comments: '意见' })).field).toBe('grade');
  });
});

// ---------- in the workflow ----------

const NOW = new Date('2026-03-02T09:30:00.000Z');
const AT = NOW.toISOString();
const department = departmentActor;
const finance = financeActor;
const unit = unitActor;
const atDepartment = spendingObject({ status: 'department_review', submissions: 1 });
const context = { rules };

describe('review criteria in the workflow', () => {
  it('forwards a department review scored 87.5 as 良, keeping the criteria and score on the review and in the history', () => {
    const { next, history } = review(atDepartment, { criteria: scores(), comments: '按意见细化' }, department, NOW, context);
    expect(next.status).toBe('finance_review');
    expect(next.reviews).toEqual([{ stage: 'department', grade: 'good', criteria: scores(), score: 87.5, comments: '按意见细化', by: 'user_dept', at: AT }]);
    expect(history).toMatchObject({ action: 'passed department review', grade: 'good', score: 87.5 });
  });

  it('returns the targets when the score is 中, the rejection carrying score, criteria and the criterion comments', () => {
    const criteria = { ...scores(70, 70, 60, 70), appropriateness: { score: 60, comments: '产出与资金不匹配' } };
    const { next, outcome } = review(atDepartment, { criteria }, department, NOW, context);
    expect(next.status).toBe('returned');
    expect(outcome).toMatchObject({ kind: 'returned', rejection: { grade: 'fair', score: 67.5, criteria } });
    expect(next.lastRejection?.reasons[0]?.message).toBe('graded 中 (score 67.5) by the competent department: 适当性 60: 产出与资金不匹配');
  });

  it('rejects on a score below 60: 50 on every criterion is 差', () => {
    const low = { ...scores(50, 50, 50, 50), relevance: { score: 50, comments: '与部门职能不符' } };
    expect(review(atDepartment, { criteria: low }, department, NOW, context).next.status).toBe('rejected');
  });

  it('refuses a 良 sent with scores of 50 (差) as invalid on field grade: the score decides, nothing moves', () => {
    const low = scores(50, 50, 50, 50);
    const e = (() => {
      try {
        review(atDepartment, { grade: 'good', criteria: low, comments: '同意' }, department, NOW, context);
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(e).toBeInstanceOf(TransitionError);
    expect([(e as TransitionError).kind, (e as TransitionError).field]).toEqual(['invalid', 'grade']);
  });

  it('records a grade-only review without scores and says so in the history', () => {
    const { next, history } = review(atDepartment, { grade: 'excellent' }, department, NOW, context);
    expect(next.reviews).toEqual([{ stage: 'department', grade: 'excellent', by: 'user_dept', at: AT }]);
    expect(history.action).toBe('passed department review (grade only, the four criteria not scored)');
    expect(history).not.toHaveProperty('score');
  });

  it('scores the reviews of a mid-year revision too: the approved revision carries both scored reviews', () => {
    const approved = { ...atDepartment, status: 'approved' as const, targetVersion: 1 };
    const pending = submitRevision(approved, [], '受汛期影响调整完成时限', unit, NOW).next;
    const forwarded = review(pending, { criteria: scores(), comments: '按意见细化' }, department, NOW, context).next;
    const { outcome } = review(forwarded, { criteria: scores(100, 95, 90, 95) }, finance, NOW, context);
    expect(outcome).toMatchObject({
      kind: 'revision_approved',
      revision: { reviews: [{ stage: 'department', grade: 'good', score: 87.5 }, { stage: 'finance', grade: 'excellent', score: 95 }] },
    });
  });
});
