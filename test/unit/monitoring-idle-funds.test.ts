/**
 * Recovering idle funds (services/monitoring/domain/idle-funds.ts): execution far behind the
 * year's time progress, and the unit's own forecast leaving money unspent. Before this rule,
 * monitoring never recommended it (the "monitoring never recommends recovering idle funds").
 */
import { describe, expect, it } from 'vitest';
import { applyReport, INITIAL_STATE } from '../../services/monitoring/domain/deviation.ts';
import { idleFundsFinding } from '../../services/monitoring/domain/idle-funds.ts';
import { defaultMonitoringRules } from '../../services/monitoring/domain/rules.ts';

const rules = defaultMonitoringRules('360000', 2027);
const idle = rules.idleFunds;

describe('idleFundsFinding', () => {
  it('recommends recovering 300 万元: 80 of 800 executed by June (10 % against half the year), the unit expects 500', () => {
    // 10 % < 0.5 × 50 % = 25 %; idle = 800 − max(500, 80) = 300 ≥ 10 % of 800.
    expect(idleFundsFinding({ budgetWan: 800, executedWan: 80, expectedFullYearWan: 500, throughMonth: 6 }, idle)).toMatchObject({ idleWan: 300, executionRate: 0.1, timeShare: 0.5 });
  });
  it('says nothing when the unit still expects to spend the budget (no idle money, however slow)', () => {
    expect(idleFundsFinding({ budgetWan: 800, executedWan: 80, expectedFullYearWan: 800, throughMonth: 6 }, idle)).toBeUndefined();
  });
  it('says nothing when execution keeps at least half the pace: 200 of 800 by June is 25 %, not below 25 %', () => {
    expect(idleFundsFinding({ budgetWan: 800, executedWan: 200, expectedFullYearWan: 500, throughMonth: 6 }, idle)).toBeUndefined();
  });
  it('says nothing before the half-year window (procurement lead time)', () => {
    expect(idleFundsFinding({ budgetWan: 800, executedWan: 0, expectedFullYearWan: 300, throughMonth: 3 }, idle)).toBeUndefined();
  });
  it('says nothing when less than 10 % would stay unspent: 760 expected of 800 leaves 40', () => {
    expect(idleFundsFinding({ budgetWan: 800, executedWan: 80, expectedFullYearWan: 760, throughMonth: 6 }, idle)).toBeUndefined();
  });
  it('follows the region: from month 3 the March report recommends, and turned off nothing does', () => {
    const march = { budgetWan: 800, executedWan: 0, expectedFullYearWan: 300, throughMonth: 3 };
    expect(idleFundsFinding(march, { ...idle, fromMonth: 3 })?.idleWan).toBe(500);
    expect(idleFundsFinding({ budgetWan: 800, executedWan: 80, expectedFullYearWan: 500, throughMonth: 6 }, { ...idle, enabled: false })).toBeUndefined();
  });
});

describe('applyReport with the money of the report', () => {
  const assessment = { light: 'red' as const, deviations: [] } as never;
  const money = { budgetWan: 800, executedWan: 80, expectedFullYearWan: 500 };
  it('recommends once per window: a correction in the same window recommends nothing more', () => {
    const first = applyReport(INITIAL_STATE, { id: 'win_6', throughMonth: 6 }, assessment, [], rules, money);
    expect(first.idleFunds?.idleWan).toBe(300);
    const corrected = applyReport(first.state, { id: 'win_6', throughMonth: 6 }, assessment, [], rules, money);
    expect(corrected.idleFunds).toBeUndefined();
    expect(applyReport(first.state, { id: 'win_9', throughMonth: 9 }, assessment, [], rules, money).idleFunds?.idleWan).toBe(300);
  });
});
