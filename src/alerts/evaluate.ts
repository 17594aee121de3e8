// Evaluating every rule against one project on a chosen date, and the difference between two
// evaluations: what a caller opens when a condition starts holding and closes when an event resolves
// it or the clock moves past it.
import type { IsoDate } from '../domain/dates.js';
import type { ExistingProject } from '../domain/project/state.js';
import { type AlertContext, NO_CONTEXT } from './rule-kit.js';
import { ALERT_RULES, type AlertFinding, type AlertRule, versionInForce } from './rules.js';

/** Parameters overriding a rule's defaults, by rule id (e.g. `{ UNFUNDED: { months: 9 } }`). */
export type RuleOverrides = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

export function evaluateAlerts(
  state: ExistingProject,
  today: IsoDate,
  overrides: RuleOverrides = {},
  rules: readonly AlertRule[] = ALERT_RULES,
  /** The project's capital in the annual plans, for the capital rules (none when absent). */
  context: AlertContext = NO_CONTEXT,
): AlertFinding[] {
  return rules.flatMap((rule) => {
    const version = versionInForce(rule, state.family, today);
    if (!version) return [];
    const params = { ...version.defaults, ...overrides[rule.id] };
    return rule
      .evaluate(state, today, params, version, context)
      .map((f) => ({ ruleId: rule.id, regime: version.regime, article: version.article, ...f }));
  });
}

export const alertKey = (f: Pick<AlertFinding, 'ruleId' | 'key'>): string => `${f.ruleId}/${f.key}`;

export interface AlertDiff {
  readonly opened: AlertFinding[];
  readonly closed: AlertFinding[];
}

/** Findings present only after (opened) and only before (closed), matched by rule id and key. */
export function diffAlerts(before: readonly AlertFinding[], after: readonly AlertFinding[]): AlertDiff {
  const was = new Set(before.map(alertKey));
  const is = new Set(after.map(alertKey));
  return {
    opened: after.filter((f) => !was.has(alertKey(f))),
    closed: before.filter((f) => !is.has(alertKey(f))),
  };
}
