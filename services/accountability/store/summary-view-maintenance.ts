/**
 * Maintenance of the summaries view (summary-view.ts): every region's view of a year, checked
 * against and rebuilt from the summaries' index. O(objects): the maintenance routes only.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../../../shared/clients/dynamodb.ts';
import type { Contribution } from '../../../shared/pure/view-delta.ts';
import { rebuildView, verifyView } from '../../../shared/views/counted-view.ts';
import { SUMMARY_LISTS, summaryContribution } from '../domain/summary-view.ts';
import { allObjectSummaries } from './summaries.ts';
import { regionsKey, summaryViewKey, table } from './summary-view.ts';

/** The regions with a summaries view of the year, the deployment's own first. */
export async function viewRegions(ownRegion: string, year: number): Promise<string[]> {
  const { Item } = await documentClient().send(new GetCommand({ TableName: table(), Key: regionsKey(year), ConsistentRead: true }));
  const others = [...((Item?.regions as Set<string> | undefined) ?? [])].filter((r) => r !== ownRegion).sort();
  return [ownRegion, ...others];
}

/** Every object's contribution computed from the summaries: what the view must hold (rebuild-views). */
export async function summaryViewFromSources(region: string, year: number): Promise<Map<string, Contribution>> {
  const summaries = await allObjectSummaries(region, year);
  return new Map(summaries.map((s) => [s.objectId, summaryContribution(s)]));
}

export const verifySummaryView = async (region: string, year: number) => verifyView(summaryViewKey(region, year), await summaryViewFromSources(region, year), SUMMARY_LISTS);
export const rebuildSummaryView = async (region: string, year: number) => rebuildView(summaryViewKey(region, year), await summaryViewFromSources(region, year), SUMMARY_LISTS);
