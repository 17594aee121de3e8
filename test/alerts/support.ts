// Given a dated history folded with the real evolve, when the clock reads `today`, then these alerts
// hold. `opensOn` checks the edge: nothing the day before, the alert from that day on.
import { expect } from 'vitest';
import { evaluateAlerts, type RuleOverrides } from '../../src/alerts/evaluate.js';
import type { AlertFinding } from '../../src/alerts/rules.js';
import { addDays, type IsoDate } from '../../src/domain/dates.js';
import type { ProjectEvent } from '../../src/domain/project/events.js';
import { type ExistingProject, evolveProject, initialProjectState } from '../../src/domain/project/state.js';
import type { Dated } from '../support/decider.js';

export type History = readonly Dated<ProjectEvent>[];

export function stateOf(history: History): ExistingProject {
  const s = history.reduce(
    (state, e) => evolveProject(state, e, { effectiveAt: e.effectiveAt as IsoDate }),
    initialProjectState,
  );
  if (s.family === 'none') throw new Error('history does not register a project');
  return s;
}

export const alertsOn = (history: History, today: string, overrides?: RuleOverrides): AlertFinding[] =>
  evaluateAlerts(stateOf(history), today as IsoDate, overrides);

/** `ruleId/key` of the alerts of one rule on `today`. */
export const keysOn = (history: History, today: string, ruleId: string, overrides?: RuleOverrides) =>
  alertsOn(history, today, overrides)
    .filter((f) => f.ruleId === ruleId)
    .map((f) => f.key);

export const findingOn = (
  history: History,
  today: string,
  ruleId: string,
  key: string,
  overrides?: RuleOverrides,
): AlertFinding | undefined =>
  alertsOn(history, today, overrides).find((f) => f.ruleId === ruleId && f.key === key);

/** No alert the day before `date`; the alert on `date` (with `since` = `date`) and a month later. */
export function expectOpensOn(
  history: History,
  ruleId: string,
  key: string,
  date: string,
  overrides?: RuleOverrides,
): AlertFinding {
  const d = date as IsoDate;
  expect(findingOn(history, addDays(d, -1), ruleId, key, overrides), `day before ${date}`).toBeUndefined();
  const found = findingOn(history, d, ruleId, key, overrides);
  expect(found, `on ${date}`).toBeDefined();
  expect(found!.since).toBe(date);
  expect(findingOn(history, addDays(d, 30), ruleId, key, overrides), `after ${date}`).toBeDefined();
  return found!;
}
