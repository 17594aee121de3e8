// Decider specifications for non-state-budget projects (dự án ngoài ngân sách, Law on Investment
// 61/2020): the lifecycle from policy approval to operation, certificate and policy adjustments,
// deposits, land, capital contribution, transfer, termination and revocation of the certificate.
import { describe, expect, it } from 'vitest';
import { TY } from '../../src/domain/money.js';
import type { ProjectCommandType } from '../../src/domain/project/commands.js';
import type { ProjectEvent } from '../../src/domain/project/events.js';
import { NON_STATE_PHASES } from '../../src/domain/project/state.js';
import { type Dated, on, projectSpec, rawCommand } from '../support/decider.js';
import {
  CERTIFICATE,
  INVESTOR,
  milestone,
  NON_STATE_COMMANDS,
  NS,
  nonStateUpTo,
  PUBLIC_COMMANDS,
  sample,
  sampleCommands,
  terminated,
} from './fixtures.js';
import { type Lifecycle, specifyPhases, specifyRefusals, specifySteps } from './lifecycle.js';

const LIVE_PHASES = NON_STATE_PHASES.filter((p) => p !== 'terminated');
const certified = nonStateUpTo('certified');
const NEW_INVESTOR = { name: 'Công ty CP Lâm sản Việt Bắc', taxCode: '4800999999' };

/** What each lifecycle step emits from its sample command. */
const STEP_EVENTS: Partial<Record<ProjectCommandType, ProjectEvent>> = {
  ApproveInvestmentPolicy: {
    type: 'InvestmentPolicyApproved',
    data: { approvedCapital: 120n * TY, durationYears: 50 },
  },
  ApproveInvestor: { type: 'InvestorApproved', data: { investor: INVESTOR } },
  IssueInvestmentCertificate: {
    type: 'InvestmentCertificateIssued',
    data: { certificateNumber: CERTIFICATE, registeredCapital: 120n * TY },
  },
  StartConstruction: { type: 'ConstructionStarted', data: {} },
  CompleteConstruction: { type: 'ConstructionCompleted', data: {} },
  StartOperation: { type: 'OperationStarted', data: {} },
  PayDeposit: { type: 'DepositPaid', data: { amount: 3_600_000_000n } },
  AllocateLand: { type: 'LandAllocated', data: { areaM2: 50_000, form: 'lease' } },
  ContributeCapital: { type: 'CapitalContributed', data: { amount: 20n * TY } },
  TransferProject: { type: 'ProjectTransferred', data: { from: INVESTOR, to: NEW_INVESTOR } },
};

const REVOKED_BECAUSE = 'Dự án chấm dứt hoạt động';
const REVOKED: ProjectEvent = {
  type: 'InvestmentCertificateRevoked',
  data: { certificateNumber: CERTIFICATE, reason: REVOKED_BECAUSE },
};
const revoked = (history: Dated<ProjectEvent>[]) => [
  ...history,
  on('2023-09-15', 'InvestmentCertificateRevoked', {
    certificateNumber: CERTIFICATE,
    reason: REVOKED_BECAUSE,
  }),
];

const nonState: Lifecycle<(typeof LIVE_PHASES)[number]> = {
  projectId: NS,
  upTo: nonStateUpTo,
  phases: LIVE_PHASES,
  emits: STEP_EVENTS,
};

describe('The lifecycle moves forward one decision at a time (policy → investor → certificate → works → operation)', () => {
  specifySteps(nonState, [
    ['registered', 'ApproveInvestmentPolicy', 'policyApproved'],
    ['policyApproved', 'ApproveInvestor', 'investorApproved'],
    ['investorApproved', 'IssueInvestmentCertificate', 'certified'],
    ['certified', 'StartConstruction', 'underConstruction'],
    ['underConstruction', 'CompleteConstruction', 'constructed'],
    ['constructed', 'StartOperation', 'operating'],
  ]);
});

