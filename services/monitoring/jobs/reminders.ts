/**
 * The hourly reminders sweep (handlers/reminders.ts): finds objects in an open window's scope
 * without a report and sends the unit a reminder, then, past the grace period, escalates to the
 * department and finance. "Now" is the scheduled event's `time`, so the schedule (and a test)
 * controls the clock. Each reminder and escalation is sent once: a marker item and the event
 * commit together.
 *
 * A window's scope is read a page at a time (SWEEP_PAGE objects: their report heads and markers
 * by key), never all at once, so a run's memory and each step's reads do not grow with the
 * region. After each page the sweep writes where it is (a checkpoint per window); when the
 * invocation is about to run out of time it stops there, and the next run resumes at the
 * checkpoint instead of starting over. A pass that reaches the end clears it.
 */
import type { ScheduledEvent } from 'aws-lambda';
import { conditionFailedAt } from '../../../shared/conditions.ts';
import { ENV_KEYS, requireEnv } from '../../../shared/env.ts';
import { logger } from '../../../shared/logger.ts';
import { daysOverdue, dueStages } from '../domain/due.ts';
import { inWindowScope } from '../domain/report.ts';
import { defaultMonitoringRules } from '../domain/rules.ts';
import { reportDue } from '../events.ts';
import { listScope, type ScopeEntry } from '../store/objects.ts';
import { clearSweepCheckpoint, getSweepCheckpoint, putSweepCheckpoint, recordSent, sentMarkers } from '../store/reminders.ts';
import { reportedAmong } from '../store/reports.ts';
import { getRules } from '../store/rules.ts';
import { allWindows } from '../store/windows.ts';

export interface RemindersResult {
  windows: number;
  reminders: number;
  escalations: number;
  /** Scope pages looked at in this run. */
  pages: number;
  /** Windows whose pass stopped at a checkpoint for want of time (the next run resumes them). */
  resumable: number;
}

/** Scope entries looked at per step of a window's pass. */
export const SWEEP_PAGE = 200;
/** Stop starting pages when less than this is left of the invocation (a page takes well under it). */
export const SWEEP_MARGIN_MS = 30_000;

export interface SweepOptions {
  /** Time left in the invocation (the Lambda context's); unbounded when absent. */
  remainingMs?: () => number;
  pageSize?: number;
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
export async function sendReminders(event: Pick<ScheduledEvent, 'id' | 'time'>, options: SweepOptions = {}): Promise<RemindersResult> {
  const now = new Date(event.time);
  if (Number.isNaN(now.getTime())) throw new Error(`scheduled event without a valid time: ${String(event.time)}`);
  const region = requireEnv(ENV_KEYS.regionCode);
  const year = Number(event.time.slice(0, 4));
  // A window of last year can still be due (1~12月 reports are due in January).
  const windows = [...(await allWindows(region, year - 1)), ...(await allWindows(region, year))];
  const result: RemindersResult = { windows: 0, reminders: 0, escalations: 0, pages: 0, resumable: 0 };
  const system = { sub: 'monitoring-reminders', role: 'system' as const, region };
  const pageSize = options.pageSize ?? SWEEP_PAGE;
  const timeLeft = () => options.remainingMs?.() ?? Number.POSITIVE_INFINITY;

  // Windows of one year share its rules: read them once per run.
  const rulesOf = memoByYear(async (year) => (await getRules(region, year))?.rules ?? defaultMonitoringRules(region, year));

  for (const window of windows) {
    const rules = await rulesOf(window.fiscalYear);
    const stages = dueStages(window.dueDate, now, rules);
    if (!stages.remind) continue;
    result.windows++;
    const overdue = daysOverdue(window.dueDate, now);
    const checkpoint = await getSweepCheckpoint(window.id);
    let cursor = checkpoint?.cursor;
    let pages = checkpoint?.pages ?? 0;
    do {
      if (timeLeft() < SWEEP_MARGIN_MS) {
        result.resumable++;
        break;
      }
      const page = await listScope(region, window.fiscalYear, undefined, pageSize, cursor);
      result.pages++;
      pages++;
      const inScope = page.items.filter((s) => inWindowScope(window, s, rules));
      const reported = inScope.length ? await reportedAmong(window.id, inScope.map((s) => s.objectId)) : new Set<string>();
      const missing = inScope.filter((s) => !reported.has(s.objectId));
      const sent = missing.length ? await sentMarkers(window.id, missing.map((m) => m.objectId)) : new Set<string>();
      for (const entry of missing) {
        const stagesToSend = [
          ...(!sent.has(`${entry.objectId}#REMINDER`) ? (['REMINDER'] as const) : []),
          ...(stages.escalate && !sent.has(`${entry.objectId}#ESCALATION`) ? (['ESCALATION'] as const) : []),
        ];
        for (const stage of stagesToSend) {
          if (await sendOnce(window, entry, stage, overdue, { actor: system, region, correlationId: `reminders-${event.id}`, now })) {
            if (stage === 'REMINDER') result.reminders++;
            else result.escalations++;
          }
        }
      }
      cursor = page.nextCursor;
      if (cursor) await putSweepCheckpoint(window.id, { cursor, pages, at: now.toISOString() });
      else await clearSweepCheckpoint(window.id);
    } while (cursor);
  }
  logger.info('monitoring reminders', { ...result, now: now.toISOString() });
  return result;
}

/** Sends one reminder or escalation unless an earlier (or concurrent) run has: returns whether this one did. */
async function sendOnce(window: Parameters<typeof reportDue>[2], entry: ScopeEntry, stage: 'REMINDER' | 'ESCALATION', overdue: number, ctx: Parameters<typeof reportDue>[4]): Promise<boolean> {
  const object = { id: entry.objectId, spendingType: entry.spendingType, name: entry.name, fiscalYear: entry.fiscalYear, region: entry.region, department: entry.department, unit: entry.unit, sector: entry.sector };
  const detailType = stage === 'REMINDER' ? 'MonitoringReminderSent' : 'MonitoringEscalated';
  try {
    await recordSent(window.id, entry.objectId, stage, ctx.now.toISOString(), [reportDue(detailType, object, window, overdue, ctx)]);
    return true;
  } catch (error) {
    if (!conditionFailedAt(error, 0)) throw error;
    return false;
  }
}
