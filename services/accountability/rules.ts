/** Accountability rules applied to incoming events (being built, issue #7). */
import type { ConsumedEvent } from '../../shared/consumer.ts';

export async function applyAccountabilityRules(_event: ConsumedEvent): Promise<void> {}
