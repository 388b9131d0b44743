/** Consumer of completed evaluations and rectification orders: the results gate and the historical standard (jobs/evaluation-results.ts). */
import { createConsumer } from '../../../shared/consumer.ts';
import { recordResults } from '../jobs/evaluation-results.ts';

export const handler = createConsumer(recordResults);
