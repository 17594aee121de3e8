// The statements the PostgreSQL event store runs, and the mapping from their rows to the port's
// types. pg returns bigint and xid8 as strings; positions become bigint here.
import type { JsonObject, NewEvent, RecordedEvent } from './port.js';

/** An event as the statements below select it (and as tiendo_append returns a duplicate's). */
export interface EventRow {
  readonly tx: string;
  readonly pos: string;
  readonly revision: number;
  readonly hash: string;
  readonly event_id: string;
  readonly type: string;
  readonly schema_version: number;
  readonly data: JsonObject;
  readonly metadata: JsonObject;
}

export interface StreamEventRow extends EventRow {
  readonly stream: string;
}

/** tiendo_append's one row; see migrations/002_append_function.sql. */
export interface AppendRow {
  readonly duplicate: boolean;
  readonly stream: string;
  readonly next_revision: number;
  readonly tx: string | null;
  readonly positions: string[] | null;
  readonly hashes: string[] | null;
  readonly original: EventRow[] | null;
}

// Aliased `tx`, not `transaction_id`: ORDER BY prefers output names, and the text would sort wrong.
const EVENT_COLUMNS = eventColumns();

/**
 * The columns of an event; `metadata` as only the fields named, when some are (ReadAllOptions), each
 * present only if the stored metadata has it. recordedOf reads them by position, in this order.
 */
function eventColumns(fields?: readonly string[]): string {
  return `transaction_id::text AS tx, global_position AS pos, event_id, stream, revision, type,
  schema_version, data, ${fields ? metadataOf(fields) : 'metadata'}, encode(hash, 'hex') AS hash`;
}

function metadataOf(fields: readonly string[]): string {
  const each = fields.map((f) => {
    if (!/^[A-Za-z][A-Za-z0-9]*$/.test(f)) throw new Error(`not a metadata field name: ${f}`);
    return `CASE WHEN metadata ? '${f}' THEN jsonb_build_object('${f}', metadata->'${f}') ELSE '{}' END`;
  });
  return `${each.length > 0 ? each.join(' || ') : "'{}'::jsonb"} AS metadata`;
}

/**
 * The name of a statement that selects the metadata fields named (none: all of it); none, for an
 * unnamed statement, past PostgreSQL's 63 characters.
 */
export function withFields(name: string, fields?: readonly string[]): string | undefined {
  const named = fields ? `${name}_m_${fields.join('_')}` : name;
  return named.length <= 63 ? named : undefined;
}

export const APPEND = 'SELECT * FROM tiendo_append($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)';

/** tiendo_append_batch's rows: one per item (idx from 1), then idx 0 with the written positions. */
export interface AppendBatchRow {
  readonly idx: number;
  readonly status: 'written' | 'duplicate' | 'conflict' | 'reused' | 'positions';
  readonly stream: string;
  readonly next_revision: number;
  readonly tx: string | null;
  readonly hashes: string[] | null;
  readonly original: EventRow[] | null;
  readonly actual: number | null;
  readonly event_ids: string[] | null;
  readonly positions: string[] | null;
}

export const APPEND_BATCH = 'SELECT * FROM tiendo_append_batch($1)';

export const READ_STREAM = `SELECT ${EVENT_COLUMNS} FROM events
  WHERE stream = $1 AND revision >= $2 ORDER BY revision LIMIT $3`;

export const HEAD = `SELECT last_revision, encode(last_hash, 'hex') AS hash FROM streams WHERE stream = $1`;

/** The last event of a transaction older than every running one: the same visibility rule as readAll. */
export const LOG_END = `SELECT transaction_id::text AS tx, global_position::text AS pos FROM events
  WHERE transaction_id < pg_snapshot_xmin(pg_current_snapshot())
  ORDER BY transaction_id DESC, global_position DESC LIMIT 1`;

