// JSON Web Tokens from the province's identity provider, verified with `jose`: the signature against
// a configured JWKS (asymmetric keys, fetched and cached by jose) or a shared secret (HS256), then the
// issuer, the audience, the expiry (required) and the subject (required: the directory's user id).
// The identity provider says who the user is; tiendo's directory says their agency and role. A provider
// whose keys cannot be fetched makes authentication UNAVAILABLE (503), not every token invalid.
import { createRemoteJWKSet, errors, type JWTVerifyGetKey, jwtVerify, SignJWT } from 'jose';
import { UnauthenticatedError, UnavailableError } from '../domain/errors.js';

export interface JwtConfig {
  readonly issuer: string;
  readonly audience: string;
  /** HS256 shared secret (at least 32 bytes). */
  readonly secret?: Uint8Array;
  /** The identity provider's JWKS endpoint (RS256, ES256, PS256, EdDSA). */
  readonly jwksUrl?: URL;
}

const ASYMMETRIC = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'EdDSA'];
/** Seconds of clock skew tolerated between the identity provider and this server. */
const CLOCK_TOLERANCE = 30;

export type JwtVerifier = (token: string) => Promise<{ readonly sub: string }>;

export function jwtVerifier(config: JwtConfig): JwtVerifier {
  if (!config.secret === !config.jwksUrl)
    throw new Error('JWT verification needs exactly one of a secret or a JWKS URL');
  if (config.secret && config.secret.length < 32) throw new Error('the JWT secret must be at least 32 bytes');
  const jwks = config.jwksUrl ? providerKeys(createRemoteJWKSet(config.jwksUrl)) : undefined;
  const options = {
    issuer: config.issuer,
    audience: config.audience,
    algorithms: config.secret ? ['HS256'] : ASYMMETRIC,
    requiredClaims: ['exp', 'sub'],
    clockTolerance: CLOCK_TOLERANCE,
  };
  return async (token) => {
    try {
      const { payload } = jwks
        ? await jwtVerify(token, jwks, options)
        : await jwtVerify(token, config.secret as Uint8Array, options);
      return { sub: payload.sub as string };
    } catch (error) {
      throw refusal(error);
    }
  };
}

/**
 * The provider's keys, fetched by jose (cached 10 minutes; a kid it does not know is fetched again
 * at most every 30 s). When they cannot be fetched — the provider unreachable, slow, answering other
 * than 200 or something that is not a key set — the token is not at fault: UNAVAILABLE, not a refusal.
 */
function providerKeys(remote: JWTVerifyGetKey): JWTVerifyGetKey {
  return async (header, token) => {
    try {
      return await remote(header, token);
    } catch (error) {
      if (!unreachable(error)) throw error;
      throw new UnavailableError(
        `the identity provider's keys could not be fetched: ${(error as Error).message}`,
        'JWKS_UNAVAILABLE',
      );
    }
  };
}

/** Errors of the fetch (network, timeout, status, JSON, key-set shape), not of choosing a key for a token. */
const unreachable = (error: unknown) =>
  !(error instanceof errors.JOSEError) ||
  error instanceof errors.JWKSTimeout ||
  error instanceof errors.JWKSInvalid ||
  error.code === 'ERR_JOSE_GENERIC';

function refusal(error: unknown): UnauthenticatedError {
  if (error instanceof errors.JWTExpired)
    return new UnauthenticatedError('the token has expired', 'TOKEN_EXPIRED');
  if (error instanceof errors.JWTClaimValidationFailed)
    return new UnauthenticatedError(
      `the token's ${error.claim} claim is not accepted`,
      'TOKEN_CLAIM_INVALID',
      {
        claim: error.claim,
      },
    );
  if (error instanceof errors.JOSEError)
    return new UnauthenticatedError('the token is not a valid signed JWT', 'TOKEN_INVALID');
  throw error;
}

/** Signs a token as a local issuer does (the demo, tests, a development identity provider). */
export function signJwt(
  config: { readonly issuer: string; readonly audience: string; readonly secret: Uint8Array },
  sub: string,
  expiresIn: string | number,
): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(sub)
    .setIssuer(config.issuer)
    .setAudience(config.audience)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(config.secret);
}
