/**
 * The reliability suite's record of what it measured: every test records one row per fault,
 * load, input, authorization or token class it exercised, with the numbers it counted. Rows
 * are appended as JSON lines under `test/reliability/.results/` (one file per test process);
 * `npm run test:reliability` turns them into REPORT.md at the end (report-teardown.ts) and
 * fails the run if a number that must be zero is not.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type ReliabilityClass = 'fault' | 'load' | 'input' | 'authorization' | 'token';

export interface LatencyStats {
  count: number;
  p50: number;
  p99: number;
}

export interface ReliabilityRow {
  class: ReliabilityClass;
  /** What was exercised, e.g. "outbox relay killed mid-batch". */
  name: string;
  /** Requests sent, events committed or deliveries attempted. */
  operations: number;
  faultsInjected: number;
  /** Events whose state change committed. */
  eventsCommitted?: number;
  /** Of those, delivered and applied downstream. */
  eventsDelivered?: number;
  /** Committed but never delivered or applied. Must be 0. */
  lost?: number;
  /** Duplicate effects. Must be 0. */
  duplicates?: number;
  /** Every answer of 500 or above, 503 included. */
  serverErrors?: number;
  /**
   * Of those, 503s with Retry-After where the row's fault makes them the designed answer (the
   * data store restarting or throttling). Left out where a 503 is not by design: there every 5xx
   * counts against the row.
   */
  unavailableByDesign?: number;
  /** Writes by requests that must write nothing. Must be 0. */
  unexpectedWrites?: number;
  /** Data shown to someone who must not see it, a refused value echoed back, a bad token accepted; processes or ports left behind. Must be 0. */
  leaks?: number;
  /** Error answers (4xx/5xx) that are not problem+json with type, title and status. Must be 0. */
  notProblemJson?: number;
  /**
   * Deliveries the dead-letter store should hold and does not (neither applied nor parked), plus
   * those it holds and should not (never committed, or parked without exhausting their retries
   * where the row counts attempts). A delivery whose invocation failed after its effect did
   * exhaust its retries and is rightly parked. Must be 0.
   */
  deadLetterMismatch?: number;
  deadLettered?: number;
  redriven?: number;
  /** Milliseconds per route (method and path template). */
  latency?: Record<string, LatencyStats>;
  notes?: string;
}

/** The numbers the suite fails on unless they are zero ("5xx not by design" = 5xx − 503s by design). */
export const REQUIRED_ZERO = ['lost', 'duplicates', '5xx not by design', 'unexpectedWrites', 'leaks', 'notProblemJson', 'deadLetterMismatch'] as const;
type RequiredZero = (typeof REQUIRED_ZERO)[number];

function requiredFigures(row: ReliabilityRow): Record<RequiredZero, number | undefined> {
  return {
    lost: row.lost,
    duplicates: row.duplicates,
    '5xx not by design': row.serverErrors === undefined ? undefined : row.serverErrors - (row.unavailableByDesign ?? 0),
    unexpectedWrites: row.unexpectedWrites,
    leaks: row.leaks,
    notProblemJson: row.notProblemJson,
    deadLetterMismatch: row.deadLetterMismatch,
  };
}

/**
 * Committed events the fault rows must add up to in a full run (`npm run test:reliability`), every
 * one delivered once: the size at which rare interleavings happen (faults.full.test.ts).
 */
export const FAULT_EVENTS_TARGET = 10_000;

export const RESULTS_DIR = join(dirname(fileURLToPath(import.meta.url)), '.results');

/** Records one measured row (appended at once, so a later failure in the same file keeps it). */
export function record(row: ReliabilityRow): void {
  mkdirSync(RESULTS_DIR, { recursive: true });
  appendFileSync(join(RESULTS_DIR, `${process.pid}.jsonl`), `${JSON.stringify({ ...row, recordedAt: new Date().toISOString() })}\n`);
}

/** The required-zero numbers of a row that are not zero. */
export function violations(row: ReliabilityRow): string[] {
  const figures = requiredFigures(row);
  return REQUIRED_ZERO.filter((k) => (figures[k] ?? 0) !== 0).map((k) => `${k}=${figures[k]}`);
}

/** Percentile (nearest rank) of a list of milliseconds. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}
