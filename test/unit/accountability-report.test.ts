/** The People's Congress report: aggregation of object summaries, and the HTML page's escaping. */
import { describe, expect, it } from 'vitest';
import { congressReport, type CaseTotals, type RectificationTotals } from '../../services/accountability/domain/congress-report.ts';
import type { ObjectSummary } from '../../services/accountability/domain/object-summary.ts';
import { congressReportHtml, escapeHtml, pieChart, wan } from '../../services/accountability/domain/report-html.ts';

let n = 0;
function summary(over: Partial<ObjectSummary> & { amountWan?: number; approved?: boolean } = {}): ObjectSummary {
  const { amountWan, approved = true, ...rest } = over;
  n++;
  return {
    objectId: `obj_test${String(n).padStart(8, '0')}`,
    spendingType: 'project',
    name: `对象${n}`,
    fiscalYear: 2027,
    region: '360000',
    department: 'D-A',
    unit: 'U-A-1',
    declaration: { submissions: 1, returned: 0, rejected: false, revisions: 0, ...(approved ? { approvedAt: '2027-01-10T00:00:00Z', amountWan: amountWan ?? 100, targetVersion: 1 } : {}) },
    monitoring: { reports: 0, deviations: 0, redDeviations: 0, corrected: 0, reminders: 0, escalations: 0, fundingPauseRecommended: false },
    evaluation: {},
    updatedAt: '2027-12-01T00:00:00Z',
    ...rest,
  };
}

const rect: RectificationTotals = { total: 3, closed: 2, closedOnTime: 1, open: 1, overdue: 1, bySource: { deviation: 2, manual: 1 } };
const cases: CaseTotals = { total: 2, open: 1, decided: 1, closed: 0, byRule: { poor_two_years: 1, manual: 1 } };
const build = (summaries: ObjectSummary[]) => congressReport({ region: '360000', fiscalYear: 2027, generatedAt: '2028-01-05T00:00:00Z', summaries, rectifications: rect, cases });

describe('congress report aggregation', () => {
  it('sums approved amounts by type and department, leaving unapproved objects out of the amount', () => {
    const r = build([
      summary({ department: 'D-A', amountWan: 100.1 }),
      summary({ department: 'D-A', amountWan: 200.2, spendingType: 'transfer_payment' }),
      summary({ department: 'D-B', amountWan: 0.3 }),
      summary({ department: 'D-B', approved: false, declaration: { submissions: 2, returned: 1, rejected: true, revisions: 0 } }),
    ]);
    expect(r.targets).toMatchObject({ objects: 4, approved: 3, amountWan: 300.6, rejected: 1 });
    expect(r.targets.byDepartment).toEqual([
      { department: 'D-A', objects: 2, approved: 2, amountWan: 300.3 },
      { department: 'D-B', objects: 2, approved: 1, amountWan: 0.3 },
    ]);
    expect(r.targets.byType).toEqual([
      { type: 'project', objects: 3, approved: 2, amountWan: 100.4 },
      { type: 'transfer_payment', objects: 1, approved: 1, amountWan: 200.2 },
    ]);
  });

  it('counts monitoring reports, last lights, deviations, corrections and funding pauses', () => {
    const mon = (m: Partial<ObjectSummary['monitoring']>) => ({ reports: 0, deviations: 0, redDeviations: 0, corrected: 0, reminders: 0, escalations: 0, fundingPauseRecommended: false, ...m });
    const r = build([
      summary({ monitoring: mon({ reports: 2, lastLight: 'green', deviations: 1, corrected: 1 }) }),
      summary({ monitoring: mon({ reports: 3, lastLight: 'red', deviations: 2, redDeviations: 2, fundingPauseRecommended: true, reminders: 1 }) }),
      summary({ monitoring: mon({ reports: 1, lastLight: 'yellow', deviations: 1, escalations: 1 }) }),
      summary(),
    ]);
    expect(r.monitoring).toEqual({ reports: 6, objectsReported: 3, lights: { green: 1, yellow: 1, red: 1 }, deviations: 4, redDeviations: 2, corrected: 1, fundingPauses: 1, reminders: 1, escalations: 1 });
  });

  it('counts the grade that counts (key over review over self), by type and by basis', () => {
    const at = '2027-12-01T00:00:00Z';
    const r = build([
      summary({ evaluation: { self: { score: 95, grade: 'excellent', at }, key: { score: 55, grade: 'poor', at }, finalGrade: 'poor', finalScore: 55 } }),
      summary({ evaluation: { self: { score: 85, grade: 'good', at }, financeReview: { score: 75, grade: 'fair', at }, finalGrade: 'fair', finalScore: 75 } }),
      summary({ spendingType: 'department_overall', evaluation: { self: { score: 91, grade: 'excellent', at }, finalGrade: 'excellent', finalScore: 91 } }),
      summary(),
    ]);
    expect(r.evaluation.grades).toEqual({ excellent: 1, good: 0, fair: 1, poor: 1 });
    expect(r.evaluation.byBasis).toEqual({ key: 1, financeReview: 1, self: 1 });
    expect(r.evaluation).toMatchObject({ evaluated: 3, notEvaluated: 1, averageScore: 73.67 });
    expect(r.evaluation.byType).toEqual([
      { type: 'project', evaluated: 2, grades: { excellent: 0, good: 0, fair: 1, poor: 1 } },
      { type: 'department_overall', evaluated: 1, grades: { excellent: 1, good: 0, fair: 0, poor: 0 } },
    ]);
  });

  it('totals the budget recommendations with current and proposed amounts', () => {
    const r = build([
      summary({ application: { recommendation: 'cut', currentAmountWan: 100.1, proposedAmountWan: 80.08, proposedAdjustment: -0.2 } }),
      summary({ application: { recommendation: 'priority', currentAmountWan: 0.2, proposedAmountWan: 0.22, proposedAdjustment: 0.1 } }),
      summary(),
    ]);
    expect(r.application).toEqual({ recommendations: 2, byRecommendation: { priority: 1, maintain: 0, improve: 0, cut: 1, cancel: 0 }, currentAmountWan: 100.3, proposedAmountWan: 80.3, changeWan: -20 });
  });

  it('leaves out summaries of another region or year and passes rectification and case totals through', () => {
    const r = build([summary(), summary({ region: '360100' }), summary({ fiscalYear: 2026 })]);
    expect(r.targets.objects).toBe(1);
    expect(r.rectifications).toEqual(rect);
    expect(r.cases).toEqual(cases);
  });

  it('is all zeros for a year without data', () => {
    const r = build([]);
    expect(r.targets).toMatchObject({ objects: 0, approved: 0, amountWan: 0, byType: [], byDepartment: [] });
    expect(r.evaluation.averageScore).toBeNull();
  });
});

