// Writes to the `alerts` table (migrations/007, 010) shared by its two writers: the alerts projection
// (per event, src/alerts/projection.ts) and the clock sweep (per date, src/alerts/sweep.ts). A row is
// one episode of a (project, rule, key); at most one is open. Both writers hold `lockAlerts` first, so
// their reads of the open rows and their writes never interleave.
// A writer loads an AlertBook for the projects it touches (one query), opens, refreshes and closes
// alerts in it in order, in memory, and flushes the rows it changed with one statement: what each
// write would have left in the table, however many writes a row took.
// A rebuild's memo (memo.ts) holds each project's alerts between batches instead (a Shelf): the next
// batch starts from copies of them, and each row is written once, by COPY, when the memo flushes.
import type pg from 'pg';
import type { IsoDate } from '../domain/dates.js';
import { copyRows } from '../projections/copy-rows.js';
import type { Memo } from '../projections/memo.js';
import { sendInSlices } from '../projections/slices.js';
import { alertKey } from './evaluate.js';
import type { AlertFinding, Bilingual } from './rules.js';

/** One row of `alerts`, dates as YYYY-MM-DD; updated_at as stored, or null for the writing transaction's now(). */
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
  /**
   * reason_vi and reason_en: a finding's, said on seen_on (the day it was last judged to hold) only
   * when the row is written (rules.ts, Finding).
   */
  said: Said;
  updated_at: string | null;
}

/** What says a row's reason on a date. */
type Said = Pick<AlertFinding, 'reasonOn'>;

/** A reason already said (read from the table, or kept once said). */
const saidAs = (reason: Bilingual): Said => ({ reasonOn: () => reason });

/** A row as the table holds it. */
export type StoredRow = Omit<AlertRow, 'said'> & { reason_vi: string; reason_en: string };

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

/** Rows closed in a rebuild's batches, the last batch's first: final, each written once. */
interface ClosedRows {
  readonly rows: readonly AlertRow[];
  readonly earlier: ClosedRows | undefined;
}

/**
 * One project's alerts as a rebuild's memo holds them between batches, never changed once held: a
 * batch works on copies, so one that fails leaves them as they were.
 */
interface Shelf {
  /** Open rows by alertKey. */
  readonly open: ReadonlyMap<string, AlertRow>;
  /** Episodes by rule id and key. */
  readonly episodes: ReadonlyMap<string, Episodes>;
  readonly closed: ClosedRows | undefined;
}

/** The memo's space for shelves. */
const SHELVES = 'alerts#shelf';

const COLUMNS = `project_id, rule_id, key, episode, to_char(since, 'YYYY-MM-DD') AS since, status, severity,
  regime, article, to_char(opened_at, 'YYYY-MM-DD') AS opened_at, to_char(closed_on, 'YYYY-MM-DD') AS closed_on,
  closed_reason, closed_by_event_id, seen_revision, to_char(seen_on, 'YYYY-MM-DD') AS seen_on, reason_vi,
  reason_en, updated_at::text AS updated_at`;

/** The alerts of some projects, changed in memory and written back by flush(). */
export class AlertBook {
  private readonly open = new Map<string, Map<string, AlertRow>>();
  /** By project, then by rule id and key. */
  private readonly episodes = new Map<string, Map<string, Episodes>>();
  private readonly changed = new Map<string, AlertRow>();
  /** The row objects in `changed` (one that a later row of the same episode replaced stays here). */
  private readonly written = new Set<AlertRow>();
  /** The rows closed by earlier batches, of the projects taken from a rebuild's shelves. */
  private readonly closedBefore = new Map<string, ClosedRows | undefined>();

