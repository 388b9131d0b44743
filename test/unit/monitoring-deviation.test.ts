import { describe, expect, it } from 'vitest';
import {
  accumulates,
  applyReport,
  assessIndicator,
  assessReport,
  executionFigure,
  INITIAL_STATE,
  lightFor,
  missingExplanations,
  type ExecutionInput,
  type IndicatorProgress,
  type IndicatorTarget,
  type MonitoringState,
  type Outcome,
  type ReportAssessment,
} from '../../services/monitoring/domain/deviation.ts';
import { defaultMonitoringRules, type MonitoringRules } from '../../services/monitoring/domain/rules.ts';

// ---------- fixtures ----------

const RULES = defaultMonitoringRules('360000', 2026);
const withPause = (pause: Partial<MonitoringRules['pause']>): Pick<MonitoringRules, 'pause'> => ({ pause: { ...RULES.pause, ...pause } });

/** Targets of a training project: one of each kind of row. */
const trained: IndicatorTarget = { rowId: 'r_trained', name: '培训人次', operator: 'gte', value: 1200, unit: '人次' };
const passRate: IndicatorTarget = { rowId: 'r_pass', name: '培训合格率', operator: 'gte', value: 95, unit: '%' };
const satisfaction: IndicatorTarget = { rowId: 'r_satisfaction', name: '学员满意度', operator: 'gte', value: 90, unit: '分' };
const complaints: IndicatorTarget = { rowId: 'r_complaints', name: '投诉率', operator: 'lte', value: 5, unit: '%' };
const accidents: IndicatorTarget = { rowId: 'r_accidents', name: '安全事故', operator: 'lte', value: 2, unit: '起' };
const townships: IndicatorTarget = { rowId: 'r_townships', name: '覆盖乡镇', operator: 'eq', value: 20, unit: '个' };
const quality: IndicatorTarget = { rowId: 'r_quality', name: '培训质量', operator: 'qualitative', value: '效果明显' };

const progress = (rowId: string, changes: Partial<IndicatorProgress> = {}): IndicatorProgress => ({ rowId, likelihood: 'certain', ...changes });
const indicator = (target: IndicatorTarget, changes: Partial<IndicatorProgress> = {}, throughMonth = 6) =>
  assessIndicator(target, progress(target.rowId, changes), throughMonth, RULES);

/** The worked example: Jan-Jul, 100 万元 budget. */
const janJul = (executedWan: number, budgetWan = 100): ExecutionInput => ({ budgetWan, executedWan, throughMonth: 7 });

/** Monitoring windows "1~N月". */
const win = (throughMonth: number) => ({ id: `win_2026_${String(throughMonth).padStart(2, '0')}`, throughMonth });

/** A report whose only row is budget execution, scored 100 (green), 70 (yellow) or 50 (red) at the window. */
const SCORE = { green: 100, yellow: 70, red: 50 } as const;
const executionOnly = (light: keyof typeof SCORE, throughMonth: number): ReportAssessment =>
  assessReport({ budgetWan: 1200, executedWan: SCORE[light] * throughMonth, throughMonth }, [], [], RULES);

/** A report with green execution and the training row at the likelihood and measures given (its figures on track). */
const trainingRow = (changes: Partial<IndicatorProgress>) => [progress('r_trained', { valueToDate: 600, forecast: 1200, ...changes })];
const withTrainingRow = (rows: IndicatorProgress[]): ReportAssessment =>
  assessReport({ budgetWan: 1200, executedWan: 600, throughMonth: 6 }, [trained], rows, RULES);

type Step = { window: { id: string; throughMonth: number }; assessment: ReportAssessment; progress?: IndicatorProgress[] };
const step = (light: keyof typeof SCORE, throughMonth: number): Step => ({ window: win(throughMonth), assessment: executionOnly(light, throughMonth) });

/** Applies the reports in order from `start`; returns every outcome. */
function run(steps: Step[], rules: Pick<MonitoringRules, 'pause'> = RULES, start: MonitoringState = INITIAL_STATE): Outcome[] {
  const outcomes: Outcome[] = [];
  let state = start;
  for (const s of steps) {
    const o = applyReport(state, s.window, s.assessment, s.progress ?? [], rules);
    outcomes.push(o);
    state = o.state;
  }
  return outcomes;
}
const last = (outcomes: Outcome[]): Outcome => outcomes[outcomes.length - 1] as Outcome;

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

// ---------- execution ----------

