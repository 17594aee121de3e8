// Writes to the `alerts` table (migrations/007, 010) shared by its two writers: the alerts projection
// (per event, src/alerts/projection.ts) and the clock sweep (per date, src/alerts/sweep.ts). A row is
// one episode of a (project, rule, key); at most one is open. Both writers hold `lockAlerts` first, so
// their reads of the open rows and their writes never interleave.
// A writer loads an AlertBook for the projects it touches (one query), opens, refreshes and closes
// alerts in it in order, in memory, and flushes the rows it changed with one statement: what each
// write would have left in the table, however many writes a row took.
import type pg from 'pg';
import type { IsoDate } from '../domain/dates.js';
import { alertKey } from './evaluate.js';
import type { AlertFinding, Bilingual } from './rules.js';

/** One row of `alerts`, dates as YYYY-MM-DD; updated_at null stands for the transaction's now(). */
export interface AlertRow {
  readonly project_id: string;
  readonly rule_id: string;
  readonly key: string;
  readonly episode: number;
  since: string;
  status: 'open' | 'closed';
  severity: string;
  regime: string;
  article: string;
  opened_at: string;
  closed_on: string | null;
  closed_reason: CloseReason | null;
  closed_by_event_id: string | null;
  seen_revision: number;
  seen_on: IsoDate;
  /** reason_vi and reason_en: a finding's, said only when the row is written (rules.ts, Finding). */
  said: { readonly reason: Bilingual };
  updated_at: string | null;
}

/** A row as the table holds it. */
type StoredRow = Omit<AlertRow, 'said'> & { reason_vi: string; reason_en: string };

/** An open alert as its writers read it. */
export type OpenAlert = Readonly<AlertRow>;

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

/** Per (project, rule, key): the last episode number, and the episodes the clock closed (by since). */
interface Episodes {
  last: number;
  readonly clock: Map<number, string>;
}

const COLUMNS = `project_id, rule_id, key, episode, to_char(since, 'YYYY-MM-DD') AS since, status, severity,
  regime, article, to_char(opened_at, 'YYYY-MM-DD') AS opened_at, to_char(closed_on, 'YYYY-MM-DD') AS closed_on,
  closed_reason, closed_by_event_id, seen_revision, to_char(seen_on, 'YYYY-MM-DD') AS seen_on, reason_vi,
  reason_en, NULL AS updated_at`;

/** The alerts of some projects, changed in memory and written back by flush(). */
export class AlertBook {
  private readonly open = new Map<string, Map<string, AlertRow>>();
  private readonly episodes = new Map<string, Episodes>();
  private readonly changed = new Map<string, AlertRow>();
  /** The row objects in `changed` (one that a later row of the same episode replaced stays here). */
  private readonly written = new Set<AlertRow>();

  /** The open alerts of the given projects (of every project when `projectIds` is null). */
  static async load(tx: pg.PoolClient, projectIds: readonly string[] | null): Promise<AlertBook> {
    const book = new AlertBook();
    if (projectIds?.length === 0) return book;
    // Open rows, rows the clock closed, and each key's last episode.
    const { rows } = await tx.query<StoredRow & { last: number }>(
      `SELECT * FROM (
         SELECT ${COLUMNS}, max(episode) OVER (PARTITION BY project_id, rule_id, key) AS last FROM alerts
         WHERE $1::text[] IS NULL OR project_id = ANY($1)) a
       WHERE status = 'open' OR closed_reason = 'clock' OR episode = last`,
      [projectIds],
    );
    for (const { last, reason_vi, reason_en, ...stored } of rows) {
      const r: AlertRow = { ...stored, said: { reason: { vi: reason_vi, en: reason_en } } };
      const e = book.episodesOf(r.project_id, r.rule_id, r.key);
      e.last = last;
      if (r.status === 'open') book.openMap(r.project_id).set(alertKey({ ruleId: r.rule_id, key: r.key }), r);
      else if (r.closed_reason === 'clock') e.clock.set(r.episode, r.since);
    }
    return book;
  }

