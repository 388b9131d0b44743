/**
 * Hosts Lambda handlers locally, the way Lambda runs them: each function has a pool of
 * sandboxes (sandbox.ts: worker threads with the function's own environment, what CDK gives it
 * in AWS, running the function's esbuild bundle from bundles.ts), and a sandbox runs one
 * invocation at a time.
 *
 * - No sandbox exists until the function's first invocation starts one (a cold start); `warm()`
 *   starts one ahead of time, like provisioned concurrency.
 * - When every sandbox is busy, another starts, up to the function's concurrency (sized to the
 *   machine, `defaultConcurrency`); beyond that, invocations wait their turn.
 * - A sandbox idle for `idleMs` (default 10 minutes) is reaped; the next invocation is a cold
 *   start again. The timers are unref'd: they keep no process alive.
 * - A timed-out or crashed sandbox is discarded, failing only the invocation it was running, and
 *   a fresh one starts when needed.
 * - Before an invocation (at most once a second) the repository sources of the running bundle
 *   are checked: after an edit, the function's sandboxes are retired (idle ones now, busy ones
 *   when their invocation ends), so the next invocation cold-starts on a rebuilt bundle.
 */
import { availableParallelism, freemem } from 'node:os';
import { bundleCache, defaultBundleCacheDir, type Bundle, type BundleCache } from './bundles.ts';
import { InvocationError, Sandbox, type ColdStart, type SandboxConfig } from './sandbox.ts';

export { InvocationError, type ColdStart } from './sandbox.ts';

/** Sandboxes idle this long are reaped (JIXIAO_SANDBOX_IDLE_MS or the runtime's `sandboxIdleMs` overrides it). */
export const DEFAULT_IDLE_MS = 10 * 60 * 1000;
/** Memory to allow per sandbox when sizing concurrency: an idle one holds about 20 MB (measured), twice that leaves room for a working heap. */
const SANDBOX_MB = 40;
/**
 * How long an invocation waits for a busy sandbox before another one starts, when the function
 * already has one. Bursts of events (a relay delivering ten at once to a consumer) are then
 * served by the sandboxes already running, each a few milliseconds per event, instead of
 * starting sandboxes that hold about 20 MB each until they are reaped. A steady load still
 * scales to the full concurrency within a few multiples of this delay. Lambda has no such
 * delay; it is a local economy of memory (JIXIAO_SANDBOX_SCALE_UP_MS overrides it, 0 turns it off).
 */
export const DEFAULT_SCALE_UP_DELAY_MS = 50;
/** How often, at most, a function checks its bundle's sources before an invocation. */
const FRESHNESS_CHECK_MS = 1000;
/** Cold starts kept per function for stats. */
const COLD_START_LOG = 100;

/**
 * Sandboxes one function may run at once locally (Lambda scales much further):
 *
 *   clamp(min(2 × os.availableParallelism(), floor(os.freemem() / 4 / SANDBOX_MB)), 2, 32)
 *
 * Handlers mostly wait on DynamoDB and EventBridge, so two sandboxes per core keep the cores busy
 * without piling up threads; one function takes at most a quarter of the memory free when the
 * runtime starts. At least 2, so one slow invocation does not hold up the rest. On a 2-core
 * machine: 4; on 8 cores with 4 GB free: 16.
 */
export function defaultConcurrency(cores = availableParallelism(), freeBytes = freemem()): number {
  const byMemory = Math.floor(freeBytes / 4 / (SANDBOX_MB * 1024 * 1024));
  return Math.max(2, Math.min(2 * cores, byMemory, 32));
}

export interface LocalFunctionConfig extends SandboxConfig {
  /** Entry module path from the repository root. */
  entry: string;
  /** Sandboxes at most (default `defaultConcurrency()`). */
  concurrency?: number;
}

/**
 * Invocations that share one limit, served first come, first served whatever their function:
 * the local front's API functions share one, as functions share the account's concurrency in
 * Lambda. Without it, each API function queued its own requests behind its own few sandboxes, and
 * under a 200-user load the routes of the busiest function waited seconds while others did not
 * (docs/decisions.md).
 */
export class ConcurrencyPool {
  private active = 0;
  private readonly queue: (() => void)[] = [];

  constructor(readonly limit: number) {
    if (!(limit >= 1)) throw new Error(`a concurrency pool needs a limit of at least 1 (got ${limit})`);
  }

  acquire(): Promise<void> {
    if (this.active < this.limit) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.queue.push(resolve));
  }

  /** Hands the slot to the longest waiting invocation, if any. */
  release(): void {
    const next = this.queue.shift();
    if (next) next();
    else this.active--;
  }

  /** Invocations holding a slot, and waiting for one. */
  get usage(): { active: number; waiting: number } {
    return { active: this.active, waiting: this.queue.length };
  }
}

