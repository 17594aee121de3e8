// Group commit on PostgreSQL: appends that wait while the round trips in flight are busy go together
// in one transaction (tiendo_append_batch), and each keeps its own outcome — written, duplicate,
// conflict, command id reused — exactly as if it had gone alone.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { TiendoError } from '../../src/domain/errors.js';
import { chainHash, contentDigest, GENESIS_HASH } from '../../src/store/hash.js';
import { PostgresEventStore } from '../../src/store/postgres.js';
import { type FreshDatabase, freshDatabase } from '../support/db.js';
import { newEvent, newEvents, newStream } from './contract.js';

let db: FreshDatabase;
beforeAll(async () => {
  db = await freshDatabase({ maxConnections: 6 });
});
afterAll(async () => {
  await db?.drop();
});

/** A store with one append in flight, so everything submitted meanwhile forms one batch. */
const serialStore = () => new PostgresEventStore(db.pool, { maxAppendsInFlight: 1 });
const batchCalls = (spy: { mock: { calls: unknown[][] } }) =>
  spy.mock.calls.filter((args) => (args[0] as { name?: string }).name === 'tiendo_append_batch').length;
const settle = <T>(p: Promise<T>) =>
  p.then(
    (value) => ({ ok: true as const, value }),
    (error: TiendoError) => ({ ok: false as const, error }),
  );

describe('group commit (tiendo_append_batch)', () => {
  it('writes waiting appends to many streams in one batch, each with its own revisions, chain and positions', async () => {
    const store = serialStore();
    const spy = vi.spyOn(db.pool, 'query');
    const streams = Array.from({ length: 12 }, () => newStream('batch'));
    const results = await Promise.all(
      streams.map((s, i) => store.append(s, newEvents(1 + (i % 3)), { expectedRevision: 'no_stream' })),
    );
    expect(batchCalls(spy)).toBeGreaterThan(0);
    spy.mockRestore();
    for (const [i, r] of results.entries()) {
      const stored = await store.readStream(streams[i]!);
      expect(r.nextExpectedRevision).toBe(i % 3);
      expect(r.events).toEqual(stored);
      let previous = GENESIS_HASH;
      for (const e of stored) {
        previous = chainHash(previous, contentDigest(e.stream, e));
        expect(e.hash).toBe(previous);
      }
    }
    await store.close();
  });

  it('gives a conflict, a duplicate and a reused command id their own outcome without failing the others', async () => {
    const store = serialStore();
    const existing = newStream('batch');
    await store.append(existing, [newEvent()], {
      expectedRevision: 'no_stream',
      commandId: 'batch-cmd-1',
      commandHash: 'h1',
    });
    const spy = vi.spyOn(db.pool, 'query');
    const blocker = store.append(newStream('batch'), [newEvent()], { expectedRevision: 'any' });
    const [conflict, duplicate, reused, written] = await Promise.all([
      settle(store.append(existing, [newEvent()], { expectedRevision: 5 })),
      settle(
        store.append(newStream('batch'), [newEvent()], {
          expectedRevision: 'any',
          commandId: 'batch-cmd-1',
          commandHash: 'h1',
        }),
      ),
      settle(
        store.append(newStream('batch'), [newEvent()], {
          expectedRevision: 'any',
          commandId: 'batch-cmd-1',
          commandHash: 'other',
        }),
      ),
      settle(store.append(newStream('batch'), [newEvent()], { expectedRevision: 'no_stream' })),
    ]);
    await blocker;
    expect(batchCalls(spy)).toBe(1);
    spy.mockRestore();
    expect(conflict.ok ? null : [conflict.error.code, conflict.error.reason]).toEqual([
      'CONFLICT',
      'WRONG_EXPECTED_REVISION',
    ]);
    expect(duplicate.ok && duplicate.value).toMatchObject({
      duplicate: true,
      stream: existing,
      nextExpectedRevision: 0,
    });
    expect(reused.ok ? null : reused.error.reason).toBe('COMMAND_ID_REUSED');
    expect(written.ok && written.value).toMatchObject({ duplicate: false, nextExpectedRevision: 0 });
    expect(await store.readStream(existing)).toHaveLength(1);
    await store.close();
  });

  it('never puts two appends of one stream in a batch: both land, in contiguous revisions', async () => {
    const store = serialStore();
    const stream = newStream('batch');
    await Promise.all(
      Array.from({ length: 6 }, () => store.append(stream, [newEvent()], { expectedRevision: 'any' })),
    );
    expect((await store.readStream(stream)).map((e) => e.revision)).toEqual([0, 1, 2, 3, 4, 5]);
    await store.close();
  });

  it('falls back to one append at a time when the batch fails as a whole (an event id reused)', async () => {
    const store = serialStore();
    const taken = newEvent();
    await store.append(newStream('batch'), [taken], { expectedRevision: 'any' });
    const blocker = store.append(newStream('batch'), [newEvent()], { expectedRevision: 'any' });
    const good = newStream('batch');
    const [reuse, fine] = await Promise.all([
      settle(store.append(newStream('batch'), [taken], { expectedRevision: 'any' })),
      settle(store.append(good, [newEvent()], { expectedRevision: 'any' })),
    ]);
    await blocker;
    expect(reuse.ok ? null : reuse.error.reason).toBe('EVENT_ID_REUSED');
    expect(fine.ok).toBe(true);
    expect(await store.readStream(good)).toHaveLength(1);
    await store.close();
  });
});
