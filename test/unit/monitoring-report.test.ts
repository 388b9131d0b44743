import { describe, expect, it } from 'vitest';
import type { IndicatorProgress, IndicatorTarget } from '../../services/monitoring/domain/deviation.ts';
import {
  assess,
  buildReport,
  checkReportInput,
  inWindowScope,
  normalizeInput,
  parseReportId,
  reportIdOf,
  splitReport,
  windowLabel,
  type ObjectRef,
  type Report,
  type ReportInput,
  type Window,
} from '../../services/monitoring/domain/report.ts';
import { defaultMonitoringRules } from '../../services/monitoring/domain/rules.ts';

// ---------- fixtures ----------

const RULES = defaultMonitoringRules('360000', 2027);

/** Ids as the services mint them: prefix + 9 base36 time characters + 10 hex characters. */
const WINDOW_ID = 'win_0lx3k9p2qa1b2c3d4e5';
const OBJECT_ID = 'obj_0lw1m2n3o9f8e7d6c5b';

/** The Jan-Jul window, due 10 August (a China Standard Time day). */
const WINDOW: Window = {
  id: WINDOW_ID,
  version: 1,
  region: '360000',
  fiscalYear: 2027,
  throughMonth: 7,
  label: '1~7月',
  dueDate: '2027-08-10',
  scope: { kind: 'all' },
  createdAt: '2027-07-20T02:00:00.000Z',
  createdBy: 'finance-1',
};

const OBJECT: ObjectRef = {
  id: OBJECT_ID,
  spendingType: 'project',
  name: '2027年农民技能培训项目',
  fiscalYear: 2027,
  region: '360000',
  department: 'D-AGRI',
  unit: 'U-AGRI-03',
  sector: 'agriculture',
};

/** The approved target rows: an accumulating count, a rate and a qualitative row. */
const trained: IndicatorTarget = { rowId: 'r_trained', name: '培训人次', operator: 'gte', value: 1200, unit: '人次' };
const passRate: IndicatorTarget = { rowId: 'r_pass', name: '培训合格率', operator: 'gte', value: 95, unit: '%' };
const quality: IndicatorTarget = { rowId: 'r_quality', name: '培训质量', operator: 'qualitative', value: '效果明显' };
const ROWS = [trained, passRate, quality];

const ANNUAL_WAN = 120;

const progress = (rowId: string, changes: Partial<IndicatorProgress> = {}): IndicatorProgress => ({ rowId, likelihood: 'certain', ...changes });

/** A complete on-track Jan-Jul report: 70 of 120 万元 (score 100), every row green. */
const onTrack = (changes: Partial<ReportInput> = {}): ReportInput => ({
  executedWan: 70,
  expectedFullYearWan: 120,
  indicators: [progress('r_trained', { valueToDate: 700, forecast: 1200 }), progress('r_pass', { valueToDate: 96 }), progress('r_quality', { finding: 'met' })],
  ...changes,
});

/** Everything red: execution 30 of 120 (42.86), 350 trained (50), a 50 % pass rate (52.63), quality not met. */
const allRed = (): ReportInput => ({
  executedWan: 30,
  expectedFullYearWan: 80,
  indicators: [
    progress('r_trained', { valueToDate: 350 }),
    progress('r_pass', { valueToDate: 50, cause: 'staffing', correctiveMeasures: '增派讲师' }),
    progress('r_quality', { finding: 'not_met', cause: 'rules' }),
  ],
});

const NOW = new Date('2027-08-05T02:00:00Z');

function report(input: ReportInput = onTrack(), changes: { previous?: Report; now?: Date; window?: Window } = {}): Report {
  return buildReport({
    window: changes.window ?? WINDOW,
    object: OBJECT,
    targetVersion: 1,
    annualBudgetWan: ANNUAL_WAN,
    input,
    assessment: assess(input, ANNUAL_WAN, WINDOW.throughMonth, ROWS, RULES),
    ...(changes.previous ? { previous: changes.previous } : {}),
    actor: 'unit-clerk-1',
    now: changes.now ?? NOW,
  });
}

const fields = (input: ReportInput) => checkReportInput(input, ROWS).map((v) => v.field);

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

// ---------- windows ----------

describe('windowLabel', () => {
  it('labels a January window "1月"', () => {
    expect(windowLabel(1)).toBe('1月');
  });

  it('labels a cumulative window "1~N月": Jan-Jul is "1~7月", the whole year "1~12月"', () => {
    expect(windowLabel(7)).toBe('1~7月');
    expect(windowLabel(12)).toBe('1~12月');
  });
});

