/** The alerts consumer: files an alert for every subscription an event matches (jobs/alerts.ts). */
import { createConsumer } from '../../../shared/consumer.ts';
import { alertOnEvent } from '../jobs/alerts.ts';

export const handler = createConsumer(async (event) => {
  await alertOnEvent(event);
});
