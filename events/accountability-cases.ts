/**
 * Accountability cases (问责) and rectification orders (整改) of the accountability service.
 * Each event carries the spending object it is about (`object`, with its department and unit,
 * so alerts can filter by them) when there is one; `meta.subject` is then that object, otherwise
 * the case or the order itself (subject types `accountability_case`, `rectification`).
 */
import * as z from 'zod/mini';
import { eventDetail, RegionCodeSchema } from './envelope.ts';
import { SpendingTypeSchema } from './vocabulary.ts';

const timestamp = z.iso.datetime({ offset: true });
const date = z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/));

export const AccountabilityObjectSchema = z.object({
  id: z.string(),
  type: SpendingTypeSchema,
  name: z.string(),
  fiscalYear: z.number().check(z.int()),
  region: RegionCodeSchema,
  department: z.string(),
  unit: z.string(),
  continues: z.optional(z.string()),
});

export const CaseRuleSchema = z.enum(['poor_grade_years', 'red_windows_uncorrected', 'manual']);
export const CaseOutcomeSchema = z.enum(['no_action', 'admonition', 'criticism', 'fund_recovery', 'budget_cut', 'referral']);

/** What the rule saw: the years graded 差 (newest first) or the red windows (oldest first). */
export const CaseBasisSchema = z.object({
  years: z.optional(z.array(z.object({ objectId: z.string(), fiscalYear: z.number(), grade: z.string() }))),
  windows: z.optional(z.array(z.object({ windowId: z.string(), label: z.string(), throughMonth: z.number() }))),
  paramsVersion: z.optional(z.number()),
  eventId: z.optional(z.string()),
});

export const AccountabilityCaseOpenedData = z.object({
  caseId: z.string(),
  rule: CaseRuleSchema,
  fiscalYear: z.number().check(z.int()),
  /** The object's name or the free subject given by hand. */
  subject: z.string(),
  object: z.optional(AccountabilityObjectSchema),
  /** The department concerned (the object's, or named by hand). */
  department: z.optional(z.string()),
  reason: z.string(),
  basis: z.optional(CaseBasisSchema),
  openedAt: timestamp,
  openedBy: z.string(),
});
export const AccountabilityCaseOpenedDetail = eventDetail(AccountabilityCaseOpenedData);
export type AccountabilityCaseOpened = z.infer<typeof AccountabilityCaseOpenedDetail>;

export const AccountabilityCaseDecidedData = z.object({
  caseId: z.string(),
  rule: CaseRuleSchema,
  fiscalYear: z.number().check(z.int()),
  subject: z.string(),
  object: z.optional(AccountabilityObjectSchema),
  department: z.optional(z.string()),
  outcome: CaseOutcomeSchema,
  reasons: z.array(z.string()).check(z.minLength(1)),
  amountWan: z.optional(z.number()),
  referredTo: z.optional(z.string()),
  decidedAt: timestamp,
  decidedBy: z.string(),
});
export const AccountabilityCaseDecidedDetail = eventDetail(AccountabilityCaseDecidedData);
export type AccountabilityCaseDecided = z.infer<typeof AccountabilityCaseDecidedDetail>;

export const RectificationSourceSchema = z.object({
  kind: z.enum(['deviation', 'evaluation', 'audit', 'manual']),
  reference: z.string(),
  eventId: z.optional(z.string()),
});
export const RectificationOwnerSchema = z.object({ department: z.string(), unit: z.optional(z.string()) });

const orderRef = {
  orderId: z.string(),
  fiscalYear: z.number().check(z.int()),
  source: RectificationSourceSchema,
  object: z.optional(AccountabilityObjectSchema),
  owner: RectificationOwnerSchema,
  issue: z.string(),
  /** YYYY-MM-DD, China Standard Time. */
  deadline: date,
};

export const RectificationOrderedData = z.object({ ...orderRef, orderedAt: timestamp, orderedBy: z.string() });
export const RectificationOrderedDetail = eventDetail(RectificationOrderedData);
export type RectificationOrdered = z.infer<typeof RectificationOrderedDetail>;

export const RectificationOverdueData = z.object({
  ...orderRef,
  /** 1 at the first escalation, +1 each time after. */
  level: z.number().check(z.int(), z.positive()),
  daysOverdue: z.number().check(z.int()),
  recipients: z.array(z.object({ role: z.enum(['department', 'unit', 'finance']), department: z.optional(z.string()), unit: z.optional(z.string()) })).check(z.minLength(1)),
  escalatedAt: timestamp,
});
export const RectificationOverdueDetail = eventDetail(RectificationOverdueData);
export type RectificationOverdue = z.infer<typeof RectificationOverdueDetail>;

export const RectificationClosedData = z.object({
  ...orderRef,
  /** The accepted evidence came in by the deadline. */
  onTime: z.boolean(),
  escalationLevel: z.number().check(z.int(), z.nonnegative()),
  closedAt: timestamp,
  closedBy: z.string(),
});
export const RectificationClosedDetail = eventDetail(RectificationClosedData);
export type RectificationClosed = z.infer<typeof RectificationClosedDetail>;
