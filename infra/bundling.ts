/**
 * How every Lambda function is bundled. One definition, rendered twice: as CDK
 * `BundlingOptions` for NodejsFunction (which runs the esbuild CLI), and as esbuild
 * `BuildOptions` for the benchmarks (`test/bench/`), so measured bundles are the deployed ones.
 */
import type { BuildOptions } from 'esbuild';
import { OutputFormat, SourceMapMode, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';

/**
 * ESM output has no `require`, but CommonJS dependencies bundled into it still call it for
 * Node built-ins; esbuild's shim then throws "Dynamic require of ... is not supported". The
 * banner defines a real one. The alias keeps the import from clashing with bundled names.
 */
export const CREATE_REQUIRE_BANNER =
  "import { createRequire as __jixiaoCreateRequire } from 'node:module'; const require = __jixiaoCreateRequire(import.meta.url);";

/** The single definition both renderings derive from. */
export const BUNDLE = {
  format: 'esm',
  /** Matches the Lambda runtime (nodejs22.x), so esbuild does not down-level what it supports. */
  target: 'node22',
  platform: 'node',
  minify: true,
  /** External `.map` next to the bundle; NODE_OPTIONS=--enable-source-maps makes traces readable. */
  sourcemap: true,
  /** Stack traces need mappings, not the sources; leaving them out keeps the asset small. */
  sourcesContent: false,
  /** Prefer ESM entry points so esbuild can tree-shake the AWS SDK and Powertools. */
  mainFields: ['module', 'main'],
  banner: CREATE_REQUIRE_BANNER,
  /** Nothing external: the AWS SDK is bundled so the code runs with the versions it was tested with. */
  external: [] as readonly string[],
  /** NodejsFunction names ESM output `index.mjs`; Node treats `.mjs` as ESM without a package.json. */
  outExtension: '.mjs',
} as const;

/** CDK NodejsFunction bundling. */
export const bundlingOptions: BundlingOptions = {
  format: OutputFormat.ESM,
  target: BUNDLE.target,
  minify: BUNDLE.minify,
  sourceMap: BUNDLE.sourcemap,
  sourceMapMode: SourceMapMode.DEFAULT,
  sourcesContent: BUNDLE.sourcesContent,
  mainFields: [...BUNDLE.mainFields],
  banner: BUNDLE.banner,
  externalModules: [...BUNDLE.external],
  bundleAwsSDK: true,
};

/** The same build for the esbuild JS API; add `entryPoints` and `outfile`/`outdir`. */
export const esbuildOptions: BuildOptions = {
  bundle: true,
  platform: BUNDLE.platform,
  format: BUNDLE.format,
  target: BUNDLE.target,
  minify: BUNDLE.minify,
  sourcemap: BUNDLE.sourcemap,
  sourcesContent: BUNDLE.sourcesContent,
  mainFields: [...BUNDLE.mainFields],
  banner: { js: BUNDLE.banner },
  external: [...BUNDLE.external],
  outExtension: { '.js': BUNDLE.outExtension },
};

/** esbuild options for one function entry (repository-relative or absolute), written to `outdir/index.mjs`. */
export function esbuildOptionsFor(entry: string, outdir: string): BuildOptions {
  return { ...esbuildOptions, entryPoints: { index: entry }, outdir };
}
