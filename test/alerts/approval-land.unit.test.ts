// The certificate, land and allocation-period rules: each opens on its day (not the day before),
// holds as the clock moves on, is gone when the clock is set back, and closes with its resolving event.
import { describe, expect, it } from 'vitest';
import { TY } from '../../src/domain/money.js';
import { cancelled, milestone, nonStateUpTo, publicUpTo } from '../domain/fixtures.js';
import { on } from '../support/decider.js';
import { expectOpensOn, findingOn, type History, keysOn } from './support.js';

const IRC = 'IRC_NOT_ISSUED';
const LAND = 'LAND_UNUSED';
const ALLOCATION = 'ALLOCATION_PERIOD_EXCEEDED';

describe('IRC_NOT_ISSUED: no certificate 5 working days after the investor approval', () => {
  // Investor approved on Tuesday 1/3/2022: the 5th working day is Tuesday 8/3 (the weekend skipped).
  const given: History = nonStateUpTo('investorApproved');

  it('opens the day after the 5th working day', () => {
    const f = expectOpensOn(given, IRC, 'certificate', '2022-03-09');
    expect(f.reason.en).toContain('due 2022-03-08');
    expect(f.article).toBe('Law 61/2020 Art. 38(1)(a)');
  });

  it('the clock set back before the deadline shows nothing', () => {
    expect(keysOn(given, '2022-03-08', IRC)).toEqual([]);
    expect(keysOn(given, '2022-06-01', IRC)).toEqual(['certificate']);
  });

  it('closes when the certificate is issued', () => {
    expect(keysOn(nonStateUpTo('certified'), '2022-03-10', IRC)).toEqual([]);
  });

  it('workingDays overrides the default of 5', () => {
    expectOpensOn(given, IRC, 'certificate', '2022-03-16', { [IRC]: { workingDays: 10 } });
  });
});

describe('LAND_UNUSED: land handed over and unused 12 months, or its use 24 months behind', () => {
  const handedOver: History = [
    ...nonStateUpTo('certified'),
    milestone('KC01', '2022-12-31'),
    on('2022-03-20', 'LandAllocated', { areaM2: 10_000, form: 'lease' }),
    on('2022-04-01', 'LandHandedOver', { areaM2: 10_000 }),
  ];

  it('opens 12 months after the first handover while construction has not started', () => {
    const f = expectOpensOn(handedOver, LAND, 'unused', '2023-04-01');
    expect(f.article).toBe('Land Law 45/2013 Art. 64(1)(i)');
    expect(f.reason.vi).toContain('01/04/2022');
  });

  it('cites the Land Law 2024 from 1/8/2024', () => {
    expect(findingOn(handedOver, '2024-07-31', LAND, 'unused')?.article).toBe(
      'Land Law 45/2013 Art. 64(1)(i)',
    );
    expect(findingOn(handedOver, '2024-08-01', LAND, 'unused')?.article).toBe('Land Law 31/2024 Art. 81(8)');
  });

  it('closes when construction starts, or when the land is recovered', () => {
    const started = [...handedOver, on('2023-05-01', 'ConstructionStarted', {})];
    expect(keysOn(started, '2023-05-01', LAND)).toEqual([]);
    const recovered = [
      ...handedOver,
      on('2023-05-01', 'LandRecovered', { areaM2: 10_000, reason: 'Chậm đưa đất vào sử dụng' }),
    ];
    expect(keysOn(recovered, '2023-05-01', LAND)).toEqual([]);
  });

  it('no land handed over, no alert', () => {
    expect(
      keysOn([...nonStateUpTo('certified'), milestone('KC01', '2022-12-31')], '2026-01-01', LAND),
    ).toEqual([]);
  });

  it('opens "behind" 24 months after a construction milestone was due, until it is met', () => {
    const building = [...handedOver, on('2022-12-01', 'ConstructionStarted', {})];
    expectOpensOn(building, LAND, 'behind:KC01', '2025-01-01');
    const met = [
      ...building,
      on('2025-02-01', 'MilestoneCompleted', { milestoneId: 'KC01', completedOn: '2025-02-01' }),
    ];
    expect(keysOn(met, '2025-02-01', LAND)).toEqual([]);
  });

  it('unusedMonths and behindMonths override the defaults', () => {
    expectOpensOn(handedOver, LAND, 'unused', '2022-10-01', {
      [LAND]: { unusedMonths: 6, behindMonths: 24 },
    });
    expectOpensOn(handedOver, LAND, 'behind:KC01', '2024-01-01', {
      [LAND]: { unusedMonths: 12, behindMonths: 12 },
    });
  });
});

describe('ALLOCATION_PERIOD_EXCEEDED: capital allocated for over 6/4/3 years (group A/B/C)', () => {
  // Group B, investment decided on 1/5/2022: four years end on 1/5/2026.
  const given: History = publicUpTo('investmentDecided');

  it('opens the day after the limit for the group, under the regime then in force', () => {
    const f = expectOpensOn(given, ALLOCATION, 'allocationPeriod', '2026-05-02');
    expect(f.regime).toBe('LPI2024');
    expect(f.reason.en).toContain('more than 4 years of allocation (group B)');
  });

  it('holds through construction and handover, and is gone when the clock is set back', () => {
    expect(keysOn(publicUpTo('handedOver'), '2026-06-01', ALLOCATION)).toEqual(['allocationPeriod']);
    expect(keysOn(publicUpTo('handedOver'), '2026-05-01', ALLOCATION)).toEqual([]);
  });

  it('closes with the final settlement or the cancellation', () => {
    const settled = [
      ...publicUpTo('handedOver'),
      on('2026-06-01', 'SettlementApproved', { settledValue: 74n * TY }),
    ];
    expect(keysOn(settled, '2026-06-01', ALLOCATION)).toEqual([]);
    expect(keysOn(cancelled([...given], '2026-06-01'), '2026-06-01', ALLOCATION)).toEqual([]);
  });

  it('the years per group can be overridden', () => {
    expectOpensOn(given, ALLOCATION, 'allocationPeriod', '2025-05-02', {
      [ALLOCATION]: { A: 6, B: 3, C: 3 },
    });
  });

  it('a national project has no limit', () => {
    const national = given.map((e) =>
      e.type === 'InvestmentPolicyDecided' ? { ...e, data: { ...e.data, group: 'national' as const } } : e,
    );
    expect(keysOn(national, '2040-01-01', ALLOCATION)).toEqual([]);
    expect(keysOn(given, '2040-01-01', ALLOCATION)).toEqual(['allocationPeriod']);
  });
});

describe('UNFUNDED counts from the policy decision even in later phases', () => {
  it('opens 6 months after the policy decision of 20/3/2022 though the phase changed on 1/5/2022', () => {
    expectOpensOn(publicUpTo('investmentDecided'), 'UNFUNDED', 'funding', '2022-09-20');
  });
});
