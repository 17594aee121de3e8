// A rule judged on a date says until when its findings hold (judgeRule's `until`): the alerts
// projection does not ask it again before then while its inputs stay the same. Given every state of
// the lifecycles in histories.ts and dates across the years, when a rule is judged on a date, then on
// every later date before its `until` a fresh judgement finds the same alerts, and the reasons the
// first judgement says for that later date are the fresh one's.
import { describe, expect, it } from 'vitest';
import { judgeRule } from '../../src/alerts/evaluate.js';
import { appliesTo } from '../../src/alerts/rule-kit.js';
import { ALERT_RULES, type AlertFinding } from '../../src/alerts/rules.js';
import { addDays, daysBetween, type IsoDate } from '../../src/domain/dates.js';
import { regimeInForce } from '../../src/domain/regimes.js';
import { CONTEXT, DATES, HISTORIES, states } from './histories.js';

/** Days after the judged date to judge again at (and the day before `until`). */
const LATER = [1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 377, 610, 987];

const what = (found: readonly AlertFinding[], on: IsoDate) =>
  found.map((f) => ({
    ruleId: f.ruleId,
    key: f.key,
    since: f.since,
    severity: f.severity,
    regime: f.regime,
    article: f.article,
    reason: f.reasonOn(on),
  }));

describe('how long a judgement holds', () => {
  it("a rule's findings hold, reasons said for the day, on every date before the date it names", () => {
    let compared = 0;
    let lasting = 0;
    for (const rule of ALERT_RULES)
      for (const s of HISTORIES.flatMap(states))
        for (const day of DATES) {
          const judge = (on: IsoDate) => judgeRule(rule, s, on, {}, CONTEXT, regimeInForce(s.family, on));
          const first = judge(day);
          if (first.until !== undefined) expect(first.until > day, `${rule.id} on ${day}`).toBe(true);
          if (first.until === undefined || daysBetween(day, first.until) > 30) lasting += 1;
          const later = LATER.map((n) => addDays(day, n));
          if (first.until !== undefined) later.push(addDays(first.until, -1));
          for (const on of later) {
            if (first.until !== undefined && on >= first.until) continue;
            expect(what(first.findings, on), `${rule.id} judged on ${day}, again on ${on}`).toEqual(
              what(judge(on).findings, on),
            );
            compared += first.findings.length;
          }
        }
    expect(compared).toBeGreaterThan(0);
    // Most judgements hold for weeks: else the projection would gain nothing by them.
    expect(lasting).toBeGreaterThan((ALERT_RULES.length * DATES.length) / 2);
  });

  it('a judgement holds no further than a change of regime', () => {
    const rule = ALERT_RULES[0]!;
    // The last state the rule applies to (with a milestone open, before the termination).
    const s = states(HISTORIES[0]!).findLast((x) => appliesTo(rule, x, CONTEXT))!;
    // Law 61/2020 ends on 28/2/2026 and Law 143/2025 begins the next day.
    const { until } = judgeRule(
      rule,
      s,
      '2026-01-15' as IsoDate,
      {},
      CONTEXT,
      regimeInForce(s.family, '2026-01-15' as IsoDate),
    );
    expect(until !== undefined && until <= '2026-03-01').toBe(true);
  });
});
