import { describe, expect, it } from 'vitest';
import {
  computeIndicator,
  computeSheet,
  gradeOf,
  isLowerLevelRegion,
  makeEntry,
  rankByTotal,
  withEntries,
  withSheet,
  type Assessment,
  type AssessmentFacts,
  type Entry,
} from '../../services/accountability/domain/assessment.ts';
import type { ObjectSummary } from '../../services/accountability/domain/object-summary.ts';
import { defaultAccountabilityRules } from '../../services/accountability/domain/rules.ts';

// ---------- fixtures ----------

let n = 0;
type Changes = { declaration?: Partial<ObjectSummary['declaration']>; monitoring?: Partial<ObjectSummary['monitoring']>; evaluation?: Partial<ObjectSummary['evaluation']> };
function summary(c: Changes = {}): ObjectSummary {
  n += 1;
  return {
    objectId: `obj_test${String(n).padStart(10, '0')}`,
    spendingType: 'project',
    name: `项目${n}`,
    fiscalYear: 2027,
    region: '360000',
    department: 'D-A',
    unit: 'U-A-1',
    declaration: { submissions: 1, returned: 0, rejected: false, revisions: 0, approvedAt: '2026-12-01T00:00:00.000Z', ...c.declaration },
    monitoring: { reports: 0, deviations: 0, redDeviations: 0, corrected: 0, reminders: 0, escalations: 0, fundingPauseRecommended: false, ...c.monitoring },
    evaluation: { ...c.evaluation },
    updatedAt: '2027-01-01T00:00:00.000Z',
  };
}
const notApproved = (c: Changes = {}) => summary({ ...c, declaration: { approvedAt: undefined, ...c.declaration } });
const result = (score: number) => ({ score, grade: 'good' as const, at: '2028-03-01T00:00:00.000Z' });
const facts = (summaries: ObjectSummary[], extra: Partial<AssessmentFacts> = {}): AssessmentFacts => ({ summaries, ...extra });
const ratio = (code: string, f: AssessmentFacts) => {
  const v = computeIndicator(code, f);
  if ('missing' in v) throw new Error(`${code} missing: ${v.explanation}`);
  return v;
};
const params = defaultAccountabilityRules('360000', 2027).assessment;
const entry = (r: number, reason = '核实'): Entry => ({ ratio: r, given: { ratio: r }, reason, by: 'fin-1', at: '2028-06-01T00:00:00.000Z' });

// ---------- each formula ----------

describe('computed indicators', () => {
  it('target_coverage = approved ÷ declared objects', () => {
    const v = ratio('target_coverage', facts([summary(), summary(), summary(), notApproved({ declaration: { rejected: true } })]));
    expect(v.ratio).toBe(0.75);
    expect(v.basis).toEqual({ declared: 4, approved: 3 });
    expect(v.explanation).toContain('3 of 4');
  });

  it('review_quality = approved without a return ÷ approved', () => {
    const v = ratio('review_quality', facts([summary(), summary({ declaration: { returned: 2 } }), summary(), summary(), notApproved({ declaration: { returned: 1 } })]));
    expect(v.ratio).toBe(0.75);
    expect(v.basis).toEqual({ approved: 4, approvedWithoutReturn: 3 });
  });

  it('monitoring_timeliness = reported with no escalation ÷ objects with reports or escalations', () => {
    const v = ratio('monitoring_timeliness', facts([summary({ monitoring: { reports: 2 } }), summary({ monitoring: { reports: 1, escalations: 1 } }), summary({ monitoring: { escalations: 1 } }), summary({ monitoring: { reports: 1 } }), summary()]));
    expect(v.ratio).toBe(0.5);
    expect(v.basis).toEqual({ monitored: 4, reportedWithoutEscalation: 2, escalated: 2 });
  });

  it('deviation_handling = corrected ÷ deviations, a correction never counting beyond its object’s deviations', () => {
    const v = ratio('deviation_handling', facts([summary({ monitoring: { deviations: 2, redDeviations: 1, corrected: 1 } }), summary({ monitoring: { deviations: 1, corrected: 3 } }), summary({ monitoring: { deviations: 1 } })]));
    expect(v.ratio).toBe(0.5);
    expect(v.basis).toEqual({ deviations: 4, redDeviations: 1, corrected: 2 });
  });

  it('self_evaluation_coverage = approved objects with a self-evaluation ÷ approved', () => {
    const v = ratio('self_evaluation_coverage', facts([summary({ evaluation: { self: result(80) } }), summary(), summary({ evaluation: { self: result(90) } }), summary(), notApproved({ evaluation: { self: result(70) } })]));
    expect(v.ratio).toBe(0.5);
    expect(v.basis).toEqual({ approved: 4, selfEvaluated: 2 });
  });

  it('self_evaluation_quality = 1 − mean |self − review| ÷ 100 over reviewed objects', () => {
    const v = ratio(
      'self_evaluation_quality',
      facts([summary({ evaluation: { self: result(90), financeReview: result(80) } }), summary({ evaluation: { self: result(70), financeReview: result(76) } }), summary({ evaluation: { self: result(95) } })]),
    );
    expect(v.ratio).toBe(0.92);
    expect(v.basis).toEqual({ reviewed: 2, meanGapPoints: 8, maxGapPoints: 10 });
  });

  it('rectification_completion = closed ÷ total orders', () => {
    const v = ratio('rectification_completion', facts([], { rectification: { total: 8, closed: 6, closedOnTime: 4, open: 2, overdue: 1 } }));
    expect(v.ratio).toBe(0.75);
    expect(v.explanation).toContain('4 on time');
  });

  it('disclosure = (targets + evaluations disclosed) ÷ (approved + evaluated objects), capped per kind', () => {
    const s = [summary({ evaluation: { self: result(80) } }), summary({ evaluation: { self: result(80) } }), summary(), summary()];
    const v = ratio('disclosure', facts(s, { disclosure: { targetsDisclosed: 3, evaluationsDisclosed: 5 } }));
    // targets 3 of 4; evaluations min(5, 2) = 2 of 2 → 5 / 6
    expect(v.ratio).toBe(0.8333);
    expect(v.basis).toMatchObject({ approvedObjects: 4, evaluatedObjects: 2 });
  });

  it('disclosure uses the approved count the disclosure figures give when they give one', () => {
    const v = ratio('disclosure', facts([summary()], { disclosure: { approvedObjects: 10, targetsDisclosed: 5, evaluationsDisclosed: 0 } }));
    expect(v.ratio).toBe(0.5);
  });

  it('is missing where there is nothing to measure', () => {
    for (const code of ['target_coverage', 'review_quality', 'monitoring_timeliness', 'deviation_handling', 'self_evaluation_coverage', 'self_evaluation_quality']) {
      expect(computeIndicator(code, facts([])), code).toMatchObject({ missing: true });
    }
    expect(computeIndicator('deviation_handling', facts([summary()]))).toMatchObject({ missing: true });
    expect(computeIndicator('rectification_completion', facts([]))).toMatchObject({ missing: true });
    expect(computeIndicator('rectification_completion', facts([], { rectification: { total: 0, closed: 0, closedOnTime: 0, open: 0, overdue: 0 } }))).toMatchObject({ missing: true });
    expect(computeIndicator('disclosure', facts([summary()]))).toMatchObject({ missing: true });
  });
});

