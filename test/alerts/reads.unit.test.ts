// Each rule names what it reads (`reads`: parts of the project's state, or its capital context): the
// alerts projection asks a rule again after an event only when one of those changed (sameInputs).
// Given projects walked through their lifecycles with milestones, reschedules, a suspension, land,
// reports and capital, when every rule judges every state on dates across the years, then a rule
// touches nothing else, and an event that leaves its inputs the same leaves its findings the same.
import { describe, expect, it } from 'vitest';
import { evaluateRule } from '../../src/alerts/evaluate.js';
import { type AlertContext, NO_CONTEXT, type PlanCapital, sameInputs } from '../../src/alerts/rule-kit.js';
import { ALERT_RULES, type AlertFinding } from '../../src/alerts/rules.js';
import { addDays, type IsoDate } from '../../src/domain/dates.js';
import { TY } from '../../src/domain/money.js';
import {
  type ExistingProject,
  evolveProject,
  initialProjectState,
  type ProjectState,
} from '../../src/domain/project/state.js';
import { regimeInForce } from '../../src/domain/regimes.js';
import { milestone, nonStateUpTo, publicUpTo, terminated } from '../domain/fixtures.js';
import { on } from '../support/decider.js';
import type { History } from './support.js';

const reschedule = (date: string, from: string, to: string, causeKind: 'objective' | 'subjective') =>
  on(date, 'MilestoneRescheduled', { milestoneId: 'KC01', from, to, reason: 'Chậm', causeKind });

const HISTORIES: History[] = [
  terminated(
    [
      ...nonStateUpTo('certified'),
      milestone('KC01', '2023-06-30'),
      on('2022-04-01', 'LandHandedOver', { areaM2: 10_000 }),
      on('2022-04-12', 'PeriodicReportSubmitted', { reportKind: 'quarterly', period: '2022-Q1' }),
      reschedule('2023-06-01', '2023-06-30', '2024-08-31', 'subjective'),
      on('2023-07-01', 'InvestmentPolicyAdjusted', {
        changes: [{ field: 'schedule', from: '2023-06-30', to: '2024-08-31' }],
        trigger: 'Giãn tiến độ quá 12 tháng',
      }),
      reschedule('2024-08-01', '2024-08-31', '2026-10-31', 'subjective'),
      on('2024-09-01', 'ConstructionStarted', {}),
      on('2024-10-01', 'ProgressReported', { period: '2024-09', physicalPercent: 5, delayCauses: [] }),
      on('2025-02-15', 'ProjectSuspended', { ground: 'Art. 47(2)', reason: 'Vi phạm về môi trường' }),
      on('2026-03-01', 'ProjectResumed', { reason: 'Đã khắc phục vi phạm' }),
    ],
    '2026-09-01',
  ),
  [
    ...publicUpTo('underConstruction'),
    milestone('KC01', '2023-06-30'),
    on('2022-10-01', 'ProgressReported', { period: '2022-09', physicalPercent: 10, delayCauses: [] }),
    on('2023-06-01', 'ConstructionCompleted', {}),
    on('2023-07-01', 'WorksHandedOver', { recipient: 'Sở Xây dựng tỉnh Cao Bằng' }),
  ],
];

/** Every state each history passes through (the registration's "before" left out). */
function states(history: History): ExistingProject[] {
  const out: ExistingProject[] = [];
  let s: ProjectState = initialProjectState;
  for (const e of history) {
    s = evolveProject(s, e, { effectiveAt: e.effectiveAt as IsoDate });
    if (s.family !== 'none') out.push(s);
  }
  return out;
}

const DATES: IsoDate[] = Array.from({ length: 50 }, (_, i) => addDays('2022-01-01' as IsoDate, i * 38));

const CAPITAL: PlanCapital = {
  plan: 'capitalplan-04_2022',
  year: 2022,
  disbursementDeadline: '2023-01-31' as IsoDate,
  moves: [
    { on: '2022-02-01' as IsoDate, allocated: 10n * TY, disbursed: 0n },
    { on: '2022-10-01' as IsoDate, allocated: 0n, disbursed: 1n * TY },
  ],
};
const CONTEXT: AlertContext = { capital: [CAPITAL] };

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
    for (const history of HISTORIES) {
      const seen = states(history);
      for (let i = 1; i < seen.length; i++) {
        const [before, after] = [seen[i - 1]!, seen[i]!];
        for (const rule of ALERT_RULES) {
          if (!sameInputs(rule, before, CONTEXT, after, CONTEXT)) continue;
          for (const day of DATES) {
            const was = said(judge(rule, before, CONTEXT, day));
            expect(said(judge(rule, after, CONTEXT, day)), `${rule.id} on ${day}`).toEqual(was);
            compared += was.length;
          }
        }
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
