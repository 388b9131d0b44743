/** Scheduled (hourly): escalates rectification orders past their deadline (jobs/overdue.ts); "now" is the scheduled event's `time`. */
import type { ScheduledEvent } from 'aws-lambda';
import { escalateOverdueOrders, type OverdueResult } from '../jobs/overdue.ts';

export async function handler(event: ScheduledEvent): Promise<OverdueResult> {
  const now = new Date(event.time);
  if (Number.isNaN(now.getTime())) throw new Error(`scheduled event without a valid time: ${String(event.time)}`);
  return escalateOverdueOrders(now, event.id);
}
