// project(id, asOf, knownAt) on PostgreSQL, fast on long streams (docs/TIME-TRAVEL.md): start from
// the latest snapshot usable at the time point (project_snapshots, migrations/050) and read after it
// only the data of the events that count — the rest arrive as (revision, type), enough to keep their
// slots in the fold. The counting rule is the one of foldAt, said once more in SQL so that the
// database leaves out what does not count; foldAt still decides. Snapshots are written by this read
// path: every 100th revision of an all-counted prefix it folded, once per version of the fold.
import type pg from 'pg';
import { decodeEvent } from '../domain/catalog.js';
import type { IsoDate } from '../domain/dates.js';
import type { ProjectEvent } from '../domain/project/events.js';
import type { ProjectState } from '../domain/project/state.js';
import type { EventStore } from '../store/port.js';
import { stateFromJson, stateToJson } from './state-json.js';
import { foldAt, type Snapshot, type TimedEvent, type TimePoint } from './time-travel.js';
import { type ProjectAt, TimeTravel } from './time-travel-read.js';

/** Bump when evolveProject changes what a state holds: older snapshots are then ignored. */
export const SNAPSHOT_VERSION = 1;
export const SNAPSHOT_EVERY = 100;

export const SNAPSHOT_SQL = `
  SELECT revision, max_recorded_at, to_char(max_effective_at, 'YYYY-MM-DD') AS max_effective_at, state
  FROM project_snapshots
  WHERE project_id = $1 AND version = $2 AND max_recorded_at <= $3::timestamptz AND max_effective_at <= $4::date
  ORDER BY revision DESC LIMIT 1`;

// A correction counts when it was recorded in time and the event it corrects counts.
const COUNTS = `(e.metadata->>'recordedAt')::timestamptz <= $3::timestamptz AND CASE
    WHEN e.type = 'EventCorrected' THEN EXISTS (
      SELECT 1 FROM events c
      WHERE c.stream = e.stream AND c.revision = (e.data->>'correctedRevision')::integer
        AND (c.metadata->>'recordedAt')::timestamptz <= $3::timestamptz
        AND (c.metadata->>'effectiveAt')::date <= $4::date)
    ELSE (e.metadata->>'effectiveAt')::date <= $4::date END`;

// Left-out revisions after the last one that counts change nothing: not even their slots are sent.
// Materialised so that the rule is evaluated once per row.
export const EVENTS_SQL = `
  WITH k AS MATERIALIZED (
    SELECT e.revision, e.type, e.schema_version, e.data, e.metadata, (${COUNTS}) AS counts
    FROM events e WHERE e.stream = $1 AND e.revision > $2)
  SELECT revision, type, schema_version, counts,
         CASE WHEN counts THEN data END AS data, CASE WHEN counts THEN metadata END AS metadata
  FROM k WHERE revision <= (SELECT max(revision) FROM k WHERE counts)
  ORDER BY revision`;

interface EventRow {
  revision: number;
  type: ProjectEvent['type'];
  schema_version: number;
  counts: boolean;
  data: unknown;
  metadata: { recordedAt: string; effectiveAt: IsoDate } | null;
}

export class PostgresTimeTravel extends TimeTravel {
  constructor(
    store: EventStore,
    private readonly pool: pg.Pool,
  ) {
    super(store);
  }

  override async project(id: string, at: TimePoint): Promise<ProjectAt | null> {
    const known = at.knownAt ?? 'infinity';
    const asOf = at.asOf ?? 'infinity';
    const snap = await this.pool.query<{
      revision: number;
      max_recorded_at: Date;
      max_effective_at: IsoDate;
      state: unknown;
    }>(SNAPSHOT_SQL, [id, SNAPSHOT_VERSION, known, asOf]);
    const s = snap.rows[0];
    const from: Snapshot | undefined = s && {
      revision: s.revision,
      state: stateFromJson<ProjectState>(s.state),
      maxRecordedAt: s.max_recorded_at.toISOString(),
      maxEffectiveAt: s.max_effective_at,
    };
    const { rows } = await this.pool.query<EventRow>(EVENTS_SQL, [
      `project-${id}`,
      from?.revision ?? -1,
      known,
      asOf,
    ]);
    const events = rows.map(
      (r): TimedEvent =>
        r.counts && r.metadata
          ? {
              revision: r.revision,
              event: decodeEvent(r.type, r.schema_version, r.data) as ProjectEvent,
              recordedAt: r.metadata.recordedAt,
              effectiveAt: r.metadata.effectiveAt,
            }
          : { revision: r.revision, skipped: { type: r.type } },
    );
    const fold = foldAt(events, at, from, SNAPSHOT_EVERY);
    if (fold.checkpoints.length > 0) await this.save(id, fold.checkpoints);
    return fold.state.family === 'none' ? null : { state: fold.state, revision: fold.revision };
  }

  private async save(id: string, snapshots: readonly Snapshot[]): Promise<void> {
    const rows = snapshots.map((s) => ({
      project_id: id,
      revision: s.revision,
      version: SNAPSHOT_VERSION,
      max_recorded_at: s.maxRecordedAt,
      max_effective_at: s.maxEffectiveAt,
      state: JSON.parse(stateToJson(s.state)),
    }));
    await this.pool.query(
      `INSERT INTO project_snapshots SELECT * FROM jsonb_populate_recordset(NULL::project_snapshots, $1)
       ON CONFLICT DO NOTHING`,
      [JSON.stringify(rows)],
    );
  }
}
