// The KurrentDB/EventStoreDB adapter of the event store port, on @eventstore/db-client (gRPC).
// NOT RUN AGAINST A SERVER on the machine it was written on (no KurrentDB there): its contract run,
// test/store/kurrent.int.test.ts, needs EVENTSTORE_URL. Design (docs/KURRENTDB.md):
// - hash chain in JS: read the stream's head (last event's hash), chain the new events, append with
//   the exact revision of that head; on a wrong-expected-version the append is retried from a fresh
//   head when the caller allowed it ('any', 'stream_exists' on an existing stream), else a conflict.
// - command idempotency: a command stream `tiendocommand-<id>` whose event 0 claims the command
//   (expected NO_STREAM: exactly one claimant wins, across streams and processes) and whose event 1
//   records the result. Event ids derived from (commandId, index) let the server itself recognise a
//   retried append of the same command after a crash between the append and the completion record.
// - readAll reads $all forwards from the position and keeps the product's streams; subscribe runs the
//   shared catch-up loop (subscription.ts) over readAll, polling (no server push is needed for
//   correctness; the loop sleeps pollIntervalMs when drained).
// - reconnects: the client reconnects on its own on the next call after the channel fails (and
//   rediscovers the leader in a cluster); calls that fail meanwhile throw UnavailableError, the
//   subscription loop retries with backoff, so a server that comes back is followed again.
import {
  type AllStreamSubscription,
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  jsonEvent,
  type ResolvedEvent,
  START,
  streamNameFilter,
} from '@eventstore/db-client';
import {
  assertExpectedRevision,
  commandIdReused,
  expectedRevisionHolds,
  wrongExpectedRevision,
} from '../expected.js';
import { chainHash, contentDigest, GENESIS_HASH } from '../hash.js';
import type {
  AppendOptions,
  AppendResult,
  EventStore,
  ExpectedRevision,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  StreamHead,
  SubscribeOptions,
  Subscription,
} from '../port.js';
import { comparePositions, LOG_START } from '../port.js';
import {
  backoffMs,
  DEFAULT_TUNING,
  Subscriptions,
  type SubscriptionTuning,
  Wakeup,
  wakeupSource,
} from '../subscription.js';
import {
  allFilter,
  classify,
  commandStream,
  fromRecorded,
  inProductLog,
  pinnedExpected,
  toEsdbConnectionString,
  toEventData,
  toLogPosition,
  toPortError,
  toServerPosition,
  uuidV5,
} from './translate.js';

export interface KurrentEventStoreOptions {
  readonly subscriptions?: Partial<SubscriptionTuning>;
  /** Appends retried after a lost race for the head when the caller said 'any' (default 20). */
  readonly maxChainRetries?: number;
  /** How long a repeat waits for a command another caller claimed to complete (default 10 s). */
  readonly commandWaitMs?: number;
  /** Events read per $all page when scanning past other streams (default 1000). */
  readonly allPageSize?: number;
}

interface CommandClaim {
  readonly stream: string;
  readonly commandHash: string | null;
}
interface CommandDone extends CommandClaim {
  readonly first: number;
  readonly last: number;
}

const CLAIM = 'tiendo.CommandClaimed';
const DONE = 'tiendo.CommandCompleted';

export class KurrentEventStore implements EventStore {
  private readonly client: EventStoreDBClient;
  private readonly owned: boolean;
  private readonly wakeup = new Wakeup();
  private readonly subscriptions = new Subscriptions();
  private readonly tuning: SubscriptionTuning;
  private readonly maxChainRetries: number;
  private readonly commandWaitMs: number;
  private readonly allPageSize: number;
  private live: AllStreamSubscription | null = null;
  /** Live wake-up subscriptions lost in a row (server gone); sets the pause before reopening. */
  private liveFailures = 0;
  private reopen: NodeJS.Timeout | undefined;
  private closed = false;

  /** From a connection string (`esdb://host:2113?tls=false`, `kurrentdb://...`) or a client. */
  constructor(connection: string | EventStoreDBClient, options: KurrentEventStoreOptions = {}) {
    this.owned = typeof connection === 'string';
    this.client =
      typeof connection === 'string'
        ? EventStoreDBClient.connectionString(toEsdbConnectionString(connection))
        : connection;
    this.tuning = { ...DEFAULT_TUNING, ...options.subscriptions };
    this.maxChainRetries = options.maxChainRetries ?? 20;
    this.commandWaitMs = options.commandWaitMs ?? 10_000;
    this.allPageSize = options.allPageSize ?? 1000;
  }

