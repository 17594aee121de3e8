// Decider specifications for the annual public-investment capital plan of a province (kế hoạch vốn
// đầu tư công năm): one stream per province and year, so allocations never exceed the plan, a
// reallocation (điều chuyển vốn) is one event, and disbursements (giải ngân) never exceed allocations.
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  CAPITAL_COMMAND_TYPES,
  type CapitalCommandType,
  type capitalCommandSchemas,
} from '../../src/domain/capital/decide.js';
import { TY } from '../../src/domain/money.js';
import { capitalEvent, capitalSpec, knownProjects, rawCommand } from '../support/decider.js';

const PLAN = { province: '04', year: 2024 } as const;
const ROAD = 'CB.DT204';
const SCHOOL = 'CB.THPT01';
const CLINIC = 'CB.TYT05';
const PLANT = 'CB.HoaAn.001';

const projects = knownProjects({
  [ROAD]: { family: 'public', phase: 'underConstruction' },
  [SCHOOL]: { family: 'public', phase: 'implementing' },
  [CLINIC]: { family: 'public', phase: 'policyDecided' },
  [PLANT]: { family: 'nonState', phase: 'certified' },
  'CB.Cancelled': { family: 'public', phase: 'cancelled' },
  'CB.Settled': { family: 'public', phase: 'settled' },
  'CB.Proposed': { family: 'public', phase: 'proposed' },
});

const assigned = capitalEvent('AnnualCapitalPlanAssigned', {
  ...PLAN,
  total: 100n * TY,
  disbursementDeadline: '2025-01-31',
});
const allocate = (projectId: string, amount: bigint) =>
  capitalEvent('CapitalAllocated', { projectId, amount });
const disburse = (projectId: string, amount: bigint) =>
  capitalEvent('CapitalDisbursed', { projectId, amount, disbursedOn: '2024-02-15', source: 'provincial' });
const extendTo = (to: string) =>
  capitalEvent('DisbursementPeriodExtended', { from: '2025-01-31', to, reason: 'Dự án chuyển tiếp' });

/** 60 tỷ to the road (10 tỷ of it disbursed), 30 tỷ to the school: 10 tỷ of the plan left. */
const funded = [assigned, allocate(ROAD, 60n * TY), allocate(SCHOOL, 30n * TY), disburse(ROAD, 10n * TY)];

const SAMPLES: { [T in CapitalCommandType]: z.input<(typeof capitalCommandSchemas)[T]> } = {
  AssignAnnualCapitalPlan: { ...PLAN, total: '100000000000' },
  AdjustAnnualCapitalPlan: { ...PLAN, total: '120000000000', reason: 'Bổ sung vốn ngân sách trung ương' },
  AllocateCapital: { ...PLAN, projectId: CLINIC, amount: '10000000000' },
  ReallocateCapital: {
    ...PLAN,
    fromProjectId: ROAD,
    toProjectId: SCHOOL,
    amount: '20000000000',
    reason: 'Dự án chậm giải ngân',
  },
  DisburseCapital: { ...PLAN, projectId: ROAD, amount: '5000000000', source: 'provincial' },
  ExtendDisbursementPeriod: { ...PLAN, to: '2025-06-30', reason: 'Dự án chuyển tiếp' },
};
const sample = (type: CapitalCommandType, change: object = {}, effectiveAt?: string) =>
  rawCommand(type, { ...SAMPLES[type], ...change }, effectiveAt ? { effectiveAt } : {});

describe('The annual plan is assigned once, disbursable until 31 January of the next year', () => {
  it('assigns the plan total with the default disbursement deadline', () => {
    const state = capitalSpec
      .given([])
      .when('AssignAnnualCapitalPlan', SAMPLES.AssignAnnualCapitalPlan)
      .thenEmits([assigned]);
    expect(state).toEqual({
      status: 'assigned',
      ...PLAN,
      total: 100n * TY,
      disbursementDeadline: '2025-01-31',
      allocations: {},
    });
  });

  it('refuses to assign the same plan twice', () => {
    capitalSpec
      .given([assigned])
      .when(sample('AssignAnnualCapitalPlan'))
      .thenThrows({ code: 'ILLEGAL_TRANSITION', reason: 'PLAN_ALREADY_ASSIGNED' });
  });

  it.each([
    ['a year before 2000', { year: 1999 }, 'data.year'],
    ['a total of zero', { total: '0' }, 'data.total'],
    ['a province code with punctuation', { province: '04-CB' }, 'data.province'],
  ])('refuses %s', (_, change, field) => {
    capitalSpec
      .given([])
      .when(sample('AssignAnnualCapitalPlan', change))
      .thenThrows({ code: 'VALIDATION', field });
  });

  it.each(CAPITAL_COMMAND_TYPES.filter((t) => t !== 'AssignAnnualCapitalPlan'))(
    '%s on a plan never assigned is NOT_FOUND',
    (type) => {
      capitalSpec
        .given([], projects)
        .when(sample(type))
        .thenThrows({ code: 'NOT_FOUND', reason: 'PLAN_NOT_FOUND' });
    },
  );
});

