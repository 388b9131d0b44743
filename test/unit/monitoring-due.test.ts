import { describe, expect, it } from 'vitest';
import { daysOverdue, dueEnd, dueStages } from '../../services/monitoring/domain/due.ts';
import { defaultMonitoringRules, type MonitoringRules } from '../../services/monitoring/domain/rules.ts';

// ---------- fixtures ----------

/** Defaults: reminders 3 days before, escalation after 5 days of grace. */
const RULES = defaultMonitoringRules('360000', 2027);
const reminders = (remindDaysBefore: number, graceDays: number): Pick<MonitoringRules, 'reminders'> => ({ reminders: { remindDaysBefore, graceDays } });

/** The Jan-Jul window of the event examples: due 2027-08-10. */
const DUE = '2027-08-10';

/** An instant given as China Standard Time wall-clock time ("2027-08-11T00:00"). */
const cst = (local: string) => new Date(`${local}+08:00`);
const MS = 1;

describe('due date: China Standard Time calendar days', () => {
  it('ends a due date at 24:00 CST, which is 16:00 UTC of the same date', () => {
    expect(new Date(dueEnd(DUE)).toISOString()).toBe('2027-08-10T16:00:00.000Z');
  });

  it('keeps a report on time until 2027-08-10T16:00:00Z (midnight CST): that instant is the first overdue day', () => {
    expect(daysOverdue(DUE, new Date('2027-08-10T15:59:59.999Z'))).toBe(0);
    expect(daysOverdue(DUE, new Date('2027-08-10T16:00:00.000Z'))).toBe(1);
    expect(new Date(dueEnd(DUE)).toISOString()).toBe('2027-08-10T16:00:00.000Z');
  });

  it('counts 01:00 CST on 11 August as one day overdue although the UTC date is still 10 August', () => {
    const now = new Date('2027-08-10T17:00:00Z');
    expect(now.toISOString().slice(0, 10)).toBe(DUE);
    expect(daysOverdue(DUE, now)).toBe(1);
  });

  it('ends the last day of a year at 16:00 UTC on 31 December, not in the next year', () => {
    expect(new Date(dueEnd('2027-12-31')).toISOString()).toBe('2027-12-31T16:00:00.000Z');
  });
});

describe('daysOverdue: calendar days (CST) past the due date, as staff count them', () => {
  it('reads, for noon CST of each day: -3 on 7 Aug, -2, -1, 0 on the due date, 1 on 11 Aug, 2 on 12 Aug, 6 on 16 Aug', () => {
    const days = ['2027-08-07', '2027-08-08', '2027-08-09', '2027-08-10', '2027-08-11', '2027-08-12', '2027-08-16'];
    expect(days.map((d) => daysOverdue(DUE, cst(`${d}T12:00:00`)))).toEqual([-3, -2, -1, 0, 1, 2, 6]);
  });

  it('is 0 on the whole due date, from its first to its last millisecond CST', () => {
    expect(daysOverdue(DUE, cst('2027-08-10T00:00:00'))).toBe(0);
    expect(daysOverdue(DUE, cst('2027-08-10T23:59:59.999'))).toBe(0);
  });

  it('changes at midnight CST, not at midnight UTC', () => {
    expect(daysOverdue(DUE, new Date('2027-08-11T15:59:59.999Z'))).toBe(1);
    expect(daysOverdue(DUE, new Date('2027-08-11T16:00:00.000Z'))).toBe(2);
  });

  it('reads -3 on the day the default reminder starts, three days before the due date', () => {
    const firstReminder = cst('2027-08-07T00:00:00');
    expect(dueStages(DUE, firstReminder, RULES).remind).toBe(true);
    expect(daysOverdue(DUE, firstReminder)).toBe(-3);
  });

  it('reads 6 when the default escalation starts on 16 Aug CST, after the five grace days 11-15 Aug', () => {
    const firstEscalation = cst('2027-08-16T00:00:00');
    expect(dueStages(DUE, firstEscalation, RULES).escalate).toBe(true);
    expect(daysOverdue(DUE, firstEscalation)).toBe(6);
  });
});

describe('dueStages: reminders', () => {
  it('does not remind before 00:00 CST three calendar days before the due date (the default remindDaysBefore 3)', () => {
    expect(dueStages(DUE, cst('2027-08-06T23:59:59.999'), RULES)).toEqual({ remind: false, escalate: false });
  });

  it('reminds from 00:00 CST on 7 Aug, three calendar days before 10 Aug (2027-08-06T16:00:00Z)', () => {
    expect(dueStages(DUE, new Date('2027-08-06T16:00:00Z'), RULES)).toEqual({ remind: true, escalate: false });
  });

  it('reminds from the first minute of the due date itself with remindDaysBefore 0', () => {
    expect(dueStages(DUE, cst('2027-08-09T23:59:59.999'), reminders(0, 5)).remind).toBe(false);
    expect(dueStages(DUE, cst('2027-08-10T00:00:00'), reminders(0, 5)).remind).toBe(true);
  });

  it('honours the region’s remindDaysBefore: 7 days before 10 Aug is from 3 Aug CST', () => {
    expect(dueStages(DUE, cst('2027-08-02T23:59:59.999'), reminders(7, 5)).remind).toBe(false);
    expect(dueStages(DUE, cst('2027-08-03T00:00:00'), reminders(7, 5)).remind).toBe(true);
  });

  it('keeps reminding once past the due date, so a schedule that starts late still reminds', () => {
    expect(dueStages(DUE, cst('2027-08-12T09:00:00'), RULES).remind).toBe(true);
    expect(dueStages(DUE, cst('2027-09-30T09:00:00'), RULES).remind).toBe(true);
  });
});

describe('dueStages: escalation', () => {
  it('does not escalate during the 5 grace days after the due date (11 to 15 Aug CST)', () => {
    expect(dueStages(DUE, cst('2027-08-11T00:00:00'), RULES).escalate).toBe(false);
    expect(dueStages(DUE, cst('2027-08-15T23:59:59.999'), RULES).escalate).toBe(false);
  });

  it('escalates from 00:00 CST on 16 Aug (2027-08-15T16:00:00Z), once the 5 grace days have passed', () => {
    expect(dueStages(DUE, new Date('2027-08-15T16:00:00Z'), RULES)).toEqual({ remind: true, escalate: true });
  });

  it('escalates from the first late instant with graceDays 0', () => {
    expect(dueStages(DUE, new Date(dueEnd(DUE) - MS), reminders(3, 0)).escalate).toBe(false);
    expect(dueStages(DUE, new Date(dueEnd(DUE)), reminders(3, 0)).escalate).toBe(true);
  });

  it('honours the region’s graceDays: 10 days of grace escalate from 21 Aug CST', () => {
    expect(dueStages(DUE, cst('2027-08-20T23:59:59.999'), reminders(3, 10)).escalate).toBe(false);
    expect(dueStages(DUE, cst('2027-08-21T00:00:00'), reminders(3, 10)).escalate).toBe(true);
  });

  it('never escalates before the due date is over, whatever the reminder setting', () => {
    expect(dueStages(DUE, cst('2027-08-10T23:59:59.999'), reminders(60, 0)).escalate).toBe(false);
  });
});
