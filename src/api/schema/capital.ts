// The capital plan's audit trail: one entry per event of a province's annual plan (who, when, which
// document and regime, which command, the projects it moved money for, the field-level changes), from
// the capital_plan_audit read model. capitalPlan itself is in queries.ts.
import { type GraphQLFieldConfig, GraphQLID, GraphQLInt, GraphQLObjectType, GraphQLString } from 'graphql';
import type { ApiContext } from '../context.js';
import { checkProvinceRead } from '../scope.js';
import { field, list, nn } from './helpers.js';
import { auditEnvelopeFields, connection, pageArgs } from './queries.js';

const CapitalPlanAuditEntry = new GraphQLObjectType({
  name: 'CapitalPlanAuditEntry',
  description:
    "One event of a province's annual capital plan: who, when, under which document and law, which projects " +
    'it moved money for, and what it changed (allocations.<projectId>.allocated, total, disbursementDeadline...).',
  fields: {
    province: field(nn(GraphQLString)),
    year: field(nn(GraphQLInt)),
    projectIds: field(list(GraphQLID), 'The projects whose allocation or disbursement it moved.'),
    ...auditEnvelopeFields(),
  },
});

export const capitalPlanAuditTrailQuery: GraphQLFieldConfig<
  unknown,
  ApiContext,
  { province: string; year: number; projectId?: string | null; first?: number | null; after?: string | null }
> = {
  type: nn(connection('CapitalPlanAuditEntry', CapitalPlanAuditEntry)),
  description:
    "The plan's audit trail by revision (the capital_plan_audit read model, as of the projection runner); " +
    'with projectId, only the events that moved that project’s money.',
  args: {
    province: { type: nn(GraphQLString) },
    year: { type: nn(GraphQLInt) },
    projectId: { type: GraphQLID },
    ...pageArgs,
  },
  resolve: (_root, { province, year, projectId, first, after }, ctx) => {
    checkProvinceRead(ctx);
    return ctx.readModels.capitalPlanAudit(province, year, projectId ?? undefined, { first, after });
  },
};
