import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The reliability suite's quick parts run here too; the full parts only in `npm run test:reliability`.
    include: ['test/{unit,integration,e2e,infra,contract}/**/*.test.ts', 'test/reliability/**/*.quick.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 90_000,
    pool: 'forks',
    reporters: ['default', './test/support/summary-reporter.ts'],
    env: { POWERTOOLS_LOG_LEVEL: 'SILENT', POWERTOOLS_DEV: 'false', JSII_DEPRECATED: 'quiet', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
