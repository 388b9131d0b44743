/**
 * Public disclosure (信息公开): what of a record the public may read. Each kind has a projection
 * built from a whitelist of fields, so nothing personal or internal (who approved or reviewed,
 * review comments, correlation ids, internal ids, rule versions, ex-ante scores) can slip through
 * when a source record grows new fields. Pure: the API reads the sources and stores the result.
 */
import type { DisclosureKind } from '../../../events/accountability-disclosure.ts';

export type { DisclosureKind };

export const KIND_LABELS: Record<DisclosureKind, string> = {
  targets: '绩效目标',
  self_evaluation: '绩效自评结果',
  key_evaluation: '重点绩效评价报告',
  assessment: '绩效管理工作考核结果',
};

export const GRADE_LABELS = { excellent: '优', good: '良', fair: '中', poor: '差' } as const;
type Grade = keyof typeof GRADE_LABELS;

type Value = number | string;

/** The object as the public sees it: no unit, no internal ids beyond the object id. */
export interface PublicObject {
  id: string;
  name: string;
  type: string;
  fiscalYear: number;
  department: string;
}

export interface PublicTargetRow {
  level1: string;
  level2: string;
  name: string;
  operator: string;
  value?: Value;
  unit?: string;
}

export interface TargetsProjection {
  kind: 'targets';
  object: PublicObject;
  targetVersion: number;
  amounts: { mediumTermTotalWan?: number; annualTotalWan: number; fiscalWan: number; otherWan: number };
  overallGoal: { mediumTerm?: string; annual: string };
  rows: PublicTargetRow[];
  regional?: { region: string; amountWan: number; overallGoal: { mediumTerm?: string; annual: string }; rows: PublicTargetRow[] }[];
  approvedAt: string;
}

export interface PublicIndicatorResult {
  name: string;
  level1: string;
  level2: string;
  operator: string;
  unit?: string;
  target?: Value;
  actual?: Value;
  weight: number;
  score: number;
}

export interface EvaluationProjection {
  kind: 'self_evaluation' | 'key_evaluation';
  object: PublicObject;
  /** self: the unit's self-evaluation; finance_review: the same, re-scored by finance; key: a key evaluation. */
  basis: 'self' | 'finance_review' | 'key';
  totalScore: number;
  grade: Grade;
  gradeLabel: string;
  indicatorResults: PublicIndicatorResult[];
  completedAt: string;
}

export interface AssessmentProjection {
  kind: 'assessment';
  fiscalYear: number;
  assessee: { type: string; code: string; name: string };
  indicators: { code?: string; name: string; weight?: number; score?: number | null; source?: string }[];
  total: number;
  grade?: string;
  gradeLabel?: string;
  rank?: number;
  publishedAt?: string;
}

export type DisclosureProjection = TargetsProjection | EvaluationProjection | AssessmentProjection;

/** Where a disclosure sits in the public index: year, department and a title. */
export interface DisclosureHeading {
  fiscalYear: number;
  department: string;
  title: string;
}

// ---------- sources (the shapes the API reads; only these fields are ever looked at) ----------

interface SourceObject {
  id: string;
  name: string;
  fiscalYear: number;
  department: string;
  spendingType?: string;
  type?: string;
}

interface SourceTargetRow {
  level1: string;
  level2: string;
  name: string;
  operator: string;
  value?: Value;
  unit?: string;
}

export interface TargetSnapshotSource {
  object: SourceObject & { spendingType: string };
  amounts: { mediumTermTotalWan?: number; annualTotalWan: number; fiscalWan: number; otherWan: number };
  targetVersion: number;
  overallGoal: { mediumTerm?: string; annual: string };
  rows: readonly SourceTargetRow[];
  regional?: readonly { region: string; amountWan: number; overallGoal: { mediumTerm?: string; annual: string }; rows: readonly SourceTargetRow[] }[];
  approvedAt: string;
}

export interface EvaluationSource {
  kind: 'self' | 'finance_review' | 'key';
  object: SourceObject & { type: string };
  totalScore: number;
  grade: Grade;
  indicatorResults: readonly (PublicIndicatorResult & Record<string, unknown>)[];
  completedAt: string;
}

export interface AssessmentSource {
  fiscalYear: number;
  assessee: { type: string; code: string; name: string };
  status: string;
  indicators: readonly Record<string, unknown>[];
  total: number;
  grade?: string;
  rank?: number;
  publishedAt?: string;
}

// ---------- projections ----------

const defined = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
const value = (v: unknown): Value | undefined => (typeof v === 'number' || typeof v === 'string' ? v : undefined);
const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

const publicObject = (o: SourceObject, type: string): PublicObject => ({ id: o.id, name: o.name, type, fiscalYear: o.fiscalYear, department: o.department });

