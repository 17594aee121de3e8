// JWTs from an identity provider that publishes its keys as a JWKS over HTTP, as production runs
// (TIENDO_JWKS_URL): a local HTTP server serves the key set, the app verifies against its URL. A token
// signed with a published key is accepted; one signed with another key, by another issuer, for another
// audience, expired, unsigned (`alg: none`) or HMAC-signed is 401 UNAUTHENTICATED. The provider rotating
// to a new key (new kid) is followed without a restart, once jose's cooldown since its last fetch has
// passed, and an unknown kid before then costs no fetch; a provider that cannot be reached is 503
// UNAVAILABLE, not a refusal of the user's token.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { type CryptoKey, exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { authenticator } from '../../src/auth/authenticate.js';
import { jwtVerifier } from '../../src/auth/jwt.js';
import { PostgresEventStore } from '../../src/store/postgres.js';
import { actors } from '../support/fixtures.js';
import { type Api, appOn, startApi } from './api.js';

const ISSUER = 'https://sso.caobang.gov.vn/realms/tiendo';
const AUDIENCE = 'tiendo';
const ME = '{ me { userId agencyId role } }';
const user = actors.reviewer;

interface Key {
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly jwk: JWK;
}

async function newKey(kid: string): Promise<Key> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' } };
}

/** The identity provider's key endpoint: serves `published`, counts the fetches. */
class Provider {
  published: Key[] = [];
  fetches = 0;
  private readonly server: Server = createServer((req, res) => {
    if (req.url !== '/certs') {
      res.writeHead(404).end();
      return;
    }
    this.fetches++;
    res
      .writeHead(200, { 'content-type': 'application/jwk-set+json' })
      .end(JSON.stringify({ keys: this.published.map((k) => k.jwk) }));
  });

  async start(): Promise<URL> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return new URL(`http://127.0.0.1:${(this.server.address() as AddressInfo).port}/certs`);
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

let api: Api;
const provider = new Provider();
let jwksUrl: URL;
let k1: Key;
const apps: FastifyInstance[] = [];

/** An app on the test database whose JWTs are verified against `url` (the provider's, by default). */
function appVerifyingWith(url: URL): FastifyInstance {
  const store = new PostgresEventStore(api.db.pool);
  const verifyJwt = jwtVerifier({ jwksUrl: url, issuer: ISSUER, audience: AUDIENCE });
  const app = appOn(api, {}, { authenticate: authenticator({ store, verifyJwt }) });
  apps.push(app);
  return app;
}

interface Claims {
  readonly iss?: string;
  readonly aud?: string;
  /** Seconds since the epoch, or a span such as '1h'. */
  readonly exp?: number | string;
}

function sign(key: Key, c: Claims = {}, kid = key.kid): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: 'ES256', kid, typ: 'JWT' })
    .setSubject(user.userId)
    .setIssuer(c.iss ?? ISSUER)
    .setAudience(c.aud ?? AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(c.exp ?? '1h')
    .sign(key.privateKey);
}

async function me(app: FastifyInstance, token: string) {
  const res = await app.inject({
    method: 'POST',
    url: '/graphql',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    payload: { query: ME },
  });
  const body = res.json() as {
    data?: { me: unknown };
    errors?: { extensions?: { code?: string; reason?: string } }[];
  };
  return { status: res.statusCode, me: body.data?.me, refusal: body.errors?.[0]?.extensions };
}

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

beforeAll(async () => {
  api = await startApi();
  await api.tokenFor(user); // the user in the directory, as an administrator would put them
  k1 = await newKey('k1');
  provider.published = [k1];
  jwksUrl = await provider.start();
});
afterEach(() => {
  vi.useRealTimers();
});
afterAll(async () => {
  for (const app of apps) await app.close();
  await provider.stop();
  await api?.close();
});

