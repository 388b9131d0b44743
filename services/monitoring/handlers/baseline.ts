/** Consumer of TargetApproved and TargetRevised: the approved targets become the monitoring baseline (jobs/baseline.ts). */
import { createConsumer } from '../../../shared/consumer.ts';
import { keepBaseline } from '../jobs/baseline.ts';

export const handler = createConsumer(keepBaseline);
