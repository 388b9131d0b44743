/**
 * Assessment (考核) of a budget department or a lower-level finance department for a fiscal year
 * (docs/domain.md sections 1 and 2, last row). The indicator sheet and its weights are part of
 * the year's rules (rules.ts `assessment`). Each computed indicator is a ratio 0..1 from the object summaries
 * (and the rectification and disclosure figures), with the counts it used; score = weight × ratio.
 *
 * Formulas (ratio; basis counts in the explanation; `missing` when the denominator is 0):
 * - target_coverage          = objects with approved targets ÷ objects declared (submitted, approved or rejected)
 * - review_quality           = approved objects never returned for rework ÷ approved objects
 * - monitoring_timeliness    = objects reported with no escalation ÷ objects with reports or escalations
 * - deviation_handling       = deviations corrected ÷ deviations (both counted per object and monitoring window)
 * - self_evaluation_coverage = approved objects with a completed self-evaluation ÷ approved objects
 * - self_evaluation_quality  = 1 − mean |self score − finance review score| ÷ 100, over the
 *                              self-evaluations finance reviewed (复核): how far the unit's own
 *                              scoring stands from finance's, the measure the review exists for
 * - rectification_completion = rectification orders closed ÷ orders issued (on time and overdue counted in the basis)
 * - disclosure               = (targets disclosed + evaluation results disclosed) ÷ (approved objects + evaluated objects)
 *
 * An assessee that is a lower-level region is measured on the summaries of its objects that
 * reached this region (forwarded events); its rectifications and disclosures live in its own
 * system, so those two are always `missing` and entered by finance. `entered` indicators are
 * always entered. A sheet with a missing indicator has no grade and cannot be published.
 */
import type { ObjectSummary } from './object-summary.ts';
import { addCounts, fromMicro, reviewGapMicro, summaryCounts, type SummaryCounts } from './summary-view.ts';
import type { AssessmentSheetIndicator, AccountabilityRules } from './rules.ts';

export type AssesseeType = 'department' | 'region';
export type AssessmentGrade = 'excellent' | 'good' | 'fair' | 'poor';

export interface RectificationStats {
  total: number;
  closed: number;
  closedOnTime: number;
  open: number;
  overdue: number;
}

export interface DisclosureStats {
  approvedObjects?: number;
  targetsDisclosed: number;
  evaluationsDisclosed: number;
}

/**
 * The assessee's objects as the indicators read them: their summed counts (summary-view.ts) and
 * the largest gap between a self-evaluation's score and finance's review of it (10⁻⁶ points).
 */
export interface ObjectFigures {
  counts: Readonly<SummaryCounts>;
  maxReviewGapMicro?: number;
}

/**
 * What the computed indicators are computed from: the objects' summaries (the recomputation) or
 * their figures as the maintained view keeps them. Stats are absent where they do not exist for
 * the assessee.
 */
export type AssessmentFacts = ({ summaries: readonly ObjectSummary[] } | { figures: ObjectFigures }) & {
  rectification?: RectificationStats;
  disclosure?: DisclosureStats;
};

/** The figures of the objects of the facts, whichever form they come in. */
export function figuresOf(facts: AssessmentFacts): ObjectFigures {
  if ('figures' in facts) return facts.figures;
  const gaps = facts.summaries.map(reviewGapMicro).filter((g): g is number => g !== undefined);
  const counts: SummaryCounts = {};
  for (const s of facts.summaries) addCounts(counts, summaryCounts(s));
  return { counts, ...(gaps.length ? { maxReviewGapMicro: Math.max(...gaps) } : {}) };
}

export interface ComputedValue {
  ratio: number;
  explanation: string;
  basis: Record<string, number>;
}

export interface Missing {
  missing: true;
  explanation: string;
  basis: Record<string, number>;
}

/** A value finance entered: a ratio 0..1, or a score 0..weight (kept as given, converted to a ratio). */
export interface Entry {
  ratio: number;
  given: { ratio: number } | { score: number };
  reason: string;
  by: string;
  at: string;
}

export interface IndicatorLine {
  code: string;
  name: string;
  weight: number;
  /** How the sheet gets it: from the events, or always by hand. */
  source: 'computed' | 'entered';
  /** What it is now: computed from data, entered by finance, or missing (finance must enter it). */
  status: 'computed' | 'entered' | 'missing';
  ratio?: number;
  score?: number;
  explanation: string;
  /** Why the value is not computed (entered or missing lines): the part of the explanation before the entry. */
  note?: string;
  basis?: Record<string, number>;
  entry?: Entry;
}

