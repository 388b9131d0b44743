/**
 * The bundles the local sandboxes run: each function's entry built with the esbuild options CDK
 * deploys (`infra/bundling.ts`), so both runtimes run the same code, cached on disk so a bundle
 * is built once and shared by every test file, vitest worker and `npm start` run.
 *
 * Layout of the cache (default `node_modules/.cache/jixiao/bundles`, or JIXIAO_BUNDLE_CACHE):
 *
 *   <hash>/index.mjs(.map)   one build; <hash> is the content hash of its inputs (below)
 *   entries/<key>.json       per entry and build options: the current <hash> and the path, size
 *                            and mtime of every input esbuild read (its metafile)
 *
 * The check before a cold start is cheap: stat each recorded input (about 900 files for a
 * function using the AWS SDK, 2 to 3 ms). If any changed, the recorded inputs are hashed again:
 * content already built (a `touch`, an edit undone, a checkout of a built commit) only refreshes
 * the record, other content means a build. The content hash covers the esbuild version, the
 * options, the entry and each input's path and SHA-256. An input written while it was being
 * bundled makes the build run again, so a bundle is never filed under content it was not built from.
 *
 * Writers never expose half a bundle: a build goes to a temporary sibling directory renamed into
 * place (if another process renamed the same hash first, its copy is identical and kept), and a
 * record is written to a temporary file renamed over the old one. Builds of one entry in one
 * process are shared; concurrent processes may build the same bundle twice, harmlessly (the test
 * run avoids even that: its global setup builds every function's bundle first).
 *
 * Not noticed: a new file that would change how an existing import resolves (a closer
 * node_modules, `x.ts` next to `x/index.ts`) without any recorded input changing; delete the
 * cache directory after such a change.
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { build, version as esbuildVersion } from 'esbuild';
import { esbuildOptions, esbuildOptionsFor } from '../../bundling.ts';

export const BUNDLE_CACHE_ENV = 'JIXIAO_BUNDLE_CACHE';

/** Bumped when the cache layout or the meaning of a record changes. */
const LAYOUT = 1;
/** How far back a file time may lag the clock (kernel file times are coarse). */
const MTIME_SLACK_MS = 50;
/** Unreferenced bundles and abandoned temporary directories older than this are removed after a build. */
const PRUNE_AFTER_MS = 24 * 60 * 60 * 1000;

/** One input as recorded: absolute path, size and mtime. */
type InputStat = [path: string, size: number, mtimeMs: number];

interface EntryRecord {
  layout: number;
  entry: string;
  hash: string;
  inputs: InputStat[];
}

export interface Bundle {
  /** The entry as given (repository-relative or absolute). */
  readonly entry: string;
  /** Absolute path of `index.mjs`. */
  readonly file: string;
  /** Content hash of the build's inputs (the bundle's directory name). */
  readonly hash: string;
  /** Built by this call (false: found in the cache). */
  readonly built: boolean;
  /** Time this call took: the check, plus the build if there was one. */
  readonly ms: number;
  /** The inputs of the build, for `changed`. */
  readonly inputs: readonly InputStat[];
}

