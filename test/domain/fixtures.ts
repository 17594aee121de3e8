// Histories the decider specs start from: one non-state project (a wood-processing plant in Cao Bằng)
// and one public project (a provincial road), each walked through its lifecycle with dated decisions,
// so a spec can say "given a certified project" as `nonStateUpTo('certified')`.
import type { z } from 'zod';
import { TY } from '../../src/domain/money.js';
import {
  PROJECT_COMMAND_TYPES,
  type ProjectCommandType,
  type projectCommandSchemas,
} from '../../src/domain/project/commands.js';
import type { ProjectEvent } from '../../src/domain/project/events.js';
import type { NonStatePhase, PublicPhase } from '../../src/domain/project/state.js';
import { type CommandOptions, type Dated, on, type RawCommand, rawCommand } from '../support/decider.js';

type History = Dated<ProjectEvent>[];

export const NS = 'CB.HoaAn.001';
export const PUB = 'CB.DT204';

/** nhà đầu tư of the non-state project; its id lets it act on its own project. */
export const INVESTOR = { name: 'Công ty TNHH Gỗ Việt Cao Bằng', taxCode: '4800123456', id: 'NDT_GoViet' };
/** chủ đầu tư of the public project. */
export const OWNER = { name: 'Ban Quản lý dự án đầu tư xây dựng tỉnh Cao Bằng', id: 'BQLDA_CB' };
export const CONTRACTOR = { name: 'Công ty CP Xây dựng Giao thông 4', taxCode: '4800765432' };

export const CERTIFICATE = '4538217546';

export const nonStateRegistration = {
  projectId: NS,
  family: 'nonState',
  name: 'Nhà máy chế biến gỗ Hòa An',
  province: '04',
  adminUnit: 'Huyện Hòa An',
  agencyId: 'SKHDT_CaoBang',
  sector: 'Công nghiệp chế biến',
  owner: INVESTOR,
  proposedCapital: 120n * TY,
} as const;

export const publicRegistration = {
  projectId: PUB,
  family: 'public',
  name: 'Đường tỉnh 204 đoạn Hòa An – Nguyên Bình',
  province: '04',
  adminUnit: 'Huyện Nguyên Bình',
  agencyId: 'SKHDT_CaoBang',
  sector: 'Giao thông',
  group: 'B',
  owner: OWNER,
} as const;

const NON_STATE_LIFECYCLE: readonly [NonStatePhase, Dated<ProjectEvent>][] = [
  ['registered', on('2022-01-10', 'ProjectRegistered', nonStateRegistration)],
  [
    'policyApproved',
    on('2022-02-15', 'InvestmentPolicyApproved', {
      approvedCapital: 120n * TY,
      durationYears: 50,
      landAreaM2: 50_000,
    }),
  ],
  ['investorApproved', on('2022-03-01', 'InvestorApproved', { investor: INVESTOR })],
  [
    'certified',
    on('2022-03-10', 'InvestmentCertificateIssued', {
      certificateNumber: CERTIFICATE,
      registeredCapital: 120n * TY,
    }),
  ],
  ['underConstruction', on('2022-06-01', 'ConstructionStarted', {})],
  ['constructed', on('2022-12-01', 'ConstructionCompleted', {})],
  ['operating', on('2023-01-15', 'OperationStarted', {})],
];

const PUBLIC_LIFECYCLE: readonly [PublicPhase, Dated<ProjectEvent>][] = [
  ['registered', on('2022-01-10', 'ProjectRegistered', publicRegistration)],
  ['proposed', on('2022-02-01', 'PolicyProposalSubmitted', { totalInvestment: 80n * TY, group: 'B' })],
  [
    'appraised',
    on('2022-03-01', 'AppraisalCompleted', { conclusion: 'Đủ điều kiện trình quyết định chủ trương' }),
  ],
  ['policyDecided', on('2022-03-20', 'InvestmentPolicyDecided', { totalInvestment: 80n * TY, group: 'B' })],
  [
    'investmentDecided',
    on('2022-05-01', 'InvestmentDecided', { totalInvestment: 78n * TY, completionDeadline: '2025-12-31' }),
  ],
  ['designApproved', on('2022-06-01', 'DesignEstimateApproved', { estimate: 75n * TY })],
  [
    'implementing',
    on('2022-07-01', 'BidPackageAwarded', {
      packageId: 'GT01',
      name: 'Thi công xây dựng nền, mặt đường',
      contractor: CONTRACTOR,
      price: 60n * TY,
    }),
  ],
  ['underConstruction', on('2022-08-01', 'ConstructionStarted', {})],
  ['constructed', on('2023-06-01', 'ConstructionCompleted', {})],
  ['handedOver', on('2023-07-01', 'WorksHandedOver', { recipient: 'Sở Xây dựng tỉnh Cao Bằng' })],
  ['settled', on('2023-12-01', 'SettlementApproved', { settledValue: 74n * TY })],
];

