/**
 * The bench's side of `runtime-probe.ts`: spawns the probe with an IPC channel, waits for the
 * runtime to be ready, sends it commands one at a time and stops it.
 *
 * The probe always stops the runtime; this side makes sure of it: on the overall timeout the
 * probe gets SIGTERM (it stops the runtime) and later SIGKILL (the DynamoDB Local watchdog then
 * ends Java), and afterwards every Java pid the probe reported must be gone: one still alive
 * after a grace period is killed (by that pid) and reported.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { BENCH_DIR, REPO_ROOT } from './paths.ts';
import type { ProbeCommand, ProbeEvent, ProbeReady, ProbeReply } from './runtime-probe.ts';

const PROBE = join(BENCH_DIR, 'runtime-probe.ts');
/** Start, the year, the load and the cold starts together stay well below this. */
const PROBE_TIMEOUT_MS = 420_000;
const COMMAND_TIMEOUT_MS = 120_000;

type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;
type Command = WithoutId<ProbeCommand>;
interface ReplyTypes {
  token: 'token';
  settle: 'settled';
  snapshot: 'snapshot';
  coldStarts: 'coldStarts';
}
type ReplyTo<C extends keyof ReplyTypes> = Extract<ProbeReply, { type: ReplyTypes[C] }>;

function cmdline(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return undefined;
  }
}

const isDynamoDbLocal = (pid: number) => cmdline(pid)?.includes('DynamoDBLocal.jar') ?? false;

/** DynamoDB Local Java processes on this machine (to tell leaks from engines others run). */
function dynamoDbLocalPids(): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter(isDynamoDbLocal);
}

export interface SessionEnd {
  /** How long `runtime.stop()` took in the probe (undefined without its report). */
  readonly stopMs?: number;
  /** Errors the probe reported on its own (signals, a failed stop). */
  readonly errors: readonly string[];
  /** Java processes that outlived the probe, or appeared meanwhile. */
  readonly problems: readonly string[];
  readonly javaPids: readonly number[];
}

export class ProbeSession {
  private readonly pending = new Map<number, { resolve: (reply: ProbeReply) => void; reject: (error: Error) => void }>();
  private nextId = 1;
  private stderr = '';
  private javaPids: number[] = [];
  private stopMs: number | undefined;
  private readonly errors: string[] = [];
  private exited: Promise<void>;
  private exitReason: string | undefined;
  private readonly timers: NodeJS.Timeout[] = [];

  private constructor(
    private readonly child: ChildProcess,
    private readonly before: readonly number[],
  ) {
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exitReason = `the probe exited with ${signal ?? `code ${code}`}`;
        for (const waiter of this.pending.values()) waiter.reject(this.failure(this.exitReason));
        this.pending.clear();
        resolve();
      });
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderr = (this.stderr + chunk).slice(-8000);
    });
    child.stdout?.resume();
    this.timers.push(
      setTimeout(() => {
        this.errors.push(`timed out after ${PROBE_TIMEOUT_MS / 1000} s: SIGTERM`);
        child.kill('SIGTERM');
      }, PROBE_TIMEOUT_MS),
      setTimeout(() => child.kill('SIGKILL'), PROBE_TIMEOUT_MS + 30_000),
    );
  }

  /** Spawns the probe and resolves once the runtime answers `GET /v1/health`. */
  static async start(): Promise<{ session: ProbeSession; ready: ProbeReady }> {
    const before = dynamoDbLocalPids();
    // `node --import tsx` rather than `npx tsx`: one process, whose memory is the runtime's.
    const child = spawn(process.execPath, ['--import', 'tsx', PROBE], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe', 'ipc'], env: process.env });
    const session = new ProbeSession(child, before);
    const ready = await new Promise<ProbeReady>((resolve, reject) => {
      child.once('error', reject);
      child.on('message', (message: ProbeEvent | ProbeReply) => {
        if ('id' in message) return session.settle(message);
        switch (message.type) {
          case 'started':
            session.javaPids = [...message.javaPids];
            return;
          case 'ready':
            resolve(message);
            return;
          case 'error':
            session.errors.push(message.message);
            return;
          case 'stopped':
            session.stopMs = message.stopMs;
            return;
        }
      });
      void session.exited.then(() => reject(session.failure(session.exitReason ?? 'the probe exited before the runtime was ready')));
    }).catch(async (error: unknown) => {
      await session.stop();
      throw error;
    });
    return { session, ready };
  }

  private failure(why: string): Error {
    const parts = [why, ...this.errors, this.stderr.trim() ? `probe stderr:\n${this.stderr.trim()}` : ''].filter(Boolean);
    return new Error(parts.join('\n'));
  }

  private settle(reply: ProbeReply): void {
    const waiter = this.pending.get(reply.id);
    if (!waiter) return;
    this.pending.delete(reply.id);
    if (reply.type === 'error') waiter.reject(new Error(`probe: ${reply.message}`));
    else waiter.resolve(reply);
  }

  /** Sends a command and waits for its reply (bounded). */
  request<C extends keyof ReplyTypes>(command: Command & { readonly cmd: C }, timeoutMs = COMMAND_TIMEOUT_MS): Promise<ReplyTo<C>> {
    if (this.exitReason || !this.child.connected) return Promise.reject(this.failure(this.exitReason ?? 'the probe is not connected'));
    const id = this.nextId++;
    return new Promise<ReplyTo<C>>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`probe: no reply to ${command.cmd} within ${timeoutMs / 1000} s`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (reply) => {
          clearTimeout(timer);
          resolve(reply as ReplyTo<C>);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      this.child.send({ ...command, id } as ProbeCommand);
    });
  }

  /** Stops the runtime (the probe exits), then checks that Java is gone. Never throws. */
  async stop(): Promise<SessionEnd> {
    if (!this.exitReason && this.child.connected) this.child.send({ id: 0, cmd: 'stop' } satisfies ProbeCommand);
    const grace = setTimeout(() => this.child.kill('SIGTERM'), 60_000);
    await this.exited;
    clearTimeout(grace);
    for (const timer of this.timers) clearTimeout(timer);
    const problems = await this.ensureJavaGone();
    return { ...(this.stopMs !== undefined ? { stopMs: this.stopMs } : {}), errors: this.errors, problems, javaPids: this.javaPids };
  }

  /** Java processes the probe started must be gone; returns a complaint for each survivor. */
  private async ensureJavaGone(): Promise<string[]> {
    const problems: string[] = [];
    for (let waited = 0; waited < 10_000 && this.javaPids.some(isDynamoDbLocal); waited += 250) await sleep(250);
    for (const pid of this.javaPids.filter(isDynamoDbLocal)) {
      problems.push(`Java ${pid} (DynamoDB Local) survived the probe; killed it`);
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* gone meanwhile */
      }
    }
    const strangers = dynamoDbLocalPids().filter((pid) => !this.before.includes(pid) && !this.javaPids.includes(pid));
    if (strangers.length > 0) problems.push(`DynamoDB Local processes appeared during the bench that the probe did not report: ${strangers.join(', ')} (left alone)`);
    return problems;
  }
}