  /** Open alerts of a project by `alertKey`; change them only through this book. */
  openOf(projectId: string): ReadonlyMap<string, OpenAlert> {
    return this.openMap(projectId);
  }

  /** Projects with open alerts. */
  projects(): IterableIterator<string> {
    return this.open.keys();
  }

  /**
   * Opens an alert. The same episode (same since) closed earlier by the clock — a date swept back and
   * forth — opens again in its row; otherwise a new episode is numbered after the last one.
   */
  openAlert(projectId: string, f: AlertFinding, ctx: WriteContext): void {
    const e = this.episodesOf(projectId, f.ruleId, f.key);
    const clocked = e.clock.size === 0 ? [] : [...e.clock].filter(([, since]) => since === f.since);
    // Two such rows would both open again, which the one-open-row index refuses.
    if (clocked.length > 1)
      throw new Error(
        `alerts: ${projectId} ${alertKey(f)} has several clock-closed episodes since ${f.since}`,
      );
    const reopened = clocked[0]?.[0];
    if (reopened !== undefined) e.clock.delete(reopened);
    else e.last += 1;
    const row: AlertRow = {
      project_id: projectId,
      rule_id: f.ruleId,
      key: f.key,
      episode: reopened ?? e.last,
      since: f.since,
      status: 'open',
      ...details(f, ctx),
      opened_at: ctx.on,
      closed_on: null,
      closed_reason: null,
      closed_by_event_id: null,
    };
    this.openMap(projectId).set(alertKey(f), row);
    this.write(row);
  }

  /** Still open: its since, severity, legal basis and reason follow the latest evaluation. */
  refreshAlert(row: OpenAlert, f: AlertFinding, ctx: WriteContext): void {
    const r = this.own(row);
    if (
      r.since === f.since &&
      r.severity === f.severity &&
      r.regime === f.regime &&
      r.article === f.article &&
      r.seen_revision === ctx.revision &&
      r.seen_on === ctx.on &&
      r.said.reason.vi === f.reason.vi &&
      r.said.reason.en === f.reason.en
    )
      return;
    // Field by field: an alert is refreshed at every event of its project.
    r.since = f.since;
    r.severity = f.severity;
    r.regime = f.regime;
    r.article = f.article;
    r.seen_revision = ctx.revision;
    r.seen_on = ctx.on;
    r.said = f;
    r.updated_at = ctx.at ?? null;
    this.write(r);
  }

  closeAlert(row: OpenAlert, ctx: WriteContext, reason: CloseReason, eventId?: string): void {
    const r = this.own(row);
    Object.assign(r, {
      status: 'closed',
      closed_on: ctx.on,
      closed_reason: reason,
      closed_by_event_id: eventId ?? null,
      seen_revision: ctx.revision,
      updated_at: ctx.at ?? null,
    });
    this.openMap(r.project_id).delete(alertKey({ ruleId: r.rule_id, key: r.key }));
    if (reason === 'clock') this.episodesOf(r.project_id, r.rule_id, r.key).clock.set(r.episode, r.since);
    this.write(r);
  }

  /** An alert that opened and closed between two looks (found only when the event resolving it came). */
  recordClosed(projectId: string, f: AlertFinding, ctx: WriteContext, eventId: string): void {
    const e = this.episodesOf(projectId, f.ruleId, f.key);
    e.last += 1;
    this.write({
      project_id: projectId,
      rule_id: f.ruleId,
      key: f.key,
      episode: e.last,
      since: f.since,
      status: 'closed',
      ...details(f, ctx),
      opened_at: ctx.on,
      closed_on: ctx.on,
      closed_reason: 'resolved by event',
      closed_by_event_id: eventId,
    });
  }

