// Decider specifications for public investment projects (dự án đầu tư công, Law on Public Investment
// 39/2019 and 58/2024): proposal and appraisal, policy and investment decisions, design, bidding and
// contracts, funding, construction, handover, settlement and cancellation.
import { describe, expect, it } from 'vitest';
import { TY } from '../../src/domain/money.js';
import type { ProjectCommandType } from '../../src/domain/project/commands.js';
import type { ProjectEvent } from '../../src/domain/project/events.js';
import { PUBLIC_PHASES } from '../../src/domain/project/state.js';
import { on, projectSpec, rawCommand } from '../support/decider.js';
import {
  COMMON_COMMANDS,
  CONTRACTOR,
  cancelled,
  NON_STATE_COMMANDS,
  PUB,
  PUBLIC_COMMANDS,
  publicUpTo,
  sample,
  sampleCommands,
} from './fixtures.js';
import { type Lifecycle, specifyPhases, specifyRefusals, specifySteps } from './lifecycle.js';

const LIVE_PHASES = PUBLIC_PHASES.filter((p) => p !== 'cancelled' && p !== 'settled');
const implementing = publicUpTo('implementing');
const suspend = on('2023-10-01', 'ProjectSuspended', {
  ground: 'Quyết định tạm dừng',
  reason: 'Rà soát thiết kế',
});

/** What each decision's sample command (see fixtures.ts) emits. */
const STEP_EVENTS: Partial<Record<ProjectCommandType, ProjectEvent>> = {
  SubmitPolicyProposal: { type: 'PolicyProposalSubmitted', data: { totalInvestment: 80n * TY, group: 'B' } },
  CompleteAppraisal: { type: 'AppraisalCompleted', data: { conclusion: 'Đủ điều kiện' } },
  ReturnAppraisal: { type: 'AppraisalReturned', data: { reason: 'Hồ sơ chưa đầy đủ' } },
  DecideInvestmentPolicy: {
    type: 'InvestmentPolicyDecided',
    data: { totalInvestment: 80n * TY, group: 'B' },
  },
  DecideInvestment: {
    type: 'InvestmentDecided',
    data: { totalInvestment: 78n * TY, completionDeadline: '2026-12-31' },
  } as ProjectEvent,
  ApproveDesignEstimate: { type: 'DesignEstimateApproved', data: { estimate: 75n * TY } },
  AwardBidPackage: {
    type: 'BidPackageAwarded',
    data: { packageId: 'GT02', name: 'Tư vấn giám sát', contractor: CONTRACTOR, price: 2n * TY },
  },
  AssignFundingSource: { type: 'FundingSourceAssigned', data: { source: 'provincial', amount: 30n * TY } },
  StartConstruction: { type: 'ConstructionStarted', data: {} },
  CompleteConstruction: { type: 'ConstructionCompleted', data: {} },
  HandOverWorks: { type: 'WorksHandedOver', data: { recipient: 'Sở Xây dựng tỉnh Cao Bằng' } },
  ApproveSettlement: { type: 'SettlementApproved', data: { settledValue: 74n * TY } },
  SignContract: {
    type: 'ContractSigned',
    data: { packageId: 'GT01', contractNumber: '15/2022/HĐXD', value: 60n * TY },
  },
  CancelProject: { type: 'ProjectCancelled', data: { reason: 'Không bố trí được vốn' } },
};

const publicProject: Lifecycle<(typeof LIVE_PHASES)[number]> = {
  projectId: PUB,
  upTo: publicUpTo,
  phases: LIVE_PHASES,
  emits: STEP_EVENTS,
};

describe('The lifecycle moves forward one decision at a time (proposal → appraisal → decisions → works → settlement)', () => {
  specifySteps(publicProject, [
    ['registered', 'SubmitPolicyProposal', 'proposed'],
    ['proposed', 'CompleteAppraisal', 'appraised'],
    ['proposed', 'ReturnAppraisal', 'registered'],
    ['appraised', 'DecideInvestmentPolicy', 'policyDecided'],
    ['policyDecided', 'DecideInvestment', 'investmentDecided'],
    ['investmentDecided', 'ApproveDesignEstimate', 'designApproved'],
    ['designApproved', 'AwardBidPackage', 'implementing'],
    ['implementing', 'StartConstruction', 'underConstruction'],
    ['underConstruction', 'CompleteConstruction', 'constructed'],
    ['constructed', 'HandOverWorks', 'handedOver'],
    ['handedOver', 'ApproveSettlement', 'settled'],
  ]);
});