describe('execution light: the formula', () => {
  it('is (executed ÷ budget) ÷ (months ÷ 12) × 100: Jan-Jul at 30 % scores 51.43, red (the issue example)', () => {
    const figure = executionFigure(janJul(30), RULES);
    expect(figure).toMatchObject({ budgetWan: 100, executedWan: 30, rate: 0.3, score: 51.43, light: 'red' });
    expect(figure.timeProgress).toBeCloseTo(7 / 12, 4);
  });

  it('Jan-Jul at 75 % scores 128.57, green (the correcting report of the issue example)', () => {
    expect(executionFigure(janJul(75), RULES)).toMatchObject({ rate: 0.75, score: 128.57, light: 'green' });
  });

  it('reads the share executed, not the amount: the same share of a larger budget scores the same', () => {
    expect(executionFigure(janJul(3000, 10_000), RULES).score).toBe(51.43);
  });

  it('scores on time at 100 in every month, and a full year at 100 in December', () => {
    for (let month = 1; month <= 12; month++) {
      expect(executionFigure({ budgetWan: 1200, executedWan: 100 * month, throughMonth: month }, RULES).score, `month ${month}`).toBe(100);
    }
  });

  it('lets a score go above 100 when spending is ahead of time', () => {
    expect(executionFigure({ budgetWan: 100, executedWan: 50, throughMonth: 3 }, RULES).score).toBe(200);
  });

  it('gives a zero budget nothing to execute: green', () => {
    expect(executionFigure({ budgetWan: 0, executedWan: 0, throughMonth: 7 }, RULES)).toMatchObject({ rate: 1, light: 'green' });
  });
});

describe('execution light: the bands', () => {
  it('is red below 60, yellow from 60 to below 80, green from 80, at the exact boundaries', () => {
    const cutoffs = RULES.execution;
    expect(lightFor(59.99, cutoffs)).toBe('red');
    expect(lightFor(60, cutoffs)).toBe('yellow');
    expect(lightFor(79.99, cutoffs)).toBe('yellow');
    expect(lightFor(80, cutoffs)).toBe('green');
  });

  it('lands on the boundaries through the formula too (Jan-Jun: 29.995 %, 30 %, 39.995 %, 40 %)', () => {
    const jun = (executedWan: number) => executionFigure({ budgetWan: 100, executedWan, throughMonth: 6 }, RULES);
    expect([jun(29.995), jun(30), jun(39.995), jun(40)].map((f) => [f.score, f.light])).toEqual([
      [59.99, 'red'],
      [60, 'yellow'],
      [79.99, 'yellow'],
      [80, 'green'],
    ]);
  });

  it('reads a score exactly 60 or 80 despite floating point (35 % of Jan-Jul is 60)', () => {
    expect(executionFigure(janJul(35), RULES)).toMatchObject({ score: 60, light: 'yellow' });
  });

  it('honours the cut-offs of the region: with red below 50 and yellow below 70, 51.43 is yellow', () => {
    expect(executionFigure(janJul(30), { execution: { redBelow: 50, yellowBelow: 70 } }).light).toBe('yellow');
  });

  it('uses the execution cut-offs, not the indicator ones', () => {
    const lenientIndicators: MonitoringRules = { ...RULES, indicator: { redBelow: 0, yellowBelow: 0 } };
    expect(executionFigure(janJul(30), lenientIndicators).light).toBe('red');
  });
});

// ---------- indicators ----------

describe('indicators: which targets accumulate over the year', () => {
  it('counts of things to reach (≥ with a count unit) accumulate', () => {
    expect(accumulates(trained)).toBe(true);
    expect(accumulates({ ...trained, unit: '公里' })).toBe(true);
  });

  it('rates and scores (units with %, 率 or 分) do not', () => {
    expect(accumulates(passRate)).toBe(false);
    expect(accumulates({ ...passRate, unit: '率' })).toBe(false);
    expect(accumulates(satisfaction)).toBe(false);
  });

  it('reads the full-width ％ and per-mille ‰ as rates too', () => {
    expect(accumulates({ ...passRate, unit: '％' })).toBe(false);
    expect(accumulates({ ...passRate, unit: '‰' })).toBe(false);
    expect(indicator({ ...passRate, unit: '％' }, { valueToDate: 50 }).light).toBe('red');
  });

  it('≤ targets do not, whatever the unit', () => {
    expect(accumulates(accidents)).toBe(false);
  });

  it('= targets do with a count unit (免费开放天数 = 300 天), not as a rate or per-unit level', () => {
    expect(accumulates(townships)).toBe(true);
    expect(accumulates({ ...townships, unit: '%' })).toBe(false);
    expect(accumulates({ ...townships, unit: '元/亩' })).toBe(false);
    expect(accumulates({ ...townships, operator: 'gte', unit: '年' })).toBe(false);
  });

  it('a ≥ target without a unit does not', () => {
    const { unit: _unit, ...noUnit } = trained;
    expect(accumulates(noUnit)).toBe(false);
  });
});