function upTo<P>(lifecycle: readonly [P, Dated<ProjectEvent>][], phase: P): History {
  const end = lifecycle.findIndex(([p]) => p === phase);
  if (end < 0) throw new Error(`no fixture reaches phase ${String(phase)}`);
  return lifecycle.slice(0, end + 1).map(([, e]) => e);
}

/** The non-state project's decisions up to and including the one that entered `phase`. */
export const nonStateUpTo = (phase: Exclude<NonStatePhase, 'terminated'>): History =>
  upTo(NON_STATE_LIFECYCLE, phase);
/** The public project's decisions up to and including the one that entered `phase`. */
export const publicUpTo = (phase: Exclude<PublicPhase, 'cancelled'>): History =>
  upTo(PUBLIC_LIFECYCLE, phase);

export const terminated = (history: History, date = '2023-09-01'): History => [
  ...history,
  on(date, 'ProjectTerminated', {
    ground: 'article48Violation',
    reason: 'Không triển khai dự án sau 12 tháng',
  }),
];
export const cancelled = (history: History, date = '2023-09-01'): History => [
  ...history,
  on(date, 'ProjectCancelled', { reason: 'Không bố trí được vốn' }),
];

/** A milestone planned on the project, due in 2023. */
export const milestone = (id = 'KC01', due = '2023-06-30'): Dated<ProjectEvent> =>
  on('2022-04-01', 'MilestonePlanned', {
    milestoneId: id,
    kind: 'constructionStart',
    name: 'Khởi công',
    dueDate: due,
  });

type CommandInputs = { [T in ProjectCommandType]: z.input<(typeof projectCommandSchemas)[T]> };

const REASON = 'Theo đề nghị của cơ quan đăng ký đầu tư';

