/**
 * ESLint (`npm run lint`, part of `npm test`). tsc already checks types and knip finds unused
 * code, so this config holds what neither does: ESLint's recommended JavaScript rules, and
 * typescript-eslint's type-aware rules about promises and errors: a promise nobody awaits
 * loses its rejection (an unhandled rejection ends a Lambda invocation, or a DynamoDB write
 * silently does not happen before the response). Type information comes from the project
 * service (the repository's tsconfig.json); test/contract/lint.test.ts shows a planted
 * floating promise is caught.
 */
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default defineConfig(
  // What .gitignore keeps out of the repository: generated output, local data.
  globalIgnores(['node_modules/', 'cdk.out/', '.jixiao/', 'coverage/', 'scratch/', 'test/bench/out/', 'test/e2e/out/', 'test/reliability/.results/', 'test-results/']),
  {
    name: 'jixiao/javascript',
    extends: [js.configs.recommended],
    rules: {
      // tsc and knip find unused code; `{ dropped: _dropped, ...rest }` is the code base's way to omit a field.
      'no-unused-vars': 'off',
    },
  },
  {
    // The few plain JavaScript files (configs, worker bootstraps) run on Node and have no type
    // information to tell its globals from typos; tsc does not see them either.
    name: 'jixiao/plain-javascript',
    files: ['**/*.{js,mjs,cjs}'],
    rules: { 'no-undef': 'off' },
  },
  {
    name: 'jixiao/typescript',
    files: ['**/*.ts'],
    extends: [tseslint.configs.base, tseslint.configs.eslintRecommended],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // A promise must be awaited, returned, or explicitly dropped with `void` (and then handle its own errors).
      '@typescript-eslint/no-floating-promises': 'error',
      // No promise where a callback's result is ignored (an async listener: its rejection is lost) or a condition is tested.
      '@typescript-eslint/no-misused-promises': 'error',
      // `await` on something that is not a promise is a sign the call is not what the author thinks.
      '@typescript-eslint/await-thenable': 'error',
      // Errors are Error objects, with a stack and a name the handlers and logs rely on.
      '@typescript-eslint/only-throw-error': 'error',
      '@typescript-eslint/prefer-promise-reject-errors': 'error',
      // `return promise` inside try/catch skips the catch (and finally runs too early): await it there.
      '@typescript-eslint/return-await': ['error', 'error-handling-correctness-only'],
      // A switch over a union (a state, a role, an event kind) names every member, or has a default.
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
    },
  },
);
