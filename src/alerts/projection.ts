// The alerts projection: for each event, the alerts of the projects it touches evaluated on the
// event's effective date before and after it (evaluateAlerts, pure), so an alert closes with the
// event that resolved it (closed_by_event_id names it, closed_on is its effective date), one an event
// opened opens at once, and one that opened and closed between two clock sweeps is still recorded.
// Project events change a project's state (its own fold, alert_project_state); capital plan events
// change the capital context beside it (alert_capital_plan, alert_project_capital). Alerts that open
// because time passes, with no event, are the clock sweep's (sweep.ts); both write `alerts` under one
// lock and evaluate the same states and contexts. Events are taken in log order within a batch.
import type pg from 'pg';
import { CAPITAL_EVENT_TYPES, type CapitalEvent } from '../domain/capital/plan.js';
import { PROJECT_EVENT_TYPES } from '../domain/project/events.js';
import type { ProjectState } from '../domain/project/state.js';
import { CAPITAL_PLAN, category } from '../domain/streams.js';
import type { Memo } from '../projections/memo.js';
import { foldProjectEvents, saveFoldedStates } from '../projections/project-fold.js';
import type { ProjectedEvent, Projection } from '../projections/projection.js';
import { stateFromJson } from '../projections/state-json.js';
import { applyEvent } from './apply-event.js';
import { applyCapitalEvent, loadCapitalBook, saveCapitalBook } from './capital-book.js';
import { capitalMoves, contextsOf } from './capital-context.js';
import type { RuleOverrides } from './evaluate.js';
import { Judge } from './judge.js';
import { rebuildAlertsByStream } from './rebuild.js';
import { NO_CONTEXT } from './rule-kit.js';
import { lastSweptOn, rebuildSweptOn, sweepAlerts } from './sweep.js';
import { AlertBook, lockAlerts, type WriteContext } from './table.js';

/** The projection with the rules' default parameters overridden by `overrides` (per rule id). */
export function alertsProjectionWith(overrides: RuleOverrides = {}): Projection {
  const applyBatch = async (
    tx: pg.PoolClient,
    events: readonly ProjectedEvent[],
    memo?: Memo,
  ): Promise<void> => {
    await lockAlerts(tx);
    const { steps, projects } = await foldProjectEvents(tx, 'alert_project_state', events, memo);
    const capitalEvents = events.filter((e) => category(e.stream) === CAPITAL_PLAN);
    if (steps.length === 0 && capitalEvents.length === 0) return;
    const moved = capitalEvents.flatMap((e) => capitalMoves(e.domain as CapitalEvent, e.meta.effectiveAt));
    const book = await loadCapitalBook(
      tx,
      [...new Set([...steps.map((s) => s.projectId), ...moved.map(([id]) => id)])],
      [...new Set(capitalEvents.map((e) => e.stream))],
    );
    // Each project's state as of the event being applied: before its first step in this batch.
    const current = new Map<string, ProjectState>();
    for (const s of steps) if (!current.has(s.projectId)) current.set(s.projectId, s.before);
    // Projects a capital event moves money for, or whose plan it changes (a first allocation has no
    // capital row yet).
    const others = [...new Set([...moved.map(([id]) => id), ...book.capital.keys()])].filter(
      (id) => !current.has(id),
    );
    // Their states as the runner remembers them (a rebuild holds them back from the table), or read.
    const unknown: string[] = [];
    for (const id of others) {
      const known = memo?.get<{ readonly state: ProjectState }>('alert_project_state', id);
      if (known) current.set(id, known.state);
      else unknown.push(id);
    }
    if (unknown.length > 0) {
      const { rows } = await tx.query<{ project_id: string; state: unknown }>(
        'SELECT project_id, state FROM alert_project_state WHERE project_id = ANY($1)',
        [unknown],
      );
      for (const r of rows) current.set(r.project_id, stateFromJson(r.state));
    }
    const alerts = await AlertBook.load(tx, [...current.keys()], memo);
    const judge = new Judge(overrides);
    // Each project's capital context, kept until a capital event changes the book.
    const contexts = contextsOf(book);
    // The steps are some of the events, in log order: the next one is this event's, if any.
    let stepAt = 0;

    for (const e of events) {
      const at: WriteContext = { on: e.meta.effectiveAt, revision: e.revision, at: e.meta.recordedAt };
      const step = steps[stepAt]?.event === e ? steps[stepAt++] : undefined;
      if (step) {
        current.set(step.projectId, step.after);
        const context = contexts.now(step.projectId);
        applyEvent(
          alerts,
          judge,
          step.projectId,
          e.id,
          at,
          { state: step.before, context },
          { state: step.after, context },
        );
        continue;
      }
      if (category(e.stream) !== CAPITAL_PLAN) continue;
      const moved = applyCapitalEvent(book, contexts, e);
      if (!moved) continue;
      for (const id of moved.affected) {
        const s = current.get(id);
        if (!s || s.family === 'none') continue; // capital for a project not (yet) registered
        applyEvent(
          alerts,
          judge,
          id,
          e.id,
          { ...at, revision: s.history.length - 1 },
          { state: s, context: moved.before.get(id) ?? NO_CONTEXT },
          { state: s, context: contexts.now(id) },
        );
      }
    }
    await alerts.flush(tx, memo);
    if (projects.size > 0) await saveFoldedStates(tx, 'alert_project_state', projects, memo);
    await saveCapitalBook(tx, book);
  };
  return {
    name: 'alerts',
    // 3: capital plan events and the capital rules (2: dates kept in state, three more rules).
    version: 3,
    handles: [...PROJECT_EVENT_TYPES, ...CAPITAL_EVENT_TYPES],
    tables: ['alerts', 'alert_project_state', 'alert_capital_plan', 'alert_project_capital'],
    apply: (tx, e) => applyBatch(tx, [e]),
    applyBatch,
    rebuildByStream: (target, source) => rebuildAlertsByStream(target, source, overrides),
    // The log replays the alerts events opened; those only time opened come from the last sweep (to
    // which a rebuild by stream swept each project already, unless a sweep ran meanwhile).
    async afterRebuild(tx) {
      await lockAlerts(tx);
      const on = await lastSweptOn(tx);
      if (on && on !== (await rebuildSweptOn(tx))) await sweepAlerts(tx, on, overrides);
    },
  };
}

export const alertsProjection: Projection = alertsProjectionWith();