describe('Each lifecycle decision belongs to certain phases and is refused in the others', () => {
  const fromInvestmentDecision = [
    'investmentDecided',
    'designApproved',
    'implementing',
    'underConstruction',
  ] as const;
  specifyPhases(publicProject, [
    ['SubmitPolicyProposal', ['registered']],
    ['CompleteAppraisal', ['proposed']],
    ['ReturnAppraisal', ['proposed']],
    ['DecideInvestmentPolicy', ['appraised']],
    ['DecideInvestment', ['policyDecided']],
    ['ApproveDesignEstimate', ['investmentDecided']],
    ['AwardBidPackage', fromInvestmentDecision],
    ['AssignFundingSource', ['policyDecided', ...fromInvestmentDecision, 'constructed', 'handedOver']],
    ['StartConstruction', ['designApproved', 'implementing']],
    ['CompleteConstruction', ['underConstruction']],
    ['HandOverWorks', ['constructed']],
    ['ApproveSettlement', ['handedOver']],
  ]);

  it('a step may not be dated before the phase it leaves began', () => {
    projectSpec
      .given(publicUpTo('appraised'))
      .when(sample('DecideInvestmentPolicy', PUB, { effectiveAt: '2022-02-28' }))
      .thenThrows({ code: 'VALIDATION', reason: 'DATE_OUT_OF_ORDER', field: 'effectiveAt' });
  });
});

describe('Appraisal (thẩm định) may return the dossier, which is then proposed again', () => {
  it('counts each appraisal round and accepts the proposal again after a return', () => {
    const returned = [
      ...publicUpTo('proposed'),
      on('2022-02-20', 'AppraisalReturned', { reason: 'Thiếu hồ sơ' }),
    ];
    const state = projectSpec
      .given(returned)
      .when(sample('SubmitPolicyProposal', PUB))
      .thenEmits([STEP_EVENTS.SubmitPolicyProposal!]);
    expect(state).toMatchObject({ phase: 'proposed', appraisalRounds: 1 });
  });
});

describe('The investment decision (quyết định đầu tư) sets a completion deadline after itself', () => {
  it('refuses a completion deadline before the decision', () => {
    projectSpec
      .given(publicUpTo('policyDecided'))
      .when(
        rawCommand('DecideInvestment', {
          ...sampleCommands(PUB).DecideInvestment,
          completionDeadline: '2024-02-29',
        }),
      )
      .thenThrows({ code: 'VALIDATION', reason: 'DATE_OUT_OF_ORDER', field: 'data.completionDeadline' });
  });

  it('records the total investment and the deadline', () => {
    const state = projectSpec
      .given(publicUpTo('policyDecided'))
      .when(sample('DecideInvestment', PUB))
      .thenEmits([STEP_EVENTS.DecideInvestment!]);
    expect(state).toMatchObject({ totalInvestment: 78n * TY, completionDeadline: '2026-12-31', group: 'B' });
  });
});

describe('Bid packages (gói thầu) are awarded once each, and a contract is signed once per package', () => {
  it('a package awarded during construction leaves the project under construction', () => {
    const state = projectSpec
      .given(publicUpTo('underConstruction'))
      .when(sample('AwardBidPackage', PUB))
      .thenEmits([STEP_EVENTS.AwardBidPackage!]);
    expect(state).toMatchObject({
      phase: 'underConstruction',
      bidPackages: { GT01: {}, GT02: { price: 2n * TY } },
    });
  });

  it('signs the contract of an awarded package', () => {
    const state = projectSpec
      .given(implementing)
      .when(sample('SignContract', PUB))
      .thenEmits([STEP_EVENTS.SignContract!]);
    expect(state).toMatchObject({
      bidPackages: { GT01: { contract: { number: '15/2022/HĐXD', value: 60n * TY } } },
    });
  });

  const signed = [
    ...implementing,
    on('2022-07-15', 'ContractSigned', {
      packageId: 'GT01',
      contractNumber: '15/2022/HĐXD',
      value: 60n * TY,
    }),
  ];
  it.each([
    [
      'awarding the same package twice',
      implementing,
      'AwardBidPackage',
      { packageId: 'GT01' },
      'BID_PACKAGE_ALREADY_AWARDED',
    ],
    ['signing a second contract for a package', signed, 'SignContract', {}, 'CONTRACT_ALREADY_SIGNED'],
    [
      'awarding a package while suspended',
      [...implementing, suspend],
      'AwardBidPackage',
      {},
      'PROJECT_SUSPENDED',
    ],
  ] as const)('refuses %s', (_, history, type, change, reason) => {
    projectSpec
      .given(history)
      .when(rawCommand(type, { ...sampleCommands(PUB)[type], ...change }))
      .thenThrows({ code: 'ILLEGAL_TRANSITION', reason });
  });

  it('a contract for a package never awarded is NOT_FOUND', () => {
    projectSpec
      .given(implementing)
      .when(rawCommand('SignContract', { ...sampleCommands(PUB).SignContract, packageId: 'GT09' }))
      .thenThrows({ code: 'NOT_FOUND', reason: 'BID_PACKAGE_NOT_FOUND' });
  });
});

