// The API's guard rails as a client meets them: security headers and GraphiQL's own policy, request
// ids, the body limit, GraphQL depth/alias/token/cost limits, introspection on and off, CORS for the
// configured origins only, rate limits per token, and errors that never show what went wrong inside,
// logged as JSON lines with the request's id and without credentials.
import { createHash, randomBytes } from 'node:crypto';
import { type AddressInfo, createServer, type Socket } from 'node:net';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppDeps, buildApp } from '../../src/api/app.js';
import type { ApiLimits } from '../../src/api/limits.js';
import type { ReadModels } from '../../src/api/read-models.js';
import { CommandHandler } from '../../src/commands/handler.js';
import { PostgresEventStore } from '../../src/store/postgres.js';
import { actors } from '../support/fixtures.js';
import { type Api, appOn, startApi } from './api.js';

let api: Api;
const apps: FastifyInstance[] = [];
/** A reviewer's bearer token: the guard rails are tried on an authenticated client. */
let bearer: string;
beforeAll(async () => {
  api = await startApi();
  bearer = `Bearer ${await api.tokenFor(actors.reviewer)}`;
});
afterAll(async () => {
  for (const app of apps) await app.close();
  await api?.close();
});

/** Another app on the same database, with its own limits (and logger, read models); closed after. */
function appWith(limits: Partial<ApiLimits>, more: Partial<AppDeps> = {}): FastifyInstance {
  const app = appOn(api, limits, more);
  apps.push(app);
  return app;
}

const post = (app: FastifyInstance, query: string, headers: Record<string, string> = {}) =>
  app.inject({
    method: 'POST',
    url: '/graphql',
    headers: { 'content-type': 'application/json', authorization: bearer, ...headers },
    payload: { query },
  });

type Errors = { errors?: { message: string; extensions?: { code?: string; reason?: string } }[] };
const codes = (body: Errors) => (body.errors ?? []).map((e) => [e.extensions?.code, e.extensions?.reason]);

