// The KurrentDB/EventStoreDB adapter of the event store port, on @eventstore/db-client (gRPC).
// NOT RUN AGAINST A SERVER on the machine it was written on (no KurrentDB there): its contract run,
// test/store/kurrent.int.test.ts, needs EVENTSTORE_URL. Design (docs/KURRENTDB.md):
// - hash chain in JS: read the stream's head (last event's hash), chain the new events, append with
//   the exact revision of that head; on a wrong-expected-version the append is retried from a fresh
//   head when the caller allowed it ('any', 'stream_exists' on an existing stream), else a conflict.
// - command idempotency: a command stream `tiendocommand-<id>` whose event 0 claims the command
//   (expected NO_STREAM: exactly one claimant wins, across streams and processes) and whose event 1
//   records the result. The claim holds for a lease (commandLeaseMs); a repeat of the command after it
//   ran out takes the claim over (exactly one caller wins, by expected revision). Event ids derived
//   from (commandId, index) let the server itself recognise the same command's events appended again
//   (a slow claimant and its successor, a retry after a lost answer), so they are written once.
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
import { UnavailableError } from '../../domain/errors.js';
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
  LogPosition,
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
  /**
   * How long a command claim holds (default 30 s): after that a repeat of the command may take it
   * over, so a claimant that died before appending does not block its command id for ever.
   */
  readonly commandLeaseMs?: number;
  /** Milliseconds since the epoch, for claim leases (default Date.now). */
  readonly clock?: () => number;
}

interface CommandTarget {
  readonly stream: string;
  readonly commandHash: string | null;
}
interface CommandClaim extends CommandTarget {
  /** Epoch ms after which another caller may take the claim over (absent: claims before leases). */
  readonly leaseUntil?: number;
}
interface CommandDone extends CommandTarget {
  readonly first: number;
  readonly last: number;
}
interface CommandState {
  readonly claim?: CommandClaim;
  readonly done?: CommandDone;
  /** Revision of the command stream's last event, -1 when it does not exist. */
  readonly revision: number;
}

const CLAIM = 'tiendo.CommandClaimed';
const DONE = 'tiendo.CommandCompleted';
const RELEASED = 'tiendo.CommandReleased';

