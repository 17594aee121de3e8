// decide(command, state) → events for an investment project. Pure: time, ids and the actor come in
// on the command. Every refusal is a typed error with a stable reason (see errors.ts).
import { type IsoDate, isValidIsoDate, localDateOf } from '../dates.js';
import { IllegalTransitionError, NotFoundError, ValidationError } from '../errors.js';
import { checkCommandDates } from '../guards.js';
import { dongSchema } from '../money.js';
import type { ProjectCommand } from './commands.js';
import type { ProjectEvent } from './events.js';
import {
  CORRECTABLE_FIELDS,
  type ExistingProject,
  FUNDABLE_PUBLIC_PHASES,
  isTerminal,
  type NonStateProject,
  type ProjectState,
  type PublicProject,
  reportKey,
} from './state.js';

type Cmd<T extends ProjectCommand['type']> = Extract<ProjectCommand, { type: T }>;

export function decideProject(command: ProjectCommand, state: ProjectState): ProjectEvent[] {
  checkCommandDates(command.meta);
  if (command.type === 'RegisterProject') {
    if (state.family !== 'none') {
      throw new IllegalTransitionError(
        'PROJECT_ALREADY_REGISTERED',
        `project ${command.data.projectId} is already registered`,
      );
    }
    if (command.data.family === 'public' && command.data.group === undefined) {
      throw ValidationError.field(
        'data.group',
        'is required for a public investment project (national, A, B or C)',
      );
    }
    return [{ type: 'ProjectRegistered', data: command.data }];
  }
  if (state.family === 'none')
    throw new NotFoundError('project', command.data.projectId, 'PROJECT_NOT_FOUND');
  notBefore(command.meta.effectiveAt, state.registeredOn, 'effectiveAt', 'the project registration');
  const common = decideCommon(command, state);
  if (common) return common;
  return state.family === 'nonState' ? decideNonState(command, state) : decidePublic(command, state);
}

/** Commands both families share; undefined when the command is family-specific. */
function decideCommon(c: ProjectCommand, s: ExistingProject): ProjectEvent[] | undefined {
  switch (c.type) {
    case 'PlanMilestone': {
      active(s, c.type);
      if (s.milestones[c.data.milestoneId]) {
        throw new IllegalTransitionError(
          'MILESTONE_ALREADY_PLANNED',
          `milestone ${c.data.milestoneId} is already planned`,
        );
      }
      notBefore(c.data.dueDate, s.registeredOn, 'data.dueDate', 'the project registration');
      const { projectId: _, ...data } = c.data;
      return [{ type: 'MilestonePlanned', data }];
    }
    case 'RescheduleMilestone': {
      active(s, c.type);
      const m = openMilestone(s, c.data.milestoneId);
      if (c.data.to === m.currentDue) {
        throw ValidationError.field(
          'data.to',
          `is the milestone's current due date ${m.currentDue}`,
          'NO_CHANGE',
        );
      }
      notBefore(c.data.to, s.registeredOn, 'data.to', 'the project registration');
      const { milestoneId, to, reason, causeKind } = c.data;
      return [
        { type: 'MilestoneRescheduled', data: { milestoneId, from: m.currentDue, to, reason, causeKind } },
      ];
    }
    case 'CompleteMilestone': {
      active(s, c.type);
      openMilestone(s, c.data.milestoneId);
      const completedOn = c.data.completedOn ?? c.meta.effectiveAt;
      notBefore(completedOn, s.registeredOn, 'data.completedOn', 'the project registration');
      if (completedOn > localDateOf(c.meta.recordedAt)) {
        throw ValidationError.field('data.completedOn', `${completedOn} is in the future`, 'DATE_IN_FUTURE');
      }
      return [{ type: 'MilestoneCompleted', data: { milestoneId: c.data.milestoneId, completedOn } }];
    }
    case 'ReportProgress': {
      active(s, c.type);
      const { projectId: _, ...data } = c.data;
      return [{ type: 'ProgressReported', data }];
    }
    case 'SubmitPeriodicReport': {
      active(s, c.type);
      const { reportKind, period } = c.data;
      const shape = reportKind === 'annual' ? /^\d{4}$/ : /^\d{4}-Q[1-4]$/;
      if (!shape.test(period)) {
        throw ValidationError.field(
          'data.period',
          `a ${reportKind} report needs a period like ${reportKind === 'annual' ? '2022' : '2022-Q3'}`,
        );
      }
      if (s.periodicReports.includes(reportKey(reportKind, period))) {
        throw new IllegalTransitionError(
          'REPORT_ALREADY_SUBMITTED',
          `the ${reportKind} report for ${period} was already submitted`,
        );
      }
      return [{ type: 'PeriodicReportSubmitted', data: { reportKind, period } }];
    }
    case 'RecordInspection': {
      const { projectId: _, ...data } = c.data;
      return [{ type: 'InspectionRecorded', data }];
    }
    case 'SanctionViolation': {
      const { projectId: _, ...data } = c.data;
      return [{ type: 'ViolationSanctioned', data }];
    }
    case 'SuspendProject': {
      active(s, c.type);
      if (s.suspension)
        throw new IllegalTransitionError(
          'PROJECT_SUSPENDED',
          `project is already suspended since ${s.suspension.since}`,
        );
      const { projectId: _, ...data } = c.data;
      return [{ type: 'ProjectSuspended', data }];
    }
    case 'ResumeProject': {
      active(s, c.type);
      if (!s.suspension)
        throw new IllegalTransitionError('PROJECT_NOT_SUSPENDED', 'project is not suspended');
      notBefore(c.meta.effectiveAt, s.suspension.since, 'effectiveAt', 'the suspension');
      return [{ type: 'ProjectResumed', data: { reason: c.data.reason } }];
    }
    case 'ReassignProjectOwner': {
      active(s, c.type);
      if (sameParty(s.owner, c.data.to))
        throw ValidationError.field('data.to', 'is already the project owner', 'NO_CHANGE');
      return [
        { type: 'ProjectOwnerReassigned', data: { from: s.owner, to: c.data.to, reason: c.data.reason } },
      ];
    }
    case 'RemapAdministrativeUnit': {
      const from = { province: s.province, adminUnit: s.adminUnit };
      if (from.province === c.data.to.province && from.adminUnit === c.data.to.adminUnit) {
        throw ValidationError.field('data.to', 'is the current administrative unit', 'NO_CHANGE');
      }
      return [{ type: 'AdministrativeUnitRemapped', data: { from, to: c.data.to, reason: c.data.reason } }];
    }
    case 'CorrectEvent':
      return [correction(c, s)];
    default:
      return undefined;
  }
}

