import { defineConfig } from 'vitest/config';

/**
 * Three projects: unit tests beside the domain code; integration tests through the HTTP API against
 * a real database (PGlite, and PostgreSQL too when WM_TEST_DATABASE_URL names a server); browser
 * tests driving Chromium with axe checks.
 */
const postgresUrl = process.env.WM_TEST_DATABASE_URL;

export default defineConfig({
  test: {
    reporters: process.env.CI ? ['default', ['json', { outputFile: '.vitest-results.json' }]] : ['default'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          env: { WM_TEST_BACKEND: 'pglite' },
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      ...(postgresUrl
        ? [
            {
              test: {
                name: 'integration-postgres',
                include: ['test/integration/**/*.test.ts'],
                env: { WM_TEST_BACKEND: 'postgres' },
                testTimeout: 30_000,
                hookTimeout: 60_000,
              },
            },
          ]
        : []),
      {
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
