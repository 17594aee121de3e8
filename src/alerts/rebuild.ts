// The alerts projection rebuilt one project at a time (docs/PROJECTIONS.md, "Rebuilding stream by
// stream"). A project's alerts depend only on its own events and on the capital events that move its
// money or its plans' year and deadline: the capital events are applied first, in log order, keeping
// for each project the changes of its capital context and their log positions; then each project's
// events are taken together, merged with its context changes by log position, and judged exactly as
// the projection judges them in log order (applyEvent). A project's rows are final once its last
// event is judged, so they are written while the next projects are judged, and nothing of a project
// outlives it but its rows.
import { CAPITAL_EVENT_TYPES } from '../domain/capital/plan.js';
import { PROJECT_EVENT_TYPES } from '../domain/project/events.js';
import { initialProjectState, type ProjectState } from '../domain/project/state.js';
import { CAPITAL_PLAN, PROJECT, streamId } from '../domain/streams.js';
import { forEachStream } from '../projections/by-stream.js';
import { CopySink } from '../projections/copy-rows.js';
import { foldStream } from '../projections/project-fold.js';
import type { LeanEvent, StreamwiseSource, StreamwiseTarget } from '../projections/projection.js';
import { stateToJson } from '../projections/state-json.js';
import { comparePositions } from '../store/port.js';
import { applyEvent } from './apply-event.js';
import { applyCapitalEvent, type CapitalBook, emptyCapitalBook, saveCapitalBook } from './capital-book.js';
import { contextOf, contextsOf } from './capital-context.js';
import type { RuleOverrides } from './evaluate.js';
import { Judge } from './judge.js';
import { type AlertContext, NO_CONTEXT } from './rule-kit.js';
import { lastSweptOn, recordRebuildSwept, sweepProject } from './sweep.js';
import { AlertBook, COPY_COLUMNS } from './table.js';

/** The metadata the rebuild reads: the effective date judged on, and the recorded time of updated_at. */
const READS = ['effectiveAt', 'recordedAt'] as const;

/** An event as the rebuild reads it. */
export type ReadEvent = LeanEvent<(typeof READS)[number]>;

/** A capital event's change of one project's context. */
export interface ContextChange {
  readonly event: ReadEvent;
  readonly before: AlertContext;
  readonly after: AlertContext;
  /**
   * One of the event's projects (CapitalStep.affected): the rules are asked before and after it.
   * Otherwise (a plan's year or deadline assigned again) only the project's later events see the new
   * context, and `before` is `after`.
   */
  readonly judged: boolean;
}

/** Applies capital events (in log order) to `book`; returns each project's context changes, in order. */
export function contextChanges(events: Iterable<ReadEvent>, book: CapitalBook): Map<string, ContextChange[]> {
  const changes = new Map<string, ContextChange[]>();
  const contexts = contextsOf(book);
  const record = (id: string, change: ContextChange) => {
    const list = changes.get(id);
    if (list) list.push(change);
    else changes.set(id, [change]);
  };
  for (const e of events) {
    const moved = applyCapitalEvent(book, contexts, e);
    if (!moved) continue;
    // A plan's year or deadline changed: its other projects' later events see their new context.
    const changed = new Set(moved.affected);
    if (moved.planChanged) for (const [id, plans] of book.capital) if (plans.has(e.stream)) changed.add(id);
    for (const id of changed) {
      const after = contexts.now(id);
      record(id, { event: e, before: moved.before.get(id) ?? after, after, judged: moved.affected.has(id) });
    }
  }
  return changes;
}

/**
 * Judges one project's events (its whole stream, in order) merged with its context changes, into
 * `alerts`; returns its state after the last.
 */
