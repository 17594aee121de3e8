// The administrative map in GraphQL: `mapEntry(kind, id, asOf)` shows one unit or agency as the map
// stood on a date, with the ids it took over and those that took it over (projections/admin-map.ts).
import { type GraphQLFieldConfig, GraphQLObjectType, GraphQLString } from 'graphql';
import type { IsoDate } from '../../domain/dates.js';
import type { ApiContext } from '../context.js';
import { enumOf, field, list, nn } from './helpers.js';
import { DateScalar } from './scalars.js';

const MapEntryKind = enumOf('MapEntryKind', ['unit', 'agency'], 'An administrative unit or an agency.');

const MapEntry = new GraphQLObjectType({
  name: 'MapEntry',
  description: 'A unit or an agency of the administrative map (reference data with succession events).',
  fields: {
    kind: field(nn(MapEntryKind)),
    id: field(
      nn(GraphQLString),
      'A province code, "<province code>:<name>" for a district or commune, or an agency id.',
    ),
    name: field(nn(GraphQLString)),
    level: field(GraphQLString, 'Units: province, district or commune.'),
    parentId: field(GraphQLString),
    since: field(nn(DateScalar), 'Established on.'),
    until: field(DateScalar, 'Ceased on (succeeded), if it had by asOf.'),
    predecessors: field(list(GraphQLString), 'Ids it took over, directly or through others, by asOf.'),
    successors: field(list(GraphQLString), 'Ids that took it over, directly or through others, by asOf.'),
  },
});

export const mapEntryQuery: GraphQLFieldConfig<
  unknown,
  ApiContext,
  { kind: 'unit' | 'agency'; id: string; asOf?: IsoDate | null }
> = {
  type: MapEntry,
  description:
    'One unit or agency as the map stood on asOf (default: every event recorded); null when unknown or not yet established.',
  args: {
    kind: { type: nn(MapEntryKind) },
    id: { type: nn(GraphQLString) },
    asOf: { type: DateScalar },
  },
  resolve: (_root, { kind, id, asOf }, ctx) => ctx.readModels.mapEntry(kind, id, asOf ?? undefined),
};
