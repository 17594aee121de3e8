// A project's state as folded from its events: a union tagged by family, with the phase of that
// family's lifecycle. Flags (suspended, overdue, unfunded) sit on top of the phase; overdue and
// unfunded depend on a clock and are derived by the read side, never stored here.
import type { IsoDate } from '../dates.js';
import type { Dong } from '../money.js';
import type { CauseKind, DelayCause, Party } from '../schemas.js';
import type { FUNDING_SOURCES, MILESTONE_KINDS, PROJECT_GROUPS, ProjectEvent } from './events.js';
import { shaped } from './shape.js';

export const NON_STATE_PHASES = [
  'registered',
  'policyApproved',
  'investorApproved',
  'certified',
  'underConstruction',
  'constructed',
  'operating',
  'terminated',
] as const;
export const PUBLIC_PHASES = [
  'registered',
  'proposed',
  'appraised',
  'policyDecided',
  'investmentDecided',
  'designApproved',
  'implementing',
  'underConstruction',
  'constructed',
  'handedOver',
  'settled',
  'cancelled',
] as const;
/** Public phases from the investment policy decision to handover: the project may receive capital. */
export const FUNDABLE_PUBLIC_PHASES: readonly PublicPhase[] = PUBLIC_PHASES.slice(
  PUBLIC_PHASES.indexOf('policyDecided'),
  PUBLIC_PHASES.indexOf('handedOver') + 1,
);
export type NonStatePhase = (typeof NON_STATE_PHASES)[number];
export type PublicPhase = (typeof PUBLIC_PHASES)[number];
export type ProjectGroup = (typeof PROJECT_GROUPS)[number];

export interface HistoryEntry {
  readonly type: ProjectEvent['type'];
  /** Milestone id for MilestonePlanned. */
  readonly ref?: string;
  readonly values?: Readonly<Record<string, string>>;
}

export interface Milestone {
  readonly id: string;
  readonly kind: (typeof MILESTONE_KINDS)[number];
  readonly name: string;
  readonly plannedDue: IsoDate;
  readonly currentDue: IsoDate;
  readonly reschedules: readonly { from: IsoDate; to: IsoDate; reason: string; causeKind: CauseKind }[];
  readonly completedOn?: IsoDate;
}

interface ProjectCommon {
  readonly projectId: string;
  readonly name: string;
  readonly code?: string;
  readonly province: string;
  readonly adminUnit: string;
  readonly agencyId: string;
  readonly sector: string;
  readonly owner: Party;
  readonly location?: string;
  readonly proposedCapital?: Dong;
  readonly registeredOn: IsoDate;
  /** Effective date of the latest phase change: later lifecycle steps may not predate it. */
  readonly phaseSince: IsoDate;
  readonly milestones: Readonly<Record<string, Milestone>>;
  readonly suspension?: { readonly since: IsoDate; readonly ground: string; readonly reason: string };
  readonly lastProgress?: {
    readonly revision: number;
    readonly period: string;
    readonly physicalPercent: number;
    readonly reportedOn: IsoDate;
    readonly delayCauses: readonly DelayCause[];
  };
  readonly periodicReports: readonly string[];
  readonly inspections: number;
  readonly sanctionedFines: Dong;
  /** One entry per revision: its type and the current values of its correctable fields. */
  readonly history: readonly HistoryEntry[];
}

export interface NonStateProject extends ProjectCommon {
  readonly family: 'nonState';
  readonly phase: NonStatePhase;
  readonly policy?: {
    readonly approvedCapital: Dong;
    readonly durationYears: number;
    readonly landAreaM2?: number;
  };
  readonly certificate?: {
    readonly number: string;
    readonly issuedOn: IsoDate;
    readonly registeredCapital: Dong;
    readonly adjustments: number;
    readonly revokedOn?: IsoDate;
  };
  readonly deposit: { readonly held: Dong; readonly refunded: Dong; readonly forfeited: Dong };
  readonly land: {
    readonly allocatedM2: number;
    readonly handedOverM2: number;
    readonly recoveredM2: number;
    /** Effective date of the first LandHandedOver: land use is measured from it (Land Law Art. 81). */
    readonly firstHandedOverOn?: IsoDate;
  };
  readonly capitalContributed: Dong;
}

