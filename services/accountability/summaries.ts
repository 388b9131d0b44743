/**
 * Folds the declaration, monitoring and evaluation events into per-object summaries
 * (domain/object-summary.ts): read, fold, write on the version read; a lost race reads again.
 * Idempotent by itself: the ids of the events already folded are kept in the item, so a
 * redelivered event (even past the consumer's idempotency window) changes nothing.
 */
import type { ConsumedEvent } from '../../shared/consumer.ts';
import { FOLDED_EVENT_TYPES, foldEvent, objectOfEvent } from './domain/object-summary.ts';
import { getStoredSummary, putSummary } from './summary-store.ts';

const MAX_ATTEMPTS = 8;

const lostRace = (error: unknown) => (error as { name?: string })?.name === 'ConditionalCheckFailedException';

export async function foldIntoSummary(event: ConsumedEvent): Promise<void> {
  if (!(FOLDED_EVENT_TYPES as readonly string[]).includes(event.detailType)) return;
  const object = objectOfEvent(event.data);
  if (!object) return;
  for (let attempt = 1; ; attempt++) {
    const stored = await getStoredSummary(object.id);
    if (stored?.eventIds.includes(event.meta.eventId)) return;
    const next = foldEvent(stored?.summary, event);
    if (!next || next === stored?.summary) return;
    try {
      await putSummary(next, [...(stored?.eventIds ?? []), event.meta.eventId], stored?.version ?? 0);
      return;
    } catch (error) {
      if (!lostRace(error) || attempt >= MAX_ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
    }
  }
}
