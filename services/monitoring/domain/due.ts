/**
 * When a missing monitoring report gets a reminder and when it is escalated: the
 * unit is reminded `remindDaysBefore` days before the due date; past the due date by
 * `graceDays`, the report is escalated to the department and finance. Dates are China Standard
 * Time calendar days (UTC+8): a report due 2027-08-10 is on time until midnight that day. Pure.
 */
import type { MonitoringRules } from './rules.ts';

const DAY_MS = 86_400_000;

/** The instant a due date ends: 24:00 China Standard Time. */
export const dueEnd = (dueDate: string) => Date.parse(`${dueDate}T00:00:00+08:00`) + DAY_MS;

/** The calendar date in China Standard Time. */
const chinaDate = (t: Date) => new Date(t.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);

/**
 * Calendar days past the due date, as staff count them: 1 on the day after it, -3 three days
 * before it, 0 on the day itself.
 */
export const daysOverdue = (dueDate: string, now: Date) => Math.round((Date.parse(chinaDate(now)) - Date.parse(dueDate)) / DAY_MS);

export interface DueStages {
  remind: boolean;
  escalate: boolean;
}

export function dueStages(dueDate: string, now: Date, rules: Pick<MonitoringRules, 'reminders'>): DueStages {
  const end = dueEnd(dueDate);
  const t = now.getTime();
  return {
    remind: t >= end - rules.reminders.remindDaysBefore * DAY_MS - DAY_MS,
    escalate: t >= end + rules.reminders.graceDays * DAY_MS,
  };
}