export interface BidPackage {
  readonly name: string;
  readonly contractor: Party;
  readonly price: Dong;
  readonly contract?: { readonly number: string; readonly value: Dong };
}

export interface PublicProject extends ProjectCommon {
  readonly family: 'public';
  readonly phase: PublicPhase;
  readonly group?: ProjectGroup;
  /** Effective date of the (latest) InvestmentPolicyDecided: the unfunded period counts from it. */
  readonly policyDecidedOn?: IsoDate;
  /** Effective date of the (latest) InvestmentDecided: the allocation period counts from it. */
  readonly investmentDecidedOn?: IsoDate;
  readonly totalInvestment?: Dong;
  readonly completionDeadline?: IsoDate;
  readonly estimate?: Dong;
  readonly appraisalRounds: number;
  readonly funding: readonly { readonly source: (typeof FUNDING_SOURCES)[number]; readonly amount: Dong }[];
  readonly bidPackages: Readonly<Record<string, BidPackage>>;
  readonly settledValue?: Dong;
}

export type ProjectState = { readonly family: 'none' } | NonStateProject | PublicProject;
export type ExistingProject = NonStateProject | PublicProject;

export const initialProjectState: ProjectState = { family: 'none' };

export const isTerminal = (s: ExistingProject): boolean =>
  s.phase === 'terminated' || s.phase === 'cancelled' || s.phase === 'settled';

/** The business date an event took effect; evolve needs it for dates kept in state. */
export interface EvolveContext {
  readonly effectiveAt: IsoDate;
}

/** The state after the event: of its family's one shape (shape.ts) when the event changed it. */
export function evolveProject(state: ProjectState, event: ProjectEvent, ctx: EvolveContext): ProjectState {
  const next = evolved(state, event, ctx);
  return next === state || next.family === 'none' ? next : shaped(next);
}

function evolved(state: ProjectState, event: ProjectEvent, ctx: EvolveContext): ProjectState {
  if (event.type === 'ProjectRegistered') return registered(event.data, ctx.effectiveAt);
  if (state.family === 'none') return state; // cannot happen for streams written by decide
  const s = { ...state, history: [...state.history, historyEntry(event)] } as ExistingProject;
  const revision = state.history.length;
  const on = ctx.effectiveAt;
  const toPhase = <P extends ExistingProject>(p: P, phase: P['phase']): P => ({
    ...p,
    phase,
    phaseSince: on,
  });

  switch (event.type) {
    case 'MilestonePlanned': {
      const { milestoneId, kind, name, dueDate } = event.data;
      const m: Milestone = {
        id: milestoneId,
        kind,
        name,
        plannedDue: dueDate,
        currentDue: dueDate,
        reschedules: [],
      };
      return { ...s, milestones: { ...s.milestones, [milestoneId]: m } };
    }
    case 'MilestoneRescheduled': {
      const { milestoneId, from, to, reason, causeKind } = event.data;
      return updateMilestone(s, milestoneId, (m) => ({
        ...m,
        currentDue: to,
        reschedules: [...m.reschedules, { from, to, reason, causeKind }],
      }));
    }
    case 'MilestoneCompleted':
      return updateMilestone(s, event.data.milestoneId, (m) => ({
        ...m,
        completedOn: event.data.completedOn,
      }));
    case 'ProgressReported': {
      const { period, physicalPercent, delayCauses } = event.data;
      return { ...s, lastProgress: { revision, period, physicalPercent, delayCauses, reportedOn: on } };
    }
    case 'PeriodicReportSubmitted':
      return {
        ...s,
        periodicReports: [...s.periodicReports, reportKey(event.data.reportKind, event.data.period)],
      };
    case 'InspectionRecorded':
      return { ...s, inspections: s.inspections + 1 };
    case 'ViolationSanctioned':
      return { ...s, sanctionedFines: s.sanctionedFines + event.data.fine };
    case 'ProjectSuspended':
      return { ...s, suspension: { since: on, ground: event.data.ground, reason: event.data.reason } };
    case 'ProjectResumed': {
      const { suspension: _ended, ...rest } = s;
      return rest as ExistingProject;
    }
    case 'ProjectOwnerReassigned':
    case 'ProjectTransferred':
      return { ...s, owner: event.data.to };
    case 'AdministrativeUnitRemapped':
      return { ...s, province: event.data.to.province, adminUnit: event.data.to.adminUnit };
    case 'EventCorrected':
      return applyCorrection(s, event.data.correctedType, event.data.correctedRevision, event.data.changes);
    default:
      return s.family === 'nonState'
        ? evolveNonState(s, event, on, toPhase)
        : evolvePublic(s, event, on, toPhase);
  }
}

