/**
 * The local event bus: archives what PutEvents accepted, matches it against the rules built
 * from the manifests' subscriptions, and delivers it to their targets asynchronously, the
 * way EventBridge does:
 *
 * - a delivery never blocks the PutEvents response (it starts on a later tick);
 * - a failing target is retried with exponential back-off and jitter until the rule's
 *   maxAttempts or maxEventAgeSeconds runs out, then the event is parked in the dead-letter
 *   store with the last error, where it can be listed and redriven;
 * - events are delivered at least once and in no particular order; consumers are idempotent.
 *
 * A rule can target another region's bus (`busTarget`, see infra/local/region-network.ts).
 * EventBridge forwards an event from one bus to another one hop only, so an event that arrived
 * from another bus (`publish(events, { forwardedFrom })`) goes to this bus's other rules but
 * to none of its bus targets.
 *
 * Retry state lives in memory. Closing the bus parks whatever is still waiting for a retry
 * (reason `bus-closed`), so stopping the runtime never loses an event silently.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { EventPattern } from '../../../shared/event-pattern.ts';
import { domainEventId, eventBusArn, type EventEnvelope } from './envelope.ts';
import { compilePattern, type CompiledPattern } from './pattern.ts';
import { EventStore, type ArchivedEvent, type ParkReason, type ParkedEvent } from './store.ts';
import type { DeliveryContext, RuleTarget, RuleSpec, PublishOptions, RetryPolicy, BusLogger, LocalEventBusOptions, RedriveFilter, RedriveResult, BusStats } from './bus-types.ts';

export type { DeliveryContext, RuleSpec, PublishOptions, RetryPolicy, BusLogger, LocalEventBusOptions, RedriveFilter, RedriveResult, BusStats };

/** AWS limits: MaximumRetryAttempts 0..185 (so 1..186 attempts), MaximumEventAgeInSeconds 60..86400. */
const MAX_ATTEMPTS_RANGE = [1, 186] as const;
const MAX_AGE_RANGE = [60, 86_400] as const;
const DEFAULT_RETRY: RetryPolicy = { baseDelayMs: 1_000, factor: 2, maxDelayMs: 60_000 };

interface Rule {
  id: string;
  busTarget: boolean;
  compiled: CompiledPattern;
  target: RuleTarget;
  maxAttempts: number;
  maxEventAgeSeconds: number;
}

interface Delivery {
  rule: Rule;
  event: EventEnvelope;
  attempts: number;
  acceptedAt: number;
  firstAttemptAt?: number;
  lastAttemptAt?: number;
  lastError?: { message: string; stack?: string };
}

const consoleLogger: BusLogger = {
  info: () => undefined,
  warn: (message, data) => console.warn(`[eventbridge] ${message}`, data ?? ''),
  error: (message, data) => console.error(`[eventbridge] ${message}`, data ?? ''),
};

function describeError(error: unknown): { message: string; stack?: string } {
  if (error instanceof Error) return { message: `${error.name}: ${error.message}`, ...(error.stack ? { stack: error.stack } : {}) };
  return { message: String(error) };
}

function checkRange(ruleId: string, name: string, value: number, [min, max]: readonly [number, number]): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`rule ${ruleId}: ${name} must be an integer from ${min} to ${max}, got ${value}`);
  }
  return value;
}

export class LocalEventBus {
  readonly busName: string;
  readonly region: string;
  readonly account: string;
  readonly busArn: string;
  readonly store: EventStore;

  private readonly rules = new Map<string, Rule>();
  private readonly retry: RetryPolicy;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly logger: BusLogger;

  private dlq: ParkedEvent[];
  private readonly timers = new Map<NodeJS.Timeout, Delivery>();
  private readonly redriving = new Set<string>();
  private inFlight = 0;
  /** Other work idle() must wait for: publishes, parking, redrives. */
  private busy = 0;
  private idleWaiters: (() => void)[] = [];
  private closed = false;
  private closing?: Promise<void>;
  private readonly counters = { accepted: 0, delivered: 0, failedAttempts: 0, redriven: 0 };

