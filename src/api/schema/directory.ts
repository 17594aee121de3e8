// The directory in GraphQL: `me` (who the token speaks for), and `createApiToken`, the one directory
// command with its own mutation because the server generates the token's text, returns it once and
// keeps only its hash. The other directory commands (registerAgency, registerUser, assignUser,
// deactivateUser, reactivateUser, revokeApiToken...) are generated mutations like every command.
import {
  type GraphQLFieldConfig,
  GraphQLID,
  GraphQLInputObjectType,
  GraphQLObjectType,
  GraphQLString,
} from 'graphql';
import { newApiToken } from '../../auth/api-token.js';
import { newIdFactory } from '../../commands/ids.js';
import { localDateOf } from '../../domain/dates.js';
import type { ApiContext } from '../context.js';
import { field, nn } from './helpers.js';
import { DateTimeScalar } from './scalars.js';

const Me = new GraphQLObjectType({
  name: 'Me',
  description: 'The authenticated user as the directory holds them.',
  fields: {
    userId: field(nn(GraphQLID)),
    agencyId: field(nn(GraphQLID)),
    role: field(nn(GraphQLString)),
  },
});

export const meQuery: GraphQLFieldConfig<unknown, ApiContext> = {
  type: nn(Me),
  description: 'Who the bearer token speaks for: user, agency and role.',
  resolve: (_root, _args, ctx) => ctx.actor(),
};

const CreateApiTokenInput = new GraphQLInputObjectType({
  name: 'CreateApiTokenInput',
  fields: {
    userId: field(nn(GraphQLID), 'The user the token acts as (usually one in the integration role).'),
    label: field(nn(GraphQLString), 'What the token is for, e.g. "LGSP sync".'),
    expiresAt: field(DateTimeScalar, 'When it stops working; never when omitted.'),
  },
});

const CreatedApiToken = new GraphQLObjectType({
  name: 'CreatedApiToken',
  fields: {
    tokenId: field(nn(GraphQLID), 'Names the token to revoke it (revokeApiToken).'),
    token: field(nn(GraphQLString), 'The token: shown this once, only its SHA-256 hash is kept.'),
    expiresAt: field(DateTimeScalar),
  },
});

const newTokenId = newIdFactory();

export const createApiTokenMutation: GraphQLFieldConfig<
  unknown,
  ApiContext,
  { input: { userId: string; label: string; expiresAt?: string | null } }
> = {
  type: nn(CreatedApiToken),
  description: 'Issues an API token for a user (administrators).',
  args: { input: { type: nn(CreateApiTokenInput) } },
  resolve: async (_root, { input }, ctx) => {
    const tokenId = newTokenId();
    const { text, tokenHash } = newApiToken(tokenId);
    const expiresAt = input.expiresAt ?? undefined;
    await ctx.handler.handle(
      {
        type: 'IssueApiToken',
        actor: ctx.actor(),
        effectiveAt: localDateOf(new Date().toISOString()),
        data: {
          tokenId,
          userId: input.userId,
          label: input.label,
          tokenHash,
          ...(expiresAt && { expiresAt }),
        },
      },
      'api',
    );
    return { tokenId, token: text, expiresAt: expiresAt ?? null };
  },
};
