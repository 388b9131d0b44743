/** The public projections of disclosure: a whitelist, so nothing personal or internal leaks. */
import { describe, expect, it } from 'vitest';
import evaluationExample from '../../events/examples/EvaluationCompleted.v1.json' with { type: 'json' };
import targetExample from '../../events/examples/TargetApproved.v1.json' with { type: 'json' };
import { assessmentProjection, evaluationProjection, headingOf, latest, targetsProjection, type EvaluationSource } from '../../services/accountability/domain/disclosure.ts';

const snapshot = targetExample.data.snapshot;
const evaluation = evaluationExample.data as unknown as EvaluationSource;

/** Every string anywhere in a value. */
const strings = (v: unknown): string[] => (typeof v === 'string' ? [v] : Array.isArray(v) ? v.flatMap(strings) : v && typeof v === 'object' ? Object.values(v).flatMap(strings) : []);
const keys = (v: unknown): string[] => (Array.isArray(v) ? v.flatMap(keys) : v && typeof v === 'object' ? Object.entries(v).flatMap(([k, x]) => [k, ...keys(x)]) : []);

describe('targets projection', () => {
  it('keeps the object, amounts, goals and every indicator row with its target', () => {
    const p = targetsProjection(snapshot);
    expect(p.object).toEqual({ id: snapshot.object.id, name: snapshot.object.name, type: 'project', fiscalYear: 2027, department: 'D-AGRI' });
    expect(p.amounts).toEqual(snapshot.amounts);
    expect(p.overallGoal).toEqual(snapshot.overallGoal);
    expect(p.rows.map((r) => [r.name, r.operator, r.value, r.unit])).toEqual(snapshot.rows.map((r) => [r.name, r.operator, r.value, r.unit]));
    expect(p.targetVersion).toBe(1);
  });

  it('drops reviewers, review comments, approver, rule version, ex-ante scores, unit and internal ids', () => {
    const p = targetsProjection(snapshot);
    const text = strings(p);
    for (const secret of ['finance-reviewer-1', 'dept-reviewer-2', '质量指标可再细化', 'U-AGRI-03', 'ind_0mhx1a2b3c4d5e6f7a8', 'r_a1b2c3d4e5']) expect(text).not.toContain(secret);
    expect(Object.keys(p.object)).not.toContain('unit');
    for (const key of ['reviews', 'approvedBy', 'rulesVersion', 'exAnte', 'rowId', 'indicatorId', 'basis', 'explanation', 'by', 'comments']) expect(keys(p)).not.toContain(key);
  });

  it('ignores fields a future snapshot might add', () => {
    const p = targetsProjection({ ...snapshot, object: { ...snapshot.object, contactPhone: '13800000000' }, rows: snapshot.rows.map((r) => ({ ...r, internalNote: 'x' })) } as never);
    expect(strings(p)).not.toContain('13800000000');
    expect(keys(p)).not.toContain('internalNote');
  });
});

describe('evaluation projection', () => {
  it('keeps the score, grade with its label and the indicator results', () => {
    const p = evaluationProjection('self_evaluation', evaluation);
    expect(p).toMatchObject({ kind: 'self_evaluation', basis: 'finance_review', totalScore: 92.5, grade: 'excellent', gradeLabel: '优', completedAt: evaluation.completedAt });
    expect(p.indicatorResults).toHaveLength(evaluation.indicatorResults.length);
    expect(p.indicatorResults[0]).toEqual({ name: '资助学生人数', level1: 'output', level2: 'quantity', operator: 'gte', unit: '人', target: 1200, actual: 1260, weight: 20, score: 20 });
  });

  it('drops the evaluation id, the unit and library indicator ids', () => {
    const p = evaluationProjection('key_evaluation', evaluation);
    expect(strings(p)).not.toContain(evaluationExample.data.object.unit);
    expect(Object.keys(p.object)).not.toContain('unit');
    for (const key of ['evaluationId', 'indicatorId', 'indicatorRevision', 'region']) expect(keys(p)).not.toContain(key);
  });
});

describe('assessment projection', () => {
  const assessment = {
    fiscalYear: 2027,
    assessee: { type: 'department', code: 'D-AGRI', name: '农业农村厅' },
    status: 'published',
    indicators: [
      { code: 'target_coverage', name: '目标覆盖率', weight: 15, score: 13.5, source: 'computed', status: 'computed', explanation: '内部说明', entry: { by: 'finance-1', note: '私下备注' } },
      { code: 'disclosure', name: '信息公开', weight: 10, source: 'entered', status: 'missing', explanation: 'x' },
    ],
    total: 85.5,
    grade: 'good',
    rank: 2,
    publishedAt: '2028-03-01T00:00:00.000Z',
  };

  it('keeps the sheet: indicators with weights and scores, total, grade and rank', () => {
    const p = assessmentProjection(assessment);
    expect(p).toEqual({
      kind: 'assessment',
      fiscalYear: 2027,
      assessee: assessment.assessee,
      indicators: [
        { code: 'target_coverage', name: '目标覆盖率', weight: 15, score: 13.5, source: 'computed' },
        { code: 'disclosure', name: '信息公开', weight: 10, source: 'entered' },
      ],
      total: 85.5,
      grade: 'good',
      gradeLabel: '良',
      rank: 2,
      publishedAt: '2028-03-01T00:00:00.000Z',
    });
  });

  it('drops entries, explanations and who entered them', () => {
    const text = strings(assessmentProjection(assessment));
    for (const secret of ['finance-1', '私下备注', '内部说明']) expect(text).not.toContain(secret);
  });

  it('is filed under the assessee; objects under their department', () => {
    expect(headingOf(assessmentProjection(assessment))).toEqual({ fiscalYear: 2027, department: 'D-AGRI', title: '农业农村厅' });
    expect(headingOf(targetsProjection(snapshot))).toEqual({ fiscalYear: 2027, department: 'D-AGRI', title: snapshot.object.name });
  });
});

describe('latest', () => {
  it('picks the entry that happened last, the later one on a tie', () => {
    const a = { occurredAt: '2027-01-01T00:00:00Z', n: 1 };
    const b = { occurredAt: '2027-02-01T00:00:00Z', n: 2 };
    const c = { occurredAt: '2027-02-01T00:00:00Z', n: 3 };
    expect(latest([b, a])?.n).toBe(2);
    expect(latest([a, b, c])?.n).toBe(3);
    expect(latest([])).toBeUndefined();
  });
});
