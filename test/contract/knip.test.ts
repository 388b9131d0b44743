/**
 * knip (`npm run knip`, part of `npm test`) with the repository's knip.jsonc finds a planted
 * unused file, unused export and unused dependency, and takes the repository's entry points
 * (Lambda handlers, CLIs, scripts) as used. The planted project is written to a temporary
 * directory with a copy of the config, so the repository's own run never sees it.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const KNIP = join(ROOT, 'node_modules', 'knip', 'bin', 'knip.js');

const PLANTED: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'planted', private: true, type: 'module', dependencies: { 'left-pad': '1.3.0' } }),
  'services/alpha/handlers/api.ts': `import { used } from '../../../shared/used.ts';\nexport const handler = () => used;\n`,
  'services/alpha/service.ts': `export default { entry: 'services/alpha/handlers/api.ts' };\n`,
  'services/registry.ts': `import alpha from './alpha/service.ts';\nexport const manifests = [alpha];\n`,
  'infra/local/cli/start.ts': `import { manifests } from '../../../services/registry.ts';\nconsole.log(manifests);\n`,
  'scripts/report.ts': `export const report = 'a script is an entry';\n`,
  'shared/used.ts': `export const used = 1;\nexport const unusedHelper = 2;\n`,
  'shared/orphan.ts': `export const orphan = 3;\n`,
};

/** One entry of knip's JSON report: a file and what is unused in it, by kind. */
type KnipIssue = { file: string } & Record<'files' | 'dependencies' | 'exports', { name: string }[]>;

describe('knip with the repository config', () => {
  let dir: string;
  let issues: KnipIssue[];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jixiao-knip-'));
    for (const [path, text] of Object.entries(PLANTED)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    copyFileSync(join(ROOT, 'knip.jsonc'), join(dir, 'knip.jsonc'));
    // knip exits 1 when it finds something, which is the point here.
    const run = promisify(execFile)(process.execPath, [KNIP, '--directory', dir, '--reporter', 'json', '--no-progress'], { cwd: dir }).catch(
      (error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }),
    );
    ({ issues } = JSON.parse((await run).stdout) as { issues: KnipIssue[] });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const found = (kind: 'dependencies' | 'exports') => issues.flatMap((i) => i[kind].map((item) => `${i.file}: ${item.name}`));

  it('finds the unused file', () => {
    expect(issues.filter((i) => i.files.length > 0).map((i) => i.file)).toEqual(['shared/orphan.ts']);
  });

  it('finds the unused export, and none of the entry points', () => {
    expect(found('exports')).toEqual(['shared/used.ts: unusedHelper']);
  });

  it('finds the unused dependency', () => {
    expect(found('dependencies')).toEqual(['package.json: left-pad']);
  });
});
