/** Outbox relay of the accountability service: its table stream → the region's event bus. */
import { createRelayHandler } from '../../../shared/relay.ts';

export const handler = createRelayHandler();
