/**
 * The scoring engine on seven real published self-evaluation tables (项目支出绩效自评表). The
 * fixture (test/fixtures/real-self-evaluations.json) holds every figure as printed; its README
 * gives the sources and what is wrong with some of the tables. The tables go in as published,
 * mistakes included: the engine must match the totals of the consistent ones to 0.01 and
 * report the inconsistency of the others. "Match" is not "compute alone": every match takes some
 * printed scores in (overrides, qualitative rows scored as printed); the summary says so.
 *
 * How a table becomes a ScoringInput is `toScoringInput` below: the engine computes every row
 * first; a printed row score is entered as an override only where it differs from what the
 * engine computes, and each table lists those rows with the reason (`…_OVERRIDES`). The
 * conversion refuses a table whose list does not match exactly, so the lists are the full record
 * of where the published scores depart from the rules.
 *
 * Rules: each table is scored under the rules its form documents where the fixture README quotes
 * them (rule parameters per table, stated at each table); otherwise docs/domain.md section 4
 * defaults. Only one table prints a grade (永德, 优 at 96), which agrees with the default 90 cut-off.
 */
import { describe, expect, it } from 'vitest';
import { realTable, realTables, type RealTable, type RealTableRow } from '../support/real-self-evaluations.ts';
import type { Operator } from '../../events/vocabulary.ts';
import { defaultScoringRules, EVALUATION_GRADES, type Finding, type Grade, type ScoringRules } from '../../services/evaluation/domain/rules.ts';
import { parseFigure } from '../../services/evaluation/domain/figures.ts';
import { round2 } from '../../services/evaluation/domain/numbers.ts';
import type { RowResult, ScoreResult } from '../../services/evaluation/domain/score-result.ts';
import { score } from '../../services/evaluation/domain/scoring.ts';
import type { ExecutionInput, IndicatorRowInput, ScoringInput } from '../../services/evaluation/domain/scoring-input.ts';

// ---------- the fixture ----------

// ---------- fixture table → ScoringInput ----------

const CATEGORY: Record<string, string> = { 产出指标: 'output', 效益指标: 'benefit', 满意度指标: 'satisfaction' };

/**
 * The row's operator, from its target text as the engine reads it: a sign (≥ ≧ >= → gte, ═ = → eq,
 * ≤ → lte) decides; a figure without a sign ("8755", "100%", "75元") is a level to reach, gte
 * (under the default exact fallback 'positive', eq would score the same); a target with no figure
 * ("有效", "及时", "合格", "显著提升", or no target printed) is qualitative.
 */
function operatorOf(targetText: string | null): Operator {
  const figure = targetText === null ? undefined : parseFigure(targetText);
  if (figure?.value === undefined) return 'qualitative';
  return figure.operator ?? 'gte';
}

/**
 * A qualitative row's finding: met when the actual repeats the target (有效/有效, 及时/及时, 合格/合格,
 * 显著提升/显著提升), and where neither is printed (天长: the indicator's name carries its target,
 * e.g. "年度资金支付完成率100%") met as the transcription note reads the table. The scorer's value
 * inside the band is the printed score: picking it is what the rules leave to the scorer, and the
 * engine checks it against the band. No other case occurs in these tables (it would score nothing
 * and be reported as qualitative_finding_missing).
 */
function findingOf(row: RealTableRow): Finding | undefined {
  return row.targetText === row.actualText ? 'met' : undefined;
}

/** A row as printed, with no override: target and actual as text (the engine parses them). */
function plainRow(row: RealTableRow): IndicatorRowInput {
  const operator = operatorOf(row.targetText);
  const finding = operator === 'qualitative' ? findingOf(row) : undefined;
  return {
    id: row.name,
    name: row.name,
    ...(CATEGORY[row.level1] ? { category: CATEGORY[row.level1] } : {}),
    operator,
    ...(row.targetText !== null ? { target: row.targetText } : {}),
    ...(row.actualText !== null ? { actual: row.actualText } : {}),
    // 施甸 prints no 分值 column: its weights are the README's inferred ones, marked as NOT published.
    weight: row.weight ?? row.weightInferred ?? Number.NaN,
    ...(finding ? { finding } : {}),
    ...(finding && row.publishedScore !== null ? { findingScore: row.publishedScore } : {}),
  };
}

