/**
 * The evaluation service's maintained views: which events refresh them (store/coverage-view.ts),
 * and the list the maintenance routes and the scheduled check (handlers/views.ts) work through.
 */
import type { ConsumedEvent } from '../../../shared/consumer.ts';
import type { MaintainedView } from '../../../shared/views/scheduled-check.ts';
import { rebuildCoverage, refreshCoverage, verifyCoverage } from '../store/coverage-view.ts';

export async function refreshViews(event: ConsumedEvent): Promise<void> {
  switch (event.detailType) {
    case 'TargetApproved':
    case 'TargetRevised':
    case 'EvaluationSubmitted':
      await refreshCoverage(event.meta.subject.id);
      return;
    default:
      return;
  }
}

/** Every maintained view of the region's year: coverage. */
export const maintainedViews = async (region: string, year: number): Promise<MaintainedView<'coverage'>[]> => [
  { view: 'coverage', region, fiscalYear: year, verify: () => verifyCoverage(region, year), rebuild: () => rebuildCoverage(region, year) },
];
