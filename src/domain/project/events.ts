// The events of an investment project (both families), each a zod schema with a schema version.
// Event data is what the decision said; who, when and under which document live in the metadata.
import { z } from 'zod';
import { isoDateSchema } from '../dates.js';
import { dongSchema, positiveDongSchema } from '../money.js';
import {
  aggregateIdSchema,
  causeKindSchema,
  delayCauseSchema,
  partySchema,
  percentSchema,
  periodSchema,
  positiveIntSchema,
  provinceCodeSchema,
  text,
} from '../schemas.js';

export const FAMILIES = ['nonState', 'public'] as const;
export const PROJECT_GROUPS = ['national', 'A', 'B', 'C'] as const;
export const MILESTONE_KINDS = [
  'capitalContribution',
  'landHandover',
  'siteClearance',
  'constructionStart',
  'constructionCompletion',
  'operation',
  'design',
  'bidding',
  'handover',
  'settlement',
  'other',
] as const;
export const LAND_FORMS = ['allocation', 'lease'] as const;
export const TERMINATION_GROUNDS = [
  'investorDecision',
  'contractConditions',
  'durationExpired',
  'article48Violation',
  'courtOrArbitration',
  'notImplemented',
  'other',
] as const;
export const INSPECTION_KINDS = ['inspection', 'postInspection', 'audit', 'supervision'] as const;
export const FUNDING_SOURCES = ['central', 'provincial', 'district', 'oda', 'other'] as const;

const projectId = aggregateIdSchema;
const milestoneId = z.string().regex(/^[A-Za-z0-9_.]{1,60}$/, 'must be 1–60 letters, digits, _ or .');
const areaM2 = z.number().int('must be whole square metres').positive('must be greater than zero');
const change = z.strictObject({ field: text(60), from: z.string().max(500), to: z.string().max(500) });

