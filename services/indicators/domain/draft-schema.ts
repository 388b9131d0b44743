/**
 * What an indicator draft may hold, as a schema: `POST /v1/indicators` accepts exactly this,
 * and so does every row of an import (domain/import-rows.ts). The cross-field rules zod cannot
 * express are `checkContent` (domain/indicator.ts). Pure.
 */
import * as z from 'zod/mini';
import { BasisSchema, IndicatorScopeSchema, Level1Schema, Level2Schema, OperatorSchema, SpendingTypeSchema } from '../../../events/vocabulary.ts';
import { text } from '../../../shared/pure/fields.ts';
import { SCORING_RULES } from './indicator.ts';

export const CodeSchema = z.string().check(z.trim(), z.regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be 1-64 letters, digits, _ . -'));
export const SectorCodeSchema = z.string().check(z.regex(/^[a-z][a-z0-9_]{1,39}$/, 'must be a sector code such as education'));
export const ScoringRuleSchema = z.enum(SCORING_RULES);

/** The content fields: what a revision may change. */
export const indicatorContentShape = {
  name: text(200),
  level1: Level1Schema,
  level2: Level2Schema,
  operator: OperatorSchema,
  unit: z.optional(z.string().check(z.trim(), z.maxLength(20))),
  basis: z.optional(BasisSchema),
  explanation: z.optional(text(2000)),
  dataSource: z.optional(text(500)),
  scoringRule: z.optional(ScoringRuleSchema),
  scope: IndicatorScopeSchema,
  sector: z.optional(SectorCodeSchema),
  spendingTypes: z.array(SpendingTypeSchema).check(z.minLength(1), z.maxLength(3)),
};

export const IndicatorDraftSchema = z.strictObject({ code: z.optional(CodeSchema), ...indicatorContentShape });
export const IndicatorChangesSchema = z.partial(z.strictObject(indicatorContentShape));
