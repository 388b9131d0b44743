/**
 * The summaries view's items (shared/views/counted-view.ts) in the accountability table,
 * partitions VIEW#summaries#<region>#<year>[#C | #L#key-reports#<department> |
 * #L#review-gaps#<department>]: per department the summed counts of its objects' summaries
 * (domain/summary-view.ts), its key report lines and review gaps, and each object's
 * contribution. `<region>` is the summary's own region, as in the summaries' index (objects of a
 * lower-level region whose events are forwarded here file under that region's code).
 *
 * Refreshed from the object's current summary item by the ledger after every event it folds
 * (jobs/summaries.ts), also when the fold changed nothing (a redelivery after a crash between
 * the fold and the refresh repairs the view); rebuilt and verified from the summaries' index by
 * `npm run rebuild-views`. The People's Congress report and the assessments read it.
 *
 * | item                         | pk                        | sk       | attributes        |
 * |------------------------------|---------------------------|----------|-------------------|
 * | regions with a summaries view | VIEWREGIONS#summaries#<year> | REGIONS | regions (string set) |
 *
 * The regions item lets the maintenance routes find every region's view of a year (the
 * region's own and each lower-level region's whose objects reached it) without a scan.
 */
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../../../shared/clients/dynamodb.ts';
import { ENV_KEYS, requireEnv } from '../../../shared/env.ts';
import type { Contribution, GroupLine } from '../../../shared/pure/view-delta.ts';
import { readGroupLines, readGroups, rebuildView, refreshContribution, verifyView, type ViewKey } from '../../../shared/views/counted-view.ts';
import type { KeyReportLine } from '../domain/key-report-lines.ts';
import { addCounts, gapOfLine, KEY_REPORTS_LIST, keyReportOfLine, REVIEW_GAPS_LIST, SUMMARY_LISTS, SUMMARY_VIEW, summaryContribution, type SummaryCounts } from '../domain/summary-view.ts';
import { allObjectSummaries, getStoredSummary } from './summaries.ts';

const table = () => requireEnv(ENV_KEYS.tableName);
const key = (region: string, year: number): ViewKey => ({ table: table(), view: SUMMARY_VIEW, region, year });
const regionsKey = (year: number) => ({ pk: `VIEWREGIONS#${SUMMARY_VIEW}#${year}`, sk: 'REGIONS' });

/** Recomputes one object's place in the view from its summary. Nothing to do for an object without one. */
export async function refreshSummaryView(objectId: string): Promise<boolean> {
  const stored = await getStoredSummary(objectId);
  if (!stored) return false;
  const { region, fiscalYear } = stored.summary;
  await documentClient().send(new UpdateCommand({ TableName: table(), Key: regionsKey(fiscalYear), UpdateExpression: 'ADD regions :r', ExpressionAttributeValues: { ':r': new Set([region]) } }));
  return refreshContribution(key(region, fiscalYear), objectId, summaryContribution(stored.summary));
}

/** The regions with a summaries view of the year, the deployment's own first. */
export async function viewRegions(ownRegion: string, year: number): Promise<string[]> {
  const { Item } = await documentClient().send(new GetCommand({ TableName: table(), Key: regionsKey(year), ConsistentRead: true }));
  const others = [...((Item?.regions as Set<string> | undefined) ?? [])].filter((r) => r !== ownRegion).sort();
  return [ownRegion, ...others];
}

/** Per department, the summed counts of its objects (one department when given). O(departments) items. */
export const departmentCounts = (region: string, year: number, department?: string): Promise<Map<string, SummaryCounts>> => readGroups(key(region, year), department);

/** Every line of a department's list, page by page (lists hold one line per key report or reviewed self-evaluation). */
async function allGroupLines(region: string, year: number, list: string, department: string): Promise<GroupLine[]> {
  const out: GroupLine[] = [];
  let cursor: string | undefined;
  do {
    const page = await readGroupLines(key(region, year), list, department, 200, cursor);
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

/** The key evaluation reports of the departments given (their order is the report's to set). */
export async function keyReports(region: string, year: number, departments: Iterable<string>): Promise<KeyReportLine[]> {
  const lists = await Promise.all([...departments].map((d) => allGroupLines(region, year, KEY_REPORTS_LIST, d)));
  return lists.flat().map(keyReportOfLine);
}

/** The largest review gap among the departments given: the first line of each one's list. */
export async function maxReviewGapMicro(region: string, year: number, departments: Iterable<string>): Promise<number | undefined> {
  const firsts = await Promise.all([...departments].map((d) => readGroupLines(key(region, year), REVIEW_GAPS_LIST, d, 1)));
  const gaps = firsts.flatMap((p) => p.items.map(gapOfLine));
  return gaps.length ? Math.max(...gaps) : undefined;
}

/** The figures of one department, or of every department of the region together: what an assessment reads. */
export async function objectFigures(region: string, year: number, department?: string): Promise<{ counts: SummaryCounts; maxReviewGapMicro?: number }> {
  const groups = await departmentCounts(region, year, department);
  const counts: SummaryCounts = {};
  for (const c of groups.values()) addCounts(counts, c);
  const maxGap = counts.reviewed ? await maxReviewGapMicro(region, year, groups.keys()) : undefined;
  return { counts, ...(maxGap !== undefined ? { maxReviewGapMicro: maxGap } : {}) };
}

/** Every object's contribution computed from the summaries: what the view must hold (rebuild-views). */
export async function summaryViewFromSources(region: string, year: number): Promise<Map<string, Contribution>> {
  const summaries = await allObjectSummaries(region, year);
  return new Map(summaries.map((s) => [s.objectId, summaryContribution(s)]));
}

export const verifySummaryView = async (region: string, year: number) => verifyView(key(region, year), await summaryViewFromSources(region, year), SUMMARY_LISTS);
export const rebuildSummaryView = async (region: string, year: number) => rebuildView(key(region, year), await summaryViewFromSources(region, year), SUMMARY_LISTS);