export const projectEventSchemas = {
  ProjectRegistered: z.strictObject({
    projectId,
    family: z.enum(FAMILIES),
    name: text(300),
    code: text(40).optional(),
    province: provinceCodeSchema,
    adminUnit: text(120),
    agencyId: text(120),
    sector: text(120),
    group: z.enum(PROJECT_GROUPS).optional(),
    owner: partySchema,
    location: text(300).optional(),
    proposedCapital: dongSchema.optional(),
  }),
  MilestonePlanned: z.strictObject({
    milestoneId,
    kind: z.enum(MILESTONE_KINDS),
    name: text(200),
    dueDate: isoDateSchema,
  }),
  MilestoneRescheduled: z.strictObject({
    milestoneId,
    from: isoDateSchema,
    to: isoDateSchema,
    reason: text(1000),
    causeKind: causeKindSchema,
  }),
  MilestoneCompleted: z.strictObject({ milestoneId, completedOn: isoDateSchema }),
  ProgressReported: z.strictObject({
    period: periodSchema,
    physicalPercent: percentSchema,
    delayCauses: z.array(delayCauseSchema).max(20),
    note: text(2000).optional(),
  }),
  PeriodicReportSubmitted: z.strictObject({
    reportKind: z.enum(['quarterly', 'annual']),
    period: periodSchema,
  }),
  InspectionRecorded: z.strictObject({
    inspectionKind: z.enum(INSPECTION_KINDS),
    result: z.enum(['compliant', 'violationsFound']),
    findings: text(4000),
  }),
  ViolationSanctioned: z.strictObject({ violation: text(2000), fine: dongSchema }),
  ProjectSuspended: z.strictObject({ ground: text(200), reason: text(2000) }),
  ProjectResumed: z.strictObject({ reason: text(2000) }),
  ProjectOwnerReassigned: z.strictObject({ from: partySchema, to: partySchema, reason: text(2000) }),
  AdministrativeUnitRemapped: z.strictObject({
    from: z.strictObject({ province: provinceCodeSchema, adminUnit: text(120) }),
    to: z.strictObject({ province: provinceCodeSchema, adminUnit: text(120) }),
    reason: text(2000),
  }),
  EventCorrected: z.strictObject({
    correctedRevision: z.number().int().nonnegative(),
    correctedType: text(60),
    reason: text(2000),
    changes: z.array(change).min(1),
  }),
  // Non-state-budget projects (Law on Investment)
  InvestmentPolicyApproved: z.strictObject({
    approvedCapital: positiveDongSchema,
    durationYears: positiveIntSchema,
    landAreaM2: areaM2.optional(),
  }),
  InvestorApproved: z.strictObject({ investor: partySchema }),
  InvestmentCertificateIssued: z.strictObject({
    certificateNumber: text(40),
    registeredCapital: positiveDongSchema,
  }),
  InvestmentCertificateAdjusted: z.strictObject({ changes: z.array(change).min(1), trigger: text(1000) }),
  InvestmentPolicyAdjusted: z.strictObject({ changes: z.array(change).min(1), trigger: text(1000) }),
  DepositPaid: z.strictObject({ amount: positiveDongSchema }),
  DepositRefunded: z.strictObject({ amount: positiveDongSchema }),
  DepositForfeited: z.strictObject({ amount: positiveDongSchema, reason: text(2000) }),
  LandAllocated: z.strictObject({ areaM2, form: z.enum(LAND_FORMS) }),
  LandHandedOver: z.strictObject({ areaM2 }),
  LandRecovered: z.strictObject({ areaM2, reason: text(2000) }),
  CapitalContributed: z.strictObject({ amount: positiveDongSchema }),
  ConstructionStarted: z.strictObject({}),
  ConstructionCompleted: z.strictObject({}),
  OperationStarted: z.strictObject({}),
  ProjectTransferred: z.strictObject({ from: partySchema, to: partySchema }),
  ProjectTerminated: z.strictObject({ ground: z.enum(TERMINATION_GROUNDS), reason: text(2000) }),
  InvestmentCertificateRevoked: z.strictObject({ certificateNumber: text(40), reason: text(2000) }),
  // Public investment projects (Law on Public Investment)
  PolicyProposalSubmitted: z.strictObject({
    totalInvestment: positiveDongSchema,
    group: z.enum(PROJECT_GROUPS),
  }),
  AppraisalCompleted: z.strictObject({ conclusion: text(2000) }),
  AppraisalReturned: z.strictObject({ reason: text(2000) }),
  InvestmentPolicyDecided: z.strictObject({
    totalInvestment: positiveDongSchema,
    group: z.enum(PROJECT_GROUPS),
  }),
  InvestmentDecided: z.strictObject({
    totalInvestment: positiveDongSchema,
    completionDeadline: isoDateSchema,
  }),
  DesignEstimateApproved: z.strictObject({ estimate: positiveDongSchema }),
  BidPackageAwarded: z.strictObject({
    packageId: milestoneId,
    name: text(300),
    contractor: partySchema,
    price: positiveDongSchema,
  }),
  ContractSigned: z.strictObject({
    packageId: milestoneId,
    contractNumber: text(60),
    value: positiveDongSchema,
  }),
  FundingSourceAssigned: z.strictObject({ source: z.enum(FUNDING_SOURCES), amount: positiveDongSchema }),
  WorksHandedOver: z.strictObject({ recipient: text(300) }),
  SettlementApproved: z.strictObject({ settledValue: positiveDongSchema }),
  ProjectCancelled: z.strictObject({ reason: text(2000) }),
} as const;

export type ProjectEventType = keyof typeof projectEventSchemas;
export type ProjectEventData<T extends ProjectEventType> = z.output<(typeof projectEventSchemas)[T]>;
export type ProjectEvent = {
  [T in ProjectEventType]: { readonly type: T; readonly data: ProjectEventData<T> };
}[ProjectEventType];

export const PROJECT_EVENT_TYPES = Object.keys(projectEventSchemas) as ProjectEventType[];

/** Schema versions; a type whose data shape changes gets a new version and an upcaster. */
export const projectEventVersions: Readonly<Record<ProjectEventType, number>> = Object.fromEntries(
  PROJECT_EVENT_TYPES.map((t) => [t, 1]),
) as Record<ProjectEventType, number>;
