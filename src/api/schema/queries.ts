// The list queries: `projects` (a Relay connection over project_status with filters),
// `portfolioSummary` (counts and capital sums grouped by dimensions), `auditTrail` (a Relay connection
// over one project's audit entries, by revision) and `capitalPlan` (one province's annual plan).
// Resolvers only translate arguments; read-models.ts answers.
import {
  GraphQLBoolean,
  type GraphQLFieldConfig,
  GraphQLFloat,
  GraphQLID,
  GraphQLInputObjectType,
  GraphQLInt,
  GraphQLList,
  GraphQLObjectType,
  type GraphQLOutputType,
  GraphQLString,
} from 'graphql';
import type { PortfolioDimension, PortfolioFilter } from '../../projections/portfolio.js';
import type { ApiContext } from '../context.js';
import { FAMILY_LABELS, GROUP_LABELS, PORTFOLIO_STATUS_LABELS } from '../labels.js';
import { type AlertFilter, MAX_PAGE, type ProjectFilter } from '../read-models.js';
import { checkProjectIdRead, checkProvinceRead, readLimit } from '../scope.js';
import { type TimeArgs, timePoint } from '../time-travel-views.js';
import { AlertRuleType, AlertSeverity, RuleIdEnum, ruleById } from './alert-rules.js';
import { enumOf, field, list, nn } from './helpers.js';
import { Regime } from './mutations.js';
import {
  FamilyEnum,
  LabelType,
  labelOf,
  PhaseEnum,
  PortfolioStatus,
  ProjectType,
  timeArgs,
} from './project.js';
import { DateScalar, DateTimeScalar, JsonScalar, MoneyScalar } from './scalars.js';

const PageInfo = new GraphQLObjectType({
  name: 'PageInfo',
  fields: {
    hasNextPage: field(nn(GraphQLBoolean)),
    endCursor: field(GraphQLString, "The last edge's cursor; pass it as `after` for the next page."),
  },
});

/** `XConnection { edges { cursor node } pageInfo totalCount }` and its edge type. */
export function connection(name: string, node: GraphQLOutputType & GraphQLObjectType) {
  const Edge = new GraphQLObjectType({
    name: `${name}Edge`,
    fields: { cursor: field(nn(GraphQLString)), node: field(nn(node)) },
  });
  return new GraphQLObjectType({
    name: `${name}Connection`,
    fields: {
      edges: field(list(Edge)),
      pageInfo: field(nn(PageInfo)),
      totalCount: field(nn(GraphQLInt), 'Items matching, over all pages.'),
    },
  });
}

export const pageArgs = {
  first: {
    type: GraphQLInt,
    description: `Items per page, 0 to ${MAX_PAGE} (default 20); more is a VALIDATION error.`,
  },
  after: { type: GraphQLString, description: 'An endCursor from the previous page.' },
};

/** Filters by unit or agency that follow succession (projections/admin-map.ts), in both filters. */
const SUCCESSION_FILTER_FIELDS = {
  unit: field(
    GraphQLString,
    'A unit id (province code "51", or "<province code>:<district or commune>"): projects ever registered or ' +
      "remapped in it or in a unit it took over (Kon Tum's projects under the new Quảng Ngãi).",
  ),
  agency: field(GraphQLString, 'An agency id: its projects and those of the agencies it took over.'),
  mapAsOf: field(
    DateScalar,
    'Resolve unit and agency succession as the map stood on this date (default: every succession recorded).',
  ),
};

const ProjectFilterInput = new GraphQLInputObjectType({
  name: 'ProjectFilter',
  description: 'Every field given must hold.',
  fields: {
    family: field(FamilyEnum),
    phase: field(PhaseEnum),
    status: field(PortfolioStatus),
    province: field(GraphQLString, 'Province code, e.g. "04" (Cao Bằng).'),
    adminUnit: field(GraphQLString),
    agencyId: field(GraphQLString),
    group: field(GraphQLString, 'Public projects: national, A, B or C.'),
    sector: field(GraphQLString),
    suspended: field(GraphQLBoolean),
    registeredFrom: field(DateScalar, 'Registered on or after.'),
    registeredTo: field(DateScalar, 'Registered on or before.'),
    text: field(GraphQLString, 'Case-insensitive part of the name or code.'),
    ...SUCCESSION_FILTER_FIELDS,
  },
});