describe('indicators: progress to date', () => {
  it('compares an accumulating target with the share of the year: 300 of 1,200 by June is half the 600 expected, red', () => {
    expect(indicator(trained, { valueToDate: 300 })).toMatchObject({ rowId: 'r_trained', name: '培训人次', score: 50, light: 'red' });
  });

  it('finds an accumulating target on track when it reaches the expected share: 600 by June is green', () => {
    expect(indicator(trained, { valueToDate: 600 })).toMatchObject({ score: 100, light: 'green' });
  });

  it('uses the window’s months: 420 by July is 60 % of the 700 expected, yellow', () => {
    expect(indicator(trained, { valueToDate: 420 }, 7)).toMatchObject({ score: 60, light: 'yellow' });
  });

  it('compares a rate (%) as a level: 50 % against ≥ 95 % in June is red, not half-way and fine', () => {
    expect(indicator(passRate, { valueToDate: 50 })).toMatchObject({ score: 52.63, light: 'red' });
    expect(indicator(passRate, { valueToDate: 90 })).toMatchObject({ score: 94.74, light: 'green' });
  });

  it('compares a score (分) as a level: 50 against ≥ 90 in June is red', () => {
    expect(indicator(satisfaction, { valueToDate: 50 })).toMatchObject({ score: 55.56, light: 'red' });
  });

  it('compares a ≤ row as a level: within the limit is 100, above it is limit ÷ value', () => {
    expect(indicator(complaints, { valueToDate: 4 })).toMatchObject({ score: 100, light: 'green' });
    expect(indicator(complaints, { valueToDate: 8 })).toMatchObject({ score: 62.5, light: 'yellow' });
    expect(indicator(accidents, { valueToDate: 3 })).toMatchObject({ score: 66.67, light: 'yellow' });
  });

  it('compares an = level (a rate) as a level: the relative distance from the target either way', () => {
    const rate = { ...townships, unit: '%' };
    expect(indicator(rate, { valueToDate: 20 })).toMatchObject({ score: 100, light: 'green' });
    expect(indicator(rate, { valueToDate: 15 })).toMatchObject({ score: 75, light: 'yellow' });
    expect(indicator(rate, { valueToDate: 25 })).toMatchObject({ score: 75, light: 'yellow' });
  });

  it('honours the indicator cut-offs of the region', () => {
    const lenient = { ...RULES, indicator: { redBelow: 40, yellowBelow: 50 } };
    expect(assessIndicator(trained, progress('r_trained', { valueToDate: 300 }), 6, lenient).light).toBe('green');
  });

  it('never scores below 0', () => {
    expect(indicator({ ...townships, unit: '%' }, { valueToDate: 100 }).score).toBe(0);
    expect(indicator(passRate, { valueToDate: -10 }).score).toBe(0);
    expect(indicator(trained, { valueToDate: -10 }).score).toBe(0);
  });
});

describe('indicators: the forecast', () => {
  it('compares the full-year forecast with the target: 900 forecast against ≥ 1,200 is 75, yellow, even when on track to date', () => {
    expect(indicator(trained, { valueToDate: 600, forecast: 900 })).toMatchObject({ score: 75, light: 'yellow' });
  });

  it('is enough on its own when there is no value to date', () => {
    expect(indicator(trained, { forecast: 1000 })).toMatchObject({ score: 83.33, light: 'green' });
  });

  it('lets the lower of the two scores decide: behind to date (50) with a forecast on target (100) is red', () => {
    expect(indicator(trained, { valueToDate: 300, forecast: 1200 })).toMatchObject({ score: 50, light: 'red' });
  });

  it('caps a forecast above target at 100, so being ahead to date cannot hide it', () => {
    expect(indicator(trained, { valueToDate: 900, forecast: 2000 }).score).toBe(100);
  });

  it('checks a ≤ forecast against the limit', () => {
    expect(indicator(complaints, { valueToDate: 4, forecast: 10 })).toMatchObject({ score: 50, light: 'red' });
  });
});

