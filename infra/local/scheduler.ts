/**
 * Runs the manifests' schedules locally, delivering the same "Scheduled Event" envelope
 * EventBridge sends. `rate(...)` expressions are supported; anything else fails at start-up
 * rather than silently never firing.
 */
import { randomUUID } from 'node:crypto';

export class UnsupportedScheduleError extends Error {}

const UNITS: Record<string, number> = { minute: 60_000, minutes: 60_000, hour: 3_600_000, hours: 3_600_000, day: 86_400_000, days: 86_400_000 };

export function parseRate(expression: string): number {
  const match = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression.trim());
  if (!match) throw new UnsupportedScheduleError(`schedule expression "${expression}" is not supported by the local runtime (use rate(N minutes|hours|days))`);
  const value = Number(match[1]);
  const unit = match[2] as string;
  // AWS requires a singular unit for 1 and a plural one otherwise; mirror its validation.
  if ((value === 1 && unit.endsWith('s')) || (value > 1 && !unit.endsWith('s'))) {
    throw new UnsupportedScheduleError(`"${expression}": use a singular unit for 1 and a plural unit otherwise, as EventBridge does`);
  }
  return value * (UNITS[unit] as number);
}

export interface ScheduledTarget {
  name: string;
  expression: string;
  invoke(event: unknown): Promise<unknown>;
}

export interface Scheduler {
  /**
   * Fires one schedule now (tests and `npm start` debugging). `at` sets the event's `time`, the
   * clock scheduled handlers read, so a test can run "three days after the due date" at once.
   */
  fire(name: string, at?: Date): Promise<void>;
  stop(): void;
}

export function startScheduler(targets: ScheduledTarget[], context: { account: string; region: string; onError?: (m: string, e?: unknown) => void }): Scheduler {
  const intervals = targets.map((t) => ({ target: t, every: parseRate(t.expression) }));
  const envelope = (name: string, at = new Date()) => ({
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: context.account,
    time: at.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: context.region,
    resources: [`arn:aws:events:${context.region}:${context.account}:rule/${name}`],
    detail: {},
  });
  const fire = async (name: string, at?: Date) => {
    const found = intervals.find((i) => i.target.name === name);
    if (!found) throw new Error(`no schedule named ${name}`);
    await found.target.invoke(envelope(name, at));
  };
  const timers = intervals.map(({ target, every }) =>
    setInterval(() => {
      fire(target.name).catch((error) => context.onError?.(`schedule ${target.name} failed`, error));
    }, every).unref(),
  );
  return { fire, stop: () => timers.forEach(clearInterval) };
}
