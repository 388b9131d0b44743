/**
 * The accountability service's maintained views, listed for the maintenance routes and the
 * scheduled check (handlers/views.ts): the summaries view of every region with one this year
 * (the deployment's own, and each lower-level region's whose objects' events reached it). The
 * view itself changes with its summaries (store/summaries.ts `putSummary`).
 */
import type { MaintainedView } from '../../../shared/views/scheduled-check.ts';
import { rebuildSummaryView, verifySummaryView, viewRegions } from '../store/summary-view-maintenance.ts';

export async function maintainedViews(ownRegion: string, year: number): Promise<MaintainedView<'summaries'>[]> {
  return (await viewRegions(ownRegion, year)).map((region) => ({
    view: 'summaries' as const,
    region,
    fiscalYear: year,
    verify: () => verifySummaryView(region, year),
    rebuild: () => rebuildSummaryView(region, year),
  }));
}
