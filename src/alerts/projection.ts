// The alerts projection: for each project event, the project's alerts evaluated on the event's
// effective date before and after it (evaluateAlerts, pure), so an alert closes with the event that
// resolved it (closed_by_event_id names it, closed_on is its effective date), one an event opened
// opens at once, and one that opened and closed between two clock sweeps is still recorded. Alerts
// that open because time passes, with no event, are the clock sweep's (sweep.ts); both write the
// `alerts` table under one lock and evaluate the same folded states (alert_project_state).
import type pg from 'pg';
import type { IsoDate } from '../domain/dates.js';
import { PROJECT_EVENT_TYPES } from '../domain/project/events.js';
import type { ProjectState } from '../domain/project/state.js';
import { type FoldStep, foldProjectEvents, saveFoldedStates } from '../projections/project-fold.js';
import type { ProjectedEvent, Projection } from '../projections/projection.js';
import { alertKey, evaluateAlerts, type RuleOverrides } from './evaluate.js';
import type { AlertFinding } from './rules.js';
import {
  closeAlert,
  loadOpen,
  lockAlerts,
  type OpenAlert,
  openAlert,
  openOf,
  recordClosed,
  refreshAlert,
  type WriteContext,
} from './table.js';

/** The projection with the rules' default parameters overridden by `overrides` (per rule id). */
export function alertsProjectionWith(overrides: RuleOverrides = {}): Projection {
  const applyBatch = async (tx: pg.PoolClient, events: readonly ProjectedEvent[]): Promise<void> => {
    await lockAlerts(tx);
    const { steps, projects } = await foldProjectEvents(tx, 'alert_project_state', events);
    if (steps.length === 0) return;
    const open = await loadOpen(tx, [...projects.keys()]);
    for (const step of steps) await applyStep(tx, step, openOf(open, step.projectId), overrides);
    await saveFoldedStates(tx, 'alert_project_state', projects);
  };
  return {
    name: 'alerts',
    // 2: states keep policyDecidedOn, investmentDecidedOn and land.firstHandedOverOn; three more rules.
    version: 2,
    handles: PROJECT_EVENT_TYPES,
    tables: ['alerts', 'alert_project_state'],
    apply: (tx, e) => applyBatch(tx, [e]),
    applyBatch,
  };
}

export const alertsProjection: Projection = alertsProjectionWith();

const evaluate = (s: ProjectState, on: IsoDate, overrides: RuleOverrides): AlertFinding[] =>
  s.family === 'none' ? [] : evaluateAlerts(s, on, overrides);

/**
 * One event: what holds on its date after it opens (or refreshes) an alert; what held before it and
 * no longer does closes by it. An open alert the two evaluations do not see (its `since` is after
 * this back-dated event) is checked on the date it was last seen open: if the event made it stop
 * holding there, the event closed it too.
 */
async function applyStep(
  tx: pg.PoolClient,
  { projectId, event, before, after }: FoldStep,
  open: Map<string, OpenAlert>,
  overrides: RuleOverrides,
): Promise<void> {
  const ctx: WriteContext = {
    on: event.meta.effectiveAt,
    revision: event.revision,
    at: event.meta.recordedAt,
  };
  const was = evaluate(before, ctx.on, overrides);
  const is = evaluate(after, ctx.on, overrides);
  const holds = new Set(is.map(alertKey));
  const held = new Set(was.map(alertKey));
  for (const f of is) {
    const k = alertKey(f);
    const row = open.get(k);
    open.set(k, row ? await refreshAlert(tx, row, f, ctx) : await openAlert(tx, projectId, f, ctx));
  }
  for (const f of was) {
    const k = alertKey(f);
    if (holds.has(k)) continue;
    const row = open.get(k);
    if (row) {
      await closeAlert(tx, row, ctx, 'resolved by event', event.id);
      open.delete(k);
    } else await recordClosed(tx, projectId, f, ctx, event.id);
  }
  for (const [k, row] of open) {
    if (holds.has(k) || held.has(k)) continue;
    const stillHeld = evaluate(before, row.seen_on, overrides).some((f) => alertKey(f) === k);
    const stillHolds = evaluate(after, row.seen_on, overrides).some((f) => alertKey(f) === k);
    if (stillHeld && !stillHolds) {
      await closeAlert(tx, row, ctx, 'resolved by event', event.id);
      open.delete(k);
    }
  }
}
