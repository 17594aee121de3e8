// For every command of the catalogue: the steps that bring a fresh aggregate to a state where the
// command is legal, and the command itself — so the role matrix can be tried cell by cell with
// commands that succeed when allowed. A project's owner and commune/ward are parameters: a cell of a
// role scoped to its own projects or unit gets a project that is its own.
import type { CommandType } from '../../src/domain/catalog.js';

export interface Target {
  /** Unique per cell: the project id, or the suffix of a plan's, user's or token's id. */
  readonly id: string;
  readonly ownerId: string;
  readonly adminUnit: string;
}

export interface Step {
  readonly type: string;
  readonly data: Record<string, unknown>;
}

export interface Recipe {
  readonly setup: (t: Target) => Step[];
  readonly command: (t: Target) => Step;
}

const TY = '1000000000';
const step = (type: string, data: Record<string, unknown>): Step => ({ type, data });
const p = (t: Target, type: string, data: Record<string, unknown> = {}) =>
  step(type, { projectId: t.id, ...data });

// --- a non-state project, step by step ---------------------------------------------------------
const nonState = (t: Target): Step[] => [
  step('RegisterProject', {
    projectId: t.id,
    family: 'nonState',
    name: `Dự án ${t.id}`,
    province: '04',
    adminUnit: t.adminUnit,
    agencyId: 'so-tai-chinh-cb',
    sector: 'agroProcessing',
    owner: { name: `Nhà đầu tư ${t.ownerId}`, id: t.ownerId },
    proposedCapital: `12${TY}`,
  }),
  p(t, 'ApproveInvestmentPolicy', { approvedCapital: `12${TY}`, durationYears: 50 }),
  p(t, 'ApproveInvestor', { investor: { name: `Nhà đầu tư ${t.ownerId}`, id: t.ownerId } }),
  p(t, 'IssueInvestmentCertificate', { certificateNumber: '5432101234', registeredCapital: `12${TY}` }),
  p(t, 'PayDeposit', { amount: TY }),
  p(t, 'AllocateLand', { areaM2: 20_000, form: 'lease' }),
  p(t, 'StartConstruction'),
  p(t, 'CompleteConstruction'),
];
const ns = (n: number) => (t: Target) => nonState(t).slice(0, n);
const registered = ns(1);
const certified = ns(4);
const planned = (t: Target) => [
  ...registered(t),
  p(t, 'PlanMilestone', {
    milestoneId: 'M1',
    kind: 'constructionStart',
    name: 'Khởi công',
    dueDate: '2023-01-01',
  }),
];

// --- a public project, step by step (its owner is a management board) ---------------------------
const publicProject = (t: Target): Step[] => [
  step('RegisterProject', {
    projectId: t.id,
    family: 'public',
    name: `Công trình ${t.id}`,
    province: '04',
    adminUnit: t.adminUnit,
    agencyId: t.ownerId,
    sector: 'transport',
    group: 'B',
    owner: { name: `Ban QLDA ${t.ownerId}`, id: t.ownerId },
  }),
  p(t, 'SubmitPolicyProposal', { totalInvestment: `50${TY}`, group: 'B' }),
  p(t, 'CompleteAppraisal', { conclusion: 'Đủ điều kiện' }),
  p(t, 'DecideInvestmentPolicy', { totalInvestment: `50${TY}`, group: 'B' }),
  p(t, 'DecideInvestment', { totalInvestment: `50${TY}`, completionDeadline: '2025-12-31' }),
  p(t, 'ApproveDesignEstimate', { estimate: `48${TY}` }),
  p(t, 'AwardBidPackage', {
    packageId: 'G1',
    name: 'Xây lắp',
    contractor: { name: 'Công ty XD' },
    price: `40${TY}`,
  }),
  p(t, 'StartConstruction'),
  p(t, 'CompleteConstruction'),
  p(t, 'HandOverWorks', { recipient: 'UBND huyện' }),
];
const pub = (n: number) => (t: Target) => publicProject(t).slice(0, n);

// --- capital plans and the directory -----------------------------------------------------------
const plan = (t: Target) => ({ province: `T${t.id.replace(/\D/g, '').slice(-8)}`, year: 2022 });
const funded = (t: Target, id: string) => pub(4)({ ...t, id });
const assigned = (t: Target) => [step('AssignAnnualCapitalPlan', { ...plan(t), total: `100${TY}` })];
const allocated = (t: Target) => [
  ...funded(t, `${t.id}A`),
  ...assigned(t),
  step('AllocateCapital', { ...plan(t), projectId: `${t.id}A`, amount: `10${TY}` }),
];
const agency = (t: Target) => [
  step('RegisterAgency', { agencyId: `ag-${t.id}`, name: 'Cơ quan thử', kind: 'department' }),
];
const user = (t: Target) => [
  ...agency(t),
  step('RegisterUser', {
    userId: `u-${t.id}`,
    name: 'Người dùng thử',
    agencyId: `ag-${t.id}`,
    role: 'reviewer',
  }),
];

