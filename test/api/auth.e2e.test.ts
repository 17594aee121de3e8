// Identity through the real API: every GraphQL request proves who it is with a bearer token — a JWT
// checked for signature, issuer, audience and expiry, or an API token an administrator issued and can
// revoke — and the user's agency and role come from the directory, not from the client.
import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signJwt } from '../../src/auth/jwt.js';
import { actors } from '../support/fixtures.js';
import { type Api, startApi } from './api.js';

let api: Api;
beforeAll(async () => {
  api = await startApi();
});
afterAll(async () => {
  await api?.close();
});

const ME = '{ me { userId agencyId role } }';
const codeOf = (r: { errors?: readonly { extensions?: { code?: string; reason?: string } }[] }) =>
  r.errors?.[0]?.extensions;

describe('without a valid bearer token nothing runs: 401 UNAUTHENTICATED', () => {
  it('no Authorization header', async () => {
    const r = await api.gql(ME, {}, null);
    expect(r.status).toBe(401);
    expect(codeOf(r)).toEqual({ code: 'UNAUTHENTICATED', reason: 'TOKEN_MISSING' });
    expect(r.data).toBeUndefined();
  });

  it('a header that is not "Bearer <token>", or the old stated-actor header', async () => {
    expect(codeOf(await api.gql(ME, {}, 'Basic dXNlcjpwYXNz'))).toMatchObject({ reason: 'TOKEN_MALFORMED' });
    const res = await api.app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { 'x-tiendo-actor': JSON.stringify(actors.registrar) },
      payload: { query: ME },
    });
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer /);
  });

  it('a JWT signed with another key', async () => {
    const forged = await signJwt(
      { ...api.signer, secret: new Uint8Array(randomBytes(32)) },
      'u-dkdt-01',
      '1h',
    );
    expect(codeOf(await api.gql(ME, {}, `Bearer ${forged}`))).toEqual({
      code: 'UNAUTHENTICATED',
      reason: 'TOKEN_INVALID',
    });
  });

  it('a JWT of another issuer or for another audience', async () => {
    const otherIssuer = await signJwt({ ...api.signer, issuer: 'someone-else' }, 'u-dkdt-01', '1h');
    expect(codeOf(await api.gql(ME, {}, `Bearer ${otherIssuer}`))).toMatchObject({
      reason: 'TOKEN_CLAIM_INVALID',
    });
    const otherAudience = await signJwt({ ...api.signer, audience: 'another-app' }, 'u-dkdt-01', '1h');
    expect(codeOf(await api.gql(ME, {}, `Bearer ${otherAudience}`))).toMatchObject({
      reason: 'TOKEN_CLAIM_INVALID',
    });
  });

  it('an expired JWT, and one without an expiry', async () => {
    const hourAgo = Math.floor(Date.now() / 1000) - 3600;
    const expired = await signJwt(api.signer, 'u-dkdt-01', hourAgo);
    expect(codeOf(await api.gql(ME, {}, `Bearer ${expired}`))).toMatchObject({ reason: 'TOKEN_EXPIRED' });
    const forever = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('u-dkdt-01')
      .setIssuer(api.signer.issuer)
      .setAudience(api.signer.audience)
      .sign(api.signer.secret);
    expect(codeOf(await api.gql(ME, {}, `Bearer ${forever}`))).toMatchObject({
      reason: 'TOKEN_CLAIM_INVALID',
    });
  });

  it('an unsigned JWT (alg none)', async () => {
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const exp = Math.floor(Date.now() / 1000) + 3600;
    const none = `${b64({ alg: 'none' })}.${b64({ sub: 'u-dkdt-01', iss: api.signer.issuer, aud: api.signer.audience, exp })}.`;
    expect(codeOf(await api.gql(ME, {}, `Bearer ${none}`))).toMatchObject({ reason: 'TOKEN_INVALID' });
  });

  it('a valid JWT for a user the directory does not know', async () => {
    const stranger = await signJwt(api.signer, 'u-nobody', '1h');
    expect(codeOf(await api.gql(ME, {}, `Bearer ${stranger}`))).toEqual({
      code: 'UNAUTHENTICATED',
      reason: 'USER_UNKNOWN',
    });
  });
});

