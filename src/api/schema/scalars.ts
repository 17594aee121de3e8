// The API's scalars: Money is a string of whole đồng (exact, never a float), Date a calendar date
// (YYYY-MM-DD), DateTime an ISO instant in UTC, JSON any JSON value (a command's data). Bad input is a
// VALIDATION error; graphql-js prefixes the message with where the value was.
import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { isValidIsoDate } from '../../domain/dates.js';

const invalid = (message: string) =>
  new GraphQLError(message, { extensions: { code: 'VALIDATION', reason: 'INVALID_SCALAR' } });

const DIGITS = /^(0|[1-9][0-9]*)$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;

/** A string scalar checked by `valid`, the same from variables and from literals. */
function stringScalar(name: string, description: string, valid: (s: string) => boolean, rule: string) {
  const parse = (value: unknown): string => {
    if (typeof value !== 'string' || !valid(value)) throw invalid(`${name} ${rule}`);
    return value;
  };
  return new GraphQLScalarType<string, string>({
    name,
    description,
    serialize: (value) => (typeof value === 'bigint' ? value.toString() : parse(value)),
    parseValue: parse,
    parseLiteral: (ast) => parse(ast.kind === Kind.STRING ? ast.value : undefined),
  });
}

export const MoneyScalar = stringScalar(
  'Money',
  'An amount of whole Vietnamese đồng as a string of digits, e.g. "120000000000" (120 tỷ đồng); exact.',
  (s) => DIGITS.test(s),
  'must be a string of digits (whole đồng)',
);

export const DateScalar = stringScalar(
  'Date',
  'A calendar date, YYYY-MM-DD (a business date: when a decision took effect).',
  isValidIsoDate,
  'must be a calendar date as YYYY-MM-DD',
);

export const DateTimeScalar = stringScalar(
  'DateTime',
  'An instant in UTC, ISO 8601, e.g. 2022-07-10T08:30:00.000Z (system time: when it was recorded).',
  (s) => INSTANT.test(s) && !Number.isNaN(Date.parse(s)),
  'must be an ISO instant in UTC, e.g. 2022-07-10T08:30:00.000Z',
);

function literal(ast: ValueNode, variables: Record<string, unknown> | null | undefined): unknown {
  switch (ast.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
      return ast.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(ast.value);
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return ast.values.map((v) => literal(v, variables));
    case Kind.OBJECT:
      return Object.fromEntries(ast.fields.map((f) => [f.name.value, literal(f.value, variables)]));
    case Kind.VARIABLE:
      return variables?.[ast.name.value];
    default:
      throw invalid('JSON cannot hold an enum value; use a string');
  }
}

export const JsonScalar = new GraphQLScalarType({
  name: 'JSON',
  description: 'Any JSON value. Amounts inside are strings of whole đồng; dates are YYYY-MM-DD.',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: literal,
});
