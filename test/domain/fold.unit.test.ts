// Specification of storage round trips: every event, encoded as stored (JSON, bigint amounts as strings
// of digits) and decoded against its schema version, folds to exactly the state its original gives.
// And of the states' shape: one per family, whatever the events (shape.ts).
import { describe, expect, it } from 'vitest';
import {
  CAPITAL_EVENT_TYPES,
  type CapitalEvent,
  evolveCapitalPlan,
  initialCapitalPlanState,
} from '../../src/domain/capital/plan.js';
import { decodeEvent, encodeData } from '../../src/domain/catalog.js';
import type { IsoDate } from '../../src/domain/dates.js';
import { TY } from '../../src/domain/money.js';
import { PROJECT_EVENT_TYPES, type ProjectEvent } from '../../src/domain/project/events.js';
import {
  type ExistingProject,
  evolveProject,
  initialProjectState,
  type ProjectState,
} from '../../src/domain/project/state.js';
import { capitalEvent, type Dated, on, roundTrip } from '../support/decider.js';
import {
  CERTIFICATE,
  CONTRACTOR,
  cancelled,
  INVESTOR,
  milestone,
  nonStateUpTo,
  publicUpTo,
  terminated,
} from './fixtures.js';

const nonState: Dated<ProjectEvent>[] = [
  ...nonStateUpTo('operating'),
  milestone('KC01', '2023-06-30'),
  on('2023-02-01', 'MilestoneRescheduled', {
    milestoneId: 'KC01',
    from: '2023-06-30',
    to: '2023-09-30',
    reason: 'Mưa lũ',
    causeKind: 'objective',
  }),
  on('2023-03-20', 'MilestoneCompleted', { milestoneId: 'KC01', completedOn: '2023-03-20' }),
  on('2023-04-05', 'ProgressReported', {
    period: '2023-Q1',
    physicalPercent: 62.5,
    delayCauses: [{ kind: 'subjective', category: 'investorCapacity' }],
  }),
  on('2023-04-08', 'PeriodicReportSubmitted', { reportKind: 'quarterly', period: '2023-Q1' }),
  on('2023-05-10', 'InspectionRecorded', {
    inspectionKind: 'postInspection',
    result: 'violationsFound',
    findings: 'Chậm góp vốn',
  }),
  on('2023-05-20', 'ViolationSanctioned', { violation: 'Chậm góp vốn', fine: 70_000_000n }),
  on('2023-06-01', 'ProjectSuspended', { ground: 'Điều 47', reason: 'Vi phạm môi trường' }),
  on('2023-07-01', 'ProjectResumed', { reason: 'Đã khắc phục' }),
  on('2023-07-02', 'DepositPaid', { amount: 3_600_000_000n }),
  on('2023-07-03', 'DepositRefunded', { amount: 1_000_000_000n }),
  on('2023-07-04', 'DepositForfeited', { amount: 600_000_000n, reason: 'Chậm tiến độ' }),
  on('2023-07-05', 'LandAllocated', { areaM2: 50_000, form: 'lease' }),
  on('2023-07-06', 'LandHandedOver', { areaM2: 40_000 }),
  on('2023-07-07', 'LandRecovered', { areaM2: 10_000, reason: 'Không sử dụng' }),
  on('2023-07-08', 'CapitalContributed', { amount: 20n * TY }),
  on('2023-07-09', 'InvestmentCertificateAdjusted', {
    changes: [
      { field: 'registeredCapital', from: '120000000000', to: '150000000000' },
      { field: 'name', from: 'Nhà máy chế biến gỗ Hòa An', to: 'Nhà máy gỗ Hòa An' },
    ],
    trigger: 'Tăng vốn',
  }),
  on('2023-07-10', 'InvestmentPolicyAdjusted', {
    changes: [{ field: 'durationYears', from: '50', to: '70' }],
    trigger: 'Gia hạn',
  }),
  on('2023-07-11', 'ProjectOwnerReassigned', {
    from: INVESTOR,
    to: { name: 'Chủ đầu tư mới' },
    reason: 'Điều chuyển',
  }),
  on('2023-07-12', 'ProjectTransferred', {
    from: { name: 'Chủ đầu tư mới' },
    to: { name: 'Công ty CP Lâm sản', taxCode: '4800999999' },
  }),
  on('2023-07-13', 'AdministrativeUnitRemapped', {
    from: { province: '04', adminUnit: 'Huyện Hòa An' },
    to: { province: '04', adminUnit: 'Xã Hòa An' },
    reason: 'Sắp xếp 2025',
  }),
  on('2023-07-14', 'EventCorrected', {
    correctedRevision: 10,
    correctedType: 'ProgressReported',
    reason: 'Nhập sai',
    changes: [{ field: 'physicalPercent', from: '62.5', to: '65' }],
  }),
  on('2023-07-15', 'EventCorrected', {
    correctedRevision: 22,
    correctedType: 'CapitalContributed',
    reason: 'Nhập sai',
    changes: [{ field: 'amount', from: '20000000000', to: '25000000000' }],
  }),
  on('2023-07-16', 'EventCorrected', {
    correctedRevision: 7,
    correctedType: 'MilestonePlanned',
    reason: 'Nhập sai',
    changes: [{ field: 'dueDate', from: '2023-06-30', to: '2023-07-31' }],
  }),
  ...terminated([], '2023-09-01'),
  on('2023-09-15', 'InvestmentCertificateRevoked', { certificateNumber: CERTIFICATE, reason: 'Chấm dứt' }),
];

