import { describe, expect, it } from 'vitest';
import { parseRate, UnsupportedScheduleError } from '../../infra/local/scheduler.ts';

describe('local schedule expressions', () => {
  it('reads rate expressions in minutes, hours and days', () => {
    expect(parseRate('rate(5 minutes)')).toBe(300_000);
    expect(parseRate('rate(1 hour)')).toBe(3_600_000);
    expect(parseRate('rate(2 days)')).toBe(172_800_000);
  });

  it('refuses a plural unit for 1 and a singular one for more, as EventBridge does', () => {
    expect(() => parseRate('rate(1 hours)')).toThrow(UnsupportedScheduleError);
    expect(() => parseRate('rate(5 minute)')).toThrow(UnsupportedScheduleError);
  });

  it('fails at start-up on expressions it cannot run, instead of never firing', () => {
    expect(() => parseRate('cron(0 2 * * ? *)')).toThrow(/not supported by the local runtime/);
  });
});