export const projectsQuery: GraphQLFieldConfig<
  unknown,
  ApiContext,
  { filter?: ProjectFilter | null; first?: number | null; after?: string | null }
> = {
  type: nn(connection('Project', ProjectType)),
  description:
    'Projects from the project_status read model (as of the projection runner), ordered by id. ' +
    'project(id) reads the live stream instead.',
  args: { filter: { type: ProjectFilterInput }, ...pageArgs },
  resolve: (_root, { filter, first, after }, ctx) =>
    ctx.readModels.projects({ ...withoutNulls(filter ?? {}), ...readLimit(ctx) }, { first, after }),
};

const DIMENSIONS = [
  'status',
  'phase',
  'family',
  'province',
  'agency',
  'adminUnit',
  'group',
  'sector',
  'year',
  'phaseYear',
] as const satisfies readonly PortfolioDimension[];

const PortfolioDimensionEnum = enumOf(
  'PortfolioDimension',
  DIMENSIONS,
  'year: year registered; phaseYear: year the current phase began.',
);

const PortfolioFilterInput = new GraphQLInputObjectType({
  name: 'PortfolioFilter',
  fields: {
    family: field(FamilyEnum),
    province: field(GraphQLString),
    agencyId: field(GraphQLString),
    adminUnit: field(GraphQLString),
    group: field(GraphQLString),
    status: field(PortfolioStatus),
    phase: field(PhaseEnum),
    year: field(GraphQLInt, 'Year registered.'),
    phaseYear: field(GraphQLInt, 'Year the current phase began.'),
    ...SUCCESSION_FILTER_FIELDS,
  },
});

/** What PortfolioKey's label fields read of a row's key. */
type KeySource = { status?: string | null; family?: string | null; group?: string | null };

const PortfolioKey = new GraphQLObjectType({
  name: 'PortfolioKey',
  description: "The group's value on each requested dimension; null where not requested or absent.",
  fields: {
    status: field(PortfolioStatus),
    statusLabel: {
      type: LabelType,
      description: "The status as the province's report names it (when grouped by status).",
      resolve: (key: KeySource) =>
        key.status ? PORTFOLIO_STATUS_LABELS[key.status as keyof typeof PORTFOLIO_STATUS_LABELS] : null,
    },
    phase: field(PhaseEnum),
    family: field(FamilyEnum),
    familyLabel: labelOf<KeySource>(FAMILY_LABELS, (k) => k.family),
    province: field(GraphQLString),
    agency: field(GraphQLString),
    adminUnit: field(GraphQLString),
    group: field(GraphQLString),
    groupLabel: labelOf<KeySource>(GROUP_LABELS, (k) => k.group),
    sector: field(GraphQLString),
    year: field(GraphQLInt),
    phaseYear: field(GraphQLInt),
  },
});

const PortfolioRowType = new GraphQLObjectType({
  name: 'PortfolioRow',
  fields: {
    key: field(nn(PortfolioKey)),
    projects: field(nn(GraphQLInt)),
    suspended: field(nn(GraphQLInt)),
    proposedCapital: field(nn(MoneyScalar)),
    approvedCapital: field(nn(MoneyScalar)),
    registeredCapital: field(nn(MoneyScalar)),
    totalInvestment: field(nn(MoneyScalar)),
    capitalContributed: field(nn(MoneyScalar)),
    capitalAllocated: field(nn(MoneyScalar)),
    capitalDisbursed: field(nn(MoneyScalar)),
  },
});

export const portfolioSummaryQuery: GraphQLFieldConfig<
  unknown,
  ApiContext,
  { filter?: PortfolioFilter | null; by?: readonly PortfolioDimension[] | null } & TimeArgs
> = {
  type: list(PortfolioRowType),
  description:
    'Counts and capital sums over the filtered projects, one row per combination of `by` (default [status]); ' +
    '`by: []` gives one row for all. With asOf and/or knownAt: every project and plan folded live at that ' +
    'point (docs/TIME-TRAVEL.md) instead of the read model.',
  args: {
    filter: { type: PortfolioFilterInput },
    by: { type: new GraphQLList(nn(PortfolioDimensionEnum)) },
    ...timeArgs,
  },
  resolve: (_root, { filter, by, ...time }, ctx) => {
    const at = timePoint(time);
    const f = { ...withoutNulls(filter ?? {}), ...readLimit(ctx) };
    return at
      ? ctx.readModels.timeTravel.portfolioSummary(f, by ?? ['status'], at)
      : ctx.readModels.portfolioSummary(f, by ?? ['status']);
  },
};

