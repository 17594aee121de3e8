// The step both project read models share: each project's state before an event (kept in one of the
// projection's own tables as jsonb), and the state after folding the event onto it with the domain's
// evolveProject — the read side derives status exactly as the write side does. A batch loads every
// state it touches in one query (only those its runner does not remember, memo.ts) and folds in
// memory, so a batch costs a few round trips, not a few per event.
import type pg from 'pg';
import type { ProjectEvent } from '../domain/project/events.js';
import { evolveProject, initialProjectState, type ProjectState } from '../domain/project/state.js';
import { category, PROJECT, streamId } from '../domain/streams.js';
import { copyRows } from './copy-rows.js';
import type { Memo } from './memo.js';
import type { LeanEvent, ProjectedEvent } from './projection.js';
import { sendInSlices } from './slices.js';
import { rowsWithState, stateFromJson, stateToJson } from './state-json.js';

/** A projection's own table of folded states (project_id, revision, state). */
export type StateTable = 'audit_project_state' | 'alert_project_state';

export interface FoldStep<E extends LeanEvent<'effectiveAt'> = ProjectedEvent> {
  readonly projectId: string;
  readonly event: E;
  readonly before: ProjectState;
  readonly after: ProjectState;
}

export interface FoldedProject {
  readonly revision: number;
  readonly state: ProjectState;
  /** The last event folded in this batch. */
  readonly last: ProjectedEvent;
}

export interface BatchFold {
  /** One step per project event not yet folded into `table`, in log order. */
  readonly steps: readonly FoldStep[];
  /** Each project the batch changed, with its state after the batch. */
  readonly projects: ReadonlyMap<string, FoldedProject>;
}

interface Folded {
  readonly revision: number;
  readonly state: ProjectState;
}

/** A project the table has no row for. */
const UNSEEN: Folded = { revision: -1, state: initialProjectState };

/**
 * Folds the batch's project events onto the states stored in `table` (columns project_id, revision,
 * state), or remembered by `memo` from the runner's earlier batches; the states after the batch are
 * remembered in turn. An event whose revision the table already holds is skipped: applying twice
 * changes nothing.
 */
export async function foldProjectEvents(
  tx: pg.PoolClient,
  table: 'project_status' | StateTable,
  events: readonly ProjectedEvent[],
  memo?: Memo,
): Promise<BatchFold> {
  const lazy = await foldLazily(tx, table, events, memo);
  const steps = [...lazy.steps];
  return { steps, projects: lazy.projects };
}

export interface LazyFold {
  /** The steps, folded as they are iterated, once: a writer can send rows while the next are folded. */
  readonly steps: Iterable<FoldStep>;
  /** Each project the batch changed, with its state after the batch: whole once `steps` is iterated. */
  readonly projects: ReadonlyMap<string, FoldedProject>;
}

/** foldProjectEvents, each event folded only when its step is taken; the memo is set at the end. */
export async function foldLazily(
  tx: pg.PoolClient,
  table: 'project_status' | StateTable,
  events: readonly ProjectedEvent[],
  memo?: Memo,
): Promise<LazyFold> {
  const own = events.filter((e) => category(e.stream) === PROJECT);
  const current = new Map<string, Folded>();
  const unknown: string[] = [];
  for (const e of own) {
    const id = streamId(e.stream);
    if (current.has(id)) continue;
    const known = memo?.get<Folded>(table, id);
    if (known === undefined) unknown.push(id);
    current.set(id, known ?? UNSEEN);
  }
  if (unknown.length > 0) {
    const { rows } = await tx.query<{ project_id: string; revision: number; state: unknown }>(
      `SELECT project_id, revision, state FROM ${table} WHERE project_id = ANY($1) FOR UPDATE`,
      [unknown],
    );
    for (const r of rows) current.set(r.project_id, { revision: r.revision, state: stateFromJson(r.state) });
  }
  const projects = new Map<string, FoldedProject>();
  function* steps(): Generator<FoldStep> {
    for (const event of own) {
      const projectId = streamId(event.stream);
      const now = current.get(projectId) as Folded;
      if (event.revision <= now.revision) continue;
      const after = evolveProject(now.state, event.domain as ProjectEvent, {
        effectiveAt: event.meta.effectiveAt,
      });
      current.set(projectId, { revision: event.revision, state: after });
      projects.set(projectId, { revision: event.revision, state: after, last: event });
      yield { projectId, event, before: now.state, after };
    }
    // Remembered as the table will hold it: project_status keeps no row for a project not registered.
    if (memo)
      for (const [id, f] of current)
        memo.set(table, id, table === 'project_status' && f.state.family === 'none' ? UNSEEN : f);
  }
  return { steps: steps(), projects };
}

/**
 * Folds a project's whole stream from its start (a rebuild by stream): each step is handed to `onStep`
 * as it is made; returns the state after the last.
 */
export function foldStream<E extends LeanEvent<'effectiveAt'>>(
  events: readonly E[],
  onStep: (step: FoldStep<E>) => void,
): ProjectState {
  let state = initialProjectState;
  const projectId = events[0] ? streamId(events[0].stream) : '';
  for (const event of events) {
    const after = evolveProject(state, event.domain as ProjectEvent, { effectiveAt: event.meta.effectiveAt });
    onStep({ projectId, event, before: state, after });
    state = after;
  }
  return state;
}

/**
 * Writes the batch's folded states back to the projection's own state table; a rebuild's memo holds
 * them back instead, to write each project's last state once (memo.ts).
 */
export async function saveFoldedStates(
  tx: pg.PoolClient,
  table: StateTable,
  projects: ReadonlyMap<string, FoldedProject>,
  memo?: Memo,
): Promise<void> {
  const write = STATE_WRITERS[table];
  const now = new Map<string, Folded>();
  for (const [projectId, p] of projects) {
    const folded: Folded = { revision: p.revision, state: p.state };
    if (!memo?.defer(table, projectId, folded, write)) now.set(projectId, folded);
  }
  if (now.size > 0) await write(tx, now, false);
}

function stateWriter(table: StateTable) {
  return async (tx: pg.PoolClient, states: ReadonlyMap<string, Folded>, fresh: boolean) => {
    if (fresh)
      return copyRows(tx, table, ['project_id', 'revision', 'state'], states, ([id, f]) => [
        id,
        f.revision,
        stateToJson(f.state),
      ]);
    await sendInSlices(
      tx,
      `INSERT INTO ${table} SELECT * FROM jsonb_populate_recordset(NULL::${table}, $1)
       ON CONFLICT (project_id) DO UPDATE SET revision = EXCLUDED.revision, state = EXCLUDED.state`,
      [...states],
      (slice) =>
        rowsWithState(
          slice.map(([projectId, f]) => ({
            row: { project_id: projectId, revision: f.revision },
            state: f.state,
          })),
        ),
    );
  };
}

/** One writer per table: a memo groups the rows it holds back by writer. */
const STATE_WRITERS: Readonly<Record<StateTable, ReturnType<typeof stateWriter>>> = {
  audit_project_state: stateWriter('audit_project_state'),
  alert_project_state: stateWriter('alert_project_state'),
};
