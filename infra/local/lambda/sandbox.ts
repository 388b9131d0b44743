/**
 * One local "Lambda sandbox": a worker thread with the function's own environment that imports
 * the function's bundle (bundles.ts) and runs one invocation at a time. Its cold start is the
 * bundle check (or build), the thread's start and the bundle's import, up to the worker's
 * "ready"; a timed-out or crashed sandbox is discarded, failing only the invocation it ran.
 */
import { Worker } from 'node:worker_threads';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { Bundle } from './bundles.ts';

const BOOTSTRAP = fileURLToPath(new URL('./worker-bootstrap.mjs', import.meta.url));

/**
 * Source maps make stack traces point at the TypeScript sources, as NODE_OPTIONS does in Lambda.
 * Node reads a bundle's map when it loads the bundle: measured, it adds little to a cold start.
 */
const WORKER_EXEC_ARGV = ['--enable-source-maps'];

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

export interface SandboxConfig {
  /** Physical name, e.g. `indicators-api`. */
  name: string;
  environment: Record<string, string>;
  timeoutSeconds: number;
  memoryMb: number;
  awsRegion: string;
}

/** One cold start: from the sandbox's creation to its worker being ready. */
export interface ColdStart {
  /** When it began (epoch ms). */
  readonly at: number;
  /** Creation to ready, bundle check or build included. */
  readonly ms: number;
  /** Of which the bundle check, or the build when `built`. */
  readonly bundleMs: number;
  readonly built: boolean;
}

type WorkerReply = { id?: string; ok?: boolean; ready?: boolean; value?: unknown; error?: { name: string; message: string; stack?: string } };

/**
 * A sandbox's heap, as Lambda sizes it: the old generation may grow to the function's memory
 * setting, and the young generation stays small (a handler's garbage is short-lived and small;
 * V8's default semi-spaces are sized for a whole process, and each worker would keep them).
 */
const SANDBOX_HEAP_LIMITS = (memoryMb: number) => ({ maxOldGenerationSizeMb: memoryMb, maxYoungGenerationSizeMb: 4 });

export class Sandbox {
  readonly ready: Promise<ColdStart>;
  worker: Worker | undefined;
  bundle: Bundle | undefined;
  /** Ready for invocations (its worker imported the bundle). */
  started = false;
  busy = false;
  dead = false;
  /** Replaced by a newer bundle: discarded once its current invocation ends. */
  retired = false;
  idleTimer: NodeJS.Timeout | undefined;
  private current: { id: string; resolve: (v: unknown) => void; reject: (e: Error) => void; timer: NodeJS.Timeout } | undefined;

  constructor(
    private readonly config: SandboxConfig,
    bundle: Promise<Bundle>,
    private readonly onDeath: (sandbox: Sandbox) => void,
  ) {
    const at = Date.now();
    const started = performance.now();
    this.ready = bundle.then(
      (built) => {
        if (this.dead) throw new InvocationError(config.name, 'Closed', 'the sandbox was discarded before it started');
        this.bundle = built;
        return this.spawn(built).then(() => {
          this.started = true;
          return { at, ms: performance.now() - started, bundleMs: built.ms, built: built.built };
        });
      },
      (error: Error) => {
        throw new InvocationError(config.name, 'InitError', `bundling failed: ${error.message}`, error.stack);
      },
    );
    this.ready.catch(() => undefined);
  }

  private spawn(bundle: Bundle): Promise<void> {
    const worker = new Worker(BOOTSTRAP, {
      env: { ...this.config.environment },
      execArgv: WORKER_EXEC_ARGV,
      workerData: { bundle: bundle.file, functionName: this.config.name, memoryMb: this.config.memoryMb, region: this.config.awsRegion },
      resourceLimits: SANDBOX_HEAP_LIMITS(this.config.memoryMb),
    });
    this.worker = worker;
    const ready = new Promise<void>((resolveReady, rejectReady) => {
      const onStartError = (error: Error) => rejectReady(new InvocationError(this.config.name, 'InitError', error.message, error.stack));
      worker.once('error', onStartError);
      worker.once('exit', (code) => rejectReady(new InvocationError(this.config.name, 'InitError', `worker exited with code ${code} before it was ready`)));
      worker.on('message', (message: WorkerReply) => {
        if (message.ready) {
          worker.off('error', onStartError);
          resolveReady();
        }
      });
    });
    worker.on('message', (message: WorkerReply) => {
      const call = this.current;
      if (!message.id || !call || message.id !== call.id) return;
      this.current = undefined;
      clearTimeout(call.timer);
      if (message.ok) call.resolve(message.value);
      else call.reject(new InvocationError(this.config.name, message.error?.name ?? 'Error', message.error?.message ?? 'unknown error', message.error?.stack));
    });
    worker.on('error', (error) => this.kill(new InvocationError(this.config.name, 'Runtime.ExitError', error.message, error.stack)));
    worker.on('exit', (code) => this.kill(new InvocationError(this.config.name, 'Runtime.ExitError', `worker exited with code ${code}`)));
    // Sandboxes must not keep a shutting-down process alive.
    worker.unref();
    return ready;
  }

  run(event: unknown): Promise<unknown> {
    const worker = this.worker;
    if (!worker || this.dead) return Promise.reject(new InvocationError(this.config.name, 'Runtime.ExitError', 'the sandbox is not running'));
    const id = randomUUID();
    const timeoutMs = this.config.timeoutSeconds * 1000;
    return new Promise((resolvePromise, rejectPromise) => {
      const timer = setTimeout(() => {
        // Like Lambda: the timed-out invocation fails and its sandbox is thrown away.
        this.kill(new InvocationError(this.config.name, 'Sandbox.Timedout', `Task timed out after ${this.config.timeoutSeconds} seconds`));
      }, timeoutMs);
      this.current = { id, resolve: resolvePromise, reject: rejectPromise, timer };
      worker.postMessage({ id, event, requestId: id, deadline: Date.now() + timeoutMs });
    });
  }

  kill(error: Error): void {
    if (this.dead) return;
    this.dead = true;
    clearTimeout(this.idleTimer);
    const call = this.current;
    this.current = undefined;
    if (call) {
      clearTimeout(call.timer);
      call.reject(error);
    }
    void this.worker?.terminate();
    this.onDeath(this);
  }
}
