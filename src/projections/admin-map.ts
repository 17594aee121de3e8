// Read model of the administrative map (migrations/081): units and agencies with their dates, the
// succession edges between them, and the units each project has been in. Queries by unit or agency
// resolve succession with the pure graph in domain/adminmap/succession.ts over these edges, so a
// project is found by its old unit (Kon Tum, a district) and by the unit that took it over.
import type pg from 'pg';
import type { AdminMapEvent } from '../domain/adminmap/map.js';
import {
  coveredIds,
  predecessorsOf,
  projectUnitIds,
  type SuccessionEdge,
  type SuccessionKind,
  successorsOf,
} from '../domain/adminmap/succession.js';
import type { IsoDate } from '../domain/dates.js';
import type { ProjectEvent } from '../domain/project/events.js';
import { streamId } from '../domain/streams.js';
import type { Projection } from './projection.js';

export const adminMapProjection: Projection = {
  name: 'admin_map',
  version: 1,
  handles: [
    'UnitEstablished',
    'UnitsMerged',
    'AgencyEstablished',
    'AgencySucceeded',
    'ProjectRegistered',
    'AdministrativeUnitRemapped',
  ],
  tables: ['admin_map_entries', 'succession_edges', 'project_units'],
  async apply(tx, e) {
    const on = e.meta.effectiveAt;
    const event = e.domain as AdminMapEvent | ProjectEvent;
    switch (event.type) {
      case 'UnitEstablished': {
        const { unitId, name, level, parentId } = event.data;
        await entry(tx, ['unit', unitId, name, level, parentId ?? null, on]);
        return;
      }
      case 'AgencyEstablished':
        await entry(tx, ['agency', event.data.agencyId, event.data.name, null, null, on]);
        return;
      case 'UnitsMerged':
        for (const from of event.data.from.filter((f) => f !== event.data.into))
          await succeed(tx, 'unit', from, event.data.into, on);
        return;
      case 'AgencySucceeded':
        await succeed(tx, 'agency', event.data.from, event.data.to, on);
        return;
      case 'ProjectRegistered':
        await projectUnits(tx, streamId(e.stream), event.data.province, event.data.adminUnit, on);
        return;
      case 'AdministrativeUnitRemapped':
        await projectUnits(tx, streamId(e.stream), event.data.to.province, event.data.to.adminUnit, on);
        return;
    }
  },
};

const entry = (tx: pg.PoolClient, values: unknown[]) =>
  tx.query(
    `INSERT INTO admin_map_entries (kind, id, name, level, parent_id, since) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (kind, id) DO NOTHING`,
    values,
  );

async function succeed(tx: pg.PoolClient, kind: SuccessionKind, from: string, to: string, on: IsoDate) {
  await tx.query(
    `INSERT INTO succession_edges (kind, from_id, to_id, effective_on) VALUES ($1, $2, $3, $4)
     ON CONFLICT DO NOTHING`,
    [kind, from, to, on],
  );
  await tx.query('UPDATE admin_map_entries SET until = $3 WHERE kind = $1 AND id = $2', [kind, from, on]);
}

const projectUnits = (
  tx: pg.PoolClient,
  projectId: string,
  province: string,
  adminUnit: string,
  on: IsoDate,
) =>
  tx.query(
    `INSERT INTO project_units (project_id, unit_id, since) SELECT $1, u, $3 FROM unnest($2::text[]) u
     ON CONFLICT DO NOTHING`,
    [projectId, projectUnitIds(province, adminUnit), on],
  );

/** The succession edges of one kind, as the read model holds them. */
export async function successionEdges(
  db: pg.Pool | pg.PoolClient,
  kind: SuccessionKind,
): Promise<SuccessionEdge[]> {
  const { rows } = await db.query<{ from_id: string; to_id: string; effective_on: string }>(
    `SELECT from_id, to_id, to_char(effective_on, 'YYYY-MM-DD') AS effective_on FROM succession_edges
     WHERE kind = $1`,
    [kind],
  );
  return rows.map((r) => ({ kind, from: r.from_id, to: r.to_id, on: r.effective_on as IsoDate }));
}

/** Filters by unit or agency, "as of" a date: what a project filter needs to match old or new ids. */
export interface SuccessionFilter {
  /** A unit id: a province code ("51") or `<province>:<name>`; matches its own and its predecessors' projects. */
  readonly unit?: string;
  /** An agency id; matches projects of that agency and of the agencies it took over. */
  readonly agency?: string;
  /** Resolve successions effective by this date only (the map of that day); default: all recorded. */
  readonly mapAsOf?: IsoDate;
}

/**
 * SQL conditions on `project_id` / `agency_id` for the succession filters set, with their parameters
 * appended to `params` (numbered after what it already holds).
 */
export async function successionConditions(
  db: pg.Pool | pg.PoolClient,
  filter: SuccessionFilter,
  params: unknown[],
): Promise<string[]> {
  const where: string[] = [];
  if (filter.unit !== undefined) {
    params.push(coveredIds(await successionEdges(db, 'unit'), 'unit', filter.unit, filter.mapAsOf));
    where.push(
      `project_id IN (SELECT project_id FROM project_units WHERE unit_id = ANY($${params.length}::text[]))`,
    );
  }
  if (filter.agency !== undefined) {
    params.push(coveredIds(await successionEdges(db, 'agency'), 'agency', filter.agency, filter.mapAsOf));
    where.push(`agency_id = ANY($${params.length}::text[])`);
  }
  return where;
}

/** One unit or agency of the map as it stood on a date, with whom it took over and who took it over. */
export interface MapEntryView {
  readonly kind: SuccessionKind;
  readonly id: string;
  readonly name: string;
  readonly level: string | null;
  readonly parentId: string | null;
  readonly since: IsoDate;
  /** The day it ceased, if it had by `asOf`. */
  readonly until: IsoDate | null;
  /** Taken over by it (transitively), by `asOf`. */
  readonly predecessors: readonly string[];
  /** Took it over (transitively), by `asOf`. */
  readonly successors: readonly string[];
}

/** The entry as of `asOf` (default: now); null if it is unknown or not yet established then. */
export async function mapEntry(
  db: pg.Pool | pg.PoolClient,
  kind: SuccessionKind,
  id: string,
  asOf?: IsoDate,
): Promise<MapEntryView | null> {
  const { rows } = await db.query<{
    name: string;
    level: string | null;
    parent_id: string | null;
    since: IsoDate;
    until: IsoDate | null;
  }>(
    `SELECT name, level, parent_id, to_char(since, 'YYYY-MM-DD') AS since, to_char(until, 'YYYY-MM-DD') AS until
     FROM admin_map_entries WHERE kind = $1 AND id = $2`,
    [kind, id],
  );
  const r = rows[0];
  if (!r || (asOf !== undefined && r.since > asOf)) return null;
  const edges = await successionEdges(db, kind);
  return {
    kind,
    id,
    name: r.name,
    level: r.level,
    parentId: r.parent_id,
    since: r.since,
    until: r.until !== null && (asOf === undefined || r.until <= asOf) ? r.until : null,
    predecessors: predecessorsOf(edges, kind, id, asOf),
    successors: successorsOf(edges, kind, id, asOf),
  };
}
