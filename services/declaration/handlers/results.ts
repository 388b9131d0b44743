/** Consumer of completed evaluations: the results gate and the historical standard (jobs/evaluation-results.ts). */
import { createConsumer } from '../../../shared/consumer.ts';
import { recordEvaluationResults } from '../jobs/evaluation-results.ts';

export const handler = createConsumer(recordEvaluationResults);
