/**
 * The dependency rules of `.dependency-cruiser.cjs` (docs/architecture.md): the repository has
 * no violation, and each rule catches a violation planted in a small tree written to a temporary
 * directory (so the planted code is never seen by tsc, ESLint or knip). `npm run deps` prints the
 * same findings on the command line.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { cruise, type ICruiseOptions, type ICruiseResult } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
/** The folders `npm run deps` cruises: all product code. */
const PRODUCT_FOLDERS = ['services', 'shared', 'events', 'infra', 'scripts'];

async function violations(baseDir: string, folders: string[], extra: ICruiseOptions = {}): Promise<string[]> {
  const options = await extractDepcruiseOptions(join(ROOT, '.dependency-cruiser.cjs'));
  const { output } = await cruise(folders, { ...options, ...extra, baseDir });
  return (output as ICruiseResult).summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`);
}

describe('dependency rules', () => {
  it('the repository has no violation (npm run deps for details)', async () => {
    expect(await violations(ROOT, PRODUCT_FOLDERS)).toEqual([]);
  });
});

/**
 * One tree with a violation of every rule, next to imports each rule allows. Each planted line is
 * named after the rule it breaks; everything else must pass, so a rule that over-reaches fails too.
 */
const PLANTED: Record<string, string> = {
  'services/alpha/service.ts': `import { routes } from './routes/index.ts';\nimport type { Manifest } from '../../shared/manifest.ts';\nexport const manifest = { routes } as unknown as Manifest;\n`,
  'services/alpha/routes/index.ts': `import { Level } from '../domain/level.ts';\nexport const routes = [Level];\n`,
  'services/alpha/domain/level.ts': [
    // allowed: own domain, events/, shared/pure/, zod, node:crypto
    `import * as z from 'zod/mini';`,
    `import { createHash } from 'node:crypto';`,
    `import { Vocabulary } from '../../../events/vocabulary.ts';`,
    `import { sum } from '../../../shared/pure/sum.ts';`,
    `import { helper } from './helper.ts';`,
    `export const Level = [z, createHash, Vocabulary, sum, helper];`,
  ].join('\n'),
  'services/alpha/domain/helper.ts': [
    `import { readFileSync } from 'node:fs';`, // domain-is-pure: I/O built-in
    `import { DynamoDBClient } from '@aws-sdk/client-dynamodb';`, // domain-is-pure: AWS SDK
    `import type { Manifest } from '../../../shared/manifest.ts';`, // domain-is-pure: shared/ outside shared/pure/ (type-only counts)
    `import { items } from '../store/items.ts';`, // domain-is-pure: another part of its own service
    `export const helper = [readFileSync, DynamoDBClient, items] as unknown as Manifest;`,
  ].join('\n'),
  'services/alpha/store/items.ts': `import { query } from '../../../shared/query.ts';\nexport const items = query;\n`,
  'services/beta/service.ts': `export const manifest = {};\n`,
  'services/beta/jobs/sweep.ts': `import { Level } from '../../alpha/domain/level.ts';\nexport const sweep = Level;\n`, // no-cross-service-imports
  'services/beta/handlers/api.ts': `import { functionName } from '../../../infra/naming.ts';\nexport const handler = functionName;\n`, // runtime-code-does-not-import-infra
  'services/registry.ts': [
    `import { manifest as alpha } from './alpha/service.ts';`,
    `import { routes } from './alpha/routes/index.ts';`,
    `import { manifest as beta } from './beta/service.ts';`,
    `import { sweep } from './beta/jobs/sweep.ts';`, // registry-imports-only-manifests-and-routes
    `export const manifests = [alpha, beta, routes, sweep];`,
  ].join('\n'),
  'shared/manifest.ts': `export type Manifest = { name: string };\n`,
  'shared/query.ts': `export const query = 1;\n`,
  'shared/pure/sum.ts': `export const sum = (a: number, b: number) => a + b;\n`,
  'shared/registry-view.ts': `import { manifests } from '../services/registry.ts';\nexport const count = manifests.length;\n`, // shared-does-not-import-services
  'shared/ring-a.ts': `import { b } from './ring-b.ts';\nexport const a = () => b();\n`, // no-cycles
  'shared/ring-b.ts': `import { a } from './ring-a.ts';\nexport const b = () => a();\n`, // no-cycles
  'events/vocabulary.ts': `import * as z from 'zod/mini';\nexport const Vocabulary = z.string();\n`,
  'events/catalog.ts': `import type { Manifest } from '../shared/manifest.ts';\nexport type Producer = Manifest['name'];\n`, // events-imports-only-events-and-zod
  'infra/naming.ts': `export const functionName = 'f';\n`,
  'infra/stack.ts': `import { startRuntime } from './local/runtime.ts';\nexport const stack = startRuntime;\n`, // product-does-not-import-local-runtime
  'infra/local/runtime.ts': `import { functionName } from '../naming.ts';\nexport const startRuntime = functionName;\n`,
  'infra/local/cli/start.ts': `import { startRuntime } from '../runtime.ts';\nstartRuntime;\n`, // allowed: infra/local imports itself
  'scripts/tool.ts': `import { fixture } from '../test/support/fixture.ts';\nexport const tool = fixture;\n`, // product-does-not-import-tests
  'test/support/fixture.ts': `export const fixture = 1;\n`,
};

/** What the cruise must report on the planted tree: exactly these, each under its rule. */
const EXPECTED: Record<string, string[]> = {
  'no-cycles': ['shared/ring-a.ts → shared/ring-b.ts'], // a cycle is reported once, at its first edge
  'no-cross-service-imports': ['services/beta/jobs/sweep.ts → services/alpha/domain/level.ts'],
  'registry-imports-only-manifests-and-routes': ['services/registry.ts → services/beta/jobs/sweep.ts'],
  'domain-is-pure': [
    'services/alpha/domain/helper.ts → fs',
    'services/alpha/domain/helper.ts → node_modules/@aws-sdk/client-dynamodb/dist-cjs/index.js',
    'services/alpha/domain/helper.ts → shared/manifest.ts',
    'services/alpha/domain/helper.ts → services/alpha/store/items.ts',
  ],
  'shared-does-not-import-services': ['shared/registry-view.ts → services/registry.ts'],
  'events-imports-only-events-and-zod': ['events/catalog.ts → shared/manifest.ts'],
  'runtime-code-does-not-import-infra': ['services/beta/handlers/api.ts → infra/naming.ts'],
  'product-does-not-import-local-runtime': ['infra/stack.ts → infra/local/runtime.ts'],
  'product-does-not-import-tests': ['scripts/tool.ts → test/support/fixture.ts'],
};

describe('each dependency rule catches a planted violation', () => {
  let tree: string;
  let found: string[];

  beforeAll(async () => {
    tree = mkdtempSync(join(tmpdir(), 'jixiao-deps-'));
    for (const [path, text] of Object.entries(PLANTED)) {
      mkdirSync(dirname(join(tree, path)), { recursive: true });
      writeFileSync(join(tree, path), text);
    }
    // npm packages resolve through the repository's node_modules, named as in the repository.
    symlinkSync(join(ROOT, 'node_modules'), join(tree, 'node_modules'), 'dir');
    found = await violations(tree, PRODUCT_FOLDERS, { preserveSymlinks: true });
  });
  afterAll(() => rmSync(tree, { recursive: true, force: true }));

  it('the config has a planted violation for every rule', async () => {
    const options = await extractDepcruiseOptions(join(ROOT, '.dependency-cruiser.cjs'));
    const rules = (options.ruleSet?.forbidden ?? []).map((rule) => rule.name);
    expect(rules.sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(Object.entries(EXPECTED))('%s', (rule, edges) => {
    expect(found.filter((v) => v.startsWith(`${rule}: `)).sort()).toEqual(edges.map((edge) => `${rule}: ${edge}`).sort());
  });

  it('reports nothing else (the allowed imports next to the planted ones pass)', () => {
    const expected = Object.entries(EXPECTED).flatMap(([rule, edges]) => edges.map((edge) => `${rule}: ${edge}`));
    expect(found.filter((v) => !expected.includes(v))).toEqual([]);
  });
});
