// Applies migrations/NNN_name.sql in order. One process at a time (a session advisory lock on a
// constant key, per database), each file in its own transaction together with its record in
// schema_migrations (name, checksum, applied_at), so a file is applied exactly once. A file whose
// content changed after it was applied is refused: the database no longer matches the repository.
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url));

/** 'tiendo:m' as a number: any constant works, it only has to be the same in every process. */
const MIGRATION_LOCK_KEY = 0x7469656e646f3a6dn;

const FILE_NAME = /^\d{3}_[a-z0-9_]+\.sql$/;

export interface MigrateOptions {
  /** Folder of NNN_name.sql files; defaults to the repository's migrations/. */
  readonly dir?: string;
}

export interface MigrateResult {
  /** Files applied by this call, in order (empty when the database was up to date). */
  readonly applied: readonly string[];
}

export class MigrationChecksumError extends Error {
  constructor(readonly file: string) {
    super(`migration ${file} changed after it was applied; add a new migration instead`);
    this.name = 'MigrationChecksumError';
  }
}

export async function migrate(pool: pg.Pool, options: MigrateOptions = {}): Promise<MigrateResult> {
  const files = await readMigrations(options.dir ?? MIGRATIONS_DIR);
  const client = await pool.connect();
  let failure: Error | undefined;
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY.toString()]);
    try {
      return { applied: await applyPending(client, files) };
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY.toString()]);
    }
  } catch (error) {
    failure = error instanceof Error ? error : new Error(String(error));
    throw error;
  } finally {
    // Destroy rather than pool a connection that failed mid-migration: its state is unknown.
    client.release(failure);
  }
}

interface MigrationFile {
  readonly name: string;
  readonly sql: string;
  readonly checksum: string;
}

async function readMigrations(dir: string): Promise<MigrationFile[]> {
  const names = (await readdir(dir)).filter((n) => FILE_NAME.test(n)).sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(join(dir, name), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    }),
  );
}

async function applyPending(client: pg.PoolClient, files: readonly MigrationFile[]): Promise<string[]> {
  // Created under the lock: two concurrent CREATE TABLE IF NOT EXISTS can still collide.
  await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
    name       text PRIMARY KEY,
    checksum   text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`);
  const { rows } = await client.query<{ name: string; checksum: string }>(
    'SELECT name, checksum FROM schema_migrations',
  );
  const done = new Map(rows.map((r) => [r.name, r.checksum]));
  const changed = files.find((f) => done.has(f.name) && done.get(f.name) !== f.checksum);
  if (changed) throw new MigrationChecksumError(changed.name);
  const applied: string[] = [];
  for (const file of files.filter((f) => !done.has(f.name))) {
    await client.query('BEGIN');
    try {
      await client.query(file.sql);
      await client.query('INSERT INTO schema_migrations (name, checksum) VALUES ($1, $2)', [
        file.name,
        file.checksum,
      ]);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    }
    applied.push(file.name);
  }
  return applied;
}
