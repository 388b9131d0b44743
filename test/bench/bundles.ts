/**
 * Bundle sizes: every function of every manifest, built with the esbuild options CDK deploys
 * (`infra/bundling.ts`), against a bare bundle of the same AWS SDK clients built with the same
 * options in the same run.
 *
 * Which clients a function uses is read from esbuild's metafile, not hard-coded: the inputs
 * under `@aws-sdk/client-*` and `@aws-sdk/lib-dynamodb` that put bytes into the function's
 * output. From those inputs come the client classes (`dist-es/<Name>.js`), commands
 * (`dist-es/commands/<Name>Command.js`) and paginators the bundle contains; the baseline is a
 * generated entry importing exactly those and referencing them from its handler, so esbuild
 * cannot tree-shake them away. A function whose bundle holds no SDK client is compared with
 * an empty handler.
 *
 * The metafile also tells how each client got into the bundle (the shortest import chain from
 * the entry), and whether the function's role could call it at all (CDK grants table access
 * to non-relay functions of services with a table, and PutEvents to relays only); clients it
 * cannot call are reported with a second, informational baseline without them.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { esbuildOptionsFor } from '../../infra/bundling.ts';
import { manifests } from '../../services/registry.ts';
import type { FunctionDecl, ServiceManifest } from '../../shared/manifest.ts';
import { KB, row, type Row } from './report.ts';
import { BENCH_OUT, REPO_ROOT } from './paths.ts';

export const BUNDLE_BUDGET = { max: 400 * KB, maxRatio: 1.1 } as const;

/** The SDK packages a baseline is made of (the brief: clients and the document client). */
const SDK_CLIENT_PACKAGE = /^@aws-sdk\/(client-[a-z0-9-]+|lib-dynamodb)$/;

/** Names one SDK package contributes to a bundle. */
export interface SdkImport {
  readonly pkg: string;
  /** Exported names to import: client classes, commands, paginators. */
  readonly names: readonly string[];
  /** Bytes of this package's own files in the function's output. */
  readonly bytesInOutput: number;
  /** Shortest import chain from the entry, repository files then the package. */
  readonly chain: readonly string[];
  /** Whether the function's role may call this service (undefined: not known here). */
  readonly callable?: boolean;
  readonly whyNotCallable?: string;
}

export interface BuiltBundle {
  /** Absolute path of `index.mjs`. */
  readonly file: string;
  readonly bytes: number;
  readonly mapBytes: number;
}

export interface Baseline extends BuiltBundle {
  readonly key: string;
  /** `empty handler` or the imported names, e.g. `@aws-sdk/client-dynamodb{DynamoDBClient,GetItemCommand}`. */
  readonly description: string;
  readonly empty: boolean;
}

export interface FunctionBundle extends BuiltBundle {
  /** `service.function`. */
  readonly id: string;
  readonly manifest: ServiceManifest;
  readonly fn: FunctionDecl;
  readonly sdk: readonly SdkImport[];
  readonly baseline: Baseline;
  /** Baseline of only the clients the role can call, when that differs from `baseline`. */
  readonly callableBaseline?: Baseline;
  readonly warnings: readonly string[];
}

export interface BundleResult {
  readonly functions: readonly FunctionBundle[];
  readonly rows: readonly Row[];
  readonly notes: readonly string[];
  readonly buildMs: number;
}

const BUNDLES_DIR = join(BENCH_OUT, 'bundles');
const BASELINES_DIR = join(BENCH_OUT, 'baselines');

function sizeOf(file: string): number {
  return statSync(file).size;
}

async function buildEntry(entry: string, outdir: string): Promise<{ built: BuiltBundle; metafile: Metafile }> {
  // Exactly the deployed options; the metafile, working directory and log level change no byte of the output.
  const result = await build({ ...esbuildOptionsFor(entry, outdir), metafile: true, absWorkingDir: REPO_ROOT, logLevel: 'error' });
  const file = join(outdir, 'index.mjs');
  return { built: { file, bytes: sizeOf(file), mapBytes: sizeOf(`${file}.map`) }, metafile: result.metafile };
}

/** `node_modules/@scope/name/dist-es/x.js` → [`@scope/name`, `dist-es/x.js`] (innermost node_modules). */
export function packageOf(input: string): [string, string] | undefined {
  const at = input.lastIndexOf('node_modules/');
  if (at < 0) return undefined;
  const parts = input.slice(at + 'node_modules/'.length).split('/');
  const scoped = parts[0]?.startsWith('@');
  const nameParts = scoped ? 2 : 1;
  if (parts.length <= nameParts) return undefined;
  return [parts.slice(0, nameParts).join('/'), parts.slice(nameParts).join('/')];
}

/** The exported name a package file stands for, if it is a client class, command or paginator. */
export function exportedNameOf(subpath: string): string | undefined {
  const top = /^dist-es\/([A-Z][A-Za-z0-9]*)\.js$/.exec(subpath);
  if (top) return top[1];
  const command = /^dist-es\/commands\/([A-Za-z0-9]+Command)\.js$/.exec(subpath);
  if (command) return command[1];
  const paginator = /^dist-es\/pagination\/([A-Za-z0-9]+)Paginator\.js$/.exec(subpath);
  if (paginator) return `paginate${paginator[1]}`;
  return undefined;
}