describe('A project may be decided without a funding source (seed 002); sources are added later', () => {
  it('adds each funding source (nguồn vốn) to the project', () => {
    const decided = publicUpTo('policyDecided');
    const first = projectSpec
      .given(decided)
      .when(sample('AssignFundingSource', PUB))
      .thenEmits([STEP_EVENTS.AssignFundingSource!]);
    expect(first).toMatchObject({ funding: [{ source: 'provincial', amount: 30n * TY }] });
    const second = projectSpec
      .given([...decided, on('2022-04-01', 'FundingSourceAssigned', { source: 'central', amount: 50n * TY })])
      .when(sample('AssignFundingSource', PUB))
      .thenEmits([STEP_EVENTS.AssignFundingSource!]);
    expect(second).toMatchObject({ funding: [{ source: 'central' }, { source: 'provincial' }] });
  });
});

describe('Construction cannot start or finish while the project is suspended', () => {
  it.each([
    ['implementing', 'StartConstruction'],
    ['underConstruction', 'CompleteConstruction'],
  ] as const)('from %s, %s is refused while suspended', (phase, type) => {
    projectSpec
      .given([...publicUpTo(phase), suspend])
      .when(sample(type, PUB))
      .thenThrows({ code: 'ILLEGAL_TRANSITION', reason: 'PROJECT_SUSPENDED' });
  });
});

describe('Settlement (quyết toán) closes the project', () => {
  it('records the settled value', () => {
    const state = projectSpec
      .given(publicUpTo('handedOver'))
      .when(sample('ApproveSettlement', PUB))
      .thenEmits([STEP_EVENTS.ApproveSettlement!]);
    expect(state).toMatchObject({ phase: 'settled', settledValue: 74n * TY });
  });

  describe('after settlement every decision but the records is refused', () => {
    const records = ['RecordInspection', 'SanctionViolation', 'RemapAdministrativeUnit', 'CorrectEvent'];
    specifyRefusals(
      publicUpTo('settled'),
      PUB,
      [...COMMON_COMMANDS, ...PUBLIC_COMMANDS].filter((t) => !records.includes(t)),
      'PROJECT_SETTLED',
    );
  });
});

describe('Cancellation (hủy bỏ dự án) ends a live project', () => {
  it('cancels a live project', () => {
    const state = projectSpec
      .given(implementing)
      .when(sample('CancelProject', PUB))
      .thenEmits([STEP_EVENTS.CancelProject!]);
    expect(state).toMatchObject({ phase: 'cancelled', phaseSince: '2024-03-01' });
  });

  it('may not be dated before the current phase began', () => {
    projectSpec
      .given(implementing)
      .when(sample('CancelProject', PUB, { effectiveAt: '2022-06-30' }))
      .thenThrows({ code: 'VALIDATION', reason: 'DATE_OUT_OF_ORDER', field: 'effectiveAt' });
  });

  describe('once cancelled, every public decision is refused', () => {
    specifyRefusals(cancelled(implementing), PUB, PUBLIC_COMMANDS, 'PROJECT_CANCELLED');
  });
});

describe('Decisions under the Law on Investment do not apply to a public project', () => {
  const shared = ['StartConstruction', 'CompleteConstruction'];
  specifyRefusals(
    implementing,
    PUB,
    NON_STATE_COMMANDS.filter((t) => !shared.includes(t)),
    'WRONG_FAMILY',
  );
});
