// openDatabase: the server a URL names, or an embedded PostgreSQL in a local data folder, which is
// initialised once, reused on the next start, shared with a server a previous run left running, and
// not blocked by a stale postmaster.pid.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/infra/database.js';
import { freePort } from '../../src/infra/embedded-postgres.js';
import { freshDatabase } from '../support/db.js';

const currentDatabase = async (db: {
  pool: { query: (q: string) => Promise<{ rows: { name: string }[] }> };
}) => (await db.pool.query('SELECT current_database() AS name')).rows[0]!.name;

describe('openDatabase with a URL', () => {
  it('uses the server and database the URL (or DATABASE_URL) names', async () => {
    const fresh = await freshDatabase({ migrate: false });
    try {
      const db = await openDatabase({ env: { DATABASE_URL: fresh.url } });
      expect(db.startedServer).toBe(false);
      expect(await currentDatabase(db)).toBe(fresh.name);
      await db.close();
    } finally {
      await fresh.drop();
    }
  });
});

describe('openDatabase without a URL: embedded PostgreSQL', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('starts in its data folder, shares a running server, restarts on the same data', async () => {
    const parent = await mkdtemp(join(tmpdir(), 'tiendo-db-test-'));
    dirs.push(parent);
    // mkdtemp makes it private to root, and the server runs as the `postgres` user.
    await chmod(parent, 0o755);
    const dataDir = join(parent, 'pgdata');
    const env = { TIENDO_DATA_DIR: dataDir, TIENDO_PG_PORT: String(await freePort()) };

    const first = await openDatabase({ env });
    expect(first.startedServer).toBe(true);
    expect(existsSync(join(dataDir, 'PG_VERSION'))).toBe(true);
    expect(await currentDatabase(first)).toBe('tiendo');
    await first.pool.query('CREATE TABLE kept (n int); INSERT INTO kept VALUES (42)');

    // A second process finds the server running on the folder and connects to it.
    const second = await openDatabase({ env });
    expect(second.startedServer).toBe(false);
    await second.close();
    expect((await first.pool.query('SELECT n FROM kept')).rows).toEqual([{ n: 42 }]);
    await first.close();
    expect(existsSync(join(dataDir, 'postmaster.pid'))).toBe(false);

    // Killed without cleaning up, its pid since taken by another program: neither a server to
    // share nor a reason not to start.
    const other = spawn('sleep', ['60']);
    try {
      await writeFile(
        join(dataDir, 'postmaster.pid'),
        `${other.pid}\n${dataDir}\n0\n${env.TIENDO_PG_PORT}\n`,
      );
      const third = await openDatabase({ env });
      expect(third.startedServer).toBe(true);
      expect((await third.pool.query('SELECT n FROM kept')).rows).toEqual([{ n: 42 }]);
      await third.close();
    } finally {
      other.kill();
    }
  });
});
