// A fake of the parts of @eventstore/db-client's EventStoreDBClient the adapter calls, in memory:
// optimistic concurrency by expected revision (wrong-expected-version errors shaped like the
// client's), stream-not-found on reads of absent streams, $all with inclusive fromPosition, and
// subscribeToAll pushes. It models what the client documents, NOT a server: passing the contract on
// it checks the adapter's own logic (chain, claims, paging), not its behaviour against KurrentDB.
import { EventEmitter } from 'node:events';

interface FakeEvent {
  streamId: string;
  id: string;
  revision: bigint;
  type: string;
  isJson: true;
  created: Date;
  data: unknown;
  metadata: unknown;
  position: { commit: bigint; prepare: bigint };
}

interface EventInput {
  id: string;
  type: string;
  data: unknown;
  metadata?: unknown;
}

const clone = <T>(v: T): T => (v === undefined ? v : JSON.parse(JSON.stringify(v)));

export interface FakeKurrentOptions {
  /** Added to every position: KurrentDB positions are unsigned 64-bit, so can lie above 2^63 - 1. */
  readonly positionBase?: bigint;
}

export class FakeKurrentClient {
  private readonly positionBase: bigint;
  private readonly streams = new Map<string, FakeEvent[]>();
  // $all starts with a system event, as a real one does; the adapter must leave it out.
  private readonly all: FakeEvent[] = [
    {
      streamId: '$settings',
      id: '00000000-0000-0000-0000-000000000001',
      revision: 0n,
      type: '$settings',
      isJson: true,
      created: new Date(0),
      data: {},
      metadata: undefined,
      position: { commit: 50n, prepare: 50n },
    },
  ];
  private readonly live = new Set<EventEmitter>();
  appends = 0;
  /** subscribeToAll calls so far (the adapter reopens its live subscription after losing it). */
  subscribeCalls = 0;
  /** Appends the server recognised as repeats by their event ids (nothing written). */
  idempotentAppends = 0;
  private readonly held = new Map<string, Promise<void>>();
  /** Appends waiting at a holdNextAppend gate now. */
  waitingAtGate = 0;
  private readonly failing = new Set<string>();
  /** While true every call fails as the client does when the server is gone (gRPC 14). */
  private down = false;

  constructor(options: FakeKurrentOptions = {}) {
    this.positionBase = options.positionBase ?? 0n;
  }

  /** The server goes away: calls fail with gRPC UNAVAILABLE and live subscriptions end in an error. */
  goAway(): void {
    this.down = true;
    for (const sub of [...this.live]) {
      this.live.delete(sub);
      sub.emit('error', this.unavailable());
    }
  }

  /** The server is back: the next calls succeed (as the client reconnects on its next call). */
  comeBack(): void {
    this.down = false;
  }

  /**
   * The next append to `stream` waits (as if in flight over the network) until the returned function
   * is called; it is checked against the stream as it is then.
   */
  holdNextAppend(stream: string): () => void {
    let release!: () => void;
    this.held.set(stream, new Promise<void>((r) => (release = r)));
    return () => release();
  }

  /** The next append of an event of `type` to `stream` fails and writes nothing. */
  failNextAppend(stream: string, type: string): void {
    this.failing.add(`${stream}\u0000${type}`);
  }

  /** Events of one stream as stored (types and server ids), for specs. */
  stored(stream: string): { id: string; type: string }[] {
    return (this.streams.get(stream) ?? []).map((e) => ({ id: e.id, type: e.type }));
  }

  private unavailable(): Error {
    return Object.assign(new Error('14 UNAVAILABLE: No connection established'), { code: 14 });
  }

  private check(): void {
    if (this.down) throw this.unavailable();
  }

