// The Project type and the `project(id)` query. Fields resolve from a ProjectView (read-models.ts),
// whoever produced it: the live fold today, the project_status read model later.
import {
  GraphQLBoolean,
  type GraphQLFieldConfig,
  GraphQLFloat,
  GraphQLID,
  GraphQLInt,
  GraphQLObjectType,
  GraphQLString,
} from 'graphql';
import { MILESTONE_KINDS } from '../../domain/project/events.js';
import { NON_STATE_PHASES, PUBLIC_PHASES } from '../../domain/project/state.js';
import { CAUSE_KINDS, DELAY_CATEGORIES } from '../../domain/schemas.js';
import { projectStream } from '../../domain/streams.js';
import { PORTFOLIO_STATUSES, portfolioStatus } from '../../projections/portfolio.js';
import type { ApiContext } from '../context.js';
import { projectFlags } from '../flags.js';
import {
  FAMILY_LABELS,
  GROUP_LABELS,
  type Label,
  PORTFOLIO_STATUS_LABELS,
  PROJECT_FLAGS,
} from '../labels.js';
import { type ProjectCapital, type ProjectView, rate } from '../read-models.js';
import { checkProjectRead, readLimit } from '../scope.js';
import { type TimeArgs, timePoint } from '../time-travel-views.js';
import { enumOf, field, list, nn } from './helpers.js';
import { StreamHeadType } from './integrity.js';
import { DateScalar, DateTimeScalar, MoneyScalar } from './scalars.js';

/** asOf and knownAt, the two axes of time travel (docs/TIME-TRAVEL.md). */
export const timeArgs = {
  asOf: {
    type: DateScalar,
    description: 'Business date: only what had taken effect by this day (inclusive). Default: no limit.',
  },
  knownAt: {
    type: DateTimeScalar,
    description: 'System time: only what had been recorded by this instant (inclusive). Default: now.',
  },
};

export const FamilyEnum = enumOf(
  'ProjectFamily',
  ['nonState', 'public'],
  'nonState: Law on Investment; public: Law on Public Investment.',
);
export const PhaseEnum = enumOf(
  'ProjectPhase',
  [...new Set<string>([...NON_STATE_PHASES, ...PUBLIC_PHASES])],
  'Phases of both families; each family uses its own subset.',
);

export const PortfolioStatus = enumOf(
  'PortfolioStatus',
  PORTFOLIO_STATUSES,
  "The province report's categories: completedOperating (đã hoàn thành đi vào hoạt động), stopped " +
    '(hoàn thành hoặc xây dựng dở dang nhưng dừng), underConstruction, notStarted (chưa triển khai), terminated.',
);

export const LabelType = new GraphQLObjectType({
  name: 'Label',
  description: 'A name in Vietnamese and in English.',
  fields: { vi: field(nn(GraphQLString)), en: field(nn(GraphQLString)) },
});

/** `xLabel { vi en }` beside an enum-valued field, from its table (null when the field is). */
export const labelOf = <S>(
  table: Readonly<Record<string, Label>>,
  value: (source: S) => string | null | undefined,
) => ({
  type: LabelType,
  resolve: (source: S) => {
    const v = value(source);
    return v == null ? null : (table[v] ?? { vi: v, en: v });
  },
});

const ProjectFlagType = new GraphQLObjectType({
  name: 'ProjectFlag',
  description: 'A flag on top of the phase: suspended (its state), overdue or unfunded (its open alerts).',
  fields: {
    flag: field(nn(enumOf('ProjectFlagKind', PROJECT_FLAGS))),
    label: field(nn(LabelType)),
    since: field(
      nn(DateScalar),
      "The suspension's date, or the earliest since of the open alerts behind it.",
    ),
  },
});

const Party = new GraphQLObjectType({
  name: 'Party',
  description: 'An investor (nhà đầu tư) or project owner (chủ đầu tư).',
  fields: { name: field(nn(GraphQLString)), taxCode: field(GraphQLString), id: field(GraphQLString) },
});

const CauseKind = enumOf('CauseKind', CAUSE_KINDS);

const Reschedule = new GraphQLObjectType({
  name: 'MilestoneReschedule',
  fields: {
    from: field(nn(DateScalar)),
    to: field(nn(DateScalar)),
    reason: field(nn(GraphQLString)),
    causeKind: field(nn(CauseKind)),
  },
});

const Milestone = new GraphQLObjectType({
  name: 'Milestone',
  fields: {
    id: field(nn(GraphQLID)),
    kind: field(nn(enumOf('MilestoneKind', MILESTONE_KINDS))),
    name: field(nn(GraphQLString)),
    plannedDue: field(nn(DateScalar), 'Due date as first planned.'),
    currentDue: field(nn(DateScalar), 'Due date after any rescheduling.'),
    completedOn: field(DateScalar),
    reschedules: field(list(Reschedule)),
  },
});

const DelayCause = new GraphQLObjectType({
  name: 'DelayCause',
  fields: {
    kind: field(nn(CauseKind)),
    category: field(nn(enumOf('DelayCategory', DELAY_CATEGORIES))),
    description: field(GraphQLString),
  },
});

const Progress = new GraphQLObjectType({
  name: 'ProgressReport',
  fields: {
    revision: field(nn(GraphQLInt), 'Revision of the event that reported it.'),
    period: field(nn(GraphQLString), 'YYYY, YYYY-Qn or YYYY-MM.'),
    physicalPercent: field(nn(GraphQLFloat)),
    reportedOn: field(nn(DateScalar)),
    delayCauses: field(list(DelayCause)),
  },
});

