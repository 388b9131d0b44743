import { describe, expect, it } from 'vitest';
import { defaultRules } from '../../services/declaration/domain/rules.ts';
import {
  checkAmountChange,
  checkDeclaration,
  withAmountChange,
  type AmountChange,
  type ObjectDeclaration,
  type ResultsDecision,
  type SpendingObject,
} from '../../services/declaration/domain/spending-object.ts';
import {
  buildSnapshot,
  checkObjectTargets,
  libraryIdsOf,
  median,
  resolveRows,
  type LibraryEntry,
  type RowInput,
  type StoredRow,
  type StoredTargets,
} from '../../services/declaration/domain/targets.ts';

const REGION = '360000';
const fields = (violations: { field: string }[]) => violations.map((v) => v.field);

// ---------- checkDeclaration ----------

const project: ObjectDeclaration = {
  spendingType: 'project',
  name: '职业技能提升培训',
  fiscalYear: 2026,
  sector: 'education',
  lifecycle: 'new',
  period: { startYear: 2026, endYear: 2028 },
  amounts: { mediumTermTotalWan: 1500, annualTotalWan: 500, fiscalWan: 400, otherWan: 100 },
};
const transfer: ObjectDeclaration = {
  ...project,
  spendingType: 'transfer_payment',
  name: '农村义务教育薄弱环节改善补助',
  receivingRegions: [
    { region: '360100', amountWan: 300 },
    { region: '360200', amountWan: 200 },
  ],
};
const overall: ObjectDeclaration = {
  spendingType: 'department_overall',
  name: '省教育厅部门整体支出',
  fiscalYear: 2026,
  sector: 'education',
  lifecycle: 'continuing',
  amounts: { annualTotalWan: 8000, fiscalWan: 7500, otherWan: 500 },
};
const declare = (base: ObjectDeclaration, changes: Partial<ObjectDeclaration> = {}): ObjectDeclaration => ({ ...base, ...changes });
const amounts = (a: ObjectDeclaration['amounts']) => declare(project, { amounts: a });

describe('checkDeclaration: money', () => {
  it('accepts a complete project, transfer payment and department overall declaration', () => {
    expect(checkDeclaration(project, REGION)).toEqual([]);
    expect(checkDeclaration(transfer, REGION)).toEqual([]);
    expect(checkDeclaration(overall, REGION)).toEqual([]);
  });

  it('accepts fiscal + other = annual total to the fen despite binary floating point (0.1 + 0.2 = 0.3)', () => {
    expect(checkDeclaration(amounts({ annualTotalWan: 0.3, fiscalWan: 0.1, otherWan: 0.2 }), REGION)).toEqual([]);
    expect(checkDeclaration(amounts({ annualTotalWan: 12345678.9013, fiscalWan: 12345678.9012, otherWan: 0.0001 }), REGION)).toEqual([]);
  });

  it('rejects a total that differs from fiscal + other by the smallest declared step (0.0001 万元)', () => {
    const v = checkDeclaration(amounts({ annualTotalWan: 500.0001, fiscalWan: 400, otherWan: 100 }), REGION);
    expect(fields(v)).toEqual(['amounts.annualTotalWan']);
    expect(v[0]?.message).toContain('400 + 100');
  });

  it('names every negative or non-finite amount, without also reporting the sum', () => {
    expect(fields(checkDeclaration(amounts({ annualTotalWan: 500, fiscalWan: -1, otherWan: Number.NaN }), REGION))).toEqual(['amounts.fiscalWan', 'amounts.otherWan']);
  });

  it('accepts a medium-term total equal to the annual total and rejects one below it', () => {
    expect(checkDeclaration(amounts({ mediumTermTotalWan: 500, annualTotalWan: 500, fiscalWan: 400, otherWan: 100 }), REGION)).toEqual([]);
    expect(fields(checkDeclaration(amounts({ mediumTermTotalWan: 499.9999, annualTotalWan: 500, fiscalWan: 400, otherWan: 100 }), REGION))).toEqual(['amounts.mediumTermTotalWan']);
  });
});