/** The default cache directory: JIXIAO_BUNDLE_CACHE, else `node_modules/.cache/jixiao/bundles` in the repository. */
export function defaultBundleCacheDir(repoRoot: string, env: NodeJS.ProcessEnv = process.env): string {
  const override = env[BUNDLE_CACHE_ENV];
  return override ? resolve(override) : join(repoRoot, 'node_modules', '.cache', 'jixiao', 'bundles');
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

function statOf(path: string): [size: number, mtimeMs: number] | undefined {
  try {
    const s = statSync(path);
    return [s.size, s.mtimeMs];
  } catch {
    return undefined;
  }
}

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

function writeAtomically(file: string, text: string): void {
  const temp = `${file}.${process.pid}.${randomUUID()}.tmp`;
  writeFileSync(temp, text, 'utf8');
  renameSync(temp, file);
}

export class BundleCache {
  private readonly inFlight = new Map<string, Promise<Bundle>>();
  private readonly optionsKey = sha256(JSON.stringify({ layout: LAYOUT, esbuild: esbuildVersion, options: esbuildOptions }));
  private pruned = false;
  /** Builds this instance ran (for tests and stats). */
  builds = 0;

  constructor(
    readonly dir: string,
    private readonly repoRoot: string,
  ) {}

  private recordFile(entryPath: string): string {
    return join(this.dir, 'entries', `${sha256(`${this.optionsKey}\0${entryPath}`).slice(0, 32)}.json`);
  }

  private contentHash(entryPath: string, inputs: readonly string[]): string | undefined {
    const hash = createHash('sha256').update(`${this.optionsKey}\0${entryPath}\0`);
    for (const input of [...inputs].sort()) {
      let content: Buffer;
      try {
        content = readFileSync(input);
      } catch {
        return undefined;
      }
      hash.update(`${input}\0${sha256(content)}\0`);
    }
    return hash.digest('hex').slice(0, 32);
  }

  /** The bundle of `entry`, from the cache when its inputs are unchanged, else built now. */
  ensure(entry: string): Promise<Bundle> {
    const entryPath = resolve(this.repoRoot, entry);
    const running = this.inFlight.get(entryPath);
    if (running) return running;
    const started = performance.now();
    const work = (async () => {
      const cached = this.lookup(entryPath);
      const found = cached ?? (await this.build(entryPath));
      return { ...found, entry, ms: performance.now() - started, built: !cached };
    })().finally(() => this.inFlight.delete(entryPath));
    this.inFlight.set(entryPath, work);
    return work;
  }

  /** Every entry's bundle, `parallel` builds at a time (each entry once), in the order given. */
  async ensureAll(entries: readonly string[], parallel = 1): Promise<Bundle[]> {
    const unique = [...new Set(entries)];
    const results = new Map<string, Bundle>();
    let next = 0;
    const worker = async () => {
      while (next < unique.length) {
        const entry = unique[next++] as string;
        results.set(entry, await this.ensure(entry));
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, parallel) }, worker));
    return entries.map((entry) => results.get(entry) as Bundle);
  }

  /** Whether a repository input of `bundle` (not node_modules) has changed since it was built: the cheap check for warm sandboxes. */
  changed(bundle: Bundle): boolean {
    return bundle.inputs.some(([path, size, mtimeMs]) => {
      if (path.includes('/node_modules/')) return false;
      const now = statOf(path);
      return !now || now[0] !== size || now[1] !== mtimeMs;
    });
  }

  private lookup(entryPath: string): Omit<Bundle, 'entry' | 'ms' | 'built'> | undefined {
    const recordFile = this.recordFile(entryPath);
    const record = readJson<EntryRecord>(recordFile);
    if (!record || record.layout !== LAYOUT || record.entry !== entryPath || !Array.isArray(record.inputs)) return undefined;
    const fresh = record.inputs.map(([path]) => statOf(path));
    const unchanged = record.inputs.every(([, size, mtimeMs], i) => fresh[i] && fresh[i][0] === size && fresh[i][1] === mtimeMs);
    if (unchanged && statOf(join(this.dir, record.hash, 'index.mjs'))) return { file: join(this.dir, record.hash, 'index.mjs'), hash: record.hash, inputs: record.inputs };
    // Something changed. Content already bundled (a `touch`, an edit undone, a checkout of a built commit) needs no build:
    // the same inputs with the same content are the same bundle.
    if (fresh.some((s) => !s)) return undefined;
    const hash = this.contentHash(entryPath, record.inputs.map(([path]) => path));
    const file = hash && join(this.dir, hash, 'index.mjs');
    if (!hash || !file || !statOf(file)) return undefined;
    const inputs = record.inputs.map(([path], i): InputStat => [path, ...(fresh[i] as [number, number])]);
    writeAtomically(recordFile, JSON.stringify({ ...record, hash, inputs } satisfies EntryRecord));
    return { file, hash, inputs };
  }

  private async build(entryPath: string): Promise<Omit<Bundle, 'entry' | 'ms' | 'built'>> {
    // The directory name does not matter to the output: the temporary directory and the final one are siblings,
    // so the source map's relative paths are the same in both.
    const outdir = join(this.dir, '_');
    for (let attempt = 1; ; attempt++) {
      const buildStarted = Date.now();
      const result = await build({ ...esbuildOptionsFor(entryPath, outdir), metafile: true, absWorkingDir: this.repoRoot, logLevel: 'silent', write: false });
      this.builds++;
      const paths = Object.keys(result.metafile.inputs).map((input) => resolve(this.repoRoot, input));
      const inputs = paths.map((path): InputStat => [path, ...(statOf(path) ?? [-1, -1])]);
      // An input written during the build (file times are coarse: allow some slack): what esbuild read may not
      // be what would be hashed now, so build again rather than file the bundle under the wrong hash.
      const unsettled = inputs.some(([, size, mtimeMs]) => size < 0 || mtimeMs >= buildStarted - MTIME_SLACK_MS);
      const hash = unsettled ? undefined : this.contentHash(entryPath, paths);
      if (hash) return this.store(entryPath, hash, inputs, result.outputFiles, outdir);
      if (attempt === 5) throw new Error(`${entryPath}: its sources kept changing while it was being bundled`);
      await sleep(MTIME_SLACK_MS);
    }
  }

  private store(entryPath: string, hash: string, inputs: InputStat[], outputs: readonly { path: string; contents: Uint8Array }[], outdir: string): Omit<Bundle, 'entry' | 'ms' | 'built'> {
    const final = join(this.dir, hash);
    if (!statOf(join(final, 'index.mjs'))) {
      const temp = join(this.dir, `.tmp-${process.pid}-${randomUUID()}`);
      mkdirSync(temp, { recursive: true });
      for (const output of outputs) writeFileSync(join(temp, output.path.slice(outdir.length + 1)), output.contents);
      try {
        renameSync(temp, final);
      } catch (error) {
        rmSync(temp, { recursive: true, force: true });
        // Another process put the same bundle there first.
        if (!statOf(join(final, 'index.mjs'))) throw error;
      }
    }
    mkdirSync(join(this.dir, 'entries'), { recursive: true });
    writeAtomically(this.recordFile(entryPath), JSON.stringify({ layout: LAYOUT, entry: entryPath, hash, inputs } satisfies EntryRecord));
    this.prune();
    return { file: join(final, 'index.mjs'), hash, inputs };
  }

  /**
   * Once per process, after a build: records of entries that no longer exist, then bundles no record
   * points to and abandoned temporary directories, a day old.
   */
  private prune(): void {
    if (this.pruned) return;
    this.pruned = true;
    try {
      const referenced = new Set<string>();
      const old = (path: string) => Date.now() - (statOf(path)?.[1] ?? Date.now()) > PRUNE_AFTER_MS;
      for (const name of readdirSync(join(this.dir, 'entries'))) {
        const path = join(this.dir, 'entries', name);
        const record = name.endsWith('.json') ? readJson<EntryRecord>(path) : undefined;
        if (record && statOf(record.entry)) referenced.add(record.hash);
        else if (record || old(path)) rmSync(path, { force: true });
      }
      for (const name of readdirSync(this.dir)) {
        const path = join(this.dir, name);
        if (name !== 'entries' && !referenced.has(name) && old(path)) rmSync(path, { recursive: true, force: true });
      }
    } catch {
      /* pruning is best effort */
    }
  }
}

const caches = new Map<string, BundleCache>();

/** One cache object per directory in a process, so concurrent cold starts of one entry share a build. */
export function bundleCache(dir: string, repoRoot: string): BundleCache {
  const key = `${resolve(dir)}\0${resolve(repoRoot)}`;
  let cache = caches.get(key);
  if (!cache) caches.set(key, (cache = new BundleCache(resolve(dir), resolve(repoRoot))));
  return cache;
}
