/**
 * The `npm run dlq` and `npm run events` commands. Listing reads the JSONL files directly, so
 * it works whether or not the runtime is running; redrive needs the running runtime (its
 * targets live there) and goes through the admin API. The entry points in infra/local/cli/
 * only call these functions, which take their I/O as arguments so tests run them in-process.
 *
 * Exit codes: 0 done, 1 failed (runtime not running, redrive failures), 2 bad usage.
 */
import { existsSync } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { dataDir, eventsDir, isProcessAlive, jixiaoHome, readRuntimeState, runtimeStatePath, type RuntimeState } from '../paths.ts';
import type { RedriveResult } from './bus.ts';
import { archivedEventHeader, formatArchivedEvent, formatParkedEvent } from './format.ts';
import { ARCHIVE_FILE, DLQ_FILE, readArchiveTail, readDlq, type ArchivedEvent } from './store.ts';

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  env: NodeJS.ProcessEnv;
  /** Ends `--follow`; without one it runs until the process is interrupted. */
  signal?: AbortSignal;
  followIntervalMs?: number;
}

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

class UsageError extends Error {}

interface Located {
  home: string;
  /** Present only if a runtime.json exists and its process is alive. */
  running?: RuntimeState;
  /** The selected region's EventBridge endpoint in the running runtime. */
  eventBridgeUrl?: string;
  eventsDir: string;
}

/**
 * Finds the data directory: the running (or last) runtime's, else the default. Without a
 * region, the first region's (a single-region run's); with one, that region's entry in
 * runtime.json, or, with no runtime.json, `<data>/regions/<code>` of a past multi-region run.
 */
function locate(env: NodeJS.ProcessEnv, region?: string): Located {
  const home = jixiaoHome(env);
  const state = readRuntimeState(home);
  const running = state && isProcessAlive(state.pid) ? state : undefined;
  const alive = running ? { running } : {};
  if (region === undefined) {
    return { home, ...alive, ...(running ? { eventBridgeUrl: running.eventBridgeUrl } : {}), eventsDir: eventsDir(state?.dataDir ?? dataDir(home)) };
  }
  if (!/^\d{6}$/.test(region)) throw new UsageError(`--region takes a six-digit division code, got ${region}`);
  if (state) {
    const entry = state.regions?.find((r) => r.code === region);
    if (!entry) {
      const known = state.regions?.map((r) => r.code).join(', ');
      throw new Error(`region ${region} is not in ${runtimeStatePath(home)}${known ? ` (regions: ${known})` : ''}; start it with npm start -- --region ${region}`);
    }
    return { home, ...alive, ...(running ? { eventBridgeUrl: entry.eventBridgeUrl } : {}), eventsDir: eventsDir(entry.dataDir) };
  }
  const past = join(dataDir(home), 'regions', region);
  if (!existsSync(past)) throw new Error(`no runtime.json in ${home} and no ${past}: where region ${region} keeps its events is known once it ran (npm start -- --region ${region})`);
  return { home, eventsDir: eventsDir(past) };
}

/** parseArgs throws TypeErrors for unknown or malformed options: those are usage errors. */
function parseOrUsage<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

const HELP = { help: { type: 'boolean', short: 'h' }, region: { type: 'string' } } as const;

async function guard(io: CliIo, usage: string, run: () => Promise<number>): Promise<number> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`${error.message}\n\n${usage}`);
      return EXIT.usage;
    }
    io.err(`error: ${(error as Error).message}`);
    return EXIT.failed;
  }
}

// ---------------------------------------------------------------------------------------------
// npm run dlq

export const DLQ_USAGE = `Usage: npm run dlq -- <command> [options]

Events whose delivery to a rule's target failed every retry are parked in the local
dead-letter store (<dataDir>/events/dlq.jsonl).

Commands:
  list                       show parked events (works while the runtime is stopped)
  redrive [--id ID] [--rule RULE]
                             deliver parked events again through the running runtime;
                             delivered ones leave the store, failing ones stay
Options:
  --id ID        a dlq id, envelope id or detail.meta.eventId (redrive only that event)
  --rule RULE    only events parked for this rule (service.function.subscription,
                 or forward.to-parent.CODE / forward.to-child.CODE between regions)
  --region CODE  that region's dead letters in a multi-region run (default: the first region)
  --json         machine-readable output (one JSON object per line)
  -h, --help     this text

Environment: JIXIAO_HOME (default: .jixiao in the repository root)
Exit codes: 0 done, 1 failed (runtime not running, an event failed again), 2 bad usage`;

