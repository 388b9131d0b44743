/** The baseline consumer: keeps approved target snapshots and the latest monitoring report of every object (jobs/baseline.ts). */
import { createConsumer } from '../../../shared/consumer.ts';
import { keepBaseline } from '../jobs/baseline.ts';

export const handler = createConsumer(keepBaseline);
