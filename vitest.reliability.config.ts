import { defineConfig } from 'vitest/config';
import base from './vitest.config.ts';

/** `npm run test:reliability`: the whole reliability suite (quick and full parts), then REPORT.md. */
export default defineConfig({
  test: {
    // Every shared setting of the main config, without its two groups of files.
    ...Object.fromEntries(Object.entries(base.test ?? {}).filter(([key]) => key !== 'projects')),
    include: ['test/reliability/**/*.test.ts'],
    // The shared DynamoDB Local first, then the report (its teardown runs last and writes REPORT.md).
    globalSetup: ['test/support/global-setup.ts', 'test/reliability/report-teardown.ts'],
    // One file at a time: the load run saturates the machine on purpose, and the other parts'
    // numbers (and their waits for streams to drain) must not be measured under it.
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
