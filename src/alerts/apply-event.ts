// One event on one project, as the alerts projection writes it: what holds on the event's date after
// it opens (or refreshes) an alert; what held before it and no longer does closes by it. A rule whose
// inputs the event left the same, or that applies to neither state (findsTheSame), finds the same
// before and after: it is asked once, and nothing of it closes.

import { findingKey } from './evaluate.js';
import type { Judge, Subject } from './judge.js';
import { findsTheSame } from './rule-kit.js';
import type { AlertBook, WriteContext } from './table.js';

/**
 * An open alert the two evaluations do not see (its `since` is after this back-dated event) is
 * checked on the date it was last seen open: if the event made it stop holding there, the event
 * closed it too.
 */
export function applyEvent(
  alerts: AlertBook,
  judge: Judge,
  projectId: string,
  eventId: string,
  ctx: WriteContext,
  before: Subject,
  after: Subject,
): void {
  const open = alerts.openOf(projectId);
  const rules = judge.rules;
  const changed = rules.map(
    (r) => !findsTheSame(r, before.state, before.context, after.state, after.context),
  );
  const holding = new Set<string>();
  for (let i = 0; i < rules.length; i++)
    for (const f of judge.findings(after, ctx.on, i)) {
      const k = findingKey(f);
      holding.add(k);
      const row = open.get(k);
      if (row) alerts.refreshAlert(row, f, ctx, k);
      else alerts.openAlert(projectId, f, ctx);
    }
  if (!changed.includes(true)) return; // every rule holds what it held
  const held = new Set<string>();
  for (let i = 0; i < rules.length; i++) {
    if (!changed[i]) continue; // it holds what it held
    for (const f of judge.findings(before, ctx.on, i)) {
      const k = findingKey(f);
      held.add(k);
      if (holding.has(k)) continue;
      const row = open.get(k);
      if (row) alerts.closeAlert(row, ctx, 'resolved by event', eventId);
      else alerts.recordClosed(projectId, f, ctx, eventId);
    }
  }
  for (const [k, row] of open) {
    const i = judge.ruleIndex(row.rule_id);
    if (i === undefined || !changed[i] || holding.has(k) || held.has(k)) continue;
    const stillHeld = judge.findings(before, row.seen_on, i).some((f) => findingKey(f) === k);
    const stillHolds = judge.findings(after, row.seen_on, i).some((f) => findingKey(f) === k);
    if (stillHeld && !stillHolds) alerts.closeAlert(row, ctx, 'resolved by event', eventId);
  }
}
