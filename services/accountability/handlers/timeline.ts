/** Consumes every Jixiao event into the per-object lifecycle timeline (jobs/timeline.ts). */
import { createConsumer } from '../../../shared/consumer.ts';
import { fileInTimeline } from '../jobs/timeline.ts';

export const handler = createConsumer(fileInTimeline);
