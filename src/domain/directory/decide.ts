// Commands and decide for the directory (agencies, users, API tokens). The agency a user is put in and
// the user a token is issued to are looked up by the command handler and passed in, so decide stays
// pure. The token's text never reaches a command: the edge generates it and sends only its hash.
import { z } from 'zod';
import type { CommandMeta } from '../envelope.js';
import { IllegalTransitionError, NotFoundError, ValidationError } from '../errors.js';
import { checkCommandDates } from '../guards.js';
import { text } from '../schemas.js';
import { AGENCY_STREAM, API_TOKEN_STREAM, USER_STREAM } from '../streams.js';
import {
  type DirectoryEvent,
  type DirectoryState,
  directoryEventSchemas,
  directoryIdSchema,
  roleSchema,
} from './events.js';

const reason = text(1000);

export const directoryCommandSchemas = {
  RegisterAgency: directoryEventSchemas.AgencyRegistered,
  UpdateAgency: z.strictObject({
    agencyId: directoryIdSchema,
    name: text(300).optional(),
    adminUnit: text(200).optional(),
  }),
  RegisterUser: directoryEventSchemas.UserRegistered,
  AssignUser: z.strictObject({ userId: directoryIdSchema, agencyId: directoryIdSchema, role: roleSchema }),
  DeactivateUser: z.strictObject({ userId: directoryIdSchema, reason }),
  ReactivateUser: z.strictObject({ userId: directoryIdSchema }),
  IssueApiToken: directoryEventSchemas.ApiTokenIssued,
  RevokeApiToken: z.strictObject({ tokenId: directoryIdSchema, reason }),
} as const;

export type DirectoryCommandType = keyof typeof directoryCommandSchemas;
export type DirectoryCommand = {
  [T in DirectoryCommandType]: {
    readonly type: T;
    readonly data: z.output<(typeof directoryCommandSchemas)[T]>;
    readonly meta: CommandMeta;
  };
}[DirectoryCommandType];
export const DIRECTORY_COMMAND_TYPES = Object.keys(directoryCommandSchemas) as DirectoryCommandType[];

/** The stream a directory command goes to. */
export function directoryStreamOf(c: DirectoryCommand): string {
  switch (c.type) {
    case 'RegisterAgency':
    case 'UpdateAgency':
      return `${AGENCY_STREAM}-${c.data.agencyId}`;
    case 'IssueApiToken':
    case 'RevokeApiToken':
      return `${API_TOKEN_STREAM}-${c.data.tokenId}`;
    default:
      return `${USER_STREAM}-${c.data.userId}`;
  }
}

/** The other entity a command names, for the handler to look up: a user's agency, a token's user. */
export function referencedEntity(c: DirectoryCommand): string | undefined {
  if (c.type === 'RegisterUser' || c.type === 'AssignUser') return `${AGENCY_STREAM}-${c.data.agencyId}`;
  if (c.type === 'IssueApiToken') return `${USER_STREAM}-${c.data.userId}`;
  return undefined;
}

export interface DirectoryContext {
  /** The state of referencedEntity(c), when it names one. */
  readonly referenced?: DirectoryState;
}

export function decideDirectory(
  c: DirectoryCommand,
  state: DirectoryState,
  ctx: DirectoryContext = {},
): DirectoryEvent[] {
  checkCommandDates(c.meta);
  switch (c.type) {
    case 'RegisterAgency':
      if (state.status !== 'none') throw exists('agency', c.data.agencyId, 'AGENCY_EXISTS');
      return [{ type: 'AgencyRegistered', data: c.data }];
    case 'UpdateAgency': {
      if (state.status === 'none') throw new NotFoundError('agency', c.data.agencyId, 'AGENCY_NOT_FOUND');
      const { agencyId: _id, ...changes } = c.data;
      if (Object.keys(changes).length === 0)
        throw ValidationError.field('data', 'names nothing to change', 'NO_CHANGE');
      return [{ type: 'AgencyUpdated', data: changes }];
    }
    case 'RegisterUser':
      if (state.status !== 'none') throw exists('user', c.data.userId, 'USER_EXISTS');
      agencyExists(ctx, c.data.agencyId);
      return [{ type: 'UserRegistered', data: c.data }];
    case 'AssignUser': {
      const user = existingUser(state, c.data.userId);
      agencyExists(ctx, c.data.agencyId);
      if (user.agencyId === c.data.agencyId && user.role === c.data.role)
        throw ValidationError.field('data', `${c.data.userId} is already so assigned`, 'NO_CHANGE');
      return [{ type: 'UserAssigned', data: { agencyId: c.data.agencyId, role: c.data.role } }];
    }
    case 'DeactivateUser':
      if (existingUser(state, c.data.userId).status === 'deactivated')
        throw new IllegalTransitionError('USER_DEACTIVATED', `${c.data.userId} is already deactivated`);
      return [{ type: 'UserDeactivated', data: { reason: c.data.reason } }];
    case 'ReactivateUser':
      if (existingUser(state, c.data.userId).status === 'active')
        throw new IllegalTransitionError('USER_ACTIVE', `${c.data.userId} is active`);
      return [{ type: 'UserReactivated', data: {} }];
    case 'IssueApiToken': {
      if (state.status !== 'none') throw exists('API token', c.data.tokenId, 'TOKEN_EXISTS');
      const user = ctx.referenced;
      if (!user || user.status === 'none') throw new NotFoundError('user', c.data.userId, 'USER_NOT_FOUND');
      if (user.status !== 'active')
        throw new IllegalTransitionError('USER_DEACTIVATED', `${c.data.userId} is deactivated`);
      if (c.data.expiresAt !== undefined && c.data.expiresAt <= c.meta.recordedAt)
        throw ValidationError.field('data.expiresAt', 'must be in the future', 'DATE_IN_PAST');
      return [{ type: 'ApiTokenIssued', data: c.data }];
    }
    case 'RevokeApiToken':
      if (state.status === 'none') throw new NotFoundError('API token', c.data.tokenId, 'TOKEN_NOT_FOUND');
      if (state.status === 'revoked')
        throw new IllegalTransitionError('TOKEN_REVOKED', `${c.data.tokenId} is already revoked`);
      return [{ type: 'ApiTokenRevoked', data: { reason: c.data.reason } }];
    default: {
      const unknown: never = c;
      return unknown;
    }
  }
}

const exists = (what: string, id: string, why: string) =>
  new IllegalTransitionError(why, `${what} ${id} already exists`);

function existingUser(state: DirectoryState, userId: string) {
  if (state.status === 'none' || !('entity' in state) || state.entity !== 'user')
    throw new NotFoundError('user', userId, 'USER_NOT_FOUND');
  return state;
}

function agencyExists(ctx: DirectoryContext, agencyId: string): void {
  const a = ctx.referenced;
  if (!a || a.status === 'none') throw new NotFoundError('agency', agencyId, 'AGENCY_NOT_FOUND');
}
