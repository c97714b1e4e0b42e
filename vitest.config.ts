import os from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * Three projects: unit tests beside the code they test (and the architecture tests, which read the
 * source); integration tests through the HTTP API against a real database (PGlite, and PostgreSQL
 * too when WM_TEST_DATABASE_URL names a server); browser tests driving Chromium with axe checks.
 *
 * Timeouts are generous on purpose: they only catch a hang. Starting an app with demo data or a
 * browser on a machine busy with other work can take minutes, and that is no failure of what a
 * test checks (tests never assert how long something took; `npm run bench` measures speed).
 */
const postgresUrl = process.env.WM_TEST_DATABASE_URL;
const integrationTimeouts = { testTimeout: 120_000, hookTimeout: 300_000 };

export default defineConfig({
  test: {
    // One audit key for the test process and the CLIs and servers it starts (a published test
    // value, never a real key): processes writing to one database's trail must share its key.
    env: { AUDIT_KEY: '74657374206175646974206b6579202d206e6f7420666f72207573652121212121' },
    // Vitest's default is one worker fewer than the cores: one file at a time on a 2-core machine,
    // though much of an integration file's time is spent waiting on other processes (the
    // PostgreSQL server, a CLI or server it starts). Two files at a time use both cores.
    maxWorkers: Math.max(2, os.availableParallelism() - 1),
    // CI reads the counts from the JSON report; each run (Node 20, Node 24) names its own file.
    reporters: process.env.CI
      ? ['default', ['json', { outputFile: process.env.WM_VITEST_REPORT ?? '.vitest-results.json' }]]
      : ['default'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'test/architecture/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          env: { WM_TEST_BACKEND: 'pglite' },
          ...integrationTimeouts,
        },
      },
      ...(postgresUrl
        ? [
            {
              test: {
                name: 'integration-postgres',
                include: ['test/integration/**/*.test.ts'],
                // The published methods' CLI tests (`whatmatters calc …`) open no database: once is enough.
                exclude: ['test/integration/calc-*.test.ts'],
                env: { WM_TEST_BACKEND: 'postgres' },
                ...integrationTimeouts,
              },
            },
          ]
        : []),
      {
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
