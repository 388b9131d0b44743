/**
 * Key evaluation reports and their People's Congress ratings in the accountability service:
 * the fold (order-independent, redelivery-proof), the tally, the report's section and its HTML.
 */
import { describe, expect, it, vi } from 'vitest';
import { examples } from '../../events/examples.ts';
import type { ConsumedEvent } from '../../shared/consumer.ts';
import { congressReport } from '../../services/accountability/domain/congress-report.ts';
import { foldKeyReport, tallyKeyReports, type CongressRatingRecord } from '../../services/accountability/domain/key-reports.ts';
import { foldEvent, type FoldableEvent, type ObjectSummary } from '../../services/accountability/domain/object-summary.ts';
import { congressReportHtml } from '../../services/accountability/domain/report-html.ts';

// summaries.ts over an in-memory stand-in of its store.
const stored = new Map<string, { summary: ObjectSummary; version: number; eventIds: string[] }>();
vi.mock('../../services/accountability/store/summaries.ts', () => ({
  getStoredSummary: async (id: string) => structuredClone(stored.get(id)),
  putSummary: async (summary: ObjectSummary, eventIds: string[], expected: number) => {
    if ((stored.get(summary.objectId)?.version ?? 0) !== expected) throw Object.assign(new Error('conditional check failed'), { name: 'ConditionalCheckFailedException' });
    stored.set(summary.objectId, { summary, version: expected + 1, eventIds });
  },
}));
const { foldIntoSummary } = await import('../../services/accountability/jobs/summaries.ts');

let n = 0;
function ev(detailType: string, change: (data: any) => void = () => undefined): FoldableEvent {
  const detail = structuredClone(examples[detailType]) as { meta: any; data: any };
  n += 1;
  detail.meta.eventId = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  change(detail.data);
  return { detailType, meta: detail.meta, data: detail.data };
}
const consumed = (e: FoldableEvent): ConsumedEvent => ({ detailType: e.detailType, source: 'jixiao.evaluation', envelopeId: 'x', time: e.meta.occurredAt, meta: e.meta as ConsumedEvent['meta'], data: e.data });
const foldAll = (events: FoldableEvent[]) => events.reduce<ObjectSummary | undefined>((s, e) => foldEvent(s, e), undefined);

const KEY = 'key_0n0000000000001';
const keyCompleted = () =>
  ev('EvaluationCompleted', (d) => {
    d.kind = 'key';
    d.evaluationId = KEY;
    d.totalScore = 82.5;
    d.grade = 'good';
    d.completedAt = '2027-05-20T08:00:00.000Z';
  });
const rated = (ratedBy: string, satisfaction: string, ratedAt: string, comments?: string) =>
  ev('KeyEvaluationRated', (d) => {
    d.ratedBy = ratedBy;
    d.satisfaction = satisfaction;
    d.ratedAt = ratedAt;
    delete d.remarks;
    if (comments) d.comments = comments;
    else delete d.comments;
  });

