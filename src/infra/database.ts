// Opens tiendo's PostgreSQL: the server DATABASE_URL names, or else an embedded one whose data stays in
// a local folder (`.tiendo/pgdata`, TIENDO_DATA_DIR) on a fixed port (54329, TIENDO_PG_PORT). Also
// creates and drops databases by name, which is how tests get a clean database each.
import { resolve } from 'node:path';
import pg from 'pg';
import { serverUrl, startEmbeddedPostgres } from './embedded-postgres.js';

export const DEFAULT_DATA_DIR = '.tiendo/pgdata';
export const DEFAULT_PG_PORT = 54329;
export const DEFAULT_DATABASE = 'tiendo';

export interface OpenDatabaseOptions {
  /** A PostgreSQL URL; defaults to DATABASE_URL. Without either, an embedded server is used. */
  readonly url?: string;
  /** Embedded server's data directory; defaults to TIENDO_DATA_DIR, else `.tiendo/pgdata` in the cwd. */
  readonly dataDir?: string;
  /** Embedded server's port; defaults to TIENDO_PG_PORT, else 54329. */
  readonly port?: number;
  /** Database to use on the embedded server (created when missing); defaults to `tiendo`. */
  readonly database?: string;
  /** Pool size (pg's default is 10). */
  readonly maxConnections?: number;
  /** Where the variables above are read from; defaults to process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export interface Database {
  readonly pool: pg.Pool;
  readonly url: string;
  /** True when this process started the embedded server, which close() then stops. */
  readonly startedServer: boolean;
  /** Ends the pool, then stops the embedded server if this process started it. */
  close(): Promise<void>;
}

export async function openDatabase(options: OpenDatabaseOptions = {}): Promise<Database> {
  const env = options.env ?? process.env;
  const url = options.url ?? env.DATABASE_URL;
  if (url) return withPool(url, options.maxConnections, async () => {});

  const port = options.port ?? (env.TIENDO_PG_PORT ? Number(env.TIENDO_PG_PORT) : DEFAULT_PG_PORT);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`bad PostgreSQL port: ${port}`);
  const dataDir = resolve(options.dataDir ?? env.TIENDO_DATA_DIR ?? DEFAULT_DATA_DIR);
  const server = await startEmbeddedPostgres({ dataDir, port });
  try {
    const name = options.database ?? DEFAULT_DATABASE;
    const dbUrl = await ensureDatabase(server.adminUrl, name);
    const db = await withPool(dbUrl, options.maxConnections, () => server.stop());
    return { ...db, startedServer: server.startedHere };
  } catch (error) {
    await server.stop();
    throw error;
  }
}

/** Creates a database (failing if it exists) and returns its URL. */
export async function createDatabase(adminUrl: string, name: string): Promise<string> {
  await withAdmin(adminUrl, (c) => c.query(`CREATE DATABASE ${pg.escapeIdentifier(checkName(name))}`));
  return databaseUrl(adminUrl, name);
}

/** Drops a database if it exists, disconnecting whoever is still on it. */
export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  await withAdmin(adminUrl, (c) =>
    c.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(checkName(name))} WITH (FORCE)`),
  );
}

/** The same server and credentials, another database. */
export function databaseUrl(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(name)}`;
  return u.toString();
}

export { serverUrl };

async function ensureDatabase(adminUrl: string, name: string): Promise<string> {
  const exists = await withAdmin(adminUrl, (c) =>
    c.query('SELECT 1 FROM pg_database WHERE datname = $1', [checkName(name)]),
  );
  if (exists.rowCount === 0) {
    try {
      return await createDatabase(adminUrl, name);
    } catch (error) {
      // Two processes opening a new data directory at once: the other one created it.
      if ((error as { code?: string }).code !== '42P04') throw error;
    }
  }
  return databaseUrl(adminUrl, name);
}

async function withPool(url: string, max: number | undefined, after: () => Promise<void>): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, ...(max ? { max } : {}) });
  // An idle client losing its server emits here; without a listener that would crash the process.
  // The next query on the pool reports the failure to its caller.
  pool.on('error', () => {});
  let closed: Promise<void> | undefined;
  const close = () => {
    closed ??= pool.end().then(after);
    return closed;
  };
  return { pool, url, startedServer: false, close };
}

async function withAdmin<T>(adminUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  client.on('error', () => {});
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => {});
  }
}

function checkName(name: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`bad database name: ${name}`);
  return name;
}