describe('Each lifecycle decision belongs to certain phases and is refused in the others', () => {
  const afterCertificate = ['certified', 'underConstruction', 'constructed', 'operating'] as const;
  specifyPhases(
    nonState,
    [
      ['ApproveInvestmentPolicy', ['registered']],
      ['ApproveInvestor', ['policyApproved']],
      ['IssueInvestmentCertificate', ['registered', 'policyApproved', 'investorApproved']],
      ['PayDeposit', ['policyApproved', 'investorApproved', 'certified', 'underConstruction']],
      ['AllocateLand', ['policyApproved', 'investorApproved', ...afterCertificate]],
      ['ContributeCapital', afterCertificate],
      ['StartConstruction', ['certified']],
      ['CompleteConstruction', ['underConstruction']],
      ['StartOperation', ['constructed']],
      ['TransferProject', afterCertificate],
    ],
    // Once issued, the certificate answers CERTIFICATE_ALREADY_ISSUED rather than a phase error.
    { IssueInvestmentCertificate: 'CERTIFICATE_ALREADY_ISSUED' },
  );

  it('a step may not be dated before the phase it leaves began', () => {
    projectSpec
      .given(nonStateUpTo('investorApproved'))
      .when(sample('IssueInvestmentCertificate', NS, { effectiveAt: '2022-02-28' }))
      .thenThrows({ code: 'VALIDATION', reason: 'DATE_OUT_OF_ORDER', field: 'effectiveAt' });
  });
});

describe('Works cannot start, finish or go into operation while the project is suspended (ngừng hoạt động)', () => {
  const suspend = on('2023-10-01', 'ProjectSuspended', { ground: 'Điều 47', reason: 'Vi phạm môi trường' });
  it.each([
    ['certified', 'StartConstruction'],
    ['underConstruction', 'CompleteConstruction'],
    ['constructed', 'StartOperation'],
  ] as const)('from %s, %s is refused while suspended', (phase, type) => {
    projectSpec
      .given([...nonStateUpTo(phase), suspend])
      .when(sample(type, NS))
      .thenThrows({ code: 'ILLEGAL_TRANSITION', reason: 'PROJECT_SUSPENDED' });
  });
});

describe('The investment registration certificate (Giấy chứng nhận đăng ký đầu tư) is issued once', () => {
  const schedule = [
    { milestoneId: 'GV01', kind: 'capitalContribution', name: 'Góp đủ vốn', dueDate: '2024-12-31' },
    { milestoneId: 'KC01', kind: 'constructionStart', name: 'Khởi công', dueDate: '2024-09-30' },
  ] as const;
  const issue = (extra: object) =>
    rawCommand('IssueInvestmentCertificate', { ...sampleCommands(NS).IssueInvestmentCertificate, ...extra });

  it('plans its schedule of capital contribution and stages as milestones in the same decision', () => {
    const state = projectSpec
      .given(nonStateUpTo('investorApproved'))
      .when(issue({ schedule }))
      .thenEmits([
        STEP_EVENTS.IssueInvestmentCertificate!,
        ...schedule.map((m) => ({ type: 'MilestonePlanned', data: m }) as ProjectEvent),
      ]);
    expect(state).toMatchObject({
      certificate: { number: CERTIFICATE, issuedOn: '2024-03-01', adjustments: 0 },
      milestones: { GV01: { currentDue: '2024-12-31' }, KC01: { currentDue: '2024-09-30' } },
    });
  });

  it.each([
    ['plans a milestone twice', [schedule[0], schedule[0]], [], 'data.schedule.1.milestoneId'],
    ['reuses a milestone already planned', [schedule[1]], [milestone('KC01')], 'data.schedule.0.milestoneId'],
    [
      'falls due before the certificate',
      [{ ...schedule[0], dueDate: '2024-02-29' }],
      [],
      'data.schedule.0.dueDate',
    ],
  ] as const)('refuses a schedule that %s', (_, items, extra, field) => {
    projectSpec
      .given([...nonStateUpTo('investorApproved'), ...extra])
      .when(issue({ schedule: items }))
      .thenThrows({ code: 'VALIDATION', field });
  });

  it('refuses a registered capital of zero', () => {
    projectSpec
      .given(nonStateUpTo('investorApproved'))
      .when(issue({ registeredCapital: '0' }))
      .thenThrows({ code: 'VALIDATION', field: 'data.registeredCapital' });
  });

  it.each([
    ['before a certificate was issued', terminated(nonStateUpTo('investorApproved'))],
    ['after its certificate was issued and revoked', revoked(terminated(certified))],
  ])('is refused for a terminated project (%s)', (_, history) => {
    projectSpec
      .given(history)
      .when(sample('IssueInvestmentCertificate', NS))
      .thenThrows({ code: 'ILLEGAL_TRANSITION', reason: 'PROJECT_TERMINATED' });
  });
});

