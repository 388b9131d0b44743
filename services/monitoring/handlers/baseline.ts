/**
 * The baseline consumer: keeps approved target snapshots (jobs/baseline.ts), then refreshes the
 * dashboard views those and the service's own reports change (jobs/views.ts). The refresh runs
 * after the snapshot is stored, in the same invocation, so it always sees it; a retry runs both
 * again, and both are idempotent.
 */
import { createConsumer } from '../../../shared/consumer.ts';
import { keepBaseline } from '../jobs/baseline.ts';
import { refreshViews } from '../jobs/views.ts';

export const handler = createConsumer(async (event) => {
  await keepBaseline(event);
  await refreshViews(event);
});
