/** Records achieved values of library indicators from completed evaluations (jobs/history.ts). */
import { createConsumer } from '../../../shared/consumer.ts';
import { recordAchievedValues } from '../jobs/history.ts';

export const handler = createConsumer(recordAchievedValues);
