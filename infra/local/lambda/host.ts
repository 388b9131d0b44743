/**
 * Hosts Lambda handlers locally. Each function gets its own worker thread, started on first
 * invocation (a cold start) and kept warm, with its own environment variables: exactly what
 * CDK gives the function in AWS. The handler module is the unchanged entry from the manifest.
 * A timed-out or crashed worker is discarded and the next invocation starts a fresh one.
 */
import { Worker } from 'node:worker_threads';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

const BOOTSTRAP = fileURLToPath(new URL('./worker-bootstrap.mjs', import.meta.url));

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
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

export class LocalFunction {
  private worker: Worker | undefined;
  private ready: Promise<void> | undefined;
  private readonly pending = new Map<string, Pending>();
  private closed = false;
  /** Cold starts so far (for stats and tests). */
  coldStarts = 0;

  constructor(
    readonly config: LocalFunctionConfig,
    private readonly repoRoot: string,
  ) {}

  private start(): Promise<void> {
    this.coldStarts++;
    const worker = new Worker(BOOTSTRAP, {
      env: { ...this.config.environment },
      execArgv: [],
      workerData: {
        entry: resolve(this.repoRoot, this.config.entry),
        functionName: this.config.name,
        memoryMb: this.config.memoryMb,
        region: this.config.awsRegion,
      },
    });
    this.worker = worker;
    this.ready = new Promise<void>((resolveReady, rejectReady) => {
      const onMessage = (message: { ready?: boolean }) => {
        if (message.ready) {
          worker.off('error', onStartError);
          resolveReady();
        }
      };
      const onStartError = (error: Error) => rejectReady(new InvocationError(this.config.name, 'InitError', error.message, error.stack));
      worker.once('error', onStartError);
      worker.on('message', onMessage);
    });
    worker.on('message', (message: { id?: string; ok?: boolean; value?: unknown; error?: { name: string; message: string; stack?: string } }) => {
      if (!message.id) return;
      const call = this.pending.get(message.id);
      if (!call) return;
      this.pending.delete(message.id);
      clearTimeout(call.timer);
      if (message.ok) call.resolve(message.value);
      else call.reject(new InvocationError(this.config.name, message.error?.name ?? 'Error', message.error?.message ?? 'unknown error', message.error?.stack));
    });
    worker.on('error', (error) => this.discard(new InvocationError(this.config.name, 'Runtime.ExitError', error.message, error.stack)));
    worker.on('exit', (code) => {
      if (this.worker === worker) this.discard(new InvocationError(this.config.name, 'Runtime.ExitError', `worker exited with code ${code}`));
    });
    // Workers must not keep a shutting-down process alive.
    worker.unref();
    return this.ready;
  }

  /** Drops the current worker, failing what is in flight on it. */
  private discard(error: Error): void {
    const worker = this.worker;
    this.worker = undefined;
    this.ready = undefined;
    for (const [id, call] of this.pending) {
      clearTimeout(call.timer);
      call.reject(error);
      this.pending.delete(id);
    }
    void worker?.terminate();
  }

  /** Starts the sandbox ahead of the first invocation (like provisioned concurrency). */
  async warm(): Promise<void> {
    if (!this.worker) await this.start();
    else await this.ready;
  }

  async invoke<T = unknown>(event: unknown): Promise<T> {
    if (this.closed) throw new InvocationError(this.config.name, 'Closed', 'the local runtime is shutting down');
    if (!this.worker) await this.start();
    else await this.ready;
    const worker = this.worker as Worker;
    const id = randomUUID();
    const timeoutMs = this.config.timeoutSeconds * 1000;
    return new Promise<T>((resolvePromise, rejectPromise) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        rejectPromise(new InvocationError(this.config.name, 'Sandbox.Timedout', `Task timed out after ${this.config.timeoutSeconds} seconds`));
        this.discard(new InvocationError(this.config.name, 'Sandbox.Timedout', 'sandbox reset after a timeout'));
      }, timeoutMs);
      this.pending.set(id, { resolve: resolvePromise as (v: unknown) => void, reject: rejectPromise, timer });
      worker.postMessage({ id, event, requestId: id, deadline: Date.now() + timeoutMs });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.discard(new InvocationError(this.config.name, 'Closed', 'the local runtime is shutting down'));
    await worker?.terminate();
  }
}
