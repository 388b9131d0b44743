/**
 * test/reliability/REPORT.md describes the code at its head: the commit it records was measured
 * with clean product code, and no product code changed in a later commit. A change to services/,
 * shared/, infra/, events/, scripts/ or the dependencies makes this fail until
 * `npm run test:reliability` is run again and its report committed.
 *
 * It needs the repository's history; in a shallow clone, where the recorded commit or the last
 * product change may be missing, it cannot decide and is skipped (saying why).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PRODUCT_PATHS } from '../reliability/report-teardown.ts';

const repo = join(import.meta.dirname, '..', '..');
const git = (args: readonly string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8' }).trim();
const shallow = (() => {
  try {
    return git(['rev-parse', '--is-shallow-repository']) !== 'false';
  } catch {
    return true;
  }
})();

describe('the reliability report', () => {
  it.skipIf(shallow)('was measured at a commit no later product change has overtaken, with clean product code', () => {
    const report = readFileSync(join(repo, 'test', 'reliability', 'REPORT.md'), 'utf8');
    const recorded = /^Measured at commit ([0-9a-f]{40}) \(product code (clean|WITH UNCOMMITTED CHANGES)\)\.$/m.exec(report);
    expect(recorded, 'REPORT.md records no commit: run npm run test:reliability').not.toBeNull();
    const [, commit, state] = recorded as RegExpExecArray;
    expect(state, 'the report was measured with uncommitted product changes').toBe('clean');
    const lastProductChange = git(['log', '-1', '--format=%H', '--', ...PRODUCT_PATHS]);
    let fresh = true;
    try {
      git(['merge-base', '--is-ancestor', lastProductChange, commit as string]);
    } catch (error) {
      // Exit status 1 means "not an ancestor"; anything else (an unknown commit) is an error.
      if ((error as { status?: number }).status !== 1) throw error;
      fresh = false;
    }
    expect(fresh, `product code changed in ${lastProductChange}, after the report's commit ${commit}: run npm run test:reliability and commit REPORT.md`).toBe(true);
  });
});
