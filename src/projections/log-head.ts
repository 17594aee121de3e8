// Where the PostgreSQL event log ends now, as readers see it: the last event of a transaction older
// than every running one (the same visibility rule as readAll, postgres-sql.ts). A live feed that
// subscribes after it sees every later event once; the projection lag is measured against it.
import type pg from 'pg';
import { LOG_START, type LogPosition } from '../store/port.js';

export interface LogHead extends LogPosition {
  /** recorded_at of the head event; null for an empty log. */
  readonly recordedAt: Date | null;
}

export async function logHead(db: pg.Pool | pg.PoolClient): Promise<LogHead> {
  const { rows } = await db.query<{ tx: string; pos: string; recorded_at: Date }>(
    `SELECT transaction_id::text AS tx, global_position::text AS pos, recorded_at FROM events
     WHERE transaction_id < pg_snapshot_xmin(pg_current_snapshot())
     ORDER BY transaction_id DESC, global_position DESC LIMIT 1`,
  );
  const r = rows[0];
  return r
    ? { tx: BigInt(r.tx), pos: BigInt(r.pos), recordedAt: r.recorded_at }
    : { ...LOG_START, recordedAt: null };
}