/**
 * The budget execution row: 全年预算数 and 全年执行数 as printed (read by parseFigure, thousands
 * separators and all; the unit, 元 or 万元, is the same for both), the form's own points. A blank
 * cell (新洲's 全年执行数) goes in as NaN: ExecutionInput has no "not printed", and the engine reads
 * any non-number as missing (budget_invalid on that field).
 */
function executionOf(t: RealTable): ExecutionInput {
  const amount = (cell: string | null) => (cell === null ? Number.NaN : (parseFigure(cell).value ?? Number.NaN));
  return { budget: amount(t.budget.asPrinted.annual), executed: amount(t.budget.asPrinted.executed), weight: t.budget.weight };
}

const gradeOf = (label: string | null, rules: ScoringRules): Grade | undefined => EVALUATION_GRADES.find((g) => rules.gradeLabels[g] === label);

/**
 * The fixture table as the engine's input. First every row (and the execution row) is scored
 * without overrides; then each printed score that differs from the computed one (compared at 2
 * decimals) is entered as an override with the reason `published score: <why>`, the why taken from
 * `reasons` (keyed by row name, or 'execution'). A row that needs an override without a listed
 * reason, or a listed reason for a row that needs none, is an error in the test. The published
 * total, and the grade where printed, go in to be compared (never used as the total).
 */
function toScoringInput(t: RealTable, rules: ScoringRules, reasons: Readonly<Record<string, string>>): ScoringInput {
  const rows = t.rows.map(plainRow);
  const execution = executionOf(t);
  const computed = score({ execution, rows }, rules);

  const used = new Set<string>();
  const overrideFor = (key: string, computedScore: number | null, published: number | null) => {
    if (published === null || computedScore === round2(published)) return undefined;
    const why = reasons[key];
    if (!why) throw new Error(`${t.id}: 「${key}」 computes ${computedScore} but ${published} is printed; list it with a reason`);
    used.add(key);
    return { score: published, reason: `published score: ${why}` };
  };

  const executionOverride = overrideFor('execution', computed.execution?.computed ?? null, t.budget.publishedScore);
  const withOverrides = rows.map((row, i) => {
    const override = overrideFor(row.id, (computed.rows[i] as RowResult).computed, (t.rows[i] as RealTableRow).publishedScore);
    return override ? { ...row, override } : row;
  });
  const unused = Object.keys(reasons).filter((key) => !used.has(key));
  if (unused.length) throw new Error(`${t.id}: listed as overridden but the engine computes the printed score: ${unused.join(', ')}`);

  const grade = gradeOf(t.publishedGrade, rules);
  return {
    execution: executionOverride ? { ...execution, override: executionOverride } : execution,
    rows: withOverrides,
    publishedTotal: t.publishedTotal,
    ...(grade ? { publishedGrade: grade } : {}),
  };
}

interface Scored {
  t: RealTable;
  rules: ScoringRules;
  input: ScoringInput;
  result: ScoreResult;
}

function scored(id: string, rules: ScoringRules, reasons: Readonly<Record<string, string>> = {}): Scored {
  const t = realTable(id);
  const input = toScoringInput(t, rules, reasons);
  return { t, rules, input, result: score(input, rules) };
}

// ---------- reading results ----------

/** Issues by code, row (row name, 'execution', or none for the table) and field. */
const issuesOf = (result: ScoreResult) => result.issues.map(({ code, severity, row, field }) => ({ code, severity, ...(row !== undefined ? { row } : {}), ...(field !== undefined ? { field } : {}) }));

/** The overridden rows: [row, computed, published score]. */
const overridesOf = (result: ScoreResult): [string, number | null, number][] => [
  ...(result.execution?.override ? [['execution', result.execution.computed, result.execution.score] as [string, number | null, number]] : []),
  ...result.rows.filter((r) => r.override).map((r) => [r.id, r.computed, r.score as number] as [string, number | null, number]),
];

/** The printed row scores (execution first), for comparison with what the engine counts. */
const printedScores = (t: RealTable) => [t.budget.publishedScore, ...t.rows.map((r) => r.publishedScore)];
const countedScores = (result: ScoreResult) => [result.execution?.score ?? null, ...result.rows.map((r) => r.score)];