describe('inWindowScope', () => {
  const entry = (objectId: string, annualTotalWan: number, fiscalYear = 2027) => ({ objectId, fiscalYear, annualTotalWan });
  const keyWindow = (objectIds?: string[]) => ({ fiscalYear: 2027, scope: objectIds ? { kind: 'key' as const, objectIds } : { kind: 'key' as const } });
  const allWindow = { fiscalYear: 2027, scope: { kind: 'all' as const } };

  it('takes every object of the year into an "all" window, however small', () => {
    expect(inWindowScope(allWindow, entry('obj_a', 0), RULES)).toBe(true);
    expect(inWindowScope(allWindow, entry('obj_b', 5), RULES)).toBe(true);
  });

  it('takes a listed object into a key window, however small', () => {
    expect(inWindowScope(keyWindow(['obj_small']), entry('obj_small', 10), RULES)).toBe(true);
  });

  it('takes an object at or above keyObjectMinWan (1,000 万元) into a key window, not one below it', () => {
    expect(inWindowScope(keyWindow(), entry('obj_a', 1000), RULES)).toBe(true);
    expect(inWindowScope(keyWindow(), entry('obj_b', 999.99), RULES)).toBe(false);
  });

  it('honours the region’s keyObjectMinWan', () => {
    expect(inWindowScope(keyWindow(), entry('obj_a', 500), { keyObjectMinWan: 500 })).toBe(true);
    expect(inWindowScope(keyWindow(), entry('obj_a', 500), { keyObjectMinWan: 501 })).toBe(false);
  });

  it('adds the listed objects to the large ones: listing ids does not drop an unlisted object above the key amount', () => {
    expect(inWindowScope(keyWindow(['obj_small']), entry('obj_large', 2000), RULES)).toBe(true);
    expect(inWindowScope(keyWindow(['obj_small']), entry('obj_other', 10), RULES)).toBe(false);
  });

  it('excludes objects of another fiscal year from every kind of window, listed or large', () => {
    expect(inWindowScope(allWindow, entry('obj_a', 50, 2026), RULES)).toBe(false);
    expect(inWindowScope(keyWindow(['obj_a']), entry('obj_a', 5000, 2028), RULES)).toBe(false);
  });
});

// ---------- report ids ----------

describe('report ids', () => {
  it('round-trips: parseReportId(reportIdOf(window, object)) gives back both ids', () => {
    const id = reportIdOf(WINDOW_ID, OBJECT_ID);
    expect(id).toBe('rpt_0lx3k9p2qa1b2c3d4e5_0lw1m2n3o9f8e7d6c5b');
    expect(parseReportId(id)).toEqual({ windowId: WINDOW_ID, objectId: OBJECT_ID });
  });

  it('accepts id parts of 10 to 40 lower-case letters or digits', () => {
    expect(parseReportId(`rpt_${'a'.repeat(10)}_${'9'.repeat(40)}`)).toEqual({ windowId: `win_${'a'.repeat(10)}`, objectId: `obj_${'9'.repeat(40)}` });
  });

  it.each([
    ['empty', ''],
    ['the prefix alone', 'rpt_'],
    ['another prefix', 'rep_0lx3k9p2qa1b2c3d4e5_0lw1m2n3o9f8e7d6c5b'],
    ['the window and object prefixes kept', 'rpt_win_0lx3k9p2qa1b2c3d4e5_obj_0lw1m2n3o9f8e7d6c5b'],
    ['no object part', 'rpt_0lx3k9p2qa1b2c3d4e5'],
    ['a third part', 'rpt_0lx3k9p2qa1b2c3d4e5_0lw1m2n3o9f8e7d6c5b_x1y2z3w4v5'],
    ['upper-case letters', 'rpt_0LX3K9P2QA1B2C3D4E5_0lw1m2n3o9f8e7d6c5b'],
    ['a part of 9 characters', 'rpt_abcdefghi_0lw1m2n3o9f8e7d6c5b'],
    ['a part of 41 characters', `rpt_${'a'.repeat(41)}_0lw1m2n3o9f8e7d6c5b`],
    ['punctuation', 'rpt_0lx3k9p2qa1b2c3d4e5_0lw1m2n3o9f8e7d6c5b%00'],
    ['surrounding spaces', ' rpt_0lx3k9p2qa1b2c3d4e5_0lw1m2n3o9f8e7d6c5b '],
  ])('rejects a malformed id: %s', (_what, id) => {
    expect(parseReportId(id)).toBeUndefined();
  });
});

// ---------- checking the input ----------

