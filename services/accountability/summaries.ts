/** Folding events into per-object summaries (being built, issue #7). */
import type { ConsumedEvent } from '../../shared/consumer.ts';

export async function foldIntoSummary(_event: ConsumedEvent): Promise<void> {}
