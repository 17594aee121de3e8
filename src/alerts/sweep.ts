// The alerts read model's writer: a clock sweep. `evaluateAlertsAt(pool, today)` evaluates every rule
// over every projected project's folded state (project_status.state) on the business date `today`
// and, against the open rows of the `alerts` table (migrations/007), opens what started holding and
// closes what stopped. It is idempotent: a second sweep on the same date and states changes nothing.
//
// Why a sweep and not a projection: most alerts open because time passes (a due date goes by), which
// no event marks; a sweep on a date catches both those and the ones an event resolved. An alert that
// closes is told apart by the project's revision: if the state changed since the alert was last seen
// open, it was 'resolved by event' (the project's latest event in audit_trail is named, an
// approximation when several events came between two sweeps); otherwise the clock closed it.
// The sweep reads project_status, so it sees events as of the projection runner.
import type pg from 'pg';
import type { IsoDate } from '../domain/dates.js';
import type { ExistingProject } from '../domain/project/state.js';
import { stateFromJson } from '../projections/state-json.js';
import { alertKey, evaluateAlerts, type RuleOverrides } from './evaluate.js';
import type { AlertFinding } from './rules.js';

export interface SweepReport {
  readonly today: IsoDate;
  readonly projects: number;
  readonly opened: number;
  readonly closed: number;
  /** Alerts open after the sweep. */
  readonly open: number;
}

interface OpenRow {
  project_id: string;
  rule_id: string;
  key: string;
  since: string;
  seen_revision: number;
}

/** Serialises sweeps across processes: two at once would open the same alert twice. */
const LOCK = 'tiendo:alerts-sweep';

export async function evaluateAlertsAt(
  pool: pg.Pool,
  today: IsoDate,
  overrides: RuleOverrides = {},
): Promise<SweepReport> {
  const tx = await pool.connect();
  try {
    await tx.query('BEGIN');
    try {
      await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [LOCK]);
      const report = await sweep(tx, today, overrides);
      await tx.query('COMMIT');
      return report;
    } catch (error) {
      await tx.query('ROLLBACK');
      throw error;
    }
  } finally {
    tx.release();
  }
}

async function sweep(tx: pg.PoolClient, today: IsoDate, overrides: RuleOverrides): Promise<SweepReport> {
  const projects = await tx.query<{ project_id: string; revision: number; state: unknown }>(
    'SELECT project_id, revision, state FROM project_status ORDER BY project_id',
  );
  const openRows = await tx.query<OpenRow>(
    `SELECT project_id, rule_id, key, to_char(since, 'YYYY-MM-DD') AS since, seen_revision
     FROM alerts WHERE status = 'open'`,
  );
  const openByProject = new Map<string, Map<string, OpenRow>>();
  for (const r of openRows.rows) {
    const m = openByProject.get(r.project_id) ?? new Map<string, OpenRow>();
    m.set(alertKey({ ruleId: r.rule_id, key: r.key }), r);
    openByProject.set(r.project_id, m);
  }
  let opened = 0;
  let closed = 0;
  let open = 0;
  const seen = new Set<string>();
  for (const p of projects.rows) {
    seen.add(p.project_id);
    const state = stateFromJson<ExistingProject>(p.state);
    const findings = evaluateAlerts(state, today, overrides);
    const before = openByProject.get(p.project_id) ?? new Map<string, OpenRow>();
    open += findings.length;
    for (const f of findings) {
      const row = before.get(alertKey(f));
      if (row) await refresh(tx, p.project_id, row, f, p.revision);
      else {
        await openAlert(tx, p.project_id, f, today, p.revision);
        opened++;
      }
    }
    const now = new Set(findings.map(alertKey));
    for (const [k, row] of before)
      if (!now.has(k)) {
        await closeAlert(tx, row, today, p.revision);
        closed++;
      }
  }
  // A project gone from project_status (a rebuild that no longer projects it): its alerts close.
  for (const [projectId, rows] of openByProject)
    if (!seen.has(projectId))
      for (const row of rows.values()) {
        await closeAlert(tx, row, today, row.seen_revision);
        closed++;
      }
  return { today, projects: projects.rows.length, opened, closed, open };
}

async function openAlert(
  tx: pg.PoolClient,
  projectId: string,
  f: AlertFinding,
  today: IsoDate,
  revision: number,
): Promise<void> {
  // The same episode (same since) closed earlier and holding again reopens its row.
  await tx.query(
    `INSERT INTO alerts (project_id, rule_id, key, since, status, severity, regime, article, opened_at,
                         seen_revision, reason_vi, reason_en)
     VALUES ($1, $2, $3, $4, 'open', $5, $6, $7, $8, $9, $10, $11)
     ON CONFLICT (project_id, rule_id, key, since) DO UPDATE SET
       status = 'open', severity = EXCLUDED.severity, regime = EXCLUDED.regime, article = EXCLUDED.article,
       opened_at = EXCLUDED.opened_at, closed_on = NULL, closed_reason = NULL, closed_by_event_id = NULL,
       seen_revision = EXCLUDED.seen_revision, reason_vi = EXCLUDED.reason_vi,
       reason_en = EXCLUDED.reason_en, updated_at = now()`,
    [
      projectId,
      f.ruleId,
      f.key,
      f.since,
      f.severity,
      f.regime,
      f.article,
      today,
      revision,
      f.reason.vi,
      f.reason.en,
    ],
  );
}

/** Still open: its since, severity, legal basis and reason follow the latest evaluation. */
async function refresh(
  tx: pg.PoolClient,
  projectId: string,
  row: OpenRow,
  f: AlertFinding,
  revision: number,
): Promise<void> {
  await tx.query(
    `UPDATE alerts SET since = $5, severity = $6, regime = $7, article = $8, seen_revision = $9,
       reason_vi = $10, reason_en = $11, updated_at = now()
     WHERE project_id = $1 AND rule_id = $2 AND key = $3 AND since = $4
       AND (since, severity, regime, article, seen_revision, reason_vi, reason_en)
           IS DISTINCT FROM ($5::date, $6, $7, $8, $9::integer, $10, $11)`,
    [
      projectId,
      row.rule_id,
      row.key,
      row.since,
      f.since,
      f.severity,
      f.regime,
      f.article,
      revision,
      f.reason.vi,
      f.reason.en,
    ],
  );
}

async function closeAlert(tx: pg.PoolClient, row: OpenRow, today: IsoDate, revision: number): Promise<void> {
  const byEvent = revision > row.seen_revision;
  const event = byEvent
    ? (
        await tx.query<{ event_id: string; effective_at: string }>(
          `SELECT event_id, to_char(effective_at, 'YYYY-MM-DD') AS effective_at FROM audit_trail
           WHERE project_id = $1 AND revision > $2 ORDER BY revision DESC LIMIT 1`,
          [row.project_id, row.seen_revision],
        )
      ).rows[0]
    : undefined;
  await tx.query(
    `UPDATE alerts SET status = 'closed', closed_on = $5, closed_reason = $6, closed_by_event_id = $7,
       seen_revision = $8, updated_at = now()
     WHERE project_id = $1 AND rule_id = $2 AND key = $3 AND since = $4`,
    [
      row.project_id,
      row.rule_id,
      row.key,
      row.since,
      event && event.effective_at < today ? event.effective_at : today,
      byEvent ? 'resolved by event' : 'clock',
      event?.event_id ?? null,
      revision,
    ],
  );
}
