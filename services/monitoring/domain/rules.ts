/**
 * The monitoring rule parameters of one region and fiscal year (docs/domain.md section 5, all [P]).
 * Data finance edits, not code: the defaults are where a region starts. Pure.
 */
import type { IdleFundsRules } from './idle-funds.ts';

export const LIGHTS = ['green', 'yellow', 'red'] as const;
export type Light = (typeof LIGHTS)[number];
/** Better to worse. */
export const LIGHT_RANK: Record<Light, number> = { green: 0, yellow: 1, red: 2 };

/** The unit's answer to "will the annual target be completed?": 确定能 / 有可能 / 完全不可能. */
export const LIKELIHOODS = ['certain', 'possible', 'impossible'] as const;
export type Likelihood = (typeof LIKELIHOODS)[number];

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
  /**
   * The light the unit's likelihood of completing the annual target gives a row; the row takes
   * the worse of this and the light of its figures (or finding).
   */
  likelihoodLights: Record<Likelihood, Light>;
  /** Funding pause recommendation. */
  pause: {
    /** Red in this many consecutive windows recommends pausing funds (0 turns the rule off). */
    redWindows: number;
    /** A row the unit itself says cannot be completed, without corrective measures, recommends pausing. */
    impossibleWithoutMeasures: boolean;
  };
  /** Recovering idle funds (domain/idle-funds.ts): execution far behind time with no prospect of spending the budget. */
  idleFunds: IdleFundsRules;
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
 * - likelihood lights certain → green, possible → yellow, impossible → red: the monitoring forms
 *   of 财预〔2019〕136号 practice and the provincial forms ask whether the annual target will be
 *   completed (确定能 / 有可能 / 完全不可能); only 确定能 means no deviation, 有可能 is a warning
 *   (yellow) and 完全不可能 a serious deviation (red). The three answers are the forms'; the
 *   colours are the practice the issue describes, not a printed table;
 * - pause after 2 red windows, and for "impossible" without measures: docs/domain.md section 2 (serious
 *   deviation or no effect → pause or stop funding); two windows so one bad month is not enough;
 * - idle funds from the half-year report, execution below half the time's pace, at least 10 % of the
 *   budget left unspent by the unit's own forecast: 财预〔2019〕136号 (execution far behind schedule is
 *   corrected, money that will not be spent is recovered, 盘活存量资金 国办发〔2014〕70号); the three
 *   figures are a judgement (no national text gives numbers): half-year because earlier months carry
 *   procurement lead time, half the pace because 60 % of time progress is already red;
 * - reminders 3 days before, escalation 5 days after: common practice in the monitoring notices;
 * - key objects from 1,000 万元 (10 million yuan), the highest of the ex-ante thresholds seen.
 */
export function defaultMonitoringRules(region: string, fiscalYear: number): MonitoringRules {
  return {
    region,
    fiscalYear,
    execution: { redBelow: 60, yellowBelow: 80 },
    indicator: { redBelow: 60, yellowBelow: 80 },
    likelihoodLights: { certain: 'green', possible: 'yellow', impossible: 'red' },
    pause: { redWindows: 2, impossibleWithoutMeasures: true },
    idleFunds: { enabled: true, fromMonth: 6, belowTimeShare: 0.5, minIdleShare: 0.1 },
    reminders: { remindDaysBefore: 3, graceDays: 5 },
    keyObjectMinWan: 1000,
  };
}

/**
 * A stored version as the current code reads it: a parameter added after the version was stored
 * takes its documented default (a version stored before `likelihoodLights` existed gets the
 * default lights), every stored value stays as it was.
 */
export function withDefaults(stored: Partial<MonitoringRules> & Pick<MonitoringRules, 'region' | 'fiscalYear'>): MonitoringRules {
  return { ...defaultMonitoringRules(stored.region, stored.fiscalYear), ...stored };
}

export interface RuleViolation {
  field: string;
  message: string;
}


/** Each likelihood has a light, and a less likely completion is never a better light than a more likely one. */
function checkLikelihoodLights(lights: Partial<Record<Likelihood, unknown>> | undefined, add: (f: string, m: string) => void): void {
  let previous: { likelihood: Likelihood; light: Light } | undefined;
  for (const likelihood of LIKELIHOODS) {
    const light = lights?.[likelihood];
    if (!(LIGHTS as readonly unknown[]).includes(light)) {
      add(`likelihoodLights.${likelihood}`, `must be one of ${LIGHTS.join(', ')}`);
      continue;
    }
    const l = light as Light;
    if (previous && LIGHT_RANK[l] < LIGHT_RANK[previous.light]) add(`likelihoodLights.${likelihood}`, `must not be a better light than ${previous.likelihood} (${previous.light})`);
    previous = { likelihood, light: l };
  }
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
  checkLikelihoodLights(rules.likelihoodLights, add);
  if (!Number.isInteger(rules.pause.redWindows) || rules.pause.redWindows < 0 || rules.pause.redWindows > 12) add('pause.redWindows', 'must be a whole number of windows, 0 (off) to 12');
  const idle = rules.idleFunds as Partial<IdleFundsRules> | undefined;
  if (typeof idle?.enabled !== 'boolean') add('idleFunds.enabled', 'must be true or false');
  if (!Number.isInteger(idle?.fromMonth) || (idle?.fromMonth as number) < 1 || (idle?.fromMonth as number) > 12) add('idleFunds.fromMonth', 'must be a month, 1 to 12');
  if (!isNumber(idle?.belowTimeShare) || (idle?.belowTimeShare as number) <= 0 || (idle?.belowTimeShare as number) > 1) add('idleFunds.belowTimeShare', 'must be a share above 0, at most 1');
  if (!isNumber(idle?.minIdleShare) || (idle?.minIdleShare as number) < 0 || (idle?.minIdleShare as number) > 1) add('idleFunds.minIdleShare', 'must be a share from 0 to 1');
  if (!Number.isInteger(rules.reminders.remindDaysBefore) || rules.reminders.remindDaysBefore < 0 || rules.reminders.remindDaysBefore > 60) add('reminders.remindDaysBefore', 'must be 0 to 60 days');
  if (!Number.isInteger(rules.reminders.graceDays) || rules.reminders.graceDays < 0 || rules.reminders.graceDays > 60) add('reminders.graceDays', 'must be 0 to 60 days');
  if (!isNumber(rules.keyObjectMinWan) || rules.keyObjectMinWan < 0) add('keyObjectMinWan', 'must be an amount in 万元, 0 or more');
  return violations;
}
