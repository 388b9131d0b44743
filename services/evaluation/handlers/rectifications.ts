/** The rectifications consumer: keeps where each object's rectification orders stand (jobs/rectifications.ts). */
import { createConsumer } from '../../../shared/consumer.ts';
import { keepRectification } from '../jobs/rectifications.ts';

export const handler = createConsumer(keepRectification);
