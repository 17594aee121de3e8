import { defineConfig } from 'vitest/config';

// Tiers by suffix: *.unit.test.ts (pure, no I/O), *.int.test.ts (real PostgreSQL),
// *.e2e.test.ts (the CLI / API as a user drives it). Integration tests share one PostgreSQL started by
// test/global-setup.ts (TEST_DATABASE_URL, or an embedded server) and each makes its own database.
export default defineConfig({
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