describe('The plan total may be adjusted, never below what is already allocated', () => {
  it('records the old and the new total', () => {
    const state = capitalSpec
      .given(funded)
      .when(sample('AdjustAnnualCapitalPlan'))
      .thenEmits([
        {
          type: 'AnnualCapitalPlanAdjusted',
          data: { from: 100n * TY, to: 120n * TY, reason: 'Bổ sung vốn ngân sách trung ương' },
        },
      ]);
    expect(state).toMatchObject({ total: 120n * TY });
  });

  it('may come down to exactly the allocated total, not one đồng below', () => {
    capitalSpec
      .given(funded)
      .when(sample('AdjustAnnualCapitalPlan', { total: (90n * TY).toString() }))
      .thenEmits([
        {
          type: 'AnnualCapitalPlanAdjusted',
          data: { from: 100n * TY, to: 90n * TY, reason: SAMPLES.AdjustAnnualCapitalPlan.reason },
        },
      ]);
    capitalSpec
      .given(funded)
      .when(sample('AdjustAnnualCapitalPlan', { total: (90n * TY - 1n).toString() }))
      .thenThrows({ code: 'ILLEGAL_TRANSITION', reason: 'PLAN_BELOW_ALLOCATIONS' });
  });

  it('refuses an adjustment to the current total', () => {
    capitalSpec
      .given(funded)
      .when(sample('AdjustAnnualCapitalPlan', { total: '100000000000' }))
      .thenThrows({ code: 'VALIDATION', reason: 'NO_CHANGE', field: 'data.total' });
  });
});

describe('Allocations (phân bổ vốn) go to live public projects and never exceed the plan', () => {
  it('allocates capital to a project', () => {
    const state = capitalSpec
      .given(funded, projects)
      .when(sample('AllocateCapital'))
      .thenEmits([allocate(CLINIC, 10n * TY)]);
    expect(state).toMatchObject({ allocations: { [CLINIC]: { allocated: 10n * TY, disbursed: 0n } } });
  });

  it('may use the plan up to the last đồng, not one more', () => {
    capitalSpec
      .given(funded, projects)
      .when(sample('AllocateCapital', { amount: (10n * TY + 1n).toString() }))
      .thenThrows({ code: 'ILLEGAL_TRANSITION', reason: 'CAPITAL_EXCEEDS_PLAN' });
  });

  it.each([
    ['an unknown project', 'CB.Unknown', 'NOT_FOUND', 'PROJECT_NOT_FOUND'],
    ['a non-state project', PLANT, 'VALIDATION', 'WRONG_FAMILY'],
    ['a cancelled project', 'CB.Cancelled', 'ILLEGAL_TRANSITION', 'PROJECT_CANCELLED'],
    ['a settled project', 'CB.Settled', 'ILLEGAL_TRANSITION', 'PROJECT_SETTLED'],
    [
      'a project with no investment policy decision yet',
      'CB.Proposed',
      'ILLEGAL_TRANSITION',
      'PROJECT_NOT_DECIDED',
    ],
  ] as const)('refuses an allocation to %s', (_, projectId, code, reason) => {
    capitalSpec
      .given(funded, projects)
      .when(sample('AllocateCapital', { projectId }))
      .thenThrows({ code, reason });
  });

  it('refuses an allocation after the disbursement period, unless it was extended', () => {
    capitalSpec
      .given(funded, projects)
      .when(sample('AllocateCapital', {}, '2025-02-01'))
      .thenThrows({ code: 'ILLEGAL_TRANSITION', reason: 'DISBURSEMENT_PERIOD_ENDED' });
    capitalSpec
      .given([...funded, extendTo('2025-06-30')], projects)
      .when(sample('AllocateCapital', {}, '2025-02-01'))
      .thenEmits([allocate(CLINIC, 10n * TY)]);
  });
});

