// The commands of an investment project: what a user asks for, as zod schemas parsed at the edge.
// Values the state already knows (a milestone's old due date, an adjustment's old value) are not
// asked for: decide reads them from the state so the events record the true before → after.
import { z } from 'zod';
import { isoDateSchema } from '../dates.js';
import type { CommandMeta } from '../envelope.js';
import { aggregateIdSchema, partySchema, provinceCodeSchema, text } from '../schemas.js';
import { projectEventSchemas as E, MILESTONE_KINDS } from './events.js';

const projectId = aggregateIdSchema;
const withProject = <T extends z.ZodRawShape>(shape: T) => z.strictObject({ projectId, ...shape });
const newValue = z.strictObject({ field: text(60), to: z.string().max(500) });

export const projectCommandSchemas = {
  RegisterProject: E.ProjectRegistered,
  PlanMilestone: withProject(E.MilestonePlanned.shape),
  RescheduleMilestone: withProject({
    milestoneId: E.MilestonePlanned.shape.milestoneId,
    to: isoDateSchema,
    reason: E.MilestoneRescheduled.shape.reason,
    causeKind: E.MilestoneRescheduled.shape.causeKind,
  }),
  CompleteMilestone: withProject({
    milestoneId: E.MilestonePlanned.shape.milestoneId,
    completedOn: isoDateSchema.optional(),
  }),
  ReportProgress: withProject(E.ProgressReported.shape),
  SubmitPeriodicReport: withProject(E.PeriodicReportSubmitted.shape),
  RecordInspection: withProject(E.InspectionRecorded.shape),
  SanctionViolation: withProject(E.ViolationSanctioned.shape),
  SuspendProject: withProject(E.ProjectSuspended.shape),
  ResumeProject: withProject(E.ProjectResumed.shape),
  ReassignProjectOwner: withProject({ to: partySchema, reason: E.ProjectOwnerReassigned.shape.reason }),
  RemapAdministrativeUnit: withProject({
    to: z.strictObject({ province: provinceCodeSchema, adminUnit: text(120) }),
    reason: E.AdministrativeUnitRemapped.shape.reason,
  }),
  CorrectEvent: withProject({
    correctedRevision: z.number().int().nonnegative(),
    reason: E.EventCorrected.shape.reason,
    changes: z.array(newValue).min(1, 'must name at least one field to correct'),
  }),
  // Non-state-budget projects
  ApproveInvestmentPolicy: withProject(E.InvestmentPolicyApproved.shape),
  ApproveInvestor: withProject(E.InvestorApproved.shape),
  IssueInvestmentCertificate: withProject({
    ...E.InvestmentCertificateIssued.shape,
    /** The certificate's schedule of capital contribution and stages, planned as milestones. */
    schedule: z
      .array(
        z.strictObject({
          milestoneId: E.MilestonePlanned.shape.milestoneId,
          kind: z.enum(MILESTONE_KINDS),
          name: text(200),
          dueDate: isoDateSchema,
        }),
      )
      .max(50)
      .optional(),
  }),
  AdjustInvestmentCertificate: withProject({ changes: z.array(newValue).min(1), trigger: text(1000) }),
  AdjustInvestmentPolicy: withProject({ changes: z.array(newValue).min(1), trigger: text(1000) }),
  PayDeposit: withProject(E.DepositPaid.shape),
  RefundDeposit: withProject(E.DepositRefunded.shape),
  ForfeitDeposit: withProject(E.DepositForfeited.shape),
  AllocateLand: withProject(E.LandAllocated.shape),
  HandOverLand: withProject(E.LandHandedOver.shape),
  RecoverLand: withProject(E.LandRecovered.shape),
  ContributeCapital: withProject(E.CapitalContributed.shape),
  StartConstruction: withProject({}),
  CompleteConstruction: withProject({}),
  StartOperation: withProject({}),
  TransferProject: withProject({ to: partySchema }),
  TerminateProject: withProject(E.ProjectTerminated.shape),
  RevokeInvestmentCertificate: withProject({ reason: E.InvestmentCertificateRevoked.shape.reason }),
  // Public investment projects
  SubmitPolicyProposal: withProject(E.PolicyProposalSubmitted.shape),
  CompleteAppraisal: withProject(E.AppraisalCompleted.shape),
  ReturnAppraisal: withProject(E.AppraisalReturned.shape),
  DecideInvestmentPolicy: withProject(E.InvestmentPolicyDecided.shape),
  DecideInvestment: withProject(E.InvestmentDecided.shape),
  ApproveDesignEstimate: withProject(E.DesignEstimateApproved.shape),
  AwardBidPackage: withProject(E.BidPackageAwarded.shape),
  SignContract: withProject(E.ContractSigned.shape),
  AssignFundingSource: withProject(E.FundingSourceAssigned.shape),
  HandOverWorks: withProject(E.WorksHandedOver.shape),
  ApproveSettlement: withProject(E.SettlementApproved.shape),
  CancelProject: withProject(E.ProjectCancelled.shape),
} as const;

export type ProjectCommandType = keyof typeof projectCommandSchemas;
export type ProjectCommandData<T extends ProjectCommandType> = z.output<(typeof projectCommandSchemas)[T]>;
export type ProjectCommand = {
  [T in ProjectCommandType]: {
    readonly type: T;
    readonly data: ProjectCommandData<T>;
    readonly meta: CommandMeta;
  };
}[ProjectCommandType];

export const PROJECT_COMMAND_TYPES = Object.keys(projectCommandSchemas) as ProjectCommandType[];
