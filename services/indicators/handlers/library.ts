/** Keeps this region's read-only copies of its ancestors' library entries (jobs/library-sync.ts). */
import { createConsumer } from '../../../shared/consumer.ts';
import { ENV_KEYS, requireEnv } from '../../../shared/env.ts';
import { syncAncestorLibrary } from '../jobs/library-sync.ts';

export const handler = createConsumer((event) => syncAncestorLibrary(event, requireEnv(ENV_KEYS.regionCode)));
