// The PostgreSQL event store, tiendo's default. Schema and the append function live in migrations/
// (001_event_store.sql, 002_append_function.sql); docs/EVENT-STORE.md explains the design. An append
// is one round trip to tiendo_append; the global log is read in (transaction id, position) order and
// only below the oldest running transaction, so readers never skip an event that commits late.
import type pg from 'pg';
import { UnavailableError } from '../domain/errors.js';
import { AppendBatcher, type BatchItem } from './append-batcher.js';
import { assertExpectedRevision, commandIdReused, eventIdReused, wrongExpectedRevision } from './expected.js';
import { contentDigest } from './hash.js';
import type {
  AppendOptions,
  AppendResult,
  EventStore,
  LogPosition,
  NewEvent,
  ReadAllOptions,
  ReadByStreamOptions,
  ReadStreamOptions,
  RecordedEvent,
  StreamHead,
  SubscribeOptions,
  Subscription,
} from './port.js';
import { LOG_START } from './port.js';
import { PostgresNotifier } from './postgres-notifier.js';
import {
  APPEND,
  APPEND_BATCH,
  type AppendBatchRow,
  type AppendRow,
  appendedEvents,
  FIND_COMMAND,
  HEAD,
  LOG_END,
  READ_STREAM,
  readAllSql,
  readByStreamSql,
  recordedOf,
  type StreamEventRow,
  toRecorded,
  withFields,
} from './postgres-sql.js';
import { DEFAULT_TUNING, type LogSource, Subscriptions, type SubscriptionTuning } from './subscription.js';

export interface PostgresEventStoreOptions {
  /** Subscriptions' batch size, poll interval and backoff; see subscription.ts. */
  readonly subscriptions?: Partial<SubscriptionTuning>;
  /** Append round trips at once; appends beyond wait and go together as one batch (group commit). */
  readonly maxAppendsInFlight?: number;
  /** Most appends in one batch. */
  readonly maxAppendBatch?: number;
  /**
   * While a round trip is running, a second one starts only when this many appends wait; fewer wait
   * for a free connection. Measured on 2 cores with 8 clients (docs/BENCHMARKS.md): 2 in flight and
   * batches of at least 4 beat both sending at once and larger limits.
   */
  readonly minAppendBatch?: number;
}

interface PendingAppend extends BatchItem<AppendResult> {
  readonly events: readonly NewEvent[];
  readonly options: AppendOptions;
  /** Content digests (hash.ts), one per event. */
  readonly digests: readonly string[];
}

export class PostgresEventStore implements EventStore {
  private readonly notifier: PostgresNotifier;
  private readonly tuning: SubscriptionTuning;
  private readonly subscriptions = new Subscriptions();
  private readonly logSource: LogSource;
  private readonly batcher: AppendBatcher<AppendResult, PendingAppend>;

  /** The pool stays the caller's: close() stops subscriptions but does not end it. */
  constructor(
    private readonly pool: pg.Pool,
    options: PostgresEventStoreOptions = {},
  ) {
    this.batcher = new AppendBatcher<AppendResult, PendingAppend>(
      { single: (item) => this.appendOne(item), batch: (items) => this.appendBatch(items) },
      options.maxAppendsInFlight ?? 2,
      options.maxAppendBatch ?? 64,
      options.minAppendBatch ?? 4,
    );
    const notifier = new PostgresNotifier(pool);
    this.notifier = notifier;
    this.tuning = { ...DEFAULT_TUNING, ...options.subscriptions };
    this.logSource = {
      readAll: (read) => this.readAll(read),
      waitForEvents: async (seen, ms, signal) => {
        if (await notifier.ensureListening()) return;
        await notifier.wakeup.wait(seen, ms, signal);
      },
      get wakeupVersion() {
        return notifier.wakeup.version;
      },
    };
  }

