// Why the global log is read the way it is, shown step by step with transactions held open.
// 1. The bigserial trap (DESIGN.md): a transaction takes a global position, a later one takes a
//    higher position and commits first. Paging on global_position alone moves past the gap for good;
//    readAll waits below the older transaction and sees both.
// 2. An append gets its transaction id only once it holds its stream, so the (transaction id,
//    position) order can never put a stream's later revision first.
// 3. A subscriber woken for events still held back keeps looking until they show.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PostgresEventStore } from '../../src/store/postgres.js';
import { appendOn } from '../support/append-on.js';
import { type FreshDatabase, freshDatabase } from '../support/db.js';
import { newCategory, newEvent, newStream } from './contract.js';

let db: FreshDatabase;
beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(async () => {
  await db?.drop();
});

const naiveRead = async (afterPosition: string) =>
  (
    await db.pool.query<{ event_id: string; global_position: string }>(
      'SELECT event_id, global_position FROM events WHERE global_position > $1 ORDER BY global_position',
      [afterPosition],
    )
  ).rows;

describe('the global log while transactions are open', () => {
  it('paging on global_position skips a late commit; readAll waits for it and sees both', async () => {
    const store = new PostgresEventStore(db.pool);
    const [slowStream, fastStream] = [newStream(), newStream()];
    const [slowEvent, fastEvent] = [newEvent(), newEvent()];
    const slow = await db.pool.connect();
    try {
      await slow.query('BEGIN');
      await appendOn(slow, slowStream, slowEvent);
      await store.append(fastStream, [fastEvent], { expectedRevision: 'any' });

      const before = await naiveRead('0');
      expect(before.map((r) => r.event_id)).toEqual([fastEvent.id]);
      expect(await store.readAll()).toEqual([]);

      await slow.query('COMMIT');
      expect(await naiveRead(before[0]!.global_position)).toEqual([]);
      const all = await vi.waitFor(
        async () => {
          const events = await store.readAll();
          expect(events).toHaveLength(2);
          return events;
        },
        { timeout: 10_000 },
      );
      expect(all.map((e) => e.id)).toEqual([slowEvent.id, fastEvent.id]);
    } finally {
      slow.release();
      await store.close();
    }
  });

  it('an append waiting for its stream has no transaction id yet, so it is ordered after the holder', async () => {
    const store = new PostgresEventStore(db.pool);
    const category = newCategory();
    const stream = newStream(category);
    const [holder, waiter] = [await db.pool.connect(), await db.pool.connect()];
    try {
      await holder.query('BEGIN');
      await appendOn(holder, stream, newEvent());
      const { rows } = await waiter.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      const waiting = appendOn(waiter, stream, newEvent());
      const activity = await vi.waitFor(
        async () => {
          const {
            rows: [row],
          } = await db.pool.query(
            'SELECT wait_event_type, backend_xid FROM pg_stat_activity WHERE pid = $1',
            [rows[0]!.pid],
          );
          expect(row.wait_event_type).toBe('Lock');
          return row;
        },
        { timeout: 10_000 },
      );
      expect(activity.backend_xid).toBeNull();

      await holder.query('COMMIT');
      await waiting;
      const read = await vi.waitFor(
        async () => {
          const events = await store.readAll({ categories: [category] });
          expect(events).toHaveLength(2);
          return events;
        },
        { timeout: 10_000 },
      );
      expect(read.map((e) => e.revision)).toEqual([0, 1]);
      expect(read[0]!.position.tx).toBeLessThan(read[1]!.position.tx);
    } finally {
      holder.release();
      waiter.release();
      await store.close();
    }
  });

  it('a subscriber woken for an event held back behind an open transaction gets it when that ends', async () => {
    // Polling only every minute: within the test, the subscriber must look again by itself.
    const store = new PostgresEventStore(db.pool, { subscriptions: { pollIntervalMs: 60_000 } });
    const category = newCategory();
    const received: string[] = [];
    const subscription = store.subscribe({
      categories: [category],
      onEvents: async (batch) => {
        received.push(...batch.map((e) => e.id));
      },
    });
    const slow = await db.pool.connect();
    try {
      const [slowEvent, fastEvent] = [newEvent(), newEvent()];
      await slow.query('BEGIN');
      await appendOn(slow, newStream(), slowEvent);
      await store.append(newStream(category), [fastEvent], { expectedRevision: 'any' });
      await new Promise((r) => setTimeout(r, 200));
      expect(received).toEqual([]);

      await slow.query('COMMIT');
      await vi.waitFor(() => expect(received).toEqual([fastEvent.id]), { timeout: 10_000 });
    } finally {
      slow.release();
      await subscription.close();
      await store.close();
    }
  });
});
