// A fresh, migrated database per test file (or suite) on the integration tier's PostgreSQL
// (test/global-setup.ts), dropped again by drop().
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { inject } from 'vitest';
import { createDatabase, dropDatabase, openDatabase } from '../../src/infra/database.js';
import { migrate } from '../../src/infra/migrate.js';

export interface FreshDatabase {
  readonly name: string;
  readonly url: string;
  readonly pool: pg.Pool;
  /** Ends the pool and drops the database. */
  drop(): Promise<void>;
}

export interface FreshDatabaseOptions {
  /** Apply migrations/ (default true). */
  readonly migrate?: boolean;
  readonly maxConnections?: number;
}

export async function freshDatabase(options: FreshDatabaseOptions = {}): Promise<FreshDatabase> {
  const adminUrl = inject('pgAdminUrl');
  const name = `tiendo_test_${randomBytes(6).toString('hex')}`;
  const url = await createDatabase(adminUrl, name);
  const db = await openDatabase({
    url,
    ...(options.maxConnections ? { maxConnections: options.maxConnections } : {}),
  });
  try {
    if (options.migrate ?? true) await migrate(db.pool);
  } catch (error) {
    await db.close();
    await dropDatabase(adminUrl, name);
    throw error;
  }
  return {
    name,
    url,
    pool: db.pool,
    drop: async () => {
      await db.close();
      await dropDatabase(adminUrl, name);
    },
  };
}
