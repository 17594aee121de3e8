// The clock sweep of the alerts read model: `evaluateAlertsAt(pool, today)` evaluates every rule over
// every project's folded state (alert_project_state, the alerts projection's own fold, with its capital
// context from alert_project_capital) on the business date `today` and, against the open rows of
// `alerts`, opens what started holding because time passed,
// refreshes what still holds (its reason's "N days late" follows the date) and closes what no longer
// holds on that date ('clock': a date set back as a what-if, or a window that ended). Alerts an event
// opens or resolves are the alerts projection's (projection.ts), which sees the same states: a close
// here is never an event's. Idempotent: sweeping the same date over the same states changes nothing.
import type pg from 'pg';
import type { IsoDate } from '../domain/dates.js';
import type { ExistingProject, ProjectState } from '../domain/project/state.js';
import { stateFromJson } from '../projections/state-json.js';
import { loadCapitalBook } from './capital-book.js';
import { contextOf } from './capital-context.js';
import { alertKey, evaluateAlerts, type RuleOverrides } from './evaluate.js';
import type { AlertContext } from './rule-kit.js';
import { ALERT_RULES } from './rules.js';
import { AlertBook, lockAlerts, type WriteContext } from './table.js';

export interface SweepReport {
  readonly today: IsoDate;
  readonly projects: number;
  readonly opened: number;
  readonly closed: number;
  /** Alerts open after the sweep. */
  readonly open: number;
}

export async function evaluateAlertsAt(
  pool: pg.Pool,
  today: IsoDate,
  overrides: RuleOverrides = {},
): Promise<SweepReport> {
  const tx = await pool.connect();
  try {
    await tx.query('BEGIN');
    try {
      await lockAlerts(tx);
      const report = await sweepAlerts(tx, today, overrides);
      await tx.query(
        `INSERT INTO alert_sweeps (swept_on) VALUES ($1)
         ON CONFLICT (one) DO UPDATE SET swept_on = EXCLUDED.swept_on, swept_at = now()`,
        [today],
      );
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

/**
 * The date of the last sweep evaluateAlertsAt committed, or null when alerts were never swept. The
 * alerts projection sweeps a rebuild to it before the rebuilt rows replace the live ones.
 */
export async function lastSweptOn(tx: pg.PoolClient): Promise<IsoDate | null> {
  const { rows } = await tx.query<{ on: IsoDate }>(
    `SELECT to_char(swept_on, 'YYYY-MM-DD') AS on FROM alert_sweeps`,
  );
  return rows[0]?.on ?? null;
}

/**
 * A rebuild by stream sweeps each project to the last sweep's date as it ends (rebuild.ts), and says
 * so in a table of the rebuild's own schema, first on its search path: the swap then need not sweep
 * the rebuilt tables to that date again. A rebuild from the log in order has no such table.
 */
const REBUILD_SWEPT = 'alert_rebuild_swept';

export async function recordRebuildSwept(tx: pg.PoolClient, on: IsoDate): Promise<void> {
  await tx.query(`CREATE TABLE ${REBUILD_SWEPT} (swept_on date NOT NULL)`);
  await tx.query(`INSERT INTO ${REBUILD_SWEPT} (swept_on) VALUES ($1)`, [on]);
}

/** The date the rebuilt tables on the search path were swept to as they were filled, if they were. */
export async function rebuildSweptOn(tx: pg.PoolClient): Promise<IsoDate | null> {
  const found = await tx.query<{ found: boolean }>('SELECT to_regclass($1) IS NOT NULL AS found', [
    REBUILD_SWEPT,
  ]);
  if (!found.rows[0]?.found) return null;
  const { rows } = await tx.query<{ on: IsoDate }>(
    `SELECT to_char(swept_on, 'YYYY-MM-DD') AS on FROM ${REBUILD_SWEPT}`,
  );
  return rows[0]?.on ?? null;
}

/** One sweep in the caller's transaction, which holds lockAlerts; the date is not recorded. */
export async function sweepAlerts(
  tx: pg.PoolClient,
  today: IsoDate,
  overrides: RuleOverrides,
): Promise<SweepReport> {
  const projects = await tx.query<{ project_id: string; revision: number; state: unknown }>(
    'SELECT project_id, revision, state FROM alert_project_state ORDER BY project_id',
  );
  const alerts = await AlertBook.load(tx, null);
  const book = await loadCapitalBook(tx, null, []);
  let opened = 0;
  let closed = 0;
  let open = 0;
  const seen = new Set<string>();
  for (const p of projects.rows) {
    seen.add(p.project_id);
    const context = contextOf(book.capital.get(p.project_id), book.plans);
    const state = stateFromJson<ProjectState>(p.state);
    const swept = sweepProject(
      alerts,
      p.project_id,
      state,
      context,
      { on: today, revision: p.revision },
      overrides,
    );
    opened += swept.opened;
    closed += swept.closed;
    open += swept.open;
  }
  // A project no longer folded (a rebuild that no longer projects it): its alerts close.
  for (const projectId of [...alerts.projects()])
    if (!seen.has(projectId))
      for (const row of [...alerts.openOf(projectId).values()]) {
        alerts.closeAlert(row, { on: today, revision: row.seen_revision }, 'clock');
        closed++;
      }
  await alerts.flush(tx);
  return { today, projects: projects.rows.length, opened, closed, open };
}

/**
 * One project's part of a sweep, in `alerts` (which holds its open rows): every rule over its folded
 * state and capital context on `ctx.on`; opens what holds and is not open, refreshes what is, and
 * closes ('clock') what no longer holds. The rebuild by stream sweeps each project so as it ends.
 */
export function sweepProject(
  alerts: AlertBook,
  projectId: string,
  state: ProjectState,
  context: AlertContext,
  ctx: WriteContext,
  overrides: RuleOverrides,
): { opened: number; closed: number; open: number } {
  let opened = 0;
  let closed = 0;
  const findings = evaluateAlerts(state as ExistingProject, ctx.on, overrides, ALERT_RULES, context);
  const before = alerts.openOf(projectId);
  for (const f of findings) {
    const row = before.get(alertKey(f));
    if (row) alerts.refreshAlert(row, f, ctx);
    else {
      alerts.openAlert(projectId, f, ctx);
      opened++;
    }
  }
  const now = new Set(findings.map(alertKey));
  for (const [k, row] of before)
    if (!now.has(k)) {
      alerts.closeAlert(row, ctx, 'clock');
      closed++;
    }
  return { opened, closed, open: findings.length };
}
