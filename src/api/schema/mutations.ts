// One mutation per command in the catalogue, generated from it: `registerProject(input:
// RegisterProjectInput!)` and so on. The input carries the envelope (commandId, expectedRevision,
// effectiveAt, regime, document) as typed fields and the command's data as JSON, parsed by the
// command's zod schema so every bad field is named (`data.amount`). Each mutation's description lists
// its data fields, generated from the same schema.
import {
  GraphQLBoolean,
  type GraphQLFieldConfig,
  type GraphQLFieldConfigMap,
  GraphQLID,
  GraphQLInputObjectType,
  GraphQLInt,
  GraphQLList,
  GraphQLObjectType,
  GraphQLString,
} from 'graphql';
import { z } from 'zod';
import type { CommandResult } from '../../commands/handler.js';
import { COMMANDS, type CommandType } from '../../domain/catalog.js';
import { REGIME_IDS } from '../../domain/regimes.js';
import type { ApiContext } from '../context.js';
import { enumOf, list, nn } from './helpers.js';
import { DateScalar, DateTimeScalar, JsonScalar } from './scalars.js';

export const Regime = enumOf(
  'Regime',
  REGIME_IDS,
  'The law a decision is made under (defaults to the one in force).',
);

const DocumentInput = new GraphQLInputObjectType({
  name: 'DecisionDocumentInput',
  description: 'The decision document (văn bản): number, date and issuer.',
  fields: {
    number: { type: nn(GraphQLString), description: 'e.g. 234/QĐ-UBND' },
    date: { type: nn(DateScalar) },
    issuer: { type: nn(GraphQLString) },
  },
});

const OverrideInput = new GraphQLInputObjectType({
  name: 'CheckOverrideInput',
  description:
    'A knowing departure from rule checks of the regime that decide does not enforce (docs/TIME-TRAVEL.md): ' +
    'the check ids and why; needs a document. Replay shows the checks as overridden, by the actor.',
  fields: {
    checks: { type: nn(new GraphQLList(nn(GraphQLString))) },
    reason: { type: nn(GraphQLString) },
  },
});

const Event = new GraphQLObjectType({
  name: 'RecordedEvent',
  fields: {
    id: { type: nn(GraphQLID) },
    type: { type: nn(GraphQLString) },
    revision: { type: nn(GraphQLInt) },
    effectiveAt: { type: nn(DateScalar) },
    recordedAt: { type: nn(DateTimeScalar) },
    data: { type: nn(JsonScalar) },
  },
});

const Result = new GraphQLObjectType({
  name: 'CommandResult',
  fields: {
    commandId: { type: nn(GraphQLID) },
    stream: { type: nn(GraphQLString) },
    revision: { type: nn(GraphQLInt), description: "The stream's revision after the command." },
    duplicate: {
      type: nn(GraphQLBoolean),
      description: 'True when this commandId was applied before: nothing was written now.',
    },
    events: { type: list(Event), description: 'The events the command wrote.' },
  },
});

interface CommandInput {
  readonly commandId?: string | null;
  readonly expectedRevision?: number | null;
  readonly effectiveAt: string;
  readonly regime?: string | null;
  readonly document?: Record<string, unknown> | null;
  readonly override?: { readonly checks: readonly string[]; readonly reason: string } | null;
  readonly data: unknown;
}

const inputType = (type: CommandType) =>
  new GraphQLInputObjectType({
    name: `${type}Input`,
    fields: {
      commandId: {
        type: GraphQLID,
        description: 'Chosen by the client to make a retry safe: the same id again returns the first result.',
      },
      expectedRevision: {
        type: GraphQLInt,
        description: "The stream's revision the client saw (-1: must not exist yet); else CONFLICT.",
      },
      effectiveAt: { type: nn(DateScalar), description: 'When the decision took effect.' },
      regime: { type: Regime },
      document: { type: DocumentInput },
      override: { type: OverrideInput },
      data: { type: nn(JsonScalar), description: `${type} data; see the mutation's description.` },
    },
  });

/** `RegisterProject` → `registerProject`. */
export const mutationName = (type: string) => type[0]!.toLowerCase() + type.slice(1);

function mutation(type: CommandType): GraphQLFieldConfig<unknown, ApiContext, { input: CommandInput }> {
  return {
    type: nn(Result),
    description: `Runs the ${type} command. Data fields: ${describeData(type)}.`,
    args: { input: { type: nn(inputType(type)) } },
    resolve: async (_root, { input }, ctx) => {
      const { commandId, expectedRevision, regime, document, override, effectiveAt, data } = input;
      const result = await ctx.handler.handle(
        {
          type,
          actor: ctx.actor(),
          effectiveAt,
          data,
          ...(commandId != null && { commandId }),
          // The store says 'no_stream' for "must not exist yet"; GraphQL's Int says -1.
          ...(expectedRevision != null && {
            expectedRevision: expectedRevision === -1 ? 'no_stream' : expectedRevision,
          }),
          ...(regime != null && { regime }),
          ...(document != null && { document: { ...document } }),
          ...(override != null && { override: { checks: [...override.checks], reason: override.reason } }),
        },
        'api',
      );
      return resultView(result);
    },
  };
}

function resultView(r: CommandResult) {
  return {
    commandId: r.commandId,
    stream: r.stream,
    revision: r.nextExpectedRevision,
    duplicate: r.duplicate,
    events: r.events.map((e) => ({
      id: e.id,
      type: e.type,
      revision: e.revision,
      effectiveAt: e.metadata.effectiveAt,
      recordedAt: e.metadata.recordedAt,
      data: e.data,
    })),
  };
}

interface JsonSchema {
  type?: string;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
}

/** `projectId: string, amount: Money, completedOn?: string` from the command's zod schema. */
function describeData(type: CommandType): string {
  const schema = z.toJSONSchema(COMMANDS[type].schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  const fields = describeFields(schema);
  return fields || 'none';
}

function describeFields(s: JsonSchema): string {
  const required = new Set(s.required ?? []);
  return Object.entries(s.properties ?? {})
    .map(([name, p]) => `${name}${required.has(name) ? '' : '?'}: ${describeType(p)}`)
    .join(', ');
}

function describeType(s: JsonSchema): string {
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(' | ');
  if (s.anyOf?.some((a) => a.type === 'string') && s.anyOf.some((a) => a.type === 'number')) return 'Money';
  if (s.type === 'array') return `[${s.items ? describeType(s.items) : 'any'}]`;
  if (s.type === 'object') return `{ ${describeFields(s)} }`;
  return s.type ?? 'any';
}

/** Commands with a mutation of their own: IssueApiToken's token text is generated by the server. */
const OWN_MUTATION: ReadonlySet<CommandType> = new Set(['IssueApiToken']);

export const mutationFields = (): GraphQLFieldConfigMap<unknown, ApiContext> =>
  Object.fromEntries(
    (Object.keys(COMMANDS) as CommandType[])
      .filter((type) => !OWN_MUTATION.has(type))
      .map((type) => [mutationName(type), mutation(type)]),
  ) as GraphQLFieldConfigMap<unknown, ApiContext>;
