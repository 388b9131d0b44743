/**
 * Folds the declaration, monitoring and evaluation events into per-object summaries
 * (domain/object-summary.ts): read, fold, write on the version read; a lost race reads again.
 * Idempotent by itself: the ids of the events already folded are kept in the item, so a
 * redelivered event (even past the consumer's idempotency window) changes nothing. The summaries
 * view (store/summary-view.ts) changes in the same transaction as the summary.
 */
import { lostRaceAt } from '../../../shared/conditions.ts';
import type { ConsumedEvent } from '../../../shared/consumer.ts';
import { retryWithJitter } from '../../../shared/retry.ts';
import { FOLDED_EVENT_TYPES, foldEvent, objectOfEvent } from '../domain/object-summary.ts';
import { getStoredSummary, putSummary } from '../store/summaries.ts';

/** Reads and writes in all before a lost race is given up (and the consumer retries the event). */
const MAX_ATTEMPTS = 12;

export async function foldIntoSummary(event: ConsumedEvent): Promise<void> {
  if (!(FOLDED_EVENT_TYPES as readonly string[]).includes(event.detailType)) return;
  const object = objectOfEvent(event.data);
  if (!object) return;
  await retryWithJitter(
    async () => {
      const stored = await getStoredSummary(object.id);
      if (stored?.eventIds.includes(event.meta.eventId)) return;
      const next = foldEvent(stored?.summary, event);
      if (!next || next === stored?.summary) return;
      await putSummary(next, [...(stored?.eventIds ?? []), event.meta.eventId], stored?.version ?? 0);
    },
    { attempts: MAX_ATTEMPTS, retryable: (error) => lostRaceAt(error, 0, 1), baseMs: 10, maxMs: 160 },
  );
}