describe('indicators: likelihood', () => {
  it('makes any row red when the unit says it is impossible to complete, even with figures on track', () => {
    expect(indicator(trained, { valueToDate: 600, forecast: 1200, likelihood: 'impossible' })).toMatchObject({ score: 100, light: 'red' });
  });

  it('keeps a row green when the unit is certain to complete it (确定能): 600 of 600 expected by month 6 and 1,200 forecast score 100', () => {
    expect(indicator(trained, { valueToDate: 600, forecast: 1200, likelihood: 'certain' })).toMatchObject({ score: 100, light: 'green' });
  });

  it('makes a row yellow when the unit says it is only possible to complete (有可能), even with figures on track (score 100)', () => {
    expect(indicator(trained, { valueToDate: 600, forecast: 1200, likelihood: 'possible' })).toMatchObject({ score: 100, light: 'yellow' });
  });

  it('says that the likelihood made the row yellow', () => {
    expect(indicator(trained, { valueToDate: 600, forecast: 1200, likelihood: 'possible' }).detail).toBe(
      '600 人次 to date against 600 人次 expected by month 6 (1200 人次 for the year); the unit says it can possibly, not certainly, be completed',
    );
  });

  it('leaves a row red that its figures make red (50) when the unit says it is possible', () => {
    expect(indicator(trained, { valueToDate: 300, forecast: 1200, likelihood: 'possible' })).toMatchObject({ score: 50, light: 'red' });
  });

  it('makes a qualitative row met so far yellow when it is only possible to complete', () => {
    expect(indicator(quality, { finding: 'met', likelihood: 'possible' }).light).toBe('yellow');
  });

  it('follows the region: mapping possible → green keeps the on-track row green', () => {
    const lenient = { ...RULES, likelihoodLights: { ...RULES.likelihoodLights, possible: 'green' as const } };
    expect(assessIndicator(trained, progress('r_trained', { valueToDate: 600, forecast: 1200, likelihood: 'possible' }), 6, lenient).light).toBe('green');
  });

  it('follows the region: mapping possible → green adds no note to the detail', () => {
    const lenient = { ...RULES, likelihoodLights: { ...RULES.likelihoodLights, possible: 'green' as const } };
    expect(assessIndicator(trained, progress('r_trained', { valueToDate: 600, forecast: 1200, likelihood: 'possible' }), 6, lenient).detail).toBe(
      '600 人次 to date against 600 人次 expected by month 6 (1200 人次 for the year)',
    );
  });

  it('follows the region: mapping possible → red makes the on-track row red', () => {
    const strict = { ...RULES, likelihoodLights: { ...RULES.likelihoodLights, possible: 'red' as const } };
    expect(assessIndicator(trained, progress('r_trained', { valueToDate: 600, forecast: 1200, likelihood: 'possible' }), 6, strict).light).toBe('red');
  });
});

describe('indicators: qualitative rows', () => {
  it('turns the finding met / partly / not met into green / yellow / red', () => {
    expect(indicator(quality, { finding: 'met' }).light).toBe('green');
    expect(indicator(quality, { finding: 'partly' }).light).toBe('yellow');
    expect(indicator(quality, { finding: 'not_met' }).light).toBe('red');
  });

  it('gives no score', () => {
    expect(indicator(quality, { finding: 'partly' })).not.toHaveProperty('score');
  });

  it('falls back to the likelihood without a finding', () => {
    expect(indicator(quality, { likelihood: 'certain' }).light).toBe('green');
    expect(indicator(quality, { likelihood: 'impossible' }).light).toBe('red');
  });

  it('is red when met so far but impossible to complete', () => {
    expect(indicator(quality, { finding: 'met', likelihood: 'impossible' }).light).toBe('red');
  });

  it('reads a quantitative operator with a text target as qualitative', () => {
    expect(indicator({ ...trained, value: '显著提高' }, { finding: 'not_met', valueToDate: 5000 })).toMatchObject({ light: 'red', detail: 'finding: not met' });
  });

  it('says what it found', () => {
    expect(indicator(quality, { finding: 'not_met' }).detail).toBe('finding: not met');
    expect(indicator(quality, { likelihood: 'impossible' }).detail).toBe('likelihood: impossible; the unit expects it cannot be completed');
  });
});

describe('indicators: nothing reported', () => {
  it('is yellow without a value to date or a forecast, and says so', () => {
    const a = indicator(trained);
    expect(a).toMatchObject({ light: 'yellow', detail: 'no value to date or forecast reported' });
    expect(a).not.toHaveProperty('score');
  });

  it('is red without figures when the unit says it is impossible', () => {
    expect(indicator(trained, { likelihood: 'impossible' }).light).toBe('red');
  });
});

describe('indicators: the detail carries the figures', () => {
  it('of an accumulating row: to date, expected by the month, and the annual target', () => {
    expect(indicator(trained, { valueToDate: 300 }).detail).toBe('300 人次 to date against 600 人次 expected by month 6 (1200 人次 for the year)');
  });

  it('of a level row: to date against the operator and target', () => {
    expect(indicator(complaints, { valueToDate: 8 }).detail).toBe('8 % to date against the target ≤ 5 %');
  });

  it('of the forecast when the forecast decides', () => {
    expect(indicator(trained, { valueToDate: 600, forecast: 900 }).detail).toBe('forecast 900 人次 for the year against ≥ 1200 人次');
  });

  it('with the unit’s own expectation when it is impossible', () => {
    expect(indicator(trained, { valueToDate: 300, likelihood: 'impossible' }).detail).toBe(
      '300 人次 to date against 600 人次 expected by month 6 (1200 人次 for the year); the unit expects it cannot be completed',
    );
  });
});

// ---------- a report as a whole ----------

