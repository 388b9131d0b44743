/** EventBridge client factory; the endpoint comes from the environment (local runtime only). */
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { ENV_KEYS, optionalEnv } from '../env.ts';

let eventBridge: EventBridgeClient | undefined;

export function eventBridgeClient(): EventBridgeClient {
  eventBridge ??= new EventBridgeClient({ endpoint: optionalEnv(ENV_KEYS.eventbridgeEndpoint), maxAttempts: 3 });
  return eventBridge;
}

/** Test seam, as for the DynamoDB clients. */
export function resetEventBridgeClientForTesting(): void {
  eventBridge = undefined;
}
