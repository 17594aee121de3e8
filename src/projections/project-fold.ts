// The step both project read models share: the project's state before an event (kept in one of the
// projection's own tables as jsonb), and the state after folding the event onto it with the domain's
// evolveProject — the read side derives status exactly as the write side does.
import type pg from 'pg';
import type { ProjectEvent } from '../domain/project/events.js';
import { evolveProject, initialProjectState, type ProjectState } from '../domain/project/state.js';
import { streamId } from '../domain/streams.js';
import type { ProjectedEvent } from './projection.js';
import { stateFromJson } from './state-json.js';

export interface FoldStep {
  readonly projectId: string;
  readonly before: ProjectState;
  readonly after: ProjectState;
}

/**
 * Folds a project event onto the state stored in `table` (columns project_id, revision, state), or
 * returns null when that table already holds this revision or a later one (a repeat: apply nothing).
 */
export async function foldProjectEvent(
  tx: pg.PoolClient,
  table: 'project_status' | 'audit_project_state',
  e: ProjectedEvent,
): Promise<FoldStep | null> {
  const projectId = streamId(e.stream);
  const { rows } = await tx.query<{ revision: number; state: unknown }>(
    `SELECT revision, state FROM ${table} WHERE project_id = $1 FOR UPDATE`,
    [projectId],
  );
  const row = rows[0];
  if (row && row.revision >= e.revision) return null;
  const before = row ? stateFromJson<ProjectState>(row.state) : initialProjectState;
  const after = evolveProject(before, e.domain as ProjectEvent, { effectiveAt: e.meta.effectiveAt });
  return { projectId, before, after };
}