describe('assessReport', () => {
  /** Jan-Jun: execution 70 (yellow); trained 50 (red); pass rate green; complaints 62.5 (yellow); quality not met (red); satisfaction not reported. */
  const targets = [trained, passRate, complaints, quality, satisfaction];
  const rows = [
    progress('r_trained', { valueToDate: 300, likelihood: 'possible', cause: 'staffing', correctiveMeasures: '增聘兼职教师' }),
    progress('r_pass', { valueToDate: 90 }),
    progress('r_complaints', { valueToDate: 8 }),
    progress('r_quality', { finding: 'not_met', cause: 'rules' }),
  ];
  const mixed = () => assessReport({ budgetWan: 100, executedWan: 35, throughMonth: 6 }, targets, rows, RULES);

  it('takes the worst light of execution and every row as the report’s light', () => {
    expect(mixed().light).toBe('red');
    expect(assessReport(janJul(30), [trained], [progress('r_trained', { valueToDate: 700 })], RULES).light).toBe('red');
    expect(assessReport(janJul(75), [trained], [progress('r_trained', { valueToDate: 500 })], RULES).light).toBe('yellow');
  });

  it('is green with no deviations when everything is on track', () => {
    const a = assessReport(janJul(75), [trained, passRate], [progress('r_trained', { valueToDate: 700 }), progress('r_pass', { valueToDate: 96 })], RULES);
    expect(a.light).toBe('green');
    expect(a.deviations).toEqual([]);
  });

  it('lists only the rows that are not green, red before yellow, the lower score first within a light', () => {
    expect(mixed().deviations.map((d) => [d.kind, d.rowId, d.light, d.score])).toEqual([
      ['indicator', 'r_quality', 'red', undefined],
      ['indicator', 'r_trained', 'red', 50],
      ['indicator', 'r_complaints', 'yellow', 62.5],
      ['execution', undefined, 'yellow', 70],
    ]);
  });

  it('does not put execution first among equal lights: a row further behind comes before it', () => {
    const behind = assessReport(janJul(30), [trained], [progress('r_trained', { valueToDate: 300 })], RULES); // 42.86 vs 51.43
    expect(behind.deviations.map((d) => d.kind)).toEqual(['indicator', 'execution']);
    const ahead = assessReport(janJul(30), [trained], [progress('r_trained', { valueToDate: 385 })], RULES); // 55 vs 51.43
    expect(ahead.deviations.map((d) => d.kind)).toEqual(['execution', 'indicator']);
  });

  it('keeps execution first on an equal light and score', () => {
    const tie = assessReport({ budgetWan: 100, executedWan: 25, throughMonth: 6 }, [trained], [progress('r_trained', { valueToDate: 300 })], RULES); // 50 and 50
    expect(tie.deviations.map((d) => d.kind)).toEqual(['execution', 'indicator']);
  });

  it('puts rows without a score (qualitative, nothing reported) first within their light', () => {
    const a = assessReport(janJul(30), [trained, quality], [progress('r_trained', { valueToDate: 300 }), progress('r_quality', { finding: 'not_met' })], RULES);
    expect(a.deviations.map((d) => d.rowId ?? d.kind)).toEqual(['r_quality', 'r_trained', 'execution']);
  });

  it('marks red rows major and yellow rows minor', () => {
    expect(mixed().deviations.map((d) => [d.light, d.severity])).toEqual([
      ['red', 'major'],
      ['red', 'major'],
      ['yellow', 'minor'],
      ['yellow', 'minor'],
    ]);
  });

  it('carries the unit’s likelihood, cause and corrective measures on each indicator row', () => {
    const byRow = new Map(mixed().deviations.map((d) => [d.rowId, d]));
    expect(byRow.get('r_trained')).toEqual({
      kind: 'indicator',
      rowId: 'r_trained',
      name: '培训人次',
      light: 'red',
      severity: 'major',
      score: 50,
      detail: '300 人次 to date against 600 人次 expected by month 6 (1200 人次 for the year)',
      likelihood: 'possible',
      cause: 'staffing',
      correctiveMeasures: '增聘兼职教师',
    });
    expect(byRow.get('r_quality')).toEqual({ kind: 'indicator', rowId: 'r_quality', name: '培训质量', light: 'red', severity: 'major', detail: 'finding: not met', likelihood: 'certain', cause: 'rules' });
  });

  it('describes the execution row with its figures: the issue example', () => {
    expect(assessReport(janJul(30), [], [], RULES).deviations).toEqual([
      { kind: 'execution', name: 'budget execution', light: 'red', severity: 'major', score: 51.43, detail: '30 % of 100 万元 executed against 58.33 % of the year: score 51.43' },
    ]);
  });

  it('makes a report with execution on track (100) and one row only possible to complete yellow, with that row a minor deviation', () => {
    // Jan-Jun: 50 of 100 万元 executed against half the year = 100, green; 600 of 1,200 trained, forecast 1,200 = 100, but 有可能.
    const a = assessReport({ budgetWan: 100, executedWan: 50, throughMonth: 6 }, [trained], [progress('r_trained', { valueToDate: 600, forecast: 1200, likelihood: 'possible' })], RULES);
    expect([a.light, a.deviations.map((d) => [d.rowId, d.light, d.severity, d.likelihood])]).toEqual(['yellow', [['r_trained', 'yellow', 'minor', 'possible']]]);
  });

  it('leaves out target rows without progress, and progress for rows that are not targets', () => {
    const a = assessReport(janJul(75), [trained, satisfaction], [progress('r_trained', { valueToDate: 700 }), progress('r_unknown', { likelihood: 'impossible' })], RULES);
    expect(a.indicators.map((i) => i.rowId)).toEqual(['r_trained']);
    expect(a.light).toBe('green');
  });

  it('gives every assessed row its light, score and likelihood, in target order', () => {
    expect(mixed().indicators.map((i) => [i.rowId, i.light, i.score, i.likelihood])).toEqual([
      ['r_trained', 'red', 50, 'possible'],
      ['r_pass', 'green', 94.74, 'certain'],
      ['r_complaints', 'yellow', 62.5, 'certain'],
      ['r_quality', 'red', undefined, 'certain'],
    ]);
  });

  it('includes the execution figure', () => {
    expect(mixed().execution).toMatchObject({ score: 70, light: 'yellow' });
  });
});