export const Actor = new GraphQLObjectType({
  name: 'AuditActor',
  fields: {
    userId: field(nn(GraphQLString)),
    agencyId: field(nn(GraphQLString)),
    role: field(nn(GraphQLString)),
  },
});

export const AuditDocument = new GraphQLObjectType({
  name: 'AuditDocument',
  fields: { number: field(nn(GraphQLString)), date: field(DateScalar), issuer: field(GraphQLString) },
});

export const FieldChange = new GraphQLObjectType({
  name: 'FieldChange',
  fields: {
    field: field(
      nn(GraphQLString),
      'Dotted path into the project state, e.g. certificate.registeredCapital.',
    ),
    before: field(JsonScalar, 'null when the field did not exist before; money as a string of đồng.'),
    after: field(JsonScalar, 'null when the field no longer exists.'),
  },
});

/** The fields every audit entry has: the event, who, when, under which document and law, and what it changed. */
export const auditEnvelopeFields = () => ({
  eventId: field(nn(GraphQLID)),
  revision: field(nn(GraphQLInt)),
  type: field(nn(GraphQLString), 'The event type.'),
  actor: field(nn(Actor)),
  recordedAt: field(nn(DateTimeScalar)),
  effectiveAt: field(nn(DateScalar)),
  document: field(AuditDocument),
  regime: field(nn(Regime)),
  transitional: field(nn(GraphQLBoolean)),
  commandId: field(nn(GraphQLID)),
  commandType: field(nn(GraphQLString)),
  correlationId: field(nn(GraphQLID)),
  source: field(nn(GraphQLString)),
  changes: field(list(FieldChange)),
});

const AuditEntry = new GraphQLObjectType({
  name: 'AuditEntry',
  description: 'One project event: who, when, under which document and law, and what it changed.',
  fields: { projectId: field(nn(GraphQLID)), ...auditEnvelopeFields() },
});

export const auditTrailQuery: GraphQLFieldConfig<
  unknown,
  ApiContext,
  { projectId: string; first?: number | null; after?: string | null }
> = {
  type: nn(connection('AuditEntry', AuditEntry)),
  description: "One project's audit trail by revision (the audit_trail read model).",
  args: { projectId: { type: nn(GraphQLID) }, ...pageArgs },
  resolve: async (_root, { projectId, first, after }, ctx) => {
    await checkProjectIdRead(ctx, projectId);
    return ctx.readModels.auditTrail(projectId, { first, after });
  },
};

const Allocation = new GraphQLObjectType({
  name: 'CapitalAllocation',
  fields: {
    projectId: field(nn(GraphQLID)),
    allocated: field(nn(MoneyScalar)),
    disbursed: field(nn(MoneyScalar)),
    disbursementRate: field(nn(GraphQLFloat), 'disbursed / allocated, 0 to 1.'),
  },
});

const CapitalPlan = new GraphQLObjectType({
  name: 'CapitalPlan',
  description: "A province's annual public-investment capital plan (kế hoạch vốn đầu tư công năm).",
  fields: {
    province: field(nn(GraphQLString)),
    year: field(nn(GraphQLInt)),
    total: field(nn(MoneyScalar)),
    allocated: field(nn(MoneyScalar)),
    disbursed: field(nn(MoneyScalar)),
    unallocated: field(nn(MoneyScalar)),
    allocationRate: field(nn(GraphQLFloat), 'allocated / total, 0 to 1.'),
    disbursementRate: field(nn(GraphQLFloat), 'disbursed / allocated, 0 to 1.'),
    disbursementDeadline: field(nn(DateScalar)),
    allocations: field(list(Allocation), 'By project id.'),
    revision: field(nn(GraphQLInt), "Revision of the plan's stream shown."),
  },
});