export interface LocalFunctionOptions {
  /** Where bundles are cached (default `defaultBundleCacheDir`). */
  bundles?: BundleCache;
  /** Reap a sandbox idle this long (default DEFAULT_IDLE_MS). */
  idleMs?: number;
  /** Wait this long for a busy sandbox before starting another (default DEFAULT_SCALE_UP_DELAY_MS). */
  scaleUpDelayMs?: number;
  /** A limit shared with other functions: an invocation first takes a slot of it. */
  pool?: ConcurrencyPool;
}

export interface FunctionStats {
  readonly name: string;
  readonly concurrency: number;
  /** Sandboxes started so far. */
  readonly coldStarts: number;
  /** The latest cold starts (at most 100), oldest first. */
  readonly coldStartLog: readonly ColdStart[];
  /** Sandboxes alive now, and of those busy. */
  readonly sandboxes: number;
  readonly busy: number;
  /** Sandboxes reaped for idleness, and retired for a changed bundle. */
  readonly reaped: number;
  readonly retired: number;
  /** Invocations finished (succeeded or failed), what Lambda's Invocations metric counts. */
  readonly invocations: number;
  /** Their summed duration in a sandbox (Lambda's Duration), and the time they waited for one. */
  readonly durationMs: number;
  readonly waitedMs: number;
}

export class LocalFunction {
  private readonly sandboxes: Sandbox[] = [];
  private readonly waiting: { resolve: (sandbox: Sandbox) => void; reject: (error: Error) => void }[] = [];
  private readonly bundles: BundleCache;
  private readonly idleMs: number;
  private readonly scaleUpDelayMs: number;
  private readonly pool: ConcurrencyPool | undefined;
  /** Set while an invocation waits out the scale-up delay. */
  private scaleUpTimer: NodeJS.Timeout | undefined;
  /** Sandboxes at most. */
  readonly concurrency: number;
  private closed = false;
  private latest: Bundle | undefined;
  private checkedAt = 0;
  /** Sandboxes started so far (cold starts). */
  coldStarts = 0;
  readonly coldStartLog: ColdStart[] = [];
  private reaped = 0;
  private retired = 0;
  private invocations = 0;
  private durationMs = 0;
  private waitedMs = 0;

  constructor(
    readonly config: LocalFunctionConfig,
    repoRoot: string,
    options: LocalFunctionOptions = {},
  ) {
    this.bundles = options.bundles ?? bundleCache(defaultBundleCacheDir(repoRoot), repoRoot);
    this.idleMs = options.idleMs ?? DEFAULT_IDLE_MS;
    this.scaleUpDelayMs = options.scaleUpDelayMs ?? DEFAULT_SCALE_UP_DELAY_MS;
    this.pool = options.pool;
    this.concurrency = config.concurrency ?? defaultConcurrency();
  }

  /** Sandboxes started and not yet ready (a dead one has left the list). */
  private get starting(): number {
    return this.sandboxes.filter((s) => !s.started).length;
  }

  private start(): Sandbox {
    this.coldStarts++;
    const sandbox = new Sandbox(this.config, this.bundles.ensure(this.config.entry), (dead) => {
      const index = this.sandboxes.indexOf(dead);
      if (index >= 0) this.sandboxes.splice(index, 1);
      // Someone waiting for a sandbox can now have a fresh one.
      this.dispatch();
    });
    sandbox.ready
      .then(
        (coldStart) => {
          if (sandbox.bundle) this.latest = sandbox.bundle;
          this.coldStartLog.push(coldStart);
          if (this.coldStartLog.length > COLD_START_LOG) this.coldStartLog.shift();
        },
        (error: Error) => {
          // Like Lambda's init error: the invocation that asked for this sandbox fails with it
          // (first, so that the dead sandbox's replacement is started only for those still waiting).
          this.waiting.shift()?.reject(error);
          sandbox.kill(error);
        },
      )
      .finally(() => {
        // Ready and wanted by no one (a running sandbox served the waiter): idle in the pool.
        if (sandbox.started && !sandbox.busy && !sandbox.dead) this.release(sandbox);
        else this.dispatch();
      });
    this.sandboxes.push(sandbox);
    return sandbox;
  }

  /**
   * Hands started, free sandboxes to waiting invocations, oldest first; starts more when they
   * are due (`scaleUp`: the scale-up delay has passed). A starting sandbox is given to no one
   * in particular: when it is ready it serves the oldest waiter, unless a running sandbox came
   * free first, so a request does not wait out a cold start that another sandbox spares it.
   */
  private dispatch(scaleUp = false): void {
    while (this.waiting.length && !this.closed) {
      const free = this.sandboxes.find((s) => s.started && !s.busy && !s.dead && !s.retired);
      if (!free) {
        this.startIfDue(scaleUp);
        return;
      }
      free.busy = true;
      clearTimeout(free.idleTimer);
      (this.waiting.shift() as (typeof this.waiting)[number]).resolve(free);
    }
  }

