// The baseline: what this PostgreSQL does with plain INSERTs of the same payloads, no event store in
// between. Each client is its own connection; single-row INSERTs are each their own transaction.
import { createHash } from 'node:crypto';
import pg from 'pg';
import { newIdFactory } from '../src/commands/ids.js';
import { type PhaseOptions, type PhaseResult, timedPhase } from './timing.js';

const TABLE = `CREATE TABLE IF NOT EXISTS bench_raw (
  id         bigserial   PRIMARY KEY,
  stream     text        NOT NULL,
  payload    jsonb       NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
)`;

export interface RawOptions {
  readonly url: string;
  /** The JSON text inserted as each row's payload. */
  readonly payload: string;
}

async function clients(url: string, n: number): Promise<pg.Client[]> {
  return Promise.all(
    Array.from({ length: n }, async () => {
      const c = new pg.Client({ connectionString: url });
      c.on('error', () => {});
      await c.connect();
      return c;
    }),
  );
}

export async function prepareRaw(url: string): Promise<void> {
  const [c] = await clients(url, 1);
  try {
    await c!.query(TABLE);
  } finally {
    await c!.end();
  }
}

/** One row per INSERT, autocommit: one transaction (and one WAL flush) per row. */
export async function rawSingleRow(o: RawOptions, phase: PhaseOptions): Promise<PhaseResult> {
  const cs = await clients(o.url, phase.workers);
  try {
    return await timedPhase(phase, async (w, i) => {
      await cs[w]!.query({
        name: 'bench_raw_one',
        text: 'INSERT INTO bench_raw (stream, payload) VALUES ($1, $2)',
        values: [`raw-${w}_${i % 1000}`, o.payload],
      });
      return 1;
    });
  } finally {
    await Promise.all(cs.map((c) => c.end()));
  }
}

/** `batch` rows per INSERT statement (one transaction each). */
export async function rawMultiRow(o: RawOptions, phase: PhaseOptions, batch = 100): Promise<PhaseResult> {
  const cs = await clients(o.url, phase.workers);
  const payloads = Array.from({ length: batch }, () => o.payload);
  try {
    return await timedPhase(phase, async (w, i) => {
      await cs[w]!.query({
        name: `bench_raw_${batch}`,
        text: 'INSERT INTO bench_raw (stream, payload) SELECT * FROM unnest($1::text[], $2::jsonb[])',
        values: [Array.from({ length: batch }, (_, k) => `raw-${w}_${(i * batch + k) % 1000}`), payloads],
      });
      return batch;
    });
  } finally {
    await Promise.all(cs.map((c) => c.end()));
  }
}

/**
 * Single-row INSERTs into a copy of tiendo's events table (same columns, defaults, generated column
 * and indexes), no function around them: what the table's shape costs before any event-store logic.
 */
export async function eventsTableRow(
  o: RawOptions,
  phase: PhaseOptions,
  event: EventPayload,
): Promise<PhaseResult> {
  const cs = await clients(o.url, phase.workers);
  await cs[0]!.query('CREATE TABLE IF NOT EXISTS bench_events (LIKE events INCLUDING ALL)');
  const newId = newIdFactory();
  const digest = createHash('sha256').update(o.payload).digest();
  try {
    return await timedPhase(phase, async (w, i) => {
      await cs[w]!.query({
        name: 'bench_events_one',
        text: `INSERT INTO bench_events (event_id, stream, revision, type, schema_version, data, metadata, digest, hash)
               VALUES ($1, $2, $3, $4, 1, $5, $6, $7, $7)`,
        values: [newId(), `bench-w${w}`, i, event.type, event.data, event.metadata, digest],
      });
      return 1;
    });
  } finally {
    await Promise.all(cs.map((c) => c.end()));
  }
}

export interface EventPayload {
  readonly type: string;
  readonly data: unknown;
  readonly metadata: unknown;
}
