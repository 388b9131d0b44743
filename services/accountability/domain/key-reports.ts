/**
 * Key evaluation reports (重点绩效评价报告) of one object and the People's Congress ratings of
 * each (满意度测评), folded from EvaluationCompleted (kind key) and KeyEvaluationRated, and the
 * tally the People's Congress report shows. Pure.
 *
 * Scale: `satisfied` 满意, `basically_satisfied` 基本满意, `dissatisfied` 不满意. One rating per
 * rater and evaluation: the rater's rating with the latest `ratedAt` stands, whatever order the
 * events arrive in, and folding the same event again changes nothing (so a redelivery never
 * counts twice, even past the summaries' own record of folded event ids).
 */
import type { EvaluationCompleted } from '../../../events/evaluation.ts';
import { SATISFACTION_LEVELS, type Satisfaction } from '../../../events/evaluation-ratings.ts';

type Grade = EvaluationCompleted['data']['grade'];


export interface CongressRatingRecord {
  satisfaction: Satisfaction;
  comments?: string;
  /** Remarks on 决策 / 过程 / 产出 / 效益 (decision, process, output, benefit), as given. */
  remarks?: Partial<Record<'decision' | 'process' | 'output' | 'benefit', string>>;
  /** The rater's token `sub` (a supervisor of the People's Congress). */
  ratedBy: string;
  ratedAt: string;
}

export interface KeyReport {
  evaluationId: string;
  score: number;
  grade: Grade;
  /** When the key evaluation was completed. */
  evaluatedAt: string;
  /** One per rater, oldest first. */
  ratings: CongressRatingRecord[];
}

const byTime = (a: CongressRatingRecord, b: CongressRatingRecord) => a.ratedAt.localeCompare(b.ratedAt) || a.ratedBy.localeCompare(b.ratedBy);

/**
 * The reports after one more fact: a key evaluation completed (no rating) or rated. The
 * evaluation's score and grade never change once it exists, so either event may bring them
 * first; a rating replaces its rater's own earlier one only if it is not older.
 */
export function foldKeyReport(reports: readonly KeyReport[] | undefined, report: Omit<KeyReport, 'ratings'>, rating?: CongressRatingRecord): KeyReport[] {
  const list = (reports ?? []).map((r) => ({ ...r, ratings: [...r.ratings] }));
  let target = list.find((r) => r.evaluationId === report.evaluationId);
  if (!target) {
    target = { ...report, ratings: [] };
    list.push(target);
  } else {
    Object.assign(target, { score: report.score, grade: report.grade, evaluatedAt: report.evaluatedAt });
  }
  if (rating) {
    const own = target.ratings.find((r) => r.ratedBy === rating.ratedBy);
    if (!own || Date.parse(rating.ratedAt) >= Date.parse(own.ratedAt)) {
      target.ratings = [...target.ratings.filter((r) => r.ratedBy !== rating.ratedBy), rating].sort(byTime);
    }
  }
  return list.sort((a, b) => a.evaluatedAt.localeCompare(b.evaluatedAt) || a.evaluationId.localeCompare(b.evaluationId));
}

export interface KeyReportTally {
  /** Key evaluation reports of the year. */
  reports: number;
  /** Reports with at least one rating, and those with none yet. */
  rated: number;
  notRated: number;
  /** Ratings (one per rater and report), and how many at each level. */
  ratings: number;
  bySatisfaction: Record<Satisfaction, number>;
}

export function tallyKeyReports(reports: readonly { ratings: readonly { satisfaction: Satisfaction }[] }[]): KeyReportTally {
  const bySatisfaction = Object.fromEntries(SATISFACTION_LEVELS.map((level) => [level, 0])) as Record<Satisfaction, number>;
  for (const report of reports) for (const rating of report.ratings) bySatisfaction[rating.satisfaction]++;
  const rated = reports.filter((r) => r.ratings.length > 0).length;
  return { reports: reports.length, rated, notRated: reports.length - rated, ratings: reports.reduce((n, r) => n + r.ratings.length, 0), bySatisfaction };
}