describe('Adjustments (điều chỉnh) record each field from its current value to the new one', () => {
  const adjust = (
    type: 'AdjustInvestmentCertificate' | 'AdjustInvestmentPolicy',
    field: string,
    to: string,
  ) => rawCommand(type, { projectId: NS, changes: [{ field, to }], trigger: 'Tăng quy mô' });

  it('adjusts the registered capital on the certificate', () => {
    const state = projectSpec
      .given(certified)
      .when(adjust('AdjustInvestmentCertificate', 'registeredCapital', '150000000000'))
      .thenEmits([
        {
          type: 'InvestmentCertificateAdjusted',
          data: {
            changes: [{ field: 'registeredCapital', from: '120000000000', to: '150000000000' }],
            trigger: 'Tăng quy mô',
          },
        },
      ]);
    expect(state).toMatchObject({ certificate: { registeredCapital: 150n * TY, adjustments: 1 } });
  });

  it('renames the project when the certificate adjusts its name', () => {
    const renamed = 'Nhà máy chế biến gỗ xuất khẩu Hòa An';
    const state = projectSpec
      .given(certified)
      .when(adjust('AdjustInvestmentCertificate', 'name', renamed))
      .thenEmits([
        {
          type: 'InvestmentCertificateAdjusted',
          data: {
            changes: [{ field: 'name', from: 'Nhà máy chế biến gỗ Hòa An', to: renamed }],
            trigger: 'Tăng quy mô',
          },
        },
      ]);
    expect(state).toMatchObject({ name: renamed });
    projectSpec
      .given([
        ...certified,
        on('2023-05-01', 'InvestmentCertificateAdjusted', {
          changes: [{ field: 'name', from: 'Nhà máy chế biến gỗ Hòa An', to: renamed }],
          trigger: 'Đổi tên',
        }),
      ])
      .when(adjust('AdjustInvestmentCertificate', 'name', renamed))
      .thenThrows({ code: 'VALIDATION', reason: 'NO_CHANGE', field: 'data.changes.0.to' });
  });

  it('adjusts the approved capital and the duration of the policy approval', () => {
    const state = projectSpec
      .given(certified)
      .when('AdjustInvestmentPolicy', {
        projectId: NS,
        changes: [
          { field: 'approvedCapital', to: '150000000000' },
          { field: 'durationYears', to: '70' },
        ],
        trigger: 'Tăng quy mô',
      })
      .thenEmits([
        {
          type: 'InvestmentPolicyAdjusted',
          data: {
            changes: [
              { field: 'approvedCapital', from: '120000000000', to: '150000000000' },
              { field: 'durationYears', from: '50', to: '70' },
            ],
            trigger: 'Tăng quy mô',
          },
        },
      ]);
    expect(state).toMatchObject({
      policy: { approvedCapital: 150n * TY, durationYears: 70, landAreaM2: 50_000 },
    });
  });

  it.each([
    [
      'a field the certificate does not carry',
      'AdjustInvestmentCertificate',
      'landAreaM2',
      '1000',
      'data.changes.0.field',
    ],
    [
      'a value it already has',
      'AdjustInvestmentCertificate',
      'registeredCapital',
      '120000000000',
      'data.changes.0.to',
    ],
    [
      'an amount that is not whole đồng',
      'AdjustInvestmentCertificate',
      'registeredCapital',
      '1.5e11',
      'data.changes.0.to',
    ],
    ['a negative amount', 'AdjustInvestmentPolicy', 'approvedCapital', '-1', 'data.changes.0.to'],
    ['a duration of zero years', 'AdjustInvestmentPolicy', 'durationYears', '0', 'data.changes.0.to'],
  ] as const)('refuses %s', (_, type, field, to, path) => {
    projectSpec
      .given(certified)
      .when(adjust(type, field, to))
      .thenThrows({ code: 'VALIDATION', field: path });
  });

  it.each([
    [
      'the certificate before it is issued',
      'AdjustInvestmentCertificate',
      'registeredCapital',
      'NO_VALID_CERTIFICATE',
    ],
    ['the policy before it is approved', 'AdjustInvestmentPolicy', 'durationYears', 'NO_POLICY_APPROVAL'],
  ] as const)('refuses to adjust %s', (_, type, field, reason) => {
    projectSpec
      .given(nonStateUpTo('registered'))
      .when(adjust(type, field, '70'))
      .thenThrows({ code: 'ILLEGAL_TRANSITION', reason });
  });
});

