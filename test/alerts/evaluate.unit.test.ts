import { describe, expect, it } from 'vitest';
import { diffAlerts, evaluateAlerts } from '../../src/alerts/evaluate.js';
import {
  ALERT_RULES,
  type AlertFinding,
  type AlertRule,
  MILESTONE_OVERDUE,
  ruleRegimes,
  versionInForce,
} from '../../src/alerts/rules.js';
import type { IsoDate } from '../../src/domain/dates.js';
import { milestone, nonStateUpTo, publicUpTo } from '../domain/fixtures.js';
import { on } from '../support/decider.js';
import { findingOn, stateOf } from './support.js';

const d = (s: string) => s as IsoDate;

describe('the rule in force is chosen by the regime in force on today', () => {
  const nonState = [...nonStateUpTo('certified'), milestone('KC01', '2023-06-30')];

  it('a non-state project is judged under Law 61/2020 until 28 Feb 2026, Law 143/2025 from 1 Mar 2026', () => {
    expect(findingOn(nonState, '2026-02-28', 'MILESTONE_OVERDUE', 'KC01')).toMatchObject({
      regime: 'LI2020',
      article: expect.stringContaining('61/2020'),
    });
    expect(findingOn(nonState, '2026-03-01', 'MILESTONE_OVERDUE', 'KC01')).toMatchObject({
      regime: 'LI2025',
      article: expect.stringContaining('143/2025'),
    });
  });

  it('a public project is judged under Law 39/2019 until 2024, Law 58/2024 from 2025', () => {
    const pub = [...publicUpTo('investmentDecided'), milestone('KC01', '2023-06-30')];
    expect(findingOn(pub, '2024-12-31', 'MILESTONE_OVERDUE', 'KC01')?.regime).toBe('LPI2019');
    expect(findingOn(pub, '2025-01-01', 'MILESTONE_OVERDUE', 'KC01')?.regime).toBe('LPI2024');
  });

  it('a rule with no version for the regime in force does not apply, and parameters follow the version', () => {
    const only2020: AlertRule<{ graceDays: number }> = {
      ...MILESTONE_OVERDUE,
      versions: [{ regime: 'LI2020', article: 'test', defaults: { graceDays: 100 } }],
    };
    const s = stateOf(nonState);
    const rules = [only2020] as unknown as readonly AlertRule[];
    expect(evaluateAlerts(s, d('2023-10-08'), {}, rules)).toEqual([]);
    expect(evaluateAlerts(s, d('2023-10-09'), {}, rules).map((f) => f.since)).toEqual(['2023-10-09']);
    expect(evaluateAlerts(s, d('2026-03-01'), {}, rules)).toEqual([]);
  });

  it('a rule of one family is never in force for the other', () => {
    const reschedule = ALERT_RULES.find((r) => r.id === 'RESCHEDULE_OVER_LIMIT')!;
    expect(versionInForce(reschedule, 'nonState', d('2024-01-01'))?.regime).toBe('LI2020');
    expect(versionInForce(reschedule, 'public', d('2024-01-01'))).toBeUndefined();
    const mislabelled = {
      ...reschedule,
      versions: [{ regime: 'LPI2019' as const, article: 'x', defaults: {} }],
    };
    expect(versionInForce(mislabelled, 'public', d('2024-01-01'))).toBeUndefined();
  });

  it('every rule names its regimes with their validity, and has stable unique ids', () => {
    const ids = ALERT_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of ALERT_RULES) {
      expect(ruleRegimes(rule).length).toBeGreaterThan(0);
      for (const r of ruleRegimes(rule)) expect(r.validFrom).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(rule.label.vi).not.toBe(rule.label.en);
    }
  });
});

describe('diffAlerts: what opens and closes between two evaluations', () => {
  const finding = (ruleId: string, key: string, since = '2023-01-01'): AlertFinding => ({
    ruleId,
    key,
    since: d(since),
    severity: 'warning',
    regime: 'LI2020',
    article: 'x',
    reason: { vi: 'x', en: 'x' },
    reasonOn: () => ({ vi: 'x', en: 'x' }),
  });

  it('opened are new (rule, key) pairs, closed are gone ones; the same pair is neither', () => {
    const before = [finding('A', '1'), finding('A', '2'), finding('B', '1')];
    const after = [finding('A', '1', '2023-02-01'), finding('B', '1'), finding('B', '2')];
    const diff = diffAlerts(before, after);
    expect(diff.opened.map((f) => `${f.ruleId}/${f.key}`)).toEqual(['B/2']);
    expect(diff.closed.map((f) => `${f.ruleId}/${f.key}`)).toEqual(['A/2']);
  });

  it('as the clock moves and an event arrives: opened on the due date, closed by completion', () => {
    const history = [...nonStateUpTo('certified'), milestone('KC01', '2023-06-30')];
    const s = stateOf(history);
    const before = evaluateAlerts(s, d('2023-06-30'));
    const after = evaluateAlerts(s, d('2023-07-01'));
    expect(diffAlerts(before, after).opened.map((f) => f.ruleId)).toContain('MILESTONE_OVERDUE');
    const done = stateOf([
      ...history,
      on('2023-07-05', 'MilestoneCompleted', { milestoneId: 'KC01', completedOn: '2023-07-05' }),
    ]);
    const closed = diffAlerts(after, evaluateAlerts(done, d('2023-07-05'))).closed;
    expect(closed.map((f) => `${f.ruleId}/${f.key}`)).toEqual(['MILESTONE_OVERDUE/KC01']);
  });
});
