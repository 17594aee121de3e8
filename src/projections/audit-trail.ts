// Read model `audit_trail`: one row per project event — who (user, agency, role), when (recorded and
// effective), under which document and legal regime, by which command — with the field-level changes
// it made to the project's folded state (migrations/006). The projection folds its own copy of each
// project's state (audit_project_state) so it never waits on another projection.
import type pg from 'pg';
import { PROJECT_EVENT_TYPES } from '../domain/project/events.js';
import { PROJECT, streamId } from '../domain/streams.js';
import { auditColumns } from './audit-columns.js';
import { forEachStream } from './by-stream.js';
import { CopySink, copyRows } from './copy-rows.js';
import type { Memo } from './memo.js';
import { type FoldStep, foldLazily, foldStream, saveFoldedStates } from './project-fold.js';
import type { ProjectedEvent, Projection, StreamwiseSource, StreamwiseTarget } from './projection.js';
import { sendInSlices } from './slices.js';
import { diffStates, stateToJson } from './state-json.js';

/** `history` is the fold's own bookkeeping (one entry per revision), not a fact about the project. */
const NOT_AUDITED = ['history'];

export const auditTrailProjection: Projection = {
  name: 'audit_trail',
  // 2: state kept as text (migrations/090); a rebuild rewrites the states migrated from jsonb.
  version: 2,
  handles: PROJECT_EVENT_TYPES,
  tables: ['audit_trail', 'audit_project_state'],
  apply: (tx, e) => applyBatch(tx, [e]),
  applyBatch,
  rebuildByStream,
};

/**
 * A rebuild one project at a time: each event's entry COPYed as it is folded, the project's state
 * once its stream ends (on another transaction), while the next projects are read and folded.
 */
async function rebuildByStream(target: StreamwiseTarget, source: StreamwiseSource): Promise<void> {
  const states = new CopySink(target.tx, 'audit_project_state', ['project_id', 'revision', 'state']);
  const other = await target.another();
  let trail: CopySink | undefined;
  await forEachStream(source.byStream(PROJECT, PROJECT_EVENT_TYPES), (events) => {
    const state = foldStream(events, (step) => {
      const row = entry(step);
      trail ??= new CopySink(other, 'audit_trail', Object.keys(row));
      trail.add(Object.values(row));
    });
    const last = events[events.length - 1] as ProjectedEvent;
    states.add([streamId(last.stream), last.revision, stateToJson(state)]);
  });
  await Promise.all([states.end(), trail?.end()]);
}

async function applyBatch(tx: pg.PoolClient, events: readonly ProjectedEvent[], memo?: Memo): Promise<void> {
  const { steps, projects } = await foldLazily(tx, 'audit_project_state', events, memo);
  const iterator = steps[Symbol.iterator]();
  const first = iterator.next();
  if (first.done) return;
  if (events.length >= COPY_FROM) {
    // Each step is an event the folded state did not hold yet, so its row cannot exist: COPY. The
    // events are folded as the stream takes their rows, while PostgreSQL writes the rows before.
    const columns = Object.keys(entry(first.value));
    await copyRows(tx, 'audit_trail', columns, resume(first.value, iterator), (step) =>
      Object.values(entry(step)),
    );
  } else
    await sendInSlices(
      tx,
      `INSERT INTO audit_trail SELECT * FROM jsonb_populate_recordset(NULL::audit_trail, $1)
       ON CONFLICT (event_id) DO NOTHING`,
      [...resume(first.value, iterator)],
      (slice) => JSON.stringify(slice.map(entry)),
    );
  await saveFoldedStates(tx, 'audit_project_state', projects, memo);
}

/** `first`, then what `rest` has left. */
function* resume<T>(first: T, rest: Iterator<T>): Generator<T> {
  yield first;
  for (let next = rest.next(); !next.done; next = rest.next()) yield next.value;
}

/** Entries from which a batch is written by COPY (a rebuild's, a long catch-up's) rather than INSERT. */
const COPY_FROM = 256;

function entry({ projectId, event: e, before, after }: FoldStep): Record<string, unknown> {
  return {
    event_id: e.id,
    project_id: projectId,
    ...auditColumns(e),
    changes: diffStates(
      before.family === 'none' ? {} : before,
      after.family === 'none' ? {} : after,
      NOT_AUDITED,
    ),
  };
}