describe('checkDeclaration: period', () => {
  it('requires a period for projects and transfer payments', () => {
    for (const base of [project, transfer]) {
      const { period: _none, ...withoutPeriod } = base;
      expect(fields(checkDeclaration(withoutPeriod, REGION)), base.spendingType).toEqual(['period']);
    }
  });

  it('requires the fiscal year to lie inside the period, its first and last years included', () => {
    for (const fiscalYear of [2026, 2028]) expect(checkDeclaration(declare(project, { fiscalYear }), REGION), String(fiscalYear)).toEqual([]);
    for (const fiscalYear of [2025, 2029]) expect(fields(checkDeclaration(declare(project, { fiscalYear }), REGION)), String(fiscalYear)).toEqual(['fiscalYear']);
  });

  it('rejects a period that ends before it starts', () => {
    expect(fields(checkDeclaration(declare(project, { period: { startYear: 2026, endYear: 2025 } }), REGION))).toContain('period.endYear');
  });

  it('keeps department overall spending to its own fiscal year', () => {
    expect(checkDeclaration(declare(overall, { period: { startYear: 2026, endYear: 2026 } }), REGION)).toEqual([]);
    expect(fields(checkDeclaration(declare(overall, { period: { startYear: 2026, endYear: 2027 } }), REGION))).toEqual(['period']);
  });

  it('gives department overall spending no receiving regions, said once', () => {
    expect(fields(checkDeclaration(declare(overall, { receivingRegions: [{ region: '360100', amountWan: 8000 }] }), REGION))).toEqual(['receivingRegions']);
  });

  it('gives projects no receiving regions', () => {
    expect(fields(checkDeclaration(declare(project, { receivingRegions: [{ region: '360100', amountWan: 500 }] }), REGION))).toEqual(['receivingRegions']);
  });
});

describe('checkDeclaration: lifecycle', () => {
  it('does not let a new object continue another', () => {
    expect(fields(checkDeclaration(declare(project, { continues: 'obj_0000000000' }), REGION))).toEqual(['continues']);
  });

  it('does not let a new object be proposed for renewal', () => {
    expect(fields(checkDeclaration(declare(project, { proposedForRenewal: true }), REGION))).toEqual(['proposedForRenewal']);
  });

  it('lets a continuing object continue another and be proposed for renewal', () => {
    expect(checkDeclaration(declare(project, { lifecycle: 'continuing', continues: 'obj_0000000000', proposedForRenewal: true }), REGION)).toEqual([]);
  });
});

describe('checkDeclaration: transfer payments', () => {
  const regions = (receivingRegions: ObjectDeclaration['receivingRegions']) => declare(transfer, { receivingRegions });

  it('requires receiving regions', () => {
    expect(fields(checkDeclaration(regions(undefined), REGION))).toEqual(['receivingRegions']);
    expect(fields(checkDeclaration(regions([]), REGION))).toEqual(['receivingRegions']);
  });

  it('requires the regional amounts to add up to the annual total, to the fen', () => {
    const split = declare(transfer, { amounts: { annualTotalWan: 0.3, fiscalWan: 0.3, otherWan: 0 }, receivingRegions: [{ region: '360100', amountWan: 0.1 }, { region: '360200', amountWan: 0.2 }] });
    expect(checkDeclaration(split, REGION)).toEqual([]);
    const short = checkDeclaration(regions([{ region: '360100', amountWan: 300 }, { region: '360200', amountWan: 199.9999 }]), REGION);
    expect(fields(short)).toEqual(['receivingRegions']);
    expect(short[0]?.message).toContain('499.9999');
  });

  it('rejects a region listed twice', () => {
    expect(fields(checkDeclaration(regions([{ region: '360100', amountWan: 300 }, { region: '360100', amountWan: 200 }]), REGION))).toEqual(['receivingRegions[1].region']);
  });

  it('rejects a region transferring to itself', () => {
    expect(fields(checkDeclaration(regions([{ region: REGION, amountWan: 300 }, { region: '360200', amountWan: 200 }]), REGION))).toEqual(['receivingRegions[0].region']);
  });

  it('rejects a negative regional amount', () => {
    expect(fields(checkDeclaration(regions([{ region: '360100', amountWan: 700 }, { region: '360200', amountWan: -200 }]), REGION))).toContain('receivingRegions[1].amountWan');
  });
});

// ---------- resolveRows ----------

