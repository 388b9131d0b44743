/**
 * The indicator and its lifecycle rules (DOMAIN.md section 3). Pure: no AWS, no clock, no
 * random ids; the caller passes them in.
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

export interface IndicatorDraftInput {
  name: string;
  level1: Level1;
  level2: Level2;
  operator: Operator;
  unit?: string;
  basis?: Basis;
  explanation?: string;
  dataSource?: string;
  sector?: string;
  scope: IndicatorScope;
  spendingTypes: SpendingType[];
}

export interface Indicator extends IndicatorDraftInput {
  id: string;
  /** Optimistic-lock counter: bumped by every change. */
  version: number;
  status: IndicatorStatus;
  region: string;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  publishedAt?: string;
  publishedBy?: string;
}

export interface RuleViolation {
  field: string;
  message: string;
}

/** Cross-field rules zod cannot express on its own. */
export function checkDraft(input: IndicatorDraftInput): RuleViolation[] {
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
  return violations;
}

export function newIndicator(input: IndicatorDraftInput, id: string, actor: Actor, now: Date): Indicator {
  const at = now.toISOString();
  return {
    ...input,
    ...(input.unit !== undefined ? { unit: input.unit.trim() } : {}),
    id,
    version: 1,
    status: 'draft',
    region: actor.region,
    createdAt: at,
    createdBy: actor.sub,
    updatedAt: at,
  };
}

export class TransitionError extends Error {}

export function publish(indicator: Indicator, actor: Actor, now: Date): Indicator {
  if (indicator.status !== 'draft') {
    throw new TransitionError(`only a draft can be published; this indicator is ${indicator.status}`);
  }
  const at = now.toISOString();
  return { ...indicator, status: 'published', version: indicator.version + 1, updatedAt: at, publishedAt: at, publishedBy: actor.sub };
}