describe('checkReportInput', () => {
  it('accepts a complete report: every approved row once, each with what its kind needs', () => {
    expect(checkReportInput(onTrack(), ROWS)).toEqual([]);
  });

  it('names a row that is not an approved target at body.indicators[i].rowId', () => {
    const input = onTrack();
    input.indicators.push(progress('r_ghost', { valueToDate: 3 }));
    expect(checkReportInput(input, ROWS)).toEqual([{ field: 'body.indicators[3].rowId', message: expect.stringContaining('r_ghost') }]);
  });

  it('names the second of a row reported twice, once', () => {
    const input = onTrack();
    input.indicators.push(progress('r_pass', { valueToDate: 97 }));
    expect(checkReportInput(input, ROWS)).toEqual([{ field: 'body.indicators[3].rowId', message: expect.stringContaining('reported twice') }]);
  });

  it('names a qualitative row without a finding at body.indicators[i].finding', () => {
    const input = onTrack({ indicators: [...onTrack().indicators.slice(0, 2), progress('r_quality')] });
    expect(checkReportInput(input, ROWS)).toEqual([{ field: 'body.indicators[2].finding', message: expect.stringContaining('培训质量') }]);
  });

  it('names a quantitative row without a value to date at body.indicators[i].valueToDate', () => {
    const input = onTrack({ indicators: [progress('r_trained', { forecast: 1200 }), ...onTrack().indicators.slice(1)] });
    expect(checkReportInput(input, ROWS)).toEqual([{ field: 'body.indicators[0].valueToDate', message: expect.stringContaining('人次') }]);
  });

  it('names a quantitative row whose value to date is words, not a number', () => {
    const input = onTrack({ indicators: [progress('r_trained', { valueToDate: '约七百' }), ...onTrack().indicators.slice(1)] });
    expect(fields(input)).toEqual(['body.indicators[0].valueToDate']);
  });

  it('names a row the unit cannot complete without a cause at body.indicators[i].cause', () => {
    const input = onTrack({ indicators: [progress('r_trained', { valueToDate: 200, likelihood: 'impossible' }), ...onTrack().indicators.slice(1)] });
    expect(checkReportInput(input, ROWS)).toEqual([{ field: 'body.indicators[0].cause', message: expect.stringContaining('培训人次') }]);
  });

  it('accepts "impossible" with a cause (corrective measures are not required by the check)', () => {
    const input = onTrack({ indicators: [progress('r_trained', { valueToDate: 200, likelihood: 'impossible', cause: 'funding' }), ...onTrack().indicators.slice(1)] });
    expect(checkReportInput(input, ROWS)).toEqual([]);
  });

  it('names every approved row left out, each at body.indicators with its id and name', () => {
    const input = onTrack({ indicators: [progress('r_pass', { valueToDate: 96 })] });
    expect(checkReportInput(input, ROWS)).toEqual([
      { field: 'body.indicators', message: expect.stringMatching(/r_trained.*培训人次/) },
      { field: 'body.indicators', message: expect.stringMatching(/r_quality.*培训质量/) },
    ]);
  });

  it('names a negative executed amount at body.executedWan', () => {
    expect(checkReportInput(onTrack({ executedWan: -1 }), ROWS)).toEqual([{ field: 'body.executedWan', message: 'cannot be negative' }]);
  });

  it('accepts nothing executed yet (0)', () => {
    expect(checkReportInput(onTrack({ executedWan: 0 }), ROWS)).toEqual([]);
  });

  it('names every problem of one input at once, not just the first', () => {
    const input: ReportInput = {
      executedWan: -5,
      expectedFullYearWan: 100,
      indicators: [progress('r_ghost'), progress('r_trained', { likelihood: 'impossible' }), progress('r_trained', { valueToDate: 1 }), progress('r_quality')],
    };
    expect(fields(input)).toEqual([
      'body.indicators[0].rowId',
      'body.indicators[1].valueToDate',
      'body.indicators[1].cause',
      'body.indicators[2].rowId',
      'body.indicators[3].finding',
      'body.indicators',
      'body.executedWan',
    ]);
  });

  it('asks nothing more of an unknown row than that it is unknown', () => {
    expect(fields(onTrack({ indicators: [...onTrack().indicators, progress('r_ghost', { likelihood: 'impossible' })] }))).toEqual(['body.indicators[3].rowId']);
  });

  it('puts the given prefix before every field path', () => {
    expect(checkReportInput(onTrack({ executedWan: -1 }), ROWS, 'body.reports[2]').map((v) => v.field)).toEqual(['body.reports[2].executedWan']);
  });
});

// ---------- normalising ----------

