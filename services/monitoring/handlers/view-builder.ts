/**
 * The view builder: builds a window's dashboard view from its sources when the window is opened
 * or the key amount moves (jobs/views.ts). Subscribed to the service's own `DashboardBuildQueued`;
 * idempotent on the event id (createConsumer), and a second build is harmless anyway: it
 * recomputes from the current sources.
 */
import { createConsumer } from '../../../shared/consumer.ts';
import { handleDashboardBuildQueued } from '../jobs/views.ts';

export const handler = createConsumer(handleDashboardBuildQueued);