describe('JWTs verified against the identity provider JWKS, served over HTTP', () => {
  it('a token signed with a published key is accepted, and the directory says who it is', async () => {
    const app = appVerifyingWith(jwksUrl);
    expect(await me(app, await sign(k1))).toEqual({
      status: 200,
      me: { userId: user.userId, agencyId: user.agencyId, role: user.role },
      refusal: undefined,
    });
  });

  it('a token signed with another key, even under a published kid, is 401 TOKEN_INVALID', async () => {
    const app = appVerifyingWith(jwksUrl);
    const impostor = await newKey('k1');
    expect(await me(app, await sign(impostor))).toMatchObject({
      status: 401,
      refusal: { code: 'UNAUTHENTICATED', reason: 'TOKEN_INVALID' },
    });
    const unpublished = await newKey('k-unknown');
    expect(await me(app, await sign(unpublished))).toMatchObject({
      status: 401,
      refusal: { code: 'UNAUTHENTICATED', reason: 'TOKEN_INVALID' },
    });
  });

  it('another issuer or another audience is 401 TOKEN_CLAIM_INVALID', async () => {
    const app = appVerifyingWith(jwksUrl);
    expect(await me(app, await sign(k1, { iss: 'https://evil.example/realms/tiendo' }))).toMatchObject({
      status: 401,
      refusal: { code: 'UNAUTHENTICATED', reason: 'TOKEN_CLAIM_INVALID' },
    });
    expect(await me(app, await sign(k1, { aud: 'another-app' }))).toMatchObject({
      status: 401,
      refusal: { code: 'UNAUTHENTICATED', reason: 'TOKEN_CLAIM_INVALID' },
    });
  });

  it('an expired token is 401 TOKEN_EXPIRED', async () => {
    const app = appVerifyingWith(jwksUrl);
    const hourAgo = Math.floor(Date.now() / 1000) - 3600;
    expect(await me(app, await sign(k1, { exp: hourAgo }))).toMatchObject({
      status: 401,
      refusal: { code: 'UNAUTHENTICATED', reason: 'TOKEN_EXPIRED' },
    });
  });

  it('an unsigned token (alg: none) or an HMAC one (alg confusion with the public key) is 401', async () => {
    const app = appVerifyingWith(jwksUrl);
    const claims = {
      sub: user.userId,
      iss: ISSUER,
      aud: AUDIENCE,
      exp: Math.floor(Date.now() / 1000) + 3600,
    };
    const unsigned = `${b64({ alg: 'none', typ: 'JWT', kid: 'k1' })}.${b64(claims)}.`;
    expect(await me(app, unsigned)).toMatchObject({
      status: 401,
      refusal: { code: 'UNAUTHENTICATED', reason: 'TOKEN_INVALID' },
    });
    const hmac = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', kid: 'k1' })
      .sign(new TextEncoder().encode(JSON.stringify(k1.jwk)));
    expect(await me(app, hmac)).toMatchObject({
      status: 401,
      refusal: { code: 'UNAUTHENTICATED', reason: 'TOKEN_INVALID' },
    });
  });

  it('follows a key rotation (new kid) once the cooldown since the last fetch has passed, without a restart', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    const app = appVerifyingWith(jwksUrl);
    expect((await me(app, await sign(k1))).status).toBe(200);
    const fetched = provider.fetches;

    // The provider rotates: k2 replaces k1.
    const k2 = await newKey('k2');
    provider.published = [k2];
    // Within jose's 30 s cooldown an unknown kid is refused without fetching again: a stream of made-up
    // kids cannot turn this server into a flood of requests to the provider.
    expect(await me(app, await sign(k2))).toMatchObject({
      status: 401,
      refusal: { reason: 'TOKEN_INVALID' },
    });
    expect(provider.fetches).toBe(fetched);

    vi.setSystemTime(Date.now() + 31_000);
    expect(await me(app, await sign(k2))).toMatchObject({ status: 200, me: { userId: user.userId } });
    expect(provider.fetches).toBe(fetched + 1);
    // k1 is no longer published: its tokens are refused from the fetch that dropped it.
    expect(await me(app, await sign(k1))).toMatchObject({
      status: 401,
      refusal: { reason: 'TOKEN_INVALID' },
    });
    provider.published = [k1];
  });

  it('a provider that cannot be reached is 503 UNAVAILABLE (JWKS_UNAVAILABLE), not a refusal of the token', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const unavailable = { status: 503, refusal: { code: 'UNAVAILABLE', reason: 'JWKS_UNAVAILABLE' } };
    const nobody = appVerifyingWith(new URL(`http://127.0.0.1:${port}/certs`));
    expect(await me(nobody, await sign(k1))).toMatchObject(unavailable);
    // The provider answers, but not with its keys (here a 404).
    const wrongPath = appVerifyingWith(new URL('/no-certs-here', jwksUrl));
    expect(await me(wrongPath, await sign(k1))).toMatchObject(unavailable);
  });
});
