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
import type { IsoDate } from '../domain/dates.js';
import { PROJECT_EVENT_TYPES } from '../domain/project/events.js';
import type { ProjectState } from '../domain/project/state.js';
import { CAPITAL_PLAN, category } from '../domain/streams.js';
import type { Memo } from '../projections/memo.js';
import { foldProjectEvents, saveFoldedStates } from '../projections/project-fold.js';
import type { ProjectedEvent, Projection } from '../projections/projection.js';
import { stateFromJson } from '../projections/state-json.js';
import { loadCapitalBook, saveCapitalBook } from './capital-book.js';
import { capitalMoves, contextOf, planAfter } from './capital-context.js';
import { alertKey, evaluateAlerts, type RuleOverrides } from './evaluate.js';
import { type AlertContext, NO_CONTEXT } from './rule-kit.js';
import { ALERT_RULES, type AlertFinding } from './rules.js';
import { lastSweptOn, sweepAlerts } from './sweep.js';
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
    if (others.length > 0) {
      const { rows } = await tx.query<{ project_id: string; state: unknown }>(
        'SELECT project_id, state FROM alert_project_state WHERE project_id = ANY($1)',
        [others],
      );
      for (const r of rows) current.set(r.project_id, stateFromJson(r.state));
    }
    const alerts = await AlertBook.load(tx, [...current.keys()]);
    const { judge, forget } = judgeOnce(overrides);
    // Each project's capital context, kept until a capital event changes the book.
    const contexts = new Map<string, AlertContext>();
    const contextNow = (id: string): AlertContext => {
      let c = contexts.get(id);
      if (!c) {
        c = contextOf(book.capital.get(id), book.plans);
        contexts.set(id, c);
      }
      return c;
    };
    const stepOf = new Map(steps.map((s) => [s.event.id, s]));

    for (const e of events) {
      const at: WriteContext = { on: e.meta.effectiveAt, revision: e.revision, at: e.meta.recordedAt };
      const step = stepOf.get(e.id);
      if (step) {
        current.set(step.projectId, step.after);
        const ctx = contextNow(step.projectId);
        applyEvent(
          alerts,
          step.projectId,
          e.id,
          { ...at, revision: step.event.revision },
          {
            before: (on) => judge(step.before, ctx, on),
            after: (on) => judge(step.after, ctx, on),
          },
        );
        forget(step.before); // the fold has moved past it
        continue;
      }
      if (category(e.stream) !== CAPITAL_PLAN) continue;
      const plan = book.plans.get(e.stream);
      if ((book.revisions.get(e.stream) ?? -1) >= e.revision) continue; // applied before
      const domain = e.domain as CapitalEvent;
      const moves = capitalMoves(domain, at.on);
      const affected = new Set(moves.map(([id]) => id));
      if (domain.type === 'DisbursementPeriodExtended')
        for (const [id, plans] of book.capital) if (plans.has(e.stream)) affected.add(id);
      const before = new Map([...affected].map((id) => [id, contextNow(id)]));
      book.applied(e.stream, e.revision, planAfter(plan, domain));
      for (const [id, m] of moves) book.move(id, e.stream, m);
      contexts.clear();
      for (const id of affected) {
        const s = current.get(id);
        if (!s || s.family === 'none') continue; // capital for a project not (yet) registered
        const after = contextNow(id);
        applyEvent(
          alerts,
          id,
          e.id,
          { ...at, revision: s.history.length - 1 },
          {
            before: (on) => judge(s, before.get(id) ?? NO_CONTEXT, on),
            after: (on) => judge(s, after, on),
          },
        );
      }
    }
    await alerts.flush(tx);
    if (projects.size > 0) await saveFoldedStates(tx, 'alert_project_state', projects);
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
    // The log replays the alerts events opened; those only time opened come from the last sweep.
    async afterRebuild(tx) {
      await lockAlerts(tx);
      const on = await lastSweptOn(tx);
      if (on) await sweepAlerts(tx, on, overrides);
    },
  };
}

export const alertsProjection: Projection = alertsProjectionWith();

/**
 * The rules' findings for a state, a context and a date, each evaluated once per batch: the steps of
 * one event ask for the same states on the same dates (before and after, at the event's date and
 * where its open alerts were last seen), and the next event of a project starts from the state the
 * last one ended with. A state the fold has moved past is forgotten, so that findings die young.
 */
function judgeOnce(overrides: RuleOverrides) {
  const memo = new WeakMap<ProjectState, WeakMap<AlertContext, Map<IsoDate, AlertFinding[]>>>();
  const forget = (s: ProjectState) => memo.delete(s);
  const judge = (s: ProjectState, ctx: AlertContext, on: IsoDate): AlertFinding[] => {
    if (s.family === 'none') return [];
    let byContext = memo.get(s);
    if (!byContext) {
      byContext = new WeakMap();
      memo.set(s, byContext);
    }
    let byDate = byContext.get(ctx);
    if (!byDate) {
      byDate = new Map();
      byContext.set(ctx, byDate);
    }
    let found = byDate.get(on);
    if (!found) {
      found = evaluateAlerts(s, on, overrides, ALERT_RULES, ctx);
      byDate.set(on, found);
    }
    return found;
  };
  return { judge, forget };
}

/**
 * One event on one project: what holds on its date after it opens (or refreshes) an alert; what held
 * before it and no longer does closes by it. An open alert the two evaluations do not see (its
 * `since` is after this back-dated event) is checked on the date it was last seen open: if the event
 * made it stop holding there, the event closed it too.
 */
function applyEvent(
  alerts: AlertBook,
  projectId: string,
  eventId: string,
  ctx: WriteContext,
  judge: { before: (on: IsoDate) => AlertFinding[]; after: (on: IsoDate) => AlertFinding[] },
): void {
  const open = alerts.openOf(projectId);
  const was = judge.before(ctx.on);
  const is = judge.after(ctx.on);
  const holds = new Set(is.map(alertKey));
  const held = new Set(was.map(alertKey));
  for (const f of is) {
    const row = open.get(alertKey(f));
    if (row) alerts.refreshAlert(row, f, ctx);
    else alerts.openAlert(projectId, f, ctx);
  }
  for (const f of was) {
    const k = alertKey(f);
    if (holds.has(k)) continue;
    const row = open.get(k);
    if (row) alerts.closeAlert(row, ctx, 'resolved by event', eventId);
    else alerts.recordClosed(projectId, f, ctx, eventId);
  }
  for (const [k, row] of open) {
    if (holds.has(k) || held.has(k)) continue;
    const stillHeld = judge.before(row.seen_on).some((f) => alertKey(f) === k);
    const stillHolds = judge.after(row.seen_on).some((f) => alertKey(f) === k);
    if (stillHeld && !stillHolds) alerts.closeAlert(row, ctx, 'resolved by event', eventId);
  }
}