const within = (a: number, b: number) => Math.abs(a - b) <= 0.01 + 1e-9;

// ---------- the tables ----------

// Source: https://www.yongde.gov.cn/info/3003/116104.htm
// Rules: the docs/domain.md defaults. The form (云南 公开14表) has a 10-point budget row; no footnote quoted.
const YONGDE_OVERRIDES = {
  资金到位及时率: 'target ≧100% met (100%) but scored 7 of 10, no reason printed: the evaluator’s judgement',
  政策知晓率: '98% of ═100% gives 9.8 by the positive rule; 9 printed: the evaluator’s judgement (rounded down)',
};
const YONGDE = scored('yn-yongde-2022-yingyang-gaishan', defaultScoringRules('530923', 2022), YONGDE_OVERRIDES);

describe(`永德 ${YONGDE.t.title} — ${YONGDE.t.projectName}`, () => {
  const { t, result } = YONGDE;

  it('matches the published total 96 and grade 优 with no issue: budget 10 + rows 86', () => {
    expect(result.issues).toEqual([]);
    expect(within(result.total, t.publishedTotal)).toBe(true);
    expect(result).toMatchObject({ total: 96, grade: 'excellent', gradeLabel: '优', maximum: 100 });
    expect(countedScores(result)).toEqual(printedScores(t));
  });

  it('needs overrides on 2 rows, both below what the rules give: 资金到位及时率 10 → 7 (met), 政策知晓率 9.8 → 9', () => {
    expect(overridesOf(result)).toEqual([
      ['资金到位及时率', 10, 7],
      ['政策知晓率', 9.8, 9],
    ]);
    expect(result.rows.find((r) => r.id === '资金到位及时率')?.explanation).toBe(
      `actual 100% ≥ target 100%: full 10 points; overridden from 10 to 7: published score: ${YONGDE_OVERRIDES.资金到位及时率}`,
    );
  });

  it('reads the printed signs and units: ≧735人次 (gte), ═100% (eq), 有效 (qualitative, met); categories 40 / 30 / 20', () => {
    const row = (id: string) => result.rows.find((r) => r.id === id) as RowResult;
    expect(row('学生受资助人数')).toMatchObject({ operator: 'gte', target: { value: 735, unit: '人次', operator: 'gte' }, actual: { value: 735 }, computed: 10 });
    expect(row('生均补助标准达标率')).toMatchObject({ operator: 'eq', target: { value: 100, unit: '%', operator: 'eq' }, computed: 10 });
    expect(row('减轻贫困学生家庭经济负担')).toMatchObject({ operator: 'qualitative', finding: 'met', findingScore: 10, computed: 10 });
    expect(result.categories).toEqual([
      { category: 'output', points: 40, score: 37 },
      { category: 'benefit', points: 30, score: 29 },
      { category: 'satisfaction', points: 20, score: 20 },
    ]);
  });
});

// Source: https://keke.chddh.cn/archives/bqg98jldqdz7y2xm7pe6.html
// Rules: the docs/domain.md defaults (山西; no footnote quoted). Weights 10 + 50 + 30 + 10 = 100.
const JISHAN_OVERRIDES = {
  execution: '65.07 of 65.66 (99.10 %) gives 9.91; 9 printed (rounded down or banded)',
  全县参合人数: '8676 of 8755 gives 14.86; 13 printed, with the deviation reason 建档立卡中有新增死亡人员',
  是否解决建档立卡人员看病难贵问题: 'target 95% met (95%) but scored 27 of 30, no reason printed: the evaluator’s judgement',
  是否满意: 'target 95% met (95%) but scored 9 of 10, no reason printed: the evaluator’s judgement',
};
const JISHAN = scored('sx-jishan-2020-jiandang-lika-yibao-peitao', defaultScoringRules('140824', 2020), JISHAN_OVERRIDES);

