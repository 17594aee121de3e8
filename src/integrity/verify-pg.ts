// Verifies the hash chains of the PostgreSQL event log: every stream (or one), read straight from the
// `events` and `streams` tables in one read-only snapshot, each checked by the pure verifier
// (chain.ts). Rows are read in (stream, revision) order in pages, so memory holds one page and one
// stream at a time.
import type pg from 'pg';
import type { LogPosition, StreamHead } from '../store/port.js';
import { type ChainBreak, type StoredEvent, type StreamVerification, verifyStream } from './chain.js';
import { inTransaction, READ_SNAPSHOT } from './transaction.js';

export interface LogVerification {
  readonly streams: number;
  readonly events: number;
  /** The first break of each broken stream, in stream order. */
  readonly breaks: readonly ChainBreak[];
  /** The last event of the log in log order, or null for an empty log. */
  readonly position: LogPosition | null;
}

export interface VerifyOptions {
  /** Only this stream. */
  readonly stream?: string;
  /** Sees each stream's full verification (with its recomputed hashes) as it is done. */
  readonly onStream?: (v: StreamVerification) => void;
  readonly pageSize?: number;
}

interface EventRow {
  readonly stream: string;
  readonly revision: number;
  readonly event_id: string;
  readonly type: string;
  readonly schema_version: number;
  readonly data: StoredEvent['data'];
  readonly metadata: StoredEvent['metadata'];
  readonly digest: string;
  readonly hash: string;
  readonly tx: string;
  readonly pos: string;
}

const COLUMNS = `stream, revision, event_id, type, schema_version, data, metadata,
  encode(digest, 'hex') AS digest, encode(hash, 'hex') AS hash, transaction_id::text AS tx, global_position AS pos`;

/** Reads and verifies in one REPEATABLE READ snapshot: appends made meanwhile are not seen. */
export const verifyLog = (pool: pg.Pool, options: VerifyOptions = {}): Promise<LogVerification> =>
  inTransaction(pool, READ_SNAPSHOT, (client) => verifyWithin(client, options));

/** Verifies as seen by `client`'s current transaction (restore checks its own writes before commit). */
export async function verifyWithin(
  client: pg.PoolClient,
  options: VerifyOptions = {},
): Promise<LogVerification> {
  const heads = await readHeads(client, options.stream);
  const breaks: ChainBreak[] = [];
  let streams = 0;
  let events = 0;
  const finish = (stream: string, rows: StoredEvent[]) => {
    const v = verifyStream(stream, rows, heads.get(stream) ?? null);
    heads.delete(stream);
    streams++;
    events += rows.length;
    if (v.break) breaks.push(v.break);
    options.onStream?.(v);
  };

  let current = null as { stream: string; rows: StoredEvent[] } | null;
  for await (const row of eventRows(client, options)) {
    if (current?.stream !== row.stream) {
      if (current) finish(current.stream, current.rows);
      current = { stream: row.stream, rows: [] };
    }
    current.rows.push(row);
  }
  if (current) finish(current.stream, current.rows);
  // Head records left over have lost all their events.
  for (const name of [...heads.keys()].sort()) finish(name, []);
  breaks.sort((a, b) => (a.stream < b.stream ? -1 : a.stream > b.stream ? 1 : 0));
  return { streams, events, breaks, position: await lastPosition(client, options.stream) };
}

async function readHeads(client: pg.PoolClient, stream?: string): Promise<Map<string, StreamHead>> {
  const { rows } = await client.query<{ stream: string; revision: number; hash: string }>(
    `SELECT stream, last_revision AS revision, encode(last_hash, 'hex') AS hash FROM streams
      WHERE $1::text IS NULL OR stream = $1 ORDER BY stream`,
    [stream ?? null],
  );
  return new Map(rows.map((r) => [r.stream, { revision: r.revision, hash: r.hash }]));
}

/** Events in (stream, revision) order, a page at a time along the (stream, revision) unique index. */
async function* eventRows(client: pg.PoolClient, options: VerifyOptions): AsyncGenerator<StoredEvent> {
  const pageSize = options.pageSize ?? 2000;
  let after: [string, number] = ['', -1];
  for (;;) {
    const { rows } = await client.query<EventRow>(
      `SELECT ${COLUMNS} FROM events
        WHERE ($1::text IS NULL OR stream = $1) AND (stream, revision) > ($2, $3)
        ORDER BY stream, revision LIMIT $4`,
      [options.stream ?? null, after[0], after[1], pageSize],
    );
    for (const r of rows) yield toStored(r);
    const last = rows.at(-1);
    if (!last || rows.length < pageSize) return;
    after = [last.stream, last.revision];
  }
}

export const toStored = (r: EventRow): StoredEvent => ({
  stream: r.stream,
  revision: r.revision,
  id: r.event_id,
  type: r.type,
  schemaVersion: r.schema_version,
  data: r.data,
  metadata: r.metadata,
  digest: r.digest,
  hash: r.hash,
  position: { tx: BigInt(r.tx), pos: BigInt(r.pos) },
});

async function lastPosition(client: pg.PoolClient, stream?: string): Promise<LogPosition | null> {
  const { rows } = await client.query<{ tx: string; pos: string }>(
    `SELECT transaction_id::text AS tx, global_position AS pos FROM events
      WHERE $1::text IS NULL OR stream = $1
      ORDER BY transaction_id DESC, global_position DESC LIMIT 1`,
    [stream ?? null],
  );
  const r = rows[0];
  return r ? { tx: BigInt(r.tx), pos: BigInt(r.pos) } : null;
}
