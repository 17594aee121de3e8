// The event store port: the only way the rest of tiendo touches the event log. Small on purpose:
// append with an expected revision, read a stream, read the global log in commit order, follow it,
// and look up an earlier command by id. Adapters: PostgreSQL (default), in-memory (unit tests),
// KurrentDB/EventStoreDB (issue 4). Every adapter passes test/store/contract.ts.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/**
 * `any`: append whatever the stream holds; `no_stream`: the stream must not exist;
 * `stream_exists`: it must hold at least one event; a number: the revision of its last event (0-based).
 */
export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | number;

/**
 * A position in the global log, ordered lexicographically by (tx, pos). On PostgreSQL `tx` is the
 * writing transaction's id (xid8) and `pos` the event's global sequence number; on KurrentDB they are
 * the commit and prepare positions. Readers resume strictly after a position.
 */
export interface LogPosition {
  readonly tx: bigint;
  readonly pos: bigint;
}
export const LOG_START: LogPosition = Object.freeze({ tx: 0n, pos: 0n });

export const comparePositions = (a: LogPosition, b: LogPosition): number =>
  a.tx < b.tx ? -1 : a.tx > b.tx ? 1 : a.pos < b.pos ? -1 : a.pos > b.pos ? 1 : 0;

export interface NewEvent {
  /** Monotonic ULID on PostgreSQL; the KurrentDB adapter derives a UUID from it. */
  readonly id: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: JsonObject;
  readonly metadata: JsonObject;
}

export interface RecordedEvent extends NewEvent {
  readonly stream: string;
  readonly revision: number;
  readonly position: LogPosition;
  /** Hex SHA-256 chain hash: H(previous event's hash ‖ H(canonical content)); see hash.ts. */
  readonly hash: string;
}

export interface AppendOptions {
  readonly expectedRevision: ExpectedRevision;
  /** When given, a second append with the same id writes nothing and returns the first result. */
  readonly commandId?: string;
  /** Digest of the command's content; a reused commandId with another digest is a conflict. */
  readonly commandHash?: string;
}

export interface AppendResult {
  readonly stream: string;
  /** Revision of the stream's last event after the append (-1 when the stream is still empty). */
  readonly nextExpectedRevision: number;
  readonly events: readonly RecordedEvent[];
  /** True when the command id had already been applied and nothing was written now. */
  readonly duplicate: boolean;
}

export interface ReadStreamOptions {
  readonly fromRevision?: number;
  readonly maxCount?: number;
}

/** What a read may leave out of each event. */
export interface ReadFields {
  /**
   * The metadata fields the caller reads (a rebuild that reads one or two): a store may leave the
   * others out of each event's metadata; those asked for come as stored. Absent: all of it.
   */
  readonly metadata?: readonly string[];
}

export interface ReadAllOptions extends ReadFields {
  /** Exclusive lower bound; LOG_START reads from the beginning. */
  readonly after?: LogPosition;
  readonly maxCount?: number;
  /** Only streams of these categories (`project`, `capitalplan`...). */
  readonly categories?: readonly string[];
}

export interface ReadByStreamOptions extends ReadFields {
  /** Streams of this category (`project`...). */
  readonly category: string;
  /** Inclusive upper bound in the log: a position logEnd() gave. */
  readonly upTo: LogPosition;
  /** Exclusive lower bound in (stream name, revision) order; none: from the first stream. */
  readonly after?: { readonly stream: string; readonly revision: number };
  readonly maxCount: number;
}

export interface Subscription {
  /** Resolves when the subscription has stopped (after close() or a fatal error). */
  readonly done: Promise<void>;
  close(): Promise<void>;
}

export interface SubscribeOptions extends ReadAllOptions {
  /** Called with each batch in log order; the next batch waits for the returned promise. */
  readonly onEvents: (events: readonly RecordedEvent[]) => Promise<void>;
  readonly onError?: (error: unknown) => void;
}

export interface StreamHead {
  readonly revision: number;
  readonly hash: string;
}

export interface EventStore {
  /** Throws ConflictError (reason WRONG_EXPECTED_REVISION or COMMAND_ID_REUSED) from domain/errors. */
  append(stream: string, events: readonly NewEvent[], options: AppendOptions): Promise<AppendResult>;
  /** Events of one stream in revision order; an absent stream reads as []. */
  readStream(stream: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /**
   * Committed events in global order, never skipping one that commits later with a lower position:
   * a reader that pages with `after` = the last position it saw sees every event exactly once.
   */
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  /**
   * Optional: a category's events up to a log position in (stream name, revision) order, each stream
   * whole and in order before the next, for a rebuild that folds one stream at a time. A store
   * without it is rebuilt from readAll.
   */
  readByStream?(options: ReadByStreamOptions): Promise<RecordedEvent[]>;
  /** Catch-up then live: reads from `after` and keeps delivering new events until closed. */
  subscribe(options: SubscribeOptions): Subscription;
  /** The result of an earlier append made with this command id, or null. */
  findCommand(commandId: string): Promise<AppendResult | null>;
  /** Revision and hash of the stream's last event, or null when the stream does not exist. */
  head(stream: string): Promise<StreamHead | null>;
  /**
   * Where the global log ends for readers now (LOG_START when empty): reading or subscribing after
   * it sees exactly the events appended later. Live feeds start there.
   */
  logEnd(): Promise<LogPosition>;
  close(): Promise<void>;
}
