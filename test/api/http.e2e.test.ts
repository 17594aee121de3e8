// The plain HTTP side of the API: liveness, readiness against the database, GraphiQL served without
// any CDN, and the app on a real port.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/app.js';
import { startServer } from '../../src/api/server.js';
import { CommandHandler } from '../../src/commands/handler.js';
import { PostgresEventStore } from '../../src/store/postgres.js';
import { actors } from '../support/fixtures.js';
import { type Api, startApi } from './api.js';

let api: Api;
beforeAll(async () => {
  api = await startApi();
});
afterAll(async () => {
  await api?.close();
});

describe('health', () => {
  it('/healthz answers while the process is up', async () => {
    const res = await api.app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('/readyz answers 200 when the database does', async () => {
    const res = await api.app.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', database: 'reachable' });
  });

  it('/readyz answers 503 when the database does not', async () => {
    // Port 1 on localhost: nothing listens there.
    const pool = new pg.Pool({
      connectionString: 'postgres://nobody@127.0.0.1:1/none',
      connectionTimeoutMillis: 1000,
    });
    const store = new PostgresEventStore(pool);
    const app = buildApp({
      handler: new CommandHandler({ store }),
      store,
      pool,
      authenticate: api.authenticate,
    });
    const res = await app.inject({ method: 'GET', url: '/readyz' });
    await app.close();
    await pool.end();
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({ status: 'unavailable', database: 'unreachable' });
  });
});

describe('GraphiQL', () => {
  it('is served whole from the server: no script, style or font from another host', async () => {
    const res = await api.app.inject({ method: 'GET', url: '/graphql', headers: { accept: 'text/html' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    const html = res.body;
    expect(html).toContain('tiendo GraphQL');
    expect(html).toContain('Authorization');
    expect(html).toContain('Bearer ');
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=["']?(https?:)?\/\//i);
    expect(html).not.toMatch(/unpkg\.com|jsdelivr|cdnjs|esm\.sh|fonts\.googleapis/i);
    expect(html).not.toMatch(/import\s*\(?\s*["']https?:/);
  });
});

describe('on a real port', () => {
  it('answers a GraphQL request over HTTP', async () => {
    const store = new PostgresEventStore(api.db.pool);
    const server = await startServer(
      { handler: new CommandHandler({ store }), store, pool: api.db.pool, authenticate: api.authenticate },
      { port: 0, host: '127.0.0.1' },
    );
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/graphql$/);
      const res = await fetch(server.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${await api.tokenFor(actors.reviewer)}`,
        },
        body: JSON.stringify({ query: '{ project(id: "NONE") { id } }' }),
      });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ data: { project: null } });
    } finally {
      await server.close();
    }
  });
});