/**
 * Time travel (src/projections/time-travel.ts): revisions that do not count at a point in time keep
 * their slots in `history`, so a correction folded later still finds the revision it names.
 */
export function passOver(state: ProjectState, events: readonly Pick<ProjectEvent, 'type'>[]): ProjectState {
  if (state.family === 'none' || events.length === 0) return state;
  return shaped({ ...state, history: [...state.history, ...events.map((e) => ({ type: e.type }))] });
}

type ToPhase = <P extends ExistingProject>(p: P, phase: P['phase']) => P;

function evolveNonState(
  s: NonStateProject,
  event: ProjectEvent,
  on: IsoDate,
  toPhase: ToPhase,
): NonStateProject {
  switch (event.type) {
    case 'InvestmentPolicyApproved':
      return { ...toPhase(s, 'policyApproved'), policy: { ...event.data } };
    case 'InvestorApproved':
      return { ...toPhase(s, 'investorApproved'), owner: event.data.investor };
    case 'InvestmentCertificateIssued':
      return {
        ...toPhase(s, 'certified'),
        certificate: {
          number: event.data.certificateNumber,
          issuedOn: on,
          registeredCapital: event.data.registeredCapital,
          adjustments: 0,
        },
      };
    case 'InvestmentCertificateAdjusted': {
      const cert = s.certificate;
      if (!cert) return s; // only in a time-travel fold that left the issuance out
      const capital = event.data.changes.find((c) => c.field === 'registeredCapital');
      const name = event.data.changes.find((c) => c.field === 'name');
      return {
        ...s,
        ...(name && { name: name.to }),
        certificate: {
          ...cert,
          adjustments: cert.adjustments + 1,
          registeredCapital: capital ? BigInt(capital.to) : cert.registeredCapital,
        },
      };
    }
    case 'InvestmentPolicyAdjusted': {
      const policy = s.policy;
      if (!policy) return s; // only in a time-travel fold that left the approval out
      const get = (f: string) => event.data.changes.find((c) => c.field === f)?.to;
      const capital = get('approvedCapital');
      const years = get('durationYears');
      return {
        ...s,
        policy: {
          ...policy,
          approvedCapital: capital ? BigInt(capital) : policy.approvedCapital,
          durationYears: years ? Number(years) : policy.durationYears,
        },
      };
    }
    case 'DepositPaid':
      return { ...s, deposit: { ...s.deposit, held: s.deposit.held + event.data.amount } };
    case 'DepositRefunded':
      return {
        ...s,
        deposit: {
          ...s.deposit,
          held: s.deposit.held - event.data.amount,
          refunded: s.deposit.refunded + event.data.amount,
        },
      };
    case 'DepositForfeited':
      return {
        ...s,
        deposit: {
          ...s.deposit,
          held: s.deposit.held - event.data.amount,
          forfeited: s.deposit.forfeited + event.data.amount,
        },
      };
    case 'LandAllocated':
      return { ...s, land: { ...s.land, allocatedM2: s.land.allocatedM2 + event.data.areaM2 } };
    case 'LandHandedOver':
      return {
        ...s,
        land: {
          ...s.land,
          handedOverM2: s.land.handedOverM2 + event.data.areaM2,
          firstHandedOverOn: s.land.firstHandedOverOn ?? on,
        },
      };
    case 'LandRecovered':
      return { ...s, land: { ...s.land, recoveredM2: s.land.recoveredM2 + event.data.areaM2 } };
    case 'CapitalContributed':
      return { ...s, capitalContributed: s.capitalContributed + event.data.amount };
    case 'ConstructionStarted':
      return toPhase(s, 'underConstruction');
    case 'ConstructionCompleted':
      return toPhase(s, 'constructed');
    case 'OperationStarted':
      return toPhase(s, 'operating');
    case 'ProjectTerminated':
      return toPhase(s, 'terminated');
    case 'InvestmentCertificateRevoked': {
      const revoked = s.certificate ? { ...s, certificate: { ...s.certificate, revokedOn: on } } : s;
      return s.phase === 'terminated' ? revoked : toPhase(revoked, 'terminated');
    }
    default:
      return s;
  }
}