  async append(stream: string, events: readonly NewEvent[], options: AppendOptions): Promise<AppendResult> {
    assertExpectedRevision(options.expectedRevision);
    const digests = events.map((e) => contentDigest(stream, e));
    return new Promise<AppendResult>((resolve, reject) =>
      this.batcher.submit({
        stream,
        commandId: options.commandId ?? null,
        events,
        options,
        digests,
        resolve,
        reject,
      }),
    );
  }

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    return this.readEvents('tiendo_read_stream', READ_STREAM, [
      stream,
      options.fromRevision ?? 0,
      options.maxCount ?? null,
    ]);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const after = options.after ?? LOG_START;
    const categories = [...new Set(options.categories ?? [])];
    return this.readEvents(
      withFields(`tiendo_read_all_${categories.length}`, options.metadata),
      readAllSql(categories.length, options.metadata),
      [after.tx.toString(), after.pos.toString(), options.maxCount ?? null, ...categories],
    );
  }

  async readByStream(options: ReadByStreamOptions): Promise<RecordedEvent[]> {
    const { category, upTo, after, maxCount, metadata } = options;
    // No stream name sorts before '' at revision -1: from the first stream.
    const name = withFields('tiendo_read_by_stream', metadata);
    return this.readEvents(name, readByStreamSql(metadata), [
      category,
      after?.stream ?? '',
      after?.revision ?? -1,
      upTo.tx.toString(),
      upTo.pos.toString(),
      maxCount,
    ]);
  }

  subscribe(options: SubscribeOptions): Subscription {
    return this.subscriptions.start(this.logSource, options, this.tuning);
  }

  async findCommand(commandId: string): Promise<AppendResult | null> {
    const rows = await this.query<StreamEventRow & { command_stream: string; next_revision: number }>(
      'tiendo_find_command',
      FIND_COMMAND,
      [commandId],
    );
    const first = rows[0];
    if (!first) return null;
    return {
      stream: first.command_stream,
      nextExpectedRevision: first.next_revision,
      events: rows.map((row) => toRecorded(row.stream, row)),
      duplicate: false,
    };
  }

  async head(stream: string): Promise<StreamHead | null> {
    const rows = await this.query<{ last_revision: number; hash: string }>('tiendo_head', HEAD, [stream]);
    const row = rows[0];
    return row ? { revision: row.last_revision, hash: row.hash } : null;
  }

  async logEnd(): Promise<LogPosition> {
    const [row] = await this.query<{ tx: string; pos: string }>('tiendo_log_end', LOG_END, []);
    return row ? { tx: BigInt(row.tx), pos: BigInt(row.pos) } : LOG_START;
  }

  async close(): Promise<void> {
    await this.subscriptions.closeAll();
    await this.notifier.close();
  }

  /** One append through tiendo_append; settles the item. */
  private async appendOne(item: PendingAppend): Promise<void> {
    try {
      item.resolve(await this.appendSingle(item));
    } catch (error) {
      item.reject(error);
    }
  }

  private async appendSingle({ stream, events, options, digests }: PendingAppend): Promise<AppendResult> {
    const values = [
      stream,
      String(options.expectedRevision),
      events.map((e) => e.id),
      events.map((e) => e.type),
      events.map((e) => e.schemaVersion),
      JSON.stringify(events.map((e) => e.data)),
      JSON.stringify(events.map((e) => e.metadata)),
      digests,
      options.commandId ?? null,
      options.commandHash ?? null,
    ];
    try {
      return await this.runAppend(events, values);
    } catch (error) {
      // The same command id racing on another stream: the loser's insert into commands collides
      // once the winner commits. Retried, it finds the winner's command.
      if (!isUniqueViolation(error, 'commands_pkey')) throw this.mapError(error, stream, options);
    }
    try {
      return await this.runAppend(events, values);
    } catch (error) {
      throw this.mapError(error, stream, options);
    }
  }

  /** Appends to distinct streams in one transaction through tiendo_append_batch; settles every item. */
  private async appendBatch(items: readonly PendingAppend[]): Promise<void> {
    let rows: AppendBatchRow[];
    try {
      rows = (
        await this.pool.query<AppendBatchRow>({
          name: 'tiendo_append_batch',
          text: APPEND_BATCH,
          values: [batchJson(items)],
        })
      ).rows;
    } catch (error) {
      if (isConnectionFailure(error)) {
        const mapped = this.mapError(error);
        for (const item of items) item.reject(mapped);
        return;
      }
      // A racing duplicate command or a reused event id fails the whole batch: each append on its
      // own then gets its own outcome.
      await Promise.all(items.map((item) => this.appendOne(item)));
      return;
    }
    const written = rows.find((r) => r.idx === 0);
    const positions = new Map<string, string>(
      written?.event_ids?.map((id, k) => [id, written.positions![k]!]) ?? [],
    );
    for (const row of rows) {
      const item = items[row.idx - 1];
      if (!item) continue;
      try {
        item.resolve(batchOutcome(item, row, written?.tx ?? null, positions));
      } catch (error) {
        item.reject(error);
      }
    }
    if (written) this.notifier.announce();
  }

  private async runAppend(events: readonly NewEvent[], values: unknown[]): Promise<AppendResult> {
    const { rows } = await this.pool.query<AppendRow>({ name: 'tiendo_append', text: APPEND, values });
    const row = rows[0]!;
    const recorded = appendedEvents(events, row);
    if (recorded.length > 0 && !row.duplicate) this.notifier.announce();
    return {
      stream: row.stream,
      nextExpectedRevision: row.next_revision,
      events: recorded,
      duplicate: row.duplicate,
    };
  }

  private async query<R extends pg.QueryResultRow>(
    name: string | undefined,
    text: string,
    values: unknown[],
  ): Promise<R[]> {
    try {
      return (await this.pool.query<R>({ name, text, values })).rows;
    } catch (error) {
      throw this.mapError(error);
    }
  }

  /** Events selected by eventColumns(), each row read as an array of its columns (recordedOf). */
  private async readEvents(
    name: string | undefined,
    text: string,
    values: unknown[],
  ): Promise<RecordedEvent[]> {
    try {
      return (await this.pool.query<unknown[]>({ name, text, values, rowMode: 'array' })).rows.map(
        recordedOf,
      );
    } catch (error) {
      throw this.mapError(error);
    }
  }

  private mapError(error: unknown, stream?: string, append?: AppendOptions): unknown {
    const e = error as { code?: string; detail?: string; constraint?: string; message?: string };
    if (stream !== undefined && append) {
      if (e.code === 'TD001') {
        const actual = JSON.parse(e.detail ?? '{}').actual as number;
        return wrongExpectedRevision(stream, append.expectedRevision, actual);
      }
      if (e.code === 'TD002') return commandIdReused(append.commandId ?? '');
      if (isUniqueViolation(error, 'events_event_id_key')) return eventIdReused(stream);
    }
    if (isConnectionFailure(error)) {
      return new UnavailableError(`PostgreSQL is unavailable: ${e.message ?? String(error)}`);
    }
    return error;
  }
}

