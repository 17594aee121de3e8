// Test support: streams appended through the real PostgreSQL store, and the ways someone with write
// access to the database could tamper with their rows afterwards (plain SQL, as an attacker would).
import type pg from 'pg';
import { chainHash, contentDigest, GENESIS_HASH } from '../../src/store/hash.js';
import type { NewEvent } from '../../src/store/port.js';
import { PostgresEventStore } from '../../src/store/postgres.js';

export const event = (stream: string, n: number): NewEvent => ({
  id: `${stream}.e${n}`,
  type: 'ProgressReported',
  schemaVersion: 1,
  data: { n, physicalPercent: 10 * n, note: `báo cáo ${n}` },
  metadata: { actor: { userId: 'u1' }, effectiveAt: '2022-03-01' },
});

/** Appends `count` events to `stream` through the store, one append each, and returns their hashes. */
export async function appendEvents(pool: pg.Pool, stream: string, count: number): Promise<string[]> {
  const store = new PostgresEventStore(pool);
  try {
    const hashes: string[] = [];
    for (let n = 0; n < count; n++) {
      const r = await store.append(stream, [event(stream, n)], {
        expectedRevision: n - 1 < 0 ? 'no_stream' : n - 1,
      });
      hashes.push(...r.events.map((e) => e.hash));
    }
    return hashes;
  } finally {
    await store.close();
  }
}

export const tamper = {
  editData: (pool: pg.Pool, stream: string, revision: number) =>
    pool.query(
      `UPDATE events SET data = data || '{"physicalPercent": 95}' WHERE stream = $1 AND revision = $2`,
      [stream, revision],
    ),
  delete: (pool: pg.Pool, stream: string, revision: number) =>
    pool.query('DELETE FROM events WHERE stream = $1 AND revision = $2', [stream, revision]),
  /** Renumbers revisions ≥ `revision` up by one (through a free range: (stream, revision) is unique). */
  shiftUp: async (pool: pg.Pool, stream: string, revision: number) => {
    await pool.query('UPDATE events SET revision = revision + 100000 WHERE stream = $1 AND revision >= $2', [
      stream,
      revision,
    ]);
    await pool.query(
      'UPDATE events SET revision = revision - 99999 WHERE stream = $1 AND revision >= 100000',
      [stream],
    );
  },
  /** Inserts a forged event computed the way the store would, chained after `previousHash`. */
  insert: async (
    pool: pg.Pool,
    stream: string,
    revision: number,
    previousHash: string,
    id = `${stream}.forged`,
  ) => {
    const forged = { ...event(stream, 99), id };
    const digest = contentDigest(stream, forged);
    await pool.query(
      `INSERT INTO events (event_id, stream, revision, type, schema_version, data, metadata, digest, hash)
       VALUES ($1, $2, $3, $4, 1, $5, $6, decode($7, 'hex'), decode($8, 'hex'))`,
      [
        id,
        stream,
        revision,
        forged.type,
        forged.data,
        forged.metadata,
        digest,
        chainHash(previousHash, digest),
      ],
    );
    return id;
  },
  swap: async (pool: pg.Pool, stream: string, a: number, b: number) => {
    const set = 'UPDATE events SET revision = $3 WHERE stream = $1 AND revision = $2';
    await pool.query(set, [stream, a, 100000]);
    await pool.query(set, [stream, b, a]);
    await pool.query(set, [stream, 100000, b]);
  },
};

/**
 * The thorough forger: after changing rows, recomputes every digest and hash of the stream and its
 * head, so that the stored chain verifies again. Only a checkpoint taken before shows the change.
 */
export async function rechain(pool: pg.Pool, stream: string): Promise<void> {
  const { rows } = await pool.query(
    'SELECT event_id AS id, type, schema_version AS "schemaVersion", data, metadata, revision FROM events WHERE stream = $1 ORDER BY revision',
    [stream],
  );
  let previous = GENESIS_HASH;
  for (const row of rows) {
    const digest = contentDigest(stream, row);
    previous = chainHash(previous, digest);
    await pool.query(
      `UPDATE events SET digest = decode($3, 'hex'), hash = decode($4, 'hex') WHERE stream = $1 AND revision = $2`,
      [stream, row.revision, digest, previous],
    );
  }
  await pool.query(`UPDATE streams SET last_revision = $2, last_hash = decode($3, 'hex') WHERE stream = $1`, [
    stream,
    rows.length - 1,
    previous,
  ]);
}