/** Shortest import chain from the entry to the first input of `pkg`, via the metafile's import graph. */
function importChain(meta: Metafile, entry: string, pkg: string): string[] {
  const parent = new Map<string, string | undefined>([[entry, undefined]]);
  const queue = [entry];
  while (queue.length > 0) {
    const current = queue.shift() as string;
    if (packageOf(current)?.[0] === pkg) {
      const chain: string[] = [];
      for (let at: string | undefined = current; at !== undefined; at = parent.get(at)) chain.unshift(at);
      // Repository files, then the package where the chain enters node_modules.
      const firstParty = chain.filter((p) => !p.includes('node_modules/'));
      const entered = chain.find((p) => p.includes('node_modules/'));
      return [...firstParty, ...(entered ? [packageOf(entered)?.[0] ?? entered] : [])];
    }
    for (const imported of meta.inputs[current]?.imports ?? []) {
      if (imported.external || parent.has(imported.path) || !meta.inputs[imported.path]) continue;
      parent.set(imported.path, current);
      queue.push(imported.path);
    }
  }
  return [];
}

/**
 * Whether a function's role may call an SDK package's service, following the grants in
 * `infra/constructs/service-function.ts` and `outbox-relay.ts`: table read/write for non-relay functions of a
 * service with a table; PutEvents for relays only; stream reads for nobody (the event source
 * mapping reads streams). Other packages: unknown.
 */
export function callability(pkg: string, manifest: ServiceManifest, fn: FunctionDecl): { callable?: boolean; why?: string } {
  if (pkg === '@aws-sdk/client-dynamodb' || pkg === '@aws-sdk/lib-dynamodb') {
    if (!manifest.table) return { callable: false, why: `${manifest.name} has no table` };
    if (fn.kind === 'relay') return { callable: false, why: 'relays get no table access' };
    return { callable: true };
  }
  if (pkg === '@aws-sdk/client-eventbridge') {
    return fn.kind === 'relay' ? { callable: true } : { callable: false, why: 'only relays may PutEvents' };
  }
  if (pkg === '@aws-sdk/client-dynamodb-streams') return { callable: false, why: 'event source mappings read streams, functions do not' };
  return {};
}

/** The SDK clients, commands and paginators that put bytes into the function's output. */
export function sdkImportsOf(meta: Metafile, manifest: ServiceManifest, fn: FunctionDecl): { imports: SdkImport[]; warnings: string[] } {
  const output = Object.values(meta.outputs).find((o) => o.entryPoint !== undefined);
  if (!output?.entryPoint) throw new Error(`${manifest.name}.${fn.name}: no entry output in the metafile`);
  const byPackage = new Map<string, { names: Set<string>; bytes: number }>();
  for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
    if (bytesInOutput === 0) continue;
    const found = packageOf(input);
    if (!found || !SDK_CLIENT_PACKAGE.test(found[0])) continue;
    const entry = byPackage.get(found[0]) ?? { names: new Set<string>(), bytes: 0 };
    entry.bytes += bytesInOutput;
    const name = exportedNameOf(found[1]);
    if (name) entry.names.add(name);
    byPackage.set(found[0], entry);
  }
  const warnings: string[] = [];
  const imports = [...byPackage.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .flatMap(([pkg, { names, bytes }]): SdkImport[] => {
      if (names.size === 0) {
        warnings.push(`${pkg} puts ${bytes} bytes into the bundle but no client class, command or paginator: left out of the baseline`);
        return [];
      }
      const { callable, why } = callability(pkg, manifest, fn);
      return [
        {
          pkg,
          names: [...names].sort(),
          bytesInOutput: bytes,
          chain: importChain(meta, output.entryPoint as string, pkg),
          ...(callable !== undefined ? { callable } : {}),
          ...(why ? { whyNotCallable: why } : {}),
        },
      ];
    });
  return { imports, warnings };
}

/** Source of a baseline entry: the names imported and referenced from the handler. */
export function baselineSource(imports: readonly Pick<SdkImport, 'pkg' | 'names'>[]): string {
  const header = '// Generated by test/bench/bundles.ts: a bare bundle of AWS SDK clients.\n';
  if (imports.length === 0) return `${header}export const handler = async () => undefined;\n`;
  // Aliased per package: lib-dynamodb and client-dynamodb both export QueryCommand, for one.
  const alias = (pkg: string, name: string) => `${pkg.replace(/^@aws-sdk\//, '').replace(/[^A-Za-z0-9]/g, '_')}_${name}`;
  const lines = imports.map((i) => `import { ${i.names.map((n) => `${n} as ${alias(i.pkg, n)}`).join(', ')} } from '${i.pkg}';`);
  // Referenced from the exported handler, so esbuild keeps every import.
  const all = imports.flatMap((i) => i.names.map((n) => alias(i.pkg, n)));
  return `${header}${lines.join('\n')}\nexport const handler = async () => [${all.join(', ')}];\n`;
}

