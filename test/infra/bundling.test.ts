import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { build } from 'esbuild';
import { BUNDLE, CREATE_REQUIRE_BANNER, bundlingOptions, esbuildOptions, esbuildOptionsFor } from '../../infra/bundling.ts';
import { REPO_ROOT } from '../../infra/naming.ts';
import { manifests } from '../../services/registry.ts';

const outdir = mkdtempSync(join(tmpdir(), 'jixiao-bundle-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe('bundling', () => {
  it('renders one definition as CDK bundling options and as esbuild options', () => {
    expect(bundlingOptions).toMatchObject({
      format: 'esm',
      target: 'node22',
      minify: true,
      sourceMap: true,
      sourcesContent: false,
      mainFields: ['module', 'main'],
      banner: CREATE_REQUIRE_BANNER,
      externalModules: [],
      bundleAwsSDK: true,
    });
    expect(esbuildOptions).toMatchObject({
      bundle: true,
      platform: 'node',
      format: BUNDLE.format,
      target: BUNDLE.target,
      minify: BUNDLE.minify,
      sourcemap: BUNDLE.sourcemap,
      sourcesContent: BUNDLE.sourcesContent,
      mainFields: [...BUNDLE.mainFields],
      banner: { js: CREATE_REQUIRE_BANNER },
      external: [],
    });
  });

  it('builds a handler with the esbuild options into an ESM bundle, AWS SDK included, that loads and exports handler', async () => {
    // The indicators API function, wherever its manifest puts it.
    const entry = manifests.find((m) => m.name === 'indicators')!.functions.find((f) => f.kind === 'api')!.entry;
    const result = await build({ ...esbuildOptionsFor(join(REPO_ROOT, entry), outdir), metafile: true, logLevel: 'silent' });
    const bundle = join(outdir, 'index.mjs');
    expect(readFileSync(bundle, 'utf8').startsWith(CREATE_REQUIRE_BANNER)).toBe(true);
    expect(Object.keys(result.metafile.inputs).some((input) => input.includes('node_modules/@aws-sdk/'))).toBe(true);
    const loaded = (await import(pathToFileURL(bundle).href)) as { handler?: unknown };
    expect(typeof loaded.handler).toBe('function');
  });
});
