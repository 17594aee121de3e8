// Authorisation as data: for each role, which commands it may run and in which scope, what it may read,
// and which operations beyond reads and commands it may use. The command handler checks every command
// against this table (src/commands/authorize.ts), the queries scope their reads by it, and
// docs/SECURITY.md prints it (a test keeps the two in step). Pure: no I/O.
//   any         every project or plan of the province;
//   ownProject  projects whose owner (chủ đầu tư / nhà đầu tư) is the actor's agency;
//   ownUnit     projects in the actor's agency's own commune or ward (a commune committee's).
import { CAPITAL_COMMAND_TYPES } from './capital/decide.js';
import type { CommandType } from './catalog.js';
import type { Actor, Role } from './envelope.js';

export type CommandScope = 'any' | 'ownProject' | 'ownUnit';
/** What a role reads: every project, its own projects, its unit's projects, or no project data. */
export type ReadScope = 'all' | 'ownProjects' | 'ownUnit' | 'none';
/**
 * Operations that are neither a read of the portfolio nor a command: replaying decisions, verifying the
 * hash chains, overriding a regime rule check in a command it may run (its `override`,
 * docs/TIME-TRAVEL.md): a knowing departure from a rule of an investment law, which only the agency
 * competent to decide under that law may take; and reading the server's metrics (/metrics).
 */
export type Operation = 'replay' | 'verify' | 'override' | 'metrics';

export interface RoleRights {
  readonly commands: Readonly<Partial<Record<CommandType, CommandScope>>>;
  readonly reads: ReadScope;
  readonly operations: readonly Operation[];
}

const all = <T extends CommandType>(types: readonly T[], scope: CommandScope) =>
  Object.fromEntries(types.map((t) => [t, scope])) as Record<T, CommandScope>;

const OWN_REPORTS = [
  'ReportProgress',
  'SubmitPeriodicReport',
  'ContributeCapital',
  'CompleteMilestone',
] as const;

export const ACCESS_MATRIX: Readonly<Record<Role, RoleRights>> = {
  administrator: {
    // Manages the directory and the map of units and agencies (their successions); sees no project data.
    commands: all(
      [
        'EstablishUnit',
        'MergeUnits',
        'EstablishAgency',
        'SucceedAgency',
        'RegisterAgency',
        'UpdateAgency',
        'RegisterUser',
        'AssignUser',
        'DeactivateUser',
        'ReactivateUser',
        'IssueApiToken',
        'RevokeApiToken',
      ],
      'any',
    ),
    reads: 'none',
    // Runs the system: reads its metrics (no project data is in them).
    operations: ['metrics'],
  },
  registrationAuthority: {
    // The investment registration office: the non-state lifecycle, and the investors' reports it receives.
    commands: all(
      [
        'RegisterProject',
        'ApproveInvestmentPolicy',
        'ApproveInvestor',
        'IssueInvestmentCertificate',
        'AdjustInvestmentCertificate',
        'AdjustInvestmentPolicy',
        'RevokeInvestmentCertificate',
        'TerminateProject',
        'SuspendProject',
        'ResumeProject',
        'TransferProject',
        'ReassignProjectOwner',
        'RemapAdministrativeUnit',
        'CorrectEvent',
        'PayDeposit',
        'RefundDeposit',
        'PlanMilestone',
        'RescheduleMilestone',
        'StartOperation',
        ...OWN_REPORTS,
      ],
      'any',
    ),
    reads: 'all',
    // The only agency deciding under the Law on Investment, whose rules are the overridable checks.
    operations: ['override'],
  },
  financeDepartment: {
    // Capital plans, appraisal of public projects, funding, settlement, deposits forfeited.
    commands: all(
      [
        ...CAPITAL_COMMAND_TYPES,
        'CompleteAppraisal',
        'ReturnAppraisal',
        'AssignFundingSource',
        'ApproveSettlement',
        'ForfeitDeposit',
      ],
      'any',
    ),
    reads: 'all',
    operations: [],
  },
  environmentDepartment: {
    commands: all(['AllocateLand', 'HandOverLand', 'RecoverLand'], 'any'),
    reads: 'all',
    operations: [],
  },
  constructionDepartment: {
    commands: all(
      [
        'StartConstruction',
        'CompleteConstruction',
        'ApproveDesignEstimate',
        'PlanMilestone',
        'CompleteMilestone',
        'ReportProgress',
      ],
      'any',
    ),
    reads: 'all',
    operations: [],
  },
  communeCommittee: {
    // Site clearance (giải phóng mặt bằng) is reported as progress with its causes, in its own unit.
    commands: all(['ReportProgress'], 'ownUnit'),
    reads: 'ownUnit',
    operations: [],
  },
  managementBoard: {
    // A project management board is the owner of public projects: their lifecycle, on its own projects.
    commands: all(
      [
        'RegisterProject',
        'SubmitPolicyProposal',
        'DecideInvestmentPolicy',
        'DecideInvestment',
        'AwardBidPackage',
        'SignContract',
        'HandOverWorks',
        'SuspendProject',
        'ResumeProject',
        'CancelProject',
        'PlanMilestone',
        'RescheduleMilestone',
        ...OWN_REPORTS,
      ],
      'ownProject',
    ),
    reads: 'all',
    operations: [],
  },
  projectOwner: { commands: all(OWN_REPORTS, 'ownProject'), reads: 'ownProjects', operations: [] },
  investor: { commands: all(OWN_REPORTS, 'ownProject'), reads: 'ownProjects', operations: [] },
  inspector: {
    commands: all(['RecordInspection', 'SanctionViolation'], 'any'),
    reads: 'all',
    operations: [],
  },
  reviewer: { commands: {}, reads: 'all', operations: [] },
  supervisor: { commands: {}, reads: 'all', operations: ['replay', 'verify', 'metrics'] },
  // Integrations (the provincial LGSP) read what the province shares.
  integration: { commands: {}, reads: 'all', operations: [] },
};