/** One well-formed command of every type on `projectId`, for rules that hold across commands. */
export const sampleCommands = (projectId: string): CommandInputs => ({
  RegisterProject: { ...nonStateRegistration, projectId },
  PlanMilestone: {
    projectId,
    milestoneId: 'VH01',
    kind: 'operation',
    name: 'Đi vào hoạt động',
    dueDate: '2025-06-30',
  },
  RescheduleMilestone: {
    projectId,
    milestoneId: 'KC01',
    to: '2024-06-30',
    reason: 'Chậm bàn giao mặt bằng',
    causeKind: 'objective',
  },
  CompleteMilestone: { projectId, milestoneId: 'KC01' },
  ReportProgress: { projectId, period: '2024-Q1', physicalPercent: 45.5, delayCauses: [] },
  SubmitPeriodicReport: { projectId, reportKind: 'quarterly', period: '2024-Q1' },
  RecordInspection: {
    projectId,
    inspectionKind: 'postInspection',
    result: 'compliant',
    findings: 'Đúng tiến độ cam kết',
  },
  SanctionViolation: { projectId, violation: 'Không báo cáo giám sát đầu tư', fine: '30000000' },
  SuspendProject: {
    projectId,
    ground: 'Luật Đầu tư 2020 Điều 47 khoản 2',
    reason: 'Vi phạm quy định về môi trường',
  },
  ResumeProject: { projectId, reason: 'Đã khắc phục vi phạm' },
  ReassignProjectOwner: {
    projectId,
    to: { name: 'Ban Quản lý dự án khu vực Hòa An', id: 'BQLDA_HoaAn' },
    reason: REASON,
  },
  RemapAdministrativeUnit: {
    projectId,
    to: { province: '04', adminUnit: 'Xã Hòa An' },
    reason: 'Sắp xếp đơn vị hành chính 2025',
  },
  CorrectEvent: {
    projectId,
    correctedRevision: 0,
    reason: 'Nhập sai',
    changes: [{ field: 'sector', to: 'Chế biến gỗ' }],
  },
  ApproveInvestmentPolicy: { projectId, approvedCapital: '120000000000', durationYears: 50 },
  ApproveInvestor: { projectId, investor: INVESTOR },
  IssueInvestmentCertificate: {
    projectId,
    certificateNumber: CERTIFICATE,
    registeredCapital: '120000000000',
  },
  AdjustInvestmentCertificate: {
    projectId,
    changes: [{ field: 'registeredCapital', to: '150000000000' }],
    trigger: REASON,
  },
  AdjustInvestmentPolicy: { projectId, changes: [{ field: 'durationYears', to: '70' }], trigger: REASON },
  PayDeposit: { projectId, amount: '3600000000' },
  RefundDeposit: { projectId, amount: '1000000000' },
  ForfeitDeposit: { projectId, amount: '1000000000', reason: 'Chấm dứt dự án do vi phạm' },
  AllocateLand: { projectId, areaM2: 50_000, form: 'lease' },
  HandOverLand: { projectId, areaM2: 20_000 },
  RecoverLand: { projectId, areaM2: 20_000, reason: 'Luật Đất đai 2024 Điều 81' },
  ContributeCapital: { projectId, amount: '20000000000' },
  StartConstruction: { projectId },
  CompleteConstruction: { projectId },
  StartOperation: { projectId },
  TransferProject: { projectId, to: { name: 'Công ty CP Lâm sản Việt Bắc', taxCode: '4800999999' } },
  TerminateProject: { projectId, ground: 'notImplemented', reason: 'Không triển khai dự án' },
  RevokeInvestmentCertificate: { projectId, reason: 'Dự án chấm dứt hoạt động' },
  SubmitPolicyProposal: { projectId, totalInvestment: '80000000000', group: 'B' },
  CompleteAppraisal: { projectId, conclusion: 'Đủ điều kiện' },
  ReturnAppraisal: { projectId, reason: 'Hồ sơ chưa đầy đủ' },
  DecideInvestmentPolicy: { projectId, totalInvestment: '80000000000', group: 'B' },
  DecideInvestment: { projectId, totalInvestment: '78000000000', completionDeadline: '2026-12-31' },
  ApproveDesignEstimate: { projectId, estimate: '75000000000' },
  AwardBidPackage: {
    projectId,
    packageId: 'GT02',
    name: 'Tư vấn giám sát',
    contractor: CONTRACTOR,
    price: '2000000000',
  },
  SignContract: { projectId, packageId: 'GT01', contractNumber: '15/2022/HĐXD', value: '60000000000' },
  AssignFundingSource: { projectId, source: 'provincial', amount: '30000000000' },
  HandOverWorks: { projectId, recipient: 'Sở Xây dựng tỉnh Cao Bằng' },
  ApproveSettlement: { projectId, settledValue: '74000000000' },
  CancelProject: { projectId, reason: 'Không bố trí được vốn' },
});

/** A sample command of `type` as a client would send it. */
export const sample = (type: ProjectCommandType, projectId: string, options?: CommandOptions): RawCommand =>
  rawCommand(type, sampleCommands(projectId)[type], options);

export const COMMON_COMMANDS = PROJECT_COMMAND_TYPES.slice(
  PROJECT_COMMAND_TYPES.indexOf('PlanMilestone'),
  PROJECT_COMMAND_TYPES.indexOf('CorrectEvent') + 1,
);
export const NON_STATE_COMMANDS = PROJECT_COMMAND_TYPES.slice(
  PROJECT_COMMAND_TYPES.indexOf('ApproveInvestmentPolicy'),
  PROJECT_COMMAND_TYPES.indexOf('RevokeInvestmentCertificate') + 1,
);
/** Public-only commands (StartConstruction and CompleteConstruction are shared with non-state projects). */
export const PUBLIC_COMMANDS = PROJECT_COMMAND_TYPES.slice(
  PROJECT_COMMAND_TYPES.indexOf('SubmitPolicyProposal'),
);
