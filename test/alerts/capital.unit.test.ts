// The capital rules over a public project's money in the annual plans: given its dated allocations
// and disbursements, when the clock reads `today`, then these alerts hold.
import { describe, expect, it } from 'vitest';
import { capitalMoves, contextOf, planAfter } from '../../src/alerts/capital-context.js';
import { evaluateAlerts, type RuleOverrides } from '../../src/alerts/evaluate.js';
import type { CapitalMove, PlanCapital } from '../../src/alerts/rule-kit.js';
import { ALERT_RULES } from '../../src/alerts/rules.js';
import type { IsoDate } from '../../src/domain/dates.js';
import { TY } from '../../src/domain/money.js';
import { publicUpTo } from '../domain/fixtures.js';
import { stateOf } from './support.js';

const UNDISBURSED = 'CAPITAL_NOT_DISBURSED';
const LOW = 'LOW_DISBURSEMENT';
const state = stateOf(publicUpTo('underConstruction'));

const move = (on: string, allocated: bigint, disbursed = 0n): CapitalMove => ({
  on: on as IsoDate,
  allocated,
  disbursed,
});
const plan2022 = (moves: CapitalMove[], deadline = '2023-01-31'): PlanCapital => ({
  plan: 'capitalplan-04_2022',
  year: 2022,
  disbursementDeadline: deadline as IsoDate,
  moves,
});

const keys = (capital: PlanCapital[], today: string, ruleId: string, overrides?: RuleOverrides) =>
  evaluateAlerts(state, today as IsoDate, overrides, ALERT_RULES, { capital })
    .filter((f) => f.ruleId === ruleId)
    .map((f) => `${f.key}@${f.since}`);

describe("CAPITAL_NOT_DISBURSED: the year's allocation not disbursed by the deadline", () => {
  const given = [plan2022([move('2022-02-01', 10n * TY), move('2022-10-01', 0n, 6n * TY)])];

  it('opens the day after the deadline, not on it, and stays as the clock moves on', () => {
    expect(keys(given, '2023-01-31', UNDISBURSED)).toEqual([]);
    expect(keys(given, '2023-02-01', UNDISBURSED)).toEqual(['undisbursed:2022@2023-02-01']);
    expect(keys(given, '2023-06-01', UNDISBURSED)).toEqual(['undisbursed:2022@2023-02-01']);
    const [f] = evaluateAlerts(state, '2023-02-01' as IsoDate, {}, ALERT_RULES, { capital: given }).filter(
      (x) => x.ruleId === UNDISBURSED,
    );
    expect(f?.reason.vi).toContain('4.000.000.000 đồng');
    expect(f?.article).toBe('Law 39/2019 Art. 68');
  });

  it('closes when the deadline is extended, the rest reallocated away, or a disbursement by the deadline recorded', () => {
    expect(
      keys([plan2022(given[0]!.moves as CapitalMove[], '2023-12-31')], '2023-02-01', UNDISBURSED),
    ).toEqual([]);
    const reallocated = plan2022([...given[0]!.moves, move('2023-02-10', -4n * TY)]);
    expect(keys([reallocated], '2023-02-10', UNDISBURSED)).toEqual([]);
    const lateRecord = plan2022([...given[0]!.moves, move('2023-01-30', 0n, 4n * TY)]);
    expect(keys([lateRecord], '2023-02-10', UNDISBURSED)).toEqual([]);
  });

  it('a disbursement after the deadline does not count', () => {
    const after = plan2022([...given[0]!.moves, move('2023-02-05', 0n, 4n * TY)]);
    expect(keys([after], '2023-02-10', UNDISBURSED)).toEqual(['undisbursed:2022@2023-02-01']);
  });
});

describe('LOW_DISBURSEMENT: below the threshold at a quarterly checkpoint', () => {
  // 10 tỷ allocated in February; 1 tỷ (10%) disbursed by 31/3 against 15%; 3 tỷ (30%) by 30/6 against 35%.
  const given = [
    plan2022([move('2022-02-01', 10n * TY), move('2022-03-15', 0n, TY), move('2022-05-15', 0n, 2n * TY)]),
  ];

  it('opens the day after the checkpoint and holds until the next one', () => {
    expect(keys(given, '2022-03-31', LOW)).toEqual([]);
    expect(keys(given, '2022-04-01', LOW)).toEqual(['low:2022:03-31@2022-04-01']);
    expect(keys(given, '2022-06-30', LOW)).toEqual([]);
    expect(keys(given, '2022-07-01', LOW)).toEqual(['low:2022:06-30@2022-07-01']);
  });

  it('closes when disbursement catches up with the threshold', () => {
    const caughtUp = [plan2022([...given[0]!.moves, move('2022-07-20', 0n, TY)])];
    expect(keys(caughtUp, '2022-07-19', LOW)).toEqual(['low:2022:06-30@2022-07-01']);
    expect(keys(caughtUp, '2022-07-20', LOW)).toEqual([]);
  });

  it('the last checkpoint holds until the disbursement deadline', () => {
    expect(keys(given, '2023-01-31', LOW)).toEqual(['low:2022:12-31@2023-01-01']);
    expect(keys(given, '2023-02-01', LOW)).toEqual([]);
  });

  it('the province sets the checkpoints and thresholds', () => {
    expect(keys(given, '2022-04-01', LOW, { [LOW]: { checkpoints: { '03-31': 5 } } })).toEqual([]);
    expect(keys(given, '2022-07-01', LOW, { [LOW]: { checkpoints: { '06-30': 50 } } })).toEqual([
      'low:2022:06-30@2022-07-01',
    ]);
  });

  it('nothing allocated yet, nothing judged', () => {
    expect(keys([plan2022([move('2022-05-01', 10n * TY)])], '2022-04-01', LOW)).toEqual([]);
  });
});

describe('the capital context the projection folds', () => {
  it('moves allocations, reallocations and disbursements (on their own date) and follows the deadline', () => {
    const info = planAfter(undefined, {
      type: 'AnnualCapitalPlanAssigned',
      data: { province: '04', year: 2022, total: 100n * TY, disbursementDeadline: '2023-01-31' as IsoDate },
    });
    expect(
      capitalMoves(
        {
          type: 'CapitalReallocated',
          data: { fromProjectId: 'A', toProjectId: 'B', amount: TY, reason: 'Chậm' },
        },
        '2022-09-01' as IsoDate,
      ),
    ).toEqual([
      ['A', move('2022-09-01', -TY)],
      ['B', move('2022-09-01', TY)],
    ]);
    expect(
      capitalMoves(
        {
          type: 'CapitalDisbursed',
          data: { projectId: 'A', amount: TY, disbursedOn: '2022-08-30' as IsoDate, source: 'provincial' },
        },
        '2022-09-01' as IsoDate,
      ),
    ).toEqual([['A', move('2022-08-30', 0n, TY)]]);
    const extended = planAfter(info, {
      type: 'DisbursementPeriodExtended',
      data: { from: '2023-01-31' as IsoDate, to: '2023-12-31' as IsoDate, reason: 'Dự án chuyển tiếp' },
    });
    const ctx = contextOf(
      new Map([['capitalplan-04_2022', [move('2022-02-01', TY)]]]),
      new Map([['capitalplan-04_2022', extended!]]),
    );
    expect(ctx.capital).toEqual([
      {
        plan: 'capitalplan-04_2022',
        year: 2022,
        disbursementDeadline: '2023-12-31',
        moves: [move('2022-02-01', TY)],
      },
    ]);
  });
});
