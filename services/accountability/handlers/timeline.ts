/** Consumes every Jixiao event into the per-object lifecycle timeline. */
import { createConsumer } from '../../../shared/consumer.ts';
import { timelineEntry } from '../domain/timeline.ts';
import { putTimelineEntry } from '../store.ts';

export const handler = createConsumer(async (event) => {
  await putTimelineEntry(timelineEntry(event));
});
