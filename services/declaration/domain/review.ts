/**
 * Scoring a target review (docs/domain.md section 2, 绩效目标审核): the reviewer scores the four
 * criteria the rules name (完整性, 相关性, 适当性, 可行性) from 0 to 100, each with its comments;
 * their weighted score gives the grade under the region-year cut-offs, and a grade sent with the
 * scores must be that grade. A review with a grade only (a client from before the criteria) is
 * taken while the year's rules do not require scores, and recorded without them. Pure.
 */
import { REVIEW_CRITERIA, REVIEW_CRITERION_LABELS, type ReviewCriteriaRules, type ReviewCriterion, type ReviewGrade, type RuleViolation } from './rules.ts';

export interface CriterionScore {
  /** 0-100. */
  score: number;
  comments?: string;
}
export type CriterionScores = Record<ReviewCriterion, CriterionScore>;

export interface ReviewInput {
  /** Follows from the scores when they are given (and must then agree with them); required without them. */
  grade?: ReviewGrade;
  criteria?: CriterionScores;
  comments?: string;
}

/** A review as recorded: the grade and, when scored, every criterion and the weighted score. */
export interface ScoredReview {
  grade: ReviewGrade;
  criteria?: CriterionScores;
  /** The weighted 0-100 score of the criteria, to two decimals; absent on a grade-only review. */
  score?: number;
  comments?: string;
}

/** Σ score × weight ÷ 100 over the four criteria, to two decimals (weights add up to 100). */
export function weightedScore(criteria: CriterionScores, weights: ReviewCriteriaRules['weights']): number {
  const total = REVIEW_CRITERIA.reduce((sum, criterion) => sum + criteria[criterion].score * weights[criterion], 0) / 100;
  return Math.round(total * 100) / 100;
}

/** The grade of a score: each cut-off is an inclusive lower bound. */
export function gradeOfScore(score: number, cutoffs: ReviewCriteriaRules['gradeCutoffs']): ReviewGrade {
  if (score >= cutoffs.excellent) return 'excellent';
  if (score >= cutoffs.good) return 'good';
  if (score >= cutoffs.fair) return 'fair';
  return 'poor';
}

export type ReviewScoring = { review: ScoredReview } | { violation: RuleViolation };

const isScore = (n: unknown): n is number => typeof n === 'number' && Number.isFinite(n) && n >= 0 && n <= 100;

/** The review a reviewer's input makes under the year's rules, or the first thing wrong with it (its field relative to the input). */
export function scoreReview(input: ReviewInput, rules: ReviewCriteriaRules, gradeLabels: Record<ReviewGrade, string>): ReviewScoring {
  const comments = input.comments?.trim();
  const general = comments ? { comments } : {};
  let review: ScoredReview;
  if (input.criteria) {
    const sent = input.criteria;
    const unscored = REVIEW_CRITERIA.find((criterion) => !isScore(sent[criterion]?.score));
    if (unscored) return { violation: { field: `criteria.${unscored}.score`, message: `score ${REVIEW_CRITERION_LABELS[unscored]} from 0 to 100` } };
    const criteria = Object.fromEntries(
      REVIEW_CRITERIA.map((criterion) => {
        const { score, comments: said } = sent[criterion];
        return [criterion, { score, ...(said?.trim() ? { comments: said.trim() } : {}) }];
      }),
    ) as CriterionScores;
    const score = weightedScore(criteria, rules.weights);
    const grade = gradeOfScore(score, rules.gradeCutoffs);
    if (input.grade && input.grade !== grade) {
      const { excellent, good, fair } = rules.gradeCutoffs;
      return {
        violation: {
          field: 'grade',
          message: `the criteria score ${score}, which is ${gradeLabels[grade]} (${gradeLabels.excellent} from ${excellent}, ${gradeLabels.good} from ${good}, ${gradeLabels.fair} from ${fair}), not ${gradeLabels[input.grade]}: change the scores, or send ${grade} or no grade`,
        },
      };
    }
    review = { grade, criteria, score, ...general };
  } else {
    if (rules.scoresRequired) {
      return { violation: { field: 'criteria', message: "score the four review criteria (完整性, 相关性, 适当性, 可行性), 0-100 each, with comments: this year's rules require them" } };
    }
    if (!input.grade) return { violation: { field: 'grade', message: 'give the grade, or score the four review criteria (the grade then follows from the score)' } };
    review = { grade: input.grade, ...general };
  }
  const missing = missingComments(review);
  return missing ? { violation: missing } : { review };
}

/**
 * Only 优 stands without words: 良 passes "after agreed fixes", which the comments record; 中 and
 * 差 must tell the unit what is wrong. A criterion's comments count as words too.
 */
function missingComments(review: ScoredReview): RuleViolation | undefined {
  if (review.grade === 'excellent' || review.comments || REVIEW_CRITERIA.some((criterion) => review.criteria?.[criterion].comments)) return undefined;
  return {
    field: 'comments',
    message: review.grade === 'good' ? 'A 良 grade passes after agreed fixes: write them in the comments' : 'A 中 or 差 grade needs comments telling the unit what is wrong',
  };
}

/** The comments of a review in one line: the general ones, then each criterion's with its score (完整性 60: …). */
export function reviewComments(review: ScoredReview): string | undefined {
  const byCriterion = REVIEW_CRITERIA.flatMap((criterion) => {
    const scored = review.criteria?.[criterion];
    return scored?.comments ? [`${REVIEW_CRITERION_LABELS[criterion]} ${scored.score}: ${scored.comments}`] : [];
  });
  const all = [...(review.comments ? [review.comments] : []), ...byCriterion];
  return all.length ? all.join('; ') : undefined;
}