describe('normalizeInput', () => {
  const one = (changes: Partial<IndicatorProgress>) => (normalizeInput({ executedWan: 1, expectedFullYearWan: 1, indicators: [progress('r_trained', changes)] }).indicators[0] as IndicatorProgress);

  it('turns numeric text into numbers: "300" is 300, " 95.5 " is 95.5, "-2" is -2', () => {
    expect(one({ valueToDate: '300', forecast: ' 95.5 ' })).toMatchObject({ valueToDate: 300, forecast: 95.5 });
    expect(one({ valueToDate: '-2' }).valueToDate).toBe(-2);
  });

  it.each(['约300', '三百', '1,200', '300人次', '', '3e2', '.5'])('leaves text that is not a plain number alone: %j', (text) => {
    expect(one({ valueToDate: text, forecast: text })).toMatchObject({ valueToDate: text, forecast: text });
  });

  it('leaves numbers as they are and adds no value that was not given', () => {
    const p = one({ valueToDate: 700 });
    expect(p.valueToDate).toBe(700);
    expect('forecast' in p).toBe(false);
  });

  it('keeps every other field of the input and of each row', () => {
    const input = onTrack({ adjustedBudgetWan: 100, indicators: [progress('r_trained', { valueToDate: '700', likelihood: 'possible', cause: 'funding', correctiveMeasures: '加快进度', evidence: ['doc_1'] })] });
    expect(normalizeInput(input)).toEqual({ ...input, indicators: [{ ...input.indicators[0], valueToDate: 700 }] });
  });

  it('does not modify its input', () => {
    const input = deepFreeze(onTrack({ indicators: [progress('r_trained', { valueToDate: '700' })] }));
    expect(() => normalizeInput(input)).not.toThrow();
    expect(input.indicators[0]?.valueToDate).toBe('700');
  });

  it('makes numeric text pass the check that rejects words', () => {
    const typed = onTrack({ indicators: [progress('r_trained', { valueToDate: '700' }), ...onTrack().indicators.slice(1)] });
    expect(fields(typed)).toEqual(['body.indicators[0].valueToDate']);
    expect(fields(normalizeInput(typed))).toEqual([]);
  });
});

// ---------- assessing ----------

describe('assess', () => {
  it('scores execution against the annual budget when no adjusted budget is given: 35 of 120 万元 by July is 50, red', () => {
    expect(assess(onTrack({ executedWan: 35 }), ANNUAL_WAN, 7, ROWS, RULES).execution).toMatchObject({ budgetWan: 120, score: 50, light: 'red' });
  });

  it('scores execution against the adjusted budget when given: 35 of 60 万元 by July is 100, green', () => {
    expect(assess(onTrack({ executedWan: 35, adjustedBudgetWan: 60 }), ANNUAL_WAN, 7, ROWS, RULES).execution).toMatchObject({ budgetWan: 60, score: 100, light: 'green' });
  });

  it('assesses every reported row against its approved target', () => {
    const a = assess(allRed(), ANNUAL_WAN, 7, ROWS, RULES);
    expect(a.indicators.map((i) => [i.rowId, i.light, i.score])).toEqual([
      ['r_trained', 'red', 50],
      ['r_pass', 'red', 52.63],
      ['r_quality', 'red', undefined],
    ]);
  });
});

// ---------- building the report ----------

describe('buildReport: identity and revisions', () => {
  it('is identified by window and object', () => {
    const r = report();
    expect(r.id).toBe(reportIdOf(WINDOW_ID, OBJECT_ID));
    expect(parseReportId(r.id)).toEqual({ windowId: WINDOW_ID, objectId: OBJECT_ID });
  });

  it('starts at version 1, revision 1, with no reviews, reported by the actor at now', () => {
    expect(report()).toMatchObject({ version: 1, revision: 1, reviews: [], reportedBy: 'unit-clerk-1', reportedAt: NOW.toISOString() });
  });

  it('counts a correction on from the previous report: version +1 (past its review versions), revision +1', () => {
    const reviewed: Report = { ...report(), version: 3, reviews: [{ stage: 'department', outcome: 'fail', comments: '数据有误', by: 'dept-1', at: '2027-08-06T02:00:00.000Z' }] };
    expect(report(onTrack(), { previous: reviewed })).toMatchObject({ version: 4, revision: 2 });
  });

  it('resets the reviews on a correction: the corrected report is reviewed afresh', () => {
    const reviewed: Report = { ...report(), version: 2, reviews: [{ stage: 'finance', outcome: 'pass', by: 'finance-1', at: '2027-08-06T02:00:00.000Z' }] };
    expect(report(onTrack(), { previous: reviewed }).reviews).toEqual([]);
  });

  it('carries the window, object, target version and budget figures', () => {
    expect(report(onTrack({ adjustedBudgetWan: 100, expectedFullYearWan: 95 }))).toMatchObject({
      windowId: WINDOW_ID,
      windowLabel: '1~7月',
      fiscalYear: 2027,
      throughMonth: 7,
      object: OBJECT,
      targetVersion: 1,
      annualBudgetWan: 120,
      adjustedBudgetWan: 100,
      expectedFullYearWan: 95,
    });
  });

  it('has no adjusted budget when none was given', () => {
    expect('adjustedBudgetWan' in report()).toBe(false);
  });
});

