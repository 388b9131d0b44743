/**
 * The library indicator and its lifecycle (docs/domain.md section 3). Pure: no AWS, no clock, no
 * random ids; the caller passes them in.
 *
 * draft ──publish──▶ published ──revise──▶ published (revision + 1) ──retire──▶ retired
 *   ▲ edit                          (every revision stays readable)
 *
 * Two counters: `revision` numbers the published content ("dynamic adjustment" creates a new
 * revision, with who, when and why); `version` is the optimistic-lock counter bumped by every
 * change (it is what ETags carry).
 */
import type { Actor } from '../../../events/envelope.ts';
import {
  LEVEL2_BY_LEVEL1,
  type Basis,
  type IndicatorScope,
  type Level1,
  type Level2,
  type Operator,
  type SpendingType,
} from '../../../events/vocabulary.ts';

export type IndicatorStatus = 'draft' | 'published' | 'retired';

// The scoring-rule vocabulary is shared with the evaluation service (events/vocabulary.ts).
export { SCORING_RULES, type ScoringRule } from '../../../events/vocabulary.ts';
import { SCORING_RULES_BY_OPERATOR, type ScoringRule } from '../../../events/vocabulary.ts';

/** What a finance user writes; everything else is derived or tracked. */
export interface IndicatorContent {
  name: string;
  level1: Level1;
  level2: Level2;
  operator: Operator;
  unit?: string;
  basis?: Basis;
  explanation?: string;
  dataSource?: string;
  scoringRule?: ScoringRule;
  scope: IndicatorScope;
  /** Sector code from the sector list (data, not code), e.g. `education`. */
  sector?: string;
  /** The sector's label when the indicator was written, carried along to lower regions. */
  sectorLabel?: string;
  spendingTypes: SpendingType[];
}

export interface IndicatorDraftInput extends IndicatorContent {
  /** Optional stable code, unique in the owning region (seed and import use it to stay idempotent). */
  code?: string;
}

/**
 * What every library record (indicator, template) tracks about its lifecycle: identity, the
 * two counters, owner, and who did what when.
 */
export interface LibraryRecord {
  id: string;
  /** Optimistic-lock counter: bumped by every change. */
  version: number;
  /** Published content revision (1 once first published; 0 while a draft). */
  revision: number;
  status: IndicatorStatus;
  /** Owning region: the division whose finance department maintains it. */
  region: string;
  /** True for a copy received from an ancestor region's library (read-only here). */
  inherited?: boolean;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  publishedAt?: string;
  publishedBy?: string;
  revisionReason?: string;
  retiredAt?: string;
  retiredBy?: string;
  retirementReason?: string;
}

export interface Indicator extends IndicatorDraftInput, LibraryRecord {
  revisedAt?: string;
  revisedBy?: string;
}

/** A published revision as kept forever (`GET /v1/indicators/{id}/revisions/{n}`). */
export interface IndicatorRevision extends IndicatorContent {
  id: string;
  revision: number;
  code?: string;
  region: string;
  publishedAt: string;
  publishedBy: string;
  reason?: string;
}

export interface RuleViolation {
  field: string;
  message: string;
}

export class TransitionError extends Error {}

/** Cross-field rules zod cannot express on its own. */
export function checkContent(input: IndicatorContent): RuleViolation[] {
  const violations: RuleViolation[] = [];
  if (!LEVEL2_BY_LEVEL1[input.level1].includes(input.level2)) {
    violations.push({
      field: 'level2',
      message: `${input.level2} is not a level-2 category of ${input.level1}; use one of ${LEVEL2_BY_LEVEL1[input.level1].join(', ')}`,
    });
  }
  if (input.operator !== 'qualitative' && !input.unit?.trim()) {
    violations.push({ field: 'unit', message: 'a quantitative indicator needs a unit (个, 人次, %, 万元, 天 ...)' });
  }
  if (new Set(input.spendingTypes).size !== input.spendingTypes.length) {
    violations.push({ field: 'spendingTypes', message: 'lists a spending type twice' });
  }
  if (input.scoringRule && !SCORING_RULES_BY_OPERATOR[input.operator].includes(input.scoringRule)) {
    violations.push({
      field: 'scoringRule',
      message: `${input.scoringRule} does not fit operator ${input.operator}; use ${SCORING_RULES_BY_OPERATOR[input.operator].join(' or ')}`,
    });
  }
  if (input.scope === 'individual' && !input.sector) {
    violations.push({ field: 'sector', message: 'an individual (个性) indicator belongs to a sector' });
  }
  return violations;
}

