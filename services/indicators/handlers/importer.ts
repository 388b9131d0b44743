/** Writes the queued chunks of large imports in the background (jobs/import.ts). */
import { createConsumer } from '../../../shared/consumer.ts';
import { ENV_KEYS, requireEnv } from '../../../shared/env.ts';
import { processQueuedChunk } from '../jobs/import.ts';

export const handler = createConsumer((event) => processQueuedChunk(event, requireEnv(ENV_KEYS.regionCode)));