const unit = (t: Target, k: string) => `X${k}${t.id.replace(/\D/g, '').slice(-6)}`;
const units = (t: Target) => [
  step('EstablishUnit', { unitId: unit(t, 'A'), name: 'Xã A', level: 'commune' }),
  step('EstablishUnit', { unitId: unit(t, 'B'), name: 'Xã B', level: 'commune' }),
];
const mapAgencies = (t: Target) => [
  step('EstablishAgency', { agencyId: `am-${t.id}-a`, name: 'Cơ quan cũ' }),
  step('EstablishAgency', { agencyId: `am-${t.id}-b`, name: 'Cơ quan mới' }),
];

const on = (
  setup: (t: Target) => Step[],
  type: string,
  data: (t: Target) => Record<string, unknown> = () => ({}),
) => ({
  setup,
  command: (t: Target) => p(t, type, data(t)),
});

export const RECIPES: Readonly<Record<CommandType, Recipe>> = {
  RegisterProject: { setup: () => [], command: (t) => registered(t)[0]! },
  PlanMilestone: { setup: registered, command: (t) => planned(t)[1]! },
  RescheduleMilestone: on(planned, 'RescheduleMilestone', () => ({
    milestoneId: 'M1',
    to: '2023-06-01',
    reason: 'Chậm giải phóng mặt bằng',
    causeKind: 'objective',
  })),
  CompleteMilestone: on(planned, 'CompleteMilestone', () => ({ milestoneId: 'M1' })),
  ReportProgress: on(registered, 'ReportProgress', () => ({
    period: '2022-Q2',
    physicalPercent: 10,
    delayCauses: [],
  })),
  SubmitPeriodicReport: on(registered, 'SubmitPeriodicReport', () => ({
    reportKind: 'quarterly',
    period: '2022-Q2',
  })),
  RecordInspection: on(registered, 'RecordInspection', () => ({
    inspectionKind: 'inspection',
    result: 'compliant',
    findings: 'Không phát hiện vi phạm',
  })),
  SanctionViolation: on(registered, 'SanctionViolation', () => ({
    violation: 'Chậm tiến độ',
    fine: '10000000',
  })),
  SuspendProject: on(registered, 'SuspendProject', () => ({ ground: 'Điều 47', reason: 'Tạm ngừng' })),
  ResumeProject: on(
    (t) => [...registered(t), p(t, 'SuspendProject', { ground: 'Điều 47', reason: 'Tạm ngừng' })],
    'ResumeProject',
    () => ({ reason: 'Tiếp tục' }),
  ),
  ReassignProjectOwner: on(registered, 'ReassignProjectOwner', () => ({
    to: { name: 'Chủ đầu tư mới', id: 'inv-moi' },
    reason: 'Điều chuyển',
  })),
  RemapAdministrativeUnit: on(registered, 'RemapAdministrativeUnit', () => ({
    to: { province: '04', adminUnit: 'Huyện Trùng Khánh' },
    reason: 'Sắp xếp đơn vị hành chính',
  })),
  CorrectEvent: on(registered, 'CorrectEvent', () => ({
    correctedRevision: 0,
    reason: 'Sai tên',
    changes: [{ field: 'name', to: 'Tên đã sửa' }],
  })),
  ApproveInvestmentPolicy: { setup: ns(1), command: (t) => nonState(t)[1]! },
  ApproveInvestor: { setup: ns(2), command: (t) => nonState(t)[2]! },
  IssueInvestmentCertificate: { setup: ns(3), command: (t) => nonState(t)[3]! },
  AdjustInvestmentCertificate: on(certified, 'AdjustInvestmentCertificate', () => ({
    changes: [{ field: 'registeredCapital', to: `15${TY}` }],
    trigger: 'Tăng vốn',
  })),
  AdjustInvestmentPolicy: on(certified, 'AdjustInvestmentPolicy', () => ({
    changes: [{ field: 'durationYears', to: '40' }],
    trigger: 'Điều chỉnh thời hạn',
  })),
  PayDeposit: { setup: ns(4), command: (t) => nonState(t)[4]! },
  RefundDeposit: on(ns(5), 'RefundDeposit', () => ({ amount: TY })),
  ForfeitDeposit: on(ns(5), 'ForfeitDeposit', () => ({ amount: TY, reason: 'Vi phạm tiến độ' })),
  AllocateLand: { setup: ns(5), command: (t) => nonState(t)[5]! },
  HandOverLand: on(ns(6), 'HandOverLand', () => ({ areaM2: 1000 })),
  RecoverLand: on(ns(6), 'RecoverLand', () => ({ areaM2: 1000, reason: 'Không sử dụng' })),
  ContributeCapital: on(certified, 'ContributeCapital', () => ({ amount: TY })),
  StartConstruction: { setup: ns(6), command: (t) => nonState(t)[6]! },
  CompleteConstruction: { setup: ns(7), command: (t) => nonState(t)[7]! },
  StartOperation: on(ns(8), 'StartOperation'),
  TransferProject: on(certified, 'TransferProject', () => ({
    to: { name: 'Nhà đầu tư nhận chuyển nhượng', id: 'inv-nhan' },
  })),
  TerminateProject: on(registered, 'TerminateProject', () => ({
    ground: 'notImplemented',
    reason: 'Không triển khai',
  })),
  RevokeInvestmentCertificate: on(certified, 'RevokeInvestmentCertificate', () => ({ reason: 'Chấm dứt' })),
  SubmitPolicyProposal: { setup: pub(1), command: (t) => publicProject(t)[1]! },
  CompleteAppraisal: { setup: pub(2), command: (t) => publicProject(t)[2]! },
  ReturnAppraisal: on(pub(2), 'ReturnAppraisal', () => ({ reason: 'Thiếu hồ sơ' })),
  DecideInvestmentPolicy: { setup: pub(3), command: (t) => publicProject(t)[3]! },
  DecideInvestment: { setup: pub(4), command: (t) => publicProject(t)[4]! },
  ApproveDesignEstimate: { setup: pub(5), command: (t) => publicProject(t)[5]! },
  AwardBidPackage: { setup: pub(6), command: (t) => publicProject(t)[6]! },
  SignContract: on(pub(7), 'SignContract', () => ({
    packageId: 'G1',
    contractNumber: 'HĐ-01',
    value: `40${TY}`,
  })),
  AssignFundingSource: on(pub(4), 'AssignFundingSource', () => ({ source: 'provincial', amount: `10${TY}` })),
  HandOverWorks: { setup: pub(9), command: (t) => publicProject(t)[9]! },
  ApproveSettlement: on(pub(10), 'ApproveSettlement', () => ({ settledValue: `45${TY}` })),
  CancelProject: on(pub(1), 'CancelProject', () => ({ reason: 'Không còn phù hợp' })),
  AssignAnnualCapitalPlan: { setup: () => [], command: (t) => assigned(t)[0]! },
  AdjustAnnualCapitalPlan: {
    setup: assigned,
    command: (t) => step('AdjustAnnualCapitalPlan', { ...plan(t), total: `120${TY}`, reason: 'Bổ sung' }),
  },
  AllocateCapital: {
    setup: (t) => [...funded(t, `${t.id}A`), ...assigned(t)],
    command: (t) => step('AllocateCapital', { ...plan(t), projectId: `${t.id}A`, amount: `10${TY}` }),
  },
  ReallocateCapital: {
    setup: (t) => [...allocated(t), ...funded(t, `${t.id}B`)],
    command: (t) =>
      step('ReallocateCapital', {
        ...plan(t),
        fromProjectId: `${t.id}A`,
        toProjectId: `${t.id}B`,
        amount: TY,
        reason: 'Giải ngân chậm',
      }),
  },
  DisburseCapital: {
    setup: allocated,
    command: (t) =>
      step('DisburseCapital', {
        ...plan(t),
        projectId: `${t.id}A`,
        amount: TY,
        source: 'provincial',
      }),
  },
  ExtendDisbursementPeriod: {
    setup: assigned,
    command: (t) => step('ExtendDisbursementPeriod', { ...plan(t), to: '2023-06-30', reason: 'Gia hạn' }),
  },
  EstablishUnit: { setup: () => [], command: (t) => units(t)[0]! },
  MergeUnits: {
    setup: units,
    command: (t) => step('MergeUnits', { from: [unit(t, 'A')], into: unit(t, 'B'), reason: 'Sáp nhập' }),
  },
  EstablishAgency: { setup: () => [], command: (t) => mapAgencies(t)[0]! },
  SucceedAgency: {
    setup: mapAgencies,
    command: (t) => step('SucceedAgency', { from: `am-${t.id}-a`, to: `am-${t.id}-b`, reason: 'Hợp nhất' }),
  },
  RegisterAgency: { setup: () => [], command: (t) => agency(t)[0]! },
  UpdateAgency: {
    setup: agency,
    command: (t) => step('UpdateAgency', { agencyId: `ag-${t.id}`, name: 'Tên mới' }),
  },
  RegisterUser: { setup: agency, command: (t) => user(t)[1]! },
  AssignUser: {
    setup: user,
    command: (t) => step('AssignUser', { userId: `u-${t.id}`, agencyId: `ag-${t.id}`, role: 'inspector' }),
  },
  DeactivateUser: {
    setup: user,
    command: (t) => step('DeactivateUser', { userId: `u-${t.id}`, reason: 'Nghỉ việc' }),
  },
  ReactivateUser: {
    setup: (t) => [...user(t), step('DeactivateUser', { userId: `u-${t.id}`, reason: 'Nghỉ việc' })],
    command: (t) => step('ReactivateUser', { userId: `u-${t.id}` }),
  },
  // Sent as createApiToken (the server makes the token); the data here names the user.
  IssueApiToken: {
    setup: user,
    command: (t) => step('IssueApiToken', { userId: `u-${t.id}`, label: 'thử' }),
  },
  RevokeApiToken: {
    setup: (t) => [...user(t), step('IssueApiToken', { userId: `u-${t.id}`, label: 'thử' })],
    command: () => step('RevokeApiToken', { tokenId: 'TOKEN0', reason: 'Thu hồi' }),
  },
};
