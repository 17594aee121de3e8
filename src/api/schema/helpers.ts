// Shorthands for building the schema with graphql-js.
import { GraphQLEnumType, GraphQLList, GraphQLNonNull, type GraphQLNullableType } from 'graphql';

export const nn = <T extends GraphQLNullableType>(t: T) => new GraphQLNonNull(t);
export const list = <T extends GraphQLNullableType>(t: T) => nn(new GraphQLList(nn(t)));

/** An enum whose names are the domain's own values. */
export const enumOf = (name: string, values: readonly string[], description?: string) =>
  new GraphQLEnumType({
    name,
    ...(description && { description }),
    values: Object.fromEntries(values.map((v) => [v, { value: v }])),
  });

/** A field config with an optional description. */
export const field = <T>(type: T, description?: string) => ({ type, ...(description && { description }) });
