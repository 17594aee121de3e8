// Migrations: applied in order, each once, recorded with a checksum; safe when two processes migrate
// at once; refused when an applied file changed; a failing file leaves no trace.
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/infra/database.js';
import { MIGRATIONS_DIR, MigrationChecksumError, migrate } from '../../src/infra/migrate.js';
import { type FreshDatabase, freshDatabase } from '../support/db.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function emptyDatabase(): Promise<FreshDatabase> {
  const db = await freshDatabase({ migrate: false });
  cleanups.push(() => db.drop());
  return db;
}

async function migrationsDir(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tiendo-migrations-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  for (const [name, sql] of Object.entries(files)) await writeFile(join(dir, name), sql);
  return dir;
}

const recorded = async (db: FreshDatabase) =>
  (await db.pool.query('SELECT name, checksum FROM schema_migrations ORDER BY name')).rows;

const tables = async (db: FreshDatabase) =>
  (
    await db.pool.query<{ tablename: string }>(
      `SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`,
    )
  ).rows.map((r) => r.tablename);

describe('migrate', () => {
  it('applies the repository’s files in order, records name and checksum, and then has nothing to do', async () => {
    const db = await emptyDatabase();
    const files = (await readdir(MIGRATIONS_DIR)).filter((f) => f.endsWith('.sql')).sort();
    expect(files.length).toBeGreaterThan(0);

    expect((await migrate(db.pool)).applied).toEqual(files);
    const checksums = await Promise.all(
      files.map(async (f) =>
        createHash('sha256')
          .update(await readFile(join(MIGRATIONS_DIR, f), 'utf8'))
          .digest('hex'),
      ),
    );
    expect(await recorded(db)).toEqual(files.map((name, i) => ({ name, checksum: checksums[i] })));
    expect(await tables(db)).toEqual(
      expect.arrayContaining(['commands', 'events', 'schema_migrations', 'streams']),
    );

    expect((await migrate(db.pool)).applied).toEqual([]);
  });

  it('two processes migrating at once both succeed and each file is applied once', async () => {
    const db = await emptyDatabase();
    const other = await openDatabase({ url: db.url });
    cleanups.push(() => other.close());
    const [a, b] = await Promise.all([migrate(db.pool), migrate(other.pool)]);
    const files = (await recorded(db)).map((r) => r.name);
    expect([...a.applied, ...b.applied].sort()).toEqual(files);
    expect(a.applied.length === 0 || b.applied.length === 0).toBe(true);
  });

  it('refuses to go on when an applied file has changed, and applies nothing after it', async () => {
    const db = await emptyDatabase();
    const dir = await migrationsDir({ '001_first.sql': 'CREATE TABLE first (id int);' });
    await migrate(db.pool, { dir });
    await writeFile(join(dir, '001_first.sql'), 'CREATE TABLE first (id bigint);');
    await writeFile(join(dir, '002_second.sql'), 'CREATE TABLE second (id int);');
    await expect(migrate(db.pool, { dir })).rejects.toBeInstanceOf(MigrationChecksumError);
    expect(await tables(db)).toEqual(['first', 'schema_migrations']);
  });

  it('a failing file is rolled back and not recorded; the files before it stay applied', async () => {
    const db = await emptyDatabase();
    const dir = await migrationsDir({
      '001_good.sql': 'CREATE TABLE good (id int);',
      '002_bad.sql': 'CREATE TABLE half (id int); SELECT no_such_function();',
      'notes.txt': 'not a migration',
    });
    await expect(migrate(db.pool, { dir })).rejects.toMatchObject({ code: '42883' });
    expect((await recorded(db)).map((r) => r.name)).toEqual(['001_good.sql']);
    expect(await tables(db)).toEqual(['good', 'schema_migrations']);
  });
});
