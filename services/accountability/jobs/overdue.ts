/**
 * Scheduled (hourly): escalates rectification orders still open past their deadline — the
 * first day after it (level 1), then every `escalateEveryDays` (the rules of the order's
 * fiscal year) while the order stays open. Each escalation is an `escalated` entry in the
 * order's chain, the order's level +1 and a RectificationOverdue event (to the owner department,
 * its unit when it has one, and finance), in one transaction conditioned on the version read:
 * one escalation per (order, level) however often the schedule fires. A schedule that was paused
 * catches up in one step to the level due.
 * "Now" is the scheduled event's `time`, so the schedule (and a test) controls the clock.
 */
import { cancelledByConditions } from '../../../shared/conditions.ts';
import { ENV_KEYS, requireEnv } from '../../../shared/env.ts';
import { logger } from '../../../shared/logger.ts';
import { rectificationOverdue } from '../events.ts';
import { appendEntry } from '../domain/chain.ts';
import { chinaDate, daysOverdue, escalate, escalationLevelDue, type RectificationOrder } from '../domain/rectification.ts';
import { currentAccountabilityRules } from '../store/rules.ts';
import { appendRectificationEntries, getRectification, openOrdersDueBefore } from '../store/rectifications.ts';

export interface OverdueResult {
  overdue: number;
  escalations: number;
}

const ACTOR = 'accountability-overdue';

/** One run of the schedule at `now`; `runId` (the scheduled event's id) goes into the events' correlation id. */
export async function escalateOverdueOrders(now: Date, runId: string): Promise<OverdueResult> {
  const region = requireEnv(ENV_KEYS.regionCode);
  const result: OverdueResult = { overdue: 0, escalations: 0 };
  const rulesByYear = new Map<number, ReturnType<typeof currentAccountabilityRules>>();
  const rulesOf = (year: number) => {
    let r = rulesByYear.get(year);
    if (!r) rulesByYear.set(year, (r = currentAccountabilityRules(region, year)));
    return r;
  };

  // Orders whose deadline day has ended (deadline before today, China Standard Time).
  let cursor: string | undefined;
  do {
    const page = await openOrdersDueBefore(region, chinaDate(now), 100, cursor);
    for (const listed of page.items) {
      result.overdue++;
      result.escalations += await escalateOrder(listed.id, now, rulesOf, runId);
    }
    cursor = page.nextCursor;
  } while (cursor);
  logger.info('rectification overdue run', { region, at: now.toISOString(), ...result });
  return result;
}

/** Escalates one order to the level due now (after a pause of the schedule, straight to it: one entry and event, not one per missed level). */
async function escalateOrder(id: string, now: Date, rulesOf: (year: number) => ReturnType<typeof currentAccountabilityRules>, runId: string): Promise<number> {
  let made = 0;
  for (let guard = 0; guard < 50; guard++) {
    const order: RectificationOrder | undefined = await getRectification(id);
    if (!order) return made;
    const { rules } = await rulesOf(order.fiscalYear);
    const level = escalationLevelDue(order, now, rules);
    if (level <= order.escalationLevel) return made;
    const at = now.toISOString();
    const entry = appendEntry({ seq: order.lastSeq, hash: order.lastHash }, {
      at,
      actor: { sub: ACTOR, role: 'system' },
      type: 'escalated',
      body: { level, deadline: order.deadline, daysOverdue: daysOverdue(order.deadline, now), escalateEveryDays: rules.rectification.escalateEveryDays },
    });
    const next: RectificationOrder = { ...escalate(order, level, at), version: order.version + 1, lastSeq: entry.seq, lastHash: entry.hash };
    const ctx = { actor: { sub: ACTOR, role: 'system' as const, region: order.region }, region: order.region, correlationId: `overdue-${runId}`, now };
    try {
      await appendRectificationEntries(next, order.version, [entry], [rectificationOverdue(next, level, now, ctx)]);
      made++;
    } catch (error) {
      // Someone changed the order meanwhile (evidence, another run): read it again.
      if (!cancelledByConditions(error)) throw error;
    }
  }
  return made;
}