export interface SheetResult {
  indicators: IndicatorLine[];
  /** Sum of the scores present (the final total only when `missing` is empty). */
  total: number;
  missing: string[];
  grade?: AssessmentGrade;
}

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;
const pct = (r: number) => `${round(r * 100, 2)} %`;
const ratioOf = (num: number, den: number, explanation: (r: number) => string, basis: Record<string, number>, none: string): ComputedValue | Missing =>
  den > 0 ? { ratio: round(Math.min(1, Math.max(0, num / den)), 4), explanation: explanation(num / den), basis } : { missing: true, explanation: none, basis };

/** Each computed indicator from the facts; `missing` where the data does not exist. */
export function computeIndicator(code: string, facts: AssessmentFacts): ComputedValue | Missing {
  const { counts, maxReviewGapMicro } = figuresOf(facts);
  const n = (name: string) => counts[name] ?? 0;
  switch (code) {
    case 'target_coverage': {
      const d = n('declared');
      const a = n('approved');
      return ratioOf(a, d, (r) => `${a} of ${d} declared objects have approved targets (${pct(r)})`, { declared: d, approved: a }, 'no object of this assessee was declared this year');
    }
    case 'review_quality': {
      const a = n('approved');
      const clean = n('approvedClean');
      return ratioOf(clean, a, (r) => `${clean} of ${a} approved objects passed review without being returned (${pct(r)})`, { approved: a, approvedWithoutReturn: clean }, 'no object of this assessee has approved targets');
    }
    case 'monitoring_timeliness': {
      const monitored = n('monitored');
      const timely = n('timely');
      const escalated = monitored - timely;
      return ratioOf(timely, monitored, (r) => `${timely} of ${monitored} monitored objects reported without an escalation for a missing report; ${escalated} escalated (${pct(r)})`, { monitored, reportedWithoutEscalation: timely, escalated }, 'no monitoring report or escalation reached this service for this assessee');
    }
    case 'deviation_handling': {
      const deviations = n('deviations');
      const corrected = n('correctedCapped');
      const red = n('redDeviations');
      return ratioOf(corrected, deviations, (r) => `${corrected} of ${deviations} deviations (${red} red) corrected (${pct(r)})`, { deviations, redDeviations: red, corrected }, 'no monitoring deviation this year: nothing to correct');
    }
    case 'self_evaluation_coverage': {
      const a = n('approved');
      const evaluated = n('selfEvaluated');
      return ratioOf(evaluated, a, (r) => `${evaluated} of ${a} approved objects have a completed self-evaluation (${pct(r)})`, { approved: a, selfEvaluated: evaluated }, 'no object of this assessee has approved targets');
    }
    case 'self_evaluation_quality': {
      const reviewed = n('reviewed');
      if (reviewed === 0) return { missing: true, explanation: 'finance reviewed (复核) no self-evaluation of this assessee', basis: { reviewed: 0 } };
      const meanGap = fromMicro(n('reviewGapMicro')) / reviewed;
      const maxGap = fromMicro(maxReviewGapMicro ?? 0);
      const ratio = round(Math.max(0, 1 - meanGap / 100), 4);
      return {
        ratio,
        explanation: `${reviewed} self-evaluations reviewed by finance; mean |self − review| = ${round(meanGap, 2)} points, largest ${round(maxGap, 2)}: 1 − ${round(meanGap, 2)}/100 = ${pct(ratio)}`,
        basis: { reviewed, meanGapPoints: round(meanGap, 2), maxGapPoints: round(maxGap, 2) },
      };
    }
    case 'rectification_completion': {
      const r = facts.rectification;
      if (!r) return { missing: true, explanation: "the assessee's rectification orders are not kept by this service", basis: {} };
      const basis = { total: r.total, closed: r.closed, closedOnTime: r.closedOnTime, open: r.open, overdue: r.overdue };
      return ratioOf(r.closed, r.total, (x) => `${r.closed} of ${r.total} rectification orders closed (${r.closedOnTime} on time; ${r.open} open, ${r.overdue} of them overdue) (${pct(x)})`, basis, 'no rectification order was issued to this assessee this year');
    }
    case 'disclosure': {
      const d = facts.disclosure;
      if (!d) return { missing: true, explanation: "the assessee's disclosures are not kept by this service", basis: {} };
      const approvedObjects = d.approvedObjects ?? n('approved');
      const evaluatedObjects = n('evaluatedAny');
      const targets = Math.min(d.targetsDisclosed, approvedObjects);
      const evaluations = Math.min(d.evaluationsDisclosed, evaluatedObjects);
      const due = approvedObjects + evaluatedObjects;
      return ratioOf(
        targets + evaluations,
        due,
        (r) => `targets disclosed for ${targets} of ${approvedObjects} approved objects, evaluation results for ${evaluations} of ${evaluatedObjects} evaluated objects (${pct(r)})`,
        { approvedObjects, targetsDisclosed: d.targetsDisclosed, evaluatedObjects, evaluationsDisclosed: d.evaluationsDisclosed },
        'nothing of this assessee was due for disclosure (no approved or evaluated object)',
      );
    }
    default:
      return { missing: true, explanation: `${code} is not a computed indicator`, basis: {} };
  }
}

