// Writes to the `alerts` table (migrations/007, 010) shared by its two writers: the alerts projection
// (per event, src/alerts/projection.ts) and the clock sweep (per date, src/alerts/sweep.ts). A row is
// one episode of a (project, rule, key); at most one is open. Both writers hold `lockAlerts` first, so
// their reads of the open rows and their writes never interleave.
import type pg from 'pg';
import type { IsoDate } from '../domain/dates.js';
import { alertKey } from './evaluate.js';
import type { AlertFinding } from './rules.js';

export interface OpenAlert {
  readonly project_id: string;
  readonly rule_id: string;
  readonly key: string;
  readonly episode: number;
  readonly since: string;
  readonly seen_revision: number;
  readonly seen_on: IsoDate;
}

/** Open alerts by project, then by `alertKey`; callers keep the maps in step with their writes. */
export type OpenAlerts = Map<string, Map<string, OpenAlert>>;

/** Where a write comes from: the business date, the project revision, and (per event) its time. */
export interface WriteContext {
  readonly on: IsoDate;
  readonly revision: number;
  /** updated_at: the event's recorded time for the projection (replays write the same rows); now() when absent. */
  readonly at?: string;
}

export type CloseReason = 'resolved by event' | 'clock';

const LOCK = 'tiendo:alerts';

/** Serialises every writer of `alerts` (across processes) until the transaction ends. */
export async function lockAlerts(tx: pg.PoolClient): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [LOCK]);
}

/** The open alerts of the given projects (of every project when `projectIds` is absent). */
export async function loadOpen(tx: pg.PoolClient, projectIds?: readonly string[]): Promise<OpenAlerts> {
  const { rows } = await tx.query<OpenAlert>(
    `SELECT project_id, rule_id, key, episode, to_char(since, 'YYYY-MM-DD') AS since, seen_revision,
            to_char(seen_on, 'YYYY-MM-DD') AS seen_on
     FROM alerts WHERE status = 'open' AND ($1::text[] IS NULL OR project_id = ANY($1))`,
    [projectIds ?? null],
  );
  const out: OpenAlerts = new Map();
  for (const r of rows) openOf(out, r.project_id).set(alertKey({ ruleId: r.rule_id, key: r.key }), r);
  return out;
}

export function openOf(all: OpenAlerts, projectId: string): Map<string, OpenAlert> {
  let m = all.get(projectId);
  if (!m) {
    m = new Map();
    all.set(projectId, m);
  }
  return m;
}

/**
 * Opens an alert. The same episode (same since) closed earlier by the clock — a date swept back and
 * forth — opens again in its row; otherwise a new episode is numbered after the last one.
 */
export async function openAlert(
  tx: pg.PoolClient,
  projectId: string,
  f: AlertFinding,
  ctx: WriteContext,
): Promise<OpenAlert> {
  const values = [projectId, f.ruleId, f.key, f.since, ...details(f, ctx)];
  const reopened = await tx.query<{ episode: number }>(
    `UPDATE alerts SET status = 'open', severity = $5, regime = $6, article = $7, seen_revision = $8,
       seen_on = $9, reason_vi = $10, reason_en = $11, updated_at = COALESCE($12::timestamptz, now()),
       opened_at = $9, closed_on = NULL, closed_reason = NULL, closed_by_event_id = NULL
     WHERE project_id = $1 AND rule_id = $2 AND key = $3 AND since = $4 AND closed_reason = 'clock'
     RETURNING episode`,
    values,
  );
  const episode =
    reopened.rows[0]?.episode ??
    (
      await tx.query<{ episode: number }>(
        `INSERT INTO alerts (project_id, rule_id, key, episode, since, status, severity, regime, article,
                             seen_revision, seen_on, reason_vi, reason_en, updated_at, opened_at)
         SELECT $1, $2, $3, COALESCE(max(episode), 0) + 1, $4, 'open', $5, $6, $7, $8, $9, $10, $11,
                COALESCE($12::timestamptz, now()), $9
         FROM alerts WHERE project_id = $1 AND rule_id = $2 AND key = $3
         RETURNING episode`,
        values,
      )
    ).rows[0]!.episode;
  return openRow(projectId, f, episode, ctx);
}

/** An alert that opened and closed between two looks (found only when the event resolving it came). */
export async function recordClosed(
  tx: pg.PoolClient,
  projectId: string,
  f: AlertFinding,
  ctx: WriteContext,
  eventId: string,
): Promise<void> {
  await tx.query(
    `INSERT INTO alerts (project_id, rule_id, key, episode, since, status, severity, regime, article,
                         seen_revision, seen_on, reason_vi, reason_en, updated_at, opened_at, closed_on,
                         closed_reason, closed_by_event_id)
     SELECT $1, $2, $3, COALESCE(max(episode), 0) + 1, $4, 'closed', $5, $6, $7, $8, $9, $10, $11,
            COALESCE($12::timestamptz, now()), $9, $9, 'resolved by event', $13
     FROM alerts WHERE project_id = $1 AND rule_id = $2 AND key = $3`,
    [projectId, f.ruleId, f.key, f.since, ...details(f, ctx), eventId],
  );
}

/** Still open: its since, severity, legal basis and reason follow the latest evaluation. */
export async function refreshAlert(
  tx: pg.PoolClient,
  row: OpenAlert,
  f: AlertFinding,
  ctx: WriteContext,
): Promise<OpenAlert> {
  await tx.query(
    `UPDATE alerts SET since = $5, severity = $6, regime = $7, article = $8, seen_revision = $9,
       seen_on = $10, reason_vi = $11, reason_en = $12, updated_at = COALESCE($13::timestamptz, now())
     WHERE project_id = $1 AND rule_id = $2 AND key = $3 AND episode = $4
       AND (since, severity, regime, article, seen_revision, seen_on, reason_vi, reason_en)
           IS DISTINCT FROM ($5::date, $6, $7, $8, $9::integer, $10::date, $11, $12)`,
    [row.project_id, row.rule_id, row.key, row.episode, f.since, ...details(f, ctx)],
  );
  return openRow(row.project_id, f, row.episode, ctx);
}

export async function closeAlert(
  tx: pg.PoolClient,
  row: OpenAlert,
  ctx: WriteContext,
  reason: CloseReason,
  eventId?: string,
): Promise<void> {
  await tx.query(
    `UPDATE alerts SET status = 'closed', closed_on = $5, closed_reason = $6, closed_by_event_id = $7,
       seen_revision = $8, updated_at = COALESCE($9::timestamptz, now())
     WHERE project_id = $1 AND rule_id = $2 AND key = $3 AND episode = $4`,
    [
      row.project_id,
      row.rule_id,
      row.key,
      row.episode,
      ctx.on,
      reason,
      eventId ?? null,
      ctx.revision,
      ctx.at,
    ],
  );
}

const details = (f: AlertFinding, ctx: WriteContext) => [
  f.severity,
  f.regime,
  f.article,
  ctx.revision,
  ctx.on,
  f.reason.vi,
  f.reason.en,
  ctx.at ?? null,
];

const openRow = (projectId: string, f: AlertFinding, episode: number, ctx: WriteContext): OpenAlert => ({
  project_id: projectId,
  rule_id: f.ruleId,
  key: f.key,
  episode,
  since: f.since,
  seen_revision: ctx.revision,
  seen_on: ctx.on,
});
