/**
 * The deviation engine (docs/domain.md section 5): traffic lights for budget execution and for each
 * target row, the rows that make an object deviate, and what a report means for the object's
 * running state (deviation raised, corrected, funding pause recommended). Pure.
 */
import { idleFundsFinding, type IdleFundsFinding, type IdleFundsInput } from './idle-funds.ts';
import { LIGHT_RANK as RANK, type Light, type Likelihood, type LightCutoffs, type MonitoringRules } from './rules.ts';

export type { Light };
export type Cause = 'funding' | 'rules' | 'staffing' | 'equipment' | 'other';
export type Finding = 'met' | 'partly' | 'not_met';

export const worst = (lights: readonly Light[]): Light => lights.reduce<Light>((w, l) => (RANK[l] > RANK[w] ? l : w), 'green');

const round2 = (n: number) => Math.round(n * 100) / 100;

export function lightFor(score: number, cutoffs: LightCutoffs): Light {
  if (score < cutoffs.redBelow) return 'red';
  if (score < cutoffs.yellowBelow) return 'yellow';
  return 'green';
}

// ---------- execution ----------

export interface ExecutionInput {
  /** The budget that counts: the adjusted budget when there is one, else the annual budget, 万元. */
  budgetWan: number;
  executedWan: number;
  /** The window is cumulative "1~N月". */
  throughMonth: number;
}

export interface ExecutionFigure {
  budgetWan: number;
  executedWan: number;
  rate: number;
  timeProgress: number;
  score: number;
  light: Light;
}

/** (executed ÷ budget) ÷ (months elapsed ÷ 12) × 100; a zero budget has nothing to execute (green). */
export function executionFigure(input: ExecutionInput, rules: Pick<MonitoringRules, 'execution'>): ExecutionFigure {
  const timeProgress = input.throughMonth / 12;
  const rate = input.budgetWan > 0 ? input.executedWan / input.budgetWan : 1;
  const score = round2((rate / timeProgress) * 100);
  return { budgetWan: input.budgetWan, executedWan: input.executedWan, rate: round2(rate * 10_000) / 10_000, timeProgress: round2(timeProgress * 10_000) / 10_000, score, light: lightFor(score, rules.execution) };
}

// ---------- indicators ----------

export interface IndicatorTarget {
  rowId: string;
  name: string;
  operator: 'gte' | 'lte' | 'eq' | 'qualitative';
  value?: number | string;
  unit?: string;
}

export interface IndicatorProgress {
  rowId: string;
  valueToDate?: number | string;
  forecast?: number | string;
  likelihood: Likelihood;
  /** Qualitative rows: what the monitoring found so far. */
  finding?: Finding;
  cause?: Cause;
  correctiveMeasures?: string;
  evidence?: string[];
}

export interface IndicatorAssessment {
  rowId: string;
  name: string;
  light: Light;
  score?: number;
  detail: string;
}

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * Whether a target accumulates over the year (people trained, km built, 300 opening days)
 * rather than being a level that holds at any time (a rate in %, a satisfaction score, a cost
 * per mu, a design life in years). Only accumulating targets are compared with the share of the
 * year elapsed; a "=" count (免费开放天数 = 300 天) accumulates like a "≥" one.
 */
export function accumulates(target: IndicatorTarget): boolean {
  if (target.operator !== 'gte' && target.operator !== 'eq') return false;
  // Full-width ％ and ‰ are rates too (typed with Chinese input methods); "/" is a per-unit level.
  return !!target.unit && !/[%％‰]|率|分|\/|年/.test(target.unit);
}

const FINDING_LIGHT: Record<Finding, Light> = { met: 'green', partly: 'yellow', not_met: 'red' };

const LIKELIHOOD_NOTE: Record<Likelihood, string> = {
  certain: '; the unit is certain it will be completed',
  possible: '; the unit says it can possibly, not certainly, be completed',
  impossible: '; the unit expects it cannot be completed',
};

/** "Impossible" is always said; another likelihood only when its light (rules.likelihoodLights) is what makes the row worse. */
function likelihoodNote(likelihood: Likelihood, likelihoodLight: Light, otherLight: Light): string {
  return likelihood === 'impossible' || RANK[likelihoodLight] > RANK[otherLight] ? LIKELIHOOD_NOTE[likelihood] : '';
}