export const capitalPlanQuery: GraphQLFieldConfig<unknown, ApiContext, { province: string; year: number }> = {
  type: CapitalPlan,
  description:
    'The plan as its stream leaves it, read-your-writes: from the capital_plans read model when it holds the ' +
    "stream's head, else folded from the stream; null when none was assigned.",
  args: { province: { type: nn(GraphQLString) }, year: { type: nn(GraphQLInt) } },
  resolve: (_root, { province, year }, ctx) => {
    checkProvinceRead(ctx);
    return ctx.readModels.capitalPlan(province, year);
  },
};

const AlertStatus = enumOf('AlertStatus', ['open', 'closed']);

const AlertFilterInput = new GraphQLInputObjectType({
  name: 'AlertFilter',
  description: 'Every field given must hold.',
  fields: {
    status: field(AlertStatus),
    ruleId: field(RuleIdEnum),
    projectId: field(GraphQLID),
    province: field(GraphQLString, "The project's province code."),
    severity: field(AlertSeverity),
    family: field(FamilyEnum, "The project's family."),
  },
});

const AlertProject = new GraphQLObjectType({
  name: 'AlertProject',
  description: 'The project an alert is about (query project(id) for the rest).',
  fields: { id: field(nn(GraphQLID)), name: field(nn(GraphQLString)) },
});

export const Alert = new GraphQLObjectType({
  name: 'Alert',
  description:
    'An alert of the alerts read model: opened when a rule starts holding for a project (at the ' +
    'effective date of the event that made it hold, or by the clock sweep when time passing did), ' +
    'closed when it stops (by the event that resolved it, or the date moved past it).',
  fields: {
    project: field(nn(AlertProject)),
    ruleId: field(nn(RuleIdEnum)),
    ruleLabel: field(nn(LabelType)),
    rule: {
      type: AlertRuleType,
      description:
        'The rule, with its labels and every regime version; null for a rule no longer in the code.',
      resolve: (a: { ruleId: string }) => ruleById(a.ruleId) ?? null,
    },
    key: field(
      nn(GraphQLString),
      'Tells apart alerts of one rule on one project (a milestone id, a period...).',
    ),
    status: field(nn(AlertStatus)),
    severity: field(nn(AlertSeverity)),
    regime: field(nn(Regime), 'The regime whose version of the rule opened it.'),
    article: field(nn(GraphQLString), 'The legal basis under that regime.'),
    since: field(nn(DateScalar), 'The first day the condition holds.'),
    episode: field(
      nn(GraphQLInt),
      'Numbers the times this rule and key held on the project: 1, then 2 after a close and a new start.',
    ),
    openedAt: field(
      nn(DateScalar),
      'The business date the read model opened it: the sweep date, or the effective date of the event after which it was seen.',
    ),
    closedOn: field(DateScalar),
    closedReason: field(GraphQLString, "'resolved by event' or 'clock'."),
    closedByEventId: field(
      GraphQLID,
      'With resolved by event: the event that resolved it (closedOn is its effective date).',
    ),
    reason: field(nn(LabelType)),
  },
});

export const alertsQuery: GraphQLFieldConfig<
  unknown,
  ApiContext,
  { filter?: AlertFilter | null; first?: number | null; after?: string | null } & TimeArgs
> = {
  type: nn(connection('Alert', Alert)),
  description:
    'Alerts from the alerts read model (as of the projection runner and the last clock sweep), ' +
    'ordered by project id, rule id, key and episode. With asOf and/or knownAt: the alerts open then — ' +
    'every project folded at that point and judged on asOf (else the day of knownAt) by the rule versions ' +
    'in force that day; all are open, episode 1, and openedAt is their since (docs/TIME-TRAVEL.md).',
  args: { filter: { type: AlertFilterInput }, ...pageArgs, ...timeArgs },
  resolve: (_root, { filter, first, after, ...time }, ctx) => {
    const at = timePoint(time);
    const f = { ...withoutNulls(filter ?? {}), ...readLimit(ctx) };
    return at
      ? ctx.readModels.timeTravel.alerts(f, { first, after }, at)
      : ctx.readModels.alerts(f, { first, after });
  },
};

/** graphql-js gives explicit nulls for fields set to null: they mean "no filter". */
function withoutNulls<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined)) as T;
}

/** Shared with the subscriptions' filters. */
export { AlertSeverity, RuleIdEnum };