  /** Starts a sandbox per waiter no starting sandbox will serve: at once when none runs, else once an invocation has waited the scale-up delay. */
  private startIfDue(scaleUp: boolean): void {
    while (this.waiting.length > this.starting && this.sandboxes.length < this.concurrency) {
      const running = this.sandboxes.some((s) => !s.dead && !s.retired);
      if (running && !scaleUp && this.scaleUpDelayMs > 0) {
        if (!this.scaleUpTimer) {
          this.scaleUpTimer = setTimeout(() => {
            this.scaleUpTimer = undefined;
            this.dispatch(true);
          }, this.scaleUpDelayMs);
          this.scaleUpTimer.unref();
        }
        return;
      }
      this.start();
    }
  }

  /** Back to the pool: reaped after idleMs unless used again, discarded at once if retired. */
  private release(sandbox: Sandbox): void {
    if (sandbox.dead) return;
    sandbox.busy = false;
    if (sandbox.retired) {
      sandbox.kill(new InvocationError(this.config.name, 'Retired', 'replaced by a newer bundle'));
      return;
    }
    this.dispatch();
    if (sandbox.busy) return;
    clearTimeout(sandbox.idleTimer);
    sandbox.idleTimer = setTimeout(() => {
      if (sandbox.busy || sandbox.dead) return;
      this.reaped++;
      sandbox.kill(new InvocationError(this.config.name, 'Reaped', `idle for ${this.idleMs} ms`));
    }, this.idleMs);
    sandbox.idleTimer.unref();
  }

  /** After an edit of the bundle's sources, retire the sandboxes running it (cheap: stats of the repository inputs, once a second). */
  private retireIfStale(): void {
    const now = Date.now();
    if (!this.latest || now - this.checkedAt < FRESHNESS_CHECK_MS) return;
    this.checkedAt = now;
    if (!this.bundles.changed(this.latest)) return;
    this.latest = undefined;
    for (const sandbox of [...this.sandboxes]) {
      if (sandbox.retired) continue;
      sandbox.retired = true;
      this.retired++;
      if (!sandbox.busy) sandbox.kill(new InvocationError(this.config.name, 'Retired', 'replaced by a newer bundle'));
    }
  }

  private acquire(): Promise<Sandbox> {
    if (this.closed) return Promise.reject(new InvocationError(this.config.name, 'Closed', 'the local runtime is shutting down'));
    return new Promise((resolveSandbox, rejectSandbox) => {
      this.waiting.push({ resolve: resolveSandbox, reject: rejectSandbox });
      this.dispatch();
    });
  }

  /** Starts a sandbox ahead of the first invocation (like provisioned concurrency) and resolves with its cold start. */
  async warm(): Promise<ColdStart | undefined> {
    if (this.closed) throw new InvocationError(this.config.name, 'Closed', 'the local runtime is shutting down');
    if (this.sandboxes.some((s) => !s.dead && !s.retired)) return undefined;
    // Once ready it joins the pool or serves a waiting invocation; a failed start discards it (start()).
    return this.start().ready;
  }

  async invoke<T = unknown>(event: unknown): Promise<T> {
    this.retireIfStale();
    const asked = performance.now();
    await this.pool?.acquire();
    try {
      // A started sandbox: acquire() hands out no other.
      const sandbox = await this.acquire();
      const started = performance.now();
      this.waitedMs += started - asked;
      try {
        return (await sandbox.run(event)) as T;
      } finally {
        this.invocations++;
        this.durationMs += performance.now() - started;
        this.release(sandbox);
      }
    } finally {
      this.pool?.release();
    }
  }

  stats(): FunctionStats {
    return {
      name: this.config.name,
      concurrency: this.concurrency,
      coldStarts: this.coldStarts,
      coldStartLog: [...this.coldStartLog],
      sandboxes: this.sandboxes.length,
      busy: this.sandboxes.filter((s) => s.busy).length,
      reaped: this.reaped,
      retired: this.retired,
      invocations: this.invocations,
      durationMs: this.durationMs,
      waitedMs: this.waitedMs,
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.scaleUpTimer);
    const closing = new InvocationError(this.config.name, 'Closed', 'the local runtime is shutting down');
    for (const waiter of this.waiting.splice(0)) waiter.reject(closing);
    const workers = this.sandboxes.flatMap((s) => (s.worker ? [s.worker] : []));
    for (const sandbox of [...this.sandboxes]) sandbox.kill(closing);
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