// ---------- sheet: missing → entered, total, grade ----------

const fullFacts = (): AssessmentFacts =>
  facts(
    [
      summary({ monitoring: { reports: 1, deviations: 1, corrected: 1 }, evaluation: { self: result(90), financeReview: result(90) } }),
      summary({ monitoring: { reports: 1 }, evaluation: { self: result(80), financeReview: result(80) } }),
    ],
    { rectification: { total: 2, closed: 2, closedOnTime: 2, open: 0, overdue: 0 }, disclosure: { targetsDisclosed: 2, evaluationsDisclosed: 2 } },
  );

describe('the sheet', () => {
  it('computes every computed indicator it can; the entered one stays missing until finance enters it', () => {
    const sheet = computeSheet(params.indicators, fullFacts(), {}, params.gradeBounds);
    expect(sheet.missing).toEqual(['institution_building']);
    expect(sheet.grade).toBeUndefined();
    expect(sheet.total).toBe(90);
    expect(sheet.indicators.find((l) => l.code === 'target_coverage')).toMatchObject({ status: 'computed', ratio: 1, score: 15 });
  });

  it('score = weight × ratio; total sums them; grade by the bounds', () => {
    const sheet = computeSheet(params.indicators, fullFacts(), { institution_building: entry(0.5) }, params.gradeBounds);
    expect(sheet.indicators.find((l) => l.code === 'institution_building')).toMatchObject({ status: 'entered', ratio: 0.5, score: 5 });
    expect(sheet.total).toBe(95);
    expect(sheet.missing).toEqual([]);
    expect(sheet.grade).toBe('excellent');
  });

  it('a missing computed indicator takes finance’s entry, with the reason in its explanation', () => {
    const noRect = { ...fullFacts(), rectification: undefined };
    const sheet = computeSheet(params.indicators, noRect, { rectification_completion: entry(0.6, '下级财政报送整改台账'), institution_building: entry(1) }, params.gradeBounds);
    const line = sheet.indicators.find((l) => l.code === 'rectification_completion');
    expect(line).toMatchObject({ status: 'entered', ratio: 0.6, score: 9 });
    expect(line?.explanation).toContain('下级财政报送整改台账');
  });

  it('an entry for an indicator the data now covers is kept but not used', () => {
    const sheet = computeSheet(params.indicators, fullFacts(), { target_coverage: entry(0.1) }, params.gradeBounds);
    const line = sheet.indicators.find((l) => l.code === 'target_coverage');
    expect(line).toMatchObject({ status: 'computed', ratio: 1, entry: { ratio: 0.1 } });
    expect(line?.explanation).toContain('kept but not used');
  });

  it('grades at the bounds: 90 优, 89.99 良, 80 良, 60 中, 59.99 差', () => {
    expect([90, 89.99, 80, 60, 59.99].map((t) => gradeOf(t, params.gradeBounds))).toEqual(['excellent', 'good', 'good', 'fair', 'poor']);
  });

  it('entries: a ratio 0..1 or a score 0..weight, exactly one, with field paths in errors', () => {
    expect(makeEntry(10, { score: 7.5, reason: 'r' }, 'u', 't', 'body.entries.0')).toMatchObject({ entry: { ratio: 0.75, given: { score: 7.5 } } });
    expect(makeEntry(10, { ratio: 0.3, reason: 'r' }, 'u', 't', 'body.entries.0')).toMatchObject({ entry: { ratio: 0.3 } });
    expect(makeEntry(10, { score: 11, reason: 'r' }, 'u', 't', 'body.entries.0')).toEqual({ errors: [{ field: 'body.entries.0.score', message: expect.stringContaining('10') }] });
    expect(makeEntry(10, { ratio: 1.2, reason: 'r' }, 'u', 't', 'body.entries.1')).toEqual({ errors: [{ field: 'body.entries.1.ratio', message: expect.any(String) }] });
    expect(makeEntry(10, { ratio: 0.2, score: 2, reason: 'r' }, 'u', 't', 'body.entries.2')).toMatchObject({ errors: [{ field: 'body.entries.2' }] });
    expect(makeEntry(10, { reason: 'r' }, 'u', 't', 'body.entries.3')).toMatchObject({ errors: [{ field: 'body.entries.3' }] });
  });
});