  /**
   * The open alerts of the given projects (of every project when `projectIds` is null): those a
   * rebuild's memo (`held`) holds from it, the others read.
   */
  static async load(
    tx: pg.PoolClient,
    projectIds: readonly string[] | null,
    held?: Memo,
  ): Promise<AlertBook> {
    const book = new AlertBook();
    let unknown = projectIds;
    if (held?.defers && projectIds) {
      const notHeld: string[] = [];
      for (const id of projectIds) {
        const shelf = held.get<Shelf>(SHELVES, id);
        if (shelf) book.takeShelf(id, shelf);
        else notHeld.push(id);
      }
      unknown = notHeld;
    }
    if (unknown?.length === 0) return book;
    // Open rows, rows the clock closed, and each key's last episode.
    const { rows } = await tx.query<StoredRow & { last: number }>(
      `SELECT * FROM (
         SELECT ${COLUMNS}, max(episode) OVER (PARTITION BY project_id, rule_id, key) AS last FROM alerts
         WHERE $1::text[] IS NULL OR project_id = ANY($1)) a
       WHERE status = 'open' OR closed_reason = 'clock' OR episode = last`,
      [unknown],
    );
    for (const { last, reason_vi, reason_en, ...stored } of rows) {
      const r: AlertRow = { ...stored, said: saidAs({ vi: reason_vi, en: reason_en }) };
      const e = book.episodesOf(r.project_id, r.rule_id, r.key);
      e.last = last;
      if (r.status === 'open') book.openMap(r.project_id).set(alertKey({ ruleId: r.rule_id, key: r.key }), r);
      else if (r.closed_reason === 'clock') e.clock.set(r.episode, r.since);
    }
    return book;
  }

  /** A book with no alerts: the start of a rebuild that writes each project's rows once it is done. */
  static empty(): AlertBook {
    return new AlertBook();
  }