describe(`稷山 ${JISHAN.t.title} — ${JISHAN.t.projectName}`, () => {
  const { t, result } = JISHAN;

  it('INCONSISTENT, total mismatch: budget 9 + rows 84 = 93, but 总分 prints 94; the engine totals 93 and reports total_mismatch only', () => {
    expect(result.total).toBe(93);
    expect(t.publishedTotal).toBe(94);
    expect(countedScores(result)).toEqual(printedScores(t));
    expect(issuesOf(result)).toEqual([{ code: 'total_mismatch', severity: 'error', field: 'publishedTotal' }]);
    expect(result.issues[0]?.message).toBe('the published total 94 differs from the computed 93.00 by 1.00 (tolerance 0.01)');
  });

  it('needs overrides on the budget row and 3 rows, all below what the rules give', () => {
    expect(overridesOf(result)).toEqual([
      ['execution', 9.91, 9],
      ['全县参合人数', 14.86, 13],
      ['是否解决建档立卡人员看病难贵问题', 30, 27],
      ['是否满意', 10, 9],
    ]);
  });

  it('the weights themselves are consistent: 10 + 90 = 100 (no weights_not_100)', () => {
    expect(result.maximum).toBe(100);
  });
});

// Source: https://chacewang.com/newsdetail/news242266.html
// Rules: 四川 form footnote "一级指标分值统一设置为:产出指标50分、效益指标30分、满意度指标10分、预算资金执行率10分"
// and bands "100-80%(含80%)、80-60%(含60%)、60-0%", "得分最高不能超过该指标分值上限": these are the docs/domain.md
// defaults (categoryWeights 50/30/10 + executionWeight 10, bands 80/60 with shared edges to the higher
// band; a score above its weight is reported as score_above_weight).
const ZHONGJIANG_RULES = defaultScoringRules('510623', 2022);
const ZHONGJIANG = scored('sc-zhongjiang-2022-shuibiaochi', ZHONGJIANG_RULES);

