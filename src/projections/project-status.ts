// Read model `project_status`: one row per project with its family, phase, flags, certificate,
// capital and milestones (migrations/005). Project events fold the domain state kept in the row's
// `state` column (project-fold.ts) and rewrite the row from it; capital plan events update
// `project_capital` per plan stream and the sums on the project's row.
import type pg from 'pg';
import type { CapitalEvent } from '../domain/capital/plan.js';
import { PROJECT_EVENT_TYPES } from '../domain/project/events.js';
import type { ExistingProject } from '../domain/project/state.js';
import { category, PROJECT, streamId } from '../domain/streams.js';
import { copyRows } from './copy-rows.js';
import type { Memo } from './memo.js';
import { type FoldedProject, foldProjectEvents } from './project-fold.js';
import type { ProjectedEvent, Projection } from './projection.js';
import { sendInSlices } from './slices.js';
import { rowsWithState, stateToJson } from './state-json.js';

const CAPITAL_TYPES = ['CapitalAllocated', 'CapitalReallocated', 'CapitalDisbursed'] as const;

export const projectStatusProjection: Projection = {
  name: 'project_status',
  // 2: state kept as text (migrations/090); a rebuild rewrites the states migrated from jsonb.
  version: 2,
  handles: [...PROJECT_EVENT_TYPES, ...CAPITAL_TYPES],
  tables: ['project_status', 'project_capital'],
  apply: (tx, e) => applyBatch(tx, [e]),
  applyBatch,
};

/**
 * Project events first, folded per project and written as one row each; then capital events, each
 * guarded by its plan stream's revision. The order between the two does not change the outcome:
 * capital lives in its own table and the row's sums are recomputed from it. A rebuild's memo holds
 * the rows back and writes each once (memo.ts, writeHeld).
 */
async function applyBatch(tx: pg.PoolClient, events: readonly ProjectedEvent[], memo?: Memo): Promise<void> {
  const { projects } = await foldProjectEvents(tx, 'project_status', events, memo);
  const now = new Map<string, HeldRow>();
  for (const [id, p] of projects) {
    if (p.state.family === 'none') continue;
    const held = memo?.get<HeldRow>(HELD, id);
    const at = p.last.meta.recordedAt;
    const row = { folded: p, updatedAt: held && held.updatedAt > at ? held.updatedAt : at };
    if (!memo?.defer(HELD, id, row, writeHeld)) now.set(id, row);
  }
  await writeRows(tx, [...now.values()]);
  // Capital from the plans may have been recorded before a row existed (a parked registration); a
  // row held back gets its sums when written.
  const registered = events.filter(
    (e) => e.domain.type === 'ProjectRegistered' && now.has(streamId(e.stream)),
  );
  if (registered.length > 0)
    await sumCapital(
      tx,
      registered.map((e) => streamId(e.stream)),
    );
  await applyCapitalEvents(
    tx,
    events.filter((e) => category(e.stream) !== PROJECT),
    memo,
  );
}

/** Rows held back by a rebuild's memo: each project's last fold, and its latest event's recorded_at. */
const HELD = 'project_status#row';

interface HeldRow {
  readonly folded: FoldedProject;
  readonly updatedAt: string;
}

/** A folded project's row, and its state. */
const toRow = ({ folded: p, updatedAt }: HeldRow) => ({
  row: { ...statusRow(p.state as ExistingProject), revision: p.revision, updated_at: updatedAt },
  state: p.state,
});

/** Upserts the rows of folded projects. */
async function writeRows(tx: pg.PoolClient, rows: readonly HeldRow[]): Promise<void> {
  if (rows.length === 0) return;
  const columns = [...Object.keys(toRow(rows[0] as HeldRow).row), 'state'].filter((c) => c !== 'project_id');
  await sendInSlices(
    tx,
    `INSERT INTO project_status (project_id, ${columns.join(', ')})
     SELECT project_id, ${columns.join(', ')} FROM jsonb_populate_recordset(NULL::project_status, $1)
     ON CONFLICT (project_id) DO UPDATE SET
       ${columns.map((c) => (c === 'updated_at' ? UPDATED_AT : `${c} = EXCLUDED.${c}`)).join(', ')}`,
    rows,
    (slice) => rowsWithState(slice.map(toRow)),
  );
}

/**
 * Writes the rows a rebuild held back (by COPY when none exists yet), then their capital sums (their
 * capital events' time is already in updatedAt).
 */
