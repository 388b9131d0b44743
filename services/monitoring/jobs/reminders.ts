/**
 * The hourly reminders sweep (handlers/reminders.ts): finds objects in an open window's scope
 * without a report and sends the unit a reminder, then, past the grace period, escalates to the
 * department and finance. "Now" is the scheduled event's `time`, so the schedule (and a test)
 * controls the clock. Each reminder and escalation is sent once: a marker item and the event
 * commit together.
 */
import type { ScheduledEvent } from 'aws-lambda';
import { conditionFailedAt } from '../../../shared/conditions.ts';
import { ENV_KEYS, requireEnv } from '../../../shared/env.ts';
import { logger } from '../../../shared/logger.ts';
import { daysOverdue, dueStages } from '../domain/due.ts';
import { inWindowScope } from '../domain/report.ts';
import { defaultMonitoringRules } from '../domain/rules.ts';
import { reportDue } from '../events.ts';
import { allScope } from '../store/objects.ts';
import { sentMarkers, recordSent } from '../store/reminders.ts';
import { allReportHeads } from '../store/reports.ts';
import { getRules } from '../store/rules.ts';
import { allWindows } from '../store/windows.ts';

export interface RemindersResult {
  windows: number;
  reminders: number;
  escalations: number;
}

function memoByYear<T>(load: (year: number) => Promise<T>): (year: number) => Promise<T> {
  const loaded = new Map<number, Promise<T>>();
  return (year) => {
    let value = loaded.get(year);
    if (!value) loaded.set(year, (value = load(year)));
    return value;
  };
}

/** One run of the sweep over the deployment's region, at the scheduled event's time. */
export async function sendReminders(event: Pick<ScheduledEvent, 'id' | 'time'>): Promise<RemindersResult> {
  const now = new Date(event.time);
  if (Number.isNaN(now.getTime())) throw new Error(`scheduled event without a valid time: ${String(event.time)}`);
  const region = requireEnv(ENV_KEYS.regionCode);
  const year = Number(event.time.slice(0, 4));
  // A window of last year can still be due (1~12月 reports are due in January).
  const windows = [...(await allWindows(region, year - 1)), ...(await allWindows(region, year))];
  const result: RemindersResult = { windows: 0, reminders: 0, escalations: 0 };
  const system = { sub: 'monitoring-reminders', role: 'system' as const, region };

  // Windows of one year share its rules and its objects: read each once per run.
  const rulesOf = memoByYear(async (year) => (await getRules(region, year))?.rules ?? defaultMonitoringRules(region, year));
  const scopeOf = memoByYear((year) => allScope(region, year));

  for (const window of windows) {
    const rules = await rulesOf(window.fiscalYear);
    const stages = dueStages(window.dueDate, now, rules);
    if (!stages.remind) continue;
    result.windows++;
    const [scope, reports] = await Promise.all([scopeOf(window.fiscalYear), allReportHeads(window.id)]);
    const reported = new Set(reports.map((r) => r.object.id));
    const missing = scope.filter((s) => inWindowScope(window, s, rules) && !reported.has(s.objectId));
    if (missing.length === 0) continue;
    const sent = await sentMarkers(
      window.id,
      missing.map((m) => m.objectId),
    );
    const overdue = daysOverdue(window.dueDate, now);
    for (const entry of missing) {
      const object = { id: entry.objectId, spendingType: entry.spendingType, name: entry.name, fiscalYear: entry.fiscalYear, region: entry.region, department: entry.department, unit: entry.unit, sector: entry.sector };
      const stagesToSend = [
        ...(!sent.has(`${entry.objectId}#REMINDER`) ? (['REMINDER'] as const) : []),
        ...(stages.escalate && !sent.has(`${entry.objectId}#ESCALATION`) ? (['ESCALATION'] as const) : []),
      ];
      for (const stage of stagesToSend) {
        const detailType = stage === 'REMINDER' ? 'MonitoringReminderSent' : 'MonitoringEscalated';
        try {
          await recordSent(window.id, entry.objectId, stage, now.toISOString(), [
            reportDue(detailType, object, window, overdue, { actor: system, region, correlationId: `reminders-${event.id}`, now }),
          ]);
          if (stage === 'REMINDER') result.reminders++;
          else result.escalations++;
        } catch (error) {
          // Sent by an earlier (or concurrent) run: nothing to do.
          if (!conditionFailedAt(error, 0)) throw error;
        }
      }
    }
  }
  logger.info('monitoring reminders', { ...result, now: now.toISOString() });
  return result;
}
