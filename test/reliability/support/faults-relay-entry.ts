/**
 * Sandbox entry for the fault tests: the indicators service's real outbox relay, whose sandbox
 * can be made to die mid-batch (see crashingRelay in faults-inject.ts).
 */
import { handler as relay } from '../../../services/indicators/handlers/relay.ts';
import { eventBridgeClient } from '../../../shared/clients/eventbridge.ts';
import { crashingRelay } from './faults-inject.ts';

export const handler = crashingRelay(relay, eventBridgeClient());