export function gradeOf(total: number, bounds: AccountabilityRules['assessment']['gradeBounds']): AssessmentGrade {
  if (total >= bounds.excellent) return 'excellent';
  if (total >= bounds.good) return 'good';
  if (total >= bounds.fair) return 'fair';
  return 'poor';
}

/**
 * The sheet: each indicator computed where the data exists, else the entry finance made, else
 * missing. Entries are kept whatever happens (an entry for an indicator the data now covers is
 * kept but not used, and says so).
 */
export function computeSheet(
  indicators: readonly AssessmentSheetIndicator[],
  facts: AssessmentFacts,
  entries: Readonly<Record<string, Entry>>,
  bounds: AccountabilityRules['assessment']['gradeBounds'],
): SheetResult {
  const lines: IndicatorLine[] = indicators.map((ind) => {
    const entry = entries[ind.code];
    const head = { code: ind.code, name: ind.name, weight: ind.weight, source: ind.source, ...(entry ? { entry } : {}) };
    const computed = ind.source === 'computed' ? computeIndicator(ind.code, facts) : undefined;
    if (computed && !('missing' in computed)) {
      const note = entry ? ` (finance's entry of ${entry.at} is kept but not used: the data now exists)` : '';
      return { ...head, status: 'computed', ratio: computed.ratio, score: round(ind.weight * computed.ratio, 2), explanation: computed.explanation + note, basis: computed.basis };
    }
    const why = computed ? computed.explanation : 'entered by finance (not computed from events)';
    if (entry) {
      return { ...head, status: 'entered', ratio: entry.ratio, score: round(ind.weight * entry.ratio, 2), explanation: `${why}; entered by ${entry.by}: ${entry.reason}`, note: why, ...(computed ? { basis: computed.basis } : {}) };
    }
    return { ...head, status: 'missing', explanation: `${why}; finance must enter it`, note: why, ...(computed ? { basis: computed.basis } : {}) };
  });
  const missing = lines.filter((l) => l.status === 'missing').map((l) => l.code);
  const total = round(lines.reduce((sum, l) => sum + (l.score ?? 0), 0), 2);
  return { indicators: lines, total, missing, ...(missing.length === 0 ? { grade: gradeOf(total, bounds) } : {}) };
}

/** Which indicators finance may enter now: entered ones always, computed ones only while their data is missing. */
export function entryAllowed(line: Pick<IndicatorLine, 'source' | 'status'>): boolean {
  return line.source === 'entered' || line.status !== 'computed';
}

/** An entry from what finance typed: a ratio 0..1 or a score 0..weight (exactly one). Returns field errors instead when wrong. */
export function makeEntry(
  weight: number,
  input: { ratio?: number; score?: number; reason: string },
  by: string,
  at: string,
  field: string,
): { entry: Entry } | { errors: { field: string; message: string }[] } {
  const hasRatio = input.ratio !== undefined;
  const hasScore = input.score !== undefined;
  if (hasRatio === hasScore) return { errors: [{ field, message: 'give exactly one of ratio (0..1) or score (0..weight)' }] };
  if (hasRatio) {
    const r = input.ratio as number;
    if (!(r >= 0 && r <= 1)) return { errors: [{ field: `${field}.ratio`, message: 'must be between 0 and 1' }] };
    return { entry: { ratio: r, given: { ratio: r }, reason: input.reason, by, at } };
  }
  const s = input.score as number;
  if (!(s >= 0 && s <= weight)) return { errors: [{ field: `${field}.score`, message: `must be between 0 and the indicator's weight ${weight}` }] };
  return { entry: { ratio: round(s / weight, 6), given: { score: s }, reason: input.reason, by, at } };
}

