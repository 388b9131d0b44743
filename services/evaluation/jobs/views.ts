/** Which maintained views an event may change, and their refresh (store/coverage-view.ts). */
import type { ConsumedEvent } from '../../../shared/consumer.ts';
import { refreshCoverage } from '../store/coverage-view.ts';

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