export class KurrentEventStore implements EventStore {
  private readonly client: EventStoreDBClient;
  private readonly owned: boolean;
  private readonly wakeup = new Wakeup();
  private readonly subscriptions = new Subscriptions();
  private readonly tuning: SubscriptionTuning;
  private readonly maxChainRetries: number;
  private readonly commandWaitMs: number;
  private readonly allPageSize: number;
  private readonly commandLeaseMs: number;
  private readonly clock: () => number;
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
    this.commandLeaseMs = options.commandLeaseMs ?? 30_000;
    this.clock = options.clock ?? Date.now;
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
    const target = { stream, commandHash };
    const claimed = await this.claim(commandId, target);
    if (!claimed) return this.awaitCommand(commandId, target, events, options.expectedRevision);
    return this.appendClaimed(commandId, target, events, options.expectedRevision);
  }

  /** Appends a command this caller holds the claim of, then records its completion. */
  private async appendClaimed(
    commandId: string,
    target: CommandTarget,
    events: readonly NewEvent[],
    expected: ExpectedRevision,
  ): Promise<AppendResult> {
    const result = await this.appendChained(target.stream, events, expected, {
      commandId,
      ...(target.commandHash === null ? {} : { commandHash: target.commandHash }),
    }).catch(async (error) => {
      await this.release(commandId);
      throw error;
    });
    await this.complete(commandId, {
      ...target,
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

  /** The position of $all's last event, whatever its stream: readers filter what follows anyway. */
  async logEnd(): Promise<LogPosition> {
    try {
      for await (const resolved of this.client.readAll({
        fromPosition: END,
        direction: BACKWARDS,
        maxCount: 1n,
      })) {
        const position = resolved.event?.position;
        if (position) return toLogPosition(position);
      }
      return LOG_START;
    } catch (error) {
      throw toPortError(error, '$all');
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

  private async readCommand(commandId: string): Promise<CommandState> {
    let claim: CommandClaim | undefined;
    let done: CommandDone | undefined;
    let revision = -1;
    try {
      for await (const resolved of this.client.readStream(commandStream(commandId), {
        fromRevision: START,
        direction: FORWARDS,
        maxCount: 100n,
      })) {
        const e = resolved.event;
        if (!e) continue;
        revision = Number(e.revision);
        if (!e.isJson) continue;
        if (e.type === CLAIM) claim = e.data as unknown as CommandClaim;
        else if (e.type === DONE) done = e.data as unknown as CommandDone;
        else if (e.type === RELEASED) {
          claim = undefined;
          done = undefined;
        }
      }
    } catch (error) {
      if (classify(error).kind !== 'not_found') throw toPortError(error, commandStream(commandId));
    }
    return { ...(claim && { claim }), ...(done && { done }), revision };
  }

  private async findCommandRecord(commandId: string): Promise<CommandDone | null> {
    return (await this.readCommand(commandId)).done ?? null;
  }

  /**
   * True when this caller wrote the command stream's claim: creating the stream (expected NO_STREAM,
   * so one caller wins), or after the stream's last event (`after`, when the claim was released or
   * its lease ran out: again exactly one caller wins).
   */
  private async claim(commandId: string, target: CommandTarget, after = -1): Promise<boolean> {
    const stream = commandStream(commandId);
    const claim: CommandClaim = { ...target, leaseUntil: this.clock() + this.commandLeaseMs };
    try {
      await this.client.appendToStream(stream, jsonEvent({ type: CLAIM, data: { ...claim } }), {
        expectedRevision: after < 0 ? 'no_stream' : BigInt(after),
      });
      return true;
    } catch (error) {
      if (classify(error).kind !== 'conflict') throw toPortError(error, stream);
      return false;
    }
  }

  /** After a failed append, lets a retry of the command claim it again. */
  private async release(commandId: string): Promise<void> {
    await this.client
      .appendToStream(commandStream(commandId), jsonEvent({ type: RELEASED, data: {} }))
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

  /**
   * Another caller holds the command: wait for its completion record. A claim released after a failed
   * append, or whose lease ran out (the claimant probably died), is claimed again by this caller,
   * unless the claimant's events are already in the target stream (found by their derived ids): then
   * the command is completed from them. A claim still leased when `commandWaitMs` has passed is
   * reported as unavailable (retry later).
   */
  private async awaitCommand(
    commandId: string,
    target: CommandTarget,
    events: readonly NewEvent[],
    expected: ExpectedRevision,
  ): Promise<AppendResult> {
    const deadline = Date.now() + this.commandWaitMs;
    let wait = 10;
    for (;;) {
      const state = await this.readCommand(commandId);
      if (state.done) return this.replay(commandId, state.done, target.commandHash);
      if (state.claim && state.claim.commandHash !== target.commandHash) throw commandIdReused(commandId);
      const lapsed = state.claim?.leaseUntil !== undefined && this.clock() > state.claim.leaseUntil;
      if (!state.claim || lapsed) {
        const recovered = state.claim ? await this.recover(commandId, state.claim) : null;
        if (recovered) return this.replay(commandId, recovered, target.commandHash);
        if (await this.claim(commandId, target, state.revision))
          return this.appendClaimed(commandId, target, events, expected);
        continue; // another caller took it first: wait for that one
      }
      if (Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, wait));
      wait = Math.min(wait * 2, 250);
    }
    const { claim } = await this.readCommand(commandId);
    const recovered = claim ? await this.recover(commandId, claim) : null;
    if (recovered) return this.replay(commandId, recovered, target.commandHash);
    throw new UnavailableError(`command ${commandId} is still in progress`, 'COMMAND_IN_PROGRESS', {
      store: 'kurrentdb',
      commandId,
      ...(claim?.leaseUntil !== undefined && { leaseUntil: new Date(claim.leaseUntil).toISOString() }),
    });
  }

  /** Finds a crashed claimant's events in its target stream by their derived ids and completes it. */
  private async recover(commandId: string, claim: CommandTarget): Promise<CommandDone | null> {
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
    const done: CommandDone = { stream: claim.stream, commandHash: claim.commandHash, first, last };
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
