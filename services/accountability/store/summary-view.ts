/**
 * The summaries view's items (shared/views/counted-view.ts) in the accountability table,
 * partitions VIEW#summaries#<region>#<year>[#C | #L#key-reports#<department> |
 * #L#review-gaps#<department>]: per department the summed counts of its objects' summaries
 * (domain/summary-view.ts), its key report lines and review gaps, and each object's
 * contribution. `<region>` is the summary's own region, as in the summaries' index (objects of a
 * lower-level region whose events are forwarded here file under that region's code).
 *
 * Changed in the same transaction as the summary it comes from (store/summaries.ts `putSummary`),
 * so it never lags the summaries and a redelivered event, which changes no summary, changes no
 * view either; rebuilt and verified from the summaries' index by `npm run rebuild-views` (after
 * a deployment that adds it, to take in the summaries written before). The People's Congress
 * report and the assessments read it.
 *
 * | item                         | pk                        | sk       | attributes        |
 * |------------------------------|---------------------------|----------|-------------------|
 * | regions with a summaries view | VIEWREGIONS#summaries#<year> | REGIONS | regions (string set) |
 *
 * The regions item lets the maintenance routes find every region's view of a year (the
 * region's own and each lower-level region's whose objects reached it) without a scan.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../../../shared/clients/dynamodb.ts';
import { ENV_KEYS, requireEnv } from '../../../shared/env.ts';
import type { GroupLine } from '../../../shared/pure/view-delta.ts';
import type { TransactItem } from '../../../shared/outbox.ts';
import { contributionWrites, readGroupLines, readGroups, type ViewKey } from '../../../shared/views/counted-view.ts';
import type { ObjectSummary } from '../domain/object-summary.ts';
import type { KeyReportLine } from '../domain/key-report-lines.ts';
import { addCounts, gapOfLine, KEY_REPORTS_LIST, keyReportOfLine, REVIEW_GAPS_LIST, SUMMARY_VIEW, summaryContribution, type SummaryCounts } from '../domain/summary-view.ts';

export const table = () => requireEnv(ENV_KEYS.tableName);
export const summaryViewKey = (region: string, year: number): ViewKey => ({ table: table(), view: SUMMARY_VIEW, region, year });
export const regionsKey = (year: number) => ({ pk: `VIEWREGIONS#${SUMMARY_VIEW}#${year}`, sk: 'REGIONS' });

/**
 * The writes that move the view to the summary, for the transaction that writes the summary
 * (store/summaries.ts `putSummary`). An object's first contribution also records its region
 * among the year's view regions (an idempotent ADD, before the transaction: a region recorded for
 * a write that then fails only costs the maintenance routes an empty check).
 */
export async function summaryViewWrites(summary: ObjectSummary): Promise<TransactItem[]> {
  const { writes, isNew } = await contributionWrites(summaryViewKey(summary.region, summary.fiscalYear), summary.objectId, summaryContribution(summary));
  if (isNew) await documentClient().send(new UpdateCommand({ TableName: table(), Key: regionsKey(summary.fiscalYear), UpdateExpression: 'ADD regions :r', ExpressionAttributeValues: { ':r': new Set([summary.region]) } }));
  return writes;
}

/** Per department, the summed counts of its objects (one department when given). O(departments) items. */
export async function departmentCounts(region: string, year: number, department?: string): Promise<Map<string, SummaryCounts>> {
  const groups = await readGroups(summaryViewKey(region, year), department);
  // A department whose last object moved to another one keeps its group item, all zero: it has no objects, so it is not listed.
  return new Map([...groups].filter(([, counts]) => (counts.objects ?? 0) > 0));
}

/** Every line of a department's list, page by page (lists hold one line per key report or reviewed self-evaluation). */
async function allGroupLines(region: string, year: number, list: string, department: string): Promise<GroupLine[]> {
  const out: GroupLine[] = [];
  let cursor: string | undefined;
  do {
    const page = await readGroupLines(summaryViewKey(region, year), list, department, 200, cursor);
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
  const firsts = await Promise.all([...departments].map((d) => readGroupLines(summaryViewKey(region, year), REVIEW_GAPS_LIST, d, 1)));
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