  /**
   * The rows written since the last call, each with its reason said, the book emptied: for a caller
   * done with every project in it (they have no later events).
   */
  drain(): StoredRow[] {
    const rows = [...this.changed.values()].map(stored);
    this.changed.clear();
    this.written.clear();
    this.open.clear();
    this.episodes.clear();
    return rows;
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

  /**
   * Still open: its since, severity, legal basis and reason follow the latest evaluation. `key` is
   * the finding's alertKey, if the caller has it made.
   */
  refreshAlert(row: OpenAlert, f: AlertFinding, ctx: WriteContext, key = alertKey(f)): void {
    const r = this.own(row, key);
    if (
      r.since === f.since &&
      r.severity === f.severity &&
      r.regime === f.regime &&
      r.article === f.article &&
      r.seen_revision === ctx.revision &&
      r.seen_on === ctx.on &&
      (r.said === f || sameReason(r.said, f, ctx.on))
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
   * Writes the rows changed since the load (upsertRows). Given a rebuild's memo, holds each project's
   * alerts in it instead, for the memo to write (writeShelves) when it flushes.
   */
  async flush(tx: pg.PoolClient, held?: Memo): Promise<void> {
    if (this.changed.size === 0) return;
    const rows = [...this.changed.values()];
    this.changed.clear();
    this.written.clear();
    if (!held?.defers) return upsertRows(tx, rows);
    // Each project the batch wrote for is held as it is now: this book changes none of it after.
    const closed = new Map<string, AlertRow[]>();
    for (const r of rows) {
      let now = closed.get(r.project_id);
      if (!now) {
        now = [];
        closed.set(r.project_id, now);
      }
      if (r.status !== 'closed') continue;
      r.said = saidAs(r.said.reasonOn(r.seen_on)); // said now: its finding (and the state it read) go
      now.push(r);
    }
    for (const [id, now] of closed) {
      const earlier = this.closedBefore.get(id);
      const shelf: Shelf = {
        open: this.open.get(id) ?? new Map(),
        episodes: this.episodes.get(id) ?? new Map(),
        closed: now.length > 0 ? { rows: now, earlier } : earlier,
      };
      held.defer(SHELVES, id, shelf, writeShelves);
    }
  }

  /** A held project's alerts, copied into this book (which changes its rows in place). */
  private takeShelf(projectId: string, shelf: Shelf): void {
    const open = new Map<string, AlertRow>();
    for (const [k, r] of shelf.open) open.set(k, { ...r });
    this.open.set(projectId, open);
    const episodes = new Map<string, Episodes>();
    for (const [k, e] of shelf.episodes) episodes.set(k, { last: e.last, clock: new Map(e.clock) });
    this.episodes.set(projectId, episodes);
    this.closedBefore.set(projectId, shelf.closed);
  }

  private write(row: AlertRow): void {
    if (this.written.has(row)) return; // its place in `changed` is kept, as a set again would
    this.written.add(row);
    this.changed.set(`${row.project_id}\u0000${row.rule_id}\u0000${row.key}\u0000${row.episode}`, row);
  }

  /** The book's own row for an open alert read from it (`key`: the row's alertKey). */
  private own(row: OpenAlert, key = alertKey({ ruleId: row.rule_id, key: row.key })): AlertRow {
    const r = this.open.get(row.project_id)?.get(key);
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
    let byKey = this.episodes.get(projectId);
    if (!byKey) {
      byKey = new Map();
      this.episodes.set(projectId, byKey);
    }
    const k = `${ruleId}\u0000${key}`;
    let e = byKey.get(k);
    if (!e) {
      e = { last: 0, clock: new Map() };
      byKey.set(k, e);
    }
    return e;
  }
}

/**
 * Writes rows in any state over what the table holds, a slice per statement. Closed rows go first
 * (rows are inserted in the order given): the one open row of a key may be new while the row open
 * before closes in the same write, and the one-open-row index is checked row by row.
 */
async function upsertRows(tx: pg.PoolClient, rows: readonly AlertRow[]): Promise<void> {
  const ordered = [...rows].sort((a, b) => (a.status === b.status ? 0 : a.status === 'closed' ? -1 : 1));
  await sendInSlices(tx, UPSERT, ordered, (slice) => JSON.stringify(slice.map(stored)));
}

const UPSERT = `INSERT INTO alerts (project_id, rule_id, key, episode, since, status, severity, regime, article,
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
         updated_at = EXCLUDED.updated_at`;

/** The columns of `alerts` as COPY writes them: StoredRow's, in its order. */
export const COPY_COLUMNS = [
  'project_id',
  'rule_id',
  'key',
  'episode',
  'since',
  'status',
  'severity',
  'regime',
  'article',
  'opened_at',
  'closed_on',
  'closed_reason',
  'closed_by_event_id',
  'seen_revision',
  'seen_on',
  'reason_vi',
  'reason_en',
  'updated_at',
] as const satisfies readonly (keyof StoredRow)[];

/**
 * Writes held shelves, every row of each: by COPY when none can be in the table yet (`fresh`) and each
 * carries its event's recorded time (COPY has no now()); otherwise over what an earlier flush wrote.
 */
async function writeShelves(
  tx: pg.PoolClient,
  shelves: ReadonlyMap<string, Shelf>,
  fresh: boolean,
): Promise<void> {
  const rows: AlertRow[] = [];
  for (const shelf of shelves.values()) {
    for (let c = shelf.closed; c; c = c.earlier) for (const r of c.rows) rows.push(r);
    for (const r of shelf.open.values()) rows.push(r);
  }
  if (!fresh || rows.some((r) => r.updated_at === null)) return upsertRows(tx, rows);
  await copyRows(tx, 'alerts', COPY_COLUMNS, rows, (r) => {
    const s = stored(r);
    return COPY_COLUMNS.map((c) => s[c]);
  });
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

const sameReason = (a: Said, b: Said, on: IsoDate): boolean => {
  const [x, y] = [a.reasonOn(on), b.reasonOn(on)];
  return x.vi === y.vi && x.en === y.en;
};

/** The row with its reason said, as the statement writes it (JSON keeps the key order). */
function stored(r: AlertRow): StoredRow {
  const reason = r.said.reasonOn(r.seen_on);
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
    reason_vi: reason.vi,
    reason_en: reason.en,
    updated_at: r.updated_at,
  };
}
