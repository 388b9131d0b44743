/**
 * The shared vocabulary of the "3+X" indicator system (docs/domain.md section 3): codes every
 * service and every event use. Chinese labels are served by the indicators service.
 */
import * as z from 'zod/mini';

export const LEVEL1 = ['output', 'cost', 'benefit', 'satisfaction'] as const;
export const LEVEL2 = [
  'quantity',
  'quality',
  'timeliness',
  'economic_cost',
  'social_cost',
  'ecological_cost',
  'economic_benefit',
  'social_benefit',
  'ecological_benefit',
  'sustainability',
  'service_satisfaction',
] as const;
export const OPERATORS = ['gte', 'lte', 'eq', 'qualitative'] as const;
export const BASES = ['plan', 'industry', 'history', 'other'] as const;
export const SPENDING_TYPES = ['project', 'department_overall', 'transfer_payment'] as const;
export const INDICATOR_SCOPES = ['common', 'individual'] as const;

export const Level1Schema = z.enum(LEVEL1);
export const Level2Schema = z.enum(LEVEL2);
export const OperatorSchema = z.enum(OPERATORS);
export const BasisSchema = z.enum(BASES);
export const SpendingTypeSchema = z.enum(SPENDING_TYPES);
export const IndicatorScopeSchema = z.enum(INDICATOR_SCOPES);

export type Level1 = z.infer<typeof Level1Schema>;
export type Level2 = z.infer<typeof Level2Schema>;
export type Operator = z.infer<typeof OperatorSchema>;
export type Basis = z.infer<typeof BasisSchema>;
export type SpendingType = z.infer<typeof SpendingTypeSchema>;
export type IndicatorScope = z.infer<typeof IndicatorScopeSchema>;

/** Which level-2 codes belong under which level-1 code. */
export const LEVEL2_BY_LEVEL1: Record<Level1, readonly Level2[]> = {
  output: ['quantity', 'quality', 'timeliness'],
  cost: ['economic_cost', 'social_cost', 'ecological_cost'],
  benefit: ['economic_benefit', 'social_benefit', 'ecological_benefit', 'sustainability'],
  satisfaction: ['service_satisfaction'],
};

/** How a row using an indicator is scored by default (docs/domain.md section 4); library and evaluation share it. */
export const SCORING_RULES = ['proportional', 'inverse_ratio', 'linear_to_double', 'exact_or_proportional', 'qualitative_bands'] as const;
export type ScoringRule = (typeof SCORING_RULES)[number];

/** The rules that make sense for each operator; the first is the default. */
export const SCORING_RULES_BY_OPERATOR: Record<Operator, readonly ScoringRule[]> = {
  gte: ['proportional'],
  lte: ['inverse_ratio', 'linear_to_double'],
  eq: ['exact_or_proportional'],
  qualitative: ['qualitative_bands'],
};