async function writeHeld(
  tx: pg.PoolClient,
  held: ReadonlyMap<string, HeldRow>,
  fresh: boolean,
): Promise<void> {
  const rows = [...held.values()];
  if (!fresh || rows.length === 0) {
    await writeRows(tx, rows);
    await sumCapital(tx, [...held.keys()]);
    return;
  }
  // New rows: their capital sums go in with them, rather than an update of every row after.
  const { rows: sums } = await tx.query<{ project_id: string; allocated: string; disbursed: string }>(
    `SELECT project_id, sum(allocated) AS allocated, sum(disbursed) AS disbursed FROM project_capital
     WHERE project_id = ANY($1) GROUP BY project_id`,
    [[...held.keys()]],
  );
  const capital = new Map(sums.map((s) => [s.project_id, [s.allocated, s.disbursed]]));
  const columns = [
    ...Object.keys(toRow(rows[0] as HeldRow).row),
    'capital_allocated',
    'capital_disbursed',
    'state',
  ];
  await copyRows(tx, 'project_status', columns, held, ([id, r]) => {
    const { row, state } = toRow(r);
    return [...Object.values(row), ...(capital.get(id) ?? [0, 0]), stateToJson(state)];
  });
}

/** A row's updated_at is the latest recorded_at of the events applied to it, whatever their order. */
const UPDATED_AT = 'updated_at = GREATEST(project_status.updated_at, EXCLUDED.updated_at)';

/** The row's columns from the folded state; project_id first (it is the conflict key). */
export function statusRow(s: ExistingProject): Record<string, unknown> {
  const ns = s.family === 'nonState' ? s : undefined;
  const pub = s.family === 'public' ? s : undefined;
  const funding = pub?.funding.reduce((sum, f) => sum + f.amount, 0n) ?? 0n;
  const money = (v: bigint | undefined) => (v === undefined ? null : v.toString());
  return {
    project_id: s.projectId,
    family: s.family,
    name: s.name,
    code: s.code ?? null,
    province: s.province,
    admin_unit: s.adminUnit,
    agency_id: s.agencyId,
    sector: s.sector,
    project_group: pub?.group ?? null,
    owner_name: s.owner.name,
    owner_id: s.owner.id ?? null,
    owner_tax_code: s.owner.taxCode ?? null,
    phase: s.phase,
    phase_since: s.phaseSince,
    suspended: s.suspension !== undefined,
    suspended_since: s.suspension?.since ?? null,
    certificate_number: ns?.certificate?.number ?? null,
    certificate_issued_on: ns?.certificate?.issuedOn ?? null,
    certificate_revoked_on: ns?.certificate?.revokedOn ?? null,
    proposed_capital: money(s.proposedCapital),
    approved_capital: money(ns?.policy?.approvedCapital),
    registered_capital: money(ns?.certificate?.registeredCapital),
    total_investment: money(pub?.totalInvestment),
    capital_contributed: money(ns?.capitalContributed ?? 0n),
    funding_assigned: (pub?.funding.length ?? 0) > 0,
    funding_amount: funding.toString(),
    progress_period: s.lastProgress?.period ?? null,
    progress_percent: s.lastProgress?.physicalPercent ?? null,
    progress_reported_on: s.lastProgress?.reportedOn ?? null,
    milestones: Object.values(s.milestones)
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map((m) => ({
        id: m.id,
        kind: m.kind,
        name: m.name,
        plannedDue: m.plannedDue,
        currentDue: m.currentDue,
        reschedules: m.reschedules.length,
        completedOn: m.completedOn ?? null,
      })),
    registered_on: s.registeredOn,
  };
}

/** Amounts one capital plan event moves, per project: [projectId, allocated delta, disbursed delta]. */
function capitalMoves(e: CapitalEvent): [string, bigint, bigint][] {
  switch (e.type) {
    case 'CapitalAllocated':
      return [[e.data.projectId, e.data.amount, 0n]];
    case 'CapitalReallocated':
      return [
        [e.data.fromProjectId, -e.data.amount, 0n],
        [e.data.toProjectId, e.data.amount, 0n],
      ];
    case 'CapitalDisbursed':
      return [[e.data.projectId, 0n, e.data.amount]];
    default:
      return [];
  }
}

