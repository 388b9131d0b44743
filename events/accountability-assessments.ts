/**
 * Assessments (考核) of the accountability service: finance's yearly scoring of the same-level
 * budget departments and the lower-level finance departments. `AssessmentPublished` carries the
 * whole frozen sheet (each indicator with how it was obtained), the total, the grade and the
 * rank at publication; `meta.subject` is the assessment itself (type `assessment`).
 */
import * as z from 'zod/mini';
import { eventDetail, RegionCodeSchema } from './envelope.ts';

export const AssesseeSchema = z.object({
  type: z.enum(['department', 'region']),
  /** Department code, or the lower-level region's division code. */
  code: z.string(),
  name: z.string(),
});

export const AssessmentGradeSchema = z.enum(['excellent', 'good', 'fair', 'poor']);

export const PublishedIndicatorSchema = z.object({
  code: z.string(),
  name: z.string(),
  weight: z.number(),
  /** computed from the events, or entered by finance (with the reason). */
  status: z.enum(['computed', 'entered']),
  /** 0..1 */
  ratio: z.number(),
  /** weight × ratio */
  score: z.number(),
  explanation: z.string(),
  basis: z.optional(z.record(z.string(), z.number())),
  enteredBy: z.optional(z.string()),
  reason: z.optional(z.string()),
});

export const AssessmentPublishedData = z.object({
  assessmentId: z.string(),
  fiscalYear: z.number().check(z.int()),
  /** The assessing region (finance of this division). */
  region: RegionCodeSchema,
  assessee: AssesseeSchema,
  indicators: z.array(PublishedIndicatorSchema).check(z.minLength(1)),
  total: z.number(),
  grade: AssessmentGradeSchema,
  /** Rank among the published assessments of the same year and assessee type at publication (ties share a rank). */
  rank: z.number().check(z.int(), z.positive()),
  rankedAmong: z.number().check(z.int(), z.positive()),
  /** The parameter version the sheet's indicators and grade bounds came from (0: the defaults). */
  paramsVersion: z.number().check(z.int(), z.nonnegative()),
  publishedAt: z.iso.datetime({ offset: true }),
  publishedBy: z.string(),
});
export const AssessmentPublishedDetail = eventDetail(AssessmentPublishedData);
export type AssessmentPublished = z.infer<typeof AssessmentPublishedDetail>;
