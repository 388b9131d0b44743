/** The scheduled check of maintained views (shared/views/scheduled-check.ts): which years it looks at, and what it rebuilds. */
import { describe, expect, it } from 'vitest';
import { checkAndRepair, yearsAsked, yearsInUse, type MaintainedView } from '../../shared/views/scheduled-check.ts';

describe('the years still in use', () => {
  it('are last, this and next year', () => {
    expect(yearsInUse(new Date('2027-06-15T00:00:00Z'))).toEqual([2026, 2027, 2028]);
  });

  it('turn over at midnight in Beijing, not in UTC', () => {
    // 2027-12-31T16:30Z is 2028-01-01 00:30 in Beijing (UTC+8).
    expect(yearsInUse(new Date('2027-12-31T16:30:00Z'))).toEqual([2027, 2028, 2029]);
  });

  it("come from the scheduled event's time, or from a manual invocation's fiscalYears", () => {
    const now = new Date('2030-01-01T00:00:00Z');
    expect(yearsAsked({ 'detail-type': 'Scheduled Event', time: '2027-03-01T00:00:00Z' }, now)).toEqual([2026, 2027, 2028]);
    expect(yearsAsked({ fiscalYears: [2021] }, now)).toEqual([2021]);
    expect(yearsAsked({ fiscalYears: ['2021'] }, now)).toEqual([2029, 2030, 2031]);
  });
});

describe('checkAndRepair', () => {
  /** A view whose stored state differs from its sources until it is rebuilt. */
  const view = (name: string, drifted: boolean) => {
    let rebuilt = false;
    const v: MaintainedView & { rebuilds: number } = {
      view: name,
      region: '360000',
      fiscalYear: 2027,
      rebuilds: 0,
      verify: async () => (drifted && !rebuilt ? ['group D-EDU: approved is 7, the sources give 5'] : []),
      rebuild: async () => {
        rebuilt = true;
        v.rebuilds++;
        return { deleted: 1, written: 3 };
      },
    };
    return v;
  };

  it('rebuilds only the views that differ, and says how many differences it found and left', async () => {
    const clean = view('coverage', false);
    const drifted = view('summaries', true);
    expect(await checkAndRepair([clean, drifted])).toEqual([
      { view: 'coverage', region: '360000', fiscalYear: 2027, differences: 0, rebuilt: false, differencesAfter: 0 },
      { view: 'summaries', region: '360000', fiscalYear: 2027, differences: 1, rebuilt: true, differencesAfter: 0 },
    ]);
    expect([clean.rebuilds, drifted.rebuilds]).toEqual([0, 1]);
  });
});
