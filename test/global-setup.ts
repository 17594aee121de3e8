// Global setup of the integration tier: one PostgreSQL for the whole run. TEST_DATABASE_URL names an
// existing server (a URL whose user may create databases); otherwise an embedded server starts in a
// fresh temporary folder on a free port (TIENDO_TEST_PG_PORT to fix one), so that runs side by side
// never share one, and is stopped and deleted at teardown. Tests get the URL with inject('pgAdminUrl')
// and make their own database (test/support/db.ts).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { freePort, startEmbeddedPostgres } from '../src/infra/embedded-postgres.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    project.provide('pgAdminUrl', url);
    return undefined;
  }
  const dataDir = await mkdtemp(join(tmpdir(), 'tiendo-test-pg-'));
  const port = process.env.TIENDO_TEST_PG_PORT ? Number(process.env.TIENDO_TEST_PG_PORT) : await freePort();
  const server = await startEmbeddedPostgres({
    dataDir,
    port,
    // Throwaway data: durability would only slow the tests down.
    flags: [
      '-c',
      'fsync=off',
      '-c',
      'synchronous_commit=off',
      '-c',
      'full_page_writes=off',
      '-c',
      'max_connections=300',
    ],
  });
  project.provide('pgAdminUrl', server.adminUrl);
  return async () => {
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
}
