/** Delivers SupervisorAlertRaised to the subscription's signed webhook (jobs/webhooks.ts); a retryable failure throws, so the bus retries. */
import { createConsumer } from '../../../shared/consumer.ts';
import { deliver } from '../jobs/webhooks.ts';

export const handler = createConsumer((event) => deliver(event));