function normalised<T extends IndicatorContent>(input: T): T {
  return {
    ...input,
    ...(input.unit !== undefined ? { unit: input.unit.trim() } : {}),
    scoringRule: input.scoringRule ?? SCORING_RULES_BY_OPERATOR[input.operator][0],
  };
}

export function newIndicator(input: IndicatorDraftInput, id: string, actor: Actor, now: Date): Indicator {
  const at = now.toISOString();
  return {
    ...normalised(input),
    id,
    version: 1,
    revision: 0,
    status: 'draft',
    region: actor.region,
    createdAt: at,
    createdBy: actor.sub,
    updatedAt: at,
  };
}

function requireOwned(indicator: Indicator, action: string): void {
  if (indicator.inherited) {
    throw new TransitionError(`this indicator belongs to region ${indicator.region}'s library; only its finance department can ${action} it`);
  }
}

/** Changes a draft's content (drafts are the only mutable state). */
export function editDraft(indicator: Indicator, changes: Partial<IndicatorDraftInput>, now: Date): Indicator {
  requireOwned(indicator, 'edit');
  if (indicator.status !== 'draft') throw new TransitionError(`only a draft can be edited; this indicator is ${indicator.status} (publish a revision instead)`);
  const next = normalised({ ...indicator, ...changes, ...(changes.operator && !changes.scoringRule ? { scoringRule: undefined } : {}) });
  return { ...next, version: indicator.version + 1, updatedAt: now.toISOString() };
}

export function publish(indicator: Indicator, actor: Actor, now: Date): Indicator {
  requireOwned(indicator, 'publish');
  if (indicator.status !== 'draft') throw new TransitionError(`only a draft can be published; this indicator is ${indicator.status}`);
  const at = now.toISOString();
  return { ...indicator, status: 'published', revision: 1, version: indicator.version + 1, updatedAt: at, publishedAt: at, publishedBy: actor.sub };
}

/** A published indicator changes only by a new revision, with who, when and why. */
export function revise(indicator: Indicator, changes: Partial<IndicatorContent>, reason: string, actor: Actor, now: Date): Indicator {
  requireOwned(indicator, 'revise');
  if (indicator.status !== 'published') throw new TransitionError(`only a published indicator can be revised; this one is ${indicator.status}`);
  const at = now.toISOString();
  const next = normalised({ ...indicator, ...changes, ...(changes.operator && !changes.scoringRule ? { scoringRule: undefined } : {}) });
  return {
    ...next,
    revision: indicator.revision + 1,
    version: indicator.version + 1,
    updatedAt: at,
    revisedAt: at,
    revisedBy: actor.sub,
    revisionReason: reason,
  };
}

export function retire(indicator: Indicator, reason: string, actor: Actor, now: Date): Indicator {
  requireOwned(indicator, 'retire');
  if (indicator.status !== 'published') throw new TransitionError(`only a published indicator can be retired; this one is ${indicator.status}`);
  const at = now.toISOString();
  return { ...indicator, status: 'retired', version: indicator.version + 1, updatedAt: at, retiredAt: at, retiredBy: actor.sub, retirementReason: reason };
}

/** The revision record kept for a published or revised indicator. */
export function revisionOf(indicator: Indicator): IndicatorRevision {
  const { name, level1, level2, operator, unit, basis, explanation, dataSource, scoringRule, scope, sector, spendingTypes } = indicator;
  return {
    id: indicator.id,
    revision: indicator.revision,
    ...(indicator.code ? { code: indicator.code } : {}),
    region: indicator.region,
    name,
    level1,
    level2,
    operator,
    ...(unit !== undefined ? { unit } : {}),
    ...(basis ? { basis } : {}),
    ...(explanation ? { explanation } : {}),
    ...(dataSource ? { dataSource } : {}),
    ...(scoringRule ? { scoringRule } : {}),
    scope,
    ...(sector ? { sector } : {}),
    spendingTypes,
    publishedAt: (indicator.revision > 1 ? indicator.revisedAt : indicator.publishedAt) as string,
    publishedBy: (indicator.revision > 1 ? indicator.revisedBy : indicator.publishedBy) as string,
    ...(indicator.revisionReason && indicator.revision > 1 ? { reason: indicator.revisionReason } : {}),
  };
}

/**
 * What a reader may see: finance and supervisors see drafts of their own region too;
 * units and departments see only what has been published (or retired, for history).
 */
export function visibleTo(indicator: Indicator, actor: Actor): boolean {
  if (indicator.status === 'draft') return (actor.role === 'finance' || actor.role === 'supervisor') && indicator.region === actor.region;
  return true;
}