const [, ...afterRegistration] = publicUpTo('settled');
const publicSettled: Dated<ProjectEvent>[] = [
  ...publicUpTo('proposed'),
  on('2022-02-20', 'AppraisalReturned', { reason: 'Thiếu hồ sơ' }),
  ...afterRegistration,
  on('2023-12-02', 'FundingSourceAssigned', { source: 'central', amount: 50n * TY }),
];
const publicCancelled: Dated<ProjectEvent>[] = cancelled([
  ...publicUpTo('implementing'),
  on('2022-07-15', 'ContractSigned', { packageId: 'GT01', contractNumber: '15/2022/HĐXD', value: 60n * TY }),
  on('2022-07-20', 'BidPackageAwarded', {
    packageId: 'GT02',
    name: 'Giám sát',
    contractor: CONTRACTOR,
    price: 2n * TY,
  }),
]);

const capital: CapitalEvent[] = [
  capitalEvent('AnnualCapitalPlanAssigned', {
    province: '04',
    year: 2024,
    total: 100n * TY,
    disbursementDeadline: '2025-01-31',
  }),
  capitalEvent('AnnualCapitalPlanAdjusted', { from: 100n * TY, to: 120n * TY, reason: 'Bổ sung' }),
  capitalEvent('CapitalAllocated', { projectId: 'CB.DT204', amount: 60n * TY }),
  capitalEvent('CapitalReallocated', {
    fromProjectId: 'CB.DT204',
    toProjectId: 'CB.THPT01',
    amount: 20n * TY,
    reason: 'Chậm',
  }),
  capitalEvent('CapitalDisbursed', {
    projectId: 'CB.DT204',
    amount: 10n * TY,
    disbursedOn: '2024-06-30',
    source: 'central',
  }),
  capitalEvent('DisbursementPeriodExtended', { from: '2025-01-31', to: '2025-12-31', reason: 'Chuyển tiếp' }),
];

const foldProject = (events: readonly Dated<ProjectEvent>[]) =>
  events.reduce(
    (s, { effectiveAt, ...e }) =>
      evolveProject(s, e as ProjectEvent, { effectiveAt: effectiveAt as IsoDate }),
    initialProjectState,
  );
const storedAndRead = <E extends ProjectEvent | CapitalEvent>(e: E): E => ({ ...e, ...roundTrip(e) });

