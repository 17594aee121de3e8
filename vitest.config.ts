import { defineConfig } from 'vitest/config';

// Tiers by suffix: *.unit.test.ts (pure, no I/O), *.int.test.ts (real PostgreSQL),
// *.e2e.test.ts (the CLI / API as a user drives it). Integration tests share one PostgreSQL started by
// test/global-setup.ts (TEST_DATABASE_URL, or an embedded server) and each makes its own database.
export default defineConfig({
  // graphql 16 ships CJS (main) and ESM (module) builds without an exports map: vite would pick the ESM
  // one for our sources while graphql-yoga, loaded by Node, gets the CJS one, and graphql-js refuses a
  // schema from "another module or realm". Node's choice for everyone.
  resolve: { alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }] },
  test: {
    reporters: ['default', './test/support/summary-reporter.ts'],
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/**/*.unit.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'int',
          include: ['test/**/*.int.test.ts', 'test/**/*.e2e.test.ts'],
          globalSetup: ['test/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
