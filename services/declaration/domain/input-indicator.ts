/**
 * "No input indicators": money spent is what the budget pays for, not what it achieves, so a
 * target such as 资金支出率 100% promises nothing (docs/domain.md section 3). Budget execution is
 * scored separately in self-evaluation (section 4), which is one more reason it does not belong
 * among the target rows.
 *
 * Heuristic, deliberately narrow so that real outputs are not flagged:
 * 1. a name that is a spending / execution rate or progress, in any category except cost —
 *    资金支出率, 预算执行率, 资金到位率, 资金拨付率, 支出进度, 拨付进度;
 * 2. an output/quantity row counted in money (元, 万元, 亿元) whose name is about spending money —
 *    资金, 经费, 预算, 支出, 投入, 拨付, 到位 (e.g. "资金投入 500 万元").
 * Cost rows counted in money (元, 万元, 元/亩 …) are exempt: their business is money (they are
 * checked against the amount instead). A "cost" row that is a rate is not: 资金使用效率 100 %
 * filed under cost is still budget execution (seen in a real 2023 table).
 */
import type { Level1, Level2 } from '../../../events/vocabulary.ts';
import { amountInWan } from './amounts.ts';

// A money word is required before 执行/使用 so that 设施使用率 or 工程执行进度 stay outputs.
const SPENDING_RATE = /(资金|预算|经费)(支出|执行|到位|拨付|使用)效?(率|进度)|(支出|拨付)(率|进度)|资金到位/;
const SPENDING_WORDS = /资金|经费|预算|支出|投入|拨付|到位/;

export interface InputIndicatorRow {
  level1: Level1;
  level2: Level2;
  name: string;
  unit?: string;
}

/** Why the row looks like an input indicator, or undefined when it does not. */
/** A unit of money, total or per something (元, 万元, 元/亩, 万元/公里). */
export const isMoneyUnit = (unit: string | undefined) => !!unit && /^(元|万元|亿元)(\/.+)?$/.test(unit.trim());

export function inputIndicatorReason(row: InputIndicatorRow): string | undefined {
  if (row.level1 === 'cost' && isMoneyUnit(row.unit)) return undefined;
  const name = row.name.replace(/\s+/g, '');
  if (SPENDING_RATE.test(name)) return 'measures how fast money is spent';
  if (row.level1 === 'output' && row.level2 === 'quantity' && amountInWan(1, row.unit) !== undefined && SPENDING_WORDS.test(name)) {
    return 'counts money spent as an output';
  }
  return undefined;
}