describe('missingExplanations', () => {
  const targets = [trained, passRate, complaints, quality];
  const explain = (rows: IndicatorProgress[]) => missingExplanations(assessReport(janJul(30), targets, rows, RULES).deviations, rows);

  it('lists a deviating row with neither cause nor corrective measures', () => {
    expect(explain([progress('r_trained', { valueToDate: 300 })])).toEqual([{ rowId: 'r_trained', name: '培训人次', missing: ['cause', 'correctiveMeasures'] }]);
  });

  it('lists only what is missing', () => {
    expect(explain([progress('r_trained', { valueToDate: 300, cause: 'funding' }), progress('r_quality', { finding: 'partly', correctiveMeasures: '开展督导' })])).toEqual([
      { rowId: 'r_trained', name: '培训人次', missing: ['correctiveMeasures'] },
      { rowId: 'r_quality', name: '培训质量', missing: ['cause'] },
    ]);
  });

  it('does not accept blank corrective measures', () => {
    expect(explain([progress('r_trained', { valueToDate: 300, cause: 'funding', correctiveMeasures: '  ' })])).toEqual([{ rowId: 'r_trained', name: '培训人次', missing: ['correctiveMeasures'] }]);
  });

  it('asks nothing of an explained row or of green rows', () => {
    expect(explain([progress('r_trained', { valueToDate: 300, cause: 'funding', correctiveMeasures: '追加资金' }), progress('r_pass', { valueToDate: 96 })])).toEqual([]);
  });

  it('does not list the execution row (the report has no cause fields for it)', () => {
    const deviations = assessReport(janJul(30), [], [], RULES).deviations;
    expect(deviations).toHaveLength(1);
    expect(missingExplanations(deviations, [])).toEqual([]);
  });
});

// ---------- the running state ----------

