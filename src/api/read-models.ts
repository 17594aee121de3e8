// What the queries read, behind one interface. Today the live fold answers (the command handler's
// loadProject); when the project_status read model lands, a table-backed ReadModels replaces
// liveReadModels in buildApp's deps and no resolver changes: they only ever see these views.
import type { CommandHandler } from '../commands/handler.js';
import type { IsoDate } from '../domain/dates.js';
import type { Dong } from '../domain/money.js';
import type { ExistingProject, Milestone, NonStateProject } from '../domain/project/state.js';
import { type Label, phaseLabel } from './labels.js';

/** What the Project type shows as the state holds it. */
type Common = Pick<
  ExistingProject,
  | 'phaseSince'
  | 'name'
  | 'code'
  | 'province'
  | 'adminUnit'
  | 'agencyId'
  | 'sector'
  | 'owner'
  | 'registeredOn'
  | 'proposedCapital'
  | 'suspension'
  | 'lastProgress'
>;

/** One project as the `Project` GraphQL type shows it. */
export interface ProjectView extends Common {
  readonly id: string;
  readonly family: 'nonState' | 'public';
  readonly phase: string;
  readonly phaseLabel: Label;
  readonly group?: string;
  readonly approvedCapital?: Dong;
  readonly registeredCapital?: Dong;
  readonly capitalContributed?: Dong;
  readonly totalInvestment?: Dong;
  readonly estimate?: Dong;
  readonly fundingAssigned?: Dong;
  readonly settledValue?: Dong;
  readonly completionDeadline?: IsoDate;
  readonly certificate?: NonStateProject['certificate'];
  readonly milestones: readonly Milestone[];
  readonly suspended: boolean;
  /** Revision of the project's stream the view reflects (for expectedRevision). */
  readonly revision: number;
}

export interface ReadModels {
  /** The project, or null when no such project was registered. */
  project(id: string): Promise<ProjectView | null>;
}

/** Queries answered by folding the project's stream (cached in the handler). */
export function liveReadModels(handler: CommandHandler): ReadModels {
  return {
    async project(id) {
      const { state, revision } = await handler.loadProject(id);
      return state.family === 'none' ? null : projectView(state, revision);
    },
  };
}

export function projectView(p: ExistingProject, revision: number): ProjectView {
  const common = {
    id: p.projectId,
    family: p.family,
    phase: p.phase,
    phaseLabel: phaseLabel(p.family, p.phase),
    phaseSince: p.phaseSince,
    name: p.name,
    code: p.code,
    province: p.province,
    adminUnit: p.adminUnit,
    agencyId: p.agencyId,
    sector: p.sector,
    owner: p.owner,
    registeredOn: p.registeredOn,
    proposedCapital: p.proposedCapital,
    milestones: Object.values(p.milestones).sort((a, b) => a.currentDue.localeCompare(b.currentDue)),
    suspended: p.suspension !== undefined,
    suspension: p.suspension,
    lastProgress: p.lastProgress,
    revision,
  };
  if (p.family === 'nonState')
    return {
      ...common,
      approvedCapital: p.policy?.approvedCapital,
      registeredCapital: p.certificate?.registeredCapital,
      capitalContributed: p.capitalContributed,
      certificate: p.certificate,
    };
  return {
    ...common,
    group: p.group,
    totalInvestment: p.totalInvestment,
    estimate: p.estimate,
    fundingAssigned: p.funding.reduce((sum, f) => sum + f.amount, 0n),
    settledValue: p.settledValue,
    completionDeadline: p.completionDeadline,
  };
}
