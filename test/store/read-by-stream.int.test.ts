// Reading a category stream by stream on PostgreSQL (for a rebuild that folds one stream at a time):
// each stream whole and in revision order before the next, paged after a (stream, revision), only the
// category asked for, and nothing after the log position given, however it was written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonObject, RecordedEvent } from '../../src/store/port.js';
import { PostgresEventStore } from '../../src/store/postgres.js';
import { type FreshDatabase, freshDatabase } from '../support/db.js';
import { newEvents } from './contract.js';

let db: FreshDatabase;
let store: PostgresEventStore;
beforeAll(async () => {
  db = await freshDatabase();
  store = new PostgresEventStore(db.pool);
});
afterAll(async () => {
  await store?.close();
  await db?.drop();
});

const names = (events: readonly RecordedEvent[]) => events.map((e) => `${e.stream}@${e.revision}`);

describe('readByStream (PostgreSQL)', () => {
  it('reads each stream of the category whole, in stream then revision order, up to the position given', async () => {
    // Appends interleaved across streams, and a stream of another category between them by name.
    for (const [stream, n] of [
      ['rbs-b', 2],
      ['rbs-a', 1],
      ['other-x', 2],
      ['rbs-b', 1],
      ['rbs-c', 2],
      ['rbs-a', 2],
    ] as const)
      await store.append(stream, newEvents(n), { expectedRevision: 'any' });
    const upTo = await store.logEnd();
    await store.append('rbs-a', newEvents(1), { expectedRevision: 'any' }); // after upTo
    await store.append('rbs-d', newEvents(1), { expectedRevision: 'no_stream' }); // after upTo

    const all = await store.readByStream({ category: 'rbs', upTo, maxCount: 100 });
    expect(names(all)).toEqual([
      'rbs-a@0',
      'rbs-a@1',
      'rbs-a@2',
      'rbs-b@0',
      'rbs-b@1',
      'rbs-b@2',
      'rbs-c@0',
      'rbs-c@1',
    ]);
    // The same events as reading each stream: data, positions and hashes included.
    for (const stream of ['rbs-a', 'rbs-b', 'rbs-c']) {
      const own = (await store.readStream(stream)).filter((e) => all.some((x) => x.id === e.id));
      expect(all.filter((e) => e.stream === stream)).toEqual(own);
    }
  });

  it('pages after the last (stream, revision) read, a page ending inside a stream', async () => {
    const upTo = await store.logEnd();
    const pages: string[][] = [];
    let after: { stream: string; revision: number } | undefined;
    for (;;) {
      const page = await store.readByStream({ category: 'rbs', upTo, maxCount: 3, ...(after && { after }) });
      if (page.length === 0) break;
      pages.push(names(page));
      const last = page[page.length - 1] as RecordedEvent;
      after = { stream: last.stream, revision: last.revision };
    }
    expect(pages).toEqual([
      ['rbs-a@0', 'rbs-a@1', 'rbs-a@2'],
      ['rbs-a@3', 'rbs-b@0', 'rbs-b@1'],
      ['rbs-b@2', 'rbs-c@0', 'rbs-c@1'],
      ['rbs-d@0'],
    ]);
  });

  it('reads only the metadata fields asked for, each as stored, a field the event lacks left out', async () => {
    const stream = 'lean-a';
    const metadata: JsonObject[] = [
      {
        actor: { userId: 'u1', roles: ['a', 'b'] },
        effectiveAt: '2024-01-02',
        note: null,
        big: 'x'.repeat(500),
      },
      { effectiveAt: '2024-02-03', big: 'y' },
    ];
    await store.append(
      stream,
      metadata.map((m, i) => ({
        id: `lean-${i}`,
        type: 'Tested',
        schemaVersion: 1,
        data: { i },
        metadata: m,
      })),
      { expectedRevision: 'no_stream' },
    );
    const upTo = await store.logEnd();
    const fields = ['actor', 'effectiveAt', 'note'];
    const lean = await store.readByStream({ category: 'lean', upTo, maxCount: 10, metadata: fields });
    const full = await store.readByStream({ category: 'lean', upTo, maxCount: 10 });
    expect(lean.map((e) => e.metadata)).toEqual([
      { actor: { userId: 'u1', roles: ['a', 'b'] }, effectiveAt: '2024-01-02', note: null },
      { effectiveAt: '2024-02-03' },
    ]);
    expect(Object.keys(lean[1]?.metadata ?? {})).toEqual(['effectiveAt']);
    // Everything else as a whole read gives it.
    expect(lean.map((e) => ({ ...e, metadata: full.find((f) => f.id === e.id)?.metadata }))).toEqual(full);
    // The same from the log in order, and no field at all when none is asked for.
    const inOrder = await store.readAll({ categories: ['lean'], metadata: ['effectiveAt'] });
    expect(inOrder.map((e) => e.metadata)).toEqual([
      { effectiveAt: '2024-01-02' },
      { effectiveAt: '2024-02-03' },
    ]);
    const none = await store.readAll({ categories: ['lean', 'rbs'], metadata: [] });
    expect(none.length).toBeGreaterThan(2);
    expect(none.every((e) => Object.keys(e.metadata).length === 0)).toBe(true);
  });

  it('refuses a metadata field name that is not a plain identifier (it is put in the statement)', async () => {
    const upTo = await store.logEnd();
    await expect(
      store.readByStream({ category: 'lean', upTo, maxCount: 10, metadata: ["x' OR 1=1 --"] }),
    ).rejects.toThrow(/not a metadata field name/);
  });
});
