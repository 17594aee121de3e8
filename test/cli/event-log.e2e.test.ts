// Which event log the CLI uses follows EVENTSTORE_URL. No KurrentDB server can run where this was
// written, so these specs show the wiring from the outside: with a kurrentdb:// URL the CLI reads
// the log through the real @eventstore/db-client (a port where nothing listens: the client's gRPC
// UNAVAILABLE comes back as the CLI's UNAVAILABLE exit), a foreign scheme is refused before anything
// is opened, and without the variable the log is PostgreSQL. None of this is a run against a server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/errors.js';
import { type FreshDatabase, freshDatabase } from '../support/db.js';
import { tiendo } from './cli.js';

let db: FreshDatabase;
const run = (args: string[], env: Record<string, string> = {}) => tiendo(args, { databaseUrl: db.url, env });

beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(async () => {
  await db?.drop();
});

describe('the event log the CLI uses', () => {
  it('without EVENTSTORE_URL it is PostgreSQL, and start says so', async () => {
    const r = await run(['start', '--no-demo']);
    expect(r.code).toBe(EXIT.OK);
    expect(r.stdout).toContain('event log in PostgreSQL');
  });

  it('with a kurrentdb:// URL the CLI reads the log from that server: unreachable is UNAVAILABLE', async () => {
    const r = await run(['stream', 'project-01HZZZZZZZZZZZZZZZZZZZZZZZ'], {
      EVENTSTORE_URL: 'kurrentdb://127.0.0.1:1?tls=false',
    });
    expect(r.code).toBe(EXIT.UNAVAILABLE);
    expect(r.stderr).toMatch(/error UNAVAILABLE \(STORE_UNAVAILABLE\): KurrentDB unavailable/);
  });

  it('an EVENTSTORE_URL of another scheme is refused with a clear error, before any database is opened', async () => {
    const r = await tiendo(['migrate'], { env: { EVENTSTORE_URL: 'postgres://localhost/tiendo' } });
    expect(r.code).toBe(EXIT.VALIDATION);
    expect(r.stderr).toContain('error VALIDATION (EVENTSTORE_URL_INVALID)');
    expect(r.stderr).toContain('EVENTSTORE_URL: must be an esdb:// or kurrentdb:// connection string');
  });
});
