// Command claims of the KurrentDB adapter and their lease, on the in-memory FAKE client (which models
// the server's idempotent writes by event id). A claim holds for `commandLeaseMs`: a repeat of the
// command while it holds waits and then reports COMMAND_IN_PROGRESS; once it has run out the repeat
// completes the command from the claimant's events if they are in the stream, or takes the claim over
// and appends. A claimant that was only slow appends with the same derived event ids, which the server
// recognises, so the command's events are written once. Not a run against a server.
import { type EventStoreDBClient, jsonEvent } from '@eventstore/db-client';
import { describe, expect, it, vi } from 'vitest';
import { UnavailableError } from '../../src/domain/errors.js';
import { KurrentEventStore } from '../../src/store/kurrent/store.js';
import { commandStream } from '../../src/store/kurrent/translate.js';
import { newEvents, newStream } from './contract.js';
import { FakeKurrentClient } from './kurrent-fake.js';

const LEASE = 30_000;
const until = (check: () => void) => vi.waitFor(check, { timeout: 20_000, interval: 5 });

function setup() {
  const client = new FakeKurrentClient();
  const time = { now: Date.parse('2026-11-21T08:00:00Z') };
  const store = () =>
    new KurrentEventStore(client as unknown as EventStoreDBClient, {
      commandLeaseMs: LEASE,
      commandWaitMs: 30,
      clock: () => time.now,
    });
  const commandId = `cmd-${Math.random().toString(36).slice(2)}`;
  const options = { expectedRevision: 'any' as const, commandId, commandHash: 'h1' };
  /** A claimant that died right after claiming (nothing appended, no completion). */
  const deadClaim = (stream: string) =>
    client.appendToStream(
      commandStream(commandId),
      jsonEvent({
        type: 'tiendo.CommandClaimed',
        data: { stream, commandHash: 'h1', leaseUntil: time.now + LEASE },
      }),
      { expectedRevision: 'no_stream' },
    );
  return { client, time, store, commandId, options, deadClaim };
}

describe('command claims with a lease (fake client)', () => {
  it('a claim still leased: the repeat answers COMMAND_IN_PROGRESS with the lease end, and writes nothing', async () => {
    const { client, store, options, deadClaim } = setup();
    const stream = newStream();
    await deadClaim(stream);
    const error = await store()
      .append(stream, newEvents(2), options)
      .catch((e) => e);
    expect(error).toBeInstanceOf(UnavailableError);
    expect(error).toMatchObject({
      reason: 'COMMAND_IN_PROGRESS',
      details: { leaseUntil: '2026-11-21T08:00:30.000Z' },
    });
    expect(await store().readStream(stream)).toEqual([]);
    expect(client.appends).toBe(1);
  });

  it('a claimant that died before appending: after its lease the repeat takes over and appends once', async () => {
    const { time, store, options, deadClaim } = setup();
    const stream = newStream();
    await deadClaim(stream);
    time.now += LEASE + 1;
    const result = await store().append(stream, newEvents(2), options);
    expect(result).toMatchObject({ duplicate: false, nextExpectedRevision: 1 });
    const again = await store().append(stream, newEvents(2), options);
    expect(again).toEqual({ ...result, duplicate: true });
    expect(await store().readStream(stream)).toHaveLength(2);
  });

  it('a claimant whose completion record was lost: the repeat completes from its events, appending none', async () => {
    const { client, store, options } = setup();
    const stream = newStream();
    client.failNextAppend(commandStream(options.commandId), 'tiendo.CommandCompleted');
    await expect(store().append(stream, newEvents(2), options)).rejects.toThrow(/connection reset/);
    const written = await store().readStream(stream);
    expect(written).toHaveLength(2);

    const repeat = await store().append(stream, newEvents(2), options);
    expect(repeat).toMatchObject({ duplicate: true, nextExpectedRevision: 1 });
    expect(repeat.events).toEqual(written);
    expect(await store().readStream(stream)).toHaveLength(2);
    expect(client.stored(commandStream(options.commandId)).map((e) => e.type)).toEqual([
      'tiendo.CommandClaimed',
      'tiendo.CommandCompleted',
    ]);
  });

  it('a claimant only slow past its lease and the caller that took over write the events once (same server ids)', async () => {
    const { client, time, store, options } = setup();
    const stream = newStream();
    const release = client.holdNextAppend(stream);
    const slow = store().append(stream, newEvents(2), options);
    await until(() => expect(client.waitingAtGate).toBe(1));

    time.now += LEASE + 1;
    const taker = await store().append(stream, newEvents(2), options);
    expect(taker.duplicate).toBe(false);
    release();
    const late = await slow;

    expect(await store().readStream(stream)).toEqual(taker.events);
    expect(late.events).toEqual(taker.events);
    // The slow claimant's events and its completion record were recognised by their ids.
    expect(client.idempotentAppends).toBe(2);
    expect(
      client.stored(commandStream(options.commandId)).filter((e) => e.type === 'tiendo.CommandCompleted'),
    ).toHaveLength(1);
  });
});