describe('congress report HTML', () => {
  it('escapes the five HTML-special characters', () => {
    expect(escapeHtml(`<script>alert("x")</script> & 'y'`)).toBe('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;');
  });

  it('escapes every value taken from the data (department codes, sources, rules)', () => {
    const hostile = '<img src=x onerror=alert(1)>';
    const r = congressReport({
      region: '360000',
      fiscalYear: 2027,
      generatedAt: '2028-01-05T00:00:00Z',
      summaries: [summary({ department: hostile })],
      rectifications: { ...rect, bySource: { [hostile]: 1 } },
      cases: { ...cases, byRule: { '"><svg onload=alert(1)>': 1 } },
    });
    const html = congressReportHtml(r, '</title><script>x()</script>');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<svg onload');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('is self-contained: no script, no external resource, print rules and page breaks', () => {
    const html = congressReportHtml(build([summary()]));
    expect(html).not.toMatch(/<script|<link|@import|url\(|src=|href=/i);
    expect(html).toContain('@media print');
    expect(html).toContain('break-before:page');
    expect(html).toContain('<html lang="zh-CN">');
    expect(html.match(/<svg /g)?.length).toBe(3);
  });

  it('prints amounts in 万元 with two decimals', () => {
    expect(wan(1234.5)).toBe('1,234.50');
    expect(wan(0.005)).toBe('0.01');
    const html = congressReportHtml(build([summary({ amountWan: 1234.567 })]));
    expect(html).toContain('<div class="stat" data-total="targets.amountWan"><span class="label">批复金额（万元）</span><span class="value">1,234.57</span></div>');
  });

  it('draws a pie slice per non-empty category and says when there is no data', () => {
    const pie = pieChart('等级', [
      { label: '优', value: 1, color: '#000' },
      { label: '良', value: 3, color: '#111' },
      { label: '中', value: 0, color: '#222' },
    ]);
    expect(pie.match(/<path /g)?.length).toBe(2);
    expect(pie).toContain('良：3（75.0%）');
    expect(pieChart('空', [{ label: '优', value: 0, color: '#000' }])).toContain('无数据');
  });
});