describe('a stored sheet', () => {
  const draft = (): Assessment =>
    withSheet(
      {
        id: 'asm_2027_department_D-A',
        version: 1,
        region: '360000',
        fiscalYear: 2027,
        assessee: { type: 'department', code: 'D-A', name: 'A' },
        status: 'draft',
        sheet: { indicators: params.indicators, gradeBounds: params.gradeBounds, paramsVersion: 0 },
        entries: {},
        indicators: [],
        total: 0,
        missing: [],
        computedAt: 't',
        createdAt: 't',
        createdBy: 'fin',
        updatedAt: 't',
        audit: [],
      },
      { ...fullFacts(), disclosure: undefined },
      't0',
    );

  it('has no grade (so cannot be published) while an indicator is missing', () => {
    const a = draft();
    expect(a.missing).toEqual(['disclosure', 'institution_building']);
    expect(a.grade).toBeUndefined();
    const partly = withEntries(a, { disclosure: entry(1) });
    expect(partly.missing).toEqual(['institution_building']);
    expect(partly.grade).toBeUndefined();
  });

  it('entries fill the missing lines without refreshing computed ones; the grade appears when nothing is missing', () => {
    const a = withEntries(draft(), { disclosure: entry(0.8), institution_building: entry(0.7) });
    expect(a.missing).toEqual([]);
    expect(a.total).toBe(80 + 8 + 7);
    expect(a.grade).toBe('excellent');
    expect(a.indicators.find((l) => l.code === 'disclosure')?.explanation).toMatch(/not kept by this service; entered by fin-1: 核实/);
  });

  it('recompute keeps the entries and refreshes the computed values', () => {
    const entered = withEntries(draft(), { disclosure: entry(0.8), institution_building: entry(0.7) });
    const worse = { ...fullFacts(), disclosure: undefined, rectification: { total: 4, closed: 2, closedOnTime: 1, open: 2, overdue: 1 } };
    const again = withSheet(entered, worse, 't1');
    expect(again.entries).toEqual(entered.entries);
    expect(again.indicators.find((l) => l.code === 'rectification_completion')).toMatchObject({ ratio: 0.5, score: 7.5 });
    expect(again.total).toBe(95 - 7.5);
  });
});

describe('ranking and assessees', () => {
  it('ranks by total, ties (to the hundredth) sharing a rank and the next rank skipping', () => {
    const ranked = rankByTotal([
      { id: 'a', total: 80 },
      { id: 'b', total: 92.5 },
      { id: 'c', total: 80.001 },
      { id: 'd', total: 70 },
    ]);
    expect(ranked.map((r) => [r.id, r.rank])).toEqual([
      ['b', 1],
      ['a', 2],
      ['c', 2],
      ['d', 4],
    ]);
  });

  it('a lower-level region is the next division down', () => {
    expect(isLowerLevelRegion('360000', '360100')).toBe(true);
    expect(isLowerLevelRegion('360000', '360000')).toBe(false);
    expect(isLowerLevelRegion('360000', '370100')).toBe(false);
    expect(isLowerLevelRegion('360100', '360102')).toBe(true);
    expect(isLowerLevelRegion('360100', '360200')).toBe(false);
    expect(isLowerLevelRegion('360102', '360103')).toBe(false);
  });
});