export function assessIndicator(target: IndicatorTarget, progress: IndicatorProgress, throughMonth: number, rules: Pick<MonitoringRules, 'indicator' | 'likelihoodLights'>): IndicatorAssessment {
  const base = { rowId: target.rowId, name: target.name };
  const likelihoodLight = rules.likelihoodLights[progress.likelihood];
  const note = (otherLight: Light) => likelihoodNote(progress.likelihood, likelihoodLight, otherLight);

  if (target.operator === 'qualitative' || !isNumber(target.value)) {
    const found = progress.finding ? FINDING_LIGHT[progress.finding] : likelihoodLight;
    const light = worst([found, likelihoodLight]);
    return { ...base, light, detail: `${progress.finding ? `finding: ${progress.finding.replace('_', ' ')}` : `likelihood: ${progress.likelihood}`}${note(found)}` };
  }

  const goal = target.value;
  const unit = target.unit ?? '';
  const toDate = isNumber(progress.valueToDate) ? progress.valueToDate : undefined;
  const forecast = isNumber(progress.forecast) ? progress.forecast : undefined;
  const scores: { score: number; why: string }[] = [];

  if (toDate !== undefined) {
    if (accumulates(target)) {
      const expected = goal * (throughMonth / 12);
      const score = expected > 0 ? (toDate / expected) * 100 : 100;
      scores.push({ score, why: `${toDate} ${unit} to date against ${round2(expected)} ${unit} expected by month ${throughMonth} (${goal} ${unit} for the year)` });
    } else {
      scores.push({ score: levelScore(target.operator, goal, toDate), why: `${toDate} ${unit} to date against the target ${symbol(target.operator)} ${goal} ${unit}` });
    }
  }
  if (forecast !== undefined) {
    scores.push({ score: levelScore(target.operator, goal, forecast), why: `forecast ${forecast} ${unit} for the year against ${symbol(target.operator)} ${goal} ${unit}` });
  }
  if (scores.length === 0) {
    return { ...base, light: worst(['yellow', likelihoodLight]), detail: `no value to date or forecast reported${note('yellow')}` };
  }
  const lowest = scores.reduce((a, b) => (b.score < a.score ? b : a));
  const score = round2(Math.max(0, lowest.score));
  const figuresLight = lightFor(score, rules.indicator);
  const light = worst([figuresLight, likelihoodLight]);
  return { ...base, light, score, detail: `${lowest.why}${note(figuresLight)}` };
}

const symbol = (op: IndicatorTarget['operator']) => ({ gte: '≥', lte: '≤', eq: '=', qualitative: '' })[op];

/** How far a level is from its target, as a score where 100 means met. */
function levelScore(operator: IndicatorTarget['operator'], goal: number, value: number): number {
  if (operator === 'lte') return value <= goal ? 100 : value > 0 ? (goal / value) * 100 : 100;
  if (operator === 'eq') return value === goal ? 100 : goal !== 0 ? Math.max(0, 100 - (Math.abs(value - goal) / Math.abs(goal)) * 100) : 0;
  return goal > 0 ? Math.min(100, (value / goal) * 100) : 100;
}

// ---------- a report as a whole ----------

export interface DeviationRow {
  kind: 'execution' | 'indicator';
  rowId?: string;
  name: string;
  light: 'yellow' | 'red';
  severity: 'major' | 'minor';
  detail: string;
  score?: number;
  likelihood?: Likelihood;
  cause?: Cause;
  correctiveMeasures?: string;
}

export interface ReportAssessment {
  execution: ExecutionFigure;
  indicators: (IndicatorAssessment & { likelihood: Likelihood })[];
  light: Light;
  /** Every row that is not green, worst first. */
  deviations: DeviationRow[];
}

export function assessReport(
  execution: ExecutionInput,
  targets: readonly IndicatorTarget[],
  progress: readonly IndicatorProgress[],
  rules: Pick<MonitoringRules, 'execution' | 'indicator' | 'likelihoodLights'>,
): ReportAssessment {
  const figure = executionFigure(execution, rules);
  const byRow = new Map(progress.map((p) => [p.rowId, p]));
  const indicators = targets.flatMap((target) => {
    const p = byRow.get(target.rowId);
    return p ? [{ ...assessIndicator(target, p, execution.throughMonth, rules), likelihood: p.likelihood }] : [];
  });
  const deviations: DeviationRow[] = [];
  if (figure.light !== 'green') {
    deviations.push({
      kind: 'execution',
      name: 'budget execution',
      light: figure.light,
      severity: figure.light === 'red' ? 'major' : 'minor',
      score: figure.score,
      detail: `${round2(figure.rate * 100)} % of ${figure.budgetWan} 万元 executed against ${round2(figure.timeProgress * 100)} % of the year: score ${figure.score}`,
    });
  }
  for (const a of indicators) {
    if (a.light === 'green') continue;
    const p = byRow.get(a.rowId) as IndicatorProgress;
    deviations.push({
      kind: 'indicator',
      rowId: a.rowId,
      name: a.name,
      light: a.light,
      severity: a.light === 'red' ? 'major' : 'minor',
      detail: a.detail,
      ...(a.score !== undefined ? { score: a.score } : {}),
      likelihood: p.likelihood,
      ...(p.cause ? { cause: p.cause } : {}),
      ...(p.correctiveMeasures ? { correctiveMeasures: p.correctiveMeasures } : {}),
    });
  }
  deviations.sort((a, b) => RANK[b.light] - RANK[a.light] || (a.score ?? 0) - (b.score ?? 0));
  return { execution: figure, indicators, light: worst([figure.light, ...indicators.map((i) => i.light)]), deviations };
}

/**
 * What the unit must say about a deviating row: a cause and corrective measures for every row
 * that is not green (docs/domain.md section 5). Returns the rows missing them.
 */
