// The subscriptions, served over server-sent events (`Accept: text/event-stream` on /graphql):
// projectChanged after a project's events are appended, alertOpened when an alert opens.
// Resolvers only translate arguments; the feeds (live.ts) do the work and clean up on disconnect.
import {
  GraphQLBoolean,
  type GraphQLFieldConfig,
  GraphQLID,
  GraphQLInputObjectType,
  GraphQLInt,
  GraphQLObjectType,
  GraphQLString,
} from 'graphql';
import { ACCESS_MATRIX } from '../../domain/access.js';
import type { ApiContext } from '../context.js';
import { PORTFOLIO_STATUS_LABELS, phaseLabel } from '../labels.js';
import type { OpenedAlertFilter, ProjectChange } from '../live.js';
import type { ProjectView } from '../read-models.js';
import { projectReadDecision, readLimit } from '../scope.js';
import { field, list, nn } from './helpers.js';
import { FamilyEnum, LabelType, PhaseEnum, PortfolioStatus, ProjectType } from './project.js';
import { Alert, AlertSeverity, RuleIdEnum } from './queries.js';

const ProjectChangeType = new GraphQLObjectType<ProjectChange>({
  name: 'ProjectChange',
  description: 'A project after events were appended to its stream (by any client or process).',
  fields: {
    projectId: field(nn(GraphQLID)),
    province: field(nn(GraphQLString)),
    revision: field(nn(GraphQLInt), "The stream's revision after the events; the next expectedRevision."),
    eventTypes: field(list(GraphQLString), 'The events appended since the previous change sent, in order.'),
    phase: field(nn(PhaseEnum)),
    phaseLabel: {
      type: nn(LabelType),
      resolve: (c) => phaseLabel(c.project.family, c.phase),
    },
    status: field(nn(PortfolioStatus), 'The portfolio status (the province report category).'),
    statusLabel: { type: nn(LabelType), resolve: (c) => PORTFOLIO_STATUS_LABELS[c.status] },
    suspended: field(nn(GraphQLBoolean)),
    project: field(nn(ProjectType), 'The project at that revision.'),
  },
});

export const projectChangedSubscription: GraphQLFieldConfig<
  unknown,
  ApiContext,
  { projectId?: string | null; province?: string | null }
> = {
  type: nn(ProjectChangeType),
  description:
    "Sent after a project's events are appended, with its new revision, the event types and its status " +
    '(folded from the stream: project(id) shows the same at once; the lists follow after the runner polls). ' +
    'Both arguments narrow the feed; none sends every project.',
  args: {
    projectId: { type: GraphQLID },
    province: { type: GraphQLString, description: 'Province code, e.g. "04".' },
  },
  subscribe: (_root, { projectId, province }, ctx) =>
    scoped(
      ctx,
      ctx.live.projectChanges({
        ...(projectId != null && { projectId }),
        ...(province != null && { province }),
      }),
      (change) => change.project,
    ),
  resolve: (change) => change,
};

const OpenedAlertFilterInput = new GraphQLInputObjectType({
  name: 'OpenedAlertFilter',
  description: 'Every field given must hold.',
  fields: {
    ruleId: field(RuleIdEnum),
    projectId: field(GraphQLID),
    province: field(GraphQLString, "The project's province code."),
    severity: field(AlertSeverity),
    family: field(FamilyEnum, "The project's family."),
  },
});

export const alertOpenedSubscription: GraphQLFieldConfig<
  unknown,
  ApiContext,
  { filter?: OpenedAlertFilter | null }
> = {
  type: nn(Alert),
  description:
    'Sent when an alert opens (a row inserted open into the alerts read model, whoever inserted it).',
  args: { filter: { type: OpenedAlertFilterInput } },
  subscribe: (_root, { filter }, ctx) =>
    scoped(
      ctx,
      ctx.live.alertsOpened(
        Object.fromEntries(Object.entries(filter ?? {}).filter(([, v]) => v != null)) as OpenedAlertFilter,
      ),
      (alert) => ctx.readModels.project(alert.project.id),
    ),
  resolve: (alert) => alert,
};

/**
 * A feed narrowed to what the actor may read (the role matrix's read scope, as the queries are): roles
 * that read every project get the feed as it is; a role that reads none is refused at once; the others
 * get only the items whose project they may read. `return` is passed on at once, so a disconnect
 * releases the feed's listener without waiting for another item.
 */
function scoped<T>(
  ctx: ApiContext,
  source: AsyncIterable<T>,
  projectOf: (item: T) => ProjectView | null | Promise<ProjectView | null>,
): AsyncIterable<T> {
  readLimit(ctx);
  if (ACCESS_MATRIX[ctx.actor().role].reads === 'all') return source;
  const it = source[Symbol.asyncIterator]();
  const may = async (item: T): Promise<boolean> => {
    const project = await projectOf(item);
    return project !== null && projectReadDecision(ctx, project).allowed;
  };
  const narrowed: AsyncIterableIterator<T> = {
    async next() {
      for (;;) {
        const r = await it.next();
        if (r.done || (await may(r.value))) return r;
      }
    },
    return: (value?: unknown) =>
      it.return ? it.return(value) : Promise.resolve({ done: true as const, value: value as T }),
    [Symbol.asyncIterator]: () => narrowed,
  };
  return narrowed;
}
