// When the KurrentDB server goes away and comes back, the adapter (on the in-memory FAKE client,
// kurrent-fake.ts) reports calls made meanwhile as UNAVAILABLE, keeps its subscriptions retrying with
// backoff from the last position delivered, and reopens its live wake-up subscription, so a follower
// sees every event once and in order, including those another process appends after the return.
// This checks the adapter's logic against the client's documented behaviour, not a server.
import type { EventStoreDBClient } from '@eventstore/db-client';
import { describe, expect, it, vi } from 'vitest';
import { UnavailableError } from '../../src/domain/errors.js';
import { KurrentEventStore } from '../../src/store/kurrent/store.js';
import type { RecordedEvent } from '../../src/store/port.js';
import { backoffMs, DEFAULT_TUNING } from '../../src/store/subscription.js';
import { newCategory, newEvents, newStream } from './contract.js';
import { FakeKurrentClient } from './kurrent-fake.js';

const until = (check: () => void) => vi.waitFor(check, { timeout: 20_000, interval: 5 });

describe('backoff between retries', () => {
  it('doubles from the minimum and stops at the maximum', () => {
    const tuning = { ...DEFAULT_TUNING, minBackoffMs: 50, maxBackoffMs: 1000 };
    expect([0, 1, 2, 3, 4, 5, 60].map((n) => backoffMs(n, tuning))).toEqual([
      50, 100, 200, 400, 800, 1000, 1000,
    ]);
  });
});

describe('KurrentEventStore when the server goes away and comes back (fake client)', () => {
  it('calls made while it is away fail as UNAVAILABLE (STORE_UNAVAILABLE); the same calls work after', async () => {
    const client = new FakeKurrentClient();
    const store = new KurrentEventStore(client as unknown as EventStoreDBClient);
    const stream = newStream();
    client.goAway();
    const failed = await store.append(stream, newEvents(1), { expectedRevision: 'any' }).catch((e) => e);
    expect(failed).toBeInstanceOf(UnavailableError);
    expect(failed).toMatchObject({ code: 'UNAVAILABLE', reason: 'STORE_UNAVAILABLE' });
    await expect(store.readAll()).rejects.toBeInstanceOf(UnavailableError);
    client.comeBack();
    await store.append(stream, newEvents(1), { expectedRevision: 'no_stream' });
    expect(await store.readStream(stream)).toHaveLength(1);
    await store.close();
  });

  it('a follower resumes from its last position and is woken again by another process’s appends', async () => {
    const client = new FakeKurrentClient();
    // A poll interval far beyond the test's timeout: only the reopened live subscription can wake it.
    const tuning = { pollIntervalMs: 3_600_000, minBackoffMs: 2, maxBackoffMs: 20 };
    const follower = new KurrentEventStore(client as unknown as EventStoreDBClient, {
      subscriptions: tuning,
    });
    const writer = new KurrentEventStore(client as unknown as EventStoreDBClient);
    const category = newCategory();
    const stream = newStream(category);
    const seen: RecordedEvent[] = [];
    const errors: unknown[] = [];
    const sub = follower.subscribe({
      categories: [category],
      onEvents: async (batch) => {
        seen.push(...batch);
      },
      onError: (e) => errors.push(e),
    });
    await until(() => expect(client.subscribeCalls).toBe(1));
    await writer.append(stream, newEvents(3), { expectedRevision: 'any' });
    await until(() => expect(seen).toHaveLength(3));

    client.goAway();
    await until(() => expect(errors.length).toBeGreaterThan(0));
    expect(errors.every((e) => e instanceof UnavailableError)).toBe(true);
    client.comeBack();
    await until(() => expect(client.subscribeCalls).toBeGreaterThan(1));

    await writer.append(stream, newEvents(2), { expectedRevision: 'any' });
    await until(() => expect(seen).toHaveLength(5));
    await writer.append(stream, newEvents(1), { expectedRevision: 'any' });
    await until(() => expect(seen).toHaveLength(6));
    expect(seen.map((e) => e.revision)).toEqual([0, 1, 2, 3, 4, 5]);
    await sub.close();
    await Promise.all([follower.close(), writer.close()]);
  }, 60_000);
});
