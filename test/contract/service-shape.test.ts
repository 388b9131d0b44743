/**
 * Every service has the shape of docs/architecture.md ("The shape of a service"): the test walks
 * `services/*` and names every folder or file that shape does not name. It is checked against a
 * planted tree too, so a check that stopped looking would fail.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

/** Files a service may have at its root. */
const ROOT_FILES = ['service.ts', 'events.ts'];
/** Folders a service may have; each holds only `.ts` files, no folders. */
const PARTS = ['domain', 'routes', 'api', 'store', 'jobs', 'handlers'];
/** Files of `api/` that are not an area (and so need no `routes/<area>.ts`). */
const API_NON_AREAS = ['index.ts', 'access.ts'];

const isDir = (path: string) => statSync(path).isDirectory();

/** What in `<root>/services` is not in the shape, one line per problem (empty when it all fits). */
function shapeProblems(root: string): string[] {
  const services = join(root, 'services');
  const problems: string[] = [];
  for (const name of readdirSync(services).sort()) {
    if (!isDir(join(services, name))) {
      if (name !== 'registry.ts') problems.push(`services/${name}: services/ holds registry.ts and one folder per service, nothing else`);
      continue;
    }
    problems.push(...serviceProblems(services, name));
  }
  if (!existsSync(join(services, 'registry.ts'))) problems.push('services/registry.ts: missing (the list of every manifest and route list)');
  return problems.sort();
}