export const FIND_COMMAND = `SELECT c.stream AS command_stream, c.last_revision AS next_revision, e.*
  FROM commands c CROSS JOIN LATERAL (
    SELECT ${EVENT_COLUMNS} FROM events
     WHERE stream = c.stream AND revision BETWEEN c.first_revision AND c.last_revision
  ) e
  WHERE c.command_id = $1 ORDER BY e.revision`;

/**
 * Only events of transactions older than every transaction still running: those are all committed
 * (or rolled back) for good, and any later commit gets a larger transaction id, so a reader resuming
 * after its last (transaction id, position) can never miss one. See docs/EVENT-STORE.md.
 */
const VISIBLE = `(transaction_id, global_position) > ($1::xid8, $2::bigint)
  AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())`;
const LOG_ORDER = 'ORDER BY transaction_id, global_position LIMIT $3';

/** $1 tx, $2 pos (exclusive), $3 limit, $4... the categories. */
export function readAllSql(categoryCount: number, metadata?: readonly string[]): string {
  const columns = eventColumns(metadata);
  if (categoryCount <= 1) {
    const filter = categoryCount === 1 ? 'category = $4 AND ' : '';
    return `SELECT ${columns} FROM events WHERE ${filter}${VISIBLE} ${LOG_ORDER}`;
  }
  // One ordered index scan per category, merged: `category = ANY(...)` would read all and sort.
  const parts = Array.from(
    { length: categoryCount },
    (_, i) => `(SELECT ${columns}, transaction_id FROM events WHERE category = $${i + 4} AND ${VISIBLE}
      ${LOG_ORDER})`,
  );
  return `SELECT * FROM (${parts.join(' UNION ALL ')}) merged ORDER BY transaction_id, pos LIMIT $3`;
}

/**
 * $1 category, $2 stream and $3 revision (exclusive, in that order), $4 tx and $5 pos (inclusive: a
 * log end, below every running transaction), $6 limit. Walks the (stream, revision) unique index.
 */
export const readByStreamSql = (
  metadata?: readonly string[],
): string => `SELECT ${eventColumns(metadata)} FROM events
  WHERE category = $1 AND (stream, revision) > ($2, $3) AND (transaction_id, global_position) <= ($4::xid8, $5::bigint)
  ORDER BY stream, revision LIMIT $6`;

/**
 * An event from a row of eventColumns() read as an array (pg's rowMode 'array'): pg makes a row object
 * by spreading a template, only for it to be copied into the event (docs/BENCHMARKS.md).
 */
export function recordedOf(row: readonly unknown[]): RecordedEvent {
  return {
    id: row[2] as string,
    stream: row[3] as string,
    revision: row[4] as number,
    position: { tx: BigInt(row[0] as string), pos: BigInt(row[1] as string) },
    type: row[5] as string,
    schemaVersion: row[6] as number,
    data: row[7] as JsonObject,
    metadata: row[8] as JsonObject,
    hash: row[9] as string,
  };
}

export function toRecorded(stream: string, row: EventRow): RecordedEvent {
  return {
    id: row.event_id,
    stream,
    revision: row.revision,
    position: { tx: BigInt(row.tx), pos: BigInt(row.pos) },
    type: row.type,
    schemaVersion: row.schema_version,
    data: row.data,
    metadata: row.metadata,
    hash: row.hash,
  };
}

/** The recorded events of an append: the caller's events with what the database assigned. */
export function appendedEvents(events: readonly NewEvent[], row: AppendRow): RecordedEvent[] {
  if (row.original) return row.original.map((e) => toRecorded(row.stream, e));
  if (!row.positions || !row.hashes || row.tx === null) return [];
  const tx = BigInt(row.tx);
  const first = row.next_revision - events.length + 1;
  return events.map((event, i) => ({
    ...event,
    stream: row.stream,
    revision: first + i,
    position: { tx, pos: BigInt(row.positions![i]!) },
    hash: row.hashes![i]!,
  }));
}