  async appendToStream(
    stream: string,
    events: EventInput | EventInput[],
    options: { expectedRevision?: 'any' | 'no_stream' | 'stream_exists' | bigint } = {},
  ) {
    // Let concurrent callers interleave as they would over the network.
    await new Promise((r) => setImmediate(r));
    const gate = this.held.get(stream);
    if (gate) {
      this.held.delete(stream);
      this.waitingAtGate++;
      await gate;
      this.waitingAtGate--;
    }
    this.check();
    const list = Array.isArray(events) ? events : [events];
    if (list.some((e) => this.failing.delete(`${stream}\u0000${e.type}`)))
      throw new Error('connection reset (the caller died before this write)');
    const existing = this.streams.get(stream) ?? [];
    const last = BigInt(existing.length - 1);
    const expected = options.expectedRevision ?? 'any';
    // Idempotent writes, as the server does them: events with the same ids already written right
    // after the expected revision (or anywhere, for 'any') make the append succeed without writing.
    const ids = list.map((e) => e.id);
    const sameIdsAt = (at: number) => ids.every((id, i) => existing[at + i]?.id === id);
    const at =
      expected === 'any'
        ? existing.findIndex((_, i) => sameIdsAt(i))
        : expected === 'no_stream'
          ? sameIdsAt(0)
            ? 0
            : -1
          : typeof expected === 'bigint' && sameIdsAt(Number(expected) + 1)
            ? Number(expected) + 1
            : -1;
    if (at >= 0 && ids.length > 0) {
      this.idempotentAppends++;
      return { success: true, nextExpectedRevision: BigInt(at + ids.length - 1) };
    }
    const ok =
      expected === 'any' ||
      (expected === 'no_stream' && existing.length === 0) ||
      (expected === 'stream_exists' && existing.length > 0) ||
      (typeof expected === 'bigint' && expected === last);
    if (!ok) {
      throw Object.assign(new Error('wrong expected version'), {
        type: 'wrong-expected-version',
        streamName: stream,
        expectedVersion: expected,
        actualVersion: existing.length === 0 ? 'no_stream' : last,
      });
    }
    this.appends++;
    for (const e of list) {
      const n = this.positionBase + BigInt(this.all.length + 1) * 100n;
      const recorded: FakeEvent = {
        streamId: stream,
        id: e.id,
        revision: BigInt(existing.length),
        type: e.type,
        isJson: true,
        created: new Date(),
        data: clone(e.data),
        metadata: clone(e.metadata),
        position: { commit: n, prepare: n - 1n },
      };
      existing.push(recorded);
      this.all.push(recorded);
    }
    this.streams.set(stream, existing);
    for (const sub of this.live) sub.emit('data', {});
    return { success: true, nextExpectedRevision: BigInt(existing.length - 1) };
  }

  async *readStream(
    stream: string,
    options: {
      fromRevision?: 'start' | 'end' | bigint;
      direction?: 'forwards' | 'backwards';
      maxCount?: bigint;
    },
  ) {
    this.check();
    const events = this.streams.get(stream);
    if (!events) throw Object.assign(new Error(`${stream} not found`), { type: 'stream-not-found' });
    const max = Number(options.maxCount ?? BigInt(Number.MAX_SAFE_INTEGER));
    const from = options.fromRevision ?? 'start';
    let slice: FakeEvent[];
    if (options.direction === 'backwards') {
      const start = from === 'end' ? events.length - 1 : from === 'start' ? 0 : Number(from);
      slice = events
        .slice(0, start + 1)
        .reverse()
        .slice(0, max);
    } else {
      const start = from === 'start' ? 0 : from === 'end' ? events.length : Number(from);
      slice = events.slice(start, start + max);
    }
    for (const e of slice) yield { event: this.copy(e), commitPosition: e.position.commit };
  }

  async *readAll(options: {
    fromPosition?: 'start' | 'end' | { commit: bigint; prepare: bigint };
    direction?: 'forwards' | 'backwards';
    maxCount?: bigint;
  }) {
    this.check();
    const from = options.fromPosition ?? 'start';
    const max = Number(options.maxCount ?? BigInt(Number.MAX_SAFE_INTEGER));
    const log = this.all;
    if (options.direction === 'backwards') {
      if (from !== 'end') throw new Error('the fake reads $all backwards from the end only');
      for (const e of log.slice(-max).reverse())
        yield { event: this.copy(e), commitPosition: e.position.commit };
      return;
    }
    if (from === 'end') return;
    const start = from === 'start' ? 0 : log.findIndex((e) => e.position.commit >= from.commit);
    if (start < 0) return;
    for (const e of log.slice(start, start + max))
      yield { event: this.copy(e), commitPosition: e.position.commit };
  }

  subscribeToAll() {
    this.subscribeCalls++;
    const sub = Object.assign(new EventEmitter(), {
      unsubscribe: async () => {
        this.live.delete(sub);
      },
    });
    // As the client: the outcome arrives asynchronously, an error if the server is away.
    const down = this.down;
    setImmediate(() => {
      if (down) sub.emit('error', this.unavailable());
      else if (this.live.has(sub)) sub.emit('confirmation');
    });
    if (!down) this.live.add(sub);
    return sub;
  }

  async dispose() {}

  private copy(e: FakeEvent): FakeEvent {
    return { ...e, data: clone(e.data), metadata: clone(e.metadata) };
  }
}
