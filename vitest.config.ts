import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * The tests that hold the system to a latency promise of an issue ("publish → timeline within
 * 2 s", "inbox alert and signed webhook within 2 s") run in a group of their own, after every
 * other file and one file at a time: the promise is about the system, and on this 2-core machine
 * twenty test files running beside them would measure the machine's contention instead.
 */
const LATENCY_PROMISES = ['test/e2e/indicator-lifecycle.test.ts', 'test/e2e/npm-start.test.ts', 'test/e2e/accountability-case-alert.test.ts'];

export default defineConfig({
  test: {
    globalSetup: ['test/support/global-setup.ts'],
    setupFiles: ['test/support/engine-lease.ts'],
    testTimeout: 60_000,
    hookTimeout: 90_000,
    pool: 'forks',
    // At least two files at a time, also on a 2-core machine (vitest's default there is one): much of
    // a file's time is waiting for events to arrive. Measured on a fresh clone of the 2-core machine,
    // with leased engines (docs/decisions.md 2026-12-07): 689 s with one worker, 534 s with two.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    reporters: ['default', './test/support/summary-reporter.ts'],
    env: { POWERTOOLS_LOG_LEVEL: 'SILENT', POWERTOOLS_DEV: 'false', JSII_DEPRECATED: 'quiet', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    projects: [
      {
        extends: true,
        test: {
          name: 'suite',
          // The reliability suite's quick parts run here too; the full parts only in `npm run test:reliability`.
          include: ['test/{unit,integration,e2e,infra,contract}/**/*.test.ts', 'test/reliability/**/*.quick.test.ts'],
          exclude: LATENCY_PROMISES,
          sequence: { groupOrder: 0 },
        },
      },
      { extends: true, test: { name: 'latency', include: LATENCY_PROMISES, fileParallelism: false, sequence: { groupOrder: 1 } } },
    ],
  },
});