function evolvePublic(s: PublicProject, event: ProjectEvent, on: IsoDate, toPhase: ToPhase): PublicProject {
  switch (event.type) {
    case 'PolicyProposalSubmitted':
      return {
        ...toPhase(s, 'proposed'),
        totalInvestment: event.data.totalInvestment,
        group: event.data.group,
      };
    case 'AppraisalCompleted':
      return { ...toPhase(s, 'appraised'), appraisalRounds: s.appraisalRounds + 1 };
    case 'AppraisalReturned':
      return { ...toPhase(s, 'registered'), appraisalRounds: s.appraisalRounds + 1 };
    case 'InvestmentPolicyDecided':
      return {
        ...toPhase(s, 'policyDecided'),
        policyDecidedOn: on,
        totalInvestment: event.data.totalInvestment,
        group: event.data.group,
      };
    case 'InvestmentDecided':
      return {
        ...toPhase(s, 'investmentDecided'),
        investmentDecidedOn: on,
        totalInvestment: event.data.totalInvestment,
        completionDeadline: event.data.completionDeadline,
      };
    case 'DesignEstimateApproved':
      return { ...toPhase(s, 'designApproved'), estimate: event.data.estimate };
    case 'BidPackageAwarded': {
      const { packageId, name, contractor, price } = event.data;
      const next = { ...s, bidPackages: { ...s.bidPackages, [packageId]: { name, contractor, price } } };
      return s.phase === 'investmentDecided' || s.phase === 'designApproved'
        ? toPhase(next, 'implementing')
        : next;
    }
    case 'ContractSigned': {
      const pkg = s.bidPackages[event.data.packageId];
      if (!pkg) return s; // only in a time-travel fold that left the award out
      const contract = { number: event.data.contractNumber, value: event.data.value };
      return { ...s, bidPackages: { ...s.bidPackages, [event.data.packageId]: { ...pkg, contract } } };
    }
    case 'FundingSourceAssigned':
      return { ...s, funding: [...s.funding, { source: event.data.source, amount: event.data.amount }] };
    case 'ConstructionStarted':
      return toPhase(s, 'underConstruction');
    case 'ConstructionCompleted':
      return toPhase(s, 'constructed');
    case 'WorksHandedOver':
      return toPhase(s, 'handedOver');
    case 'SettlementApproved':
      return { ...toPhase(s, 'settled'), settledValue: event.data.settledValue };
    case 'ProjectCancelled':
      return toPhase(s, 'cancelled');
    default:
      return s;
  }
}

