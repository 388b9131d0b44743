/**
 * One retry policy for the whole code base: exponential back-off with jitter. Every delay is
 * between half and all of min(maxMs, baseMs · 2^(retry-1)), so clients that failed together do
 * not retry together (the "equal jitter" of the AWS architecture blog's back-off study).
 */

export interface BackoffOptions {
  /** Delay before the first retry, before jitter. */
  readonly baseMs: number;
  /** Ceiling on any one delay, before jitter. */
  readonly maxMs: number;
}

/** The jittered delay before retry number `retry` (1 for the first retry). */
export function backoffDelay(retry: number, { baseMs, maxMs }: BackoffOptions): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, retry - 1));
  return ceiling * (0.5 + Math.random() / 2);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface RetryOptions extends BackoffOptions {
  /** Calls in all, the first included. */
  readonly attempts: number;
  /** Whether an error is worth another attempt; anything else is thrown at once. */
  readonly retryable: (error: unknown) => boolean;
  /** Injected in tests; defaults to a real timer. */
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * Calls `fn` until it returns, retrying errors `retryable` accepts with jittered back-off; the
 * last error is thrown when the attempts run out. `fn` receives the attempt number (from 1).
 */
export async function retryWithJitter<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const wait = options.sleep ?? sleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      if (attempt >= options.attempts || !options.retryable(error)) throw error;
      await wait(backoffDelay(attempt, options));
    }
  }
}

/**
 * Repeats a batch call on what it left unprocessed (BatchWriteItem, BatchGetItem, PutEvents),
 * with jittered back-off between rounds. `send` takes what is pending and returns what is still
 * pending; an error names `what` when rounds run out with work left.
 */
export async function drainWithJitter<T>(
  pending: readonly T[],
  send: (pending: readonly T[]) => Promise<readonly T[]>,
  options: BackoffOptions & { readonly attempts: number; readonly what: string; readonly sleep?: (ms: number) => Promise<void> },
): Promise<void> {
  const wait = options.sleep ?? sleep;
  let left = pending;
  for (let attempt = 1; left.length > 0; attempt++) {
    if (attempt > options.attempts) throw new Error(`${options.what}: ${left.length} item(s) still unprocessed after ${options.attempts} attempts`);
    if (attempt > 1) await wait(backoffDelay(attempt - 1, options));
    left = await send(left);
  }
}
