// The GraphQL schema, code-first with graphql-js: the queries, one mutation per command, and the
// subscriptions (served over server-sent events).
// Built without any running service, so `npm run schema` can print it to schema.graphql.
import { GraphQLObjectType, GraphQLSchema } from 'graphql';
import type { ApiContext } from '../context.js';
import { withDenialLog, withErrorCodes } from '../errors.js';
import { mapEntryQuery } from './admin-map.js';
import { alertRulesQuery } from './alert-rules.js';
import { capitalPlanAuditTrailQuery } from './capital.js';
import { createApiTokenMutation, meQuery } from './directory.js';
import { dossierQuery, streamHeadQuery } from './integrity.js';
import { mutationFields } from './mutations.js';
import { projectQuery } from './project.js';
import {
  alertsQuery,
  auditTrailQuery,
  capitalPlanQuery,
  portfolioSummaryQuery,
  projectsQuery,
} from './queries.js';
import { replayQuery } from './replay.js';
import { alertOpenedSubscription, projectChangedSubscription } from './subscriptions.js';

export function buildSchema(): GraphQLSchema {
  const schema = new GraphQLSchema({
    query: new GraphQLObjectType<unknown, ApiContext>({
      name: 'Query',
      fields: {
        project: projectQuery,
        projects: projectsQuery,
        portfolioSummary: portfolioSummaryQuery,
        auditTrail: auditTrailQuery,
        capitalPlan: capitalPlanQuery,
        capitalPlanAuditTrail: capitalPlanAuditTrailQuery,
        alerts: alertsQuery,
        replay: replayQuery,
        alertRules: alertRulesQuery,
        mapEntry: mapEntryQuery,
        me: meQuery,
        streamHead: streamHeadQuery,
        dossier: dossierQuery,
      },
    }),
    mutation: new GraphQLObjectType<unknown, ApiContext>({
      name: 'Mutation',
      fields: { ...mutationFields(), createApiToken: createApiTokenMutation },
    }),
    subscription: new GraphQLObjectType<unknown, ApiContext>({
      name: 'Subscription',
      fields: { projectChanged: projectChangedSubscription, alertOpened: alertOpenedSubscription },
    }),
  });
  // Each mutation is one command: /metrics counts it as handled or refused (metrics.ts).
  for (const field of Object.values(schema.getMutationType()?.getFields() ?? {})) {
    const resolve = field.resolve;
    const command = field.name[0]!.toUpperCase() + field.name.slice(1);
    if (resolve)
      field.resolve = (root, args, ctx: ApiContext, info) =>
        ctx.metrics.observeCommand(command, () => resolve(root, args, ctx, info));
  }
  // Only the root fields load, decide or check the actor: below them fields read plain views.
  for (const root of [schema.getQueryType(), schema.getMutationType()])
    for (const field of Object.values(root?.getFields() ?? {}))
      if (field.resolve) field.resolve = withErrorCodes(withDenialLog(field.resolve));
  return schema;
}
