import { describe, expect, it } from 'vitest';
import { bigrams, explainMatch, rankMatches, words } from '../../services/indicators/domain/recommend.ts';

const candidates = ['受训学员满意度', '培训参加人数', '疫苗接种率', '高标准农田建设面积', '资助学生人数'].map((name) => ({ item: name, name }));

describe('recommendation matching', () => {
  it('segments Chinese into words without function words, numbers or single characters', () => {
    expect(words('组织开展2026年度教师培训的参加人数')).toEqual(expect.arrayContaining(['教师', '培训', '参加', '人数']));
    expect(words('组织开展2026年度教师培训的参加人数')).not.toContain('的');
    expect(words('2026')).toEqual([]);
  });

  it('makes character bigrams of Han runs only', () => {
    expect(bigrams('培训A人数')).toEqual(['培训', '人数']);
  });

  it('ranks the indicator sharing the most telling words first', () => {
    const ranked = rankMatches('为乡村教师举办信息化培训，计划参加人数300人', candidates, 3);
    expect(ranked[0]?.item).toBe('培训参加人数');
    expect(ranked[0]?.inName).toEqual(expect.arrayContaining(['培训', '参加']));
  });

  it('returns nothing when no word matches', () => {
    expect(rankMatches('桥梁维修', candidates, 3)).toEqual([]);
  });

  it('says which words matched and where', () => {
    expect(explainMatch({ inName: ['培训'], inExplanation: ['学员'] }, '教育')).toBe(
      'its name shares 「培训」 with the description; its explanation mentions 「学员」; an individual indicator of the 教育 sector',
    );
  });
});
