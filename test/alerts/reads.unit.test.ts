// Each rule names what it reads (`reads`: parts of the project's state, or its capital context): the
// alerts projection asks a rule again after an event only when one of those changed (sameInputs).
// Given projects walked through their lifecycles with milestones, reschedules, a suspension, land,
// reports and capital, when every rule judges every state on dates across the years, then a rule
// touches nothing else, and an event that leaves its inputs the same leaves its findings the same.
import { describe, expect, it } from 'vitest';
import { evaluateRule } from '../../src/alerts/evaluate.js';
import { type AlertContext, NO_CONTEXT, sameInputs } from '../../src/alerts/rule-kit.js';
import { ALERT_RULES, type AlertFinding } from '../../src/alerts/rules.js';
import type { IsoDate } from '../../src/domain/dates.js';
import type { ExistingProject } from '../../src/domain/project/state.js';
import { regimeInForce } from '../../src/domain/regimes.js';
import { CONTEXT, DATES, HISTORIES, states, transitions } from './histories.js';

const judge = (rule: (typeof ALERT_RULES)[number], s: ExistingProject, context: AlertContext, on: IsoDate) =>
  evaluateRule(rule, s, on, {}, context, regimeInForce(s.family, on));

/** What a finding says, its reason included. */
const said = (found: readonly AlertFinding[]) =>
  found.map((f) => ({ ...f, reason: { vi: f.reason.vi, en: f.reason.en } }));

describe('alert rules read only what they name', () => {
  it('a rule touches only the parts of the state (and the context) in its `reads`, reasons included', () => {
    let judged = 0;
    for (const rule of ALERT_RULES)
      for (const s of HISTORIES.flatMap(states)) {
        const touched = new Set<string>();
        const state = new Proxy(s, {
          get(target, key, receiver) {
            if (typeof key === 'string' && key !== 'family') touched.add(key);
            return Reflect.get(target, key, receiver);
          },
        });
        const context = new Proxy(CONTEXT, {
          get(target, key, receiver) {
            touched.add('context');
            return Reflect.get(target, key, receiver);
          },
        });
        for (const day of DATES)
          for (const f of judge(rule, state, context, day)) judged += f.reason.en.length > 0 ? 1 : 0;
        expect(
          [...touched].filter((k) => !(rule.reads as readonly string[]).includes(k)),
          rule.id,
        ).toEqual([]);
      }
    expect(judged).toBeGreaterThan(0);
  });

  it('an event that leaves a rule its inputs leaves its findings the same on every date', () => {
    let compared = 0;
    for (const [before, after] of transitions())
      for (const rule of ALERT_RULES) {
        if (!sameInputs(rule, before, CONTEXT, after, CONTEXT)) continue;
        for (const day of DATES) {
          const was = said(judge(rule, before, CONTEXT, day));
          expect(said(judge(rule, after, CONTEXT, day)), `${rule.id} on ${day}`).toEqual(was);
          compared += was.length;
        }
      }
    expect(compared).toBeGreaterThan(0);
  });

  it('a different capital context is a different input for the capital rules only', () => {
    const s = states(HISTORIES[1]!).at(-1)!;
    const readers = ALERT_RULES.filter((r) => !sameInputs(r, s, NO_CONTEXT, s, CONTEXT)).map((r) => r.id);
    expect(readers).toEqual(['CAPITAL_NOT_DISBURSED', 'LOW_DISBURSEMENT']);
  });
});
