// The directory: agencies, users (each in one agency and one role) and API tokens, as reference data
// that an administrator changes by commands, each change an event in the entity's own stream
// (`agency-<id>`, `user-<id>`, `apitoken-<id>`). Events, states and evolve; decide is in decide.ts.
// An API token is kept only as the SHA-256 hash of its text: the text is shown once, at issue.
import { z } from 'zod';
import { isoInstantSchema } from '../dates.js';
import { ROLES, type Role } from '../envelope.js';
import { provinceCodeSchema, text } from '../schemas.js';

/** Agency and user ids: what identity providers put in `sub` (UUIDs, logins, e-mail addresses). */
export const directoryIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.@+:-]{0,119}$/, 'must be 1–120 letters, digits, or _ . @ + : -');

export const AGENCY_KINDS = [
  'provincialCommittee',
  'department',
  'economicZoneAuthority',
  'police',
  'communeCommittee',
  'managementBoard',
  'enterprise',
  'system',
] as const;

export const roleSchema = z.enum(ROLES);
const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 hash in hex');

export const directoryEventSchemas = {
  AgencyRegistered: z.strictObject({
    agencyId: directoryIdSchema,
    name: text(300),
    kind: z.enum(AGENCY_KINDS),
    province: provinceCodeSchema.optional(),
    /** The commune or ward a commune committee answers for: its users' "own unit". */
    adminUnit: text(200).optional(),
  }),
  AgencyUpdated: z.strictObject({
    name: text(300).optional(),
    adminUnit: text(200).optional(),
  }),
  UserRegistered: z.strictObject({
    userId: directoryIdSchema,
    name: text(300),
    agencyId: directoryIdSchema,
    role: roleSchema,
  }),
  UserAssigned: z.strictObject({ agencyId: directoryIdSchema, role: roleSchema }),
  UserDeactivated: z.strictObject({ reason: text(1000) }),
  UserReactivated: z.strictObject({}),
  ApiTokenIssued: z.strictObject({
    tokenId: directoryIdSchema,
    userId: directoryIdSchema,
    label: text(200),
    tokenHash: sha256Hex,
    expiresAt: isoInstantSchema.optional(),
  }),
  ApiTokenRevoked: z.strictObject({ reason: text(1000) }),
} as const;

export type DirectoryEventType = keyof typeof directoryEventSchemas;
export type DirectoryEvent = {
  [T in DirectoryEventType]: { readonly type: T; readonly data: z.output<(typeof directoryEventSchemas)[T]> };
}[DirectoryEventType];
export const DIRECTORY_EVENT_TYPES = Object.keys(directoryEventSchemas) as DirectoryEventType[];
export const directoryEventVersions: Readonly<Record<DirectoryEventType, number>> = Object.fromEntries(
  DIRECTORY_EVENT_TYPES.map((t) => [t, 1]),
) as Record<DirectoryEventType, number>;

export type AgencyState =
  | { readonly status: 'none' }
  | ({ readonly entity: 'agency'; readonly status: 'registered' } & z.output<
      (typeof directoryEventSchemas)['AgencyRegistered']
    >);

export type UserState =
  | { readonly status: 'none' }
  | {
      readonly entity: 'user';
      readonly status: 'active' | 'deactivated';
      readonly userId: string;
      readonly name: string;
      readonly agencyId: string;
      readonly role: Role;
    };

export type ApiTokenState =
  | { readonly status: 'none' }
  | ({ readonly entity: 'apiToken'; readonly status: 'active' | 'revoked' } & z.output<
      (typeof directoryEventSchemas)['ApiTokenIssued']
    >);

export type DirectoryState = AgencyState | UserState | ApiTokenState;
export const initialDirectoryState: DirectoryState = { status: 'none' };

const is = <E extends 'agency' | 'user' | 'apiToken'>(s: DirectoryState, entity: E) =>
  s.status !== 'none' && 'entity' in s && s.entity === entity;

/** One evolve for the three entities: each event type belongs to exactly one of them. */
export function evolveDirectory(state: DirectoryState, event: DirectoryEvent): DirectoryState {
  switch (event.type) {
    case 'AgencyRegistered':
      return { entity: 'agency', status: 'registered', ...event.data };
    case 'AgencyUpdated':
      return is(state, 'agency')
        ? { ...(state as AgencyState & { entity: 'agency' }), ...event.data }
        : state;
    case 'UserRegistered':
      return { entity: 'user', status: 'active', ...event.data };
    case 'UserAssigned':
      return is(state, 'user') ? { ...(state as ExistingUser), ...event.data } : state;
    case 'UserDeactivated':
      return is(state, 'user') ? { ...(state as ExistingUser), status: 'deactivated' } : state;
    case 'UserReactivated':
      return is(state, 'user') ? { ...(state as ExistingUser), status: 'active' } : state;
    case 'ApiTokenIssued':
      return { entity: 'apiToken', status: 'active', ...event.data };
    case 'ApiTokenRevoked':
      return is(state, 'apiToken') ? { ...(state as ExistingApiToken), status: 'revoked' } : state;
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}

export type ExistingAgency = Extract<AgencyState, { entity: 'agency' }>;
export type ExistingUser = Extract<UserState, { entity: 'user' }>;
export type ExistingApiToken = Extract<ApiTokenState, { entity: 'apiToken' }>;
