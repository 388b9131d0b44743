/**
 * The accountability service's rules: its rule parameters per region and fiscal year
 * (docs/domain.md marks them [P]: each finance department sets its own). Stored versioned like every service's
 * (`/v1/accountability/rules/{year}`); the defaults below apply until finance stores a version.
 */
import type { Grade } from './object-summary.ts';

/** An indicator of the assessment (考核) sheet. */
export interface AssessmentSheetIndicator {
  /** Stable code; the computed ones are listed in ASSESSMENT_COMPUTED_CODES. */
  code: string;
  name: string;
  /** Points out of 100; the sheet's weights sum to 100. */
  weight: number;
  /** `computed` from events where the data exists (finance may still enter it where it does not); `entered` always by finance. */
  source: 'computed' | 'entered';
}

export interface AccountabilityRules {
  region: string;
  fiscalYear: number;
  cases: {
    /** Open a case when an object's execution stays red this many monitoring windows running without a correction (0: never). */
    redWindowsUncorrected: number;
    /** Open a case when an object (through its `continues` chain) is graded 差 this many years running (0: never). */
    poorGradeYears: number;
  };
  rectification: {
    /** Order a rectification for every red deviation. */
    onRedDeviation: boolean;
    /** Order a rectification for a completed evaluation with one of these grades. */
    onGrades: Grade[];
    /** Days from the order to its deadline, when no deadline is given. */
    deadlineDays: number;
    /** After the deadline, escalate again every this many days while it stays open. */
    escalateEveryDays: number;
  };
  assessment: {
    indicators: AssessmentSheetIndicator[];
    /** Lower bounds of the assessment grades 优 / 良 / 中 (below `fair`: 差). */
    gradeBounds: { excellent: number; good: number; fair: number };
  };
}

/** Indicators the service can compute from the events it receives. */
export const ASSESSMENT_COMPUTED_CODES = [
  'target_coverage',
  'review_quality',
  'monitoring_timeliness',
  'deviation_handling',
  'self_evaluation_coverage',
  'self_evaluation_quality',
  'rectification_completion',
  'disclosure',
] as const;

export function defaultAccountabilityRules(region: string, fiscalYear: number): AccountabilityRules {
  return {
    region,
    fiscalYear,
    cases: { redWindowsUncorrected: 2, poorGradeYears: 2 },
    rectification: { onRedDeviation: true, onGrades: ['poor'], deadlineDays: 30, escalateEveryDays: 7 },
    assessment: {
      indicators: [
        { code: 'target_coverage', name: '绩效目标覆盖率', weight: 15, source: 'computed' },
        { code: 'review_quality', name: '绩效目标编报质量', weight: 10, source: 'computed' },
        { code: 'monitoring_timeliness', name: '绩效监控及时性', weight: 10, source: 'computed' },
        { code: 'deviation_handling', name: '偏差纠正情况', weight: 10, source: 'computed' },
        { code: 'self_evaluation_coverage', name: '绩效自评覆盖率', weight: 10, source: 'computed' },
        { code: 'self_evaluation_quality', name: '绩效自评质量', weight: 10, source: 'computed' },
        { code: 'rectification_completion', name: '问题整改完成率', weight: 15, source: 'computed' },
        { code: 'disclosure', name: '绩效信息公开', weight: 10, source: 'computed' },
        { code: 'institution_building', name: '绩效管理制度建设', weight: 10, source: 'entered' },
      ],
      gradeBounds: { excellent: 90, good: 80, fair: 60 },
    },
  };
}

const GRADES: readonly Grade[] = ['excellent', 'good', 'fair', 'poor'];
const wholeAtLeast = (v: unknown, min: number) => typeof v === 'number' && Number.isInteger(v) && v >= min;

export function validateAccountabilityRules(p: AccountabilityRules): { field: string; message: string }[] {
  const out: { field: string; message: string }[] = [];
  if (!wholeAtLeast(p.cases?.redWindowsUncorrected, 0)) out.push({ field: 'cases.redWindowsUncorrected', message: 'must be a whole number ≥ 0 (0 turns the rule off)' });
  if (!wholeAtLeast(p.cases?.poorGradeYears, 0)) out.push({ field: 'cases.poorGradeYears', message: 'must be a whole number ≥ 0 (0 turns the rule off)' });
  if (p.cases?.redWindowsUncorrected === 1) out.push({ field: 'cases.redWindowsUncorrected', message: 'one red window is a deviation to correct, not yet a case: use 2 or more' });
  if (p.cases?.poorGradeYears === 1) out.push({ field: 'cases.poorGradeYears', message: 'one 差 is answered by the results application: use 2 or more' });
  if (typeof p.rectification?.onRedDeviation !== 'boolean') out.push({ field: 'rectification.onRedDeviation', message: 'must be true or false' });
  if (!Array.isArray(p.rectification?.onGrades) || p.rectification.onGrades.some((g) => !GRADES.includes(g))) out.push({ field: 'rectification.onGrades', message: `must list grades among ${GRADES.join(', ')}` });
  if (!wholeAtLeast(p.rectification?.deadlineDays, 1) || p.rectification.deadlineDays > 365) out.push({ field: 'rectification.deadlineDays', message: 'must be 1 to 365 days' });
  if (!wholeAtLeast(p.rectification?.escalateEveryDays, 1) || p.rectification.escalateEveryDays > 90) out.push({ field: 'rectification.escalateEveryDays', message: 'must be 1 to 90 days' });
  const indicators = p.assessment?.indicators;
  if (!Array.isArray(indicators) || indicators.length === 0) {
    out.push({ field: 'assessment.indicators', message: 'must list at least one indicator' });
  } else {
    const seen = new Set<string>();
    indicators.forEach((ind, i) => {
      if (typeof ind.code !== 'string' || !/^[a-z][a-z0-9_]{1,49}$/.test(ind.code)) out.push({ field: `assessment.indicators.${i}.code`, message: 'must be a lower-case code (a-z, 0-9, _)' });
      else if (seen.has(ind.code)) out.push({ field: `assessment.indicators.${i}.code`, message: `${ind.code} is listed twice` });
      seen.add(ind.code);
      if (typeof ind.name !== 'string' || ind.name.trim() === '') out.push({ field: `assessment.indicators.${i}.name`, message: 'must be given' });
      if (typeof ind.weight !== 'number' || !(ind.weight > 0) || ind.weight > 100) out.push({ field: `assessment.indicators.${i}.weight`, message: 'must be more than 0 and at most 100 points' });
      if (ind.source === 'computed' && !(ASSESSMENT_COMPUTED_CODES as readonly string[]).includes(ind.code)) out.push({ field: `assessment.indicators.${i}.source`, message: `only ${ASSESSMENT_COMPUTED_CODES.join(', ')} can be computed; enter ${ind.code} by hand` });
      else if (ind.source !== 'computed' && ind.source !== 'entered') out.push({ field: `assessment.indicators.${i}.source`, message: 'must be computed or entered' });
    });
    const total = indicators.reduce((s, ind) => s + (typeof ind.weight === 'number' ? ind.weight : 0), 0);
    if (Math.abs(total - 100) > 1e-9) out.push({ field: 'assessment.indicators', message: `weights must sum to 100 (they sum to ${total})` });
  }
  const b = p.assessment?.gradeBounds;
  if (!b || !(b.excellent > b.good && b.good > b.fair && b.fair > 0 && b.excellent <= 100)) out.push({ field: 'assessment.gradeBounds', message: 'must satisfy 100 ≥ excellent > good > fair > 0' });
  return out;
}
