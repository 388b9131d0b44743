/**
 * Cold import time: for each function, the time a fresh `node` process takes to
 * `await import()` its bundle (what Lambda's init phase does before the first invocation),
 * against the same for the function's baseline bundle (`bundles.ts`).
 *
 * Every sample is a new process (`cold-runner.mjs`), with the environment CDK gives the
 * function (`functionEnvironment()`, which includes `NODE_OPTIONS=--enable-source-maps`:
 * deployed functions load their source maps, so the figure includes that) plus what Lambda sets. Function and baseline
 * samples alternate, the order flipping each round, so drift on a busy machine hits both; one
 * discarded round first warms the file cache. The figure is the median.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DEFAULT_MEMORY_MB, functionEnvironment } from '../../infra/function-env.ts';
import { regionConfig } from '../../infra/regions.ts';
import type { FunctionBundle } from './bundles.ts';
import { BENCH_DIR } from './paths.ts';
import { row, type Row } from './report.ts';

const run = promisify(execFile);

export const COLD_IMPORT_BUDGET = { maxRatio: 1.1 } as const;

const RUNNER = join(BENCH_DIR, 'cold-runner.mjs');
const REGION = regionConfig('360000');

export interface ColdImportFigure {
  readonly id: string;
  readonly medianMs: number;
  readonly baselineMedianMs: number;
  readonly samplesMs: readonly number[];
  readonly baselineSamplesMs: readonly number[];
}

export interface ColdImportResult {
  readonly figures: readonly ColdImportFigure[];
  readonly rows: readonly Row[];
  readonly notes: readonly string[];
  readonly elapsedMs: number;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** The environment of the deployed function (as CDK sets it) plus what the Lambda runtime adds. */
function lambdaEnvironment(f: FunctionBundle): NodeJS.ProcessEnv {
  const memory = String(f.fn.memoryMb ?? DEFAULT_MEMORY_MB);
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    ...functionEnvironment({
      manifest: f.manifest,
      fn: f.fn,
      regionCode: REGION.code,
      // As CDK does; functionEnvironment() decides who sees it (not relays).
      ...(f.manifest.table ? { tableName: `jixiao-${REGION.code}-${f.manifest.name}` } : {}),
      eventBusName: `jixiao-${REGION.code}`,
    }),
    AWS_REGION: REGION.awsRegion,
    AWS_DEFAULT_REGION: REGION.awsRegion,
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
    AWS_LAMBDA_FUNCTION_NAME: `jixiao-${REGION.code}-${f.id.replace('.', '-')}`,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: memory,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_SESSION_TOKEN: 'bench',
    // Node 20 runs here, Lambda runs 22: the SDK's version notice is noise.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    TZ: 'UTC',
  };
}

async function sample(file: string, env: NodeJS.ProcessEnv): Promise<number> {
  try {
    const { stdout } = await run(process.execPath, [RUNNER, file], { env, timeout: 30_000, maxBuffer: 1024 * 1024 });
    const lastLine = stdout.trim().split('\n').at(-1) ?? '';
    const parsed = JSON.parse(lastLine) as { importMs: number };
    return parsed.importMs;
  } catch (error) {
    const e = error as Error & { stderr?: string };
    throw new Error(`cold import of ${file} failed: ${e.message}${e.stderr ? `\n${e.stderr.slice(-2000)}` : ''}`, { cause: error });
  }
}

export async function measureColdImports(functions: readonly FunctionBundle[], samples: number): Promise<ColdImportResult> {
  const started = performance.now();
  const figures: ColdImportFigure[] = [];
  for (const f of functions) {
    const env = lambdaEnvironment(f);
    // Warm-up round, discarded: page cache, and the first spawn's one-off costs.
    await sample(f.file, env);
    await sample(f.baseline.file, env);
    const own: number[] = [];
    const base: number[] = [];
    for (let i = 0; i < samples; i++) {
      if (i % 2 === 0) {
        own.push(await sample(f.file, env));
        base.push(await sample(f.baseline.file, env));
      } else {
        base.push(await sample(f.baseline.file, env));
        own.push(await sample(f.file, env));
      }
    }
    figures.push({ id: f.id, medianMs: median(own), baselineMedianMs: median(base), samplesMs: own, baselineSamplesMs: base });
  }

  const rows = figures.map((fig) => {
    const f = functions.find((x) => x.id === fig.id) as FunctionBundle;
    return row({
      bench: 'cold',
      name: `${fig.id} cold import`,
      value: fig.medianMs,
      unit: 'ms',
      // Without an SDK client the baseline is an empty module: a ratio to it says nothing.
      ...(f.baseline.empty ? {} : { baseline: fig.baselineMedianMs, budget: COLD_IMPORT_BUDGET }),
      note: `median of ${samples}; baseline: ${f.baseline.description}`,
    });
  });

  const spread = (values: readonly number[]) => `${Math.min(...values).toFixed(1)}–${Math.max(...values).toFixed(1)} ms`;
  const notes = [
    `Median of ${samples} samples, each a fresh \`node ${process.version}\` process timing \`await import(bundle)\`; function and baseline alternate; one warm-up round discarded.`,
    `Environment: the function's CDK environment (functionEnvironment(); NODE_OPTIONS=${functions[0] ? (lambdaEnvironment(functions[0]).NODE_OPTIONS ?? '') : ''}) and Lambda's AWS_* variables. Baselines as in the bundles table.`,
    ...figures.map((fig) => `${fig.id}: function ${spread(fig.samplesMs)}, baseline ${spread(fig.baselineSamplesMs)}`),
    ...functions.filter((f) => f.baseline.empty).map((f) => `${f.id}: uses no AWS SDK client; its time is reported without a ratio budget.`),
  ];
  return { figures, rows, notes, elapsedMs: performance.now() - started };
}
