/**
 * Where the local runtime keeps its state, shared by the runtime and the CLIs:
 *
 *   <home>/runtime.json   written by a running runtime: { pid, apiUrl, eventBridgeUrl, dataDir,
 *                         regions: [{ code, apiUrl, eventBridgeUrl, dataDir }] }; the top-level
 *                         fields are the first region's (files from before `regions` still read)
 *   <home>/data/          default data directory (DynamoDB Local files, events/, ...) of the
 *                         first region; further regions of a multi-region run in data/regions/<code>/
 *
 * `<home>` is `.jixiao` in the repository root unless JIXIAO_HOME says otherwise, so every
 * command finds the same runtime whatever directory it is started from.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const JIXIAO_HOME_ENV = 'JIXIAO_HOME';

/** One region of a running (possibly multi-region) runtime. */
export interface RegionRuntimeState {
  code: string;
  apiUrl: string;
  eventBridgeUrl: string;
  /** Where that region's events (archive, dead letters) are. */
  dataDir: string;
}

export interface RuntimeState {
  pid: number;
  /** The first region's endpoints and data directory. */
  apiUrl: string;
  eventBridgeUrl: string;
  dataDir: string;
  /** Every region the runtime serves, first region first; absent in files older than regions. */
  regions?: RegionRuntimeState[];
}

/** This file is infra/local/paths.ts, so the repository root is two levels up. */
export function repoRoot(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
}

export function jixiaoHome(env: NodeJS.ProcessEnv = process.env): string {
  const override = env[JIXIAO_HOME_ENV];
  return override ? resolve(override) : join(repoRoot(), '.jixiao');
}

export function dataDir(home: string = jixiaoHome()): string {
  return join(home, 'data');
}

/** The local EventBridge's archive and dead-letter files. */
export function eventsDir(data: string): string {
  return join(data, 'events');
}

export function runtimeStatePath(home: string = jixiaoHome()): string {
  return join(home, 'runtime.json');
}

export class RuntimeStateError extends Error {}

/**
 * The state a running runtime left, or undefined if there is none. It may be stale (a
 * runtime killed hard cannot clean up): check `isProcessAlive(state.pid)` before trusting it.
 */
export function readRuntimeState(home: string = jixiaoHome()): RuntimeState | undefined {
  const file = runtimeStatePath(home);
  if (!existsSync(file)) return undefined;
  let state: unknown;
  try {
    state = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new RuntimeStateError(`${file} is not valid JSON (${(error as Error).message}); delete it if no runtime is running`);
  }
  const s = state as Partial<RuntimeState> | null;
  if (!s || typeof s.pid !== 'number' || typeof s.apiUrl !== 'string' || typeof s.eventBridgeUrl !== 'string' || typeof s.dataDir !== 'string') {
    throw new RuntimeStateError(`${file} lacks pid, apiUrl, eventBridgeUrl or dataDir; delete it if no runtime is running`);
  }
  const result: RuntimeState = { pid: s.pid, apiUrl: s.apiUrl, eventBridgeUrl: s.eventBridgeUrl, dataDir: s.dataDir };
  if (s.regions !== undefined) {
    const valid =
      Array.isArray(s.regions) &&
      s.regions.every(
        (r: Partial<RegionRuntimeState> | null) =>
          !!r && typeof r.code === 'string' && typeof r.apiUrl === 'string' && typeof r.eventBridgeUrl === 'string' && typeof r.dataDir === 'string',
      );
    if (!valid) throw new RuntimeStateError(`${file} has regions that are not all { code, apiUrl, eventBridgeUrl, dataDir }; delete it if no runtime is running`);
    result.regions = s.regions.map(({ code, apiUrl, eventBridgeUrl, dataDir }) => ({ code, apiUrl, eventBridgeUrl, dataDir }));
  }
  return result;
}

/** Written via a temp file and a rename, so a CLI never reads half a file. */
export function writeRuntimeState(state: RuntimeState, home: string = jixiaoHome()): void {
  mkdirSync(home, { recursive: true });
  const file = runtimeStatePath(home);
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(state, null, 2)}\n`, 'utf8');
  renameSync(temp, file);
}

export function removeRuntimeState(home: string = jixiaoHome()): void {
  rmSync(runtimeStatePath(home), { force: true });
}

/** Signal 0 tests for existence without touching the process; EPERM means it exists. */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