const targetRow = (r: SourceTargetRow): PublicTargetRow =>
  defined({ level1: r.level1, level2: r.level2, name: r.name, operator: r.operator, value: value(r.value), unit: text(r.unit) });

const goal = (g: { mediumTerm?: string; annual: string }) => defined({ mediumTerm: text(g.mediumTerm), annual: g.annual });

export function targetsProjection(s: TargetSnapshotSource): TargetsProjection {
  return defined({
    kind: 'targets' as const,
    object: publicObject(s.object, s.object.spendingType),
    targetVersion: s.targetVersion,
    amounts: defined({ mediumTermTotalWan: num(s.amounts.mediumTermTotalWan), annualTotalWan: s.amounts.annualTotalWan, fiscalWan: s.amounts.fiscalWan, otherWan: s.amounts.otherWan }),
    overallGoal: goal(s.overallGoal),
    rows: s.rows.map(targetRow),
    regional: s.regional?.map((r) => ({ region: r.region, amountWan: r.amountWan, overallGoal: goal(r.overallGoal), rows: r.rows.map(targetRow) })),
    approvedAt: s.approvedAt,
  });
}

export function evaluationProjection(kind: 'self_evaluation' | 'key_evaluation', s: EvaluationSource): EvaluationProjection {
  return {
    kind,
    object: publicObject(s.object, s.object.type),
    basis: s.kind,
    totalScore: s.totalScore,
    grade: s.grade,
    gradeLabel: GRADE_LABELS[s.grade],
    indicatorResults: s.indicatorResults.map((r) =>
      defined({
        name: r.name,
        level1: r.level1,
        level2: r.level2,
        operator: r.operator,
        unit: text(r.unit),
        target: value(r.target),
        actual: value(r.actual),
        weight: r.weight,
        score: r.score,
      }),
    ),
    completedAt: s.completedAt,
  };
}

export function assessmentProjection(s: AssessmentSource): AssessmentProjection {
  const grade = text(s.grade);
  return defined({
    kind: 'assessment' as const,
    fiscalYear: s.fiscalYear,
    assessee: { type: s.assessee.type, code: s.assessee.code, name: s.assessee.name },
    indicators: s.indicators.map((i) =>
      defined({
        code: text(i.code),
        name: text(i.name) ?? text(i.label) ?? text(i.code) ?? '',
        weight: num(i.weight) ?? num(i.points) ?? num(i.maxScore),
        score: typeof i.score === 'number' || i.score === null ? (i.score as number | null) : undefined,
        source: text(i.source),
      }),
    ),
    total: s.total,
    grade,
    gradeLabel: grade && grade in GRADE_LABELS ? GRADE_LABELS[grade as Grade] : undefined,
    rank: num(s.rank),
    publishedAt: text(s.publishedAt),
  });
}

/** Year, department and title a projection is listed under. */
export function headingOf(p: DisclosureProjection): DisclosureHeading {
  if (p.kind === 'assessment') return { fiscalYear: p.fiscalYear, department: p.assessee.code, title: p.assessee.name };
  return { fiscalYear: p.object.fiscalYear, department: p.object.department, title: p.object.name };
}

/** The latest of several timeline entries (by occurredAt, then position). */
export function latest<T extends { occurredAt: string }>(entries: readonly T[]): T | undefined {
  let best: T | undefined;
  for (const e of entries) if (!best || e.occurredAt >= best.occurredAt) best = e;
  return best;
}

/** Which EvaluationCompleted kinds a disclosure kind accepts. */
export const EVALUATION_KINDS: Record<'self_evaluation' | 'key_evaluation', readonly ('self' | 'finance_review' | 'key')[]> = {
  self_evaluation: ['self', 'finance_review'],
  key_evaluation: ['key'],
};

// ---------- the disclosure record and its public view ----------

export interface DisclosureRecord {
  id: string;
  kind: DisclosureKind;
  /** Object id (targets, evaluations) or assessment id. */
  sourceId: string;
  region: string;
  fiscalYear: number;
  department: string;
  title: string;
  status: 'published' | 'withdrawn';
  content: DisclosureProjection;
  version: number;
  publishedAt: string;
  publishedBy: string;
  withdrawnAt?: string;
  withdrawnBy?: string;
  withdrawReason?: string;
}

/** What the public sees: the projection and where it is filed; nobody's name. */
export interface PublicDisclosure {
  id: string;
  kind: DisclosureKind;
  fiscalYear: number;
  department: string;
  title: string;
  publishedAt: string;
  content: DisclosureProjection;
}

export const publicView = (r: DisclosureRecord): PublicDisclosure => ({
  id: r.id,
  kind: r.kind,
  fiscalYear: r.fiscalYear,
  department: r.department,
  title: r.title,
  publishedAt: r.publishedAt,
  content: r.content,
});