function decideNonState(c: ProjectCommand, s: NonStateProject): ProjectEvent[] {
  switch (c.type) {
    case 'ApproveInvestmentPolicy': {
      phase(s, c, ['registered']);
      const { projectId: _, ...data } = c.data;
      return [{ type: 'InvestmentPolicyApproved', data }];
    }
    case 'ApproveInvestor':
      phase(s, c, ['policyApproved']);
      return [{ type: 'InvestorApproved', data: { investor: c.data.investor } }];
    case 'IssueInvestmentCertificate': {
      active(s, c.type); // a terminated project answers PROJECT_TERMINATED even if it once had a certificate
      if (s.certificate) {
        throw new IllegalTransitionError(
          'CERTIFICATE_ALREADY_ISSUED',
          `certificate ${s.certificate.number} was already issued`,
        );
      }
      phase(s, c, ['registered', 'policyApproved', 'investorApproved']);
      const { certificateNumber, registeredCapital, schedule = [] } = c.data;
      const ids = new Set<string>();
      schedule.forEach((m, i) => {
        if (ids.has(m.milestoneId) || s.milestones[m.milestoneId]) {
          throw ValidationError.field(
            `data.schedule.${i}.milestoneId`,
            `${m.milestoneId} is planned twice`,
            'MILESTONE_ALREADY_PLANNED',
          );
        }
        ids.add(m.milestoneId);
        notBefore(m.dueDate, c.meta.effectiveAt, `data.schedule.${i}.dueDate`, 'the certificate');
      });
      return [
        { type: 'InvestmentCertificateIssued', data: { certificateNumber, registeredCapital } },
        ...schedule.map((m): ProjectEvent => ({ type: 'MilestonePlanned', data: m })),
      ];
    }
    case 'AdjustInvestmentCertificate': {
      active(s, c.type);
      const cert = s.certificate;
      if (!cert || cert.revokedOn)
        throw new IllegalTransitionError(
          'NO_VALID_CERTIFICATE',
          'the project has no valid certificate to adjust',
        );
      const current: Record<string, string> = {
        registeredCapital: cert.registeredCapital.toString(),
        name: s.name,
      };
      return [
        {
          type: 'InvestmentCertificateAdjusted',
          data: { changes: changes(c.data.changes, current), trigger: c.data.trigger },
        },
      ];
    }
    case 'AdjustInvestmentPolicy': {
      active(s, c.type);
      const p = s.policy;
      if (!p)
        throw new IllegalTransitionError(
          'NO_POLICY_APPROVAL',
          'the project has no policy approval to adjust',
        );
      const current: Record<string, string> = {
        approvedCapital: p.approvedCapital.toString(),
        durationYears: String(p.durationYears),
      };
      return [
        {
          type: 'InvestmentPolicyAdjusted',
          data: { changes: changes(c.data.changes, current), trigger: c.data.trigger },
        },
      ];
    }
    case 'PayDeposit':
      phase(s, c, ['policyApproved', 'investorApproved', 'certified', 'underConstruction']);
      return [{ type: 'DepositPaid', data: { amount: c.data.amount } }];
    case 'RefundDeposit':
    case 'ForfeitDeposit': {
      if (c.data.amount > s.deposit.held) {
        throw new IllegalTransitionError(
          'DEPOSIT_INSUFFICIENT',
          `only ${s.deposit.held} đồng of deposit is held`,
          {
            held: s.deposit.held.toString(),
          },
        );
      }
      return c.type === 'RefundDeposit'
        ? [{ type: 'DepositRefunded', data: { amount: c.data.amount } }]
        : [{ type: 'DepositForfeited', data: { amount: c.data.amount, reason: c.data.reason } }];
    }
    case 'AllocateLand':
      phase(s, c, [
        'policyApproved',
        'investorApproved',
        'certified',
        'underConstruction',
        'constructed',
        'operating',
      ]);
      return [{ type: 'LandAllocated', data: { areaM2: c.data.areaM2, form: c.data.form } }];
    case 'HandOverLand': {
      active(s, c.type);
      const available = s.land.allocatedM2 - s.land.recoveredM2 - s.land.handedOverM2;
      if (c.data.areaM2 > available) {
        throw new IllegalTransitionError(
          'LAND_NOT_ALLOCATED',
          `only ${available} m² allocated and not yet handed over`,
        );
      }
      return [{ type: 'LandHandedOver', data: { areaM2: c.data.areaM2 } }];
    }
    case 'RecoverLand': {
      const held = s.land.allocatedM2 - s.land.recoveredM2;
      if (c.data.areaM2 > held)
        throw new IllegalTransitionError('LAND_NOT_ALLOCATED', `only ${held} m² is allocated`);
      return [{ type: 'LandRecovered', data: { areaM2: c.data.areaM2, reason: c.data.reason } }];
    }
    case 'ContributeCapital':
      phase(s, c, ['certified', 'underConstruction', 'constructed', 'operating']);
      return [{ type: 'CapitalContributed', data: { amount: c.data.amount } }];
    case 'StartConstruction':
      phase(s, c, ['certified']);
      notSuspended(s);
      return [{ type: 'ConstructionStarted', data: {} }];
    case 'CompleteConstruction':
      phase(s, c, ['underConstruction']);
      notSuspended(s);
      return [{ type: 'ConstructionCompleted', data: {} }];
    case 'StartOperation':
      phase(s, c, ['constructed']);
      notSuspended(s);
      return [{ type: 'OperationStarted', data: {} }];
    case 'TransferProject':
      phase(s, c, ['certified', 'underConstruction', 'constructed', 'operating']);
      if (sameParty(s.owner, c.data.to))
        throw ValidationError.field('data.to', 'is already the investor', 'NO_CHANGE');
      return [{ type: 'ProjectTransferred', data: { from: s.owner, to: c.data.to } }];
    case 'TerminateProject':
      active(s, c.type);
      notBefore(c.meta.effectiveAt, s.phaseSince, 'effectiveAt', `the ${s.phase} phase`);
      return [{ type: 'ProjectTerminated', data: { ground: c.data.ground, reason: c.data.reason } }];
    case 'RevokeInvestmentCertificate': {
      const cert = s.certificate;
      if (!cert)
        throw new IllegalTransitionError('NO_CERTIFICATE', 'no certificate was issued for this project');
      if (cert.revokedOn)
        throw new IllegalTransitionError(
          'CERTIFICATE_ALREADY_REVOKED',
          `certificate ${cert.number} was revoked on ${cert.revokedOn}`,
        );
      notBefore(c.meta.effectiveAt, s.phaseSince, 'effectiveAt', `the ${s.phase} phase`);
      return [
        {
          type: 'InvestmentCertificateRevoked',
          data: { certificateNumber: cert.number, reason: c.data.reason },
        },
      ];
    }
    default:
      throw wrongFamily(c, s);
  }
}

