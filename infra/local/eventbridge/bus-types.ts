/** The local event bus's public types: rules, targets, retry policy, options, redrive and statistics. */
import type { EventPattern } from '../../../shared/event-pattern.ts';
import type { EventEnvelope } from './envelope.ts';
import type { ParkedEvent } from './store.ts';

export interface DeliveryContext {
  ruleId: string;
  /** 1 for the first try; a redrive starts again at 1. */
  attempt: number;
  redrive: boolean;
}

export type RuleTarget = (event: EventEnvelope, context: DeliveryContext) => Promise<void>;

export interface RuleSpec {
  /** `service.function.subscriptionName` (or `forward.<direction>.<code>`), unique on the bus. */
  id: string;
  pattern: EventPattern;
  target: RuleTarget;
  maxAttempts?: number;
  maxEventAgeSeconds?: number;
  /**
   * The target is another event bus. Events that arrived from another bus never match such a
   * rule: EventBridge forwards between buses one hop only.
   */
  busTarget?: boolean;
}

export interface PublishOptions {
  /** ARN of the bus that forwarded these events here (they were not put by a producer). */
  forwardedFrom?: string;
}

export interface RetryPolicy {
  baseDelayMs: number;
  factor: number;
  maxDelayMs: number;
}

export interface BusLogger {
  info(message: string, data?: Record<string, unknown>): void;
  warn(message: string, data?: Record<string, unknown>): void;
  error(message: string, data?: Record<string, unknown>): void;
}

export interface LocalEventBusOptions {
  busName: string;
  /** The runtime's data directory; the bus keeps its files in `<dataDir>/events/`. */
  dataDir: string;
  rules?: readonly RuleSpec[];
  region?: string;
  account?: string;
  retry?: Partial<RetryPolicy>;
  /** For rules that do not set their own; AWS defaults (185 retries, 24 h) unless given. */
  defaults?: { maxAttempts?: number; maxEventAgeSeconds?: number };
  maxArchiveBytes?: number;
  /** Clock (epoch ms) for event age and timestamps; tests move it forward. */
  now?: () => number;
  /** Source of jitter in [0, 1). */
  random?: () => number;
  logger?: BusLogger;
}

export interface RedriveFilter {
  /** A dead-letter id, an envelope id or a `detail.meta.eventId`. */
  id?: string;
  ruleId?: string;
}

export interface RedriveResult {
  matched: number;
  delivered: { id: string; ruleId: string; eventId: string }[];
  failed: { id: string; ruleId: string; eventId: string; error: string }[];
  /** Entries left in the dead-letter store afterwards. */
  remaining: number;
}

export interface BusStats {
  busName: string;
  busArn: string;
  rules: number;
  accepted: number;
  delivered: number;
  failedAttempts: number;
  /** Entries in the dead-letter store now. */
  parked: number;
  redriven: number;
  inFlight: number;
  scheduled: number;
}
