/** Writes the queued chunks of large imports in the background (see services/indicators/import.ts). */
import type { IndicatorImportChunkQueued } from '../../../events/indicators.ts';
import { createConsumer } from '../../../shared/consumer.ts';
import { ENV_KEYS, requireEnv } from '../../../shared/env.ts';
import { processChunk } from '../import.ts';

export const handler = createConsumer(async (event) => {
  const data = event.data as IndicatorImportChunkQueued['data'];
  await processChunk(data.jobId, data.chunk, requireEnv(ENV_KEYS.regionCode));
});
