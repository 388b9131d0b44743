/** The People's Congress rating of a key evaluation report (services/evaluation/domain/congress-rating.ts). */
import { describe, expect, it } from 'vitest';
import { SATISFACTION_LABELS } from '../../events/evaluation-ratings.ts';
import { congressRating, ratingErrors, withRating } from '../../services/evaluation/domain/congress-rating.ts';

describe('ratingErrors', () => {
  it('requires comments when the satisfaction is dissatisfied (不满意), naming the field', () => {
    expect(ratingErrors({ satisfaction: 'dissatisfied' })).toEqual([{ field: 'comments', message: expect.stringContaining('不满意') }]);
    expect(ratingErrors({ satisfaction: 'dissatisfied', comments: '   ' }).map((e) => e.field)).toEqual(['comments']);
    expect(ratingErrors({ satisfaction: 'dissatisfied', comments: '整改措施不具体' })).toEqual([]);
  });

  it('takes satisfied and basically satisfied with or without comments', () => {
    expect(ratingErrors({ satisfaction: 'satisfied' })).toEqual([]);
    expect(ratingErrors({ satisfaction: 'basically_satisfied' })).toEqual([]);
    expect(ratingErrors({ satisfaction: 'basically_satisfied', comments: '原因分析可再深入' })).toEqual([]);
  });
});

describe('the three-level scale', () => {
  it('is 满意 / 基本满意 / 不满意', () => {
    expect(SATISFACTION_LABELS).toEqual({ satisfied: '满意', basically_satisfied: '基本满意', dissatisfied: '不满意' });
  });
});

describe('congressRating', () => {
  it('keeps the remarks given, in frame order, and drops an empty remarks object', () => {
    const r = congressRating({ satisfaction: 'satisfied', remarks: { benefit: ' 效益明显 ', decision: '立项充分', process: '' } }, 'npc-1', '2030-06-01T00:00:00.000Z');
    expect(r).toEqual({ satisfaction: 'satisfied', remarks: { decision: '立项充分', benefit: '效益明显' }, ratedBy: 'npc-1', ratedAt: '2030-06-01T00:00:00.000Z' });
    expect(Object.keys(r.remarks!)).toEqual(['decision', 'benefit']);
    expect(congressRating({ satisfaction: 'satisfied', remarks: {} }, 'npc-1', '2030-06-01T00:00:00.000Z')).not.toHaveProperty('remarks');
    expect(congressRating({ satisfaction: 'satisfied' }, 'npc-1', '2030-06-01T00:00:00.000Z')).not.toHaveProperty('comments');
  });
});

describe('withRating: one rating per rater', () => {
  const a1 = congressRating({ satisfaction: 'dissatisfied', comments: '问题分析不足' }, 'npc-a', '2030-06-01T00:00:00.000Z');
  const b1 = congressRating({ satisfaction: 'satisfied' }, 'npc-b', '2030-06-02T00:00:00.000Z');
  const a2 = congressRating({ satisfaction: 'basically_satisfied' }, 'npc-a', '2030-06-03T00:00:00.000Z');

  it("adds another rater's rating beside the others, oldest first", () => {
    expect(withRating([a1], b1)).toEqual([a1, b1]);
  });

  it("replaces the rater's own earlier rating", () => {
    expect(withRating([a1, b1], a2)).toEqual([b1, a2]);
    expect(withRating(withRating([a1, b1], a2), a2)).toEqual([b1, a2]);
  });
});