describe('A reallocation (điều chuyển vốn) moves unused capital between projects in one event', () => {
  it('takes from one project and gives to another, leaving the plan total allocated unchanged', () => {
    const state = capitalSpec
      .given(funded, projects)
      .when(sample('ReallocateCapital'))
      .thenEmits([
        {
          type: 'CapitalReallocated',
          data: {
            fromProjectId: ROAD,
            toProjectId: SCHOOL,
            amount: 20n * TY,
            reason: 'Dự án chậm giải ngân',
          },
        },
      ]);
    expect(state).toMatchObject({
      allocations: {
        [ROAD]: { allocated: 40n * TY, disbursed: 10n * TY },
        [SCHOOL]: { allocated: 50n * TY, disbursed: 0n },
      },
    });
  });

  it('may give to a project with no allocation yet, up to all that is allocated and not disbursed', () => {
    const state = capitalSpec
      .given(funded, projects)
      .when(sample('ReallocateCapital', { toProjectId: CLINIC, amount: (50n * TY).toString() }))
      .thenEmits([
        {
          type: 'CapitalReallocated',
          data: {
            fromProjectId: ROAD,
            toProjectId: CLINIC,
            amount: 50n * TY,
            reason: 'Dự án chậm giải ngân',
          },
        },
      ]);
    expect(state).toMatchObject({
      allocations: { [ROAD]: { allocated: 10n * TY }, [CLINIC]: { allocated: 50n * TY } },
    });
  });

  it.each([
    [
      'more than is allocated and not disbursed',
      { amount: (50n * TY + 1n).toString() },
      'REALLOCATION_EXCEEDS_UNUSED',
    ],
    ['from a project with no allocation', { fromProjectId: CLINIC }, 'PROJECT_UNFUNDED'],
    ['to a cancelled project', { toProjectId: 'CB.Cancelled' }, 'PROJECT_CANCELLED'],
  ])('refuses to move %s', (_, change, reason) => {
    capitalSpec
      .given(funded, projects)
      .when(sample('ReallocateCapital', change))
      .thenThrows({ code: 'ILLEGAL_TRANSITION', reason });
  });

  it.each([
    ['to the same project', { toProjectId: ROAD }, 'VALIDATION', 'data.toProjectId'],
    ['to a non-state project', { toProjectId: PLANT }, 'VALIDATION', 'data.toProjectId'],
  ] as const)('refuses a move %s', (_, change, code, field) => {
    capitalSpec.given(funded, projects).when(sample('ReallocateCapital', change)).thenThrows({ code, field });
  });

  it('refuses a move to an unknown project, and after the disbursement period', () => {
    capitalSpec
      .given(funded, projects)
      .when(sample('ReallocateCapital', { toProjectId: 'CB.Unknown' }))
      .thenThrows({ code: 'NOT_FOUND', reason: 'PROJECT_NOT_FOUND' });
    capitalSpec
      .given(funded, projects)
      .when(sample('ReallocateCapital', {}, '2025-02-01'))
      .thenThrows({ code: 'ILLEGAL_TRANSITION', reason: 'DISBURSEMENT_PERIOD_ENDED' });
  });
});