  constructor(options: LocalEventBusOptions) {
    this.busName = options.busName;
    this.region = options.region ?? 'cn-northwest-1';
    this.account = options.account ?? '000000000000';
    this.busArn = eventBusArn(this.region, this.account, this.busName);
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.logger = options.logger ?? consoleLogger;
    const defaultAttempts = options.defaults?.maxAttempts ?? MAX_ATTEMPTS_RANGE[1];
    const defaultAge = options.defaults?.maxEventAgeSeconds ?? MAX_AGE_RANGE[1];
    // Compile every pattern now: a bad manifest fails at start-up, not on the first event.
    for (const spec of options.rules ?? []) {
      if (!spec.id) throw new Error('a rule needs an id');
      if (this.rules.has(spec.id)) throw new Error(`duplicate rule id ${spec.id}`);
      this.rules.set(spec.id, {
        id: spec.id,
        busTarget: spec.busTarget === true,
        compiled: compilePattern(spec.pattern),
        target: spec.target,
        maxAttempts: checkRange(spec.id, 'maxAttempts', spec.maxAttempts ?? defaultAttempts, MAX_ATTEMPTS_RANGE),
        maxEventAgeSeconds: checkRange(spec.id, 'maxEventAgeSeconds', spec.maxEventAgeSeconds ?? defaultAge, MAX_AGE_RANGE),
      });
    }
    this.store = new EventStore(join(options.dataDir, 'events'), { maxArchiveBytes: options.maxArchiveBytes });
    this.dlq = this.store.loadDlq();
  }

  /** Ids of the rules an event would be delivered to (put by a producer, or forwarded here). */
  matchingRules(event: EventEnvelope, options: PublishOptions = {}): string[] {
    return this.match(event, options).map((rule) => rule.id);
  }

  /** Ids of the rules whose target is another bus. */
  busTargetRules(): string[] {
    return [...this.rules.values()].filter((rule) => rule.busTarget).map((rule) => rule.id);
  }

  /**
   * Accepts events PutEvents validated, or another bus forwarded: archives them (resolving
   * once they are on disk, so an accepted event is durable), then starts their deliveries in
   * the background.
   */
  async publish(events: readonly EventEnvelope[], options: PublishOptions = {}): Promise<void> {
    if (this.closed) throw new Error(`event bus ${this.busName} is closed`);
    this.busy++;
    try {
      const acceptedAt = this.now();
      const matched = events.map((event) => this.match(event, options));
      const archived: ArchivedEvent[] = events.map((event, i) => ({
        archivedAt: new Date(acceptedAt).toISOString(),
        rules: (matched[i] ?? []).map((rule) => rule.id),
        ...(options.forwardedFrom ? { forwardedFrom: options.forwardedFrom } : {}),
        event,
      }));
      await this.store.appendArchive(archived);
      this.counters.accepted += events.length;
      events.forEach((event, i) => {
        for (const rule of matched[i] ?? []) this.schedule({ rule, event, attempts: 0, acceptedAt }, 0);
      });
    } finally {
      this.busy--;
      this.settle();
    }
  }

  private match(event: EventEnvelope, { forwardedFrom }: PublishOptions): Rule[] {
    return [...this.rules.values()].filter((rule) => !(forwardedFrom && rule.busTarget) && rule.compiled.matches(event));
  }

  /** The latest archived events, oldest first. */
  recentEvents(limit: number): Promise<ArchivedEvent[]> {
    return this.store.readArchiveTail(limit);
  }

  deadLetters(): ParkedEvent[] {
    return this.dlq.map((entry) => ({ ...entry }));
  }

  /**
   * Re-delivers parked events once each, awaiting the target: delivered entries leave the
   * store; failed ones stay with their attempts and last error updated.
   */
  async redrive(filter: RedriveFilter = {}): Promise<RedriveResult> {
    const selected = this.dlq.filter(
      (p) =>
        !this.redriving.has(p.id) &&
        (filter.ruleId === undefined || p.ruleId === filter.ruleId) &&
        (filter.id === undefined || [p.id, p.event.id, domainEventId(p.event)].includes(filter.id)),
    );
    const result: RedriveResult = { matched: selected.length, delivered: [], failed: [], remaining: 0 };
    this.busy++;
    try {
      for (const parked of selected) {
        this.redriving.add(parked.id);
        const summary = { id: parked.id, ruleId: parked.ruleId, eventId: domainEventId(parked.event) ?? parked.event.id };
        const at = new Date(this.now()).toISOString();
        try {
          const rule = this.rules.get(parked.ruleId);
          if (!rule) throw new Error(`rule ${parked.ruleId} is no longer on the bus`);
          await rule.target(structuredClone(parked.event), { ruleId: rule.id, attempt: 1, redrive: true });
          this.dlq = this.dlq.filter((p) => p.id !== parked.id);
          this.counters.delivered++;
          this.counters.redriven++;
          result.delivered.push(summary);
        } catch (error) {
          this.counters.failedAttempts++;
          const lastError = describeError(error);
          this.dlq = this.dlq.map((p) =>
            p.id === parked.id ? { ...p, attempts: p.attempts + 1, redrives: p.redrives + 1, lastAttemptAt: at, lastError } : p,
          );
          result.failed.push({ ...summary, error: lastError.message });
        } finally {
          this.redriving.delete(parked.id);
        }
      }
      if (selected.length) await this.persistDlq();
    } finally {
      this.busy--;
      this.settle();
    }
    result.remaining = this.dlq.length;
    this.logger.info('redrive finished', { matched: result.matched, delivered: result.delivered.length, failed: result.failed.length });
    return result;
  }