describe('buildReport: late (the due date is a China Standard Time day)', () => {
  it('is on time on the due date, to its last millisecond CST (2027-08-10T15:59:59.999Z)', () => {
    expect(report(onTrack(), { now: new Date('2027-08-10T15:59:59.999Z') }).late).toBe(false);
  });

  it('is on time early on the due date CST while the UTC date is still the day before', () => {
    expect(report(onTrack(), { now: new Date('2027-08-09T20:00:00Z') }).late).toBe(false);
  });

  it('is late from 2027-08-10T16:00:00Z, midnight CST', () => {
    expect(report(onTrack(), { now: new Date('2027-08-10T16:00:00Z') }).late).toBe(true);
  });

  it('is late at 01:00 CST on 11 August, although the UTC date is still 10 August', () => {
    expect(report(onTrack(), { now: new Date('2027-08-10T17:00:00Z') }).late).toBe(true);
  });

  it('keeps the first submission\'s lateness: an on-time report corrected after the due date stays on time, a late one stays late', () => {
    const onTime = report(onTrack(), { now: new Date('2027-08-09T02:00:00Z') });
    expect(onTime.late).toBe(false);
    expect(report(onTrack(), { previous: onTime, now: new Date('2027-08-12T02:00:00Z') }).late).toBe(false);
    const late = report(onTrack(), { now: new Date('2027-08-12T02:00:00Z') });
    expect(report(onTrack(), { previous: late, now: new Date('2027-08-13T02:00:00Z') }).late).toBe(true);
  });
});

describe('buildReport: lights and deviations', () => {
  it('is green with no deviations when everything is on track', () => {
    expect(report()).toMatchObject({ light: 'green', deviationCount: 0, worst: [], deviations: [], missingExplanations: [] });
  });

  it('counts every deviating row but keeps only the worst three in the head, worst first', () => {
    const r = report(allRed());
    expect(r.deviationCount).toBe(4);
    expect(r.deviations).toHaveLength(4);
    expect(r.worst).toEqual(r.deviations.slice(0, 3));
    // Red rows by score, a row without a score (qualitative) first.
    expect(r.worst.map((d) => d.rowId ?? d.kind)).toEqual(['r_quality', 'execution', 'r_trained']);
  });

  it('lists the deviating rows missing a cause or corrective measures, and which', () => {
    expect(report(allRed()).missingExplanations).toEqual([
      { rowId: 'r_quality', name: '培训质量', missing: ['correctiveMeasures'] },
      { rowId: 'r_trained', name: '培训人次', missing: ['cause', 'correctiveMeasures'] },
    ]);
  });

  it('gives each reported row its name, light, score and detail beside what the unit reported', () => {
    const row = report(allRed()).indicators.find((i) => i.rowId === 'r_pass');
    expect(row).toMatchObject({ rowId: 'r_pass', name: '培训合格率', light: 'red', score: 52.63, valueToDate: 50, likelihood: 'certain', cause: 'staffing', correctiveMeasures: '增派讲师' });
    expect(row?.detail).toContain('95');
  });

  it('carries the execution figure and the overall light', () => {
    expect(report(allRed())).toMatchObject({ light: 'red', execution: { budgetWan: 120, executedWan: 30, score: 42.86, light: 'red' } });
  });
});

// ---------- storing ----------

describe('splitReport', () => {
  it('puts the indicators, deviations and missing explanations in the detail, nothing else', () => {
    const { detail } = splitReport(report(allRed()));
    expect(Object.keys(detail).sort()).toEqual(['deviations', 'indicators', 'missingExplanations']);
  });

  it('keeps the detail out of the head', () => {
    const { head } = splitReport(report(allRed()));
    expect(head).not.toHaveProperty('indicators');
    expect(head).not.toHaveProperty('deviations');
    expect(head).not.toHaveProperty('missingExplanations');
  });

  it('is lossless: head and detail together are the report', () => {
    const r = report(allRed());
    const { head, detail } = splitReport(r);
    expect({ ...head, ...detail }).toEqual(r);
    expect(Object.keys(head).length + Object.keys(detail).length).toBe(Object.keys(r).length);
  });
});
