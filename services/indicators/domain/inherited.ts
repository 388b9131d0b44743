/**
 * Copies of an ancestor region's library entries, kept read-only in this region (`inherited`):
 * built from the entry as its owner published it (event-carried state). Pure.
 */
import type { IndicatorPublished } from '../../../events/indicators.ts';
import type { Indicator, IndicatorRevision } from './indicator.ts';

export type PublishedIndicator = IndicatorPublished['data']['indicator'];

/** This region's copy of a published indicator; `existing` is the copy already held, if any. */
export function inheritedIndicator(data: PublishedIndicator, status: Indicator['status'], existing?: Indicator): Indicator {
  const { version: _ownerVersion, publishedAt, ...content } = data;
  return {
    ...content,
    scoringRule: content.scoringRule as Indicator['scoringRule'],
    unit: content.unit || undefined,
    version: (existing?.version ?? 0) + 1,
    status,
    inherited: true,
    createdAt: existing?.createdAt ?? publishedAt,
    createdBy: existing?.createdBy ?? `region:${data.region}`,
    updatedAt: publishedAt,
    publishedAt: existing?.publishedAt ?? publishedAt,
    ...(data.revision > 1 ? { revisedAt: publishedAt } : {}),
  };
}

/** The revision record of a published indicator, as its owner published it. */
export function inheritedRevision(data: PublishedIndicator, reason?: string): IndicatorRevision {
  const { version: _v, publishedAt, ...content } = data;
  return {
    ...content,
    scoringRule: content.scoringRule as IndicatorRevision['scoringRule'],
    publishedAt,
    publishedBy: `region:${data.region}`,
    ...(reason ? { reason } : {}),
  };
}