function batchJson(items: readonly PendingAppend[]): string {
  return JSON.stringify(
    items.map(({ stream, events, options, digests }) => ({
      s: stream,
      x: String(options.expectedRevision),
      c: options.commandId ?? null,
      h: options.commandHash ?? null,
      ids: events.map((e) => e.id),
      types: events.map((e) => e.type),
      versions: events.map((e) => e.schemaVersion),
      data: events.map((e) => e.data),
      metadata: events.map((e) => e.metadata),
      digests,
    })),
  );
}

/** One append's outcome from its row of tiendo_append_batch: its result, or the error it gets. */
function batchOutcome(
  item: PendingAppend,
  row: AppendBatchRow,
  tx: string | null,
  positions: Map<string, string>,
): AppendResult {
  const { stream, events, options } = item;
  switch (row.status) {
    case 'conflict':
      throw wrongExpectedRevision(stream, options.expectedRevision, row.actual ?? -1);
    case 'reused':
      throw commandIdReused(options.commandId ?? '');
    case 'duplicate':
      return {
        stream: row.stream,
        nextExpectedRevision: row.next_revision,
        events: (row.original ?? []).map((e) => toRecorded(row.stream, e)),
        duplicate: true,
      };
    default: {
      const first = row.next_revision - events.length + 1;
      const recorded = events.map((event, i) => ({
        ...event,
        stream,
        revision: first + i,
        position: { tx: BigInt(tx ?? 0), pos: BigInt(positions.get(event.id) ?? 0) },
        hash: row.hashes![i]!,
      }));
      return { stream, nextExpectedRevision: row.next_revision, events: recorded, duplicate: false };
    }
  }
}

function isUniqueViolation(error: unknown, constraint: string): boolean {
  const e = error as { code?: string; constraint?: string };
  return e?.code === '23505' && e.constraint === constraint;
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);
// 08: connection exceptions; 57P01-03: server shutting down or starting; 53300: too many clients.
const SERVER_CODES = /^(08...|57P0[123]|53300)$/;
const DRIVER_MESSAGES = /connection terminated|timeout exceeded when trying to connect|not queryable/i;

function isConnectionFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: string }).code;
  if (code && (NETWORK_CODES.has(code) || SERVER_CODES.test(code))) return true;
  return DRIVER_MESSAGES.test(error.message);
}