  /**
   * Writes the rows changed since the load, in one statement. Closed rows go first (rows are inserted
   * in the order given): the one open row of a key may be new while the row open before closes in the
   * same flush, and the one-open-row index is checked row by row.
   */
  async flush(tx: pg.PoolClient): Promise<void> {
    if (this.changed.size === 0) return;
    const rows = [...this.changed.values()]
      .sort((a, b) => (a.status === b.status ? 0 : a.status === 'closed' ? -1 : 1))
      .map(stored);
    this.changed.clear();
    this.written.clear();
    await tx.query(
      `INSERT INTO alerts (project_id, rule_id, key, episode, since, status, severity, regime, article,
                           opened_at, closed_on, closed_reason, closed_by_event_id, seen_revision, seen_on,
                           reason_vi, reason_en, updated_at)
       SELECT project_id, rule_id, key, episode, since, status, severity, regime, article, opened_at, closed_on,
              closed_reason, closed_by_event_id, seen_revision, seen_on, reason_vi, reason_en,
              COALESCE(updated_at, now())
       FROM json_to_recordset($1::json) AS r(project_id text, rule_id text, key text, episode integer,
              since date, status text, severity text, regime text, article text, opened_at date,
              closed_on date, closed_reason text, closed_by_event_id text, seen_revision integer,
              seen_on date, reason_vi text, reason_en text, updated_at timestamptz)
       ON CONFLICT (project_id, rule_id, key, episode) DO UPDATE SET
         since = EXCLUDED.since, status = EXCLUDED.status, severity = EXCLUDED.severity,
         regime = EXCLUDED.regime, article = EXCLUDED.article, opened_at = EXCLUDED.opened_at,
         closed_on = EXCLUDED.closed_on, closed_reason = EXCLUDED.closed_reason,
         closed_by_event_id = EXCLUDED.closed_by_event_id, seen_revision = EXCLUDED.seen_revision,
         seen_on = EXCLUDED.seen_on, reason_vi = EXCLUDED.reason_vi, reason_en = EXCLUDED.reason_en,
         updated_at = EXCLUDED.updated_at`,
      [JSON.stringify(rows)],
    );
  }

  private write(row: AlertRow): void {
    if (this.written.has(row)) return; // its place in `changed` is kept, as a set again would
    this.written.add(row);
    this.changed.set(`${row.project_id}\u0000${row.rule_id}\u0000${row.key}\u0000${row.episode}`, row);
  }

  /** The book's own row for an open alert read from it. */
  private own(row: OpenAlert): AlertRow {
    const r = this.open.get(row.project_id)?.get(alertKey({ ruleId: row.rule_id, key: row.key }));
    if (r !== row)
      throw new Error(`alerts: ${row.project_id} ${row.rule_id}/${row.key} is not open in this book`);
    return r;
  }

  private openMap(projectId: string): Map<string, AlertRow> {
    let m = this.open.get(projectId);
    if (!m) {
      m = new Map();
      this.open.set(projectId, m);
    }
    return m;
  }

  private episodesOf(projectId: string, ruleId: string, key: string): Episodes {
    const k = `${projectId}\u0000${ruleId}\u0000${key}`;
    let e = this.episodes.get(k);
    if (!e) {
      e = { last: 0, clock: new Map() };
      this.episodes.set(k, e);
    }
    return e;
  }
}

const details = (f: AlertFinding, ctx: WriteContext) => ({
  severity: f.severity,
  regime: f.regime,
  article: f.article,
  seen_revision: ctx.revision,
  seen_on: ctx.on,
  said: f,
  updated_at: ctx.at ?? null,
});

/** The row with its reason said, as the statement writes it (JSON keeps the key order). */
function stored(r: AlertRow): StoredRow {
  return {
    project_id: r.project_id,
    rule_id: r.rule_id,
    key: r.key,
    episode: r.episode,
    since: r.since,
    status: r.status,
    severity: r.severity,
    regime: r.regime,
    article: r.article,
    opened_at: r.opened_at,
    closed_on: r.closed_on,
    closed_reason: r.closed_reason,
    closed_by_event_id: r.closed_by_event_id,
    seen_revision: r.seen_revision,
    seen_on: r.seen_on,
    reason_vi: r.said.reason.vi,
    reason_en: r.said.reason.en,
    updated_at: r.updated_at,
  };
}