const Suspension = new GraphQLObjectType({
  name: 'Suspension',
  fields: {
    since: field(nn(DateScalar)),
    ground: field(nn(GraphQLString)),
    reason: field(nn(GraphQLString)),
  },
});

const Certificate = new GraphQLObjectType({
  name: 'InvestmentCertificate',
  description: 'Giấy chứng nhận đăng ký đầu tư (non-state projects).',
  fields: {
    number: field(nn(GraphQLString)),
    issuedOn: field(nn(DateScalar)),
    registeredCapital: field(nn(MoneyScalar)),
    adjustments: field(nn(GraphQLInt)),
    revokedOn: field(DateScalar),
  },
});

const ProjectCapitalType = new GraphQLObjectType<ProjectCapital>({
  name: 'ProjectCapital',
  description:
    "The project's capital over the annual capital plans (project_status: as of the projection runner).",
  fields: {
    allocated: field(nn(MoneyScalar)),
    disbursed: field(nn(MoneyScalar)),
    disbursementRate: {
      type: nn(GraphQLFloat),
      description: 'disbursed / allocated, 0 to 1.',
      resolve: (c) => rate(c.disbursed, c.allocated),
    },
  },
});

export const ProjectType = new GraphQLObjectType<ProjectView, ApiContext>({
  name: 'Project',
  description: 'An investment project as its events leave it.',
  fields: {
    id: field(nn(GraphQLID)),
    family: field(nn(FamilyEnum)),
    familyLabel: { ...labelOf<ProjectView>(FAMILY_LABELS, (p) => p.family), type: nn(LabelType) },
    phase: field(nn(PhaseEnum)),
    phaseLabel: field(nn(LabelType)),
    status: {
      type: nn(PortfolioStatus),
      description: 'The portfolio status (the province report category), from phase and suspension.',
      resolve: (p) => portfolioStatus(p.phase, p.suspended),
    },
    statusLabel: {
      ...labelOf<ProjectView>(PORTFOLIO_STATUS_LABELS, (p) => portfolioStatus(p.phase, p.suspended)),
      type: nn(LabelType),
    },
    flags: {
      type: list(ProjectFlagType),
      description:
        'Suspended, overdue (an open MILESTONE_OVERDUE or APPRAISAL_OVERDUE alert) and unfunded (an open ' +
        'UNFUNDED alert); the alerts are as of the runner and the last sweep.',
      resolve: async (p, _args, ctx) => projectFlags(p.suspension, await ctx.flagAlerts.load(p.id)),
    },
    phaseSince: field(nn(DateScalar), 'Effective date of the latest phase change.'),
    name: field(nn(GraphQLString)),
    code: field(GraphQLString),
    province: field(nn(GraphQLString)),
    adminUnit: field(nn(GraphQLString)),
    agencyId: field(nn(GraphQLString)),
    sector: field(nn(GraphQLString)),
    group: field(GraphQLString, 'Public projects: national, A, B or C.'),
    groupLabel: labelOf<ProjectView>(GROUP_LABELS, (p) => p.group),
    owner: field(nn(Party)),
    registeredOn: field(nn(DateScalar)),
    proposedCapital: field(MoneyScalar),
    approvedCapital: field(MoneyScalar, 'Non-state: capital in the investment policy approval.'),
    registeredCapital: field(MoneyScalar, 'Non-state: capital on the investment certificate.'),
    capitalContributed: field(MoneyScalar, 'Non-state: capital the investor has contributed.'),
    totalInvestment: field(MoneyScalar, 'Public: total investment (tổng mức đầu tư).'),
    estimate: field(MoneyScalar, 'Public: approved estimate (dự toán).'),
    fundingAssigned: field(MoneyScalar, 'Public: sum of the funding sources assigned.'),
    settledValue: field(MoneyScalar, 'Public: value in the final settlement.'),
    completionDeadline: field(DateScalar),
    certificate: field(Certificate),
    milestones: field(list(Milestone), 'By current due date.'),
    suspended: field(nn(GraphQLBoolean)),
    suspension: field(Suspension),
    lastProgress: field(Progress),
    revision: field(nn(GraphQLInt), 'Revision of the project stream shown; pass it as expectedRevision.'),
    capital: {
      type: ProjectCapitalType,
      description:
        'Capital allocated and disbursed by the annual plans, from the project_status read model (it may lag ' +
        'the live fields by one poll of the runner); null before the project is projected.',
      resolve: (p, _args, ctx) =>
        p.capital ??
        (p.at ? ctx.readModels.timeTravel.projectCapital(p.id, p.at) : ctx.readModels.projectCapital(p.id)),
    },
    integrity: {
      type: StreamHeadType,
      description: 'The head of the project stream’s hash chain (what `tiendo checkpoint` signs).',
      resolve: (p, _args, ctx) => ctx.readModels.streamHead(projectStream(p.id)),
    },
  },
});

export const projectQuery: GraphQLFieldConfig<unknown, ApiContext, { id: string } & TimeArgs> = {
  type: ProjectType,
  description:
    'One project by id; null when no such project was registered; FORBIDDEN when it is not one the actor ' +
    'may read. With asOf and/or knownAt: the project as it was in effect on that business date as the system ' +
    'knew it at that instant (docs/TIME-TRAVEL.md); revision is then the last revision that counted.',
  args: { id: { type: nn(GraphQLID) }, ...timeArgs },
  resolve: async (_root, { id, ...time }, ctx) => {
    readLimit(ctx);
    const at = timePoint(time);
    const project = at ? await ctx.readModels.timeTravel.project(id, at) : await ctx.readModels.project(id);
    if (project) checkProjectRead(ctx, project);
    return project;
  },
};