describe('Disbursements (giải ngân) never exceed what is allocated, and stop at the deadline', () => {
  const disbursed = (amount: bigint, disbursedOn: string) =>
    capitalEvent('CapitalDisbursed', { projectId: ROAD, amount, disbursedOn, source: 'provincial' });

  it('disburses on the effective date when no date is stated', () => {
    const state = capitalSpec
      .given(funded, projects)
      .when(sample('DisburseCapital'))
      .thenEmits([disbursed(5n * TY, '2024-03-01')]);
    expect(state).toMatchObject({ allocations: { [ROAD]: { allocated: 60n * TY, disbursed: 15n * TY } } });
  });

  it('may disburse all that is left of the allocation, not one đồng more', () => {
    capitalSpec
      .given(funded, projects)
      .when(sample('DisburseCapital', { amount: (50n * TY).toString() }))
      .thenEmits([disbursed(50n * TY, '2024-03-01')]);
    capitalSpec
      .given(funded, projects)
      .when(sample('DisburseCapital', { amount: (50n * TY + 1n).toString() }))
      .thenThrows({ code: 'ILLEGAL_TRANSITION', reason: 'DISBURSEMENT_EXCEEDS_ALLOCATION' });
  });

  it.each([
    ['a known project with no allocation (unfunded)', funded],
    [
      'a project whose whole allocation was moved away',
      [assigned, allocate(CLINIC, 5n * TY), reallocated(CLINIC, ROAD, 5n * TY)],
    ],
  ])('refuses to disburse to %s', (_, history) => {
    capitalSpec
      .given(history, projects)
      .when(sample('DisburseCapital', { projectId: CLINIC }))
      .thenThrows({ code: 'ILLEGAL_TRANSITION', reason: 'PROJECT_UNFUNDED' });
  });

  it('refuses to disburse leftover allocation to a project cancelled since (dự án đã hủy)', () => {
    const cancelled = knownProjects({
      ...Object.fromEntries(projects.projects),
      [ROAD]: { family: 'public', phase: 'cancelled' },
    });
    capitalSpec
      .given(funded, cancelled)
      .when(sample('DisburseCapital'))
      .thenThrows({ code: 'ILLEGAL_TRANSITION', reason: 'PROJECT_CANCELLED' });
  });

  it('refuses a disbursement, or any capital command, dated after the day it is recorded', () => {
    capitalSpec
      .given(funded, projects)
      .when(
        rawCommand('DisburseCapital', SAMPLES.DisburseCapital, {
          effectiveAt: '2024-03-02',
          recordedAt: '2024-03-01T16:59:00.000Z',
        }),
      )
      .thenThrows({ code: 'VALIDATION', reason: 'DATE_IN_FUTURE', field: 'effectiveAt' });
    // 17:00 UTC is already the next day in Vietnam (UTC+7).
    capitalSpec
      .given(funded, projects)
      .when(
        rawCommand('DisburseCapital', SAMPLES.DisburseCapital, {
          effectiveAt: '2024-03-02',
          recordedAt: '2024-03-01T17:00:00.000Z',
        }),
      )
      .thenEmits([disbursed(5n * TY, '2024-03-02')]);
  });

  it('a disbursement to an unknown project is NOT_FOUND', () => {
    capitalSpec
      .given(funded, projects)
      .when(sample('DisburseCapital', { projectId: 'CB.Unknown' }))
      .thenThrows({ code: 'NOT_FOUND', reason: 'PROJECT_NOT_FOUND' });
  });

  it('disburses until 31 January of the next year, and after it only within an extension', () => {
    capitalSpec
      .given(funded, projects)
      .when(sample('DisburseCapital', {}, '2025-01-31'))
      .thenEmits([disbursed(5n * TY, '2025-01-31')]);
    capitalSpec
      .given(funded, projects)
      .when(sample('DisburseCapital', {}, '2025-02-01'))
      .thenThrows({ code: 'ILLEGAL_TRANSITION', reason: 'DISBURSEMENT_PERIOD_ENDED' });
    capitalSpec
      .given([...funded, extendTo('2025-06-30')], projects)
      .when(sample('DisburseCapital', {}, '2025-02-01'))
      .thenEmits([disbursed(5n * TY, '2025-02-01')]);
  });

  it('a late disbursement is refused even when it is recorded inside the period', () => {
    capitalSpec
      .given(funded, projects)
      .when(sample('DisburseCapital', { disbursedOn: '2025-02-01' }, '2025-02-02'))
      .thenThrows({ code: 'ILLEGAL_TRANSITION', reason: 'DISBURSEMENT_PERIOD_ENDED' });
  });

  it.each([
    ['before the plan year', '2023-12-31', 'DATE_OUT_OF_ORDER'],
    ['in the future', '2024-03-02', 'DATE_IN_FUTURE'],
    ['on a day that does not exist', '2024-02-30', 'INVALID_INPUT'],
  ])('refuses a disbursement dated %s', (_, disbursedOn, reason) => {
    capitalSpec
      .given(funded, projects)
      .when(sample('DisburseCapital', { disbursedOn }))
      .thenThrows({ code: 'VALIDATION', reason, field: 'data.disbursedOn' });
  });
});

describe('The disbursement period may be extended, at most to 31 December of the next year', () => {
  it('extends from the current deadline', () => {
    const state = capitalSpec
      .given(funded)
      .when(sample('ExtendDisbursementPeriod'))
      .thenEmits([extendTo('2025-06-30')]);
    expect(state).toMatchObject({ disbursementDeadline: '2025-06-30' });
  });

  it('a second extension starts from the first', () => {
    capitalSpec
      .given([...funded, extendTo('2025-06-30')])
      .when(sample('ExtendDisbursementPeriod', { to: '2025-12-31' }))
      .thenEmits([
        capitalEvent('DisbursementPeriodExtended', {
          from: '2025-06-30',
          to: '2025-12-31',
          reason: 'Dự án chuyển tiếp',
        }),
      ]);
  });

  it('refuses an extension beyond 31 December of the next year', () => {
    capitalSpec
      .given(funded)
      .when(sample('ExtendDisbursementPeriod', { to: '2026-01-01' }))
      .thenThrows({ code: 'ILLEGAL_TRANSITION', reason: 'EXTENSION_TOO_LONG' });
  });

  it('refuses an "extension" that is not after the current deadline', () => {
    capitalSpec
      .given(funded)
      .when(sample('ExtendDisbursementPeriod', { to: '2025-01-31' }))
      .thenThrows({ code: 'VALIDATION', reason: 'DATE_OUT_OF_ORDER', field: 'data.to' });
  });
});

function reallocated(fromProjectId: string, toProjectId: string, amount: bigint) {
  return capitalEvent('CapitalReallocated', { fromProjectId, toProjectId, amount, reason: 'Điều chuyển' });
}
