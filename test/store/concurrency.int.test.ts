// The global log under concurrent writers: 8 writers on their own connections append 20,000 events to
// 400 streams in batches of 1 to 8 while a reader pages through readAll after its last position. The
// reader must see every event exactly once, each stream's events in revision order with no gap, and
// positions strictly increasing; the bigserial trap (DESIGN.md) would make it skip thousands.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { comparePositions, LOG_START, type LogPosition, type RecordedEvent } from '../../src/store/port.js';
import { PostgresEventStore } from '../../src/store/postgres.js';
import { type FreshDatabase, freshDatabase } from '../support/db.js';
import { newEvent } from './contract.js';

const WRITERS = 8;
const STREAMS = 400;
const TOTAL = 20_000;
const BATCHES = [1, 1, 2, 3, 5, 8];

let db: FreshDatabase;
beforeAll(async () => {
  db = await freshDatabase({ maxConnections: WRITERS + 2 });
});
afterAll(async () => {
  await db?.drop();
});

describe('the global log under 8 concurrent writers', () => {
  it('a reader paging after its last position sees every event once, streams in revision order', async () => {
    const store = new PostgresEventStore(db.pool);
    const streams = Array.from({ length: STREAMS }, (_, i) => `load-${i}`);
    let toWrite = TOTAL;
    let writing = true;
    const written = new Set<string>();

    const writer = async (w: number) => {
      for (let n = w; toWrite > 0; n += WRITERS) {
        const size = Math.min(BATCHES[n % BATCHES.length]!, toWrite);
        toWrite -= size;
        // Random, so that writers often meet on one stream and wait for each other.
        const stream = streams[Math.floor(Math.random() * STREAMS)]!;
        const events = Array.from({ length: size }, () => newEvent({ w, n }));
        await store.append(stream, events, { expectedRevision: 'any' });
        for (const e of events) written.add(e.id);
      }
    };

    const seen: RecordedEvent[] = [];
    const reader = async () => {
      let after: LogPosition = LOG_START;
      const deadline = Date.now() + 60_000;
      while (seen.length < TOTAL && Date.now() < deadline) {
        const page = await store.readAll({ after, maxCount: 500 });
        if (page.length === 0) {
          if (!writing) await new Promise((r) => setTimeout(r, 10));
          continue;
        }
        seen.push(...page);
        after = page[page.length - 1]!.position;
      }
    };

    const readerDone = reader();
    await Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w)));
    writing = false;
    await readerDone;
    await store.close();

    expect(written.size).toBe(TOTAL);
    const ids = seen.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(TOTAL);
    expect(ids.every((id) => written.has(id))).toBe(true);

    for (let i = 1; i < seen.length; i++) {
      expect(comparePositions(seen[i - 1]!.position, seen[i]!.position)).toBe(-1);
    }
    const revisions = new Map<string, number[]>();
    for (const e of seen) revisions.set(e.stream, [...(revisions.get(e.stream) ?? []), e.revision]);
    expect(revisions.size).toBe(STREAMS);
    for (const [, list] of revisions) expect(list).toEqual(list.map((_, i) => i));
  });
});