describe(`中江 ${ZHONGJIANG.t.title} — ${ZHONGJIANG.t.projectName}`, () => {
  const { t, input, result, rules } = ZHONGJIANG;

  it('INCONSISTENT, weights over 100: budget 10 + rows 100 = 110 points; every row met gives 110, and the printed 100 is reported as a total mismatch', () => {
    expect(rules.categoryWeights).toEqual({ output: 50, cost: 0, benefit: 30, satisfaction: 10 });
    expect(result).toMatchObject({ total: 110, maximum: 110 });
    expect(issuesOf(result).filter((i) => i.severity === 'error')).toEqual([
      { code: 'weights_not_100', severity: 'error', field: 'weight' },
      { code: 'total_mismatch', severity: 'error', field: 'publishedTotal' },
    ]);
    expect(result.issues.filter((i) => i.severity === 'error').map((i) => i.message)).toEqual([
      'indicator weights 100 + execution 10 = 110 points, not 100',
      'the published total 100 differs from the computed 110.00 by 10.00 (tolerance 0.01)',
    ]);
  });

  it('six actual cells repeat their "≥" targets (≥266米, ≥50厘米, ≥90% twice, ≥1000人, ≥95%): a warning each, asking for the value reached', () => {
    expect(issuesOf(result).filter((i) => i.severity === 'warning')).toEqual(
      ['安装坡面水标尺', '水标尺宽度', '及时(按期)开工率', '及时(按期)完工率', '受益脱贫(含监测对象)户人口数', '受益脱贫(含监测对象)户满意度'].map((row) => ({ code: 'actual_repeats_target', severity: 'warning', row, field: 'actual' })),
    );
  });

  it('every printed score is what the rules give (no override); the rows split 70 / 20 / 10, not the footnote’s 50 / 30 / 10', () => {
    expect(overridesOf(result)).toEqual([]);
    expect(countedScores(result)).toEqual(printedScores(t));
    expect(result.categories).toEqual([
      { category: 'output', points: 70, score: 70 },
      { category: 'benefit', points: 20, score: 20 },
      { category: 'satisfaction', points: 10, score: 10 },
    ]);
  });

  it('the printed 100 is the indicator rows alone: without the budget row the engine gives 100 with no error', () => {
    const { execution: _execution, ...rowsOnly } = input;
    const alone = score(rowsOnly, rules);
    expect(alone.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(alone.total).toBe(100);
  });
});

// Source: https://shidian.gov.cn/info/4312/182383.htm
// Rules: the 云南 county form: 预算执行情况(20分), "得分(20分*执行率)", plus 年度绩效目标(80分). So
// executionWeight 20 (the object's execution weight is the printed 20 as well); the form prints no
// split of the 80 points, so categoryWeights (a pre-fill only; score() does not read them) take the
// table's own inferred split, output 40 / benefit 30 / satisfaction 10. The form has no 分值 column:
// the row weights are the README's inferred ones (20, 20, 20, 10, 10), which are NOT published.
// fiscalYear: the table prints none; 2019 is the programme's year. The too-low-target rule
// (财预〔2020〕10号, tooLowTarget at its defaults: from 150 % of the target, by deviation, at most 20 %)
// reaches one row: 产值, 12767.36 of 8000 = 159.59 %, which the rules give 20 − 9.59 % × 20 = 18.08.
const SHIDIAN_RULES: ScoringRules = { ...defaultScoringRules('530521', 2019), executionWeight: 20, categoryWeights: { output: 40, cost: 0, benefit: 30, satisfaction: 10 } };
const SHIDIAN_OVERRIDES = {
  execution: '94 of 650 × 20 gives 2.89; printed to one decimal, 2.9',
  '带动贫困户(人)': '4164 of 11442 × 20 gives 7.28; printed to one decimal, 7.3',
  '新型经营主体实现产值(%)': 'uncapped B/A × 20 = 12767.36 ÷ 8000 × 20 = 31.9, above the 20-point weight (the rules give 18.08: full 20 less the too-low-target deduction)',
  '新型经营主体助农增收(元)': 'uncapped B/A × 10 = 2074 ÷ 1980 × 10 = 10.5, above the 10-point weight',
  '满意度(%)': 'uncapped B/A × 10 = 100 ÷ 90 × 10 = 11.1, above the 10-point weight',
};
const SHIDIAN = scored('yn-shidian-2019-xinxing-nongye-jingying-zhuti', SHIDIAN_RULES, SHIDIAN_OVERRIDES);

describe(`施甸 ${SHIDIAN.t.title} — ${SHIDIAN.t.projectName}`, () => {
  const { t, input, result, rules } = SHIDIAN;

  it('matches the published total 71.7 (budget 2.9 + rows 68.8) with the inferred weights 20 + 80 = 100', () => {
    expect(t.rows.map((r) => [r.weight, r.weightInferred])).toEqual([
      [null, 20],
      [null, 20],
      [null, 20],
      [null, 10],
      [null, 10],
    ]);
    expect(result.total).toBe(71.7);
    expect(within(result.total, t.publishedTotal)).toBe(true);
    expect(result.maximum).toBe(100);
    expect(countedScores(result)).toEqual(printedScores(t));
  });

  it('INCONSISTENT, rows above their weight: 产值 31.9 of 20, 助农增收 10.5 of 10, 满意度 11.1 of 10 are each reported as score_above_weight; besides, 产值 at 160 % of its target is a target_set_too_low warning, and nothing else is reported', () => {
    expect(issuesOf(result)).toEqual([
      { code: 'target_set_too_low', severity: 'warning', row: '新型经营主体实现产值(%)', field: 'target' },
      { code: 'score_above_weight', severity: 'error', row: '新型经营主体实现产值(%)', field: 'override.score' },
      { code: 'score_above_weight', severity: 'error', row: '新型经营主体助农增收(元)', field: 'override.score' },
      { code: 'score_above_weight', severity: 'error', row: '满意度(%)', field: 'override.score' },
    ]);
    expect(result.issues.find((i) => i.code === 'score_above_weight')?.message).toBe("「新型经营主体实现产值(%)」: the score 31.9 is above the row's 20 points");
    // 12767.36 ÷ 8000 = 159.592 %: 9.592 % beyond 150 % (under the 20 % cap) of 20 points = 1.9184, shown 1.92.
    expect(result.issues[0]?.message).toBe(
      '「新型经营主体实现产值(%)」: actual 12767.36 is 159.59 % of target 8000, at or above 150 %: the target looks set too low, and 1.92 of 20 points are taken off (财预〔2020〕10号); give the reason, or override with one if the target was right',
    );
  });

  it('needs overrides on the budget row (one-decimal rounding), 带动贫困户 (one-decimal rounding) and the three uncapped rows', () => {
    expect(overridesOf(result)).toEqual([
      ['execution', 2.89, 2.9],
      ['带动贫困户(人)', 7.28, 7.3],
      // 20 − (12767.36 ÷ 8000 − 1.5) × 20 = 20 − 1.9184 = 18.0816: the rules' score after the too-low-target deduction.
      ['新型经营主体实现产值(%)', 18.08, 31.9],
      ['新型经营主体助农增收(元)', 10, 10.5],
      ['满意度(%)', 10, 11.1],
    ]);
    expect(result.execution).toMatchObject({ points: 20, rate: 0.144615 });
  });

  it('under the rules without the too-low-target rule (scores capped at the weight), the same figures give 58.17, as the README computes', () => {
    const capped = score({ ...input, execution: executionOf(t), rows: t.rows.map(plainRow), publishedTotal: 58.17 }, { ...rules, tooLowTarget: { ...rules.tooLowTarget, exceedRatio: null } });
    expect(capped.issues).toEqual([]);
    expect(capped.total).toBe(58.17);
  });

  it('under the rules with the too-low-target default, 产值 at 159.59 % of its target loses 1.92 of its 20 points: 2.89 + 8 + 7.28 + 18.08 + 10 + 10 = 56.25, with the target_set_too_low warning only', () => {
    const capped = score({ ...input, execution: executionOf(t), rows: t.rows.map(plainRow), publishedTotal: 56.25 }, rules);
    expect(issuesOf(capped)).toEqual([{ code: 'target_set_too_low', severity: 'warning', row: '新型经营主体实现产值(%)', field: 'target' }]);
    expect(countedScores(capped)).toEqual([2.89, 8, 7.28, 18.08, 10, 10]);
    expect(capped.total).toBe(56.25);
  });
});

// Source: https://pdf.chddh.cn/archives/48n5zg2zkkjxn27q6rjv.html (table 1)
// Rules: the docs/domain.md defaults (上海; no footnote quoted).
const PUTUO = scored('sh-putuo-2022-tiyu-zhongxin-weituo-yunying-jiesuan', defaultScoringRules('310107', 2022));

describe(`普陀 ${PUTUO.t.title} — ${PUTUO.t.projectName}`, () => {
  const { t, result } = PUTUO;

  it('matches the published total 98.62 with no issue and no override: budget 215457.6 of 250000 × 10 = 8.62, rows 90', () => {
    expect(result.issues).toEqual([]);
    expect(overridesOf(result)).toEqual([]);
    expect(result.total).toBe(98.62);
    expect(within(result.total, t.publishedTotal)).toBe(true);
    expect(countedScores(result)).toEqual(printedScores(t));
    expect(result.execution).toMatchObject({ budget: 250000, executed: 215457.6, rate: 0.861830, score: 8.62 });
  });

  it('reads =100% as exact, >=90% as positive and 及时/及时 as a met qualitative row', () => {
    expect(result.rows.map((r) => [r.operator, r.finding ?? null])).toEqual([
      ['eq', null],
      ['eq', null],
      ['qualitative', 'met'],
      ['eq', null],
      ['gte', null],
    ]);
  });
});

// Source: https://m.taowenge.com/p-96795578.html (table 1)
// Rules: the docs/domain.md defaults (湖北; no footnote quoted).
const XINZHOU_OVERRIDES = {
  演出设备成本: 'target 2万元 met at 2万元 but scored 18 of 20, no reason printed: the evaluator’s judgement',
};
const XINZHOU = scored('hb-xinzhou-2020-chuju-yanchu-shebei', defaultScoringRules('420117', 2020), XINZHOU_OVERRIDES);

describe(`新洲 ${XINZHOU.t.title} — ${XINZHOU.t.projectName}`, () => {
  const { t, input, result, rules } = XINZHOU;

  it('INCONSISTENT, weights over 100 and budget missing: budget 10 + rows 100 = 110 points, and the 全年执行数 of the budget row is blank', () => {
    expect(issuesOf(result)).toEqual([
      { code: 'budget_invalid', severity: 'error', row: 'execution', field: 'execution.executed' },
      { code: 'weights_not_100', severity: 'error', field: 'weight' },
    ]);
    expect(result.issues[1]?.message).toBe('indicator weights 100 + execution 10 = 110 points, not 100');
    expect(result.execution).toMatchObject({ budget: 30, points: 10, rate: null, computed: null, score: 0 });
  });

  it('the printed 98 is the indicator rows alone (20 + 20 + 20 + 18 + 20): the blank budget row scores 0, so the engine’s total is 98 too', () => {
    expect(result.total).toBe(98);
    expect(countedScores(result).slice(1)).toEqual(printedScores(t).slice(1));
  });

  it('with the 当年财政拨款 row’s executed 30 万元 the budget row scores 10 and the total is 108, not the printed 98: the total leaves the budget row out', () => {
    const full = score({ ...input, execution: { ...executionOf(t), executed: 30 } }, rules);
    expect(full.total).toBe(108);
    expect(issuesOf(full)).toEqual([
      { code: 'weights_not_100', severity: 'error', field: 'weight' },
      { code: 'total_mismatch', severity: 'error', field: 'publishedTotal' },
    ]);
  });

  it('needs an override on 1 row: the cost row met but scored 18 of 20; and there are no 效益 rows at all', () => {
    expect(overridesOf(result)).toEqual([['演出设备成本', 20, 18]]);
    expect(result.rows.find((r) => r.id === '演出设备成本')?.target).toMatchObject({ value: 2, unit: '万元', note: "printed '件/件2万元'" });
    expect(result.categories.map((c) => c.category)).toEqual(['output', 'satisfaction']);
  });
});

// Source: no address in the stored copy; 天长市水利局「天长市水利局水旱灾害防御股项目支出绩效自评」, 天长市人民政府信息公开,
// published 2023-12-05 (the fixture's sourceCitation).
// Rules: 安徽 form footnote "一级指标分值统一设置为:产出指标50分、效益指标30分、服务对象满意度指标10分、预算资金执行率10分":
// the docs/domain.md defaults. The 生态效益 row printed "/" (no weight) is not in the fixture.
const TIANCHANG = scored('ah-tianchang-2022-shuihan-zaihai-fangyu', defaultScoringRules('341181', 2022));

describe(`天长 ${TIANCHANG.t.title} — ${TIANCHANG.t.projectName}`, () => {
  const { t, result, rules } = TIANCHANG;

  it('matches the published total 100 with no issue and no override: budget 880 of 880, rows 90', () => {
    expect(t.sourceUrl).toBeNull();
    expect(rules.categoryWeights).toEqual({ output: 50, cost: 0, benefit: 30, satisfaction: 10 });
    expect(result.issues).toEqual([]);
    expect(overridesOf(result)).toEqual([]);
    expect(result.total).toBe(100);
    expect(within(result.total, t.publishedTotal)).toBe(true);
    expect(countedScores(result)).toEqual(printedScores(t));
  });

  it('the six rows printed without target or actual are qualitative and met, at full points; the categories are 50 / 30 / 10', () => {
    expect(result.rows.filter((r) => r.operator === 'qualitative').map((r) => [r.id, r.finding, r.score])).toEqual([
      ['工程质量合格', 'met', 10],
      ['年度资金支付完成率100%', 'met', 10],
      ['资金执行在预算范围内', 'met', 10],
      ['全市安全度汛', 'met', 10],
      ['保护全市人口财产不受损失', 'met', 10],
      ['已建工程良性运行', 'met', 10],
    ]);
    expect(result.categories).toEqual([
      { category: 'output', points: 50, score: 50 },
      { category: 'benefit', points: 30, score: 30 },
      { category: 'satisfaction', points: 10, score: 10 },
    ]);
  });
});

// ---------- summary ----------

describe('summary: which real tables the engine matches', () => {
  const ALL = [YONGDE, JISHAN, ZHONGJIANG, SHIDIAN, PUTUO, XINZHOU, TIANCHANG];

  it('covers every table of the fixture', () => {
    expect(ALL.map((s) => s.t.id).sort()).toEqual(realTables.map((t) => t.id).sort());
  });

  it('matches the published totals of 永德, 施甸, 普陀 and 天长 to 0.01 on 100-point tables; 稷山, 中江 and 新洲 are reported inconsistent', () => {
    const summary = Object.fromEntries(ALL.map(({ t, result }) => [t.id, { published: t.publishedTotal, total: result.total, issues: [...new Set(result.issues.map((i) => i.code))] }]));
    expect(summary).toEqual({
      'yn-yongde-2022-yingyang-gaishan': { published: 96, total: 96, issues: [] },
      'sx-jishan-2020-jiandang-lika-yibao-peitao': { published: 94, total: 93, issues: ['total_mismatch'] },
      'sc-zhongjiang-2022-shuibiaochi': { published: 100, total: 110, issues: ['actual_repeats_target', 'weights_not_100', 'total_mismatch'] },
      'yn-shidian-2019-xinxing-nongye-jingying-zhuti': { published: 71.7, total: 71.7, issues: ['target_set_too_low', 'score_above_weight'] },
      'sh-putuo-2022-tiyu-zhongxin-weituo-yunying-jiesuan': { published: 98.62, total: 98.62, issues: [] },
      'hb-xinzhou-2020-chuju-yanchu-shebei': { published: 98, total: 98, issues: ['budget_invalid', 'weights_not_100'] },
      'ah-tianchang-2022-shuihan-zaihai-fangyu': { published: 100, total: 100, issues: [] },
    });

    // Matched: the total within 0.01 of the printed one, on a table whose weights make 100 and
    // whose budget row could be scored. 新洲's 98 also matches, but only because its blank budget
    // row scores 0 on a 110-point table: that is the inconsistency, not a match.
    const matched = ALL.filter(({ t, result }) => within(result.total, t.publishedTotal) && !result.issues.some((i) => ['total_mismatch', 'weights_not_100', 'budget_invalid'].includes(i.code)));
    expect(matched.map(({ t }) => t.id)).toEqual([
      'yn-yongde-2022-yingyang-gaishan',
      'yn-shidian-2019-xinxing-nongye-jingying-zhuti',
      'sh-putuo-2022-tiyu-zhongxin-weituo-yunying-jiesuan',
      'ah-tianchang-2022-shuihan-zaihai-fangyu',
    ]);
    expect(matched.length).toBeGreaterThanOrEqual(4);

    // Of these, without any issue: 永德, 普陀, 天长. 施甸 matches its sum with weights that are
    // inferred (not printed) and three rows above them; 天长's stored copy has no address.
    expect(matched.filter(({ result }) => result.issues.length === 0).map(({ t }) => t.id)).toEqual([
      'yn-yongde-2022-yingyang-gaishan',
      'sh-putuo-2022-tiyu-zhongxin-weituo-yunying-jiesuan',
      'ah-tianchang-2022-shuihan-zaihai-fangyu',
    ]);
  });

  it('matches no published total from the printed figures alone: each match takes printed scores in (overrides, or qualitative rows scored as printed)', () => {
    // The engine's own total: the table scored again with no printed score going in (no override,
    // no qualitative row's score taken from the table, only its finding).
    const alone = ({ input, rules }: Scored) =>
      score(
        {
          ...input,
          ...(input.execution ? { execution: { ...input.execution, override: undefined } } : {}),
          rows: input.rows.map(({ override: _override, findingScore: _findingScore, ...row }) => row),
        },
        rules,
      ).total;
    const matched = ALL.filter(({ t, result }) => within(result.total, t.publishedTotal) && !result.issues.some((i) => ['total_mismatch', 'weights_not_100', 'budget_invalid'].includes(i.code)));
    const ownComputation = matched.filter((s) => within(alone(s), s.t.publishedTotal)).map(({ t }) => t.id);
    expect(ownComputation).toEqual([]);
    // What each match takes in: its overrides (the …_OVERRIDES lists above) and its qualitative
    // rows scored as printed (a finding the engine cannot read from the text alone).
    const printedScoresTakenIn = ({ input, result }: Scored) => overridesOf(result).length + input.rows.filter((r) => r.findingScore !== undefined).length;
    expect(Object.fromEntries(matched.map((s) => [s.t.id, printedScoresTakenIn(s) > 0]))).toEqual(Object.fromEntries(matched.map(({ t }) => [t.id, true])));
  });
});
