/**
 * The monitoring rule parameters of one region and fiscal year (docs/domain.md section 5, all [P]).
 * Data finance edits, not code: the defaults are where a region starts. Pure.
 */
export interface LightCutoffs {
  /** Scores below this are red. */
  redBelow: number;
  /** Scores below this (and not red) are yellow; from here on green. */
  yellowBelow: number;
}

export interface MonitoringRules {
  region: string;
  fiscalYear: number;
  /** Execution light: (executed ÷ budget) ÷ (months elapsed ÷ 12) × 100. */
  execution: LightCutoffs;
  /** Indicator light: progress to date against the expected proportion, and forecast against target, × 100. */
  indicator: LightCutoffs;
  /** Funding pause recommendation. */
  pause: {
    /** Red in this many consecutive windows recommends pausing funds (0 turns the rule off). */
    redWindows: number;
    /** A row the unit itself says cannot be completed, without corrective measures, recommends pausing. */
    impossibleWithoutMeasures: boolean;
  };
  reminders: {
    /** Units are reminded this many days before the due date (0: on the due date). */
    remindDaysBefore: number;
    /** Past the due date by this many days, the missing report is escalated to department and finance. */
    graceDays: number;
  };
  /** Objects of a window scoped to key objects: annual amount at or above this, 万元 (or listed by id). */
  keyObjectMinWan: number;
}

/**
 * Defaults and where they come from:
 * - execution 60 / 80: docs/domain.md section 5 (< 60 red, 60-80 yellow, ≥ 80 green);
 * - indicator 60 / 80: the same bands applied to target progress (the published monitoring forms
 *   use one traffic-light scale for both);
 * - pause after 2 red windows, and for "impossible" without measures: docs/domain.md section 2 (serious
 *   deviation or no effect → pause or stop funding); two windows so one bad month is not enough;
 * - reminders 3 days before, escalation 5 days after: common practice in the monitoring notices;
 * - key objects from 1,000 万元 (10 million yuan), the highest of the ex-ante thresholds seen.
 */
export function defaultMonitoringRules(region: string, fiscalYear: number): MonitoringRules {
  return {
    region,
    fiscalYear,
    execution: { redBelow: 60, yellowBelow: 80 },
    indicator: { redBelow: 60, yellowBelow: 80 },
    pause: { redWindows: 2, impossibleWithoutMeasures: true },
    reminders: { remindDaysBefore: 3, graceDays: 5 },
    keyObjectMinWan: 1000,
  };
}

export interface RuleViolation {
  field: string;
  message: string;
}

const isNumber = (n: unknown): n is number => typeof n === 'number' && Number.isFinite(n);

function checkCutoffs(c: LightCutoffs, field: string, add: (f: string, m: string) => void): void {
  if (!isNumber(c.redBelow) || c.redBelow < 0 || c.redBelow > 200) add(`${field}.redBelow`, 'must be a score between 0 and 200');
  if (!isNumber(c.yellowBelow) || c.yellowBelow < 0 || c.yellowBelow > 200) add(`${field}.yellowBelow`, 'must be a score between 0 and 200');
  else if (isNumber(c.redBelow) && c.yellowBelow < c.redBelow) add(`${field}.yellowBelow`, `must not be below redBelow (${c.redBelow})`);
}

export function validateMonitoringRules(rules: MonitoringRules): RuleViolation[] {
  const violations: RuleViolation[] = [];
  const add = (field: string, message: string) => violations.push({ field, message });
  checkCutoffs(rules.execution, 'execution', add);
  checkCutoffs(rules.indicator, 'indicator', add);
  if (!Number.isInteger(rules.pause.redWindows) || rules.pause.redWindows < 0 || rules.pause.redWindows > 12) add('pause.redWindows', 'must be a whole number of windows, 0 (off) to 12');
  if (!Number.isInteger(rules.reminders.remindDaysBefore) || rules.reminders.remindDaysBefore < 0 || rules.reminders.remindDaysBefore > 60) add('reminders.remindDaysBefore', 'must be 0 to 60 days');
  if (!Number.isInteger(rules.reminders.graceDays) || rules.reminders.graceDays < 0 || rules.reminders.graceDays > 60) add('reminders.graceDays', 'must be 0 to 60 days');
  if (!isNumber(rules.keyObjectMinWan) || rules.keyObjectMinWan < 0) add('keyObjectMinWan', 'must be an amount in 万元, 0 or more');
  return violations;
}
