/**
 * Scheduled, hourly: reminders of missing monitoring reports and escalations past the grace
 * period (jobs/reminders.ts), paging through each window's scope and stopping at a checkpoint
 * before the invocation runs out of time.
 */
import type { Context, ScheduledEvent } from 'aws-lambda';
import { sendReminders, type RemindersResult } from '../jobs/reminders.ts';

export const handler = (event: ScheduledEvent, context?: Pick<Context, 'getRemainingTimeInMillis'>): Promise<RemindersResult> =>
  sendReminders(event, context?.getRemainingTimeInMillis ? { remainingMs: () => context.getRemainingTimeInMillis() } : {});
