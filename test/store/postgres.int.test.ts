// The PostgreSQL adapter passes the event store contract on a real server, and keeps what only it
// can promise: one round trip per append, rows from which digest and chain can be recomputed, and
// connection failures reported as UNAVAILABLE.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { UnavailableError } from '../../src/domain/errors.js';
import { chainHash, contentDigest, GENESIS_HASH } from '../../src/store/hash.js';
import type { JsonObject } from '../../src/store/port.js';
import { PostgresEventStore } from '../../src/store/postgres.js';
import { appendOn } from '../support/append-on.js';
import { type FreshDatabase, freshDatabase } from '../support/db.js';
import { eventStoreContract, newCategory, newEvent, newEvents, newStream } from './contract.js';

let db: FreshDatabase;
beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(async () => {
  await db?.drop();
});

eventStoreContract('PostgresEventStore', () => new PostgresEventStore(db.pool));

describe('PostgresEventStore', () => {
  it('appends in one round trip (the wake-up for other processes is sent apart, not awaited)', async () => {
    const store = new PostgresEventStore(db.pool);
    const query = vi.spyOn(db.pool, 'query');
    try {
      await store.append(newStream(), newEvents(3), {
        expectedRevision: 'no_stream',
        commandId: `c${Date.now()}`,
      });
      const names = query.mock.calls.map(([q]) => (q as { name?: string }).name);
      expect(names.filter((n) => n !== 'tiendo_notify')).toEqual(['tiendo_append']);
    } finally {
      query.mockRestore();
      await store.close();
    }
  });

  it('stores what contentDigest needs: digest and chain recompute from the columns alone', async () => {
    const store = new PostgresEventStore(db.pool);
    const stream = newStream();
    const data: JsonObject = { b: 1e21, a: [0.1, -0, 2 ** 53 + 2, 1.5e-7], c: { z: 'ư', y: null } };
    await store.append(stream, [newEvent(data), newEvent({ ...data, k: true })], {
      expectedRevision: 'no_stream',
    });
    const { rows } = await db.pool.query(
      `SELECT event_id, stream, type, schema_version, data, metadata,
              encode(digest, 'hex') AS digest, encode(hash, 'hex') AS hash
         FROM events WHERE stream = $1 ORDER BY revision`,
      [stream],
    );
    let previous = GENESIS_HASH;
    for (const row of rows) {
      const digest = contentDigest(row.stream, {
        id: row.event_id,
        type: row.type,
        schemaVersion: row.schema_version,
        data: row.data,
        metadata: row.metadata,
      });
      expect(digest).toBe(row.digest);
      previous = chainHash(previous, digest);
      expect(row.hash).toBe(previous);
    }
    await store.close();
  });

  it('wakes subscribers of another store by NOTIFY, and listens again after losing the connection', async () => {
    // Polling only every minute: within the test, only a wake-up can deliver.
    const subscriber = new PostgresEventStore(db.pool, { subscriptions: { pollIntervalMs: 60_000 } });
    const writer = new PostgresEventStore(db.pool);
    const category = newCategory();
    const received: string[] = [];
    const subscription = subscriber.subscribe({
      categories: [category],
      onEvents: async (batch) => {
        received.push(...batch.map((e) => e.id));
      },
    });
    try {
      const [first] = newEvents(1);
      await writer.append(newStream(category), [first!], { expectedRevision: 'any' });
      await vi.waitFor(() => expect(received).toEqual([first!.id]), { timeout: 10_000 });

      const listeners = async () =>
        (
          await db.pool.query<{ pid: number }>(
            `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN tiendo_events'`,
          )
        ).rows.map((r) => r.pid);
      const [killed] = await listeners();
      await db.pool.query('SELECT pg_terminate_backend($1)', [killed]);
      await vi.waitFor(
        async () => expect((await listeners()).filter((pid) => pid !== killed)).toHaveLength(1),
        {
          timeout: 10_000,
        },
      );
      const [second] = newEvents(1);
      await writer.append(newStream(category), [second!], { expectedRevision: 'any' });
      await vi.waitFor(() => expect(received).toEqual([first!.id, second!.id]), { timeout: 10_000 });
    } finally {
      await subscription.close();
      await subscriber.close();
      await writer.close();
    }
  });

  it('a repeat of a command still being written on another stream waits for it, then returns it', async () => {
    const store = new PostgresEventStore(db.pool);
    const command = { commandId: `c${newCategory()}`, commandHash: 'h' };
    const [first, second] = [newStream(), newStream()];
    const holder = await db.pool.connect();
    try {
      await holder.query('BEGIN');
      await appendOn(holder, first, newEvent(), command);
      const repeat = store.append(second, newEvents(1), { expectedRevision: 'any', ...command });
      await new Promise((r) => setTimeout(r, 100));
      await holder.query('COMMIT');
      const result = await repeat;
      expect(result).toMatchObject({ duplicate: true, stream: first, nextExpectedRevision: 0 });
      expect(await store.readStream(second)).toEqual([]);
    } finally {
      holder.release();
      await store.close();
    }
  });

  it('reports a server it cannot reach as UNAVAILABLE', async () => {
    const unreachable = new pg.Pool({
      connectionString: 'postgres://postgres:x@127.0.0.1:1/none',
      connectionTimeoutMillis: 2000,
    });
    const store = new PostgresEventStore(unreachable);
    try {
      await expect(
        store.append(newStream(), newEvents(1), { expectedRevision: 'any' }),
      ).rejects.toBeInstanceOf(UnavailableError);
      await expect(store.readAll()).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    } finally {
      await store.close();
      await unreachable.end();
    }
  });
});
