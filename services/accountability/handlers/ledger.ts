/**
 * Folds the business events of the other services into the accountability service's own
 * records: per-object summaries (with the view the People's Congress report and the assessments
 * read) first, then the case-opening engine (cases and rectification orders opened on a trigger).
 * Each step is idempotent on its own, so a redelivered or retried event changes nothing twice.
 */
import { createConsumer } from '../../../shared/consumer.ts';
import { foldIntoSummary } from '../jobs/summaries.ts';
import { applyTriggers } from '../jobs/case-opening.ts';

export const handler = createConsumer(async (event) => {
  await foldIntoSummary(event);
  await applyTriggers(event);
});
