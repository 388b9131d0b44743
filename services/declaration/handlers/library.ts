/** Consumer of indicator events: keeps this service's copy of the indicator library (jobs/library-copy.ts). */
import { createConsumer } from '../../../shared/consumer.ts';
import { applyIndicatorEvent } from '../jobs/library-copy.ts';

export const handler = createConsumer(applyIndicatorEvent);
