/**
 * `npm run bench`: performance figures beside their budgets (see the README, "Benchmarks").
 *
 *   npm run bench                          everything
 *   npm run bench -- --only bundles        one part: bundles | cold | runtime | declaration | api | ingest | evaluation | scale (comma-separate for several)
 *   npm run bench -- --samples 11          cold-import samples per bundle (default 11)
 *   npm run bench -- --api-samples 200     timed rounds per API operation, declaration and api parts (default 200, after 20 warm-up rounds)
 *   npm run bench -- --ingest-rounds 3     rounds of 10k and 50k rows in the ingest part (default 3, after a warm-up)
 *
 * Prints a table per part (figure, value, baseline, ratio, budget, ✓ under / ✗ OVER), notes on
 * how each figure was obtained, and "N of M budgets met"; writes the same as JSON to
 * `test/bench/out/results.json`. A budget exceeded is reported, not an error: the exit code is
 * 0. It is 1 only when a part could not measure at all, and 2 for bad arguments.
 */
import { availableParallelism } from 'node:os';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { buildBundles, type BundleResult } from './bundles.ts';
import { measureColdImports } from './cold-import.ts';
import { BENCH_OUT, REPO_ROOT } from './paths.ts';
import { renderReport, summarize, writeResults, type Failure, type Row, type Section } from './report.ts';
import { API_BUDGETS, benchIndicatorsApi } from './indicators-api.ts';
import { benchDeclarationApi, DECLARATION_BUDGETS } from './declaration-api.ts';
import { benchRuntime, RUNTIME_BUDGETS } from './runtime.ts';
import { benchMonitoringIngest, INGEST_BUDGETS } from './monitoring-ingest.ts';
import { benchEvaluationScoring, EVALUATION_BUDGETS } from './evaluation-scoring.ts';
import { benchScale, SCALE_BUDGETS } from './scale.ts';
import { manifests } from '../../services/registry.ts';

// `declaration`, `api` and `ingest` run last: each sets its function's environment in this process
// while it runs (and puts the previous one back, and forgets the shared DynamoDB clients, when it ends).
const PARTS = ['bundles', 'cold', 'runtime', 'declaration', 'api', 'ingest', 'evaluation', 'scale'] as const;
type Part = (typeof PARTS)[number];

const TITLES: Record<Part, string> = {
  bundles: 'Bundle size per function (vs a bare bundle of the same AWS SDK clients)',
  cold: 'Cold import time per function (vs the same baseline bundle)',
  runtime: 'Local runtime: time to healthy, memory after start and after a scripted year, GET throughput against raw GetItem, cold starts',
  declaration: 'Declaration API in-process: submit with 12 indicator rows, latency vs its bare DynamoDB calls, capacity vs the data model’s minimum',
  api: 'Indicators API in-process: latency vs its bare DynamoDB calls, capacity vs the data model’s minimum',
  ingest: 'Monitoring execution-data ingestion: ingester throughput vs raw BatchWriteItem, 10k vs 50k rows, peak memory',
  evaluation: 'Evaluation: scoring 1,000 vs 10,000 self-evaluations (CPU time), and the capacity of create → update → submit vs the data model’s minimum',
  scale: 'Province scale: the maintained views at 1,000 vs 10,000 objects of a year, latency and capacity (budget 10k ≤ 1.5 × 1k)',
};

const USAGE = `Usage: npm run bench [-- --only bundles|cold|runtime|declaration|api|ingest|evaluation|scale[,...]] [-- --samples N] [-- --api-samples N] [-- --ingest-rounds N]

  --only PARTS        bundles, cold, runtime, declaration, api, ingest, evaluation, scale (comma-separate for several; default all)
  --samples N         cold-import samples per bundle (1-101, default 11)
  --api-samples N     timed rounds per API operation in the declaration and api parts (10-2000, default 200, after 20 warm-up rounds)
  --ingest-rounds N   rounds of 10,000 and 50,000 rows in the ingest part (1-9, default 3, after a warm-up)`;

