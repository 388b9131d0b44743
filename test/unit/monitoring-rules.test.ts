import { describe, expect, it } from 'vitest';
import { defaultMonitoringRules, validateMonitoringRules, withDefaults, type MonitoringRules } from '../../services/monitoring/domain/rules.ts';

// ---------- fixtures ----------

const base = defaultMonitoringRules('360000', 2026);

/** The defaults with some fields changed (nested groups are merged, not replaced). */
const rules = (changes: {
  execution?: Partial<MonitoringRules['execution']>;
  indicator?: Partial<MonitoringRules['indicator']>;
  likelihoodLights?: Partial<MonitoringRules['likelihoodLights']>;
  pause?: Partial<MonitoringRules['pause']>;
  reminders?: Partial<MonitoringRules['reminders']>;
  keyObjectMinWan?: number;
}): MonitoringRules => ({
  ...base,
  execution: { ...base.execution, ...changes.execution },
  indicator: { ...base.indicator, ...changes.indicator },
  likelihoodLights: { ...base.likelihoodLights, ...changes.likelihoodLights },
  pause: { ...base.pause, ...changes.pause },
  reminders: { ...base.reminders, ...changes.reminders },
  ...(changes.keyObjectMinWan !== undefined ? { keyObjectMinWan: changes.keyObjectMinWan } : {}),
});

const fields = (r: MonitoringRules) => validateMonitoringRules(r).map((v) => v.field);

// ---------- defaults ----------

describe('monitoring rule parameters: defaults', () => {
  it('ships defaults that validate', () => {
    expect(validateMonitoringRules(base)).toEqual([]);
  });

  it('keeps the region and fiscal year it was made for', () => {
    expect(base).toMatchObject({ region: '360000', fiscalYear: 2026 });
  });

  it('documents the defaults: lights 60/80 for execution and indicators, certain / possible / impossible green / yellow / red, pause after 2 red windows and for impossible without measures, idle funds from month 6 below half the time pace with 10 % left unspent, remind 3 days before, escalate 5 days after, key objects from 1,000 万元', () => {
    expect(base).toEqual({
      region: '360000',
      fiscalYear: 2026,
      execution: { redBelow: 60, yellowBelow: 80 },
      indicator: { redBelow: 60, yellowBelow: 80 },
      likelihoodLights: { certain: 'green', possible: 'yellow', impossible: 'red' },
      pause: { redWindows: 2, impossibleWithoutMeasures: true },
      idleFunds: { enabled: true, fromMonth: 6, belowTimeShare: 0.5, minIdleShare: 0.1 },
      reminders: { remindDaysBefore: 3, graceDays: 5 },
      keyObjectMinWan: 1000,
    });
  });

  it('refuses idle-funds parameters that make no sense, naming each field', () => {
    const bad = { ...base, idleFunds: { enabled: true, fromMonth: 13, belowTimeShare: 0, minIdleShare: 1.5 } };
    expect(validateMonitoringRules(bad).map((v) => v.field)).toEqual(['idleFunds.fromMonth', 'idleFunds.belowTimeShare', 'idleFunds.minIdleShare']);
  });

  it('gives each call its own object: editing one region does not change the next default', () => {
    const a = defaultMonitoringRules('360100', 2026);
    a.execution.redBelow = 50;
    a.pause.redWindows = 3;
    expect(defaultMonitoringRules('360100', 2026)).toMatchObject({ execution: { redBelow: 60 }, pause: { redWindows: 2 } });
  });
});

// ---------- validation ----------

describe('monitoring rule parameters: light cut-offs', () => {
  it('names execution.yellowBelow when it is below execution.redBelow, and says what it must not be below', () => {
    const violations = validateMonitoringRules(rules({ execution: { redBelow: 70, yellowBelow: 60 } }));
    expect(violations.map((v) => v.field)).toEqual(['execution.yellowBelow']);
    expect(violations[0]?.message).toContain('70');
  });

  it('names indicator.yellowBelow when it is below indicator.redBelow', () => {
    expect(fields(rules({ indicator: { redBelow: 80, yellowBelow: 60 } }))).toEqual(['indicator.yellowBelow']);
  });

  it('accepts equal cut-offs (no yellow band) and custom bands', () => {
    expect(fields(rules({ execution: { redBelow: 70, yellowBelow: 70 } }))).toEqual([]);
    expect(fields(rules({ execution: { redBelow: 50, yellowBelow: 90 }, indicator: { redBelow: 0, yellowBelow: 100 } }))).toEqual([]);
  });

  it('names a cut-off that is not a score from 0 to 200', () => {
    expect(fields(rules({ execution: { redBelow: -1 } }))).toEqual(['execution.redBelow']);
    expect(fields(rules({ indicator: { yellowBelow: 201 } }))).toEqual(['indicator.yellowBelow']);
    expect(fields(rules({ execution: { redBelow: Number.NaN } }))).toEqual(['execution.redBelow']);
    expect(fields(rules({ indicator: { yellowBelow: Number.POSITIVE_INFINITY } }))).toEqual(['indicator.yellowBelow']);
  });
});

