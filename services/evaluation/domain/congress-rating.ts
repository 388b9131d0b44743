/**
 * The People's Congress rating of a key evaluation report (人大对重点绩效评价报告的满意度测评).
 * Pure.
 *
 * - Scale: the three levels of the people's congresses' 满意度测评, `satisfied` 满意,
 *   `basically_satisfied` 基本满意, `dissatisfied` 不满意. Comments are optional, except that
 *   `dissatisfied` must say why (comments required). Remarks on the four parts of the frame
 *   (决策 / 过程 / 产出 / 效益) are optional.
 * - What can be rated: a key evaluation report. A key evaluation is created finished (total,
 *   grade and EvaluationCompleted in one transaction; there is no draft), so every stored key
 *   evaluation of the region is a finished report and may be rated.
 * - Who: a supervisor token of the People's Congress (supervisoryBody congress). One rating per
 *   rater (the token's `sub`) and evaluation; rating again replaces the rater's own rating (no
 *   If-Match: nobody else writes it), and the latest `ratedAt` wins.
 */
import { ASPECT_LABELS, SATISFACTION_LABELS, type Aspect, type Satisfaction } from '../../../events/evaluation-ratings.ts';
import type { FieldError } from '../../../shared/pure/field-error.ts';
import type { KeyEvaluation } from './self-evaluation.ts';

const ASPECTS = Object.keys(ASPECT_LABELS) as Aspect[];

export interface CongressRatingInput {
  satisfaction: Satisfaction;
  comments?: string | undefined;
  remarks?: Partial<Record<Aspect, string | undefined>> | undefined;
}

export interface CongressRating {
  satisfaction: Satisfaction;
  comments?: string;
  remarks?: Partial<Record<Aspect, string>>;
  /** The rater's token `sub`. */
  ratedBy: string;
  ratedAt: string;
}

/** A key evaluation as GET shows it: with its People's Congress ratings, oldest first. */
export type RatedKeyEvaluation = KeyEvaluation & { congressRatings?: CongressRating[] };

/** What is wrong with a rating, by field (`comments`); empty when it may be recorded. */
export function ratingErrors(input: CongressRatingInput): FieldError[] {
  if (input.satisfaction === 'dissatisfied' && !input.comments?.trim()) {
    return [{ field: 'comments', message: `comments are required when the satisfaction is dissatisfied (${SATISFACTION_LABELS.dissatisfied}): say what the report lacks` }];
  }
  return [];
}

/** The rating to store: only the remarks given, in frame order; no empty remarks object. */
export function congressRating(input: CongressRatingInput, ratedBy: string, ratedAt: string): CongressRating {
  const remarks: Partial<Record<Aspect, string>> = {};
  for (const aspect of ASPECTS) {
    const remark = input.remarks?.[aspect]?.trim();
    if (remark) remarks[aspect] = remark;
  }
  const comments = input.comments?.trim();
  return {
    satisfaction: input.satisfaction,
    ...(comments ? { comments } : {}),
    ...(Object.keys(remarks).length ? { remarks } : {}),
    ratedBy,
    ratedAt,
  };
}

/** The ratings after `rating`: it replaces its rater's own earlier one; oldest first. */
export function withRating(ratings: readonly CongressRating[], rating: CongressRating): CongressRating[] {
  return [...ratings.filter((r) => r.ratedBy !== rating.ratedBy), rating].sort((a, b) => a.ratedAt.localeCompare(b.ratedAt) || a.ratedBy.localeCompare(b.ratedBy));
}