function parse(): { parts: Part[]; samples: number; apiSamples: number; ingestRounds: number } | string {
  let values;
  try {
    values = parseArgs({
      options: {
        only: { type: 'string', multiple: true },
        samples: { type: 'string', default: '11' },
        'api-samples': { type: 'string', default: '200' },
        'ingest-rounds': { type: 'string', default: '3' },
        help: { type: 'boolean', default: false },
      },
    }).values;
  } catch (error) {
    return (error as Error).message;
  }
  if (values.help) return '';
  const requested = (values.only ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
  const unknown = requested.filter((p) => !(PARTS as readonly string[]).includes(p));
  if (unknown.length > 0) return `unknown part(s): ${unknown.join(', ')}`;
  const samples = Number(values.samples);
  if (!Number.isInteger(samples) || samples < 1 || samples > 101) return `--samples must be an integer from 1 to 101, got ${values.samples}`;
  const apiSamples = Number(values['api-samples']);
  if (!Number.isInteger(apiSamples) || apiSamples < 10 || apiSamples > 2000) return `--api-samples must be an integer from 10 to 2000, got ${values['api-samples']}`;
  const ingestRounds = Number(values['ingest-rounds']);
  if (!Number.isInteger(ingestRounds) || ingestRounds < 1 || ingestRounds > 9) return `--ingest-rounds must be an integer from 1 to 9, got ${values['ingest-rounds']}`;
  const parts = requested.length > 0 ? PARTS.filter((p) => requested.includes(p)) : [...PARTS];
  return { parts, samples, apiSamples, ingestRounds };
}

async function main(): Promise<number> {
  const args = parse();
  if (typeof args === 'string') {
    if (args) console.error(args);
    console.error(USAGE);
    return args ? 2 : 0;
  }
  const { parts, samples, apiSamples, ingestRounds } = args;
  const started = performance.now();
  const functionCount = manifests.reduce((n, m) => n + m.functions.length, 0);
  console.log(`Jixiao bench — ${new Date().toISOString()} — node ${process.version}, ${availableParallelism()} CPUs — parts: ${parts.join(', ')}`);

  const rows: Row[] = [];
  const failures: Failure[] = [];
  const notes: Record<string, string[]> = {};
  const details: Record<string, unknown> = {};
  const sections: Section[] = [];
  const section = (part: Part) => {
    notes[part] ??= [];
    sections.push({ bench: part, title: TITLES[part], notes: notes[part] });
    return notes[part];
  };
  const fail = (part: Part, error: unknown, budgets: number) => {
    const message = error instanceof Error ? error.message : String(error);
    // Printed with the report, under the part's title.
    failures.push({ bench: part, message, budgets });
  };

  // Cold imports need the bundles, even when their table is not asked for.
  let bundles: BundleResult | undefined;
  let bundleError: unknown;
  if (parts.includes('bundles') || parts.includes('cold')) {
    process.stdout.write('building bundles and baselines... ');
    try {
      bundles = await buildBundles();
      console.log(`${(bundles.buildMs / 1000).toFixed(1)} s`);
    } catch (error) {
      bundleError = error;
      console.log('failed');
    }
  }

  if (parts.includes('bundles')) {
    const partNotes = section('bundles');
    if (bundles) {
      rows.push(...bundles.rows);
      partNotes.push(...bundles.notes);
      details.bundles = bundles.functions.map((f) => ({
        id: f.id,
        file: relative(REPO_ROOT, f.file),
        bytes: f.bytes,
        mapBytes: f.mapBytes,
        sdk: f.sdk,
        baseline: { ...f.baseline, file: relative(REPO_ROOT, f.baseline.file) },
        ...(f.callableBaseline ? { callableBaseline: { ...f.callableBaseline, file: relative(REPO_ROOT, f.callableBaseline.file) } } : {}),
        warnings: f.warnings,
      }));
    } else {
      fail('bundles', bundleError, 2 * functionCount);
    }
  }

  if (parts.includes('cold')) {
    const partNotes = section('cold');
    if (bundles) {
      process.stdout.write(`cold imports (${samples} samples each)... `);
      try {
        const cold = await measureColdImports(bundles.functions, samples);
        console.log(`${(cold.elapsedMs / 1000).toFixed(1)} s`);
        rows.push(...cold.rows);
        partNotes.push(...cold.notes);
        details.cold = cold.figures;
      } catch (error) {
        console.log('failed');
        fail('cold', error, functionCount);
      }
    } else {
      fail('cold', new Error(`no bundles to import: ${(bundleError as Error | undefined)?.message ?? 'unknown'}`), functionCount);
    }
  }

  if (parts.includes('runtime')) {
    const partNotes = section('runtime');
    process.stdout.write('local runtime... ');
    try {
      const runtime = await benchRuntime();
      console.log(`${(runtime.elapsedMs / 1000).toFixed(1)} s`);
      rows.push(...runtime.rows);
      partNotes.push(...runtime.notes);
      details.runtime = runtime.probe;
    } catch (error) {
      console.log('failed');
      fail('runtime', error, RUNTIME_BUDGETS);
    }
  }

  if (parts.includes('declaration')) {
    const partNotes = section('declaration');
    process.stdout.write(`declaration API submit (${apiSamples} rounds)... `);
    try {
      const result = await benchDeclarationApi({ samples: apiSamples });
      console.log(`${(result.elapsedMs / 1000).toFixed(1)} s`);
      rows.push(...result.rows);
      partNotes.push(...result.notes);
      details.declaration = result.details;
    } catch (error) {
      console.log('failed');
      fail('declaration', error, DECLARATION_BUDGETS);
    }
  }

  if (parts.includes('api')) {
    const partNotes = section('api');
    process.stdout.write(`indicators API (${apiSamples} rounds per operation)... `);
    try {
      const api = await benchIndicatorsApi({ samples: apiSamples });
      console.log(`${(api.elapsedMs / 1000).toFixed(1)} s`);
      rows.push(...api.rows);
      partNotes.push(...api.notes);
      details.api = api.details;
    } catch (error) {
      console.log('failed');
      fail('api', error, API_BUDGETS);
    }
  }

  if (parts.includes('ingest')) {
    const partNotes = section('ingest');
    process.stdout.write(`execution-data ingestion (${ingestRounds} rounds of 10k and 50k rows)... `);
    try {
      const result = await benchMonitoringIngest({ rounds: ingestRounds });
      console.log(`${(result.elapsedMs / 1000).toFixed(1)} s`);
      rows.push(...result.rows);
      partNotes.push(...result.notes);
      details.ingest = result.details;
    } catch (error) {
      console.log('failed');
      fail('ingest', error, INGEST_BUDGETS);
    }
  }

  if (parts.includes('evaluation')) {
    const partNotes = section('evaluation');
    process.stdout.write('evaluation: scoring 1k and 10k self-evaluations, capacity of one self-evaluation... ');
    try {
      const result = await benchEvaluationScoring();
      console.log(`${(result.elapsedMs / 1000).toFixed(1)} s`);
      rows.push(...result.rows);
      partNotes.push(...result.notes);
      details.evaluation = result.details;
    } catch (error) {
      console.log('failed');
      fail('evaluation', error, EVALUATION_BUDGETS);
    }
  }

  if (parts.includes('scale')) {
    const partNotes = section('scale');
    process.stdout.write('scale: the maintained views at 1k and 10k objects... ');
    try {
      const result = await benchScale();
      console.log(`${(result.elapsedMs / 1000).toFixed(1)} s`);
      rows.push(...result.rows);
      partNotes.push(...result.notes);
      details.scale = result.details;
    } catch (error) {
      console.log('failed');
      fail('scale', error, SCALE_BUDGETS);
    }
  }

  console.log(renderReport(sections, rows, failures));
  const resultsPath = join(BENCH_OUT, 'results.json');
  writeResults(resultsPath, {
    generatedAt: new Date().toISOString(),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpus: availableParallelism(),
    parts,
    summary: summarize(rows, failures),
    rows,
    failures,
    notes,
    details,
  });
  console.log(`Results: ${relative(REPO_ROOT, resultsPath)} — bench took ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return failures.length > 0 ? 1 : 0;
}

process.exitCode = await main();
