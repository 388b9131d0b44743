/**
 * Folds the business events of the other services into the accountability service's own
 * records: per-object summaries (for assessments and the People's Congress report) first,
 * then the accountability rules (cases and rectification orders opened by rule).
 * Each step is idempotent on its own, so a redelivered or retried event changes nothing twice.
 */
import { createConsumer } from '../../../shared/consumer.ts';
import { foldIntoSummary } from '../summaries.ts';
import { applyAccountabilityRules } from '../rules.ts';

export const handler = createConsumer(async (event) => {
  await foldIntoSummary(event);
  await applyAccountabilityRules(event);
});
