/**
 * A stored self-evaluation as the review assistant reads a printed table (review-assistant.ts):
 * its rows with their targets and actuals as the form prints them, the score each row counts
 * with as its printed score, the deviation analysis (or an override's reason) as the row's
 * explanation, the execution row and the total. Submitted self-evaluations so get the same
 * findings as a table typed in from paper. Pure.
 */
import type { PrintedTable } from './review-assistant.ts';
import type { SelfEvaluation } from './self-evaluation.ts';

const LEVEL1_PRINTED: Record<string, string> = { output: '产出指标', cost: '成本指标', benefit: '效益指标', satisfaction: '满意度指标' };

export function printedTableOfSelf(s: SelfEvaluation): PrintedTable {
  const scored = new Map(s.result.rows.map((r) => [r.id, r]));
  return {
    budget: {
      annualWan: s.execution.budgetWan,
      ...(s.execution.executedWan !== undefined ? { executedWan: s.execution.executedWan } : {}),
      points: s.execution.weight,
      ...(s.result.execution ? { publishedScore: s.result.execution.score } : {}),
    },
    rows: s.rows.map((row) => {
      const result = scored.get(row.rowId);
      const actual = row.applicable === false ? '/' : row.actual === undefined ? undefined : typeof row.actual === 'number' ? `${row.actual}${row.unit ?? ''}` : row.actual;
      const explanation = row.deviationAnalysis ?? row.override?.reason ?? (row.applicable === false ? row.notApplicableReason : undefined);
      return {
        level1: LEVEL1_PRINTED[row.level1] ?? row.level1,
        level2: row.level2,
        name: row.name,
        target: row.target ?? '',
        ...(actual !== undefined ? { actual } : {}),
        weight: row.weight,
        ...(result && result.score !== null ? { publishedScore: result.score } : {}),
        ...(explanation ? { deviationAnalysis: explanation } : {}),
      };
    }),
    publishedTotal: s.result.total,
  };
}