describe('Events read back from storage fold to the same state', () => {
  it.each([
    ['a non-state project through operation, corrections, termination and revocation', nonState],
    ['a public project returned at appraisal, then settled and funded', publicSettled],
    ['a public project with signed contracts, then cancelled', publicCancelled],
  ])('%s', (_, events) => {
    const direct = foldProject(events);
    expect(foldProject(events.map(storedAndRead))).toEqual(direct);
    expect(direct).not.toEqual(foldProject(events.slice(0, -1)));
  });

  it('an annual capital plan with every kind of capital event', () => {
    const fold = (events: CapitalEvent[]) => events.reduce(evolveCapitalPlan, initialCapitalPlanState);
    expect(fold(capital.map(storedAndRead))).toEqual(fold(capital));
    expect(fold(capital)).toMatchObject({
      total: 120n * TY,
      disbursementDeadline: '2025-12-31',
      allocations: {
        'CB.DT204': { allocated: 40n * TY, disbursed: 10n * TY },
        'CB.THPT01': { allocated: 20n * TY },
      },
    });
  });

  it('the histories above use every event type of the catalogue', () => {
    const used = new Set([...nonState, ...publicSettled, ...publicCancelled, ...capital].map((e) => e.type));
    expect([...PROJECT_EVENT_TYPES, ...CAPITAL_EVENT_TYPES].filter((t) => !used.has(t))).toEqual([]);
  });

  it('the folded state of the full non-state history is what its decisions said', () => {
    expect(foldProject(nonState)).toMatchObject({
      phase: 'terminated',
      phaseSince: '2023-09-01',
      name: 'Nhà máy gỗ Hòa An',
      adminUnit: 'Xã Hòa An',
      owner: { name: 'Công ty CP Lâm sản', taxCode: '4800999999' },
      deposit: { held: 2_000_000_000n, refunded: 1_000_000_000n, forfeited: 600_000_000n },
      land: { allocatedM2: 50_000, handedOverM2: 40_000, recoveredM2: 10_000 },
      capitalContributed: 25n * TY,
      sanctionedFines: 70_000_000n,
      lastProgress: { physicalPercent: 65 },
      milestones: { KC01: { plannedDue: '2023-07-31', currentDue: '2023-09-30', completedOn: '2023-03-20' } },
      certificate: { registeredCapital: 150n * TY, adjustments: 1, revokedOn: '2023-09-15' },
      policy: { durationYears: 70 },
    });
  });
});

describe("Every state a fold makes has its family's one shape (shape.ts)", () => {
  /** Each state after registration, as the fold makes it. */
  const statesOf = (events: readonly Dated<ProjectEvent>[]) => {
    const states: ProjectState[] = [];
    events.reduce((s, { effectiveAt, ...e }) => {
      const next = evolveProject(s, e as ProjectEvent, { effectiveAt: effectiveAt as IsoDate });
      states.push(next);
      return next;
    }, initialProjectState);
    return states;
  };

  it.each([
    ['non-state', [nonState]],
    ['public', [publicSettled, publicCancelled]],
  ])('%s: the same fields in the same order, an absent one undefined', (_, histories) => {
    const shapes = new Set(histories.flatMap(statesOf).map((s) => Object.keys(s).join(',')));
    expect(shapes.size).toBe(1);
    const [first] = histories.flatMap(statesOf);
    expect(Object.keys(first as object)).toEqual(
      expect.arrayContaining(['suspension', 'lastProgress', 'code']),
    );
  });

  it('an absent field stays out of the JSON and out of equality', () => {
    const resumed = statesOf(nonState).find((_, i) => nonState[i]?.type === 'ProjectResumed');
    expect(resumed).toHaveProperty('suspension', undefined);
    expect(JSON.stringify(resumed, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))).not.toMatch(
      /suspension/,
    );
    const { suspension: _none, ...without } = resumed as ExistingProject;
    expect(resumed).toEqual(without);
  });
});

describe('Stored event data is plain JSON', () => {
  it('writes amounts as strings of digits and leaves out absent fields', () => {
    expect(encodeData({ amount: 3_600_000_000n, note: undefined, list: [1n, { fine: 0n }] })).toEqual({
      amount: '3600000000',
      list: ['1', { fine: '0' }],
    });
  });

  it('refuses to read an unknown event type or schema version', () => {
    expect(() => decodeEvent('ProjectExploded', 1, {})).toThrow(/unknown event type/);
    expect(() => decodeEvent('DepositPaid', 2, { amount: '1' })).toThrow(/no upcaster/);
  });

  it('refuses stored data its schema does not accept', () => {
    expect(() => decodeEvent('DepositPaid', 1, { amount: '-1' })).toThrow();
    expect(decodeEvent('DepositPaid', 1, { amount: '1' })).toEqual({
      type: 'DepositPaid',
      data: { amount: 1n },
    });
  });
});