function describe(imports: readonly Pick<SdkImport, 'pkg' | 'names'>[]): string {
  return imports.length === 0 ? 'empty handler' : imports.map((i) => `${i.pkg}{${i.names.join(',')}}`).join(' + ');
}

/** Builds each distinct baseline once. */
class BaselineBuilder {
  private readonly built = new Map<string, Promise<Baseline>>();

  get(imports: readonly Pick<SdkImport, 'pkg' | 'names'>[]): Promise<Baseline> {
    const source = baselineSource(imports);
    const key = createHash('sha256').update(source).digest('hex').slice(0, 10);
    let baseline = this.built.get(key);
    if (!baseline) {
      baseline = (async () => {
        const dir = join(BASELINES_DIR, key);
        mkdirSync(dir, { recursive: true });
        const entry = join(dir, 'entry.mjs');
        writeFileSync(entry, source);
        const { built } = await buildEntry(entry, dir);
        return { ...built, key, description: describe(imports), empty: imports.length === 0 };
      })();
      this.built.set(key, baseline);
    }
    return baseline;
  }
}

function allFunctions(): { manifest: ServiceManifest; fn: FunctionDecl; id: string }[] {
  return manifests.flatMap((manifest) => manifest.functions.map((fn) => ({ manifest, fn, id: `${manifest.name}.${fn.name}` })));
}

const kb = (bytes: number) => `${(bytes / KB).toFixed(1)} KB`;

export async function buildBundles(): Promise<BundleResult> {
  const started = performance.now();
  rmSync(BUNDLES_DIR, { recursive: true, force: true });
  rmSync(BASELINES_DIR, { recursive: true, force: true });
  const baselines = new BaselineBuilder();

  // esbuild runs its builds in parallel in its own process; two cores are plenty.
  const functions = await Promise.all(
    allFunctions().map(async ({ manifest, fn, id }): Promise<FunctionBundle> => {
      const { built, metafile } = await buildEntry(fn.entry, join(BUNDLES_DIR, id));
      const { imports: sdk, warnings } = sdkImportsOf(metafile, manifest, fn);
      const baseline = await baselines.get(sdk);
      const callable = sdk.filter((i) => i.callable !== false);
      const callableBaseline = callable.length < sdk.length ? await baselines.get(callable) : undefined;
      return { ...built, id, manifest, fn, sdk, baseline, ...(callableBaseline ? { callableBaseline } : {}), warnings };
    }),
  );

  const rows = functions.map((f) =>
    row({
      bench: 'bundles',
      name: `${f.id} bundle`,
      value: f.bytes,
      unit: 'bytes',
      // With no SDK client there is no bare SDK bundle to compare with: only the size limit applies.
      ...(f.baseline.empty ? {} : { baseline: f.baseline.bytes }),
      budget: f.baseline.empty ? { max: BUNDLE_BUDGET.max } : BUNDLE_BUDGET,
      note: `baseline: ${f.baseline.description}`,
    }),
  );

  const notes: string[] = [
    `Built with infra/bundling.ts esbuildOptionsFor() (minified ESM, node22, SDK bundled); size of index.mjs (the .map beside it is not counted). KB = 1024 bytes.`,
    `Baseline = the same options applied to an entry importing the AWS SDK clients, commands and paginators found in the function's metafile.`,
  ];
  for (const f of functions) {
    notes.push(`${f.id}: ${f.baseline.empty ? 'uses no AWS SDK client, so no ratio; only the size limit applies' : `baseline = ${f.baseline.description}`}`);
    for (const i of f.sdk) notes.push(`    ${i.pkg} (${kb(i.bytesInOutput)} own code) via ${i.chain.join(' → ')}`);
    const uncallable = f.sdk.filter((i) => i.callable === false);
    if (uncallable.length > 0 && f.callableBaseline) {
      const which = `${uncallable.map((i) => `${i.pkg} (${i.whyNotCallable})`).join(', ')}`;
      notes.push(
        f.callableBaseline.empty
          ? `    ⚠ bundles ${which}, which its role cannot call: a bare bundle of them alone is ${kb(f.baseline.bytes)} of its ${kb(f.bytes)} (information, not a budget)`
          : `    ⚠ bundles ${which}, which its role cannot call; a baseline of only what it can call (${f.callableBaseline.description}) is ` +
              `${kb(f.callableBaseline.bytes)} → ratio ${(f.bytes / f.callableBaseline.bytes).toFixed(2)} (information, not a budget)`,
      );
    }
    for (const w of f.warnings) notes.push(`    ⚠ ${w}`);
  }
  notes.push(`Bundles in ${relative(REPO_ROOT, BUNDLES_DIR)}/, baselines in ${relative(REPO_ROOT, BASELINES_DIR)}/.`);

  return { functions, rows, notes, buildMs: performance.now() - started };
}