describe('applyReport: deviations raised and corrected', () => {
  it('raises a deviation on the first yellow report, with its rows, and opens it in that window', () => {
    const o = applyReport(INITIAL_STATE, win(6), executionOnly('yellow', 6), [], RULES);
    expect(o.deviation).toEqual({ light: 'yellow', rows: executionOnly('yellow', 6).deviations });
    expect(o.state.open).toEqual({ windowId: 'win_2026_06', light: 'yellow' });
    expect(o).not.toHaveProperty('corrected');
    expect(o).not.toHaveProperty('pause');
  });

  it('raises a deviation on the first red report and counts one red window', () => {
    const o = applyReport(INITIAL_STATE, win(7), executionOnly('red', 7), [], RULES);
    expect(o.deviation?.light).toBe('red');
    expect(o.deviation?.rows.map((r) => r.kind)).toEqual(['execution']);
    expect(o.state).toMatchObject({ lastWindowId: 'win_2026_07', lastThroughMonth: 7, lastLight: 'red', redWindows: 1, open: { windowId: 'win_2026_07', light: 'red' } });
    expect(o).not.toHaveProperty('pause');
  });

  it('emits nothing for a green report with nothing open', () => {
    const o = applyReport(INITIAL_STATE, win(7), executionOnly('green', 7), [], RULES);
    expect(Object.keys(o)).toEqual(['state']);
    expect(o.state).toMatchObject({ lastLight: 'green', redWindows: 0 });
    expect(o.state).not.toHaveProperty('open');
  });

  it('emits corrected on a green report after an open deviation, naming the window that raised it (the issue example: 30 % then 75 %)', () => {
    const reports = [
      { window: win(7), assessment: assessReport(janJul(30), [], [], RULES) },
      { window: win(8), assessment: assessReport({ budgetWan: 100, executedWan: 75, throughMonth: 8 }, [], [], RULES) },
    ];
    const o = last(run(reports));
    expect(o.corrected).toEqual({ raisedInWindow: 'win_2026_07', previousLight: 'red' });
    expect(o).not.toHaveProperty('deviation');
    expect(o.state).not.toHaveProperty('open');
  });

  it('keeps the window that raised a deviation while it stays open, with its latest light', () => {
    const outcomes = run([step('yellow', 5), step('red', 6), step('green', 7)]);
    expect(outcomes[1]?.state.open).toEqual({ windowId: 'win_2026_05', light: 'red' });
    expect(last(outcomes).corrected).toEqual({ raisedInWindow: 'win_2026_05', previousLight: 'red' });
  });

  it('emits the deviation again on every report that is still not green', () => {
    const outcomes = run([step('yellow', 5), step('yellow', 6)]);
    expect(outcomes.map((o) => o.deviation?.light)).toEqual(['yellow', 'yellow']);
  });

  it('raises a new deviation after a correction', () => {
    const outcomes = run([step('red', 5), step('green', 6), step('yellow', 7)]);
    expect(last(outcomes).deviation?.light).toBe('yellow');
    expect(last(outcomes).state.open).toEqual({ windowId: 'win_2026_07', light: 'yellow' });
  });
});

describe('applyReport: red persisting', () => {
  it('recommends a pause when red in 2 consecutive windows (the default), with the red rows and the count', () => {
    const o = last(run([step('red', 6), step('red', 7)]));
    expect(o.pause).toEqual({
      rule: 'red_persisting',
      reason: 'red in 2 consecutive monitoring windows (the rule is 2)',
      redWindows: 2,
      rows: executionOnly('red', 7).deviations,
    });
    expect(o.state.pauseRecommendedIn).toEqual(['win_2026_07']);
  });

  it('does not recommend a pause for one red window', () => {
    expect(run([step('red', 6)])[0]).not.toHaveProperty('pause');
  });

  it('counts only consecutive red windows: red, yellow, red is not persisting', () => {
    const outcomes = run([step('red', 5), step('yellow', 6), step('red', 7)]);
    expect(outcomes.map((o) => o.pause?.rule)).toEqual([undefined, undefined, undefined]);
    expect(last(outcomes).state.redWindows).toBe(1);
  });

  it('honours the number of windows of the region', () => {
    const outcomes = run([step('red', 5), step('red', 6), step('red', 7)], withPause({ redWindows: 3 }));
    expect(outcomes.map((o) => o.pause?.redWindows)).toEqual([undefined, undefined, 3]);
  });

  it('recommends again in each further red window, once per window', () => {
    const outcomes = run([step('red', 5), step('red', 6), step('red', 6), step('red', 7)]);
    expect(outcomes.map((o) => o.pause?.redWindows)).toEqual([undefined, 2, undefined, 3]);
    expect(last(outcomes).state.pauseRecommendedIn).toEqual(['win_2026_06', 'win_2026_07']);
  });

  it('is off with redWindows 0: red in every window recommends nothing', () => {
    const months = [3, 4, 5, 6, 7, 8];
    const outcomes = run(months.map((m) => step('red', m)), withPause({ redWindows: 0 }));
    expect(outcomes.some((o) => o.pause)).toBe(false);
    expect(last(outcomes).state.redWindows).toBe(months.length);
  });
});

describe('applyReport: a second report in the same window replaces the first', () => {
  it('does not count its red twice', () => {
    const outcomes = run([step('red', 6), step('red', 6)]);
    expect(last(outcomes).state.redWindows).toBe(1);
    expect(last(outcomes)).not.toHaveProperty('pause');
  });

  it('counts a red correction of a yellow report with the windows before it', () => {
    const outcomes = run([step('red', 5), step('yellow', 6), step('red', 6)]);
    expect(last(outcomes).state.redWindows).toBe(2);
    expect(last(outcomes).pause?.rule).toBe('red_persisting');
  });

  it('clears the open deviation and the red count when it is green', () => {
    const outcomes = run([step('red', 6), step('green', 6)]);
    expect(last(outcomes).corrected).toEqual({ raisedInWindow: 'win_2026_06', previousLight: 'red' });
    expect(last(outcomes).state).toMatchObject({ redWindows: 0 });
    expect(last(outcomes).state).not.toHaveProperty('open');
  });

  it('starts the count afresh after a green correction: red, then green in the same window, then red is one window', () => {
    const outcomes = run([step('red', 5), step('green', 5), step('red', 6)]);
    expect(last(outcomes).state.redWindows).toBe(1);
    expect(last(outcomes)).not.toHaveProperty('pause');
  });

  it('undoes a green correction with a red one in the same window: the earlier red windows count again', () => {
    const outcomes = run([step('red', 5), step('green', 6), step('red', 6)]);
    expect(last(outcomes).state.redWindows).toBe(2);
    expect(last(outcomes).pause?.rule).toBe('red_persisting');
  });
});