const lib = (entry: Partial<LibraryEntry> & Pick<LibraryEntry, 'id'>): LibraryEntry => ({
  revision: 3,
  name: '培训人次',
  level1: 'output',
  level2: 'quantity',
  operator: 'gte',
  unit: '人次',
  status: 'published',
  ...entry,
});
const library = new Map<string, LibraryEntry>([
  ['ind_training00', lib({ id: 'ind_training00', achieved: [900, 1100, 1000] })],
  ['ind_employment', lib({ id: 'ind_employment', name: '就业率', level1: 'benefit', level2: 'social_benefit', unit: '%', revision: 1 })],
  ['ind_satisfied0', lib({ id: 'ind_satisfied0', name: '学员满意度', level1: 'satisfaction', level2: 'service_satisfaction', unit: '%', revision: 2 })],
  ['ind_retired000', lib({ id: 'ind_retired000', name: '旧指标', status: 'retired' })],
  ['ind_nounit0000', lib({ id: 'ind_nounit0000', name: '培训质量', level2: 'quality', operator: 'qualitative', unit: '' })],
]);
const individual: RowInput = { level1: 'output', level2: 'timeliness', name: '培训完成时间', operator: 'lte', value: 12, unit: '月', basis: 'plan' };

describe('resolveRows: library rows', () => {
  it('takes name, level 1, level 2, operator, unit and revision from the library entry', () => {
    const { rows, violations } = resolveRows([{ rowId: 'r_aaaa', indicatorId: 'ind_training00', value: 1200, basis: 'history', weight: 20, explanation: '按2025年实际' }], library, 'rows');
    expect(violations).toEqual([]);
    expect(rows).toEqual([
      { rowId: 'r_aaaa', level1: 'output', level2: 'quantity', name: '培训人次', operator: 'gte', unit: '人次', value: 1200, basis: 'history', weight: 20, explanation: '按2025年实际', indicatorId: 'ind_training00', indicatorRevision: 3 },
    ]);
  });

  it('lets the unit give its own unit of measure', () => {
    const { rows } = resolveRows([{ indicatorId: 'ind_training00', unit: '人', value: 1200 }], library, 'rows');
    expect(rows[0]).toMatchObject({ unit: '人', name: '培训人次' });
  });

  it("refuses another operator than the library's: it decides how the row is scored", () => {
    const { violations } = resolveRows([{ indicatorId: 'ind_training00', operator: 'qualitative', value: '明显' }], library, 'rows');
    expect(violations).toEqual([expect.objectContaining({ field: 'rows[0].operator' })]);
  });

  it('leaves the unit out when neither the library nor the row has one', () => {
    expect(resolveRows([{ indicatorId: 'ind_nounit0000', value: '明显提升' }], library, 'rows').rows[0]).not.toHaveProperty('unit');
  });

  it('accepts a name or level repeated exactly as the library has it', () => {
    expect(resolveRows([{ indicatorId: 'ind_training00', name: '培训人次', level1: 'output', level2: 'quantity', value: 1 }], library, 'rows').violations).toEqual([]);
  });

  it('names each field that conflicts with the library', () => {
    const { violations } = resolveRows([{ indicatorId: 'ind_training00', name: '培训人数', level1: 'benefit', level2: 'social_benefit', value: 1 }], library, 'body.rows');
    expect(fields(violations)).toEqual(['body.rows[0].name', 'body.rows[0].level1', 'body.rows[0].level2']);
    expect(violations[0]?.message).toContain('培训人次');
  });

  it('rejects an indicator the library does not have, and one that is retired', () => {
    const { rows, violations } = resolveRows([{ indicatorId: 'ind_unknown000', value: 1 }, { indicatorId: 'ind_retired000', value: 1 }], library, 'rows');
    expect(rows).toEqual([]);
    expect(fields(violations)).toEqual(['rows[0].indicatorId', 'rows[1].indicatorId']);
    expect(violations[0]?.message).toContain('ind_unknown000');
    expect(violations[1]?.message).toContain('retired');
  });
});

