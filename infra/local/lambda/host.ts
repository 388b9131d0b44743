/**
 * Hosts Lambda handlers locally, the way Lambda runs them: each function has a pool of
 * sandboxes (worker threads with the function's own environment, what CDK gives it in AWS),
 * and a sandbox runs one invocation at a time. A sandbox starts on demand (a cold start) and is
 * kept warm; when all are busy, another starts, up to the function's local concurrency; beyond
 * that, invocations wait their turn. A timed-out or crashed sandbox is discarded, failing only
 * the invocation it was running, and a fresh one starts when needed.
 */
import { Worker } from 'node:worker_threads';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

const BOOTSTRAP = fileURLToPath(new URL('./worker-bootstrap.mjs', import.meta.url));

/** Sandboxes per function locally (Lambda scales much further; this bounds memory on a laptop). */
export const DEFAULT_LOCAL_CONCURRENCY = 4;

export class InvocationError extends Error {
  constructor(
    readonly functionName: string,
    readonly errorName: string,
    message: string,
    readonly remoteStack?: string,
  ) {
    super(`${functionName}: ${errorName}: ${message}`);
    this.name = 'InvocationError';
  }
}

export interface LocalFunctionConfig {
  /** Physical name, e.g. `indicators-api`. */
  name: string;
  /** Entry module path from the repository root. */
  entry: string;
  environment: Record<string, string>;
  timeoutSeconds: number;
  memoryMb: number;
  awsRegion: string;
  /** Sandboxes at most (default DEFAULT_LOCAL_CONCURRENCY). */
  concurrency?: number;
}

type WorkerReply = { id?: string; ok?: boolean; ready?: boolean; value?: unknown; error?: { name: string; message: string; stack?: string } };

/** One worker thread: the inside of one Lambda sandbox, one invocation at a time. */
class Sandbox {
  readonly worker: Worker;
  readonly ready: Promise<void>;
  busy = false;
  dead = false;
  private current: { id: string; resolve: (v: unknown) => void; reject: (e: Error) => void; timer: NodeJS.Timeout } | undefined;

  constructor(
    private readonly config: LocalFunctionConfig,
    repoRoot: string,
    private readonly onDeath: (sandbox: Sandbox) => void,
  ) {
    this.worker = new Worker(BOOTSTRAP, {
      env: { ...config.environment },
      execArgv: [],
      workerData: { entry: resolve(repoRoot, config.entry), functionName: config.name, memoryMb: config.memoryMb, region: config.awsRegion },
    });
    this.ready = new Promise<void>((resolveReady, rejectReady) => {
      const onStartError = (error: Error) => rejectReady(new InvocationError(config.name, 'InitError', error.message, error.stack));
      this.worker.once('error', onStartError);
      this.worker.on('message', (message: WorkerReply) => {
        if (message.ready) {
          this.worker.off('error', onStartError);
          resolveReady();
        }
      });
    });
    this.ready.catch(() => undefined);
    this.worker.on('message', (message: WorkerReply) => {
      const call = this.current;
      if (!message.id || !call || message.id !== call.id) return;
      this.current = undefined;
      clearTimeout(call.timer);
      this.busy = false;
      if (message.ok) call.resolve(message.value);
      else call.reject(new InvocationError(config.name, message.error?.name ?? 'Error', message.error?.message ?? 'unknown error', message.error?.stack));
    });
    this.worker.on('error', (error) => this.kill(new InvocationError(config.name, 'Runtime.ExitError', error.message, error.stack)));
    this.worker.on('exit', (code) => this.kill(new InvocationError(config.name, 'Runtime.ExitError', `worker exited with code ${code}`)));
    // Sandboxes must not keep a shutting-down process alive.
    this.worker.unref();
  }

  run(event: unknown): Promise<unknown> {
    this.busy = true;
    const id = randomUUID();
    const timeoutMs = this.config.timeoutSeconds * 1000;
    return new Promise((resolvePromise, rejectPromise) => {
      const timer = setTimeout(() => {
        // Like Lambda: the timed-out invocation fails and its sandbox is thrown away.
        this.kill(new InvocationError(this.config.name, 'Sandbox.Timedout', `Task timed out after ${this.config.timeoutSeconds} seconds`));
      }, timeoutMs);
      this.current = { id, resolve: resolvePromise, reject: rejectPromise, timer };
      this.worker.postMessage({ id, event, requestId: id, deadline: Date.now() + timeoutMs });
    });
  }

  kill(error: Error): void {
    if (this.dead) return;
    this.dead = true;
    const call = this.current;
    this.current = undefined;
    if (call) {
      clearTimeout(call.timer);
      call.reject(error);
    }
    void this.worker.terminate();
    this.onDeath(this);
  }
}

export class LocalFunction {
  private readonly sandboxes: Sandbox[] = [];
  private readonly waiting: { resolve: (sandbox: Sandbox) => void; reject: (error: Error) => void }[] = [];
  private closed = false;
  /** Sandboxes started so far (cold starts), for stats and tests. */
  coldStarts = 0;

  constructor(
    readonly config: LocalFunctionConfig,
    private readonly repoRoot: string,
  ) {}

  private get concurrency(): number {
    return this.config.concurrency ?? DEFAULT_LOCAL_CONCURRENCY;
  }

  private start(): Sandbox {
    this.coldStarts++;
    const sandbox = new Sandbox(this.config, this.repoRoot, (dead) => {
      const index = this.sandboxes.indexOf(dead);
      if (index >= 0) this.sandboxes.splice(index, 1);
      // Someone waiting for a sandbox can now have a fresh one.
      this.dispatch();
    });
    this.sandboxes.push(sandbox);
    return sandbox;
  }

  /** Hands free (or new) sandboxes to waiting invocations. */
  private dispatch(): void {
    while (this.waiting.length && !this.closed) {
      const free = this.sandboxes.find((s) => !s.busy && !s.dead) ?? (this.sandboxes.length < this.concurrency ? this.start() : undefined);
      if (!free) return;
      free.busy = true;
      (this.waiting.shift() as (typeof this.waiting)[number]).resolve(free);
    }
  }

  private acquire(): Promise<Sandbox> {
    if (this.closed) return Promise.reject(new InvocationError(this.config.name, 'Closed', 'the local runtime is shutting down'));
    return new Promise((resolveSandbox, rejectSandbox) => {
      this.waiting.push({ resolve: resolveSandbox, reject: rejectSandbox });
      this.dispatch();
    });
  }

  /** Starts a sandbox ahead of the first invocation (like provisioned concurrency). */
  async warm(): Promise<void> {
    const sandbox = this.sandboxes[0] ?? this.start();
    await sandbox.ready;
  }

  async invoke<T = unknown>(event: unknown): Promise<T> {
    const sandbox = await this.acquire();
    try {
      await sandbox.ready;
    } catch (error) {
      sandbox.kill(error as Error);
      throw error;
    }
    try {
      return (await sandbox.run(event)) as T;
    } finally {
      if (!sandbox.dead) sandbox.busy = false;
      this.dispatch();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const closing = new InvocationError(this.config.name, 'Closed', 'the local runtime is shutting down');
    for (const waiter of this.waiting.splice(0)) waiter.reject(closing);
    const workers = this.sandboxes.map((s) => s.worker);
    for (const sandbox of [...this.sandboxes]) sandbox.kill(closing);
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
