/**
 * The local runtime's bundle cache (infra/local/lambda/bundles.ts), with real esbuild: a
 * function's bundle is the one CDK deploys (same options, same bytes), built once and then
 * reused, also by another cache object (another process); rebuilt when a source it imports
 * changes, not when a file is only touched; and several processes building the same bundle at
 * once all end up with one complete bundle.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { esbuildOptionsFor } from '../../infra/bundling.ts';
import { BundleCache, type Bundle } from '../../infra/local/lambda/bundles.ts';

const repo = join(import.meta.dirname, '..', '..');
const scratch = mkdtempSync(join(tmpdir(), 'jixiao-bundle-cache-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let sequence = 0;
/** A fresh cache directory and a two-file handler (the entry imports `./greeting.ts`). */
function setUp(greeting = 'hello') {
  const dir = join(scratch, `case-${++sequence}`);
  mkdirSync(join(dir, 'src'), { recursive: true });
  const entry = join(dir, 'src', 'handler.ts');
  const dependency = join(dir, 'src', 'greeting.ts');
  writeFileSync(dependency, `export const greeting: string = ${JSON.stringify(greeting)};\n`);
  writeFileSync(entry, "import { greeting } from './greeting.ts';\nexport const handler = async (event: { name: string }) => `${greeting}, ${event.name}`;\n");
  // Sources a little in the past, as they are when a sandbox starts (a file written this instant is bundled again).
  const past = new Date(Date.now() - 10_000);
  for (const file of [entry, dependency]) utimesSync(file, past, past);
  return { cacheDir: join(dir, 'cache'), entry, dependency };
}

async function run(bundle: Bundle, name = 'jixiao'): Promise<string> {
  // A query string: each import of the same file in this process is a fresh module.
  const module = (await import(`${pathToFileURL(bundle.file).href}?${bundle.hash}-${Math.random()}`)) as { handler: (e: unknown) => Promise<string> };
  return module.handler({ name });
}

describe('bundle cache', () => {
  it('builds with the options CDK deploys: the same JavaScript as a plain esbuild build of the entry', async () => {
    const { cacheDir, entry } = setUp();
    const bundle = await new BundleCache(cacheDir, repo).ensure(entry);
    const outdir = join(scratch, 'plain');
    await build({ ...esbuildOptionsFor(entry, outdir), absWorkingDir: repo, logLevel: 'silent' });
    expect(readFileSync(bundle.file, 'utf8')).toBe(readFileSync(join(outdir, 'index.mjs'), 'utf8'));
    expect(readdirSync(join(bundle.file, '..')).sort()).toEqual(['index.mjs', 'index.mjs.map']);
    expect(await run(bundle)).toBe('hello, jixiao');
  });

  it('builds once, then reuses the bundle, also from another cache object on the same directory', async () => {
    const { cacheDir, entry } = setUp();
    const cache = new BundleCache(cacheDir, repo);
    const [first, concurrent] = await Promise.all([cache.ensure(entry), cache.ensure(entry)]);
    expect(first.built).toBe(true);
    expect(concurrent).toBe(first);
    const again = await cache.ensure(entry);
    expect(again).toMatchObject({ built: false, file: first.file, hash: first.hash });
    expect(cache.builds).toBe(1);

    const other = new BundleCache(cacheDir, repo);
    expect(await other.ensure(entry)).toMatchObject({ built: false, file: first.file });
    expect(other.builds).toBe(0);
    // The check is stat calls, not a build.
    expect(again.ms).toBeLessThan(100);
  });

  it('rebuilds after a change to an imported source, and not after a touch that leaves the content alone', async () => {
    const { cacheDir, entry, dependency } = setUp();
    const cache = new BundleCache(cacheDir, repo);
    const first = await cache.ensure(entry);

    const later = new Date(Date.now() - 5_000);
    utimesSync(dependency, later, later);
    const touched = await cache.ensure(entry);
    expect(touched).toMatchObject({ built: false, hash: first.hash });
    expect(cache.changed(touched)).toBe(false);

    writeFileSync(dependency, 'export const greeting: string = "你好";\n');
    utimesSync(dependency, later, new Date(Date.now() - 1_000));
    expect(cache.changed(touched)).toBe(true);
    const rebuilt = await cache.ensure(entry);
    expect(rebuilt.built).toBe(true);
    expect(rebuilt.hash).not.toBe(first.hash);
    expect(await run(rebuilt)).toBe('你好, jixiao');
    // The earlier bundle stays where it was (a sandbox may still be loading it).
    expect(await run(first)).toBe('hello, jixiao');

    // Back to the first content: the first bundle again, without a build.
    writeFileSync(dependency, 'export const greeting: string = "hello";\n');
    utimesSync(dependency, later, new Date(Date.now() - 500));
    const back = await cache.ensure(entry);
    expect(back).toMatchObject({ built: false, hash: first.hash });
    expect(cache.builds).toBe(2);
  });

  it('lets several processes build the same bundles at once without corrupting the cache', async () => {
    const { cacheDir, entry } = setUp('concurrent');
    const second = setUp('second');
    const script = join(scratch, 'builder.mts');
    writeFileSync(
      script,
      [
        `import { BundleCache } from ${JSON.stringify(join(repo, 'infra/local/lambda/bundles.ts'))};`,
        `const cache = new BundleCache(${JSON.stringify(cacheDir)}, ${JSON.stringify(repo)});`,
        `const bundles = await Promise.all([${JSON.stringify(entry)}, ${JSON.stringify(second.entry)}].map((e) => cache.ensure(e)));`,
        'process.stdout.write(JSON.stringify(bundles.map(({ file, hash, built }) => ({ file, hash, built }))));',
      ].join('\n'),
    );
    const builders = await Promise.all(
      [1, 2, 3, 4].map(
        () =>
          new Promise<{ file: string; hash: string; built: boolean }[]>((resolve, reject) => {
            const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
            let out = '';
            let err = '';
            child.stdout.on('data', (d) => (out += d));
            child.stderr.on('data', (d) => (err += d));
            child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`builder exited ${code}: ${err}`))));
          }),
      ),
    );
    for (const i of [0, 1]) expect(new Set(builders.map((b) => b[i]?.file)).size).toBe(1);
    // Usually more than one process builds (they start together); whoever renames first wins, the others keep its copy.
    console.log(`[bundle-cache] builds by 4 concurrent processes: ${builders.flat().filter((b) => b.built).length} for 2 bundles`);
    expect(builders.some((b) => b[0]?.built)).toBe(true);
    // Nothing half-written or left behind: one directory per bundle, the records, no temporary files.
    const names = readdirSync(cacheDir).sort();
    expect(names).toEqual(['entries', ...new Set(builders[0]!.map((b) => b.hash))].sort());
    expect(readdirSync(join(cacheDir, 'entries')).every((name) => name.endsWith('.json'))).toBe(true);

    const cache = new BundleCache(cacheDir, repo);
    const [one, two] = await Promise.all([cache.ensure(entry), cache.ensure(second.entry)]);
    expect(one?.built).toBe(false);
    expect(two?.built).toBe(false);
    expect(await run(one)).toBe('concurrent, jixiao');
    expect(await run(two)).toBe('second, jixiao');
  });
});