interface CapitalRow {
  project_id: string;
  plan_stream: string;
  allocated: bigint;
  disbursed: bigint;
  revision: number;
}

/**
 * Capital plan events, per (project, plan stream) row: loaded together, moved in memory in log order
 * (an event at or below the row's plan revision is a repeat and moves nothing), written together;
 * then each touched project's sums are recomputed, its updated_at moved to its latest capital event.
 */
async function applyCapitalEvents(
  tx: pg.PoolClient,
  events: readonly ProjectedEvent[],
  memo?: Memo,
): Promise<void> {
  const moves = events.flatMap((e) =>
    capitalMoves(e.domain as CapitalEvent).map(([projectId, allocated, disbursed]) => ({
      e,
      projectId,
      allocated,
      disbursed,
    })),
  );
  if (moves.length === 0) return;
  const keyOf = (projectId: string, stream: string) => JSON.stringify([projectId, stream]);
  const { rows } = await tx.query<{
    project_id: string;
    plan_stream: string;
    allocated: string;
    disbursed: string;
    revision: number;
  }>(
    `SELECT c.* FROM project_capital c
     JOIN jsonb_to_recordset($1) k(project_id text, plan_stream text) USING (project_id, plan_stream)
     FOR UPDATE OF c`,
    [JSON.stringify(moves.map((m) => ({ project_id: m.projectId, plan_stream: m.e.stream })))],
  );
  const current = new Map<string, CapitalRow>(
    rows.map((r) => [
      keyOf(r.project_id, r.plan_stream),
      { ...r, allocated: BigInt(r.allocated), disbursed: BigInt(r.disbursed) },
    ]),
  );
  const changed = new Map<string, CapitalRow>();
  const touched = new Map<string, string>(); // project → latest recorded_at of a capital event applied
  for (const { e, projectId, allocated, disbursed } of moves) {
    const key = keyOf(projectId, e.stream);
    const row = current.get(key) ?? {
      project_id: projectId,
      plan_stream: e.stream,
      allocated: 0n,
      disbursed: 0n,
      revision: -1,
    };
    if (e.revision <= row.revision) continue;
    const next = {
      ...row,
      allocated: row.allocated + allocated,
      disbursed: row.disbursed + disbursed,
      revision: e.revision,
    };
    current.set(key, next);
    changed.set(key, next);
    const at = touched.get(projectId);
    if (at === undefined || e.meta.recordedAt > at) touched.set(projectId, e.meta.recordedAt);
  }
  if (changed.size === 0) return;
  await tx.query(
    `INSERT INTO project_capital SELECT * FROM jsonb_populate_recordset(NULL::project_capital, $1)
     ON CONFLICT (project_id, plan_stream) DO UPDATE SET
       allocated = EXCLUDED.allocated, disbursed = EXCLUDED.disbursed, revision = EXCLUDED.revision`,
    [
      JSON.stringify(
        [...changed.values()].map((r) => ({
          ...r,
          allocated: r.allocated.toString(),
          disbursed: r.disbursed.toString(),
        })),
      ),
    ],
  );
  // A row held back takes the time now and its sums when written (held again: a flush may have
  // written it already); the others are updated now.
  for (const [id, at] of touched) {
    const held = memo?.get<HeldRow>(HELD, id);
    if (!held) continue;
    memo?.defer(HELD, id, at > held.updatedAt ? { ...held, updatedAt: at } : held, writeHeld);
    touched.delete(id);
  }
  if (touched.size > 0) await sumCapital(tx, [...touched.keys()], [...touched.values()]);
}

/** Recomputes the projects' capital sums; `at` (recorded_at per project) moves updated_at forward. */
async function sumCapital(tx: pg.PoolClient, projectIds: readonly string[], at?: readonly string[]) {
  await tx.query(
    `UPDATE project_status p SET
       capital_allocated = s.allocated, capital_disbursed = s.disbursed,
       updated_at = GREATEST(p.updated_at, COALESCE(s.at, p.updated_at))
     FROM (SELECT k.id, k.at, COALESCE(sum(c.allocated), 0) AS allocated,
             COALESCE(sum(c.disbursed), 0) AS disbursed
           FROM unnest($1::text[], $2::timestamptz[]) k(id, at)
           LEFT JOIN project_capital c ON c.project_id = k.id GROUP BY k.id, k.at) s
     WHERE p.project_id = s.id`,
    [projectIds, at ?? null],
  );
}