export function missingExplanations(deviations: readonly DeviationRow[], progress: readonly IndicatorProgress[]): { rowId: string; name: string; missing: ('cause' | 'correctiveMeasures')[] }[] {
  const byRow = new Map(progress.map((p) => [p.rowId, p]));
  return deviations.flatMap((d) => {
    if (d.kind !== 'indicator' || !d.rowId) return [];
    const p = byRow.get(d.rowId);
    const missing: ('cause' | 'correctiveMeasures')[] = [];
    if (!p?.cause) missing.push('cause');
    if (!p?.correctiveMeasures?.trim()) missing.push('correctiveMeasures');
    return missing.length ? [{ rowId: d.rowId, name: d.name, missing }] : [];
  });
}

// ---------- the object's running state across windows ----------

export interface MonitoringState {
  /** The window of the last report and its through-month. */
  lastWindowId?: string;
  lastThroughMonth?: number;
  lastLight?: Light;
  /** Consecutive red windows up to and including the last window. */
  redWindows: number;
  /** Consecutive red windows before the last window (so a correction within a window recounts). */
  redWindowsBefore: number;
  /** The deviation raised and not yet corrected, if any. */
  open?: { windowId: string; light: 'yellow' | 'red' };
  /** Windows in which a pause was already recommended (recommend once per window). */
  pauseRecommendedIn?: string[];
  /** Windows in which recovering idle funds was already recommended (once per window). */
  idleRecommendedIn?: string[];
}

export const INITIAL_STATE: MonitoringState = { redWindows: 0, redWindowsBefore: 0 };

export interface Outcome {
  state: MonitoringState;
  deviation?: { light: 'yellow' | 'red'; rows: DeviationRow[] };
  corrected?: { raisedInWindow: string; previousLight: 'yellow' | 'red' };
  pause?: { rule: 'red_persisting' | 'impossible_without_measures'; reason: string; redWindows?: number; rows: DeviationRow[] };
  idleFunds?: IdleFundsFinding & { budgetWan: number; executedWan: number; expectedFullYearWan: number };
}

/**
 * Applies a report's assessment to the object's state. A report for an earlier window than the
 * last one is refused by the caller (windows move forward); a second report in the same window
 * corrects the first (its red does not count twice).
 */
export function applyReport(
  state: MonitoringState,
  window: { id: string; throughMonth: number },
  assessment: ReportAssessment,
  progress: readonly IndicatorProgress[],
  rules: Pick<MonitoringRules, 'pause'> & Partial<Pick<MonitoringRules, 'idleFunds'>>,
  money?: Omit<IdleFundsInput, 'throughMonth'>,
): Outcome {
  const sameWindow = state.lastWindowId === window.id;
  const before = sameWindow ? state.redWindowsBefore : state.redWindows;
  const redWindows = assessment.light === 'red' ? before + 1 : 0;
  const next: MonitoringState = {
    ...state,
    lastWindowId: window.id,
    lastThroughMonth: window.throughMonth,
    lastLight: assessment.light,
    redWindows,
    redWindowsBefore: before,
  };
  const outcome: Outcome = { state: next };

  if (assessment.light === 'green') {
    if (state.open) outcome.corrected = { raisedInWindow: state.open.windowId, previousLight: state.open.light };
    delete next.open;
  } else {
    outcome.deviation = { light: assessment.light, rows: assessment.deviations };
    next.open = { windowId: state.open?.windowId ?? window.id, light: assessment.light };
  }

  const already = state.pauseRecommendedIn ?? [];
  if (!already.includes(window.id)) {
    if (rules.pause.redWindows > 0 && redWindows >= rules.pause.redWindows) {
      outcome.pause = {
        rule: 'red_persisting',
        reason: `red in ${redWindows} consecutive monitoring windows (the rule is ${rules.pause.redWindows})`,
        redWindows,
        rows: assessment.deviations.filter((d) => d.light === 'red'),
      };
    } else if (rules.pause.impossibleWithoutMeasures) {
      const byRow = new Map(progress.map((p) => [p.rowId, p]));
      const hopeless = assessment.deviations.filter((d) => d.kind === 'indicator' && d.likelihood === 'impossible' && !byRow.get(d.rowId as string)?.correctiveMeasures?.trim());
      if (hopeless.length > 0) {
        outcome.pause = {
          rule: 'impossible_without_measures',
          reason: `${hopeless.map((d) => `「${d.name}」`).join(', ')} cannot be completed and no corrective measures are given`,
          rows: hopeless,
        };
      }
    }
    if (outcome.pause) next.pauseRecommendedIn = [...already, window.id];
  }

  const idleAlready = state.idleRecommendedIn ?? [];
  if (money && rules.idleFunds && !idleAlready.includes(window.id)) {
    const finding = idleFundsFinding({ ...money, throughMonth: window.throughMonth }, rules.idleFunds);
    if (finding) {
      outcome.idleFunds = { ...finding, budgetWan: money.budgetWan, executedWan: money.executedWan, expectedFullYearWan: money.expectedFullYearWan };
      next.idleRecommendedIn = [...idleAlready, window.id];
    }
  }
  return outcome;
}