function decidePublic(c: ProjectCommand, s: PublicProject): ProjectEvent[] {
  switch (c.type) {
    case 'SubmitPolicyProposal':
      phase(s, c, ['registered']);
      return [
        {
          type: 'PolicyProposalSubmitted',
          data: { totalInvestment: c.data.totalInvestment, group: c.data.group },
        },
      ];
    case 'CompleteAppraisal':
      phase(s, c, ['proposed']);
      return [{ type: 'AppraisalCompleted', data: { conclusion: c.data.conclusion } }];
    case 'ReturnAppraisal':
      phase(s, c, ['proposed']);
      return [{ type: 'AppraisalReturned', data: { reason: c.data.reason } }];
    case 'DecideInvestmentPolicy':
      phase(s, c, ['appraised']);
      return [
        {
          type: 'InvestmentPolicyDecided',
          data: { totalInvestment: c.data.totalInvestment, group: c.data.group },
        },
      ];
    case 'DecideInvestment':
      phase(s, c, ['policyDecided']);
      notBefore(
        c.data.completionDeadline,
        c.meta.effectiveAt,
        'data.completionDeadline',
        'the investment decision',
      );
      return [
        {
          type: 'InvestmentDecided',
          data: { totalInvestment: c.data.totalInvestment, completionDeadline: c.data.completionDeadline },
        },
      ];
    case 'ApproveDesignEstimate':
      phase(s, c, ['investmentDecided']);
      return [{ type: 'DesignEstimateApproved', data: { estimate: c.data.estimate } }];
    case 'AwardBidPackage': {
      phase(s, c, ['investmentDecided', 'designApproved', 'implementing', 'underConstruction']);
      notSuspended(s);
      if (s.bidPackages[c.data.packageId]) {
        throw new IllegalTransitionError(
          'BID_PACKAGE_ALREADY_AWARDED',
          `bid package ${c.data.packageId} was already awarded`,
        );
      }
      const { projectId: _, ...data } = c.data;
      return [{ type: 'BidPackageAwarded', data }];
    }
    case 'SignContract': {
      active(s, c.type);
      const pkg = s.bidPackages[c.data.packageId];
      if (!pkg) throw new NotFoundError('bid package', c.data.packageId, 'BID_PACKAGE_NOT_FOUND');
      if (pkg.contract)
        throw new IllegalTransitionError(
          'CONTRACT_ALREADY_SIGNED',
          `contract ${pkg.contract.number} is already signed`,
        );
      const { projectId: _, ...data } = c.data;
      return [{ type: 'ContractSigned', data }];
    }
    case 'AssignFundingSource':
      phase(s, c, FUNDABLE_PUBLIC_PHASES);
      return [{ type: 'FundingSourceAssigned', data: { source: c.data.source, amount: c.data.amount } }];
    case 'StartConstruction':
      phase(s, c, ['designApproved', 'implementing']);
      notSuspended(s);
      return [{ type: 'ConstructionStarted', data: {} }];
    case 'CompleteConstruction':
      phase(s, c, ['underConstruction']);
      notSuspended(s);
      return [{ type: 'ConstructionCompleted', data: {} }];
    case 'HandOverWorks':
      phase(s, c, ['constructed']);
      return [{ type: 'WorksHandedOver', data: { recipient: c.data.recipient } }];
    case 'ApproveSettlement':
      phase(s, c, ['handedOver']);
      return [{ type: 'SettlementApproved', data: { settledValue: c.data.settledValue } }];
    case 'CancelProject':
      active(s, c.type);
      notBefore(c.meta.effectiveAt, s.phaseSince, 'effectiveAt', `the ${s.phase} phase`);
      return [{ type: 'ProjectCancelled', data: { reason: c.data.reason } }];
    default:
      throw wrongFamily(c, s);
  }
}