  async append(stream: string, events: readonly NewEvent[], options: AppendOptions): Promise<AppendResult> {
    assertExpectedRevision(options.expectedRevision);
    const { commandId } = options;
    const commandHash = options.commandHash ?? null;
    if (commandId === undefined || events.length === 0) {
      if (commandId !== undefined) {
        const done = await this.findCommandRecord(commandId);
        if (done) return this.replay(commandId, done, commandHash);
      }
      return this.appendChained(stream, events, options.expectedRevision);
    }

    // Claim the command: exactly one caller creates its command stream.
    const claimed = await this.claim(commandId, { stream, commandHash });
    if (!claimed) return this.awaitCommand(commandId, commandHash, stream, events, options.expectedRevision);
    const result = await this.appendChained(stream, events, options.expectedRevision, {
      commandId,
      commandHash: options.commandHash,
    }).catch(async (error) => {
      await this.release(commandId);
      throw error;
    });
    await this.complete(commandId, {
      stream,
      commandHash,
      first: result.events[0]!.revision,
      last: result.nextExpectedRevision,
    });
    this.wakeup.notify();
    return result;
  }

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const from = options.fromRevision ?? 0;
    const max = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    if (max <= 0) return [];
    const found: RecordedEvent[] = [];
    try {
      for await (const resolved of this.client.readStream(stream, {
        fromRevision: BigInt(from),
        direction: FORWARDS,
        maxCount: BigInt(max),
      })) {
        const event = this.toPort(resolved);
        if (event) found.push(event);
      }
    } catch (error) {
      if (classify(error).kind === 'not_found') return [];
      throw toPortError(error, stream);
    }
    return found;
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const max = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    const found: RecordedEvent[] = [];
    // The server's fromPosition is inclusive: whatever is at or before `cursor` was seen already.
    let cursor = options.after ?? LOG_START;
    // The 6.x client's readAll takes no filter (subscribeToAll does): pages of $all are filtered here.
    for (;;) {
      let seen = 0;
      let moved = false;
      try {
        for await (const resolved of this.client.readAll({
          fromPosition: toServerPosition(cursor),
          direction: FORWARDS,
          maxCount: BigInt(this.allPageSize),
        })) {
          seen++;
          const recorded = resolved.event;
          // Per-event positions come with servers >= 22.6; older ones are not supported.
          if (!recorded?.position) continue;
          const position = toLogPosition(recorded.position);
          if (comparePositions(position, cursor) <= 0) continue;
          cursor = position;
          moved = true;
          if (!inProductLog(recorded.streamId, options.categories)) continue;
          const event = fromRecorded(recorded);
          if (!event) continue;
          found.push(event);
          if (found.length >= max) return found;
        }
      } catch (error) {
        throw toPortError(error, '$all');
      }
      if (seen < this.allPageSize || !moved) return found;
    }
  }

  subscribe(options: SubscribeOptions): Subscription {
    this.startLiveWakeups();
    const source = wakeupSource((read) => this.readAll(read), this.wakeup);
    return this.subscriptions.start(source, options, this.tuning);
  }

  async findCommand(commandId: string): Promise<AppendResult | null> {
    const done = await this.findCommandRecord(commandId);
    return done ? this.resultOf(done, false) : null;
  }

  async head(stream: string): Promise<StreamHead | null> {
    try {
      for await (const resolved of this.client.readStream(stream, {
        fromRevision: END,
        direction: BACKWARDS,
        maxCount: 1n,
      })) {
        const event = this.toPort(resolved);
        if (event) return { revision: event.revision, hash: event.hash };
      }
      return null;
    } catch (error) {
      if (classify(error).kind === 'not_found') return null;
      throw toPortError(error, stream);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.reopen);
    const live = this.live;
    this.live = null;
    await live?.unsubscribe().catch(() => {});
    await this.subscriptions.closeAll();
    if (this.owned) await this.client.dispose();
  }

  /**
   * One live subscribeToAll (from the end, server-side filtered to the product's streams) per store,
   * used only to wake the catch-up loops early when another process appends; the loops still read
   * with readAll, so nothing is delivered twice or skipped if a push is lost. When it is lost (server
   * gone, stream ended) the loops are woken to read at once, and it is reopened after a backoff that
   * doubles while the server stays away and resets once a new one is confirmed; meanwhile the loops
   * fall back to polling (and retry their own reads with backoff).
   */
  private startLiveWakeups(): void {
    if (this.live || this.closed) return;
    const f = allFilter();
    const filter =
      'regex' in f ? streamNameFilter({ regex: f.regex }) : streamNameFilter({ prefixes: f.prefixes });
    const live = this.client.subscribeToAll({ fromPosition: END, filter });
    this.live = live;
    live.on('confirmation', () => {
      this.liveFailures = 0;
      // Appends made while no subscription was open pushed nothing: look now.
      this.wakeup.notify();
    });
    live.on('data', () => this.wakeup.notify());
    const lost = () => {
      if (this.live !== live) return;
      this.live = null;
      this.wakeup.notify();
      if (this.closed) return;
      this.reopen = setTimeout(() => this.startLiveWakeups(), backoffMs(this.liveFailures++, this.tuning));
      this.reopen.unref();
    };
    live.on('error', lost);
    live.on('end', lost);
  }

  // --- appending -------------------------------------------------------------------------------

  private async appendChained(
    stream: string,
    events: readonly NewEvent[],
    expected: ExpectedRevision,
    command: { commandId?: string; commandHash?: string } = {},
  ): Promise<AppendResult> {
    for (let attempt = 0; ; attempt++) {
      const head = await this.head(stream);
      const last = head?.revision ?? -1;
      if (!expectedRevisionHolds(expected, last)) throw wrongExpectedRevision(stream, expected, last);
      if (events.length === 0) return { stream, nextExpectedRevision: last, events: [], duplicate: false };
      let hash = head?.hash ?? GENESIS_HASH;
      const data = events.map((event, i) => {
        const digest = contentDigest(stream, event);
        hash = chainHash(hash, digest);
        return jsonEvent(toEventData({ event, digest, hash }, i, command));
      });
      try {
        await this.client.appendToStream(stream, data, { expectedRevision: pinnedExpected(last) });
      } catch (error) {
        // Lost the race for the head: the chain must be recomputed on the new head.
        if (classify(error).kind === 'conflict' && expected === 'any' && attempt < this.maxChainRetries)
          continue;
        if (
          classify(error).kind === 'conflict' &&
          expected === 'stream_exists' &&
          attempt < this.maxChainRetries
        ) {
          continue;
        }
        throw toPortError(error, stream, expected);
      }
      const recorded = await this.readStream(stream, { fromRevision: last + 1, maxCount: events.length });
      this.wakeup.notify();
      return { stream, nextExpectedRevision: last + events.length, events: recorded, duplicate: false };
    }
  }

  // --- command records -------------------------------------------------------------------------

  private async readCommand(commandId: string): Promise<{ claim?: CommandClaim; done?: CommandDone }> {
    const out: { claim?: CommandClaim; done?: CommandDone } = {};
    try {
      for await (const resolved of this.client.readStream(commandStream(commandId), {
        fromRevision: START,
        direction: FORWARDS,
        maxCount: 10n,
      })) {
        const e = resolved.event;
        if (!e?.isJson) continue;
        if (e.type === CLAIM) out.claim = e.data as unknown as CommandClaim;
        else if (e.type === DONE) out.done = e.data as unknown as CommandDone;
        else if (e.type === 'tiendo.CommandReleased') {
          delete out.claim;
          delete out.done;
        }
      }
    } catch (error) {
      if (classify(error).kind === 'not_found') return out;
      throw toPortError(error, commandStream(commandId));
    }
    return out;
  }

  private async findCommandRecord(commandId: string): Promise<CommandDone | null> {
    return (await this.readCommand(commandId)).done ?? null;
  }

  /** True when this caller created the command stream (or re-claimed a released one). */
  private async claim(commandId: string, claim: CommandClaim): Promise<boolean> {
    const stream = commandStream(commandId);
    for (const expected of ['no_stream', 'released'] as const) {
      let expectedRevision: 'no_stream' | bigint = 'no_stream';
      if (expected === 'released') {
        const h = await this.lastRevision(stream);
        const state = await this.readCommand(commandId);
        if (h < 0 || state.claim || state.done) return false;
        expectedRevision = BigInt(h);
      }
      try {
        await this.client.appendToStream(stream, jsonEvent({ type: CLAIM, data: { ...claim } }), {
          expectedRevision,
        });
        return true;
      } catch (error) {
        if (classify(error).kind !== 'conflict') throw toPortError(error, stream);
      }
    }
    return false;
  }

  /** After a failed append, lets a retry of the command claim it again. */
  private async release(commandId: string): Promise<void> {
    await this.client
      .appendToStream(commandStream(commandId), jsonEvent({ type: 'tiendo.CommandReleased', data: {} }))
      .catch(() => {});
  }

  private async complete(commandId: string, done: CommandDone): Promise<void> {
    const stream = commandStream(commandId);
    try {
      await this.client.appendToStream(
        stream,
        jsonEvent({ id: uuidV5(`done:${commandId}`), type: DONE, data: { ...done } }),
      );
    } catch (error) {
      throw toPortError(error, stream);
    }
  }

  private async lastRevision(stream: string): Promise<number> {
    try {
      for await (const resolved of this.client.readStream(stream, {
        fromRevision: END,
        direction: BACKWARDS,
        maxCount: 1n,
      })) {
        if (resolved.event) return Number(resolved.event.revision);
      }
      return -1;
    } catch (error) {
      if (classify(error).kind === 'not_found') return -1;
      throw toPortError(error, stream);
    }
  }

  /**
   * Another caller holds the command: wait for its completion record. If none comes in time, the
   * claimant probably died; when its events are in the target stream (found by their derived ids)
   * the command is completed from them, else it is reported as unavailable (retry later).
   */
  private async awaitCommand(
    commandId: string,
    commandHash: string | null,
    stream: string,
    events: readonly NewEvent[],
    expected: ExpectedRevision,
  ): Promise<AppendResult> {
    const deadline = Date.now() + this.commandWaitMs;
    let wait = 10;
    for (;;) {
      const state = await this.readCommand(commandId);
      if (state.done) return this.replay(commandId, state.done, commandHash);
      if (state.claim && state.claim.commandHash !== commandHash) throw commandIdReused(commandId);
      if (!state.claim) {
        // Released after a failed append: try again as a first attempt.
        return this.append(stream, events, {
          expectedRevision: expected,
          commandId,
          ...(commandHash === null ? {} : { commandHash }),
        });
      }
      if (Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, wait));
      wait = Math.min(wait * 2, 250);
    }
    const claimed = (await this.readCommand(commandId)).claim!;
    const recovered = await this.recover(commandId, claimed);
    if (recovered) return this.replay(commandId, recovered, commandHash);
    throw toPortError({ type: 'unavailable', message: `command ${commandId} is still in progress` }, stream);
  }

  /** Finds a crashed claimant's events in its target stream by their derived ids and completes it. */
  private async recover(commandId: string, claim: CommandClaim): Promise<CommandDone | null> {
    const firstId = uuidV5(`command:${commandId}:0`);
    let first = -1;
    let last = -1;
    try {
      for await (const resolved of this.client.readStream(claim.stream, {
        fromRevision: END,
        direction: BACKWARDS,
        maxCount: 1000n,
      })) {
        const e = resolved.event;
        if (!e) continue;
        const meta = e.metadata as { commandId?: unknown } | undefined;
        if (meta?.commandId === commandId) {
          last = Math.max(last, Number(e.revision));
          if (e.id === firstId) first = Number(e.revision);
        }
        if (first >= 0) break;
      }
    } catch (error) {
      if (classify(error).kind === 'not_found') return null;
      throw toPortError(error, claim.stream);
    }
    if (first < 0) return null;
    const done: CommandDone = { ...claim, first, last };
    await this.complete(commandId, done);
    return done;
  }

  private async replay(
    commandId: string,
    done: CommandDone,
    commandHash: string | null,
  ): Promise<AppendResult> {
    if (done.commandHash !== commandHash) throw commandIdReused(commandId);
    return this.resultOf(done, true);
  }

  private async resultOf(done: CommandDone, duplicate: boolean): Promise<AppendResult> {
    const events = await this.readStream(done.stream, {
      fromRevision: done.first,
      maxCount: done.last - done.first + 1,
    });
    return { stream: done.stream, nextExpectedRevision: done.last, events, duplicate };
  }

  private toPort(resolved: ResolvedEvent): RecordedEvent | null {
    const e = resolved.event;
    return e ? fromRecorded(e, resolved.commitPosition) : null;
  }
}