describe('resolveRows: individual rows and ids', () => {
  it('keeps an individual row as written', () => {
    const { rows, violations } = resolveRows([{ rowId: 'r_bbbb', ...individual, weight: 10 }], library, 'rows');
    expect(violations).toEqual([]);
    expect(rows).toEqual([{ rowId: 'r_bbbb', level1: 'output', level2: 'timeliness', name: '培训完成时间', operator: 'lte', value: 12, unit: '月', basis: 'plan', weight: 10 }]);
  });

  it('names each of level1, level2, name and operator an individual row lacks', () => {
    const { rows, violations } = resolveRows([{ value: 3 }, { ...individual, operator: undefined }], library, 'rows');
    expect(rows).toEqual([]);
    expect(fields(violations)).toEqual(['rows[0].level1', 'rows[0].level2', 'rows[0].name', 'rows[0].operator', 'rows[1].operator']);
  });

  it('generates a row id when none is given and keeps the one given', () => {
    const { rows } = resolveRows([individual, { ...individual, rowId: 'r_keep01' }, individual], library, 'rows');
    expect(rows[0]?.rowId).toMatch(/^r_[a-z0-9]{4,20}$/);
    expect(rows[1]?.rowId).toBe('r_keep01');
    expect(rows[2]?.rowId).not.toBe(rows[0]?.rowId);
  });

  it('rejects a row id used twice, pointing at the second use', () => {
    const { violations } = resolveRows([{ ...individual, rowId: 'r_same01' }, { indicatorId: 'ind_training00', rowId: 'r_same01', value: 1 }], library, 'rows');
    expect(fields(violations)).toEqual(['rows[1].rowId']);
  });
});