export function runDlqCli(argv: string[], io: CliIo): Promise<number> {
  return guard(io, DLQ_USAGE, async () => {
    const { values, positionals } = parseOrUsage(() =>
      parseArgs({
        args: argv,
        options: { ...HELP, id: { type: 'string' }, rule: { type: 'string' }, json: { type: 'boolean' } },
        allowPositionals: true,
      }),
    );
    if (values.help) {
      io.out(DLQ_USAGE);
      return EXIT.ok;
    }
    const [command, ...extra] = positionals;
    if (extra.length) throw new UsageError(`unexpected argument ${extra[0]}`);
    if (command === 'list') {
      if (values.id || values.rule) throw new UsageError('--id and --rule apply to redrive');
      return listDlq(io, values.json === true, values.region);
    }
    if (command === 'redrive') return redrive(io, values.id, values.rule, values.json === true, values.region);
    throw new UsageError(command ? `unknown command ${command}` : 'missing command');
  });
}

function listDlq(io: CliIo, json: boolean, region: string | undefined): number {
  const { eventsDir: dir } = locate(io.env, region);
  const parked = readDlq(dir);
  if (json) {
    for (const entry of parked) io.out(JSON.stringify(entry));
    return EXIT.ok;
  }
  if (!parked.length) {
    io.out(`No parked events (${join(dir, DLQ_FILE)}).`);
    return EXIT.ok;
  }
  io.out(`${parked.length} parked event(s) in ${join(dir, DLQ_FILE)}:\n`);
  io.out(parked.map(formatParkedEvent).join('\n\n'));
  io.out(`\nRedrive with: npm run dlq -- redrive [--id <event id>]`);
  return EXIT.ok;
}

async function redrive(io: CliIo, id: string | undefined, rule: string | undefined, json: boolean, region: string | undefined): Promise<number> {
  const { home, running, eventBridgeUrl } = locate(io.env, region);
  if (!running || !eventBridgeUrl) {
    io.err(
      `The local runtime is not running (no live process in ${runtimeStatePath(home)}).\n` +
        'Redrive delivers to the runtime\'s handlers: start it with `npm start`, then run this again.',
    );
    return EXIT.failed;
  }
  const query = new URLSearchParams();
  if (id) query.set('id', id);
  if (rule) query.set('rule', rule);
  const url = `${eventBridgeUrl}/_local/dlq/redrive${query.toString() ? `?${query}` : ''}`;
  let response: Response;
  try {
    response = await fetch(url, { method: 'POST' });
  } catch (error) {
    io.err(`Cannot reach the local runtime at ${eventBridgeUrl} (${(error as Error).message}). Is it still starting or stopping?`);
    return EXIT.failed;
  }
  const body = (await response.json().catch(() => ({}))) as RedriveResult & { message?: string };
  if (!response.ok) {
    io.err(`Redrive refused (HTTP ${response.status}): ${body.message ?? 'no details'}`);
    return EXIT.failed;
  }
  if (json) io.out(JSON.stringify(body));
  else printRedrive(io, body, id ?? rule);
  if (body.matched === 0 && (id || rule)) return EXIT.failed;
  return body.failed.length ? EXIT.failed : EXIT.ok;
}

function printRedrive(io: CliIo, result: RedriveResult, filter: string | undefined): void {
  if (result.matched === 0) {
    io.out(filter ? `No parked event matches ${filter}.` : 'The dead-letter store is empty; nothing to redrive.');
    return;
  }
  for (const d of result.delivered) io.out(`delivered  ${d.eventId}  -> ${d.ruleId}`);
  for (const f of result.failed) io.out(`FAILED     ${f.eventId}  -> ${f.ruleId}: ${f.error.split('\n')[0]}`);
  io.out(`\n${result.delivered.length} of ${result.matched} delivered; ${result.remaining} left in the dead-letter store.`);
}

