import { defineConfig } from 'vitest/config';

/**
 * One vitest run covers every package. `unit` tests are pure and run in parallel; `integration`
 * tests (`*.int.test.ts`) use the real kernel, network namespaces and root, and run one file at a time
 * (scripts/test.mjs runs them in a second, serial invocation).
 */
const resolve = { conditions: ['weft-source'] };
const ssr = { resolve: { conditions: ['weft-source'] } };

export default defineConfig({
  test: {
    projects: [
      {
        resolve,
        ssr,
        test: {
          name: 'unit',
          include: [
            'packages/*/src/**/*.test.ts',
            'apps/server/src/**/*.test.ts',
            'apps/cli/src/**/*.test.ts',
            'deploy/**/*.test.ts',
            'scripts/**/*.test.ts',
          ],
          exclude: ['**/*.int.test.ts', '**/node_modules/**', '**/dist/**'],
          environment: 'node',
        },
      },
      {
        resolve,
        ssr,
        test: {
          name: 'integration',
          include: [
            'packages/*/src/**/*.int.test.ts',
            'apps/server/src/**/*.int.test.ts',
            'apps/cli/src/**/*.int.test.ts',
            'deploy/**/*.int.test.ts',
          ],
          exclude: ['**/node_modules/**', '**/dist/**'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      'apps/web',
    ],
  },
});
