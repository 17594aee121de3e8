// The event store port's specification, run against every adapter (memory.unit.test.ts,
// postgres.int.test.ts). Tests share a store's data within a file, so each one writes its own streams
// and categories; global reads wait for their events because a log that never skips an event may
// show a fresh one only once older transactions (of any test) have finished.
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { chainHash, contentDigest, GENESIS_HASH } from '../../src/store/hash.js';
import type {
  EventStore,
  JsonObject,
  NewEvent,
  ReadAllOptions,
  RecordedEvent,
} from '../../src/store/port.js';
import { comparePositions, LOG_START } from '../../src/store/port.js';

const run = randomBytes(4).toString('hex');
let seq = 0;
const next = () => `${run}x${++seq}`;

/** A category of its own (categories contain no '-'), and a stream in it. */
export const newCategory = () => `c${next()}`;
export const newStream = (category = newCategory()) => `${category}-${next()}`;

export function newEvent(data: JsonObject = { n: seq }, type = 'Tested'): NewEvent {
  return { id: `e${next()}`, type, schemaVersion: 1, data, metadata: { actor: 'tester', commandId: 'c' } };
}
export const newEvents = (n: number) => Array.from({ length: n }, () => newEvent());

const ids = (events: readonly { id: string }[]) => events.map((e) => e.id);

/** Polls readAll until it shows `n` events: one committed a moment ago may be held back briefly. */
async function readAllAtLeast(store: EventStore, n: number, options: ReadAllOptions) {
  return vi.waitFor(
    async () => {
      const events = await store.readAll(options);
      expect(events.length).toBeGreaterThanOrEqual(n);
      return events;
    },
    { timeout: 10_000, interval: 20 },
  );
}

/** Recomputes a stream's chain with hash.ts from what the store returned. */
function recomputeChain(events: readonly RecordedEvent[]): string[] {
  let previous = GENESIS_HASH;
  return events.map((e) => {
    previous = chainHash(previous, contentDigest(e.stream, e));
    return previous;
  });
}

export interface ContractOptions {
  /**
   * Promises an adapter cannot keep, each skipped with its reason in the test name. Only
   * `eventIdUniqueAcrossStreams` for now: KurrentDB checks event ids per stream, not across the log.
   */
  readonly unsupported?: { readonly eventIdUniqueAcrossStreams?: string };
}

