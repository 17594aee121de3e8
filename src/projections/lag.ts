// How far each projection is behind the head of the log (as EventStore.logEnd sees it on PostgreSQL): in events (the visible events after
// its checkpoint) and in seconds (the head's recorded_at minus that of the last event it applied, or of
// the log's first event when it applied none; 0 when caught up). What /metrics reports.
import type pg from 'pg';

export interface ProjectionLag {
  readonly name: string;
  readonly events: number;
  readonly seconds: number;
}

export async function projectionLag(
  db: pg.Pool | pg.PoolClient,
  names: readonly string[],
): Promise<ProjectionLag[]> {
  // One statement per scrape. The count walks the log's primary key from the checkpoint: cheap when
  // caught up, proportional to the lag otherwise.
  const { rows } = await db.query<{ name: string; events: string; seconds: number | null }>(
    `WITH horizon AS (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS xmin),
     head AS (
       SELECT e.recorded_at FROM events e, horizon h WHERE e.transaction_id < h.xmin
       ORDER BY e.transaction_id DESC, e.global_position DESC LIMIT 1),
     cp AS (
       SELECT n.name, COALESCE(c.tx, 0)::text::xid8 AS tx, COALESCE(c.pos, 0) AS pos
       FROM unnest($1::text[]) n(name) LEFT JOIN projection_checkpoints c ON c.name = n.name)
     SELECT cp.name,
       (SELECT count(*) FROM events e, horizon h
        WHERE (e.transaction_id, e.global_position) > (cp.tx, cp.pos) AND e.transaction_id < h.xmin) AS events,
       extract(epoch FROM (SELECT recorded_at FROM head) - COALESCE(
         (SELECT e.recorded_at FROM events e WHERE e.transaction_id = cp.tx AND e.global_position = cp.pos),
         (SELECT e.recorded_at FROM events e ORDER BY e.transaction_id, e.global_position LIMIT 1)))::float8
         AS seconds
     FROM cp`,
    [names],
  );
  return rows.map((r) => {
    const events = Number(r.events);
    return { name: r.name, events, seconds: events === 0 ? 0 : Math.max(0, r.seconds ?? 0) };
  });
}

/** Events in the PostgreSQL log as readers see it now: a rebuild's total for its progress bar. */
export async function logSize(db: pg.Pool | pg.PoolClient): Promise<number> {
  const { rows } = await db.query<{ n: string }>(
    `SELECT count(*) AS n FROM events WHERE transaction_id < pg_snapshot_xmin(pg_current_snapshot())`,
  );
  return Number(rows[0]?.n ?? 0);
}