describe('monitoring rule parameters: likelihood lights', () => {
  it('accepts a region that shows possible as green', () => {
    expect(fields(rules({ likelihoodLights: { possible: 'green' } }))).toEqual([]);
  });

  it('names a likelihood whose light is not green, yellow or red', () => {
    expect(fields(rules({ likelihoodLights: { possible: 'amber' as never } }))).toEqual(['likelihoodLights.possible']);
  });

  it('names possible when it is a better light than certain (certain yellow, possible green)', () => {
    expect(fields(rules({ likelihoodLights: { certain: 'yellow', possible: 'green' } }))).toEqual(['likelihoodLights.possible']);
  });

  it('names impossible when it is a better light than possible (possible yellow, impossible green), and says what it must not beat', () => {
    const violations = validateMonitoringRules(rules({ likelihoodLights: { impossible: 'green' } }));
    expect(violations.map((v) => [v.field, v.message])).toEqual([['likelihoodLights.impossible', 'must not be a better light than possible (yellow)']]);
  });
});

describe('monitoring rule parameters: versions stored before a parameter existed', () => {
  /** A version finance stored before likelihoodLights existed, with its own execution cut-offs. */
  const { likelihoodLights: _absent, ...older } = { ...defaultMonitoringRules('360100', 2025), execution: { redBelow: 50, yellowBelow: 70 } };

  it('reads the missing likelihood lights as their defaults: possible is yellow', () => {
    expect(withDefaults(older).likelihoodLights).toEqual({ certain: 'green', possible: 'yellow', impossible: 'red' });
  });

  it('keeps what the version stored: its region, year and execution cut-offs', () => {
    expect(withDefaults(older)).toMatchObject({ region: '360100', fiscalYear: 2025, execution: { redBelow: 50, yellowBelow: 70 } });
  });

  it('keeps stored likelihood lights when the version has them', () => {
    expect(withDefaults(rules({ likelihoodLights: { possible: 'green' } })).likelihoodLights.possible).toBe('green');
  });
});

describe('monitoring rule parameters: pause', () => {
  it('names pause.redWindows when it is not a whole number', () => {
    expect(fields(rules({ pause: { redWindows: 1.5 } }))).toEqual(['pause.redWindows']);
  });

  it('names pause.redWindows above 12 (a year has 12 monthly windows at most) and below 0', () => {
    expect(fields(rules({ pause: { redWindows: 13 } }))).toEqual(['pause.redWindows']);
    expect(fields(rules({ pause: { redWindows: -1 } }))).toEqual(['pause.redWindows']);
  });

  it('accepts 0 (the rule is off) and 12', () => {
    expect(fields(rules({ pause: { redWindows: 0 } }))).toEqual([]);
    expect(fields(rules({ pause: { redWindows: 12 } }))).toEqual([]);
  });

  it('accepts turning off the impossible-without-measures rule', () => {
    expect(fields(rules({ pause: { impossibleWithoutMeasures: false } }))).toEqual([]);
  });
});

describe('monitoring rule parameters: reminders', () => {
  it('names negative reminder and grace days', () => {
    expect(fields(rules({ reminders: { remindDaysBefore: -1 } }))).toEqual(['reminders.remindDaysBefore']);
    expect(fields(rules({ reminders: { graceDays: -2 } }))).toEqual(['reminders.graceDays']);
  });

  it('names fractional days and more than 60 days', () => {
    expect(fields(rules({ reminders: { remindDaysBefore: 2.5 } }))).toEqual(['reminders.remindDaysBefore']);
    expect(fields(rules({ reminders: { graceDays: 61 } }))).toEqual(['reminders.graceDays']);
  });

  it('accepts 0 days: remind on the due date, escalate right after it', () => {
    expect(fields(rules({ reminders: { remindDaysBefore: 0, graceDays: 0 } }))).toEqual([]);
  });
});

describe('monitoring rule parameters: key objects', () => {
  it('names a negative key-object threshold', () => {
    expect(fields(rules({ keyObjectMinWan: -1 }))).toEqual(['keyObjectMinWan']);
  });

  it('names a threshold that is not a number', () => {
    expect(fields(rules({ keyObjectMinWan: Number.NaN }))).toEqual(['keyObjectMinWan']);
  });

  it('accepts 0 (every object is a key object) and fractional 万元', () => {
    expect(fields(rules({ keyObjectMinWan: 0 }))).toEqual([]);
    expect(fields(rules({ keyObjectMinWan: 500.5 }))).toEqual([]);
  });
});

describe('monitoring rule parameters: several faults', () => {
  it('names every bad field at once, in the order of the parameters', () => {
    const bad = rules({
      execution: { redBelow: 80, yellowBelow: 60 },
      indicator: { redBelow: 90, yellowBelow: 50 },
      pause: { redWindows: 2.5 },
      reminders: { remindDaysBefore: -3, graceDays: -1 },
      keyObjectMinWan: -100,
    });
    expect(fields(bad)).toEqual(['execution.yellowBelow', 'indicator.yellowBelow', 'pause.redWindows', 'reminders.remindDaysBefore', 'reminders.graceDays', 'keyObjectMinWan']);
  });

  it('gives every violation a message', () => {
    for (const v of validateMonitoringRules(rules({ pause: { redWindows: 13 }, keyObjectMinWan: -1 }))) expect(v.message, v.field).not.toBe('');
  });
});
