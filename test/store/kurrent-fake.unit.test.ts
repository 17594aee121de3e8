// The KurrentDB adapter's own logic (hash chain in JS with pinned revisions, command claims,
// $all paging and filtering, subscriptions) held to the shared contract on an in-memory FAKE of the
// client (kurrent-fake.ts). This is not a run against KurrentDB: see kurrent.int.test.ts for that.
import type { EventStoreDBClient } from '@eventstore/db-client';
import { describe, expect, it } from 'vitest';
import { KurrentEventStore } from '../../src/store/kurrent/store.js';
import { eventStoreContract, newEvents, newStream } from './contract.js';
import { FakeKurrentClient } from './kurrent-fake.js';

const make = (client = new FakeKurrentClient()) =>
  new KurrentEventStore(client as unknown as EventStoreDBClient, {
    allPageSize: 7,
    commandWaitMs: 2000,
    subscriptions: { pollIntervalMs: 50 },
  });

eventStoreContract('KurrentEventStore on a fake client', () => make(), {
  unsupported: {
    eventIdUniqueAcrossStreams: 'KurrentDB deduplicates event ids per stream, not across the log',
  },
});

describe('KurrentEventStore on a fake client', () => {
  it('retries the chain on a lost race when the caller said any: one chain, no gap', async () => {
    const store = make();
    const stream = newStream();
    await Promise.all(
      Array.from({ length: 8 }, () => store.append(stream, newEvents(2), { expectedRevision: 'any' })),
    );
    const events = await store.readStream(stream);
    expect(events.map((e) => e.revision)).toEqual(Array.from({ length: 16 }, (_, i) => i));
  });

  it('a repeated command is answered from its command record without appending events again', async () => {
    const client = new FakeKurrentClient();
    const store = make(client);
    const stream = newStream();
    const options = { expectedRevision: 'any' as const, commandId: `cmd-${Date.now()}`, commandHash: 'h' };
    const first = await store.append(stream, newEvents(2), options);
    const before = client.appends;
    expect(await store.append(stream, newEvents(2), options)).toEqual({ ...first, duplicate: true });
    expect(client.appends).toBe(before);
  });
});
