// A rule names the states it speaks of (`appliesTo`): on any other it finds nothing, on any date, and
// is not asked. The alerts projection then treats an event between two states a rule does not apply
// to as leaving that rule the same, whatever it changed (findsTheSame).
import { describe, expect, it } from 'vitest';
import { judgeRule } from '../../src/alerts/evaluate.js';
import { Judge } from '../../src/alerts/judge.js';
import {
  type AlertRule,
  appliesTo,
  defineRule,
  findsTheSame,
  sameInputs,
} from '../../src/alerts/rule-kit.js';
import { ALERT_RULES, type AlertFinding } from '../../src/alerts/rules.js';
import type { IsoDate } from '../../src/domain/dates.js';
import { regimeInForce } from '../../src/domain/regimes.js';
import { CONTEXT, DATES, HISTORIES, states, transitions } from './histories.js';

const ALL = HISTORIES.flatMap(states);

describe('the states a rule applies to', () => {
  it('a rule is not asked about a state it does not apply to: nothing found, on any date', () => {
    let asked = 0;
    const rule = defineRule({
      ...(ALERT_RULES[0] as AlertRule),
      appliesTo: (s) => s.phase === 'underConstruction',
      evaluate: () => {
        asked += 1;
        return [];
      },
    });
    const s = ALL.find((x) => x.phase !== 'underConstruction')!;
    const on = '2025-01-15' as IsoDate;
    const judged = judgeRule(rule, s, on, {}, CONTEXT, regimeInForce(s.family, on));
    expect(judged).toEqual({ findings: [], until: undefined });
    expect(asked).toBe(0);
    const building = ALL.find((x) => x.phase === 'underConstruction')!;
    judgeRule(rule, building, on, {}, CONTEXT, regimeInForce(building.family, on));
    expect(asked).toBe(1);
  });

  it('every rule applies to some states of the lifecycles and not to others', () => {
    for (const rule of ALERT_RULES) {
      const applies = ALL.filter((s) => appliesTo(rule, s, CONTEXT)).length;
      expect(applies, rule.id).toBeGreaterThan(0);
      expect(applies, rule.id).toBeLessThan(ALL.length);
    }
  });

  it('an event between two states a rule does not apply to leaves the rule the same, whatever it changed', () => {
    let silentChanges = 0;
    for (const [before, after] of transitions())
      for (const rule of ALERT_RULES) {
        const neither = !appliesTo(rule, before, CONTEXT) && !appliesTo(rule, after, CONTEXT);
        const same = sameInputs(rule, before, CONTEXT, after, CONTEXT);
        expect(findsTheSame(rule, before, CONTEXT, after, CONTEXT), rule.id).toBe(same || neither);
        if (neither && !same) silentChanges += 1;
      }
    expect(silentChanges).toBeGreaterThan(0);
  });

  it("the projection's judge answers as a fresh judgement does, on states a rule applies to and on others", () => {
    let found = 0;
    let silent = 0;
    for (const history of HISTORIES) {
      const judge = new Judge({});
      for (const s of states(history))
        for (const day of DATES)
          ALERT_RULES.forEach((rule, i) => {
            const fresh = judgeRule(rule, s, day, {}, CONTEXT, regimeInForce(s.family, day)).findings;
            const keys = (f: readonly AlertFinding[]) => f.map((x) => [x.ruleId, x.key, x.since]);
            expect(
              keys(judge.findings({ state: s, context: CONTEXT }, day, i)),
              `${rule.id} on ${day}`,
            ).toEqual(keys(fresh));
            found += fresh.length;
            if (!appliesTo(rule, s, CONTEXT)) silent += 1;
          });
    }
    expect(found).toBeGreaterThan(0);
    expect(silent).toBeGreaterThan(0);
  });
});
