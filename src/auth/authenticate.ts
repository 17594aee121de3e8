// Who a request speaks for, from its `Authorization: Bearer …` header and nothing else: a JWT from the
// identity provider (its subject is a user id) or an API token (it names its user). Either way the
// user must be in the directory and active; their agency and role come from the directory, so an
// administrator's change applies to the very next request.
import { ACCESS_MATRIX } from '../domain/access.js';
import type { Actor } from '../domain/envelope.js';
import { UnauthenticatedError } from '../domain/errors.js';
import type { EventStore } from '../store/port.js';
import { apiTokenId, hashToken, isApiToken, sameHash } from './api-token.js';
import { findAgency, findApiToken, findUser } from './directory.js';
import type { JwtVerifier } from './jwt.js';

/** How the request proved who it is: which credential, for logs and the denial table. */
export interface Principal {
  readonly actor: Actor;
  readonly via: 'jwt' | 'apiToken';
  /** The API token's id (never its text). */
  readonly tokenId?: string;
  /** The commune or ward the user's agency answers for (a commune committee's "own unit"). */
  readonly unit?: string;
}

export type Authenticator = (authorization: string | undefined) => Promise<Principal>;

export interface AuthenticatorDeps {
  readonly store: EventStore;
  readonly verifyJwt: JwtVerifier;
  readonly clock?: () => Date;
}

export function authenticator({
  store,
  verifyJwt,
  clock = () => new Date(),
}: AuthenticatorDeps): Authenticator {
  return async (authorization) => {
    const bearer = bearerOf(authorization);
    if (isApiToken(bearer)) {
      const tokenId = apiTokenId(bearer);
      if (!tokenId) throw new UnauthenticatedError('the API token is malformed', 'TOKEN_MALFORMED');
      const token = await findApiToken(store, tokenId);
      if (!token || !sameHash(token.tokenHash, hashToken(bearer)))
        throw new UnauthenticatedError('the API token is not known', 'TOKEN_INVALID');
      if (token.status === 'revoked')
        throw new UnauthenticatedError('the API token was revoked', 'TOKEN_REVOKED', { tokenId });
      if (token.expiresAt !== undefined && token.expiresAt <= clock().toISOString())
        throw new UnauthenticatedError('the API token has expired', 'TOKEN_EXPIRED', { tokenId });
      return withUnit(store, { actor: await activeUser(store, token.userId), via: 'apiToken', tokenId });
    }
    const { sub } = await verifyJwt(bearer);
    return withUnit(store, { actor: await activeUser(store, sub), via: 'jwt' });
  };
}

async function withUnit(store: EventStore, p: Principal): Promise<Principal> {
  if (ACCESS_MATRIX[p.actor.role].reads !== 'ownUnit') return p;
  const unit = (await findAgency(store, p.actor.agencyId))?.adminUnit;
  return unit === undefined ? p : { ...p, unit };
}

async function activeUser(store: EventStore, userId: string): Promise<Actor> {
  const user = await findUser(store, userId);
  if (!user)
    throw new UnauthenticatedError(`user ${userId} is not in the directory`, 'USER_UNKNOWN', { userId });
  if (user.status !== 'active')
    throw new UnauthenticatedError(`user ${userId} is deactivated`, 'USER_DEACTIVATED', { userId });
  return { userId: user.userId, agencyId: user.agencyId, role: user.role };
}

function bearerOf(authorization: string | undefined): string {
  if (!authorization)
    throw new UnauthenticatedError(
      'every request needs the header Authorization: Bearer <token> (a JWT or an API token)',
      'TOKEN_MISSING',
    );
  const m = /^Bearer +([^\s]+)\s*$/i.exec(authorization);
  if (!m)
    throw new UnauthenticatedError('the Authorization header must be "Bearer <token>"', 'TOKEN_MALFORMED');
  return m[1] as string;
}