// --- guards -----------------------------------------------------------------------------------

function terminalError(s: ExistingProject, what: string): IllegalTransitionError {
  const reason =
    s.phase === 'terminated'
      ? 'PROJECT_TERMINATED'
      : s.phase === 'cancelled'
        ? 'PROJECT_CANCELLED'
        : 'PROJECT_SETTLED';
  return new IllegalTransitionError(
    reason,
    `${what} is not allowed: the project is ${s.phase} since ${s.phaseSince}`,
    {
      phase: s.phase,
    },
  );
}

/** The project must still be live (not terminated, cancelled or settled). */
function active(s: ExistingProject, what: string): void {
  if (isTerminal(s)) throw terminalError(s, what);
}

/** A lifecycle step: allowed only from the listed phases and not dated before the current phase began. */
function phase<S extends ExistingProject>(s: S, c: ProjectCommand, allowed: readonly S['phase'][]): void {
  if (isTerminal(s)) throw terminalError(s, c.type);
  if (!(allowed as readonly string[]).includes(s.phase)) {
    throw new IllegalTransitionError(
      'ILLEGAL_PHASE',
      `${c.type} is not allowed in phase ${s.phase} (allowed: ${allowed.join(', ')})`,
      {
        phase: s.phase,
        allowed,
      },
    );
  }
  notBefore(c.meta.effectiveAt, s.phaseSince, 'effectiveAt', `the ${s.phase} phase`);
}