export function eventStoreContract(
  name: string,
  makeStore: () => EventStore | Promise<EventStore>,
  options: ContractOptions = {},
): void {
  const eventIdReason = options.unsupported?.eventIdUniqueAcrossStreams;
  describe(`event store contract: ${name}`, () => {
    let store: EventStore;
    beforeEach(async () => {
      store = await makeStore();
    });
    afterEach(async () => {
      await store.close();
    });

    describe('appending with an expected revision', () => {
      it('no_stream starts a new stream at revision 0', async () => {
        const stream = newStream();
        const events = newEvents(2);
        const result = await store.append(stream, events, { expectedRevision: 'no_stream' });
        expect(result).toMatchObject({ stream, nextExpectedRevision: 1, duplicate: false });
        expect(result.events.map((e) => [e.id, e.stream, e.revision])).toEqual([
          [events[0]!.id, stream, 0],
          [events[1]!.id, stream, 1],
        ]);
        expect(ids(await store.readStream(stream))).toEqual(ids(events));
      });

      it('no_stream on a stream that exists is a conflict and writes nothing', async () => {
        const stream = newStream();
        await store.append(stream, newEvents(2), { expectedRevision: 'no_stream' });
        await expect(
          store.append(stream, newEvents(1), { expectedRevision: 'no_stream' }),
        ).rejects.toMatchObject({
          code: 'CONFLICT',
          reason: 'WRONG_EXPECTED_REVISION',
          details: { stream, expected: 'no_stream', actual: 1 },
        });
        expect(await store.readStream(stream)).toHaveLength(2);
      });

      it('stream_exists needs at least one event in the stream', async () => {
        const stream = newStream();
        await expect(
          store.append(stream, newEvents(1), { expectedRevision: 'stream_exists' }),
        ).rejects.toMatchObject({
          reason: 'WRONG_EXPECTED_REVISION',
          details: { expected: 'stream_exists', actual: -1 },
        });
        expect(await store.head(stream)).toBeNull();
        await store.append(stream, newEvents(1), { expectedRevision: 'no_stream' });
        const result = await store.append(stream, newEvents(1), { expectedRevision: 'stream_exists' });
        expect(result.nextExpectedRevision).toBe(1);
      });

      it('a revision must be the stream’s last one; a stale one is a conflict and writes nothing', async () => {
        const stream = newStream();
        await store.append(stream, newEvents(2), { expectedRevision: 'no_stream' });
        const result = await store.append(stream, newEvents(1), { expectedRevision: 1 });
        expect(result.events.map((e) => e.revision)).toEqual([2]);
        await expect(store.append(stream, newEvents(2), { expectedRevision: 1 })).rejects.toMatchObject({
          code: 'CONFLICT',
          reason: 'WRONG_EXPECTED_REVISION',
          details: { stream, expected: 1, actual: 2 },
        });
        await expect(store.append(newStream(), newEvents(1), { expectedRevision: 0 })).rejects.toMatchObject({
          details: { expected: 0, actual: -1 },
        });
        expect((await store.readStream(stream)).map((e) => e.revision)).toEqual([0, 1, 2]);
      });

      it('any appends whatever the stream holds', async () => {
        const stream = newStream();
        await store.append(stream, newEvents(1), { expectedRevision: 'any' });
        const result = await store.append(stream, newEvents(2), { expectedRevision: 'any' });
        expect(result.events.map((e) => e.revision)).toEqual([1, 2]);
      });

      it('no events: nothing is written and the current revision comes back, still checked', async () => {
        const stream = newStream();
        expect(await store.append(stream, [], { expectedRevision: 'any' })).toEqual({
          stream,
          nextExpectedRevision: -1,
          events: [],
          duplicate: false,
        });
        expect(await store.head(stream)).toBeNull();
        await store.append(stream, newEvents(2), { expectedRevision: 'no_stream' });
        expect((await store.append(stream, [], { expectedRevision: 1 })).nextExpectedRevision).toBe(1);
        await expect(store.append(stream, [], { expectedRevision: 0 })).rejects.toMatchObject({
          reason: 'WRONG_EXPECTED_REVISION',
        });
      });

      (eventIdReason ? it.skip : it)(
        `an event id already in the log is refused${eventIdReason ? ` (unsupported: ${eventIdReason})` : ''}`,
        async () => {
          const event = newEvent();
          await store.append(newStream(), [event], { expectedRevision: 'any' });
          const other = newStream();
          await expect(store.append(other, [event], { expectedRevision: 'any' })).rejects.toMatchObject({
            code: 'CONFLICT',
            reason: 'EVENT_ID_REUSED',
          });
          expect(await store.head(other)).toBeNull();
        },
      );
    });

    describe('idempotency by command id', () => {
      it('a repeated command returns the original result and writes nothing', async () => {
        const stream = newStream();
        const command = { commandId: `cmd${next()}`, commandHash: 'h1' };
        const first = await store.append(stream, newEvents(2), { expectedRevision: 'no_stream', ...command });
        // The retry decided again (new event ids) against a revision that is now stale.
        const again = await store.append(stream, newEvents(2), { expectedRevision: 'no_stream', ...command });
        expect(again).toEqual({ ...first, duplicate: true });
        expect(ids(await store.readStream(stream))).toEqual(ids(first.events));
      });

      it('findCommand returns the earlier result, or null for an unknown id', async () => {
        const stream = newStream();
        const commandId = `cmd${next()}`;
        const first = await store.append(stream, newEvents(1), { expectedRevision: 'any', commandId });
        expect(await store.findCommand(commandId)).toEqual(first);
        expect(await store.findCommand(`cmd${next()}`)).toBeNull();
      });

      it('a command id reused with other content is a conflict and writes nothing', async () => {
        const stream = newStream();
        const commandId = `cmd${next()}`;
        await store.append(stream, newEvents(1), { expectedRevision: 'any', commandId, commandHash: 'h1' });
        const reuse = store.append(stream, newEvents(1), {
          expectedRevision: 'any',
          commandId,
          commandHash: 'h2',
        });
        await expect(reuse).rejects.toMatchObject({
          code: 'CONFLICT',
          reason: 'COMMAND_ID_REUSED',
          details: { commandId },
        });
        expect(await store.readStream(stream)).toHaveLength(1);
      });

      it('concurrent repeats of one command write once', async () => {
        const stream = newStream();
        const options = { expectedRevision: 'any' as const, commandId: `cmd${next()}`, commandHash: 'h' };
        const results = await Promise.all(
          Array.from({ length: 6 }, () => store.append(stream, newEvents(2), options)),
        );
        expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
        expect(await store.readStream(stream)).toHaveLength(2);
      });

      it('a command id is global: repeated on another stream it returns the first stream’s result', async () => {
        const [a, b] = [newStream(), newStream()];
        const options = { expectedRevision: 'any' as const, commandId: `cmd${next()}`, commandHash: 'h' };
        const results = await Promise.all([
          store.append(a, newEvents(1), options),
          store.append(b, newEvents(1), options),
        ]);
        expect(results.map((r) => r.duplicate).sort()).toEqual([false, true]);
        expect(results[0]!.stream).toBe(results[1]!.stream);
        const lengths = [(await store.readStream(a)).length, (await store.readStream(b)).length];
        expect(lengths.sort()).toEqual([0, 1]);
      });
    });

    describe('reading a stream', () => {
      it('reads from a revision, at most maxCount events, in revision order', async () => {
        const stream = newStream();
        const events = newEvents(5);
        await store.append(stream, events.slice(0, 3), { expectedRevision: 'no_stream' });
        await store.append(stream, events.slice(3), { expectedRevision: 2 });
        expect(ids(await store.readStream(stream))).toEqual(ids(events));
        expect(ids(await store.readStream(stream, { fromRevision: 2 }))).toEqual(ids(events.slice(2)));
        expect(ids(await store.readStream(stream, { fromRevision: 1, maxCount: 2 }))).toEqual(
          ids(events.slice(1, 3)),
        );
        expect(await store.readStream(stream, { fromRevision: 5 })).toEqual([]);
      });

      it('an absent stream reads as []', async () => {
        expect(await store.readStream(newStream())).toEqual([]);
      });

      it('returns what was appended: type, schema version, data and metadata', async () => {
        const stream = newStream();
        const event: NewEvent = {
          id: `e${next()}`,
          type: 'ProjectRegistered',
          schemaVersion: 3,
          data: { name: 'Đường tỉnh 2', amount: '12500000000', nested: { list: [1, 'two', null] } },
          metadata: { actor: { userId: 'u1', role: 'investor' }, effectiveAt: '2022-03-01' },
        };
        const [written] = (await store.append(stream, [event], { expectedRevision: 'no_stream' })).events;
        const [read] = await store.readStream(stream);
        expect(read).toEqual({
          ...event,
          stream,
          revision: 0,
          position: written!.position,
          hash: written!.hash,
        });
      });
    });

    describe('reading the global log', () => {
      it('returns events in append order across streams, positions strictly increasing', async () => {
        const category = newCategory();
        const [a, b] = [newStream(category), newStream(category)];
        const appended = [
          ...(await store.append(a, newEvents(2), { expectedRevision: 'no_stream' })).events,
          ...(await store.append(b, newEvents(1), { expectedRevision: 'no_stream' })).events,
          ...(await store.append(a, newEvents(1), { expectedRevision: 1 })).events,
        ];
        const ours = new Set([a, b]);
        const read = (await readAllAtLeast(store, 4, { categories: [category] })).filter((e) =>
          ours.has(e.stream),
        );
        expect(read).toEqual(appended);
        for (let i = 1; i < read.length; i++) {
          expect(comparePositions(read[i - 1]!.position, read[i]!.position)).toBe(-1);
        }
        // Unfiltered, ours come in the same order among everyone else's.
        const all = await readAllAtLeast(store, 4, { after: LOG_START });
        expect(ids(all.filter((e) => ours.has(e.stream)))).toEqual(ids(appended));
      });

      it('paging after the last position seen returns every event exactly once', async () => {
        const category = newCategory();
        const streams = [newStream(category), newStream(category), newStream(category)];
        for (let i = 0; i < 10; i++) {
          await store.append(streams[i % 3]!, newEvents(1 + (i % 2)), { expectedRevision: 'any' });
        }
        const everything = await readAllAtLeast(store, 15, { categories: [category] });
        const paged: RecordedEvent[] = [];
        let after = LOG_START;
        for (;;) {
          const page = await store.readAll({ after, maxCount: 4, categories: [category] });
          if (page.length === 0) break;
          expect(page.length).toBeLessThanOrEqual(4);
          paged.push(...page);
          after = page[page.length - 1]!.position;
        }
        expect(ids(paged)).toEqual(ids(everything));
        expect(new Set(ids(paged)).size).toBe(15);
      });

      it('filters by category (the stream name before its first "-")', async () => {
        const [x, y, z] = [newCategory(), newCategory(), newCategory()];
        const inX = await store.append(newStream(x), newEvents(2), { expectedRevision: 'any' });
        await store.append(newStream(y), newEvents(1), { expectedRevision: 'any' });
        const inZ = await store.append(newStream(z), newEvents(1), { expectedRevision: 'any' });
        const inX2 = await store.append(`${x}-${next()}-with-dashes`, newEvents(1), {
          expectedRevision: 'any',
        });
        expect(ids(await readAllAtLeast(store, 3, { categories: [x] }))).toEqual(
          ids([...inX.events, ...inX2.events]),
        );
        expect(ids(await readAllAtLeast(store, 4, { categories: [z, x] }))).toEqual(
          ids([...inX.events, ...inZ.events, ...inX2.events]),
        );
        expect(await store.readAll({ categories: [newCategory()] })).toEqual([]);
      });

      it('asked for some metadata fields, gives each as stored (a store may leave the others out)', async () => {
        const x = newCategory();
        const appended = await store.append(newStream(x), newEvents(2), { expectedRevision: 'any' });
        const read = await readAllAtLeast(store, 2, { categories: [x], metadata: ['actor', 'absent'] });
        expect(ids(read)).toEqual(ids(appended.events));
        for (const e of read) {
          expect(e.metadata.actor).toBe('tester');
          expect('absent' in e.metadata).toBe(false);
          const full = appended.events.find((a) => a.id === e.id);
          expect({ ...e, metadata: full?.metadata }).toEqual(full);
          for (const [k, v] of Object.entries(e.metadata)) expect(full?.metadata[k]).toEqual(v);
        }
      });
    });

    describe('hash chain', () => {
      it('each hash is SHA-256(previous hash ‖ content digest), from 32 zero bytes, across appends', async () => {
        const stream = newStream();
        const awkward: JsonObject = {
          z: 1,
          a: { y: [3, { b: 2, a: 1 }], x: null },
          big: 1e21,
          small: 1.5e-7,
          tenth: 0.1,
          negative: -42,
          largest: Number.MAX_SAFE_INTEGER,
          text: 'Hà Nội – Đà Nẵng ✓ "quoted" \\ back\nslash',
          empty: {},
          none: [],
          no: false,
        };
        await store.append(stream, [newEvent(awkward), newEvent({ b: 1, a: 2 })], {
          expectedRevision: 'no_stream',
        });
        const appended = await store.append(stream, [newEvent(awkward)], { expectedRevision: 1 });
        const read = await store.readStream(stream);
        expect(read.map((e) => e.hash)).toEqual(recomputeChain(read));
        expect(read[2]!.hash).toBe(appended.events[0]!.hash);
        expect(await store.head(stream)).toEqual({ revision: 2, hash: read[2]!.hash });
      });

      it('head of an absent stream is null', async () => {
        expect(await store.head(newStream())).toBeNull();
      });
    });

    describe('subscribing', () => {
      it('catches up, then delivers new events live and in order, until closed', async () => {
        const category = newCategory();
        const stream = newStream(category);
        const before = await store.append(stream, newEvents(3), { expectedRevision: 'no_stream' });
        const received: RecordedEvent[] = [];
        const subscription = store.subscribe({
          categories: [category],
          maxCount: 2,
          onEvents: async (batch) => {
            received.push(...batch);
          },
        });
        await vi.waitFor(() => expect(received).toHaveLength(3), { timeout: 10_000 });
        const live = await store.append(stream, newEvents(2), { expectedRevision: 2 });
        await vi.waitFor(() => expect(received).toHaveLength(5), { timeout: 10_000 });
        expect(received).toEqual([...before.events, ...live.events]);

        await subscription.close();
        await subscription.done;
        await store.append(stream, newEvents(1), { expectedRevision: 4 });
        await new Promise((r) => setTimeout(r, 300));
        expect(received).toHaveLength(5);
      });

      it('starts after a given position', async () => {
        const category = newCategory();
        const first = await store.append(newStream(category), newEvents(2), { expectedRevision: 'any' });
        const second = await store.append(newStream(category), newEvents(1), { expectedRevision: 'any' });
        const received: RecordedEvent[] = [];
        const subscription = store.subscribe({
          after: first.events[1]!.position,
          categories: [category],
          onEvents: async (batch) => {
            received.push(...batch);
          },
        });
        await vi.waitFor(() => expect(received).toHaveLength(1), { timeout: 10_000 });
        await subscription.close();
        expect(received).toEqual(second.events);
      });

      it('logEnd is where the log ends: a subscription after it sees only events appended later', async () => {
        const category = newCategory();
        const stream = newStream(category);
        const before = await store.append(stream, newEvents(2), { expectedRevision: 'any' });
        // Committed events become visible to readers once older transactions end (PostgreSQL).
        let end = LOG_START;
        await vi.waitFor(
          async () => {
            end = await store.logEnd();
            expect(comparePositions(end, before.events[1]!.position)).toBeGreaterThanOrEqual(0);
          },
          { timeout: 10_000 },
        );
        const received: RecordedEvent[] = [];
        const subscription = store.subscribe({
          after: end,
          categories: [category],
          onEvents: async (batch) => {
            received.push(...batch);
          },
        });
        const later = await store.append(stream, newEvents(1), { expectedRevision: 'any' });
        await vi.waitFor(() => expect(received).toHaveLength(1), { timeout: 10_000 });
        await subscription.close();
        expect(received).toEqual(later.events);
        expect(comparePositions(await store.logEnd(), later.events[0]!.position)).toBeGreaterThanOrEqual(0);
      });

      it('reports a failing handler and delivers the batch again', async () => {
        const category = newCategory();
        const appended = await store.append(newStream(category), newEvents(2), { expectedRevision: 'any' });
        const delivered: string[][] = [];
        const errors: unknown[] = [];
        const subscription = store.subscribe({
          categories: [category],
          onEvents: async (batch) => {
            delivered.push(ids(batch));
            if (delivered.length === 1) throw new Error('projection failed');
          },
          onError: (error) => errors.push(error),
        });
        await vi.waitFor(() => expect(delivered).toHaveLength(2), { timeout: 10_000 });
        await subscription.close();
        expect(errors).toEqual([new Error('projection failed')]);
        expect(delivered).toEqual([ids(appended.events), ids(appended.events)]);
      });
    });
  });
}