describe('foldEvent: key evaluation reports and their ratings', () => {
  it('EvaluationCompleted (key) lists the report, not yet rated', () => {
    const s = foldAll([keyCompleted()]);
    expect(s?.keyReports).toEqual([{ evaluationId: KEY, score: 82.5, grade: 'good', evaluatedAt: '2027-05-20T08:00:00.000Z', ratings: [] }]);
    expect(foldAll([ev('EvaluationCompleted')])?.keyReports).toBeUndefined();
  });

  it('KeyEvaluationRated adds the rating with its comments and remarks; the report facts ride along', () => {
    const s = foldAll([ev('KeyEvaluationRated')]);
    expect(s?.keyReports).toEqual([
      {
        evaluationId: KEY,
        score: 82.5,
        grade: 'good',
        evaluatedAt: '2027-05-20T08:00:00.000Z',
        ratings: [
          {
            satisfaction: 'basically_satisfied',
            comments: '报告对资金支付滞后的原因分析不够深入，整改措施需细化到时间节点。',
            remarks: { process: '资金拨付进度问题应说明责任单位', benefit: '受益学生满意度调查样本偏少' },
            ratedBy: 'npc-budget-committee-1',
            ratedAt: '2027-06-18T02:30:00.000Z',
          },
        ],
      },
    ]);
  });

  it("a rater's later rating replaces theirs, whatever order the events arrive in; other raters stay", () => {
    const first = rated('npc-a', 'dissatisfied', '2027-06-01T00:00:00.000Z', '问题分析不足');
    const second = rated('npc-a', 'satisfied', '2027-06-05T00:00:00.000Z');
    const other = rated('npc-b', 'basically_satisfied', '2027-06-03T00:00:00.000Z');
    const forward = foldAll([keyCompleted(), first, other, second]);
    const backward = foldAll([second, other, first, keyCompleted()]);
    expect(backward?.keyReports).toEqual(forward?.keyReports);
    expect(forward?.keyReports?.[0]?.ratings.map((r) => [r.ratedBy, r.satisfaction])).toEqual([
      ['npc-b', 'basically_satisfied'],
      ['npc-a', 'satisfied'],
    ]);
  });

  it('folding the same rating twice counts it once', () => {
    const once = rated('npc-a', 'satisfied', '2027-06-01T00:00:00.000Z');
    const s = foldAll([keyCompleted(), once, once]);
    expect(s?.keyReports?.[0]?.ratings).toHaveLength(1);
    expect(tallyKeyReports(s!.keyReports!)).toMatchObject({ ratings: 1, bySatisfaction: { satisfied: 1, basically_satisfied: 0, dissatisfied: 0 } });
  });
});

describe('foldIntoSummary: a redelivered KeyEvaluationRated changes nothing', () => {
  it('keeps one rating and one event id', async () => {
    const e = rated('npc-redelivery', 'dissatisfied', '2027-06-10T00:00:00.000Z', '未说明资金结余原因');
    await foldIntoSummary(consumed(e));
    const after = structuredClone(stored.get('prj_0n0000000000001'));
    await foldIntoSummary(consumed(e));
    expect(stored.get('prj_0n0000000000001')).toEqual(after);
    expect(after?.eventIds).toEqual([e.meta.eventId]);
    expect(after?.summary.keyReports?.[0]?.ratings).toHaveLength(1);
  });
});

describe('tallyKeyReports', () => {
  const r = (satisfaction: CongressRatingRecord['satisfaction'], ratedBy = 'npc') => ({ satisfaction, ratedBy, ratedAt: '2027-06-01T00:00:00.000Z' });
  it('counts ratings by level, and the reports rated and not yet rated', () => {
    expect(tallyKeyReports([{ ratings: [r('satisfied', 'a'), r('dissatisfied', 'b')] }, { ratings: [r('basically_satisfied')] }, { ratings: [] }])).toEqual({
      reports: 3,
      rated: 2,
      notRated: 1,
      ratings: 3,
      bySatisfaction: { satisfied: 1, basically_satisfied: 1, dissatisfied: 1 },
    });
    expect(tallyKeyReports([])).toEqual({ reports: 0, rated: 0, notRated: 0, ratings: 0, bySatisfaction: { satisfied: 0, basically_satisfied: 0, dissatisfied: 0 } });
  });

  it('foldKeyReport keeps two key evaluations of one object apart', () => {
    const two = foldKeyReport(foldKeyReport(undefined, { evaluationId: 'key_b', score: 70, grade: 'fair', evaluatedAt: '2027-07-01T00:00:00Z' }), { evaluationId: 'key_a', score: 90, grade: 'excellent', evaluatedAt: '2027-05-01T00:00:00Z' }, r('satisfied'));
    expect(two.map((k) => [k.evaluationId, k.ratings.length])).toEqual([
      ['key_a', 1],
      ['key_b', 0],
    ]);
    expect(tallyKeyReports(two)).toMatchObject({ reports: 2, rated: 1, notRated: 1 });
  });
});