describe('median', () => {
  it('takes the middle value of an odd count, unsorted input included', () => {
    expect(median([1100, 900, 1000])).toBe(1000);
  });

  it('averages the two middle values of an even count', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('is undefined without values', () => {
    expect(median([])).toBeUndefined();
    expect(median(undefined)).toBeUndefined();
  });

  it('does not reorder its input', () => {
    const values = [3, 1, 2];
    median(values);
    expect(values).toEqual([3, 1, 2]);
  });
});

// ---------- checkObjectTargets ----------

const row = (r: Omit<StoredRow, 'rowId'>, rowId = `r_${Math.random().toString(36).slice(2, 8)}`): StoredRow => ({ rowId, ...r });
const complete: StoredRow[] = [
  row({ level1: 'output', level2: 'quantity', name: '培训人次', operator: 'gte', value: 1000, unit: '人次' }),
  row({ level1: 'benefit', level2: 'social_benefit', name: '就业率', operator: 'gte', value: 80, unit: '%' }),
  row({ level1: 'satisfaction', level2: 'service_satisfaction', name: '学员满意度', operator: 'gte', value: 90, unit: '%' }),
];
const costRow = (value: number) => row({ level1: 'cost', level2: 'economic_cost', name: '补助资金成本', operator: 'lte', value, unit: '万元' });
const goal = { annual: '改善300所学校办学条件' };
const targets = (changes: Partial<StoredTargets> = {}): StoredTargets => ({ overallGoal: goal, rows: complete, updatedAt: '2026-02-01T00:00:00.000Z', updatedBy: 'user_unit', ...changes });

const spendingObject = (declaration: ObjectDeclaration, changes: Partial<SpendingObject> = {}): SpendingObject => ({
  ...declaration,
  id: 'obj_0000000001',
  version: 7,
  region: REGION,
  department: 'dept_edu',
  unit: 'unit_school',
  proposedForRenewal: false,
  status: 'finance_review',
  submissions: 1,
  targetVersion: 1,
  reviews: [],
  revisions: 0,
  createdAt: '2026-01-05T00:00:00.000Z',
  createdBy: 'user_unit',
  updatedAt: '2026-03-02T09:30:00.000Z',
  ...changes,
});
const rules = defaultRules(REGION, 2026);
const errors = <F extends { severity: string }>(findings: F[]) => findings.filter((f) => f.severity === 'error');

describe('checkObjectTargets', () => {
  const payment = spendingObject(transfer);
  const bothRegions = [
    { region: '360100', amountWan: 300, overallGoal: goal, rows: complete },
    { region: '360200', amountWan: 200, overallGoal: goal, rows: complete },
  ];

  it('passes a transfer payment whose overall and regional targets are all complete', () => {
    expect(checkObjectTargets(payment, targets({ regional: bothRegions }), rules, library)).toEqual([]);
  });

  it('asks for the targets of a receiving region that has none', () => {
    const findings = checkObjectTargets(payment, targets({ regional: [bothRegions[0]!] }), rules, library);
    expect(findings).toEqual([{ code: 'regional_targets_missing', severity: 'error', region: '360200', message: expect.stringContaining('200 万元') }]);
  });

  it('tags each regional finding with its region and prefixes the message with it', () => {
    const incomplete = { ...bothRegions[1]!, rows: complete.slice(0, 2) };
    const findings = checkObjectTargets(payment, targets({ regional: [bothRegions[0]!, incomplete] }), rules, library);
    expect(findings.map((f) => [f.code, f.region])).toEqual([['category_missing', '360200']]);
    expect(findings[0]?.message).toMatch(/^\[360200\] /);
  });

  it('keeps findings on the overall targets without a region', () => {
    const findings = checkObjectTargets(payment, targets({ rows: complete.slice(0, 2), regional: bothRegions }), rules, library);
    expect(findings.map((f) => [f.code, f.region])).toEqual([['category_missing', undefined]]);
  });

  it('checks a regional cost against that region\'s share, not the whole amount', () => {
    const regional = [bothRegions[0]!, { ...bothRegions[1]!, rows: [...complete, costRow(250)] }];
    const findings = checkObjectTargets(payment, targets({ rows: [...complete, costRow(250)], regional }), rules, library);
    expect(errors(findings).map((f) => [f.code, f.region, f.row])).toEqual([['cost_exceeds_amount', '360200', 3]]);
  });

  it('ignores regional targets on an object that is not a transfer payment', () => {
    expect(checkObjectTargets(spendingObject(project), targets({ regional: [{ ...bothRegions[0]!, rows: [] }] }), rules, library)).toEqual([]);
  });

  it('warns of a positive target far below the median achieved in the library', () => {
    const fromLibrary = row({ level1: 'output', level2: 'quantity', name: '培训人次', operator: 'gte', value: 700, unit: '人次', indicatorId: 'ind_training00', indicatorRevision: 3 });
    const findings = checkObjectTargets(spendingObject(project), targets({ rows: [fromLibrary, ...complete.slice(1)] }), rules, library);
    expect(findings.map((f) => [f.code, f.severity, f.row])).toEqual([['far_below_history', 'warning', 0]]);
    expect(findings[0]?.message).toContain('1000');
  });

  it('does not warn when the library has no achieved values, or for an individual row', () => {
    const noHistory = row({ level1: 'benefit', level2: 'social_benefit', name: '就业率', operator: 'gte', value: 1, unit: '%', indicatorId: 'ind_employment' });
    const individualLow = { ...complete[0]!, value: 1 };
    expect(checkObjectTargets(spendingObject(project), targets({ rows: [individualLow, noHistory, complete[2]!] }), rules, library)).toEqual([]);
  });
});

describe('libraryIdsOf', () => {
  it('lists each library id of the overall and regional rows once', () => {
    const a = row({ ...complete[0]!, indicatorId: 'ind_training00' });
    const b = row({ ...complete[1]!, indicatorId: 'ind_employment' });
    expect(libraryIdsOf({ rows: [a, complete[2]!], regional: [{ region: '360100', amountWan: 1, overallGoal: goal, rows: [a, b] }] }).sort()).toEqual(['ind_employment', 'ind_training00']);
  });
});

// ---------- buildSnapshot ----------

describe('buildSnapshot', () => {
  const reviews = [
    { stage: 'department' as const, grade: 'excellent' as const, by: 'user_dept', at: '2026-03-01T00:00:00.000Z' },
    { stage: 'finance' as const, grade: 'good' as const, comments: '细化满意度', by: 'user_finance', at: '2026-03-02T09:30:00.000Z' },
  ];
  const decision = (d: ResultsDecision['decision']): ResultsDecision => ({ decision: d, reason: '已整改', previousGrade: 'poor', decidedAt: 'x', decidedBy: 'user_finance', previousAnnualTotalWan: 600 });
  const approved = spendingObject(project, { status: 'approved', targetVersion: 2 });

  it('carries the object, its amounts, target version, targets, reviews, rules version, approver and time', () => {
    const t = targets();
    expect(buildSnapshot(approved, t, reviews, 4, 'user_finance')).toEqual({
      object: { id: 'obj_0000000001', spendingType: 'project', name: '职业技能提升培训', fiscalYear: 2026, region: REGION, department: 'dept_edu', unit: 'unit_school', sector: 'education' },
      amounts: project.amounts,
      targetVersion: 2,
      overallGoal: goal,
      rows: complete,
      reviews,
      rulesVersion: 4,
      approvedAt: '2026-03-02T09:30:00.000Z',
      approvedBy: 'user_finance',
    });
  });

  it('carries the regional targets of a transfer payment, and none when there are none', () => {
    const payment = spendingObject(transfer, { status: 'approved' });
    const regional = [{ region: '360100', amountWan: 300, overallGoal: goal, rows: complete }];
    expect(buildSnapshot(payment, targets({ regional }), reviews, 4, 'f').regional).toEqual(regional);
    expect(buildSnapshot(payment, targets({ regional: [] }), reviews, 4, 'f')).not.toHaveProperty('regional');
    expect(buildSnapshot(payment, targets(), reviews, 4, 'f')).not.toHaveProperty('regional');
  });

  it('records each region\'s current share, and no targets for a region that no longer receives money', () => {
    // Targets written when the shares were 300 / 200 / 100; the unit then edited the receiving regions.
    const payment = spendingObject(transfer, { status: 'approved', receivingRegions: [{ region: '360100', amountWan: 250 }, { region: '360200', amountWan: 250 }] });
    const written = ['360100', '360200', '360300'].map((region, i) => ({ region, amountWan: [300, 200, 100][i]!, overallGoal: goal, rows: complete }));
    expect(buildSnapshot(payment, targets({ regional: written }), reviews, 4, 'f').regional).toEqual([
      { region: '360100', amountWan: 250, overallGoal: goal, rows: complete },
      { region: '360200', amountWan: 250, overallGoal: goal, rows: complete },
    ]);
  });

  it('summarises the ex-ante assessment: total, conclusion and ceiling', () => {
    const exAnte = {
      scores: { necessity: 16, economy: 16, targetReasonableness: 16, feasibility: 16, financingCompliance: 16 },
      total: 80,
      computedConclusion: 'support' as const,
      conclusion: 'support' as const,
      requestedAmountWan: 500,
      recommendedCeilingWan: 480,
      assessedAt: 'x',
      assessedBy: 'user_finance',
      assessorRole: 'finance',
    };
    expect(buildSnapshot({ ...approved, exAnte }, targets(), reviews, 4, 'f').exAnte).toEqual({ total: 80, conclusion: 'support', recommendedCeilingWan: 480 });
    expect(buildSnapshot(approved, targets(), reviews, 4, 'f')).not.toHaveProperty('exAnte');
  });

  it('carries a cut or keep results decision, and never a cancel', () => {
    for (const d of ['cut', 'keep'] as const) {
      expect(buildSnapshot({ ...approved, resultsDecision: decision(d) }, targets(), reviews, 4, 'f').resultsDecision, d).toEqual({ decision: d, reason: '已整改', previousGrade: 'poor' });
    }
    expect(buildSnapshot({ ...approved, resultsDecision: decision('cancel') }, targets(), reviews, 4, 'f')).not.toHaveProperty('resultsDecision');
    expect(buildSnapshot(approved, targets(), reviews, 4, 'f')).not.toHaveProperty('resultsDecision');
  });
});

// ---------- the money of a mid-year revision ----------

describe('checkAmountChange: new money with revised targets', () => {
  const approvedProject = spendingObject(project, { status: 'approved' });
  const raise = (changes: Partial<AmountChange> = {}): AmountChange => ({
    amounts: { mediumTermTotalWan: 1800, annualTotalWan: 800, fiscalWan: 700, otherWan: 100 },
    reason: '追加培训任务，年度预算调增300万元',
    ...changes,
  });

  it('accepts new amounts that add up (700 + 100 = 800 万元) with a reason', () => {
    expect(checkAmountChange(approvedProject, raise())).toEqual([]);
  });

  it('names the annual total when fiscal and other funds do not add up to it (700 + 100 ≠ 900)', () => {
    expect(fields(checkAmountChange(approvedProject, raise({ amounts: { annualTotalWan: 900, fiscalWan: 700, otherWan: 100 } })))).toEqual(['amounts.annualTotalWan']);
  });

  it('names a medium-term total below the new annual total', () => {
    expect(fields(checkAmountChange(approvedProject, raise({ amounts: { mediumTermTotalWan: 700, annualTotalWan: 800, fiscalWan: 700, otherWan: 100 } })))).toEqual(['amounts.mediumTermTotalWan']);
  });

  it('needs the reason for the money', () => {
    expect(fields(checkAmountChange(approvedProject, raise({ reason: '  ' })))).toEqual(['reason']);
  });

  it("names the receiving regions when a transfer payment's new total comes without new shares (300 + 200 ≠ 600)", () => {
    const payment = spendingObject(transfer, { status: 'approved' });
    const change = raise({ amounts: { annualTotalWan: 600, fiscalWan: 500, otherWan: 100 } });
    expect(fields(checkAmountChange(payment, change))).toEqual(['receivingRegions']);
  });

  it("accepts a transfer payment's new total with shares that add up to it (350 + 250 = 600)", () => {
    const payment = spendingObject(transfer, { status: 'approved' });
    const change = raise({ amounts: { annualTotalWan: 600, fiscalWan: 500, otherWan: 100 }, receivingRegions: [{ region: '360100', amountWan: 350 }, { region: '360200', amountWan: 250 }] });
    expect(checkAmountChange(payment, change)).toEqual([]);
  });

  it('gives the object the new amounts and shares, and leaves it as it is without a change', () => {
    const payment = spendingObject(transfer, { status: 'approved' });
    const shares = [{ region: '360100', amountWan: 350 }, { region: '360200', amountWan: 250 }];
    const revised = withAmountChange(payment, raise({ amounts: { annualTotalWan: 600, fiscalWan: 500, otherWan: 100 }, receivingRegions: shares }));
    expect([revised.amounts.annualTotalWan, revised.receivingRegions]).toEqual([600, shares]);
    expect(withAmountChange(payment, undefined)).toBe(payment);
  });

  it('runs the automatic check against the new amount: a 600 万元 cost row exceeds 500 万元 but fits the revised 800', () => {
    const withCost = targets({ rows: [...complete, costRow(600)] });
    expect(checkObjectTargets(approvedProject, withCost, rules, library).map((f) => f.code)).toEqual(['cost_exceeds_amount']);
    expect(checkObjectTargets(withAmountChange(approvedProject, raise()), withCost, rules, library)).toEqual([]);
  });
});

// ---------- matched to the money: the library copy's history per 万元 ----------

describe('checkObjectTargets: money per unit of a library output against its history', () => {
  /** 培训人数 in the library: past evaluations achieved 1.5, 2 and 2.5 trainees per 万元 (median 2, i.e. 0.5 万元 each). */
  const perWan = new Map<string, LibraryEntry>([['ind_trainees00', lib({ id: 'ind_trainees00', name: '培训人数', unit: '人', achievedPerWan: [2.5, 1.5, 2] })]]);
  const trainees = (value: number, unit = '人') => row({ level1: 'output', level2: 'quantity', name: '培训人数', operator: 'gte', value, unit, indicatorId: 'ind_trainees00', indicatorRevision: 3 });
  const big = spendingObject(project, { amounts: { annualTotalWan: 50_000, fiscalWan: 50_000, otherWan: 0 } });

  it('flags 100 trainees for 50,000 万元: 500 万元 each, 1000 times the median 0.5', () => {
    const findings = checkObjectTargets(big, targets({ rows: [trainees(100), ...complete.slice(1)] }), rules, perWan);
    expect(findings.map((f) => [f.code, f.severity, f.row])).toEqual([['money_mismatch', 'warning', 0]]);
    expect(findings[0]?.message).toContain('1000 times the 0.5 万元 per 人');
  });

  it("does not compare a row counted in another unit than the library's (人次 for 人)", () => {
    expect(checkObjectTargets(big, targets({ rows: [trainees(100, '人次'), ...complete.slice(1)] }), rules, perWan)).toEqual([]);
  });

  it('does not compare when the library knows achieved values but no amounts', () => {
    const noAmounts = new Map([['ind_trainees00', lib({ id: 'ind_trainees00', name: '培训人数', unit: '人', achieved: [900, 1000] })]]);
    expect(checkObjectTargets(big, targets({ rows: [trainees(100), ...complete.slice(1)] }), rules, noAmounts).map((f) => f.code)).not.toContain('money_mismatch');
  });
});