describe('Deposits (ký quỹ) are paid, then refunded or forfeited, never beyond what is held', () => {
  const paid = [...certified, on('2022-04-01', 'DepositPaid', { amount: 3_600_000_000n })];

  it('holds the deposit paid', () => {
    const state = projectSpec
      .given(certified)
      .when(sample('PayDeposit', NS))
      .thenEmits([STEP_EVENTS.PayDeposit!]);
    expect(state).toMatchObject({ deposit: { held: 3_600_000_000n, refunded: 0n, forfeited: 0n } });
  });

  it('refunds part of the deposit as the project progresses', () => {
    const state = projectSpec
      .given(paid)
      .when(sample('RefundDeposit', NS))
      .thenEmits([{ type: 'DepositRefunded', data: { amount: 1_000_000_000n } }]);
    expect(state).toMatchObject({ deposit: { held: 2_600_000_000n, refunded: 1_000_000_000n } });
  });

  it('forfeits the deposit of a terminated project', () => {
    const state = projectSpec
      .given(terminated(paid))
      .when('ForfeitDeposit', { projectId: NS, amount: '3600000000', reason: 'Chấm dứt do vi phạm' })
      .thenEmits([
        { type: 'DepositForfeited', data: { amount: 3_600_000_000n, reason: 'Chấm dứt do vi phạm' } },
      ]);
    expect(state).toMatchObject({ deposit: { held: 0n, forfeited: 3_600_000_000n } });
  });

  it.each(['RefundDeposit', 'ForfeitDeposit'] as const)('%s of more than is held is refused', (type) => {
    projectSpec
      .given(paid)
      .when(rawCommand(type, { ...sampleCommands(NS)[type], amount: '3600000001' }))
      .thenThrows({ code: 'ILLEGAL_TRANSITION', reason: 'DEPOSIT_INSUFFICIENT' });
  });

  it('refuses a deposit of zero', () => {
    projectSpec
      .given(certified)
      .when('PayDeposit', { projectId: NS, amount: '0' })
      .thenThrows({ code: 'VALIDATION', field: 'data.amount' });
  });
});

describe('Land (đất) is allocated or leased, handed over and recovered within what was allocated', () => {
  const allocated = [...certified, on('2022-04-01', 'LandAllocated', { areaM2: 50_000, form: 'lease' })];
  const handedOver = [...allocated, on('2022-05-01', 'LandHandedOver', { areaM2: 40_000 })];

  it('records the land allocated or leased', () => {
    const state = projectSpec
      .given(certified)
      .when(sample('AllocateLand', NS))
      .thenEmits([STEP_EVENTS.AllocateLand!]);
    expect(state).toMatchObject({ land: { allocatedM2: 50_000, handedOverM2: 0, recoveredM2: 0 } });
  });

  it('hands over land up to what is allocated and not yet handed over', () => {
    const state = projectSpec
      .given(allocated)
      .when('HandOverLand', { projectId: NS, areaM2: 50_000 })
      .thenEmits([{ type: 'LandHandedOver', data: { areaM2: 50_000 } }]);
    expect(state).toMatchObject({ land: { handedOverM2: 50_000 } });
    projectSpec
      .given(handedOver)
      .when('HandOverLand', { projectId: NS, areaM2: 10_001 })
      .thenThrows({ code: 'ILLEGAL_TRANSITION', reason: 'LAND_NOT_ALLOCATED' });
  });

  it('recovers land (thu hồi đất) of a terminated project, but not more than was allocated', () => {
    const state = projectSpec
      .given(terminated(handedOver))
      .when('RecoverLand', { projectId: NS, areaM2: 50_000, reason: 'Luật Đất đai 2024 Điều 81' })
      .thenEmits([{ type: 'LandRecovered', data: { areaM2: 50_000, reason: 'Luật Đất đai 2024 Điều 81' } }]);
    expect(state).toMatchObject({ land: { allocatedM2: 50_000, recoveredM2: 50_000 } });
    projectSpec
      .given(terminated(handedOver))
      .when('RecoverLand', { projectId: NS, areaM2: 50_001, reason: 'x' })
      .thenThrows({ code: 'ILLEGAL_TRANSITION', reason: 'LAND_NOT_ALLOCATED' });
  });

  it('refuses an area that is not whole square metres', () => {
    projectSpec
      .given(certified)
      .when('AllocateLand', { projectId: NS, areaM2: 100.5, form: 'allocation' })
      .thenThrows({ code: 'VALIDATION', field: 'data.areaM2' });
  });
});

