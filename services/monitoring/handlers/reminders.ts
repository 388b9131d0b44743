/** Scheduled, hourly: reminders of missing monitoring reports and escalations past the grace period (jobs/reminders.ts). */
import type { ScheduledEvent } from 'aws-lambda';
import { sendReminders, type RemindersResult } from '../jobs/reminders.ts';

export const handler = (event: ScheduledEvent): Promise<RemindersResult> => sendReminders(event);