/** The project facts a scope is judged on (from the project's state, or a registration's data). */
export interface ScopeTarget {
  readonly ownerId?: string;
  readonly adminUnit?: string;
}

/** What the actor's agency is responsible for, from the directory (a commune committee's unit). */
export interface ActorAgency {
  readonly adminUnit?: string;
}

export type AccessDecision =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly reason: string; readonly why: string };

const deny = (reason: string, why: string): AccessDecision => ({ allowed: false, reason, why });

/** May the actor run this command on this target? Only the table decides. */
export function decideCommandAccess(
  actor: Actor,
  command: CommandType,
  target: ScopeTarget | undefined,
  agency: ActorAgency = {},
): AccessDecision {
  const { commands } = ACCESS_MATRIX[actor.role];
  const scope = commands[command];
  if (!scope)
    return Object.keys(commands).length === 0
      ? deny('READ_ONLY_ROLE', `role ${actor.role} reads and audits; it runs no command (${command})`)
      : deny('COMMAND_NOT_ALLOWED_FOR_ROLE', `role ${actor.role} may not run ${command}`);
  if (scope === 'any') return { allowed: true };
  if (scope === 'ownProject')
    return target?.ownerId !== undefined && target.ownerId === actor.agencyId
      ? { allowed: true }
      : deny('NOT_OWN_PROJECT', `${actor.agencyId} is not the owner of this project`);
  return agency.adminUnit !== undefined && target?.adminUnit === agency.adminUnit
    ? { allowed: true }
    : deny(
        'NOT_OWN_UNIT',
        `the project is not in ${agency.adminUnit ?? `${actor.agencyId}'s unit (none known)`}`,
      );
}

/** May the actor read this project? */
export function decideReadAccess(
  actor: Actor,
  target: ScopeTarget,
  agency: ActorAgency = {},
): AccessDecision {
  switch (ACCESS_MATRIX[actor.role].reads) {
    case 'all':
      return { allowed: true };
    case 'none':
      return deny('READ_NOT_ALLOWED_FOR_ROLE', `role ${actor.role} reads no project data`);
    case 'ownProjects':
      return target.ownerId === actor.agencyId
        ? { allowed: true }
        : deny('NOT_OWN_PROJECT', `${actor.agencyId} is not the owner of this project`);
    case 'ownUnit':
      return agency.adminUnit !== undefined && target.adminUnit === agency.adminUnit
        ? { allowed: true }
        : deny('NOT_OWN_UNIT', `the project is not in ${agency.adminUnit ?? `${actor.agencyId}'s unit`}`);
  }
}

export const mayUse = (actor: Actor, operation: Operation): boolean =>
  ACCESS_MATRIX[actor.role].operations.includes(operation);
