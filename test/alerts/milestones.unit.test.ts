import { describe, expect, it } from 'vitest';
import { milestone, nonStateUpTo, publicUpTo, terminated } from '../domain/fixtures.js';
import { on } from '../support/decider.js';
import { expectOpensOn, findingOn, type History, keysOn } from './support.js';

const OVERDUE = 'MILESTONE_OVERDUE';
const RESCHEDULE = 'RESCHEDULE_OVER_LIMIT';

const reschedule = (date: string, from: string, to: string, causeKind: 'objective' | 'subjective') =>
  on(date, 'MilestoneRescheduled', {
    milestoneId: 'KC01',
    from,
    to,
    reason: 'Chậm giải phóng mặt bằng',
    causeKind,
  });

describe('MILESTONE_OVERDUE: a planned milestone past its current due date with no completion', () => {
  const given: History = [...nonStateUpTo('certified'), milestone('KC01', '2023-06-30')];

  it('opens the day after the due date, with the due date and the days late', () => {
    const f = expectOpensOn(given, OVERDUE, 'KC01', '2023-07-01');
    expect(f.regime).toBe('LI2020');
    expect(findingOn(given, '2023-07-31', OVERDUE, 'KC01')!.reason.en).toContain('2023-06-30');
    expect(findingOn(given, '2023-07-31', OVERDUE, 'KC01')!.reason.en).toContain('31 days late');
    expect(findingOn(given, '2023-07-31', OVERDUE, 'KC01')!.reason.vi).toContain('30/06/2023');
  });

  it('closes when the milestone is completed', () => {
    const done = [
      ...given,
      on('2023-08-15', 'MilestoneCompleted', { milestoneId: 'KC01', completedOn: '2023-08-10' }),
    ];
    expect(keysOn(done, '2023-09-01', OVERDUE)).toEqual([]);
  });

  it('a reschedule moves the opening to the new due date', () => {
    const moved = [...given, reschedule('2023-06-01', '2023-06-30', '2023-12-31', 'objective')];
    expect(keysOn(moved, '2023-09-01', OVERDUE)).toEqual([]);
    expectOpensOn(moved, OVERDUE, 'KC01', '2024-01-01');
  });

  it('one alert per open milestone', () => {
    const two = [...given, milestone('VH01', '2023-09-30')];
    expect(keysOn(two, '2023-08-01', OVERDUE)).toEqual(['KC01']);
    expect(keysOn(two, '2023-10-01', OVERDUE).sort()).toEqual(['KC01', 'VH01']);
  });

  it('graceDays overrides the default of 0', () => {
    expectOpensOn(given, OVERDUE, 'KC01', '2023-07-11', { [OVERDUE]: { graceDays: 10 } });
  });

  it('a terminated project has no overdue milestones', () => {
    expect(keysOn(terminated([...given], '2023-09-01'), '2023-10-01', OVERDUE)).toEqual([]);
  });

  it('applies to public projects under the public investment law', () => {
    const pub = [...publicUpTo('investmentDecided'), milestone('KC01', '2024-12-31')];
    const f = expectOpensOn(pub, OVERDUE, 'KC01', '2025-01-01');
    expect(f.regime).toBe('LPI2024');
  });
});

describe('RESCHEDULE_OVER_LIMIT: cumulative extension beyond 12 months (warning) / 24 months (not allowed)', () => {
  const given: History = [...nonStateUpTo('certified'), milestone('KC01', '2023-06-30')];

  it('exactly 12 months is within the limit; one day more opens the warning', () => {
    const twelve = [...given, reschedule('2023-06-01', '2023-06-30', '2024-06-30', 'subjective')];
    expect(keysOn(twelve, '2023-07-01', RESCHEDULE)).toEqual([]);
    const over = [...given, reschedule('2023-06-01', '2023-06-30', '2024-07-01', 'subjective')];
    const f = findingOn(over, '2023-07-01', RESCHEDULE, 'KC01:warn');
    expect(f?.severity).toBe('warning');
    expect(f?.reason.en).toContain('2023-06-30 → 2024-07-01');
  });

  it('counts reschedules cumulatively', () => {
    const steps = [
      ...given,
      reschedule('2023-06-01', '2023-06-30', '2023-12-31', 'subjective'),
      reschedule('2023-12-01', '2023-12-31', '2024-08-31', 'subjective'),
    ];
    expect(keysOn(steps.slice(0, -1), '2024-01-01', RESCHEDULE)).toEqual([]);
    expect(keysOn(steps, '2024-01-01', RESCHEDULE)).toEqual(['KC01:warn']);
    expect(findingOn(steps, '2024-01-01', RESCHEDULE, 'KC01:warn')!.since).toBe('2023-12-31');
  });

  it('closes with a policy adjustment recorded after the reschedule', () => {
    const over = [...given, reschedule('2023-06-01', '2023-06-30', '2024-08-31', 'subjective')];
    const adjusted = [
      ...over,
      on('2023-07-01', 'InvestmentPolicyAdjusted', {
        changes: [{ field: 'schedule', from: '2023-06-30', to: '2024-08-31' }],
        trigger: 'Giãn tiến độ quá 12 tháng',
      }),
    ];
    expect(keysOn(over, '2023-07-02', RESCHEDULE)).toEqual(['KC01:warn']);
    expect(keysOn(adjusted, '2023-07-02', RESCHEDULE)).toEqual([]);
    // a later reschedule needs a new adjustment
    const again = [...adjusted, reschedule('2024-08-01', '2024-08-31', '2024-10-31', 'subjective')];
    expect(keysOn(again, '2024-08-02', RESCHEDULE)).toEqual(['KC01:warn']);
  });

  it('beyond 24 months for subjective causes is a violation', () => {
    const at24 = [
      ...given,
      reschedule('2023-06-01', '2023-06-30', '2024-06-30', 'subjective'),
      reschedule('2024-06-01', '2024-06-30', '2025-06-30', 'subjective'),
    ];
    expect(keysOn(at24, '2024-06-02', RESCHEDULE)).toEqual(['KC01:warn']);
    const over = [...at24.slice(0, -1), reschedule('2024-06-01', '2024-06-30', '2025-07-01', 'subjective')];
    const f = findingOn(over, '2024-06-02', RESCHEDULE, 'KC01:cap');
    expect(f?.severity).toBe('violation');
    expect(f?.since).toBe('2024-06-30');
  });

  it('objective causes do not count toward the 24-month cap unless exemptObjective is false', () => {
    const objective = [...given, reschedule('2023-06-01', '2023-06-30', '2025-12-31', 'objective')];
    expect(keysOn(objective, '2023-06-02', RESCHEDULE)).toEqual(['KC01:warn']);
    expect(keysOn(objective, '2023-06-02', RESCHEDULE, { [RESCHEDULE]: { exemptObjective: false } })).toEqual(
      ['KC01:cap'],
    );
  });

  it('warnMonths overrides the default of 12', () => {
    const six = [...given, reschedule('2023-06-01', '2023-06-30', '2024-01-31', 'subjective')];
    expect(keysOn(six, '2023-06-02', RESCHEDULE)).toEqual([]);
    expect(keysOn(six, '2023-06-02', RESCHEDULE, { [RESCHEDULE]: { warnMonths: 6 } })).toEqual(['KC01:warn']);
  });

  it('does not apply to public projects', () => {
    const pub = [
      ...publicUpTo('investmentDecided'),
      milestone('KC01', '2023-06-30'),
      reschedule('2023-06-01', '2023-06-30', '2026-06-30', 'subjective'),
    ];
    expect(keysOn(pub, '2023-06-02', RESCHEDULE)).toEqual([]);
  });
});