describe('applyReport: impossible without corrective measures', () => {
  it('recommends a pause for a row the unit says is impossible and gives no measures, naming it', () => {
    const rows = trainingRow({ likelihood: 'impossible', cause: 'funding' });
    const o = applyReport(INITIAL_STATE, win(6), withTrainingRow(rows), rows, RULES);
    expect(o.pause?.rule).toBe('impossible_without_measures');
    expect(o.pause?.reason).toBe('「培训人次」 cannot be completed and no corrective measures are given');
    expect(o.pause?.rows.map((r) => r.rowId)).toEqual(['r_trained']);
    expect(o.pause).not.toHaveProperty('redWindows');
    expect(o.state.pauseRecommendedIn).toEqual(['win_2026_06']);
  });

  it('treats blank measures as none', () => {
    const rows = trainingRow({ likelihood: 'impossible', correctiveMeasures: ' ' });
    expect(applyReport(INITIAL_STATE, win(6), withTrainingRow(rows), rows, RULES).pause?.rule).toBe('impossible_without_measures');
  });

  it('does not recommend a pause when the unit gives corrective measures (the deviation is still raised)', () => {
    const rows = trainingRow({ likelihood: 'impossible', cause: 'funding', correctiveMeasures: '申请调整预算和目标' });
    const o = applyReport(INITIAL_STATE, win(6), withTrainingRow(rows), rows, RULES);
    expect(o).not.toHaveProperty('pause');
    expect(o.deviation?.light).toBe('red');
  });

  it('does not recommend a pause for an impossible row when the rule is off', () => {
    const rows = trainingRow({ likelihood: 'impossible' });
    expect(applyReport(INITIAL_STATE, win(6), withTrainingRow(rows), rows, withPause({ impossibleWithoutMeasures: false }))).not.toHaveProperty('pause');
  });

  it('still applies when red persistence is off', () => {
    const rows = trainingRow({ likelihood: 'impossible' });
    expect(applyReport(INITIAL_STATE, win(6), withTrainingRow(rows), rows, withPause({ redWindows: 0 })).pause?.rule).toBe('impossible_without_measures');
  });

  it('gives one recommendation when both rules apply: red persisting', () => {
    const rows = trainingRow({ likelihood: 'impossible' });
    const outcomes = run([step('red', 5), { window: win(6), assessment: withTrainingRow(rows), progress: rows }]);
    expect(last(outcomes).pause?.rule).toBe('red_persisting');
    expect(last(outcomes).state.pauseRecommendedIn).toEqual(['win_2026_06']);
  });

  it('does not recommend twice in one window when the report is corrected', () => {
    const rows = trainingRow({ likelihood: 'impossible' });
    const report = { window: win(6), assessment: withTrainingRow(rows), progress: rows };
    expect(run([report, report]).map((o) => o.pause?.rule)).toEqual(['impossible_without_measures', undefined]);
  });
});

describe('applyReport: purity', () => {
  it('does not mutate the state it is given', () => {
    const state: MonitoringState = deepFreeze({
      lastWindowId: 'win_2026_06',
      lastThroughMonth: 6,
      lastLight: 'red',
      redWindows: 1,
      redWindowsBefore: 0,
      open: { windowId: 'win_2026_06', light: 'red' },
      pauseRecommendedIn: ['win_2026_03'],
    });
    const copy = structuredClone(state);
    expect(() => applyReport(state, win(7), executionOnly('green', 7), [], RULES)).not.toThrow();
    expect(() => applyReport(state, win(7), executionOnly('red', 7), [], RULES)).not.toThrow();
    expect(() => applyReport(state, win(6), executionOnly('yellow', 6), [], RULES)).not.toThrow();
    expect(state).toEqual(copy);
  });

  it('does not share the pause list with the state it is given', () => {
    const state: MonitoringState = { ...INITIAL_STATE, lastWindowId: 'win_2026_06', redWindows: 1, pauseRecommendedIn: ['win_2026_03'] };
    const o = applyReport(state, win(7), executionOnly('red', 7), [], RULES);
    expect(o.state.pauseRecommendedIn).toEqual(['win_2026_03', 'win_2026_07']);
    expect(state.pauseRecommendedIn).toEqual(['win_2026_03']);
  });
});