describe('Capital contributions (góp vốn) add up exactly', () => {
  it('adds each contribution to the total contributed', () => {
    const state = projectSpec
      .given([...certified, on('2022-05-01', 'CapitalContributed', { amount: 10n * TY })])
      .when(sample('ContributeCapital', NS))
      .thenEmits([STEP_EVENTS.ContributeCapital!]);
    expect(state).toMatchObject({ capitalContributed: 30n * TY });
  });
});

describe('A transfer (chuyển nhượng dự án) changes the investor', () => {
  it('records the previous and the new investor', () => {
    const state = projectSpec
      .given(certified)
      .when(sample('TransferProject', NS))
      .thenEmits([STEP_EVENTS.TransferProject!]);
    expect(state).toMatchObject({ owner: NEW_INVESTOR });
  });

  it('refuses a transfer to the current investor', () => {
    projectSpec
      .given(certified)
      .when('TransferProject', { projectId: NS, to: { name: INVESTOR.name, taxCode: INVESTOR.taxCode } })
      .thenThrows({ code: 'VALIDATION', reason: 'NO_CHANGE', field: 'data.to' });
  });
});

describe('Termination (chấm dứt hoạt động, Art. 48) ends the project; revocation (thu hồi) ends its certificate', () => {
  it('terminates a live project', () => {
    const state = projectSpec
      .given(certified)
      .when(sample('TerminateProject', NS))
      .thenEmits([
        { type: 'ProjectTerminated', data: { ground: 'notImplemented', reason: 'Không triển khai dự án' } },
      ]);
    expect(state).toMatchObject({ phase: 'terminated', phaseSince: '2024-03-01' });
  });

  it('revoking the certificate of a live project terminates it', () => {
    const state = projectSpec
      .given(certified)
      .when(sample('RevokeInvestmentCertificate', NS))
      .thenEmits([REVOKED]);
    expect(state).toMatchObject({ phase: 'terminated', certificate: { revokedOn: '2024-03-01' } });
  });

  it('revoking after termination keeps the termination date', () => {
    const state = projectSpec
      .given(terminated(certified, '2023-09-01'))
      .when(sample('RevokeInvestmentCertificate', NS))
      .thenEmits([REVOKED]);
    expect(state).toMatchObject({
      phase: 'terminated',
      phaseSince: '2023-09-01',
      certificate: { revokedOn: '2024-03-01' },
    });
  });

  it.each([
    ['terminating twice', terminated(certified), 'TerminateProject', 'PROJECT_TERMINATED'],
    [
      'revoking a certificate never issued',
      nonStateUpTo('investorApproved'),
      'RevokeInvestmentCertificate',
      'NO_CERTIFICATE',
    ],
    [
      'revoking twice',
      revoked(terminated(certified)),
      'RevokeInvestmentCertificate',
      'CERTIFICATE_ALREADY_REVOKED',
    ],
  ] as const)('refuses %s', (_, history, type, reason) => {
    projectSpec.given(history).when(sample(type, NS)).thenThrows({ code: 'ILLEGAL_TRANSITION', reason });
  });

  it.each(['TerminateProject', 'RevokeInvestmentCertificate'] as const)(
    '%s may not be dated before the current phase began',
    (type) => {
      projectSpec
        .given(certified)
        .when(sample(type, NS, { effectiveAt: '2022-03-09' }))
        .thenThrows({ code: 'VALIDATION', reason: 'DATE_OUT_OF_ORDER', field: 'effectiveAt' });
    },
  );

  describe('once terminated, only winding-up decisions remain (refund, forfeit, land recovery, revocation)', () => {
    const windingUp = ['RefundDeposit', 'ForfeitDeposit', 'RecoverLand', 'RevokeInvestmentCertificate'];
    specifyRefusals(
      terminated(certified),
      NS,
      NON_STATE_COMMANDS.filter((t) => !windingUp.includes(t)),
      'PROJECT_TERMINATED',
    );
  });
});

describe('Public-investment decisions do not apply to a non-state project', () => {
  specifyRefusals(certified, NS, PUBLIC_COMMANDS, 'WRONG_FAMILY');
});