describe('headers', () => {
  it('a JSON answer carries the security headers and its request id', async () => {
    const res = await post(api.app, '{ __typename }');
    expect(res.statusCode).toBe(200);
    expect(res.headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
      'content-security-policy': "default-src 'none';frame-ancestors 'none';base-uri 'none'",
    });
    expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('GraphiQL gets a policy allowing its one inline script by hash, not every inline script', async () => {
    const res = await api.app.inject({ method: 'GET', url: '/graphql', headers: { accept: 'text/html' } });
    expect(res.statusCode).toBe(200);
    const scripts = [...res.body.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1] ?? '');
    expect(scripts).toHaveLength(1);
    const hash = createHash('sha256')
      .update(scripts[0] ?? '')
      .digest('base64');
    const policy = String(res.headers['content-security-policy']);
    expect(policy).toContain(`script-src 'sha256-${hash}'`);
    expect(policy).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain('worker-src');
  });

  it("keeps a client's plain request id and replaces one that could forge log lines", async () => {
    const kept = await post(api.app, '{ __typename }', { 'x-request-id': 'client-42.a' });
    expect(kept.headers['x-request-id']).toBe('client-42.a');
    const replaced = await post(api.app, '{ __typename }', { 'x-request-id': 'a b"}{"level":60' });
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('limits', () => {
  it('a body over the limit is refused with 413 and a code', async () => {
    const app = appWith({ bodyLimitBytes: 2_000 });
    const res = await post(app, `{ project(id: "${'x'.repeat(3_000)}") { id } }`);
    expect(res.statusCode).toBe(413);
    expect(codes(res.json())).toEqual([['PAYLOAD_TOO_LARGE', 'FST_ERR_CTP_BODY_TOO_LARGE']]);
  });

  it('a selection deeper than the limit is refused before it runs; one within it runs', async () => {
    const app = appWith({ maxDepth: 3 });
    const deep = await post(app, '{ projects { edges { node { owner { name } } } } }');
    expect(codes(deep.json())).toEqual([['QUERY_TOO_COMPLEX', 'MAX_DEPTH']]);
    const within = await post(app, '{ projects { edges { cursor } } }');
    expect(within.json()).toEqual({ data: { projects: { edges: [] } } });
  });

  it('too many aliases, tokens or too much cost: refused with the limit named', async () => {
    const app = appWith({ maxAliases: 2, maxTokens: 40, maxCost: 20 });
    const aliases = await post(
      app,
      '{ a: project(id: "A") { id } b: project(id: "B") { id } c: project(id: "C") { id } }',
    );
    expect(codes(aliases.json())).toEqual([['QUERY_TOO_COMPLEX', 'MAX_ALIASES']]);
    const tokens = await post(app, `{ ${'__typename '.repeat(50)}}`);
    expect(codes(tokens.json())).toEqual([['QUERY_TOO_COMPLEX', 'MAX_TOKENS']]);
    const cost = await post(app, '{ projects { edges { node { id name phase family revision } } } }');
    expect(codes(cost.json())).toEqual([['QUERY_TOO_COMPLEX', 'MAX_COST']]);
  });
});

describe('introspection', () => {
  it('is on by default: the schema answers and GraphiQL is served', async () => {
    const res = await post(api.app, '{ __schema { queryType { name } } }');
    expect(res.json()).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } });
  });

  it('off: __schema is refused, no field is suggested, and GraphiQL is not served', async () => {
    const app = appWith({ introspection: false });
    const schema = await post(app, '{ __schema { queryType { name } } }');
    expect(schema.json().data).toBeUndefined();
    expect(new Set(codes(schema.json()).map(([code]) => code))).toEqual(
      new Set(['GRAPHQL_VALIDATION_FAILED']),
    );
    const typo = await post(app, '{ projectz { totalCount } }');
    expect(typo.json().errors[0].message).not.toMatch(/Did you mean/);
    const page = await app.inject({ method: 'GET', url: '/graphql', headers: { accept: 'text/html' } });
    expect(page.body).not.toContain('<html');
  });
});

describe('CORS', () => {
  const allowed = 'https://tiendo.caobang.gov.vn';

  it('answers a configured origin, and no other', async () => {
    const app = appWith({ corsOrigins: [allowed] });
    const preflight = (origin: string) =>
      app.inject({
        method: 'OPTIONS',
        url: '/graphql',
        headers: { origin, 'access-control-request-method': 'POST' },
      });
    const yes = await preflight(allowed);
    expect(yes.statusCode).toBe(204);
    expect(yes.headers['access-control-allow-origin']).toBe(allowed);
    const no = await preflight('https://evil.example');
    expect(no.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('by default allows no other origin at all', async () => {
    const res = await post(api.app, '{ __typename }', { origin: allowed });
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('rate limits', () => {
  it('counts per bearer token: a token over its budget gets 429 with a code, another token does not', async () => {
    const app = appWith({ rateLimitPerMinute: 3 });
    const [a, b] = [await api.tokenFor(actors.registrar), await api.tokenFor(actors.finance)];
    const as = (token: string) => post(app, '{ __typename }', { authorization: `Bearer ${token}` });
    for (let i = 0; i < 3; i++) expect((await as(a)).statusCode).toBe(200);
    const over = await as(a);
    expect(over.statusCode).toBe(429);
    expect(codes(over.json())).toEqual([['RATE_LIMITED', 'FST_ERR_RATE_LIMITED']]);
    expect((await as(b)).statusCode).toBe(200);
  });

  it('counts a request whose token is not accepted against its address: made-up tokens earn no new budget', async () => {
    const app = appWith({ rateLimitPerMinute: 3 });
    const madeUp = () =>
      post(app, '{ __typename }', { authorization: `Bearer ${randomBytes(24).toString('base64url')}` });
    const fakeApiToken = () =>
      post(app, '{ __typename }', {
        authorization: `Bearer tdo_${randomBytes(8).toString('hex')}_${randomBytes(16).toString('hex')}`,
      });
    expect((await madeUp()).statusCode).toBe(401);
    expect((await fakeApiToken()).statusCode).toBe(401);
    expect((await madeUp()).statusCode).toBe(401);
    // The address has spent its budget, whatever token comes next; without one too.
    for (const next of [madeUp, fakeApiToken, () => post(app, '{ __typename }', { authorization: '' })]) {
      const res = await next();
      expect(res.statusCode).toBe(429);
      expect(codes(res.json())).toEqual([['RATE_LIMITED', 'FST_ERR_RATE_LIMITED']]);
    }
    // An authenticated client at the same address has its own budget.
    expect((await post(app, '{ __typename }')).statusCode).toBe(200);
  });

  it('counts per client address without a token; health and readiness are never limited', async () => {
    const app = appWith({ rateLimitPerMinute: 2 });
    // Without a token a request is refused (401), and counted against its address all the same.
    const anonymous = () => post(app, '{ __typename }', { authorization: '' });
    expect((await anonymous()).statusCode).toBe(401);
    expect((await anonymous()).statusCode).toBe(401);
    expect((await anonymous()).statusCode).toBe(429);
    for (const url of ['/healthz', '/readyz', '/healthz'])
      expect((await app.inject({ method: 'GET', url })).statusCode).toBe(200);
  });
});

describe('the client address behind a reverse proxy (TIENDO_TRUST_PROXY)', () => {
  const anonymousFrom = (app: FastifyInstance, forwardedFor: string) =>
    app.inject({
      method: 'POST',
      url: '/graphql',
      remoteAddress: '10.1.2.3',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
      payload: { query: '{ __typename }' },
    });

  it("by default the address is the connection's: x-forwarded-for is not believed", async () => {
    const app = appWith({ rateLimitPerMinute: 1 });
    expect((await anonymousFrom(app, '203.0.113.7')).statusCode).toBe(401);
    // Another forwarded address changes nothing: both came from the proxy's connection.
    expect((await anonymousFrom(app, '203.0.113.8')).statusCode).toBe(429);
  });

  it('with the proxy trusted, each client behind it has its own budget, and a spoofed hop is ignored', async () => {
    const app = appWith({ rateLimitPerMinute: 1, trustProxy: ['10.0.0.0/8'] });
    expect((await anonymousFrom(app, '203.0.113.7')).statusCode).toBe(401);
    expect((await anonymousFrom(app, '203.0.113.8')).statusCode).toBe(401);
    expect((await anonymousFrom(app, '203.0.113.7')).statusCode).toBe(429);
    // A client writing its own x-forwarded-for: the proxy appends the address it saw, which counts.
    expect((await anonymousFrom(app, '198.51.100.1, 203.0.113.8')).statusCode).toBe(429);
  });
});

describe('readiness', () => {
  it('/readyz answers 503 when the database takes the connection but never answers', async () => {
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    const pool = new pg.Pool({ connectionString: `postgres://nobody@127.0.0.1:${port}/none` });
    pool.on('error', () => {});
    const store = new PostgresEventStore(pool);
    const app = buildApp({
      handler: new CommandHandler({ store }),
      store,
      pool,
      authenticate: api.authenticate,
    });
    try {
      const res = await app.inject({ method: 'GET', url: '/readyz' });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toEqual({ status: 'unavailable', database: 'unreachable' });
    } finally {
      await app.close();
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
      await pool.end();
    }
  });
});

describe('errors and logs', () => {
  function capture(): { stream: Writable; lines: () => Record<string, unknown>[]; text: () => string } {
    let text = '';
    const stream = new Writable({
      write(chunk, _encoding, done) {
        text += String(chunk);
        done();
      },
    });
    return {
      stream,
      text: () => text,
      lines: () =>
        text
          .split('\n')
          .filter((l) => l.trim() !== '')
          .map((l) => JSON.parse(l)),
    };
  }

  it('an unexpected failure answers a masked error with a code; the log has the cause and the request id', async () => {
    const log = capture();
    const failing = new Proxy({} as ReadModels, {
      get: () => async () => {
        throw new Error('relation "secret_table" does not exist at /srv/tiendo/db.ts:12');
      },
    });
    const app = appWith({}, { readModels: failing, logger: { level: 'info', stream: log.stream } });
    const res = await post(app, '{ projects { totalCount } }', { 'x-request-id': 'req-masked-1' });
    expect(res.statusCode).toBeLessThan(500);
    expect(res.body).not.toMatch(/secret_table|srv\/tiendo|stack/);
    expect(codes(res.json())).toEqual([['INTERNAL_SERVER_ERROR', undefined]]);
    const logged = log.lines().filter((l) => l.level === 50);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({
      reqId: 'req-masked-1',
      err: { message: expect.stringContaining('secret_table') },
    });
  });

  it('every log line is JSON with the request id, and no credential reaches the log', async () => {
    const log = capture();
    const app = appWith({}, { logger: { level: 'info', stream: log.stream } });
    await post(app, '{ __typename }', {
      authorization: 'Bearer s3cret-token-value',
      'x-request-id': 'req-log-1',
    });
    const lines = log.lines();
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line.reqId).toBe('req-log-1');
    expect(log.text()).not.toContain('s3cret-token-value');
  });
});
