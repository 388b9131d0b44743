/**
 * Idle funds (闲置资金): money executed far behind the year's time progress, with the unit's own
 * forecast saying it will not be spent by the year's end, is recommended for recovery (收回或
 * 调剂统筹使用) rather than left idle. 财预〔2019〕136号 asks monitoring to find execution far
 * behind schedule and have it corrected, and funds that will not be spent recovered for use
 * elsewhere (盘活存量资金, 国办发〔2014〕70号). Pure.
 */
export interface IdleFundsRules {
  /** Off: no recommendation. */
  enabled: boolean;
  /** The earliest window that can recommend, by its last month (6: from the half-year report on). */
  fromMonth: number;
  /** Execution counts as far behind when executed ÷ budget is below this share of the time elapsed (0.5: half the pace). */
  belowTimeShare: number;
  /** The unit's expected full-year execution must leave at least this share of the budget unspent (0.1: 10 %). */
  minIdleShare: number;
}

export interface IdleFundsInput {
  budgetWan: number;
  executedWan: number;
  /** The unit's own forecast of the year's execution. */
  expectedFullYearWan: number;
  throughMonth: number;
}

export interface IdleFundsFinding {
  /** Budget − the larger of executed and expected full-year execution, 万元, 2 decimals. */
  idleWan: number;
  /** executed ÷ budget, 4 decimals. */
  executionRate: number;
  /** throughMonth ÷ 12, 4 decimals. */
  timeShare: number;
  reason: string;
}

const r2 = (n: number) => Math.round(n * 100) / 100;
const r4 = (n: number) => Math.round(n * 10_000) / 10_000;
const pct = (n: number) => `${r2(n * 100)} %`;

export function idleFundsFinding(input: IdleFundsInput, rules: IdleFundsRules): IdleFundsFinding | undefined {
  const { budgetWan, executedWan, expectedFullYearWan, throughMonth } = input;
  if (!rules.enabled || throughMonth < rules.fromMonth || !(budgetWan > 0)) return undefined;
  const timeShare = throughMonth / 12;
  const executionRate = executedWan / budgetWan;
  if (executionRate >= rules.belowTimeShare * timeShare) return undefined;
  const idleWan = budgetWan - Math.max(expectedFullYearWan, executedWan);
  if (idleWan < rules.minIdleShare * budgetWan) return undefined;
  return {
    idleWan: r2(idleWan),
    executionRate: r4(executionRate),
    timeShare: r4(timeShare),
    reason:
      `executed ${r2(executedWan)} of ${r2(budgetWan)} 万元 (${pct(executionRate)}) through month ${throughMonth}, below ${pct(rules.belowTimeShare)} of the time elapsed (${pct(timeShare)}), ` +
      `and the unit expects ${r2(expectedFullYearWan)} 万元 for the year: ${r2(idleWan)} 万元 will stay idle; recover or reallocate it`,
  };
}