function registered(
  d: Extract<ProjectEvent, { type: 'ProjectRegistered' }>['data'],
  on: IsoDate,
): ExistingProject {
  const common = {
    projectId: d.projectId,
    name: d.name,
    code: d.code,
    province: d.province,
    adminUnit: d.adminUnit,
    agencyId: d.agencyId,
    sector: d.sector,
    owner: d.owner,
    location: d.location,
    proposedCapital: d.proposedCapital,
    registeredOn: on,
    phaseSince: on,
    milestones: {},
    periodicReports: [],
    inspections: 0,
    sanctionedFines: 0n,
    history: [{ type: 'ProjectRegistered' }] as HistoryEntry[],
    phase: 'registered' as const,
  };
  if (d.family === 'nonState') {
    return {
      ...common,
      family: 'nonState',
      deposit: { held: 0n, refunded: 0n, forfeited: 0n },
      land: { allocatedM2: 0, handedOverM2: 0, recoveredM2: 0 },
      capitalContributed: 0n,
    };
  }
  return { ...common, family: 'public', group: d.group, appraisalRounds: 0, funding: [], bidPackages: {} };
}

export const reportKey = (kind: string, period: string): string => `${kind}:${period}`;

function updateMilestone<S extends ExistingProject>(s: S, id: string, f: (m: Milestone) => Milestone): S {
  const m = s.milestones[id];
  return m ? { ...s, milestones: { ...s.milestones, [id]: f(m) } } : s;
}

/**
 * Fields a correction may change, per corrected event type. A correction never edits the stored
 * event: it is a new event naming the revision it corrects, and the fold applies its new values.
 */
export const CORRECTABLE_FIELDS: Readonly<Partial<Record<ProjectEvent['type'], readonly string[]>>> = {
  ProjectRegistered: ['name', 'sector', 'adminUnit', 'location', 'proposedCapital'],
  ProgressReported: ['physicalPercent'],
  CapitalContributed: ['amount'],
  MilestonePlanned: ['dueDate'],
};

function historyEntry(e: ProjectEvent): HistoryEntry {
  switch (e.type) {
    case 'ProgressReported':
      return { type: e.type, values: { physicalPercent: String(e.data.physicalPercent) } };
    case 'CapitalContributed':
      return { type: e.type, values: { amount: e.data.amount.toString() } };
    case 'MilestonePlanned':
      return { type: e.type, ref: e.data.milestoneId, values: { dueDate: e.data.dueDate } };
    default:
      return { type: e.type };
  }
}

function applyCorrection(
  s: ExistingProject,
  type: string,
  revision: number,
  changes: readonly { field: string; from: string; to: string }[],
): ExistingProject {
  const entry = s.history[revision];
  if (!entry) return s;
  const values = { ...entry.values };
  const history = s.history.map((h, i) => (i === revision ? { ...h, values } : h));
  let next: ExistingProject = { ...s, history };
  for (const c of changes) {
    values[c.field] = c.to;
    if (type === 'ProjectRegistered') {
      next =
        c.field === 'proposedCapital'
          ? { ...next, proposedCapital: BigInt(c.to) }
          : { ...next, [c.field]: c.to };
    } else if (type === 'ProgressReported' && next.lastProgress?.revision === revision) {
      next = { ...next, lastProgress: { ...next.lastProgress, physicalPercent: Number(c.to) } };
    } else if (type === 'CapitalContributed' && next.family === 'nonState') {
      next = { ...next, capitalContributed: next.capitalContributed - BigInt(c.from) + BigInt(c.to) };
    } else if (type === 'MilestonePlanned' && entry.ref) {
      const due = c.to as IsoDate;
      next = updateMilestone(next, entry.ref, (m) =>
        m.reschedules.length === 0 ? { ...m, plannedDue: due, currentDue: due } : { ...m, plannedDue: due },
      );
    }
  }
  return next;
}