  stats(): BusStats {
    return {
      busName: this.busName,
      busArn: this.busArn,
      rules: this.rules.size,
      ...this.counters,
      parked: this.dlq.length,
      inFlight: this.inFlight,
      scheduled: this.timers.size,
    };
  }

  /** Resolves when nothing is being delivered, waiting for a retry, or being written. */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Stops accepting, cancels pending retries (parking those events), waits for attempts in
   * flight (a failure now parks instead of retrying) and for every file write.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.closed = true;
      const waiting = [...this.timers];
      this.timers.clear();
      for (const [timer, delivery] of waiting) {
        clearTimeout(timer);
        this.park(delivery, 'bus-closed');
      }
      await this.idle();
      await this.store.flush();
    })();
    return this.closing;
  }

  private isIdle(): boolean {
    return this.timers.size === 0 && this.inFlight === 0 && this.busy === 0;
  }

  private settle(): void {
    if (!this.isIdle()) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private schedule(delivery: Delivery, delayMs: number): void {
    if (this.closed) {
      this.park(delivery, 'bus-closed');
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.attempt(delivery);
    }, delayMs);
    this.timers.set(timer, delivery);
  }

  private async attempt(delivery: Delivery): Promise<void> {
    this.inFlight++;
    const { rule } = delivery;
    delivery.attempts++;
    delivery.lastAttemptAt = this.now();
    delivery.firstAttemptAt ??= delivery.lastAttemptAt;
    try {
      // A copy per delivery: one target mutating its event must not affect another rule's.
      await rule.target(structuredClone(delivery.event), { ruleId: rule.id, attempt: delivery.attempts, redrive: false });
      this.counters.delivered++;
    } catch (error) {
      this.counters.failedAttempts++;
      delivery.lastError = describeError(error);
      this.afterFailure(delivery);
    } finally {
      this.inFlight--;
      this.settle();
    }
  }

  private afterFailure(delivery: Delivery): void {
    const { rule } = delivery;
    const context = { ruleId: rule.id, eventId: delivery.event.id, attempt: delivery.attempts, error: delivery.lastError?.message };
    if (this.closed) return this.park(delivery, 'bus-closed');
    if (delivery.attempts >= rule.maxAttempts) return this.park(delivery, 'max-attempts');
    const delay = this.backoff(delivery.attempts);
    // AWS gives up when the event would be older than the limit at the next try.
    if (this.now() + delay - delivery.acceptedAt > rule.maxEventAgeSeconds * 1000) return this.park(delivery, 'max-age');
    this.logger.warn('delivery failed; will retry', { ...context, retryInMs: Math.round(delay) });
    this.schedule(delivery, delay);
  }

  /** Exponential back-off with "equal jitter": half fixed, half random, capped. */
  private backoff(failedAttempts: number): number {
    const exponential = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * this.retry.factor ** (failedAttempts - 1));
    return exponential / 2 + (this.random() * exponential) / 2;
  }

  private park(delivery: Delivery, reason: ParkReason): void {
    const now = this.now();
    const iso = (ms: number | undefined) => new Date(ms ?? now).toISOString();
    const entry: ParkedEvent = {
      id: randomUUID(),
      ruleId: delivery.rule.id,
      event: delivery.event,
      attempts: delivery.attempts,
      reason,
      lastError: delivery.lastError ?? { message: 'the bus closed before the first delivery attempt' },
      acceptedAt: iso(delivery.acceptedAt),
      firstAttemptAt: iso(delivery.firstAttemptAt),
      lastAttemptAt: iso(delivery.lastAttemptAt),
      parkedAt: iso(now),
      redrives: 0,
    };
    this.dlq = [...this.dlq, entry];
    this.logger.error('event parked in the dead-letter store', {
      ruleId: entry.ruleId,
      eventId: domainEventId(entry.event) ?? entry.event.id,
      reason,
      attempts: entry.attempts,
      error: entry.lastError.message,
    });
    this.busy++;
    void this.persistDlq().finally(() => {
      this.busy--;
      this.settle();
    });
  }

  private async persistDlq(): Promise<void> {
    try {
      await this.store.saveDlq(this.dlq);
    } catch (error) {
      // The in-memory store stays right; the next change rewrites the file.
      this.logger.error('could not write the dead-letter store', { file: this.store.dlqFile, error: describeError(error).message });
    }
  }
}