// ---------------------------------------------------------------------------------------------
// npm run events

export const EVENTS_USAGE = `Usage: npm run events -- tail [-n COUNT] [--follow] [--region CODE]

Every event PutEvents accepted is archived in <dataDir>/events/archive.jsonl.

Commands:
  tail            print the latest archived events, oldest first (works while the runtime is stopped)
Options:
  -n, --lines N   how many (default 20)
  -f, --follow    keep printing events as they arrive (Ctrl-C to stop)
  --region CODE   the region's archive, in a multi-region run (default: the first region)
  --json          one JSON object per line: { archivedAt, rules, event }
  -h, --help      this text

Environment: JIXIAO_HOME (default: .jixiao in the repository root)
Exit codes: 0 done, 1 failed, 2 bad usage`;

export function runEventsCli(argv: string[], io: CliIo): Promise<number> {
  return guard(io, EVENTS_USAGE, async () => {
    const { values, positionals } = parseOrUsage(() =>
      parseArgs({
        args: argv,
        options: { ...HELP, lines: { type: 'string', short: 'n' }, follow: { type: 'boolean', short: 'f' }, json: { type: 'boolean' } },
        allowPositionals: true,
      }),
    );
    if (values.help) {
      io.out(EVENTS_USAGE);
      return EXIT.ok;
    }
    const [command, ...extra] = positionals;
    if (command !== 'tail') throw new UsageError(command ? `unknown command ${command}` : 'missing command');
    if (extra.length) throw new UsageError(`unexpected argument ${extra[0]}`);
    const count = values.lines === undefined ? 20 : Number(values.lines);
    if (!Number.isInteger(count) || count < 0) throw new UsageError(`-n takes a whole number, got ${String(values.lines)}`);
    return tail(io, count, values.follow === true, values.json === true, values.region);
  });
}

async function tail(io: CliIo, count: number, follow: boolean, json: boolean, region: string | undefined): Promise<number> {
  const { eventsDir: dir } = locate(io.env, region);
  const file = join(dir, ARCHIVE_FILE);
  const print = (record: ArchivedEvent) => io.out(json ? JSON.stringify(record) : formatArchivedEvent(record));
  const records = await readArchiveTail(dir, count);
  if (!json && (records.length || follow)) io.out(archivedEventHeader());
  records.forEach(print);
  if (!records.length && !json && !follow) io.out(`No archived events yet (${file}).`);
  if (follow) await followFile(file, print, io);
  return EXIT.ok;
}

/** Polls the archive for appended lines; starts over when it was rotated (it shrank). */
async function followFile(file: string, print: (record: ArchivedEvent) => void, io: CliIo): Promise<void> {
  let offset = existsSync(file) ? (await stat(file)).size : 0;
  // Bytes after the last newline: a line still being written (maybe mid-character).
  let pending = Buffer.alloc(0);
  const interval = io.followIntervalMs ?? 500;
  while (!io.signal?.aborted) {
    await sleep(interval, undefined, io.signal ? { signal: io.signal } : {}).catch(() => undefined);
    if (io.signal?.aborted || !existsSync(file)) continue;
    const { size } = await stat(file);
    if (size < offset) {
      offset = 0;
      pending = Buffer.alloc(0);
    }
    if (size === offset) continue;
    const handle = await open(file, 'r');
    const chunk = Buffer.alloc(size - offset);
    try {
      await handle.read(chunk, 0, chunk.length, offset);
    } finally {
      await handle.close();
    }
    offset = size;
    const bytes = Buffer.concat([pending, chunk]);
    const end = bytes.lastIndexOf(0x0a) + 1;
    pending = bytes.subarray(end);
    for (const line of bytes.subarray(0, end).toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      try {
        print(JSON.parse(line) as ArchivedEvent);
      } catch {
        // a foreign or torn line; the archive writer only appends whole lines
      }
    }
  }
}