describe("the People's Congress report: key evaluation reports with their ratings", () => {
  const objectOf = (id: string, name: string, department: string) => (d: any) => {
    d.object = { ...d.object, id, name, department };
  };
  const rated1 = foldAll([
    keyCompleted(),
    ev('KeyEvaluationRated', (d) => {
      d.satisfaction = 'dissatisfied';
      d.comments = '<b>整改</b>不到位';
      d.remarks = { process: '资金拨付滞后' };
    }),
  ])!;
  const unrated = foldAll([
    ev('EvaluationCompleted', (d) => {
      objectOf('prj_0n0000000000002', '农田建设项目', 'D-AGRI')(d);
      d.kind = 'key';
      d.evaluationId = 'key_0n0000000000002';
      d.totalScore = 58;
      d.grade = 'poor';
    }),
  ])!;
  // A summary folded before reports were kept: its key result only.
  const { keyReports: _none, ...before } = unrated;
  const legacy: ObjectSummary = { ...before, objectId: 'prj_legacy', name: '旧汇总项目', evaluation: { key: { score: 91, grade: 'excellent', at: '2027-04-01T00:00:00Z', evaluationId: 'key_legacy' } } };
  const report = congressReport({
    region: '360000',
    // The examples' objects are of fiscal year 2026.
    fiscalYear: 2026,
    generatedAt: '2027-12-05T00:00:00Z',
    summaries: [rated1, unrated, legacy],
    rectifications: { total: 0, closed: 0, closedOnTime: 0, open: 0, overdue: 0, bySource: {} },
    cases: { total: 0, open: 0, decided: 0, closed: 0, byRule: {} },
  });

  it('lists every report with object name, score, grade and each rating, names beside codes', () => {
    expect(report.keyEvaluations.reports.map((k) => [k.department, k.objectName, k.evaluationId, k.grade, k.gradeLabel, k.ratings.map((r) => r.satisfactionLabel)])).toEqual([
      // Objects of a department in pinyin order (旧 jiù before 农 nóng).
      ['D-AGRI', '旧汇总项目', 'key_legacy', 'excellent', '优', []],
      ['D-AGRI', '农田建设项目', 'key_0n0000000000002', 'poor', '差', []],
      ['D-EDU', '2026年高中助学金项目', KEY, 'good', '良', ['不满意']],
    ]);
    expect(report.keyEvaluations.reports[2]?.ratings[0]).toMatchObject({ satisfaction: 'dissatisfied', comments: '<b>整改</b>不到位', remarks: { process: '资金拨付滞后' }, ratedBy: 'npc-budget-committee-1' });
  });

  it('tallies the ratings and the reports not yet rated', () => {
    expect(report.keyEvaluations.tally).toEqual({ reports: 3, rated: 1, notRated: 2, ratings: 1, bySatisfaction: { satisfied: 0, basically_satisfied: 0, dissatisfied: 1 } });
  });

  it('prints them in the HTML, escaped, with the satisfaction label and the remark by part', () => {
    const html = congressReportHtml(report);
    expect(html).toContain('六、重点绩效评价报告满意度测评');
    expect(html).toContain('<div class="stat" data-total="keyEvaluations.notRated"><span class="label">未测评</span><span class="value">2</span></div>');
    expect(html).toContain('<div class="stat" data-total="keyEvaluations.dissatisfied"><span class="label">不满意</span><span class="value">1</span></div>');
    expect(html).toContain('<td>不满意</td><td class="text">&lt;b&gt;整改&lt;/b&gt;不到位；过程：资金拨付滞后</td>');
    expect(html).not.toContain('<b>');
    expect(html).toContain('<td>农田建设项目</td><td>D-AGRI</td><td>58.00</td><td>差</td><td>未测评</td>');
  });
});
