/** The timeline consumer's work: files an event under the object it is about (domain/timeline.ts, store/timeline.ts). */
import type { ConsumedEvent } from '../../../shared/consumer.ts';
import { timelineEntry } from '../domain/timeline.ts';
import { putTimelineEntry } from '../store/timeline.ts';

export async function fileInTimeline(event: ConsumedEvent): Promise<void> {
  await putTimelineEntry(timelineEntry(event));
}
