/**
 * Public disclosure (信息公开) by the accountability service: finance marks an object's approved
 * targets, its self-evaluation result, its key evaluation or a published assessment public, and
 * may withdraw it again (the public view drops it at once; the record stays for audit).
 * The events carry what was disclosed, never the projection's content nor anyone's comments.
 */
import * as z from 'zod/mini';
import { eventDetail, RegionCodeSchema } from './envelope.ts';

export const DisclosureKindSchema = z.enum(['targets', 'self_evaluation', 'key_evaluation', 'assessment']);
export type DisclosureKind = z.infer<typeof DisclosureKindSchema>;

const DisclosureRefSchema = z.object({
  disclosureId: z.string().check(z.regex(/^dsc_[a-z0-9]{10,40}$/)),
  kind: DisclosureKindSchema,
  /** The object id (targets, evaluations) or the assessment id. */
  sourceId: z.string(),
  region: RegionCodeSchema,
  fiscalYear: z.number().check(z.int()),
  department: z.string(),
  /** The object's or the assessee's name, as disclosed. */
  title: z.string(),
});

export const DisclosurePublishedData = z.object({
  ...DisclosureRefSchema.shape,
  publishedAt: z.iso.datetime({ offset: true }),
});
export const DisclosurePublishedDetail = eventDetail(DisclosurePublishedData);
export type DisclosurePublished = z.infer<typeof DisclosurePublishedDetail>;

export const DisclosureWithdrawnData = z.object({
  ...DisclosureRefSchema.shape,
  reason: z.string(),
  publishedAt: z.iso.datetime({ offset: true }),
  withdrawnAt: z.iso.datetime({ offset: true }),
});
export const DisclosureWithdrawnDetail = eventDetail(DisclosureWithdrawnData);
export type DisclosureWithdrawn = z.infer<typeof DisclosureWithdrawnDetail>;