function serviceProblems(services: string, service: string): string[] {
  const at = (...path: string[]) => ['services', service, ...path].join('/');
  const dir = join(services, service);
  const problems: string[] = [];
  const parts: Record<string, string[]> = {};
  for (const name of readdirSync(dir).sort()) {
    if (!isDir(join(dir, name))) {
      if (!ROOT_FILES.includes(name)) problems.push(`${at(name)}: a service's root holds only ${ROOT_FILES.join(' and ')}`);
    } else if (!PARTS.includes(name)) {
      problems.push(`${at(name)}/: not a part of a service (${PARTS.map((p) => `${p}/`).join(', ')})`);
    } else {
      parts[name] = [];
      for (const file of readdirSync(join(dir, name)).sort()) {
        if (isDir(join(dir, name, file))) problems.push(`${at(name, file)}/: no folders inside ${name}/`);
        else if (!file.endsWith('.ts')) problems.push(`${at(name, file)}: only .ts files inside ${name}/`);
        else parts[name].push(file);
      }
    }
  }
  if (!existsSync(join(dir, 'service.ts'))) return [...problems, `${at('service.ts')}: missing (every service has a manifest)`];

  // "rules" means only the versioned rule parameters, whose file is rules.ts.
  for (const [part, files] of Object.entries(parts)) {
    for (const file of files) {
      if (/rules/.test(file) && file !== 'rules.ts') problems.push(`${at(part, file)}: "rules" names only the versioned rule parameters (rules.ts)`);
    }
  }
  if (parts.routes && !parts.routes.includes('index.ts')) problems.push(`${at('routes', 'index.ts')}: missing (lists every route of the service)`);
  if (parts.api && !parts.api.includes('index.ts')) problems.push(`${at('api', 'index.ts')}: missing (binds every route to its implementation)`);
  for (const file of parts.api ?? []) {
    if (!API_NON_AREAS.includes(file) && !parts.routes?.includes(file)) {
      problems.push(`${at('api', file)}: an api/ area needs its routes (${at('routes', file)})`);
    }
  }

  // handlers/ holds the manifest's entry points and nothing else.
  const manifest = readFileSync(join(dir, 'service.ts'), 'utf8');
  const entries = [...manifest.matchAll(/entry:\s*['"`]([^'"`]+)['"`]/g)].map((m) => m[1] as string);
  for (const entry of entries) {
    if (!entry.startsWith(`${at('handlers')}/`)) problems.push(`${at('service.ts')}: entry ${entry} is not in ${at('handlers')}/`);
    else if (!existsSync(join(services, '..', entry))) problems.push(`${at('service.ts')}: entry ${entry} does not exist`);
  }
  for (const file of parts.handlers ?? []) {
    if (!entries.includes(at('handlers', file))) problems.push(`${at('handlers', file)}: not the entry of a function in the manifest`);
  }
  return problems;
}

describe('service shape', () => {
  it('services/ has the shape of docs/architecture.md', () => {
    expect(shapeProblems(ROOT)).toEqual([]);
  });
});

describe('the shape check finds what a planted tree breaks', () => {
  let tree: string;
  const plant = (files: Record<string, string>) => {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(tree, path)), { recursive: true });
      writeFileSync(join(tree, path), text);
    }
  };
  beforeAll(() => {
    tree = mkdtempSync(join(tmpdir(), 'jixiao-shape-'));
    plant({
      'services/registry.ts': '',
      // a service with every part, as the shape says: no problem
      'services/good/service.ts': `entry: 'services/good/handlers/api.ts',\nentry: 'services/good/handlers/sweep.ts',`,
      'services/good/events.ts': '',
      'services/good/domain/rules.ts': '',
      'services/good/domain/order.ts': '',
      'services/good/routes/index.ts': '',
      'services/good/routes/orders.ts': '',
      'services/good/routes/rules.ts': '',
      'services/good/api/index.ts': '',
      'services/good/api/access.ts': '',
      'services/good/api/orders.ts': '',
      'services/good/store/orders.ts': '',
      'services/good/jobs/sweep.ts': '',
      'services/good/handlers/api.ts': '',
      'services/good/handlers/sweep.ts': '',
      // everything the shape does not name
      'services/helpers.ts': '',
      'services/bad/service.ts': `entry: 'services/bad/handlers/api.ts',\nentry: 'services/bad/handlers/gone.ts',\nentry: 'services/bad/jobs/sweep.ts',`,
      'services/bad/store.ts': '',
      'services/bad/http/orders.ts': '',
      'services/bad/domain/case-rules.ts': '',
      'services/bad/domain/nested/deep.ts': '',
      'services/bad/domain/NOTES.md': '',
      'services/bad/routes/orders.ts': '',
      'services/bad/api/orders.ts': '',
      'services/bad/api/payments.ts': '',
      'services/bad/jobs/sweep.ts': '',
      'services/bad/handlers/api.ts': '',
      'services/bad/handlers/helpers.ts': '',
      'services/headless/domain/thing.ts': '',
    });
  });
  afterAll(() => rmSync(tree, { recursive: true, force: true }));

  it('names every problem of the planted tree and none of the good service', () => {
    expect(shapeProblems(tree)).toEqual([
      'services/bad/api/index.ts: missing (binds every route to its implementation)',
      'services/bad/api/payments.ts: an api/ area needs its routes (services/bad/routes/payments.ts)',
      'services/bad/domain/NOTES.md: only .ts files inside domain/',
      'services/bad/domain/case-rules.ts: "rules" names only the versioned rule parameters (rules.ts)',
      'services/bad/domain/nested/: no folders inside domain/',
      'services/bad/handlers/helpers.ts: not the entry of a function in the manifest',
      'services/bad/http/: not a part of a service (domain/, routes/, api/, store/, jobs/, handlers/)',
      'services/bad/routes/index.ts: missing (lists every route of the service)',
      'services/bad/service.ts: entry services/bad/handlers/gone.ts does not exist',
      'services/bad/service.ts: entry services/bad/jobs/sweep.ts is not in services/bad/handlers/',
      'services/bad/store.ts: a service\'s root holds only service.ts and events.ts',
      'services/headless/service.ts: missing (every service has a manifest)',
      'services/helpers.ts: services/ holds registry.ts and one folder per service, nothing else',
    ]);
  });

  it('a missing registry is a problem', () => {
    rmSync(join(tree, 'services', 'registry.ts'));
    expect(shapeProblems(tree)).toContain('services/registry.ts: missing (the list of every manifest and route list)');
  });
});
