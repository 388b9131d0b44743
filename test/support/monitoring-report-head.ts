/** A monitoring report head as the report service stores it, for the dashboard's unit specs: the object's report in `window`, with the execution the unit reported. */
import { executionFigure, type DeviationRow, type Light } from '../../services/monitoring/domain/deviation.ts';
import type { ReportHead, Window } from '../../services/monitoring/domain/report.ts';
import type { MonitoringRules } from '../../services/monitoring/domain/rules.ts';

export interface HeadObject {
  objectId: string;
  name: string;
  department: string;
  unit: string;
  annualTotalWan: number;
}

export type HeadChanges = { executedWan?: number; adjustedBudgetWan?: number; light?: Light; late?: boolean; worst?: DeviationRow[] };

export function reportHead(window: Window, rules: Pick<MonitoringRules, 'execution'>, idPrefix: string, o: HeadObject, changes: HeadChanges = {}): ReportHead {
  const budgetWan = changes.adjustedBudgetWan ?? o.annualTotalWan;
  const worst = changes.worst ?? [];
  return {
    id: `${idPrefix}_${o.objectId}`,
    version: 1,
    revision: 1,
    windowId: window.id,
    windowLabel: window.label,
    fiscalYear: 2027,
    throughMonth: 6,
    object: { id: o.objectId, spendingType: 'project', name: o.name, fiscalYear: 2027, region: '360000', department: o.department, unit: o.unit, sector: 'agriculture' },
    targetVersion: 1,
    light: changes.light ?? 'green',
    execution: executionFigure({ budgetWan, executedWan: changes.executedWan ?? 0, throughMonth: 6 }, rules),
    annualBudgetWan: o.annualTotalWan,
    ...(changes.adjustedBudgetWan !== undefined ? { adjustedBudgetWan: changes.adjustedBudgetWan } : {}),
    expectedFullYearWan: budgetWan,
    deviationCount: worst.length,
    worst,
    late: changes.late ?? false,
    reviews: [],
    reportedAt: '2027-07-05T02:00:00.000Z',
    reportedBy: 'unit-clerk',
  };
}