function notSuspended(s: ExistingProject): void {
  if (s.suspension)
    throw new IllegalTransitionError(
      'PROJECT_SUSPENDED',
      `the project is suspended since ${s.suspension.since}`,
    );
}

function notBefore(date: IsoDate, limit: IsoDate, field: string, what: string): void {
  if (date < limit)
    throw ValidationError.field(field, `${date} is before ${what} (${limit})`, 'DATE_OUT_OF_ORDER');
}

function openMilestone(s: ExistingProject, id: string) {
  const m = s.milestones[id];
  if (!m) throw new NotFoundError('milestone', id, 'MILESTONE_NOT_FOUND');
  if (m.completedOn)
    throw new IllegalTransitionError(
      'MILESTONE_ALREADY_COMPLETED',
      `milestone ${id} was completed on ${m.completedOn}`,
    );
  return m;
}

function wrongFamily(c: ProjectCommand, s: ExistingProject): IllegalTransitionError {
  const family = s.family === 'nonState' ? 'a non-state-budget' : 'a public investment';
  return new IllegalTransitionError('WRONG_FAMILY', `${c.type} does not apply to ${family} project`, {
    family: s.family,
  });
}

const sameParty = (a: { name: string; taxCode?: string }, b: { name: string; taxCode?: string }) =>
  a.name === b.name && a.taxCode === b.taxCode;

const MONEY_FIELDS = new Set(['registeredCapital', 'approvedCapital', 'proposedCapital', 'amount']);
const YEAR_FIELDS = new Set(['durationYears']);

/** Pairs each requested new value with the current one; rejects unknown fields, non-changes and bad values. */
function changes(requested: readonly { field: string; to: string }[], current: Record<string, string>) {
  return requested.map(({ field, to }, i) => {
    const from = current[field];
    if (from === undefined) {
      throw ValidationError.field(
        `data.changes.${i}.field`,
        `cannot be adjusted here (allowed: ${Object.keys(current).join(', ')})`,
        'FIELD_NOT_ADJUSTABLE',
      );
    }
    const value = normalise(field, to, `data.changes.${i}.to`);
    if (value === from)
      throw ValidationError.field(`data.changes.${i}.to`, `${field} is already ${from}`, 'NO_CHANGE');
    return { field, from, to: value };
  });
}

function normalise(field: string, to: string, path: string): string {
  if (MONEY_FIELDS.has(field)) {
    const r = dongSchema.safeParse(to);
    if (!r.success || r.data === 0n)
      throw ValidationError.field(path, 'must be a positive whole number of đồng');
    return r.data.toString();
  }
  if (YEAR_FIELDS.has(field) && !/^[1-9][0-9]{0,2}$/.test(to))
    throw ValidationError.field(path, 'must be a whole number of years');
  if (field === 'physicalPercent') {
    const n = Number(to);
    if (!/^\d{1,3}(\.\d{1,2})?$/.test(to) || n > 100)
      throw ValidationError.field(path, 'must be a percentage between 0 and 100');
    return String(n);
  }
  if (field === 'dueDate' && !isValidIsoDate(to))
    throw ValidationError.field(path, 'must be a calendar date as YYYY-MM-DD');
  if (to.trim() === '') throw ValidationError.field(path, 'must not be empty');
  return to;
}

function correction(c: Cmd<'CorrectEvent'>, s: ExistingProject): ProjectEvent {
  const { correctedRevision: rev } = c.data;
  const entry = s.history[rev];
  if (!entry) throw new NotFoundError('event at revision', String(rev), 'EVENT_NOT_FOUND');
  const fields = CORRECTABLE_FIELDS[entry.type];
  if (!fields)
    throw new IllegalTransitionError('EVENT_NOT_CORRECTABLE', `a ${entry.type} event cannot be corrected`);
  const current: Record<string, string> = {};
  for (const f of fields) {
    const v = entry.values?.[f] ?? (s as unknown as Record<string, unknown>)[f];
    if (v !== undefined) current[f] = String(v);
  }
  return {
    type: 'EventCorrected',
    data: {
      correctedRevision: rev,
      correctedType: entry.type,
      reason: c.data.reason,
      changes: changes(c.data.changes, current),
    },
  };
}