describe('the directory decides agency and role', () => {
  it('a valid JWT acts as its user, in the agency and role the directory gives', async () => {
    const r = await api.gql<{ me: unknown }>(ME, {}, actors.finance);
    expect(r.status).toBe(200);
    expect(r.data?.me).toEqual(actors.finance);
  });

  it('an administrator deactivates a user: their very next request is refused; reactivated, accepted', async () => {
    const token = `Bearer ${await api.tokenFor(actors.otherInvestor)}`;
    expect((await api.gql(ME, {}, token)).status).toBe(200);
    const deactivate = await api.gql(
      'mutation ($input: DeactivateUserInput!) { deactivateUser(input: $input) { revision } }',
      {
        input: {
          effectiveAt: today(),
          data: { userId: actors.otherInvestor.userId, reason: 'left the company' },
        },
      },
      actors.admin,
    );
    expect(deactivate.errors).toBeUndefined();
    expect(codeOf(await api.gql(ME, {}, token))).toEqual({
      code: 'UNAUTHENTICATED',
      reason: 'USER_DEACTIVATED',
    });
    await api.gql(
      'mutation ($input: ReactivateUserInput!) { reactivateUser(input: $input) { revision } }',
      { input: { effectiveAt: today(), data: { userId: actors.otherInvestor.userId } } },
      actors.admin,
    );
    expect((await api.gql(ME, {}, token)).status).toBe(200);
  });
});

describe('API tokens', () => {
  const CREATE = `mutation ($input: CreateApiTokenInput!) { createApiToken(input: $input) { tokenId token expiresAt } }`;
  const create = async (expiresAt?: string) => {
    const r = await api.gql<{ createApiToken: { tokenId: string; token: string } }>(
      CREATE,
      { input: { userId: actors.reviewer.userId, label: 'LGSP sync', ...(expiresAt && { expiresAt }) } },
      actors.admin,
    );
    expect(r.errors).toBeUndefined();
    return r.data!.createApiToken;
  };

  it('is shown once, stored only as its SHA-256 hash, and acts as its user', async () => {
    const { tokenId, token } = await create();
    expect(token).toMatch(/^tdo_/);
    const { rows } = await api.db.pool.query<{ text: string }>(
      `SELECT data::text || metadata::text AS text FROM events WHERE stream = $1`,
      [`apitoken-${tokenId}`],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.text).not.toContain(token.slice(4));
    const { createHash } = await import('node:crypto');
    expect(rows[0]!.text).toContain(createHash('sha256').update(token).digest('hex'));
    const me = await api.gql<{ me: unknown }>(ME, {}, `Bearer ${token}`);
    expect(me.data?.me).toEqual(actors.reviewer);
  });

  it('a revoked token is refused from the next request on', async () => {
    const { tokenId, token } = await create();
    expect((await api.gql(ME, {}, `Bearer ${token}`)).status).toBe(200);
    const revoke = await api.gql(
      'mutation ($input: RevokeApiTokenInput!) { revokeApiToken(input: $input) { revision } }',
      { input: { effectiveAt: today(), data: { tokenId, reason: 'rotated' } } },
      actors.admin,
    );
    expect(revoke.errors).toBeUndefined();
    expect(codeOf(await api.gql(ME, {}, `Bearer ${token}`))).toEqual({
      code: 'UNAUTHENTICATED',
      reason: 'TOKEN_REVOKED',
    });
  });

  it('a token with one character changed, or of another shape, is refused', async () => {
    const { token } = await create();
    const last = token.at(-1) === 'A' ? 'B' : 'A';
    expect(codeOf(await api.gql(ME, {}, `Bearer ${token.slice(0, -1)}${last}`))).toMatchObject({
      reason: 'TOKEN_INVALID',
    });
    expect(codeOf(await api.gql(ME, {}, 'Bearer tdo_short'))).toMatchObject({ reason: 'TOKEN_MALFORMED' });
  });

  it('cannot be created already expired', async () => {
    const r = await api.gql(
      CREATE,
      { input: { userId: actors.reviewer.userId, label: 'x', expiresAt: '2020-01-01T00:00:00.000Z' } },
      actors.admin,
    );
    expect(codeOf(r)).toMatchObject({ code: 'VALIDATION', reason: 'DATE_IN_PAST' });
  });
});

const today = () => new Date().toISOString().slice(0, 10);
