// The in-memory event store, for pure unit tests only: the same semantics as the PostgreSQL store
// (expected revisions, command idempotency, hash chain, global order, subscriptions), no I/O. Events
// go through a JSON round trip on the way in and out, as they would through a database, so callers
// can neither share nor mutate what the store holds. Positions are { tx: n, pos: n }.
import { category } from '../domain/streams.js';
import {
  assertExpectedRevision,
  commandIdReused,
  eventIdReused,
  expectedRevisionHolds,
  wrongExpectedRevision,
} from './expected.js';
import { chainHash, contentDigest, GENESIS_HASH } from './hash.js';
import type {
  AppendOptions,
  AppendResult,
  EventStore,
  LogPosition,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  StreamHead,
  SubscribeOptions,
  Subscription,
} from './port.js';
import { comparePositions, LOG_START } from './port.js';
import {
  DEFAULT_TUNING,
  Subscriptions,
  type SubscriptionTuning,
  Wakeup,
  wakeupSource,
} from './subscription.js';

interface CommandRecord {
  readonly hash: string | null;
  readonly stream: string;
  readonly first: number;
  readonly last: number;
}

export interface InMemoryEventStoreOptions {
  readonly subscriptions?: Partial<SubscriptionTuning>;
}

export class InMemoryEventStore implements EventStore {
  private readonly log: RecordedEvent[] = [];
  private readonly streams = new Map<string, RecordedEvent[]>();
  private readonly commands = new Map<string, CommandRecord>();
  private readonly eventIds = new Set<string>();
  private readonly wakeup = new Wakeup();
  private readonly subscriptions = new Subscriptions();
  private readonly tuning: SubscriptionTuning;

  constructor(options: InMemoryEventStoreOptions = {}) {
    this.tuning = { ...DEFAULT_TUNING, ...options.subscriptions };
  }

  async append(stream: string, events: readonly NewEvent[], options: AppendOptions): Promise<AppendResult> {
    assertExpectedRevision(options.expectedRevision);
    const { commandId } = options;
    const commandHash = options.commandHash ?? null;
    const command = commandId === undefined ? undefined : this.commands.get(commandId);
    if (command) {
      if (command.hash !== commandHash) throw commandIdReused(commandId!);
      return this.commandResult(command, true);
    }

    const existing = this.streams.get(stream) ?? [];
    const last = existing.length - 1;
    if (!expectedRevisionHolds(options.expectedRevision, last)) {
      throw wrongExpectedRevision(stream, options.expectedRevision, last);
    }
    if (events.length === 0) return { stream, nextExpectedRevision: last, events: [], duplicate: false };
    const ids = new Set(events.map((e) => e.id));
    if (ids.size < events.length || events.some((e) => this.eventIds.has(e.id))) throw eventIdReused(stream);

    let hash = existing[last]?.hash ?? GENESIS_HASH;
    const recorded = copy(events).map((event, i): RecordedEvent => {
      hash = chainHash(hash, contentDigest(stream, event));
      const n = BigInt(this.log.length + i + 1);
      return { ...event, stream, revision: last + 1 + i, position: { tx: n, pos: n }, hash };
    });
    this.log.push(...recorded);
    this.streams.set(stream, existing);
    existing.push(...recorded);
    for (const id of ids) this.eventIds.add(id);
    if (commandId !== undefined) {
      this.commands.set(commandId, {
        hash: commandHash,
        stream,
        first: last + 1,
        last: last + recorded.length,
      });
    }
    this.wakeup.notify();
    return { stream, nextExpectedRevision: last + recorded.length, events: copy(recorded), duplicate: false };
  }

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const from = options.fromRevision ?? 0;
    const events = (this.streams.get(stream) ?? []).slice(from, from + (options.maxCount ?? Infinity));
    return copy(events);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const after = options.after ?? LOG_START;
    const categories = options.categories?.length ? new Set(options.categories) : null;
    const found: RecordedEvent[] = [];
    const max = options.maxCount ?? Infinity;
    for (const event of this.log) {
      if (found.length >= max) break;
      if (comparePositions(event.position, after) <= 0) continue;
      if (categories && !categories.has(category(event.stream))) continue;
      found.push(event);
    }
    return copy(found);
  }

  subscribe(options: SubscribeOptions): Subscription {
    const source = wakeupSource((read) => this.readAll(read), this.wakeup);
    return this.subscriptions.start(source, options, this.tuning);
  }

  async findCommand(commandId: string): Promise<AppendResult | null> {
    const command = this.commands.get(commandId);
    return command ? this.commandResult(command, false) : null;
  }

  async head(stream: string): Promise<StreamHead | null> {
    const last = this.streams.get(stream)?.at(-1);
    return last ? { revision: last.revision, hash: last.hash } : null;
  }

  async logEnd(): Promise<LogPosition> {
    return this.log.at(-1)?.position ?? LOG_START;
  }

  async close(): Promise<void> {
    await this.subscriptions.closeAll();
  }

  private commandResult(command: CommandRecord, duplicate: boolean): AppendResult {
    const events = this.streams.get(command.stream)!.slice(command.first, command.last + 1);
    return { stream: command.stream, nextExpectedRevision: command.last, events: copy(events), duplicate };
  }
}

/** A JSON round trip that keeps bigint positions, as a database would hand back fresh objects. */
function copy<T extends NewEvent>(events: readonly T[]): T[] {
  return events.map((e) => ({
    ...e,
    data: JSON.parse(JSON.stringify(e.data)),
    metadata: JSON.parse(JSON.stringify(e.metadata)),
  }));
}