/** Competition ranking ("1224"): equal totals (to the hundredth) share a rank, the next rank skips. */
export function rankByTotal<T extends { total: number }>(items: readonly T[]): (T & { rank: number })[] {
  const sorted = [...items].sort((a, b) => round(b.total, 2) - round(a.total, 2));
  const out: (T & { rank: number })[] = [];
  sorted.forEach((item, i) => {
    const prev = out[i - 1];
    const rank = prev && round(prev.total, 2) === round(item.total, 2) ? prev.rank : i + 1;
    out.push({ ...item, rank });
  });
  return out;
}

/** A lower-level region of `parent`: the province's cities (XX__00), a city's counties (XXYY__). */
export function isLowerLevelRegion(parent: string, code: string): boolean {
  if (code === parent || !/^\d{6}$/.test(code)) return false;
  if (parent.endsWith('0000')) return code.startsWith(parent.slice(0, 2)) && code.endsWith('00');
  if (parent.endsWith('00')) return code.startsWith(parent.slice(0, 4));
  return false;
}

/** One audit line of a sheet: who did what, when. */
export interface AuditLine {
  at: string;
  by: string;
  action: 'created' | 'entered' | 'recomputed' | 'published';
  detail: string;
}

/** An assessment sheet as stored and served. */
export interface Assessment {
  id: string;
  version: number;
  /** The assessing region (this deployment's division). */
  region: string;
  fiscalYear: number;
  assessee: { type: AssesseeType; code: string; name: string };
  status: 'draft' | 'published';
  /** The indicator list and grade bounds, fixed when the sheet was created. */
  sheet: { indicators: AssessmentSheetIndicator[]; gradeBounds: AccountabilityRules['assessment']['gradeBounds']; paramsVersion: number };
  entries: Record<string, Entry>;
  indicators: IndicatorLine[];
  total: number;
  missing: string[];
  grade?: AssessmentGrade;
  computedAt: string;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  publication?: { at: string; by: string; rank: number; rankedAmong: number; eventId: string };
  audit: AuditLine[];
}

export const assessmentId = (year: number, type: AssesseeType, code: string) => `asm_${year}_${type}_${code}`;

/** The sheet recomputed from the facts, keeping the entries. */
export function withSheet(a: Assessment, facts: AssessmentFacts, at: string): Assessment {
  const result = computeSheet(a.sheet.indicators, facts, a.entries, a.sheet.gradeBounds);
  const { grade: _old, ...rest } = a;
  return { ...rest, indicators: result.indicators, total: result.total, missing: result.missing, ...(result.grade ? { grade: result.grade } : {}), computedAt: at };
}

/**
 * The sheet with new entries applied to the values it already has (no refresh of computed
 * values: finance sees exactly what changed). Computed lines stay computed.
 */
export function withEntries(a: Assessment, entries: Record<string, Entry>): Assessment {
  const merged = { ...a.entries, ...entries };
  const lines: IndicatorLine[] = a.indicators.map((line) => {
    const entry = merged[line.code];
    if (line.status === 'computed' || !entry) return entry ? { ...line, entry } : line;
    const why = line.note ?? 'entered by finance';
    return { ...line, status: 'entered', entry, ratio: entry.ratio, score: round(line.weight * entry.ratio, 2), explanation: `${why}; entered by ${entry.by}: ${entry.reason}` };
  });
  const missing = lines.filter((l) => l.status === 'missing').map((l) => l.code);
  const total = round(lines.reduce((sum, l) => sum + (l.score ?? 0), 0), 2);
  const { grade: _old, ...rest } = a;
  return { ...rest, entries: merged, indicators: lines, total, missing, ...(missing.length === 0 ? { grade: gradeOf(total, a.sheet.gradeBounds) } : {}) };
}