export function alertsOfProject(
  projectId: string,
  events: readonly ReadEvent[],
  changes: readonly ContextChange[],
  alerts: AlertBook,
  judge: Judge,
): ProjectState {
  let state: ProjectState = initialProjectState;
  let context: AlertContext = NO_CONTEXT;
  let c = 0;
  const contextChange = (change: ContextChange) => {
    context = change.after;
    if (!change.judged || state.family === 'none') return; // capital for a project not (yet) registered
    const e = change.event;
    applyEvent(
      alerts,
      judge,
      projectId,
      e.id,
      { on: e.meta.effectiveAt, revision: state.history.length - 1, at: e.meta.recordedAt },
      { state, context: change.before },
      { state, context: change.after },
    );
  };
  state = foldStream(events, ({ event: e, before, after }) => {
    for (; c < changes.length; c++) {
      const change = changes[c] as ContextChange;
      if (comparePositions(change.event.position, e.position) > 0) break;
      contextChange(change);
    }
    applyEvent(
      alerts,
      judge,
      projectId,
      e.id,
      { on: e.meta.effectiveAt, revision: e.revision, at: e.meta.recordedAt },
      { state: before, context },
      { state: after, context },
    );
    state = after;
  });
  for (; c < changes.length; c++) contextChange(changes[c] as ContextChange);
  return state;
}

/**
 * Fills the (empty) tables of the alerts projection from the log, project by project: `alerts`,
 * `alert_project_state`, `alert_capital_plan` and `alert_project_capital`, as applying every event in
 * log order would. The capital tables are written on the target's transaction, the folded states and
 * the alerts beside them on two others: PostgreSQL takes them in while the next projects are judged.
 */
export async function rebuildAlertsByStream(
  target: StreamwiseTarget,
  source: StreamwiseSource,
  overrides: RuleOverrides,
): Promise<void> {
  // Swept to the last sweep's date as each project ends, when alerts were swept: not after, all again.
  const sweptOn = await lastSweptOn(target.tx);
  const sweep = sweptOn && {
    on: sweptOn,
    at: (await target.tx.query<{ at: string }>('SELECT now()::text AS at')).rows[0]?.at,
  };
  // The first projects are read, and the COPYs' transactions opened, while the capital events are
  // applied.
  const streams = source.byStream(PROJECT, PROJECT_EVENT_TYPES, READS);
  const forStates = target.another();
  const forAlerts = target.another();
  const book = emptyCapitalBook();
  const capital: ReadEvent[] = [];
  for await (const e of source.inLogOrder(CAPITAL_PLAN, CAPITAL_EVENT_TYPES, READS)) capital.push(e);
  const changes = contextChanges(capital, book);
  // Nothing after changes the book: it is saved while the projects are judged, the states and the
  // alerts each COPYed on a connection of their own (behind a COPY, the save would wait for its end).
  const capitalSaved = saveCapitalBook(target.tx, book);
  capitalSaved.catch(() => {}); // thrown below
  const stateColumns = ['project_id', 'revision', 'state'];
  const stateRows = new CopySink(await forStates, 'alert_project_state', stateColumns);
  const alertRows = new CopySink(await forAlerts, 'alerts', COPY_COLUMNS);
  const alerts = AlertBook.empty();
  const judge = new Judge(overrides);
  await forEachStream(streams, (events) => {
    const last = events[events.length - 1] as ReadEvent;
    const id = streamId(last.stream);
    const state = alertsOfProject(id, events, changes.get(id) ?? [], alerts, judge);
    judge.forget(id);
    if (sweep) {
      const context = contextOf(book.capital.get(id), book.plans);
      sweepProject(
        alerts,
        id,
        state,
        context,
        { on: sweep.on, revision: last.revision, at: sweep.at },
        overrides,
      );
    }
    for (const row of alerts.drain()) alertRows.add(COPY_COLUMNS.map((c) => row[c]));
    stateRows.add([id, last.revision, stateToJson(state)]);
  });
  await Promise.all([capitalSaved, stateRows.end(), alertRows.end()]);
  if (sweep) await recordRebuildSwept(target.tx, sweep.on);
}
